//! The review side of the portal: the owners' queue, a draft's page and decisions, runbook
//! history and drift. Every method checks the caller first.

use std::collections::{BTreeMap, BTreeSet};

use app::dto::{
    DiffLine, DraftDecision, DraftSummary, DraftView, DriftInfo, DriftItem, HistoryPage,
    ReviewQueue, RevisionView,
};
use app::error::PortalError;
use app::port::Caller;

use super::{PortalService, internal, principal_of};
use crate::auth::authz::{Action, Resource, can};
use crate::drafts::diff;
use crate::drafts::drift::{self, Drift};
use crate::drafts::review::ReviewError;
use crate::drafts::{DraftStatus, revisions};
use crate::entities::draft;
use crate::runbooks::catalog::Runbook;
use crate::runbooks::front_matter::Visibility;
use crate::runbooks::names::{GroupName, RunbookStem};

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
    /// Whether the caller owns something with these owners (without recording a denial).
    pub(super) fn owns(&self, caller: &Caller, owners: &[GroupName]) -> bool {
        can(
            principal_of(caller).who.as_ref(),
            Action::ReviewDrafts,
            Resource::OwnedBy(owners),
        )
    }

    /// Whether the caller may read a runbook with this visibility (no denial recorded).
    pub(super) fn can_read(&self, caller: &Caller, visibility: &Visibility) -> bool {
        can(
            principal_of(caller).who.as_ref(),
            Action::ReadRunbooks,
            Resource::Runbook(visibility),
        )
    }

    async fn drift_map(&self) -> BTreeMap<String, Drift> {
        drift::drifting(self.guard.db(), &self.library.catalog())
            .await
            .unwrap_or_else(|e| {
                // Drift is a hint: a failure must not take search down with it.
                tracing::warn!(error = %e, "computing runbook drift failed");
                BTreeMap::new()
            })
    }

    pub(super) async fn drifting_stems(&self) -> BTreeSet<String> {
        self.drift_map().await.into_keys().collect()
    }

    pub(super) async fn drift_of(&self, stem: &str) -> Option<DriftInfo> {
        self.drift_map().await.get(stem).map(drift_info)
    }

    /// The runbook a draft is about, if it exists and the caller may read it; `Err` when the
    /// draft must stay hidden from them.
    fn visible_draft(&self, caller: &Caller, d: &draft::Model) -> Result<(), PortalError> {
        let principal = principal_of(caller);
        let who = principal.who.as_ref();
        let catalog = self.library.catalog();
        let readable = match catalog.get(&d.stem) {
            Some(rb) => can(
                who,
                Action::ReadRunbooks,
                Resource::Runbook(&rb.meta.visibility),
            ),
            // A new runbook is drafted internal.
            None if d.is_new => can(who, Action::ReadRunbooks, Resource::Portal),
            // A runbook gone since: its visibility is unknown, so only admins see its text.
            None => who.is_some_and(|w| w.roles.admin),
        };
        if readable && self.owns(caller, &self.drafts.owners_now(d)) {
            Ok(())
        } else {
            Err(PortalError::NotFound)
        }
    }

    /// Checks the caller may review drafts at all (recording a denial when not).
    async fn reviewer(&self, caller: &Caller) -> Result<(), PortalError> {
        let principal = principal_of(caller);
        self.guard
            .require(&principal, Action::ReviewDrafts, Resource::Portal, "drafts")
            .await?;
        Ok(())
    }

    pub(super) async fn queue(&self, caller: &Caller) -> Result<ReviewQueue, PortalError> {
        self.reviewer(caller).await?;
        let catalog = self.library.catalog();
        let pending = self
            .drafts
            .pending()
            .await
            .map_err(|e| internal("listing drafts", e))?;
        let mut drafts = Vec::new();
        for d in pending
            .into_iter()
            .filter(|d| self.visible_draft(caller, d).is_ok())
        {
            let summary = d.summary().map_err(|e| internal("reading a draft", e))?;
            drafts.push(DraftSummary {
                title: catalog
                    .get(&d.stem)
                    .map(|rb| rb.meta.title.clone())
                    .unwrap_or_else(|| format!("New runbook: {}", d.stem)),
                conflicted: self.drafts.conflicted(&d),
                summary,
                created_at: when(d.created_at),
                id: d.id,
                runbook: d.stem,
                service: d.service,
                is_new: d.is_new,
            });
        }
        let drifting = self
            .drift_map()
            .await
            .into_iter()
            .filter_map(|(stem, drift)| {
                let rb = catalog.get(&stem)?;
                let visible = self.can_read(caller, &rb.meta.visibility);
                (visible && self.owns(caller, &rb.meta.owners)).then(|| DriftItem {
                    runbook: stem,
                    title: rb.meta.title.clone(),
                    drift: drift_info(&drift),
                })
            })
            .collect();
        Ok(ReviewQueue { drafts, drifting })
    }

    async fn visible_draft_by_id(
        &self,
        caller: &Caller,
        id: &str,
    ) -> Result<draft::Model, PortalError> {
        self.reviewer(caller).await?;
        let d = self
            .drafts
            .find(id)
            .await
            .map_err(|e| internal("reading a draft", e))?
            .ok_or(PortalError::NotFound)?;
        if let Err(err) = self.visible_draft(caller, &d) {
            // An owner of other runbooks asking for this one: recorded, then "not found".
            let principal = principal_of(caller);
            let owners = self.drafts.owners_now(&d);
            let _ = self
                .guard
                .require(
                    &principal,
                    Action::ReviewDrafts,
                    Resource::OwnedBy(&owners),
                    &format!("draft:{id}"),
                )
                .await;
            return Err(err);
        }
        Ok(d)
    }

    pub(super) async fn draft_view(
        &self,
        caller: &Caller,
        id: &str,
    ) -> Result<DraftView, PortalError> {
        let d = self.visible_draft_by_id(caller, id).await?;
        let notes = crate::deployments::find(self.guard.db(), &d.deployment_id)
            .await
            .map_err(|e| internal("reading a deployment", e))?;
        let subject = principal_of(caller)
            .who
            .map(|w| w.subject)
            .unwrap_or_default();
        let base = d.base_text.clone().unwrap_or_default();
        let conflict = (d.status == DraftStatus::Pending && self.drafts.conflicted(&d))
            .then(|| diff_view(&base, &self.drafts.current_text(&d).unwrap_or_default()));
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
            owners: self
                .drafts
                .owners_now(&d)
                .iter()
                .map(|g| g.to_string())
                .collect(),
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
        let d = self.visible_draft_by_id(caller, &decision.id).await?;
        let principal = principal_of(caller);
        let who = principal.who.as_ref().ok_or(PortalError::Unauthenticated)?;
        let origin = &principal.origin;
        match decision.decision.as_str() {
            "accept" => {
                let text = decision.text.as_deref();
                if text.is_some_and(|t| t.trim().is_empty()) {
                    return Err(PortalError::BadRequest(
                        "the proposed runbook is empty: undo the edit (reload the page) or reject the draft".into(),
                    ));
                }
                self.drafts.accept(who, origin, &d.id, text).await?;
            }
            "reject" => {
                self.drafts
                    .reject(who, origin, &d.id, decision.reason.as_deref().unwrap_or(""))
                    .await?;
            }
            "redraft" => self.drafts.redraft(who, origin, &d.id).await?,
            other => {
                return Err(PortalError::BadRequest(format!(
                    "unknown decision `{other}`: use accept, reject or redraft"
                )));
            }
        }
        Ok(())
    }

    pub(super) async fn history(
        &self,
        caller: &Caller,
        stem: &str,
    ) -> Result<HistoryPage, PortalError> {
        let groups = self.allowed(caller, Action::ReadRunbooks).await?;
        let Some(rb) = self.library.runbook(stem, &groups) else {
            return Err(PortalError::NotFound);
        };
        let revisions = revisions::history(self.guard.db(), stem)
            .await
            .map_err(|e| internal("reading runbook history", e))?
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
        let groups = self.allowed(caller, Action::ReadRunbooks).await?;
        let rb = self
            .library
            .runbook(stem, &groups)
            .ok_or(PortalError::NotFound)?;
        let who = self
            .guard
            .require(
                &principal,
                Action::ReviewDrafts,
                Resource::OwnedBy(&rb.meta.owners),
                &format!("runbook:{stem}"),
            )
            .await?;
        self.drafts
            .mark_reviewed(who, &principal.origin, stem)
            .await?;
        Ok(())
    }
}
