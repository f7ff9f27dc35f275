# Images come only from the organization's registries, where they are scanned and signed.
package gatehouse.policy.registries

import data.gatehouse.config
import data.gatehouse.lib.workflows

# Image references in parsed files: any `image:` string, or `image: {repository: ...}`.
images contains {"file": f.path, "ref": value} if {
	some f in input.files
	f.parsed != null
	walk(f.parsed, [path, value])
	count(path) > 0
	path[count(path) - 1] == "image"
	is_string(value)
}

images contains {"file": f.path, "ref": value} if {
	some f in input.files
	f.parsed != null
	walk(f.parsed, [path, value])
	count(path) > 1
	path[count(path) - 2] == "image"
	path[count(path) - 1] == "repository"
	is_string(value)
}

# Base images in Dockerfiles.
images contains {"file": f.path, "ref": ref} if {
	some f in input.files
	f.format == "dockerfile"
	some line in split(f.content, "\n")
	regex.match(`^\s*(?i:FROM)\s+`, line)
	words := [w | some w in split(trim_space(line), " "); w != ""]
	ref := [w | some i, w in words; i > 0; not startswith(w, "--")][0]
	lower(ref) != "scratch"
}

# Where a workflow pushes: docker/build-push-action `tags` (comma or line separated).
images contains {"file": s.file, "ref": ref} if {
	some s in workflows.steps
	startswith(object.get(s.step, "uses", ""), "docker/build-push-action@")
	tags := object.get(object.get(s.step, "with", {}), "tags", "")
	is_string(tags)
	some raw in split(replace(tags, "\n", ","), ",")
	ref := trim_space(raw)
	ref != ""
}

# docker/login-action hands the job's credentials to `registry` (Docker Hub without one).
deny contains {
	"rule": "allowed_registries",
	"msg": sprintf("%s: logs in to `%v`, which is not an allowed registry, and would hand it the job's credentials", [s.file, registry]),
	"fix": sprintf("Log in only to %s.", [concat(" or ", sort({split(r, "/")[0] | some r in config.allowed_registries}))]),
} if {
	some s in workflows.steps
	startswith(object.get(s.step, "uses", ""), "docker/login-action@")
	registry := object.get(object.get(s.step, "with", {}), "registry", "docker.io")
	not allowed_host(registry)
}

allowed_host(host) if {
	some r in config.allowed_registries
	split(r, "/")[0] == host
}

allowed(ref) if {
	some registry in config.allowed_registries
	startswith(ref, concat("", [registry, "/"]))
}

# Computed references (`$IMAGE`, `${{ ... }}`) are checked where their value is set.
computed(ref) if startswith(ref, "$")

deny contains {
	"rule": "allowed_registries",
	"msg": sprintf("%s: image `%s` is not from an allowed registry", [i.file, i.ref]),
	"fix": sprintf("Use an image from %s (mirror public images there first).", [concat(" or ", sort(config.allowed_registries))]),
} if {
	some i in images
	not computed(i.ref)
	not allowed(i.ref)
}
