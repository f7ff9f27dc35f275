# Anything touching production, secrets, IAM or network ingress needs the most careful
# review: tier 1 (two approvals, one of them a security reviewer).
package gatehouse.policy.escalations

import data.gatehouse.config
import data.gatehouse.lib.workflows

escalate contains {
	"rule": "touches_production",
	"tier": 1,
	"msg": "Deploys to or changes production.",
} if {
	input.parameters.environment == "production"
}

escalate contains {
	"rule": "touches_production",
	"tier": 1,
	"msg": sprintf("%s has a job in the production environment.", [f.path]),
} if {
	some f in workflows.workflows
	some _, job in f.parsed.jobs
	workflows.environment(job) == "production"
}

escalate contains {
	"rule": "touches_secrets",
	"tier": 1,
	"msg": sprintf("Reads secrets: %s.", [concat(", ", input.parameters.secrets)]),
} if {
	count(input.parameters.secrets) > 0
}

# `${{ secrets.X }}` in workflows, other than the run's own short-lived GITHUB_TOKEN.
escalate contains {
	"rule": "touches_secrets",
	"tier": 1,
	"msg": sprintf("%s reads repository secrets.", [f.path]),
} if {
	some f in workflows.workflows
	some m in regex.find_n(`secrets\.[A-Za-z_][A-Za-z0-9_]*`, f.content, -1)
	m != "secrets.GITHUB_TOKEN"
}

escalate contains {
	"rule": "touches_iam",
	"tier": 1,
	"msg": "Manages IAM roles or policies.",
} if {
	input.parameters.manages_iam == true
}

escalate contains {
	"rule": "opens_ingress",
	"tier": 1,
	"msg": "Opens network ingress from outside the cluster.",
} if {
	input.parameters.expose_ingress == true
}

# What the files do, whatever the parameters say: a manifest in a production namespace, or a
# role assumed in a production cloud account.
escalate contains {
	"rule": "touches_production",
	"tier": 1,
	"msg": sprintf("%s writes to the production namespace `%s`.", [f.path, f.parsed.metadata.namespace]),
} if {
	some f in input.files
	is_object(f.parsed)
	f.parsed.metadata.namespace in config.production_namespaces
}

escalate contains {
	"rule": "touches_production",
	"tier": 1,
	"msg": sprintf("%s assumes a role in the production account %s.", [s.file, account]),
} if {
	some s in workflows.steps
	role := object.get(object.get(s.step, "with", {}), "role-to-assume", "")
	is_string(role)
	some account in config.production_aws_accounts
	contains(role, concat("", [":", account, ":"]))
}
