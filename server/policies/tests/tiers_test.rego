package gatehouse.test.tiers

import data.gatehouse.policy.escalations
import data.gatehouse.policy.protected_branches
import data.gatehouse.policy.sandbox_limits

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
	"parameters": {"size": size, "ttl_hours": ttl},
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

test_sandbox_rules_ignore_pipelines if {
	inp := {"template": {"kind": "pipeline"}, "parameters": {"ttl_hours": 500, "size": "large"}, "files": []}
	count(sandbox_limits.deny) == 0 with input as inp
}
