package gatehouse.test.workflows

import data.gatehouse.policy.actions_pinned
import data.gatehouse.policy.permissions
import data.gatehouse.policy.pull_request_target

sha := "11bd71901bbe5b1630ceea73d27597364c9af683"

workflow(doc) := {"files": [{"path": ".github/workflows/ci.yml", "format": "yaml", "content": "", "parsed": doc}], "secrets": [], "parameters": {}}

steps_doc(steps) := {"on": {"push": {"branches": ["main"]}}, "permissions": {"contents": "read"}, "jobs": {"test": {"runs-on": "ubuntu-24.04", "steps": steps}}}

rules(set) := {r.rule | some r in set}

test_pinned_actions_pass if {
	count(actions_pinned.deny) == 0 with input as workflow(steps_doc([{"uses": sprintf("actions/checkout@%s", [sha])}, {"run": "make"}]))
}

test_tag_pinned_action_is_denied if {
	denies := actions_pinned.deny with input as workflow(steps_doc([{"uses": "Swatinem/rust-cache@v2"}]))
	rules(denies) == {"actions_pinned_to_sha"}
	some d in denies
	contains(d.fix, "Swatinem/rust-cache@<40-character commit SHA>")
}

test_branch_pinned_reusable_workflow_is_denied if {
	doc := {"on": "push", "permissions": {}, "jobs": {"call": {"uses": "org/repo/.github/workflows/x.yml@main"}}}
	rules(actions_pinned.deny) == {"actions_pinned_to_sha"} with input as workflow(doc)
}

test_local_actions_need_no_sha if {
	count(actions_pinned.deny) == 0 with input as workflow(steps_doc([{"uses": "./.github/actions/setup"}]))
}

test_docker_actions_need_a_digest if {
	rules(actions_pinned.deny) == {"docker_actions_pinned_to_digest"} with input as workflow(steps_doc([{"uses": "docker://alpine:3.20"}]))
}

test_missing_permissions_are_denied if {
	doc := {"on": "push", "jobs": {"a": {"steps": []}}}
	"permissions_declared" in rules(permissions.deny) with input as workflow(doc)
}

test_write_all_is_denied if {
	doc := {"on": "push", "permissions": "write-all", "jobs": {"a": {"steps": []}}}
	"no_write_all" in rules(permissions.deny) with input as workflow(doc)
}

test_top_level_writes_are_denied_job_level_allowed if {
	top := {"on": "push", "permissions": {"contents": "write"}, "jobs": {"a": {"steps": []}}}
	"no_workflow_level_writes" in rules(permissions.deny) with input as workflow(top)
	job := {"on": "push", "permissions": {"contents": "read"}, "jobs": {"a": {"permissions": {"id-token": "write"}, "steps": []}}}
	count(permissions.deny) == 0 with input as workflow(job)
	count(permissions.warn) == 0 with input as workflow(job)
}

test_unusual_job_write_warns if {
	job := {"on": "push", "permissions": {"contents": "read"}, "jobs": {"a": {"permissions": {"contents": "write"}, "steps": []}}}
	rules(permissions.warn) == {"unusual_write_permission"} with input as workflow(job)
}

test_pull_request_target_head_checkout_is_denied if {
	doc := {
		"on": {"pull_request_target": {"types": ["opened"]}},
		"permissions": {"contents": "read"},
		"jobs": {"build": {"steps": [{"uses": sprintf("actions/checkout@%s", [sha]), "with": {"ref": "${{ github.event.pull_request.head.sha }}"}}]}},
	}
	rules(pull_request_target.deny) == {"no_pr_head_checkout_in_pull_request_target"} with input as workflow(doc)
}

test_pull_request_target_without_checkout_only_warns if {
	doc := {"on": ["pull_request_target"], "permissions": {"contents": "read"}, "jobs": {"label": {"steps": [{"run": "echo label"}]}}}
	count(pull_request_target.deny) == 0 with input as workflow(doc)
	rules(pull_request_target.warn) == {"pull_request_target_reviewed"} with input as workflow(doc)
}

test_head_checkout_on_pull_request_is_fine if {
	doc := {"on": {"pull_request": {}}, "permissions": {"contents": "read"}, "jobs": {"build": {"steps": [{"uses": sprintf("actions/checkout@%s", [sha]), "with": {"ref": "${{ github.event.pull_request.head.sha }}"}}]}}}
	count(pull_request_target.deny) == 0 with input as workflow(doc)
}
