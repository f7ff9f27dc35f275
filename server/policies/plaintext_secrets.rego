# No secret values in rendered files: the portal's sanitizer reports what it detects in
# `input.secrets` (where and what kind); secret-named settings must be references.
package gatehouse.policy.plaintext_secrets

import data.gatehouse.lib.workflows

deny contains {
	"rule": "no_plaintext_secrets",
	"msg": sprintf("%s, line %d: looks like a %s in plain text", [s.file, s.line, s.category]),
	"fix": "Store the value in the secret store and reference it: `${{ secrets.NAME }}` in workflows, a secret name in jobs.",
} if {
	some s in input.secrets
}

secret_name(key) if regex.match(`(?i)(password|passwd|secret|token|api[_-]?key|private[_-]?key|credential)`, key)

# Values in env: and with: blocks of workflows, at every level.
settings contains {"file": f.path, "key": key, "value": value} if {
	some f in workflows.workflows
	some key, value in object.get(f.parsed, "env", {})
}

settings contains {"file": f.path, "key": key, "value": value} if {
	some f in workflows.workflows
	some _, job in f.parsed.jobs
	some key, value in object.get(job, "env", {})
}

settings contains {"file": s.file, "key": key, "value": value} if {
	some s in workflows.steps
	some block in ["env", "with"]
	some key, value in object.get(s.step, block, {})
}

deny contains {
	"rule": "secret_settings_are_references",
	"msg": sprintf("%s: `%s` is set to a literal value", [s.file, s.key]),
	"fix": sprintf("Set `%s: ${{ secrets.%s }}` and store the value as a repository or environment secret.", [s.key, upper(replace(s.key, "-", "_"))]),
} if {
	some s in settings
	secret_name(s.key)
	is_string(s.value)
	not contains(s.value, "${{")
	s.value != ""
}
