//! What deployment notes say, sorted by kind: changes, configuration, migrations, alerts,
//! feature flags, rollback steps and known issues. Reads Markdown headings (`## Rollback`)
//! and plain-text labels (`Rollback:`); bullets and paragraphs under them become items.
//! Works on sanitized text only.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::runbooks::names::AlertName;

/// The kinds of facts that a runbook should follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Changes,
    Configuration,
    Migrations,
    Alerts,
    Flags,
    Rollback,
    KnownIssues,
}

impl Kind {
    /// Changes to these leave a runbook drifting until someone reviews it.
    pub fn drifts(self) -> bool {
        matches!(self, Kind::Configuration | Kind::Alerts | Kind::Rollback)
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Changes => "changes",
            Kind::Configuration => "configuration",
            Kind::Migrations => "migrations",
            Kind::Alerts => "alerts",
            Kind::Flags => "feature flags",
            Kind::Rollback => "rollback",
            Kind::KnownIssues => "known issues",
        }
    }

    /// The kind a heading or label names, if any.
    fn of_heading(heading: &str) -> Option<Kind> {
        let h = heading.to_ascii_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
        Some(if has(&["rollback", "roll back", "revert"]) {
            Kind::Rollback
        } else if has(&["alert", "alarm", "monitor"]) {
            Kind::Alerts
        } else if has(&["config", "setting", "environment variable", "env var"]) {
            Kind::Configuration
        } else if has(&["migration", "schema"]) {
            Kind::Migrations
        } else if has(&["flag", "toggle"]) {
            Kind::Flags
        } else if has(&["known issue", "caveat", "limitation", "issues"]) {
            Kind::KnownIssues
        } else if has(&[
            "change",
            "what's new",
            "summary",
            "release",
            "highlights",
            "fixes",
        ]) {
            Kind::Changes
        } else {
            return None;
        })
    }
}

/// An alert the notes add or change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertFact {
    pub name: AlertName,
    /// The whole item, name included.
    pub text: String,
}

/// Everything drafting needs from one deployment's notes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub changes: Vec<String>,
    pub configuration: Vec<String>,
    pub migrations: Vec<String>,
    pub alerts: Vec<AlertFact>,
    pub flags: Vec<String>,
    pub rollback: Vec<String>,
    pub known_issues: Vec<String>,
}

impl Facts {
    /// The kinds present, in a fixed order.
    pub fn kinds(&self) -> Vec<Kind> {
        [
            (Kind::Changes, self.changes.is_empty()),
            (Kind::Configuration, self.configuration.is_empty()),
            (Kind::Migrations, self.migrations.is_empty()),
            (Kind::Alerts, self.alerts.is_empty()),
            (Kind::Flags, self.flags.is_empty()),
            (Kind::Rollback, self.rollback.is_empty()),
            (Kind::KnownIssues, self.known_issues.is_empty()),
        ]
        .into_iter()
        .filter_map(|(k, empty)| (!empty).then_some(k))
        .collect()
    }

    /// The kinds that make a runbook drift.
    pub fn drift_kinds(&self) -> Vec<Kind> {
        self.kinds().into_iter().filter(|k| k.drifts()).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.kinds().is_empty()
    }

    fn push(&mut self, kind: Kind, item: String) {
        match kind {
            Kind::Changes => self.changes.push(item),
            Kind::Configuration => self.configuration.push(item),
            Kind::Migrations => self.migrations.push(item),
            Kind::Flags => self.flags.push(item),
            Kind::Rollback => self.rollback.push(item),
            Kind::KnownIssues => self.known_issues.push(item),
            Kind::Alerts => match alert_in(&item) {
                Some(name) => self.alerts.push(AlertFact { name, text: item }),
                // An alert item without a recognisable name is still a change worth noting.
                None => self.changes.push(item),
            },
        }
    }
}

/// The longest item kept; longer ones are cut with an ellipsis.
const MAX_ITEM: usize = 600;
/// The most items kept per kind.
const MAX_ITEMS: usize = 30;

static BULLET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+(.*)$").expect("valid regex"));
static HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$").expect("valid regex"));
/// `Rollback:` or `**Rollback**` alone on a line.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s{0,3}(?:([A-Za-z][A-Za-z '/-]{1,40}?):|(?:\*\*|__)([A-Za-z][A-Za-z '/-]{1,40}?):?(?:\*\*|__):?)\s*$")
        .expect("valid regex")
});
/// `CheckoutApiErrorBudgetBurn`: two or more capitalised words run together.
static CAMEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+\b").expect("valid regex"));
static BACKTICKED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"`([A-Za-z][A-Za-z0-9_:]*)`").expect("valid regex"));
/// The `Service: x` header lines that the intake already read.
const HEADER_KEYS: [&str; 8] = [
    "service",
    "environment",
    "env",
    "version",
    "commit",
    "deployed by",
    "deployed_by",
    "time",
];

/// The alert an item names: a backticked name, else the first CamelCase word.
pub fn alert_in(item: &str) -> Option<AlertName> {
    BACKTICKED
        .captures_iter(item)
        .filter_map(|c| AlertName::parse(&c[1]).ok())
        .find(|a| a.as_ref().chars().skip(1).any(|c| c.is_ascii_uppercase()))
        .or_else(|| {
            CAMEL
                .find_iter(item)
                .find_map(|m| AlertName::parse(m.as_str()).ok())
        })
}

fn is_header_line(line: &str) -> bool {
    line.split_once(':').is_some_and(|(k, v)| {
        !v.trim().is_empty()
            && HEADER_KEYS.contains(
                &k.trim()
                    .trim_start_matches(['#', '-', '*', ' '])
                    .to_ascii_lowercase()
                    .as_str(),
            )
    })
}

fn clip(item: &str) -> String {
    let item = item.split_whitespace().collect::<Vec<_>>().join(" ");
    if item.len() <= MAX_ITEM {
        return item;
    }
    let mut end = MAX_ITEM;
    while !item.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &item[..end])
}

/// Reads the facts out of sanitized notes. Text before any heading counts as changes.
pub fn extract(body: &str) -> Facts {
    let mut facts = Facts::default();
    let mut kind = Some(Kind::Changes);
    let mut item: Option<String> = None;
    let mut in_code = false;
    let flush = |facts: &mut Facts, kind: Option<Kind>, item: &mut Option<String>| {
        if let (Some(k), Some(text)) = (kind, item.take()) {
            let text = clip(&text);
            if !text.is_empty() && facts_len(facts, k) < MAX_ITEMS {
                facts.push(k, text);
            }
        }
    };
    for line in body.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
            // Code (a rollback command, a config snippet) stays part of the item.
            if let Some(text) = item.as_mut() {
                text.push(' ');
                text.push_str(trimmed);
            }
            continue;
        }
        if in_code {
            match item.as_mut() {
                Some(text) => {
                    text.push(' ');
                    text.push_str(trimmed);
                }
                None => item = Some(trimmed.to_string()),
            }
            continue;
        }
        if trimmed.is_empty() {
            flush(&mut facts, kind, &mut item);
            continue;
        }
        if is_header_line(trimmed) {
            flush(&mut facts, kind, &mut item);
            continue;
        }
        // A Markdown heading always starts a section (ignored when it names no kind); a
        // plain `Label:` line only when it names a kind, since `Run:` may be part of a step.
        let heading = match HEADING.captures(line) {
            Some(c) => Some(Kind::of_heading(&c[1])),
            None => LABEL
                .captures(line)
                .and_then(|c| c.get(1).or_else(|| c.get(2)))
                .and_then(|m| Kind::of_heading(m.as_str()))
                .map(Some),
        };
        if let Some(next) = heading {
            flush(&mut facts, kind, &mut item);
            kind = next;
            continue;
        }
        if let Some(c) = BULLET.captures(line) {
            flush(&mut facts, kind, &mut item);
            item = Some(c[1].trim().to_string());
            continue;
        }
        match item.as_mut() {
            Some(text) => {
                text.push(' ');
                text.push_str(trimmed);
            }
            None => item = Some(trimmed.to_string()),
        }
    }
    flush(&mut facts, kind, &mut item);
    facts
}

fn facts_len(facts: &Facts, kind: Kind) -> usize {
    match kind {
        Kind::Changes => facts.changes.len(),
        Kind::Configuration => facts.configuration.len(),
        Kind::Migrations => facts.migrations.len(),
        Kind::Alerts => facts.alerts.len(),
        Kind::Flags => facts.flags.len(),
        Kind::Rollback => facts.rollback.len(),
        Kind::KnownIssues => facts.known_issues.len(),
    }
}

/// Every alert name the text mentions (to find runbooks that list them).
pub fn mentioned_alerts(body: &str) -> Vec<AlertName> {
    let mut names: Vec<AlertName> = BACKTICKED
        .captures_iter(body)
        .filter_map(|c| AlertName::parse(&c[1]).ok())
        .chain(
            CAMEL
                .find_iter(body)
                .filter_map(|m| AlertName::parse(m.as_str()).ok()),
        )
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTES: &str = "Service: checkout-api\nVersion: v2.14.0\n\n## Changes\n- Retry budget for the card processor raised to 3\n- New `/v2/quote` endpoint\n\n## Configuration\n- `CHECKOUT_POOL_SIZE` now defaults to 40\n  (was 20)\n\n## Alerts\n- New alert `CheckoutApiErrorBudgetBurn`: fires when 2% of the monthly budget burns in 1 h\n\nRollback:\n1. `kubectl rollout undo deploy/checkout-api`\n2. Run `migrate down 0042`\n\n## Known issues\nQuotes can be slow for the first minute after a deploy.\n";

    #[test]
    fn notes_are_sorted_by_kind() {
        let f = extract(NOTES);
        assert_eq!(
            f.changes,
            vec![
                "Retry budget for the card processor raised to 3",
                "New `/v2/quote` endpoint"
            ]
        );
        assert_eq!(
            f.configuration,
            vec!["`CHECKOUT_POOL_SIZE` now defaults to 40 (was 20)"]
        );
        assert_eq!(f.alerts.len(), 1);
        assert_eq!(f.alerts[0].name.as_ref(), "CheckoutApiErrorBudgetBurn");
        assert_eq!(f.rollback.len(), 2);
        assert!(f.rollback[1].contains("migrate down 0042"));
        assert_eq!(
            f.known_issues,
            vec!["Quotes can be slow for the first minute after a deploy."]
        );
        assert_eq!(
            f.drift_kinds(),
            vec![Kind::Configuration, Kind::Alerts, Kind::Rollback]
        );
    }

    #[test]
    fn plain_text_without_headings_is_a_list_of_changes() {
        let f = extract("Bumped tokio.\n\nFixed the retry loop.");
        assert_eq!(f.changes, vec!["Bumped tokio.", "Fixed the retry loop."]);
        assert!(f.drift_kinds().is_empty());
    }

    #[test]
    fn unknown_sections_are_ignored_and_code_stays_with_its_item() {
        let f = extract(
            "## Contributors\n- ada\n## Rollback\n- Run:\n```\nhelm rollback checkout 41\n```\n",
        );
        assert!(f.changes.is_empty());
        assert_eq!(f.rollback, vec!["Run: ``` helm rollback checkout 41 ```"]);
    }

    #[test]
    fn alert_names_are_found_in_backticks_or_camel_case() {
        assert_eq!(
            alert_in("Raised threshold of CheckoutApiHighLatency to 2s").map(|a| a.to_string()),
            Some("CheckoutApiHighLatency".into())
        );
        assert_eq!(alert_in("no alert here"), None);
        assert!(
            mentioned_alerts("see `PaymentsDown` and CheckoutApiP99Slow")
                .iter()
                .any(|a| a.as_ref() == "CheckoutApiP99Slow")
        );
    }
}
