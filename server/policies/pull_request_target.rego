# `pull_request_target` runs with the base repository's secrets and write token; checking
# out the pull request's head there runs untrusted code with them ("pwn request").
package gatehouse.policy.pull_request_target

import data.gatehouse.lib.workflows

deny contains {
	"rule": "no_pr_head_checkout_in_pull_request_target",
	"msg": sprintf("%s (job %s): checks out the pull request's head in a pull_request_target workflow", [f.path, name]),
	"fix": "Trigger on `pull_request` instead, or do not check out the head ref in this workflow (split untrusted builds into a pull_request workflow).",
} if {
	some f in workflows.workflows
	workflows.triggered_by(f, "pull_request_target")
	some name, job in f.parsed.jobs
	some step in job.steps
	startswith(object.get(step, "uses", ""), "actions/checkout@")
	ref := object.get(object.get(step, "with", {}), "ref", "")
	regex.match(`pull_request\.head|head_ref|refs/pull/`, ref)
}

warn contains {
	"rule": "pull_request_target_reviewed",
	"msg": sprintf("%s runs on pull_request_target, with secrets, for pull requests from forks", [f.path]),
	"fix": "Prefer `pull_request`; if you need this trigger, never run code from the pull request.",
} if {
	some f in workflows.workflows
	workflows.triggered_by(f, "pull_request_target")
}
