# Least privilege for the workflow token: declare permissions, read-only at the top,
# write grants only on the jobs that need them.
package gatehouse.policy.permissions

import data.gatehouse.config
import data.gatehouse.lib.workflows

deny contains {
	"rule": "permissions_declared",
	"msg": sprintf("%s does not declare `permissions:`, so its token gets the repository default (often write-all)", [f.path]),
	"fix": "Add `permissions: {contents: read}` at the top of the workflow and grant more on the jobs that need it.",
} if {
	some f in workflows.workflows
	not "permissions" in object.keys(f.parsed)
}

deny contains {
	"rule": "no_write_all",
	"msg": sprintf("%s grants `%s` to the workflow token", [f.path, f.parsed.permissions]),
	"fix": "List only the permissions needed, e.g. `permissions: {contents: read}`.",
} if {
	some f in workflows.workflows
	f.parsed.permissions in {"write-all", "write"}
}

deny contains {
	"rule": "no_write_all",
	"msg": sprintf("%s (job %s) grants `%s` to the token", [f.path, name, job.permissions]),
	"fix": "List only the permissions the job needs.",
} if {
	some f in workflows.workflows
	some name, job in f.parsed.jobs
	job.permissions in {"write-all", "write"}
}

deny contains {
	"rule": "no_workflow_level_writes",
	"msg": sprintf("%s grants `%s: write` to every job", [f.path, scope]),
	"fix": sprintf("Keep the top-level permissions read-only and grant `%s: write` on the job that needs it.", [scope]),
} if {
	some f in workflows.workflows
	is_object(f.parsed.permissions)
	some scope, level in f.parsed.permissions
	level == "write"
}

warn contains {
	"rule": "unusual_write_permission",
	"msg": sprintf("%s (job %s) may write `%s`", [f.path, name, scope]),
	"fix": "Check the job needs it; most jobs need only read access.",
} if {
	some f in workflows.workflows
	some name, job in f.parsed.jobs
	is_object(job.permissions)
	some scope, level in job.permissions
	level == "write"
	not scope in config.routine_write_permissions
}
