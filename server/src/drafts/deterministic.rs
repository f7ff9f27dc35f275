//! The default drafter: in-process, no network, the same output for the same input. It turns
//! the facts of one deployment into edits a reviewer can read line by line.

use chrono::NaiveDate;

use super::edit;
use super::facts::Facts;
use crate::runbooks::front_matter;
use crate::runbooks::names::{AlertName, GroupName};

/// Recorded as the drafter of each draft it makes.
pub const NAME: &str = "deterministic/1";

/// The deployment a draft is about (sanitized values only).
#[derive(Debug, Clone)]
pub struct Deployment<'a> {
    pub id: &'a str,
    pub service: &'a str,
    pub version: Option<&'a str>,
    pub environment: Option<&'a str>,
    pub date: NaiveDate,
}

impl Deployment<'_> {
    /// `v2.14.0 to production`, or the note's short id when there is no version.
    fn label(&self) -> String {
        let what = self
            .version
            .map(str::to_string)
            .unwrap_or_else(|| format!("deployment {}", short(self.id)));
        match self.environment {
            Some(env) => format!("{what} to {env}"),
            None => what,
        }
    }

    fn version_or_id(&self) -> String {
        self.version
            .map(str::to_string)
            .unwrap_or_else(|| format!("deployment {}", short(self.id)))
    }
}

fn short(id: &str) -> &str {
    &id[..id.len().min(8)]
}

/// A proposed file and what it changes, one line each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub text: String,
    pub summary: Vec<String>,
}

fn recent_changes(h: &str) -> bool {
    h.contains("recent change") || h.contains("changelog") || h.contains("change log")
}
fn rollback(h: &str) -> bool {
    h.contains("rollback") || h.contains("roll back") || h.contains("rolling back")
}
fn alerts(h: &str) -> bool {
    h.starts_with("alert")
}
fn configuration(h: &str) -> bool {
    h.contains("config")
}
fn known_issues(h: &str) -> bool {
    h.contains("known issue")
}

fn bullets(prefix: &str, items: &[String]) -> Vec<String> {
    items.iter().map(|i| format!("- {prefix}{i}")).collect()
}

/// Edits `current` (a whole runbook file) with what the deployment says.
pub fn update(current: &str, d: &Deployment<'_>, facts: &Facts) -> Proposal {
    let existing: Vec<String> = front_matter::split(current)
        .map(|(fm, _, _)| fm.alerts.iter().map(|a| a.key()).collect())
        .unwrap_or_default();
    let mut text = current.to_string();
    let mut summary = Vec::new();
    let label = d.label();

    let mut entry = vec![
        format!("### {}: {label}", d.date),
        String::new(),
        format!("From deployment notes `{}`.", short(d.id)),
        String::new(),
    ];
    entry.extend(bullets("", &facts.changes));
    entry.extend(bullets("Configuration: ", &facts.configuration));
    entry.extend(bullets("Migration: ", &facts.migrations));
    entry.extend(bullets("Feature flag: ", &facts.flags));
    entry.extend(
        facts
            .alerts
            .iter()
            .map(|a| format!("- Alert `{}`: {}", a.name, a.text)),
    );
    entry.extend(bullets("Known issue: ", &facts.known_issues));
    text = edit::prepend_to_section(&text, &recent_changes, "Recent changes", &entry.join("\n"));
    summary.push(format!("Adds a Recent changes entry for {label}"));

    if !facts.rollback.is_empty() {
        let mut block = vec![
            format!(
                "### Rolling back {} (deployed {})",
                d.version_or_id(),
                d.date
            ),
            String::new(),
        ];
        block.extend(
            facts
                .rollback
                .iter()
                .enumerate()
                .map(|(i, step)| format!("{}. {step}", i + 1)),
        );
        text = edit::prepend_to_section(&text, &rollback, "Rollback", &block.join("\n"));
        summary.push(format!(
            "Adds rollback steps for {} ({} step(s))",
            d.version_or_id(),
            facts.rollback.len()
        ));
    }

    let (changed, added): (Vec<_>, Vec<_>) = facts
        .alerts
        .iter()
        .partition(|a| existing.contains(&a.name.key()));
    if !added.is_empty() {
        let names: Vec<AlertName> = added.iter().map(|a| a.name.clone()).collect();
        text = edit::add_alerts(&text, &names);
        for a in &added {
            let block = format!(
                "### {}\n\n{}\n\nAdded in {} ({}).",
                a.name,
                a.text,
                d.version_or_id(),
                d.date
            );
            text = edit::append_to_section(&text, &alerts, "Alerts", &block);
            summary.push(format!(
                "Adds alert {} to the front matter and the Alerts section",
                a.name
            ));
        }
    }
    for a in &changed {
        let line = format!("- {} ({}): {}", d.date, d.version_or_id(), a.text);
        text = edit::append_to_section(&text, &alerts, "Alerts", &line);
        summary.push(format!("Notes a change to alert {}", a.name));
    }

    if !facts.configuration.is_empty() {
        let lines: Vec<String> = facts
            .configuration
            .iter()
            .map(|c| format!("- {c} ({}, {})", d.version_or_id(), d.date))
            .collect();
        text = edit::append_to_section(&text, &configuration, "Configuration", &lines.join("\n"));
        summary.push(format!(
            "Adds {} configuration change(s)",
            facts.configuration.len()
        ));
    }
    if !facts.known_issues.is_empty() {
        let lines: Vec<String> = facts
            .known_issues
            .iter()
            .map(|k| format!("- {k} (since {})", d.version_or_id()))
            .collect();
        text = edit::append_to_section(&text, &known_issues, "Known issues", &lines.join("\n"));
        summary.push(format!("Adds {} known issue(s)", facts.known_issues.len()));
    }
    Proposal { text, summary }
}

/// For a runbook of another service that mentions this one: a Recent changes entry with
/// the changes and known issues only (rollback, alerts and configuration belong to the
/// service's own runbook). `None` when the notes have neither.
pub fn dependency_update(current: &str, d: &Deployment<'_>, facts: &Facts) -> Option<Proposal> {
    if facts.changes.is_empty() && facts.known_issues.is_empty() {
        return None;
    }
    let label = d.label();
    let mut entry = vec![
        format!("### {}: dependency {} {label}", d.date, d.service),
        String::new(),
        format!(
            "`{}` is mentioned in this runbook. From deployment notes `{}`.",
            d.service,
            short(d.id)
        ),
        String::new(),
    ];
    entry.extend(bullets("", &facts.changes));
    entry.extend(bullets("Known issue: ", &facts.known_issues));
    Some(Proposal {
        text: edit::prepend_to_section(
            current,
            &recent_changes,
            "Recent changes",
            &entry.join("\n"),
        ),
        summary: vec![format!(
            "Adds a Recent changes entry: dependency {} deployed {label}",
            d.service
        )],
    })
}

/// A new runbook for a service that has none, filled with what the notes give.
pub fn skeleton(d: &Deployment<'_>, owners: &[GroupName], facts: &Facts) -> Proposal {
    let owners = owners
        .iter()
        .map(|o| o.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let service = d.service;
    let base = format!(
        "---\ntitle: {service} operations\nservice: {service}\nowners: [{owners}]\ntags: []\nalerts: []\nvisibility: internal\nlast_reviewed: {date}\n---\n# {service} operations\n\nDrafted by Gatehouse from the deployment notes of {label}. Nothing here has been checked yet: describe what the service does, who depends on it and how to tell that it is healthy, and set the owners.\n\n## Symptoms\n\n_To be written._\n\n## Diagnosis\n\n_To be written._\n\n## Alerts\n\n## Rollback\n\n## Configuration\n\n## Known issues\n\n## Recent changes\n",
        date = d.date,
        label = d.label(),
    );
    let mut proposal = update(&base, d, facts);
    proposal.summary.insert(
        0,
        format!("New runbook for {service}, from a skeleton (no runbook names this service)"),
    );
    proposal
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drafts::facts;
    use crate::runbooks::catalog::Runbook;
    use crate::runbooks::names::RunbookStem;

    const RB: &str = "---\ntitle: Checkout\nservice: checkout-api\nowners: [team-payments]\nalerts: [CheckoutApiHighLatency]\nvisibility: internal\nlast_reviewed: 2026-09-14\n---\n# Checkout\n\n## Symptoms\n\nSlow.\n\n## Rollback\n\n1. Old step\n";

    fn deployment() -> Deployment<'static> {
        Deployment {
            id: "0123456789abcdef",
            service: "checkout-api",
            version: Some("v2.14.0"),
            environment: Some("production"),
            date: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        }
    }

    const NOTES: &str = "## Changes\n- Faster quotes\n## Configuration\n- `POOL_SIZE` is 40\n## Alerts\n- New `CheckoutApiErrorBudgetBurn`: burn rate over 2%\n- CheckoutApiHighLatency now fires at 2 s\n## Rollback\n1. `kubectl rollout undo deploy/checkout-api`\n## Known issues\n- First minute is slow\n";

    fn parses(text: &str) -> Runbook {
        Runbook::parse(RunbookStem::parse("x").unwrap(), "x.md", text)
            .unwrap_or_else(|e| panic!("{e:?}\n{text}"))
    }

    #[test]
    fn every_kind_of_fact_lands_in_its_place() {
        let p = update(RB, &deployment(), &facts::extract(NOTES));
        let rb = parses(&p.text);
        let alerts: Vec<String> = rb.meta.alerts.iter().map(|a| a.to_string()).collect();
        assert_eq!(
            alerts,
            vec!["CheckoutApiHighLatency", "CheckoutApiErrorBudgetBurn"]
        );
        let headings: Vec<&str> = rb.sections.iter().map(|s| s.heading.as_str()).collect();
        for h in [
            "Symptoms",
            "Rollback",
            "Rolling back v2.14.0 (deployed 2026-11-27)",
            "Recent changes",
            "2026-11-27: v2.14.0 to production",
            "Alerts",
            "CheckoutApiErrorBudgetBurn",
            "Configuration",
            "Known issues",
        ] {
            assert!(headings.contains(&h), "missing {h}: {headings:?}");
        }
        // New rollback steps come before the old ones.
        assert!(p.text.find("rollout undo").unwrap() < p.text.find("Old step").unwrap());
        assert!(p.text.contains("- `POOL_SIZE` is 40 (v2.14.0, 2026-11-27)"));
        assert!(p.text.contains("- First minute is slow (since v2.14.0)"));
        assert!(
            p.summary
                .iter()
                .any(|s| s.contains("Notes a change to alert CheckoutApiHighLatency"))
        );
        assert_eq!(p.summary.len(), 6, "{:?}", p.summary);
    }

    #[test]
    fn drafting_is_deterministic_and_keeps_the_rest_of_the_file() {
        let f = facts::extract(NOTES);
        let a = update(RB, &deployment(), &f);
        assert_eq!(a, update(RB, &deployment(), &f));
        for line in RB.lines().filter(|l| !l.starts_with("alerts:")) {
            assert!(a.text.contains(line), "lost {line}");
        }
    }

    #[test]
    fn a_dependent_runbook_hears_of_changes_only() {
        let f = facts::extract(NOTES);
        let p = dependency_update(RB, &deployment(), &f).expect("a proposal");
        assert!(
            p.text
                .contains("### 2026-11-27: dependency checkout-api v2.14.0 to production")
        );
        assert!(p.text.contains("- Faster quotes"));
        assert!(!p.text.contains("rollout undo"));
        assert!(
            dependency_update(RB, &deployment(), &facts::extract("## Rollback\n- x\n")).is_none()
        );
    }

    #[test]
    fn a_service_without_a_runbook_gets_a_valid_skeleton() {
        let owners = vec![GroupName::parse("gatehouse-admins").unwrap()];
        let p = skeleton(&deployment(), &owners, &facts::extract(NOTES));
        let rb = parses(&p.text);
        assert_eq!(rb.meta.service.as_ref(), "checkout-api");
        assert!(p.summary[0].starts_with("New runbook"));
        assert!(p.text.contains("Rolling back v2.14.0"));
    }
}
