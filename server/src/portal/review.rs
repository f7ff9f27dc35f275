//! The review side of the portal: the owners' queue, a draft's page and decisions, runbook
//! history and drift. Every method checks the caller first.

use std::collections::BTreeSet;

use app::dto::{
    DiffLine, DraftDecision, DraftSummary, DraftView, DriftInfo, DriftItem, HistoryPage,
    ReviewQueue, RevisionView,
};
use app::error::PortalError;
use app::port::Caller;

use super::drafts::Verdict;
use super::{PortalService, internal, principal_of};
use crate::drafts::DraftStatus;
use crate::drafts::diff;
use crate::drafts::drift::Drift;
use crate::drafts::review::ReviewError;
use crate::runbooks::catalog::Runbook;
use crate::runbooks::names::RunbookStem;

/// Lines of context around each change in a diff.
const CONTEXT: usize = 3;

fn when(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn diff_view(old: &str, new: &str) -> Vec<DiffLine> {
    diff::lines(old, new, CONTEXT)
        .into_iter()
        .map(|l| DiffLine {
            kind: l.change.name().into(),
            text: l.text,
            old: l.old,
            new: l.new,
        })
        .collect()
}

fn drift_info(d: &Drift) -> DriftInfo {
    DriftInfo {
        kinds: d.kinds.clone(),
        since: when(d.since),
    }
}

impl From<ReviewError> for PortalError {
    fn from(err: ReviewError) -> Self {
        match err {
            ReviewError::NotFound => PortalError::NotFound,
            ReviewError::OwnSubmission => PortalError::Refused(err.to_string()),
            ReviewError::NotPending(_) | ReviewError::Conflict => {
                PortalError::Conflict(err.to_string())
            }
            ReviewError::Invalid(_) => PortalError::BadRequest(err.to_string()),
            ReviewError::Io(e) => internal("writing a runbook", e),
            ReviewError::Database(e) => internal("reviewing a draft", e),
        }
    }
}

impl PortalService {
    pub(super) async fn drifting_stems(&self) -> BTreeSet<String> {
        self.drafts.drift().await.into_keys().collect()
    }

    pub(super) async fn drift_of(&self, stem: &str) -> Option<DriftInfo> {
        self.drafts.drift().await.get(stem).map(drift_info)
    }

    pub(super) async fn queue(&self, caller: &Caller) -> Result<ReviewQueue, PortalError> {
        let principal = principal_of(caller);
        let reviewer = self.drafts.reviewer(&principal).await?;
        let catalog = self.library.catalog();
        let desk = self.drafts.desk();
        let mut drafts = Vec::new();
        for d in self.drafts.pending(&reviewer).await? {
            let summary = d.summary().map_err(|e| internal("reading a draft", e))?;
            drafts.push(DraftSummary {
                title: catalog
                    .get(&d.stem)
                    .map(|rb| rb.meta.title.clone())
                    .unwrap_or_else(|| format!("New runbook: {}", d.stem)),
                conflicted: desk.conflicted(&d),
                summary,
                created_at: when(d.created_at),
                id: d.id,
                runbook: d.stem,
                service: d.service,
                is_new: d.is_new,
            });
        }
        let drifting = self
            .drafts
            .drift()
            .await
            .into_iter()
            .filter_map(|(stem, drift)| {
                let rb = catalog.get(&stem)?;
                (reviewer.reads(rb) && reviewer.owns(rb)).then(|| DriftItem {
                    runbook: stem,
                    title: rb.meta.title.clone(),
                    drift: drift_info(&drift),
                })
            })
            .collect();
        Ok(ReviewQueue { drafts, drifting })
    }

    pub(super) async fn draft_view(
        &self,
        caller: &Caller,
        id: &str,
    ) -> Result<DraftView, PortalError> {
        let principal = principal_of(caller);
        let reviewer = self.drafts.reviewer(&principal).await?;
        let d = self.drafts.find(&reviewer, id).await?;
        let desk = self.drafts.desk();
        let notes = self.drafts.notes_of(&reviewer, &d).await?;
        let subject = reviewer.subject();
        let base = d.base_text.clone().unwrap_or_default();
        let conflict = (d.status == DraftStatus::Pending && desk.conflicted(&d))
            .then(|| diff_view(&base, &desk.current_text(&d).unwrap_or_default()));
        let preview_html = RunbookStem::parse(&d.stem)
            .map_err(|e| e.to_string())
            .and_then(|stem| {
                Runbook::parse(stem, &format!("{}.md", d.stem), &d.proposed).map_err(|p| {
                    match p.line {
                        Some(line) => format!("line {line}: {}", p.reason),
                        None => p.reason,
                    }
                })
            })
            .map(|rb| rb.html);
        let title = self
            .library
            .catalog()
            .get(&d.stem)
            .map(|rb| rb.meta.title.clone())
            .unwrap_or_else(|| format!("New runbook: {}", d.stem));
        let deployment_label = notes
            .as_ref()
            .map(|n| {
                format!(
                    "{} {} {}",
                    n.service,
                    n.version.clone().unwrap_or_default(),
                    n.environment
                        .as_ref()
                        .map(|e| format!("to {e}"))
                        .unwrap_or_default()
                )
                .trim()
                .to_string()
            })
            .unwrap_or_else(|| d.deployment_id.clone());
        Ok(DraftView {
            diff: diff_view(&base, &d.proposed),
            own_submission: notes.as_ref().is_some_and(|n| n.submitted_by == subject),
            submitted_by: notes.map(|n| n.submitted_by).unwrap_or_default(),
            owners: desk.owners_now(&d).iter().map(|g| g.to_string()).collect(),
            summary: d.summary().map_err(|e| internal("reading a draft", e))?,
            base: d
                .base_hash
                .as_ref()
                .map(|h| h[..h.len().min(12)].to_string()),
            created_at: when(d.created_at),
            decided_at: d.decided_at.map(when),
            preview_html,
            conflict,
            title,
            deployment_label,
            id: d.id,
            runbook: d.stem,
            service: d.service,
            is_new: d.is_new,
            status: d.status.to_string(),
            deployment_id: d.deployment_id,
            drafter: d.drafter,
            model: d.model,
            drafter_note: d.drafter_note,
            sanitizer_version: d.sanitizer_version,
            decided_by: d.decided_by,
            reason: d.reason,
            revision: d.revision_seq,
            proposed: d.proposed,
        })
    }

    pub(super) async fn decide(
        &self,
        caller: &Caller,
        decision: DraftDecision,
    ) -> Result<(), PortalError> {
        let principal = principal_of(caller);
        let reviewer = self.drafts.reviewer(&principal).await?;
        let verdict = Verdict::parse(
            &decision.decision,
            decision.text.as_deref(),
            decision.reason.as_deref(),
        )?;
        self.drafts.decide(reviewer, &decision.id, verdict).await
    }

    pub(super) async fn history(
        &self,
        caller: &Caller,
        stem: &str,
    ) -> Result<HistoryPage, PortalError> {
        let principal = principal_of(caller);
        let reader = self.runbooks.reader(&principal).await?;
        let (rb, revisions) = self.runbooks.history(&reader, stem).await?;
        let revisions = revisions
            .into_iter()
            .map(|r| RevisionView {
                diff: diff_view(r.previous_text.as_deref().unwrap_or(""), &r.content),
                seq: r.seq,
                accepted_by: r.author_name,
                at: when(r.created_at),
                message: r.message,
                deployment_id: r.deployment_id,
                draft_id: r.draft_id,
            })
            .collect();
        Ok(HistoryPage {
            runbook: rb.stem.to_string(),
            title: rb.meta.title.clone(),
            revisions,
        })
    }

    pub(super) async fn reviewed(&self, caller: &Caller, stem: &str) -> Result<(), PortalError> {
        let principal = principal_of(caller);
        let reader = self.runbooks.reader(&principal).await?;
        let rb = self.runbooks.open(&reader, stem).await?;
        self.drafts.mark_reviewed(&principal, &rb).await
    }
}
