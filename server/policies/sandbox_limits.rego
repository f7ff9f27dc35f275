# Sandboxes are small, short-lived and never production. `input.sandbox` holds the size,
# its quota units and the time to live in hours, read through the template's own mapping.
package gatehouse.policy.sandbox_limits

import data.gatehouse.config

sandbox if input.template.kind == "sandbox"

ttl := input.sandbox.ttl_hours

deny contains {
	"rule": "sandbox_terms",
	"msg": "This sandbox template does not say its size and time to live.",
	"fix": "Tell the template's owners: its `sandbox` mapping is broken.",
} if {
	sandbox
	not is_number(object.get(object.get(input, "sandbox", {}), "ttl_hours", null))
}

deny contains {
	"rule": "sandbox_max_ttl",
	"msg": sprintf("A sandbox may live at most %d hours; %d were asked.", [config.sandbox_max_ttl_hours, ttl]),
	"fix": sprintf("Set the time to live to %d hours or less, and request a new sandbox when it expires.", [config.sandbox_max_ttl_hours]),
} if {
	sandbox
	ttl > config.sandbox_max_ttl_hours
}

deny contains {
	"rule": "sandbox_large_ttl",
	"msg": sprintf("A large sandbox may live at most %d hours; %d were asked.", [config.sandbox_large_max_ttl_hours, ttl]),
	"fix": sprintf("Choose medium, or at most %d hours.", [config.sandbox_large_max_ttl_hours]),
} if {
	sandbox
	input.sandbox.size == "large"
	ttl > config.sandbox_large_max_ttl_hours
}

warn contains {
	"rule": "sandbox_long_ttl",
	"msg": sprintf("This sandbox lives %d hours; most need a day.", [ttl]),
	"fix": "Shorter sandboxes leave room in your team's quota.",
} if {
	sandbox
	ttl > config.sandbox_warn_ttl_hours
	ttl <= config.sandbox_max_ttl_hours
}

# Every rendered manifest must say non-production; a missing field does not pass.
deny contains {
	"rule": "sandbox_non_production",
	"msg": sprintf("%s: a sandbox must be non-production, not `%v`.", [f.path, environment(f)]),
	"fix": "Use the deploy pipeline for production.",
} if {
	sandbox
	some f in input.files
	environment(f) != "non-production"
}

environment(f) := e if {
	is_object(f.parsed)
	e := object.get(object.get(f.parsed, "spec", {}), "environment", "(none)")
} else := "(not a manifest)"
