# A rendered file that does not parse cannot be checked by the other policies: deny it.
package gatehouse.policy.parse_errors

deny contains {
	"rule": "rendered_files_parse",
	"msg": sprintf("%s does not parse as %s (%s), so no policy could check it", [f.path, f.format, f.parse_error]),
	"fix": "Try other values; if it persists, the template is broken for them: tell its owners.",
} if {
	some f in input.files
	f.format in {"yaml", "json"}
	is_string(f.parse_error)
}
