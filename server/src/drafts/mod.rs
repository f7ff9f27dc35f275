//! Runbook drafts from deployment notes. A draft is untrusted text until a person accepts it:
//! made only from sanitized notes ([`facts`], [`deterministic`]), stored with its provenance,
//! reviewed by the runbook's owners ([`review`]), and accepted as a new revision
//! ([`revisions`]) that every replica applies to its runbooks directory.
//! [`drift`] flags runbooks whose service changed what they describe.

pub mod deterministic;
pub mod diff;
pub mod drift;
pub mod edit;
pub mod facts;
pub mod git;
pub mod llm;
pub mod review;
pub mod revisions;
pub mod status;

use std::path::Path;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, DatabaseTransaction, DbErr, Set};

use crate::audit::{AuditLog, Event, Origin};
use crate::auth::Identity;
use crate::entities::{deployment, draft};
use crate::runbooks::catalog::{Catalog, Runbook, content_hash};
use crate::runbooks::names::{GroupName, ServiceName};
use deterministic::Proposal;

pub use status::DraftStatus;

/// A draft about to be stored.
#[derive(Debug, Clone)]
pub struct Planned {
    pub stem: String,
    pub file: String,
    pub is_new: bool,
    pub owners: Vec<GroupName>,
    pub base: Option<(String, String)>,
    pub proposal: Proposal,
    /// Which drafter wrote the proposal, with which model, and why not the preferred one.
    pub drafter: String,
    pub model: Option<String>,
    pub note: Option<String>,
}

impl Planned {
    /// A deterministic draft against an existing runbook's `text`.
    fn deterministic(rb: &Runbook, text: String, proposal: Proposal) -> Self {
        Self {
            stem: rb.stem.to_string(),
            file: rb.file.clone(),
            is_new: false,
            owners: rb.meta.owners.clone(),
            base: Some((content_hash(text.as_bytes()), text)),
            proposal,
            drafter: deterministic::NAME.into(),
            model: None,
            note: None,
        }
    }
}

/// The proposal for one runbook, as [`plan`] makes it: the full update for a runbook of the
/// deployed service or one listing an alert the notes name, a dependency entry for a runbook
/// that only mentions the service. Redrafting after a conflict uses it too.
pub fn proposal_for(rb: &Runbook, text: &str, row: &deployment::Model) -> Proposal {
    let facts = facts::extract(&row.body);
    let d = deployment_of(row);
    if describes(rb, row, &alert_keys(&row.body)) {
        deterministic::update(text, &d, &facts)
    } else {
        deterministic::dependency_update(text, &d, &facts)
            .unwrap_or_else(|| deterministic::update(text, &d, &facts))
    }
}

/// The lower-cased alert names the notes mention.
fn alert_keys(body: &str) -> Vec<String> {
    facts::mentioned_alerts(body)
        .iter()
        .map(|a| a.key())
        .collect()
}

/// Whether a runbook is about what was deployed: its service, or an alert the notes name.
/// Such a runbook gets the full update; one that only mentions the service, a dependency entry.
fn describes(rb: &Runbook, row: &deployment::Model, alert_keys: &[String]) -> bool {
    rb.meta.service.as_ref() == row.service
        || rb.meta.alerts.iter().any(|a| alert_keys.contains(&a.key()))
}

/// The service a runbook text is about: its front matter's, else `fallback` (a new runbook
/// is about the deployed service).
pub fn service_of(text: Option<&str>, fallback: &str) -> String {
    text.and_then(|t| crate::runbooks::front_matter::split(t).ok())
        .map(|(fm, _, _)| fm.service.to_string())
        .unwrap_or_else(|| fallback.to_string())
}

/// The deployment as the drafter sees it.
pub fn deployment_of(row: &deployment::Model) -> deterministic::Deployment<'_> {
    deterministic::Deployment {
        id: &row.id,
        service: &row.service,
        version: row.version.as_deref(),
        environment: row.environment.as_deref(),
        date: row.deployed_at.date_naive(),
    }
}

/// A file name for a new runbook about `service` that no runbook uses yet.
fn free_stem(catalog: &Catalog, dir: &Path, service: &str) -> String {
    (1..)
        .map(|n| {
            if n == 1 {
                service.to_string()
            } else {
                format!("{service}-{n}")
            }
        })
        .find(|stem| {
            !catalog.runbooks.keys().any(|k| k.as_ref() == stem)
                && !dir.join(format!("{stem}.md")).exists()
        })
        .unwrap_or_else(|| service.to_string())
}

/// The drafts a deployment calls for: one per runbook of its service and per runbook that
/// lists an alert it names. A service with no runbook gets a new one, and the few runbooks
/// whose text mentions it hear of its changes. Reads the runbook files.
pub fn plan(
    row: &deployment::Model,
    catalog: &Catalog,
    dir: &Path,
    new_owners: &[GroupName],
) -> Vec<Planned> {
    let facts = facts::extract(&row.body);
    if facts.is_empty() {
        return Vec::new();
    }
    let d = deployment_of(row);
    let mentioned = alert_keys(&row.body);
    let mut planned = Vec::new();
    let mut for_service = false;
    for rb in catalog.runbooks.values() {
        if !describes(rb, row, &mentioned) {
            continue;
        }
        for_service |= rb.meta.service.as_ref() == row.service;
        let text = match std::fs::read_to_string(dir.join(&rb.file)) {
            Ok(text) => text,
            Err(err) => {
                tracing::warn!(file = %rb.file, error = %err, "cannot read a runbook to draft against");
                continue;
            }
        };
        let proposal = deterministic::update(&text, &d, &facts);
        planned.push(Planned::deterministic(rb, text, proposal));
    }
    if !for_service {
        planned.extend(mentioning(row, catalog, dir, &d, &facts, &planned));
    }
    if !for_service && ServiceName::parse(&row.service).is_ok() {
        let stem = free_stem(catalog, dir, &row.service);
        planned.push(Planned {
            file: format!("{stem}.md"),
            stem,
            is_new: true,
            owners: new_owners.to_vec(),
            base: None,
            proposal: deterministic::skeleton(&d, new_owners, &facts),
            drafter: deterministic::NAME.into(),
            model: None,
            note: None,
        });
    }
    planned
}

/// Lets the model-backed drafter rewrite each proposal; keeps the deterministic one, with a
/// note saying why, when the model fails or its answer does not pass the checks.
pub async fn with_model(
    llm: &llm::LlmDrafter,
    sanitizer: &crate::sanitizer::Sanitizer,
    row: &deployment::Model,
    planned: &mut [Planned],
) {
    // All drafts at once: the request waits for the slowest, not for the sum.
    let answers = futures_util::future::join_all(planned.iter().map(|p| {
        let base = p.base.as_ref().map(|(_, t)| t.as_str());
        let service = service_of(base, &row.service);
        async move {
            if let Some(reason) = llm.withheld(base) {
                return Err(llm::LlmError::Withheld(reason));
            }
            llm.draft(
                sanitizer,
                &p.stem,
                &service,
                base,
                &row.body,
                &p.proposal.text,
            )
            .await
        }
    }))
    .await;
    for (p, answer) in planned.iter_mut().zip(answers) {
        match answer {
            Ok(text) => {
                p.proposal.text = text;
                p.proposal.summary.push(format!(
                    "Rewritten by the model {}: read the whole diff",
                    llm.model()
                ));
                p.drafter = llm::NAME.into();
                p.model = Some(llm.model().to_string());
            }
            Err(err) => {
                tracing::warn!(runbook = %p.stem, error = %err, "model drafter failed; using the deterministic draft");
                p.note = Some(format!(
                    "{err}; this draft is the deterministic one ({})",
                    deterministic::NAME
                ));
            }
        }
    }
}

/// Runbooks to tell about a service that has none of its own: found by searching their
/// text for its name, the most mentions first.
const MAX_MENTIONING: usize = 3;

fn mentions(rb: &Runbook, service: &str) -> usize {
    rb.sections
        .iter()
        .flat_map(|s| [s.text.as_str(), s.code.as_str()])
        .map(|text| {
            text.match_indices(service)
                .filter(|(at, _)| {
                    let word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
                    let before = text[..*at].chars().next_back().is_none_or(|c| !word(c));
                    let after = text[at + service.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| !word(c));
                    before && after
                })
                .count()
        })
        .sum()
}

fn mentioning(
    row: &deployment::Model,
    catalog: &Catalog,
    dir: &Path,
    d: &deterministic::Deployment<'_>,
    facts: &facts::Facts,
    already: &[Planned],
) -> Vec<Planned> {
    let mut found: Vec<(usize, &Runbook)> = catalog
        .runbooks
        .values()
        .filter(|rb| !already.iter().any(|p| p.stem == rb.stem.as_ref()))
        .map(|rb| (mentions(rb, &row.service), rb.as_ref()))
        .filter(|(n, _)| *n > 0)
        .collect();
    found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.stem.cmp(&b.1.stem)));
    found
        .into_iter()
        .take(MAX_MENTIONING)
        .filter_map(|(_, rb)| {
            let text = std::fs::read_to_string(dir.join(&rb.file)).ok()?;
            let proposal = deterministic::dependency_update(&text, d, facts)?;
            Some(Planned::deterministic(rb, text, proposal))
        })
        .collect()
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

/// Stores planned drafts with one audit event each, inside the caller's transaction.
pub async fn store(
    txn: &DatabaseTransaction,
    audit: &AuditLog,
    who: &Identity,
    origin: &Origin,
    row: &deployment::Model,
    planned: Vec<Planned>,
) -> Result<Vec<String>, DbErr> {
    let drift: Vec<&str> = facts::extract(&row.body)
        .drift_kinds()
        .into_iter()
        .map(|k| k.label())
        .collect();
    let now = Utc::now();
    let mut ids = Vec::new();
    for p in planned {
        let id = uuid::Uuid::new_v4().to_string();
        let (base_hash, base_text) = p.base.map(|(h, t)| (Some(h), Some(t))).unwrap_or_default();
        draft::ActiveModel {
            id: Set(id.clone()),
            deployment_id: Set(row.id.clone()),
            stem: Set(p.stem.clone()),
            service: Set(row.service.clone()),
            is_new: Set(p.is_new),
            owners: Set(json(&p.owners)),
            base_hash: Set(base_hash.clone()),
            base_text: Set(base_text),
            proposed: Set(p.proposal.text),
            summary: Set(json(&p.proposal.summary)),
            drift_kinds: Set(json(&drift)),
            drafter: Set(p.drafter.clone()),
            model: Set(p.model.clone()),
            drafter_note: Set(p.note.clone()),
            sanitizer_version: Set(row.sanitizer_version.clone()),
            status: Set(DraftStatus::Pending),
            decided_by: Set(None),
            decided_at: Set(None),
            reason: Set(None),
            revision_seq: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(txn)
        .await?;
        let event = Event::new(Some(who), "draft.create", format!("draft:{id}"))
            .origin(origin)
            .details(serde_json::json!({
                "runbook": p.stem,
                "new": p.is_new,
                "deployment": row.id,
                "drafter": p.drafter,
                "model": p.model,
                "base": base_hash,
            }));
        audit.append(txn, &event).await?;
        ids.push(id);
    }
    Ok(ids)
}
