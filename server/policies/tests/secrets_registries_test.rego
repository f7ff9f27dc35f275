package gatehouse.test.secrets_registries

import data.gatehouse.policy.parse_errors
import data.gatehouse.policy.plaintext_secrets
import data.gatehouse.policy.registries

rules(set) := {r.rule | some r in set}

file(path, format, content, parsed) := {"path": path, "format": format, "content": content, "parsed": parsed}

test_sanitizer_findings_are_denied_with_where if {
	denies := plaintext_secrets.deny with input as {"files": [], "secrets": [{"file": "ci.yml", "line": 12, "category": "aws-access-key"}]}
	some d in denies
	d.rule == "no_plaintext_secrets"
	contains(d.msg, "ci.yml, line 12")
	contains(d.msg, "aws-access-key")
}

test_literal_password_in_env_is_denied if {
	doc := {"on": "push", "permissions": {}, "env": {"DB_PASSWORD": "hunter2"}, "jobs": {"a": {"steps": [{"run": "x"}]}}}
	denies := plaintext_secrets.deny with input as {"secrets": [], "files": [file(".github/workflows/a.yml", "yaml", "", doc)]}
	rules(denies) == {"secret_settings_are_references"}
	some d in denies
	contains(d.fix, "secrets.DB_PASSWORD")
}

test_secret_references_pass if {
	doc := {"on": "push", "permissions": {}, "jobs": {"a": {"steps": [{"uses": "x/y@0000000000000000000000000000000000000000", "with": {"password": "${{ secrets.REGISTRY_TOKEN }}", "token": "${{ github.token }}"}}]}}}
	count(plaintext_secrets.deny) == 0 with input as {"secrets": [], "files": [file(".github/workflows/a.yml", "yaml", "", doc)]}
}

test_images_from_allowed_registries_pass if {
	k8s := {"spec": {"containers": [{"image": "registry.example.com/payments/api:1.2"}]}}
	values := {"image": {"repository": "ghcr.io/example-org/api"}}
	files := [
		file("job.yaml", "yaml", "", k8s),
		file("values.yaml", "yaml", "", values),
		file("Dockerfile", "dockerfile", "FROM registry.example.com/base/distroless:1\nCOPY a b\n", null),
	]
	count(registries.deny) == 0 with input as {"files": files}
}

test_public_images_are_denied if {
	k8s := {"spec": {"containers": [{"image": "docker.io/library/nginx:1.27"}]}}
	files := [
		file("job.yaml", "yaml", "", k8s),
		file("Dockerfile", "dockerfile", "FROM --platform=linux/amd64 node:22 AS build\nFROM scratch\n", null),
	]
	denies := registries.deny with input as {"files": files}
	count(denies) == 2
	rules(denies) == {"allowed_registries"}
}

test_lookalike_registry_hosts_are_denied if {
	k8s := {"image": "registry.example.com.evil.io/api:1"}
	count(registries.deny) == 1 with input as {"files": [file("a.yaml", "yaml", "", k8s)]}
}

test_files_that_do_not_parse_are_denied if {
	inp := {"files": [{"path": "a.yaml", "format": "yaml", "content": "a: [", "parsed": null, "parse_error": "did not find expected ',' or ']'"}, {"path": "Dockerfile", "format": "dockerfile", "content": "", "parsed": null, "parse_error": null}]}
	rules(parse_errors.deny) == {"rendered_files_parse"} with input as inp
	count(parse_errors.deny) == 1 with input as inp
}

push_workflow(registry, tags) := {"files": [file(".github/workflows/image.yml", "yaml", "", {"on": "push", "permissions": {}, "jobs": {"build": {"steps": [
	{"uses": "docker/login-action@0000000000000000000000000000000000000000", "with": {"registry": registry}},
	{"uses": "docker/build-push-action@0000000000000000000000000000000000000000", "with": {"tags": tags}},
]}}})]}

test_pushes_go_only_to_allowed_registries if {
	count(registries.deny) == 0 with input as push_workflow("ghcr.io", "ghcr.io/example-org/api:${{ github.sha }}")
	denies := registries.deny with input as push_workflow("ghrc.io", "ghrc.io/example-org/api:1,ghcr.io/example-org/api:1")
	count(denies) == 2
	rules(denies) == {"allowed_registries"}
}
