# Helpers for GitHub Actions workflows among the rendered files.
package gatehouse.lib.workflows

# Rendered workflow files that parsed.
workflows contains f if {
	some f in input.files
	startswith(f.path, ".github/workflows/")
	f.parsed != null
}

# Every step of every job: {"file", "job", "step"}.
steps contains {"file": f.path, "job": name, "step": step} if {
	some f in workflows
	some name, job in f.parsed.jobs
	some step in job.steps
}

# Every `uses:` reference: steps and reusable-workflow jobs.
uses contains {"file": s.file, "job": s.job, "ref": s.step.uses} if {
	some s in steps
	is_string(s.step.uses)
}

uses contains {"file": f.path, "job": name, "ref": job.uses} if {
	some f in workflows
	some name, job in f.parsed.jobs
	is_string(job.uses)
}

# Whether workflow `f` runs on `event` (`on:` as a string, a list or a map).
triggered_by(f, event) if f.parsed.on == event

triggered_by(f, event) if {
	is_array(f.parsed.on)
	event in f.parsed.on
}

triggered_by(f, event) if {
	is_object(f.parsed.on)
	some key, _ in f.parsed.on
	key == event
}

# The GitHub environment a job deploys to (a string or {"name": ...}).
environment(job) := job.environment if is_string(job.environment)

environment(job) := job.environment.name if is_object(job.environment)

# The `push` trigger's settings as an object ({} when `on` names push without settings).
# Undefined when the workflow does not run on push.
push(f) := p if {
	is_object(f.parsed.on)
	p := f.parsed.on.push
	is_object(p)
}

push(f) := {} if {
	is_object(f.parsed.on)
	"push" in object.keys(f.parsed.on)
	not is_object(f.parsed.on.push)
}

push(f) := {} if f.parsed.on == "push"

push(f) := {} if {
	is_array(f.parsed.on)
	"push" in f.parsed.on
}
