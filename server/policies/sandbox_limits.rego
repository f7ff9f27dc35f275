# Sandboxes are small, short-lived and never production.
package gatehouse.policy.sandbox_limits

import data.gatehouse.config

sandbox if input.template.kind == "sandbox"

ttl := input.parameters.ttl_hours

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
	input.parameters.size == "large"
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

deny contains {
	"rule": "sandbox_non_production",
	"msg": sprintf("%s: a sandbox must be non-production, not `%s`.", [f.path, f.parsed.spec.environment]),
	"fix": "Use the deploy pipeline for production.",
} if {
	sandbox
	some f in input.files
	f.parsed != null
	f.parsed.spec.environment != "non-production"
}
