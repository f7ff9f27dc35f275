package gatehouse.test.tiers

import data.gatehouse.policy.escalations
import data.gatehouse.policy.protected_branches
import data.gatehouse.policy.sandbox_limits
import data.gatehouse.policy.system_namespaces

rules(set) := {r.rule | some r in set}

deploy(branches) := {"parameters": {"environment": "production"}, "files": [{
	"path": ".github/workflows/deploy.yml",
	"format": "yaml",
	"content": "",
	"parsed": {"on": {"push": {"branches": branches}, "workflow_dispatch": null}, "permissions": {"contents": "read"}, "jobs": {"deploy": {"environment": "production", "steps": []}}},
}]}

test_production_from_main_or_release_passes if {
	count(protected_branches.deny) == 0 with input as deploy(["main", "release/2026.11"])
}

test_production_from_feature_branch_is_denied if {
	denies := protected_branches.deny with input as deploy(["main", "feature/x"])
	rules(denies) == {"production_from_protected_branches"}
	some d in denies
	contains(d.msg, "feature/x")
}

deploy_on(on) := {"parameters": {"environment": "production"}, "files": [{
	"path": ".github/workflows/deploy.yml",
	"format": "yaml",
	"content": "",
	"parsed": {"on": on, "permissions": {"contents": "read"}, "jobs": {"deploy": {"environment": "production", "steps": []}}},
}]}

test_production_on_pushes_to_any_branch_is_denied if {
	some on in [
		{"push": null},
		{"push": {}},
		{"push": {"tags": ["v*"]}},
		{"push": {"branches-ignore": ["wip/*"]}},
		"push",
		["push", "workflow_dispatch"],
	]
	rules(protected_branches.deny) == {"production_from_protected_branches"} with input as deploy_on(on)
}

test_every_push_form_is_checked if {
	every on in [{"push": null}, {"push": {}}, {"push": {"tags": ["v*"]}}, "push", ["push"]] {
		count(protected_branches.deny) == 1 with input as deploy_on(on)
	}
}

test_non_string_branches_are_not_protected if {
	rules(protected_branches.deny) == {"production_from_protected_branches"} with input as deploy([true])
}

test_production_without_push_needs_no_branch_rule if {
	count(protected_branches.deny) == 0 with input as deploy_on({"workflow_dispatch": null})
}

test_manual_production_runs_warn if {
	rules(protected_branches.warn) == {"manual_production_runs"} with input as deploy(["main"])
}

test_production_escalates_to_tier_1 if {
	some e in escalations.escalate with input as deploy(["main"])
	e.rule == "touches_production"
	e.tier == 1
}

test_secrets_iam_and_ingress_escalate if {
	inp := {"parameters": {"secrets": ["db-creds"], "manages_iam": true, "expose_ingress": true}, "files": []}
	rules(escalations.escalate) == {"touches_secrets", "touches_iam", "opens_ingress"} with input as inp
}

wf(content) := {"parameters": {}, "files": [{"path": ".github/workflows/a.yml", "content": content, "parsed": {"jobs": {}}}]}

test_workflow_secrets_escalate_but_not_the_run_token if {
	count(escalations.escalate) == 0 with input as wf("password: ${{ secrets.GITHUB_TOKEN }}")
	rules(escalations.escalate) == {"touches_secrets"} with input as wf("password: ${{ secrets.NPM_TOKEN }}")
}

test_staging_needs_no_escalation if {
	count(escalations.escalate) == 0 with input as {"parameters": {"environment": "staging", "secrets": []}, "files": []}
}

sandbox(size, ttl, environment) := {
	"template": {"kind": "sandbox"},
	"parameters": {},
	"sandbox": {"size": size, "units": 1, "ttl_hours": ttl},
	"files": [{"path": "sandboxes/x.yaml", "parsed": {"spec": {"environment": environment}}}],
}

test_small_sandbox_for_a_day_is_clean if {
	count(sandbox_limits.deny) == 0 with input as sandbox("small", 24, "non-production")
	count(sandbox_limits.warn) == 0 with input as sandbox("small", 24, "non-production")
}

test_sandbox_limits if {
	rules(sandbox_limits.deny) == {"sandbox_max_ttl"} with input as sandbox("small", 200, "non-production")
	rules(sandbox_limits.deny) == {"sandbox_large_ttl"} with input as sandbox("large", 96, "non-production")
	rules(sandbox_limits.warn) == {"sandbox_long_ttl"} with input as sandbox("medium", 96, "non-production")
	rules(sandbox_limits.deny) == {"sandbox_non_production"} with input as sandbox("small", 24, "production")
}

test_a_sandbox_manifest_without_an_environment_is_denied if {
	inp := {"template": {"kind": "sandbox"}, "sandbox": {"size": "small", "units": 1, "ttl_hours": 24}, "files": [{"path": "s.yaml", "parsed": {"spec": {}}}]}
	rules(sandbox_limits.deny) == {"sandbox_non_production"} with input as inp
	broken := {"template": {"kind": "sandbox"}, "files": []}
	rules(sandbox_limits.deny) == {"sandbox_terms"} with input as broken
}

test_sandbox_rules_ignore_pipelines if {
	inp := {"template": {"kind": "pipeline"}, "parameters": {"ttl_hours": 500, "size": "large"}, "files": []}
	count(sandbox_limits.deny) == 0 with input as inp
}

manifest(namespace) := {"parameters": {"environment": "staging"}, "files": [{"path": "jobs/x.yaml", "parsed": {"kind": "CronJob", "metadata": {"name": "x", "namespace": namespace}}}]}

test_the_namespace_decides_not_the_parameter if {
	rules(escalations.escalate) == {"touches_production"} with input as manifest("payments")
	count(escalations.escalate) == 0 with input as manifest("payments-sandbox")
	rules(system_namespaces.deny) == {"no_system_namespaces"} with input as manifest("kube-system")
}

test_a_production_cloud_account_escalates if {
	inp := {"parameters": {"environment": "staging"}, "files": [{"path": ".github/workflows/tf.yml", "content": "", "parsed": {"on": "push", "permissions": {}, "jobs": {"plan": {"steps": [
		{"uses": "aws-actions/configure-aws-credentials@0000000000000000000000000000000000000000", "with": {"role-to-assume": "arn:aws:iam::210987654321:role/terraform"}},
	]}}}}]}
	rules(escalations.escalate) == {"touches_production"} with input as inp
}
