# Third-party actions must be pinned to a full commit SHA: tags and branches can be moved
# to malicious code after review.
package gatehouse.policy.actions_pinned

import data.gatehouse.lib.workflows

deny contains {
	"rule": "actions_pinned_to_sha",
	"msg": sprintf("%s (job %s): `%s` is not pinned to a commit SHA", [u.file, u.job, u.ref]),
	"fix": sprintf("Use `%s@<40-character commit SHA> # <tag>`: look up the SHA of the release you trust.", [name(u.ref)]),
} if {
	some u in workflows.uses
	not startswith(u.ref, "./")
	not startswith(u.ref, "docker://")
	not regex.match(`@[0-9a-f]{40}$`, u.ref)
}

deny contains {
	"rule": "docker_actions_pinned_to_digest",
	"msg": sprintf("%s (job %s): `%s` is not pinned to an image digest", [u.file, u.job, u.ref]),
	"fix": "Reference the image as docker://<image>@sha256:<digest>.",
} if {
	some u in workflows.uses
	startswith(u.ref, "docker://")
	not contains(u.ref, "@sha256:")
}

name(ref) := split(ref, "@")[0]
