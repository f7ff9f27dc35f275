# Templates never write to the cluster's own namespaces.
package gatehouse.policy.system_namespaces

import data.gatehouse.config

deny contains {
	"rule": "no_system_namespaces",
	"msg": sprintf("%s writes to the system namespace `%s`.", [f.path, f.parsed.metadata.namespace]),
	"fix": "Use your service's own namespace.",
} if {
	some f in input.files
	is_object(f.parsed)
	f.parsed.metadata.namespace in config.system_namespaces
}
