# Production is deployed only from protected branches, where every change was reviewed.
package gatehouse.policy.protected_branches

import data.gatehouse.config
import data.gatehouse.lib.workflows

protected(branch) if {
	is_string(branch)
	some pattern in config.protected_branches
	glob.match(pattern, ["/"], branch)
}

# Workflows with a job that deploys to the production environment.
production_workflows contains f if {
	some f in workflows.workflows
	some _, job in f.parsed.jobs
	workflows.environment(job) == "production"
}

deny contains {
	"rule": "production_from_protected_branches",
	"msg": sprintf("%s deploys to production on pushes to `%v`, which is not a protected branch", [f.path, branch]),
	"fix": sprintf("Deploy production from %s.", [concat(" or ", sort(config.protected_branches))]),
} if {
	some f in production_workflows
	branches := object.get(workflows.push(f), "branches", [])
	is_array(branches)
	some branch in branches
	not protected(branch)
}

# `push` without a branch list (no settings, only tags, or branches-ignore) runs on any branch.
deny contains {
	"rule": "production_from_protected_branches",
	"msg": sprintf("%s deploys to production on pushes to any branch", [f.path]),
	"fix": "List the protected branches under `on.push.branches`.",
} if {
	some f in production_workflows
	push := workflows.push(f)
	not is_array(object.get(push, "branches", null))
}

warn contains {
	"rule": "manual_production_runs",
	"msg": sprintf("%s can also be started by hand (workflow_dispatch) from any branch", [f.path]),
	"fix": "Keep the GitHub environment `production` limited to protected branches, so a manual run from another branch waits or fails.",
} if {
	some f in production_workflows
	workflows.triggered_by(f, "workflow_dispatch")
}
