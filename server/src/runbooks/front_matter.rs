//! YAML front matter of a runbook file: parsed strictly, with the line of every problem.

use chrono::NaiveDate;
use serde::Deserialize;

use super::names::{AlertName, GroupName, ServiceName};

/// Who may read a runbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    /// Any signed-in user.
    Internal,
    /// Only members of these groups (never empty).
    Restricted(Vec<GroupName>),
}

/// A runbook's validated front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatter {
    pub title: String,
    pub service: ServiceName,
    pub owners: Vec<GroupName>,
    pub tags: Vec<String>,
    pub alerts: Vec<AlertName>,
    pub visibility: Visibility,
    pub last_reviewed: NaiveDate,
}

/// A problem in a runbook file, with the 1-based line it is on when known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct FrontMatterError {
    pub line: Option<usize>,
    pub reason: String,
}

impl FrontMatterError {
    fn at(line: Option<usize>, reason: impl Into<String>) -> Self {
        Self {
            line,
            reason: reason.into(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    title: Option<String>,
    service: Option<String>,
    #[serde(default)]
    owners: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    alerts: Vec<String>,
    visibility: Option<String>,
    #[serde(default)]
    groups: Vec<String>,
    last_reviewed: Option<serde_yaml_ng::Value>,
}

/// Splits `text` into front matter and Markdown body. Returns the validated front matter,
/// the body, and the 1-based line on which the body starts.
pub fn split(text: &str) -> Result<(FrontMatter, &str, usize), FrontMatterError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text
        .strip_prefix("---")
        .filter(|r| r.starts_with('\n') || r.starts_with("\r\n"))
    else {
        return Err(FrontMatterError::at(
            Some(1),
            "missing front matter: the file must start with a `---` line, then YAML (title, service, owners, visibility, last_reviewed), then `---`",
        ));
    };
    let rest = rest
        .trim_start_matches('\r')
        .strip_prefix('\n')
        .unwrap_or(rest);
    let mut offset = 0;
    let mut end = None;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            end = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((yaml_end, body_start)) = end else {
        return Err(FrontMatterError::at(
            Some(1),
            "front matter is not closed: add a line with only `---` after the YAML",
        ));
    };
    let yaml = &rest[..yaml_end];
    let body = &rest[body_start..];
    // Line 1 is the opening `---`; YAML starts on line 2.
    let body_line = 2 + yaml.lines().count() + 1;
    bounded_for_the_parser(yaml)?;
    let fm = parse_yaml(yaml)?;
    Ok((fm, body, body_line))
}

/// The most bytes of front matter: a runbook's is a dozen lines.
pub const MAX_FRONT_MATTER: usize = 64 * 1024;
/// The deepest nesting of `[` and `{`: the fields are flat lists.
pub const MAX_NESTING: usize = 16;

/// Refuses front matter the YAML parser would take long over: its cost grows with the
/// square of the flow nesting depth (32 KB of `[` took 1.9 s), so depth and size are
/// checked first, in one pass. Brackets inside quotes count too; no real field nests.
fn bounded_for_the_parser(yaml: &str) -> Result<(), FrontMatterError> {
    if yaml.len() > MAX_FRONT_MATTER {
        return Err(FrontMatterError::at(
            Some(1),
            format!(
                "front matter is {} bytes; at most {} KB: move long text into the body",
                yaml.len(),
                MAX_FRONT_MATTER / 1024
            ),
        ));
    }
    let mut depth = 0usize;
    for (i, line) in yaml.lines().enumerate() {
        for c in line.chars() {
            match c {
                '[' | '{' => depth += 1,
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth > MAX_NESTING {
                return Err(FrontMatterError::at(
                    Some(i + 2),
                    format!(
                        "brackets nested deeper than {MAX_NESTING} levels: front matter fields are flat lists such as `owners: [team-a, team-b]`"
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn key_line(yaml: &str, key: &str) -> Option<usize> {
    yaml.lines()
        .position(|l| l.trim_start().starts_with(&format!("{key}:")))
        .map(|i| i + 2)
}

fn parse_yaml(yaml: &str) -> Result<FrontMatter, FrontMatterError> {
    let raw: Raw = serde_yaml_ng::from_str(yaml).map_err(|e| {
        let line = e.location().map(|l| l.line() + 1);
        FrontMatterError::at(line.or(Some(2)), format!("invalid front matter: {e}"))
    })?;
    let missing = |key: &str, example: &str| {
        FrontMatterError::at(
            Some(2),
            format!(
                "missing required field `{key}` in front matter (for example `{key}: {example}`)"
            ),
        )
    };
    let title = raw
        .title
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| missing("title", "Checkout API high latency"))?;
    let service_raw = raw
        .service
        .ok_or_else(|| missing("service", "checkout-api"))?;
    let service = ServiceName::parse(&service_raw)
        .map_err(|e| FrontMatterError::at(key_line(yaml, "service"), e.to_string()))?;
    if raw.owners.is_empty() {
        return Err(missing("owners", "[team-payments]"));
    }
    let groups_of = |key: &str, list: Vec<String>| -> Result<Vec<GroupName>, FrontMatterError> {
        list.iter()
            .map(|g| {
                GroupName::parse(g)
                    .map_err(|e| FrontMatterError::at(key_line(yaml, key), e.to_string()))
            })
            .collect()
    };
    let owners = groups_of("owners", raw.owners)?;
    let alerts = raw
        .alerts
        .iter()
        .map(|a| {
            AlertName::parse(a)
                .map_err(|e| FrontMatterError::at(key_line(yaml, "alerts"), e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let tags = raw
        .tags
        .into_iter()
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    let groups = groups_of("groups", raw.groups)?;
    let visibility = match raw.visibility.as_deref().map(str::trim) {
        None => return Err(missing("visibility", "internal")),
        Some("internal") if groups.is_empty() => Visibility::Internal,
        Some("internal") => {
            return Err(FrontMatterError::at(
                key_line(yaml, "groups"),
                "`groups` only applies to `visibility: restricted`; remove it or make the runbook restricted",
            ));
        }
        Some("restricted") if groups.is_empty() => {
            return Err(FrontMatterError::at(
                key_line(yaml, "visibility"),
                "`visibility: restricted` needs `groups: [...]` naming who may read it",
            ));
        }
        Some("restricted") => Visibility::Restricted(groups),
        Some(other) => {
            return Err(FrontMatterError::at(
                key_line(yaml, "visibility"),
                format!(
                    "unknown visibility `{other}`: use `internal` (any signed-in user) or `restricted` (with `groups`)"
                ),
            ));
        }
    };
    let last_reviewed = match raw.last_reviewed {
        None => return Err(missing("last_reviewed", "2026-09-14")),
        Some(value) => {
            let text = match value {
                serde_yaml_ng::Value::String(s) => s,
                other => serde_yaml_ng::to_string(&other)
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            };
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
                FrontMatterError::at(
                    key_line(yaml, "last_reviewed"),
                    format!(
                        "`last_reviewed: {text}` is not a date: use YYYY-MM-DD, like 2026-09-14"
                    ),
                )
            })?
        }
    };
    Ok(FrontMatter {
        title,
        service,
        owners,
        tags,
        alerts,
        visibility,
        last_reviewed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "---\ntitle: T\nservice: checkout-api\nowners: [team-payments]\ntags: [Latency]\nalerts: [CheckoutApiHighLatency]\nvisibility: internal\nlast_reviewed: 2026-09-14\n---\n# T\nbody\n";

    #[test]
    fn a_complete_front_matter_parses() {
        let (fm, body, line) = split(GOOD).expect("valid");
        assert_eq!(fm.service.as_ref(), "checkout-api");
        assert_eq!(fm.tags, vec!["latency"]);
        assert_eq!(fm.visibility, Visibility::Internal);
        assert_eq!(body, "# T\nbody\n");
        assert_eq!(line, 10);
    }

    #[test]
    fn deep_nesting_and_huge_front_matter_are_refused_before_the_yaml_parser() {
        let deep = GOOD.replace("tags: [Latency]", &format!("tags: {}", "[".repeat(20_000)));
        let err = split(&deep).unwrap_err();
        assert_eq!(err.line, Some(5));
        assert!(
            err.reason.contains("nested deeper than 16"),
            "{}",
            err.reason
        );
        let nested_ok = GOOD.replace("tags: [Latency]", "tags: [[a], {b: [c]}]");
        assert!(
            !split(&nested_ok)
                .err()
                .is_some_and(|e| e.reason.contains("nested")),
            "shallow nesting reaches the parser"
        );
        let huge = GOOD.replace("title: T", &format!("title: {}", "x".repeat(70_000)));
        let err = split(&huge).unwrap_err();
        assert!(err.reason.contains("at most 64 KB"), "{}", err.reason);
    }

    #[test]
    fn restricted_needs_groups() {
        let text = GOOD.replace("visibility: internal", "visibility: restricted");
        let err = split(&text).unwrap_err();
        assert_eq!(err.line, Some(7));
        assert!(err.reason.contains("groups"), "{}", err.reason);
    }

    #[test]
    fn unknown_visibility_names_the_line_and_the_choices() {
        let text = GOOD.replace("visibility: internal", "visibility: secret");
        let err = split(&text).unwrap_err();
        assert_eq!(err.line, Some(7));
        assert!(err.reason.contains("unknown visibility `secret`"));
    }

    #[test]
    fn missing_fields_are_named() {
        let text = GOOD.replace("service: checkout-api\n", "");
        assert!(split(&text).unwrap_err().reason.contains("`service`"));
    }

    #[test]
    fn a_typo_in_a_key_is_rejected_not_ignored() {
        let text = GOOD.replace("visibility:", "visiblity:");
        let err = split(&text).unwrap_err();
        assert!(err.reason.contains("visiblity"), "{}", err.reason);
    }

    #[test]
    fn broken_yaml_reports_its_line() {
        let text = GOOD.replace("tags: [Latency]", "tags: [Latency");
        let err = split(&text).unwrap_err();
        assert!(err.line.is_some());
        assert!(err.reason.starts_with("invalid front matter"));
    }

    #[test]
    fn no_front_matter_is_reported_on_line_one() {
        let err = split("# Just markdown\n").unwrap_err();
        assert_eq!(err.line, Some(1));
    }

    #[test]
    fn bad_dates_are_explained() {
        let text = GOOD.replace("2026-09-14", "14/09/2026");
        let err = split(&text).unwrap_err();
        assert_eq!(err.line, Some(8));
        assert!(err.reason.contains("YYYY-MM-DD"));
    }
}
