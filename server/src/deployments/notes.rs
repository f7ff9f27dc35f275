//! Deployment notes as they arrive: the documented JSON shape, or plain text from which the
//! `Key: value` lines at the top give what they can. Every problem is collected, so one
//! answer names them all.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::runbooks::names::ServiceName;

/// The largest notes body accepted, in bytes.
pub const MAX_BODY: usize = 64 * 1024;
/// The most links accepted.
const MAX_LINKS: usize = 20;

/// The JSON a CI pipeline posts to `POST /api/v1/deployments`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct NotesJson {
    pub service: Option<String>,
    pub environment: Option<String>,
    pub version: Option<String>,
    pub commit: Option<String>,
    pub deployed_by: Option<String>,
    /// RFC 3339; default: when it was received.
    pub time: Option<String>,
    /// Markdown or plain text: changes, configuration, migrations, alerts, flags, rollback,
    /// known issues.
    pub body: Option<String>,
    #[serde(default)]
    pub links: Vec<String>,
}

/// One thing wrong with the input, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub message: String,
}

/// Notes that passed every check (not yet sanitized).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notes {
    pub service: ServiceName,
    pub environment: Option<String>,
    pub version: Option<String>,
    pub commit: Option<String>,
    pub deployed_by: Option<String>,
    pub time: DateTime<Utc>,
    pub body: String,
    pub links: Vec<String>,
}

/// `Service: checkout-api`-style lines at the top of plain-text notes, as JSON fields.
pub fn from_plain_text(text: &str, service: Option<&str>) -> NotesJson {
    let mut notes = NotesJson {
        service: service.map(str::to_string),
        body: Some(text.to_string()),
        ..NotesJson::default()
    };
    for line in text.lines().take(20) {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().to_string();
        if value.is_empty() {
            continue;
        }
        let slot = match key
            .trim()
            .trim_start_matches(['#', '-', '*', ' '])
            .to_ascii_lowercase()
            .as_str()
        {
            "service" => &mut notes.service,
            "environment" | "env" => &mut notes.environment,
            "version" => &mut notes.version,
            "commit" => &mut notes.commit,
            "deployed by" | "deployed_by" => &mut notes.deployed_by,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(value);
        }
    }
    notes
}

fn short(
    field: &'static str,
    value: Option<String>,
    max: usize,
    problems: &mut Vec<Problem>,
) -> Option<String> {
    let value = value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())?;
    if value.chars().count() > max || value.chars().any(char::is_control) {
        problems.push(Problem {
            field,
            message: format!("must be one line of at most {max} characters"),
        });
        return None;
    }
    Some(value)
}

/// Checks the notes; `known` says whether a service exists (has a runbook or is registered).
pub fn validate(
    raw: NotesJson,
    known: impl Fn(&ServiceName) -> bool,
    now: DateTime<Utc>,
) -> Result<Notes, Vec<Problem>> {
    let mut problems = Vec::new();
    let service = match raw
        .service
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => {
            problems.push(Problem {
                field: "service",
                message: "missing: name the service that was deployed, like \"checkout-api\""
                    .into(),
            });
            None
        }
        Some(s) => match ServiceName::parse(s) {
            Err(e) => {
                problems.push(Problem {
                    field: "service",
                    message: e.to_string(),
                });
                None
            }
            Ok(name) if !known(&name) => {
                problems.push(Problem {
                    field: "service",
                    message: format!(
                        "unknown service `{name}`: no runbook names it; check the spelling, or add the service to [deployments] services in the config"
                    ),
                });
                None
            }
            Ok(name) => Some(name),
        },
    };
    let body = raw.body.unwrap_or_default();
    if body.trim().is_empty() {
        problems.push(Problem {
            field: "body",
            message: "missing: send the notes (Markdown or plain text)".into(),
        });
    } else if body.len() > MAX_BODY {
        problems.push(Problem {
            field: "body",
            message: format!(
                "too long: {} bytes, at most {MAX_BODY}; send the notes for one deployment",
                body.len()
            ),
        });
    }
    let time = match raw.time.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => now,
        Some(t) => match DateTime::parse_from_rfc3339(t) {
            Ok(t) => t.with_timezone(&Utc),
            Err(_) => {
                problems.push(Problem {
                    field: "time",
                    message: format!("`{t}` is not an RFC 3339 time like 2026-11-27T10:00:00Z"),
                });
                now
            }
        },
    };
    if raw.links.len() > MAX_LINKS {
        problems.push(Problem {
            field: "links",
            message: format!("at most {MAX_LINKS} links"),
        });
    }
    for link in &raw.links {
        match url::Url::parse(link.trim()) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => {}
            _ => problems.push(Problem {
                field: "links",
                message: format!(
                    "`{}` is not an http(s) URL",
                    link.chars().take(80).collect::<String>()
                ),
            }),
        }
    }
    let environment = short("environment", raw.environment, 64, &mut problems);
    let version = short("version", raw.version, 128, &mut problems);
    let commit = short("commit", raw.commit, 128, &mut problems);
    let deployed_by = short("deployed_by", raw.deployed_by, 255, &mut problems);
    match service {
        Some(service) if problems.is_empty() => Ok(Notes {
            service,
            environment,
            version,
            commit,
            deployed_by,
            time,
            body,
            links: raw.links.iter().map(|l| l.trim().to_string()).collect(),
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(s: &ServiceName) -> bool {
        s.as_ref() == "checkout-api"
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let raw = NotesJson {
            service: Some("billing".into()),
            time: Some("yesterday".into()),
            links: vec!["javascript:alert(1)".into()],
            version: Some("v1\nv2".into()),
            ..NotesJson::default()
        };
        let problems = validate(raw, known, Utc::now()).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["service", "body", "time", "links", "version"]);
        assert!(problems[0].message.contains("unknown service `billing`"));
    }

    #[test]
    fn plain_text_gives_what_it_can() {
        let raw = from_plain_text(
            "Service: checkout-api\nVersion: v2.14.0\nDeployed by: dana\n\n## Changes\n- faster",
            None,
        );
        let notes = validate(raw, known, Utc::now()).expect("valid");
        assert_eq!(notes.service.as_ref(), "checkout-api");
        assert_eq!(notes.version.as_deref(), Some("v2.14.0"));
        assert_eq!(notes.deployed_by.as_deref(), Some("dana"));
        assert!(notes.body.contains("## Changes"));
        // The query's service wins over nothing; a missing service is named.
        let problems = validate(from_plain_text("just text", None), known, Utc::now()).unwrap_err();
        assert_eq!(problems[0].field, "service");
    }

    #[test]
    fn oversized_bodies_are_refused_with_the_limit() {
        let raw = NotesJson {
            service: Some("checkout-api".into()),
            body: Some("x".repeat(MAX_BODY + 1)),
            ..NotesJson::default()
        };
        let problems = validate(raw, known, Utc::now()).unwrap_err();
        assert!(
            problems[0].message.contains("at most 65536"),
            "{problems:?}"
        );
    }
}
