//! The document policies see as `input`: the template, the parameters, the rendered files
//! (parsed where YAML or JSON), what the sanitizer found in them, and the requester.

use serde_json::{Value, json};

use crate::catalog::Template;
use crate::catalog::params::Values;
use crate::catalog::render::RenderedFile;

/// The requester as policies see them.
pub struct Requester<'a> {
    pub subject: &'a str,
    pub groups: Vec<String>,
    pub roles: Vec<String>,
}

/// A secret-looking value the sanitizer found in a rendered file (never the value itself).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SecretFinding {
    pub file: String,
    pub line: usize,
    pub category: String,
}

/// Builds `input`. Parsing failures leave `parsed` null and say why in `parse_error`, so a
/// policy can deny a file that is not what it claims to be.
pub fn build(
    template: &Template,
    values: &Values,
    files: &[RenderedFile],
    secrets: &[SecretFinding],
    requester: &Requester<'_>,
) -> Value {
    let files: Vec<Value> = files
        .iter()
        .map(|f| {
            let (format, parsed) = parse(&f.path, &f.content);
            let (parsed, parse_error) = match parsed {
                Ok(v) => (v, Value::Null),
                Err(e) => (Value::Null, Value::String(e)),
            };
            json!({
                "path": f.path,
                "format": format,
                "content": f.content,
                "parsed": parsed,
                "parse_error": parse_error,
            })
        })
        .collect();
    json!({
        "template": {
            "id": template.id,
            "version": template.version,
            "kind": template.kind.name(),
            "tier": template.tier,
            "owners": template.owners,
            "tags": template.tags,
            "digest": template.digest,
        },
        "parameters": values,
        "sandbox": sandbox_terms(template, values),
        "files": files,
        "secrets": secrets,
        "requester": {
            "subject": requester.subject,
            "groups": requester.groups,
            "roles": requester.roles,
        },
    })
}

/// A sandbox's size, its quota units and its time to live, through the template's mapping
/// (null for pipelines, or when the mapping does not resolve: policies deny that).
pub fn sandbox_terms(template: &Template, values: &Values) -> Value {
    let Some(spec) = &template.sandbox else {
        return Value::Null;
    };
    let size = values.get(&spec.size_param).and_then(Value::as_str);
    let units = size.and_then(|s| spec.units.get(s));
    let ttl = values.get(&spec.ttl_param).and_then(Value::as_i64);
    match (size, units, ttl) {
        (Some(size), Some(units), Some(ttl)) => {
            json!({"size": size, "units": units, "ttl_hours": ttl})
        }
        _ => Value::Null,
    }
}

fn parse(path: &str, content: &str) -> (&'static str, Result<Value, String>) {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".yml") || lower.ends_with(".yaml") {
        (
            "yaml",
            serde_yaml_ng::from_str::<Value>(content).map_err(|e| e.to_string()),
        )
    } else if lower.ends_with(".json") {
        (
            "json",
            serde_json::from_str::<Value>(content).map_err(|e| e.to_string()),
        )
    } else if lower
        .rsplit('/')
        .next()
        .is_some_and(|n| n.starts_with("dockerfile"))
    {
        ("dockerfile", Ok(Value::Null))
    } else if lower.ends_with(".tf") {
        ("hcl", Ok(Value::Null))
    } else {
        ("text", Ok(Value::Null))
    }
}

/// Workflow permission levels, which the generic key=value detector would take for secrets
/// under keys like `id-token`.
const PERMISSION_LEVELS: &[&str] = &["read", "write", "none", "read-all", "write-all"];

/// Runs the sanitizer's detectors over every rendered file: where, and what kind.
pub fn secrets_in(
    sanitizer: &crate::sanitizer::Sanitizer,
    files: &[RenderedFile],
) -> Vec<SecretFinding> {
    let mut out = Vec::new();
    for f in files {
        let found = sanitizer.sanitize(&f.content);
        for finding in found.findings {
            // `id-token: write` grants a permission; it does not leak one.
            let value = f.content[finding.start..finding.end].trim();
            if finding.category == "generic-secret" && PERMISSION_LEVELS.contains(&value) {
                continue;
            }
            let line = f.content[..finding.start.min(f.content.len())]
                .matches('\n')
                .count()
                + 1;
            out.push(SecretFinding {
                file: f.path.clone(),
                line,
                category: finding.category.to_string(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_workflow_keys_parse_as_text() {
        // YAML 1.1 would read `on` as a boolean and lose the workflow's triggers.
        let (format, parsed) = parse(
            ".github/workflows/ci.yml",
            "on:\n  push:\n    branches: [main]\n",
        );
        assert_eq!(format, "yaml");
        assert_eq!(parsed.unwrap()["on"]["push"]["branches"][0], "main");
        let (_, bad) = parse("x.yaml", "a: [unclosed\n");
        assert!(bad.is_err());
    }
}
