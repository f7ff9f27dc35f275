//! Runbook drafts for their reviewers: the queue, one draft, decisions, and marking a
//! runbook reviewed. The caller becomes a [`Reviewer`] once; a draft of a runbook they may
//! not read or do not own does not exist for them.

use std::collections::BTreeMap;
use std::sync::Arc;

use app::error::PortalError;

use super::internal;
use crate::access::{Denied, Guard, Principal};
use crate::auth::Identity;
use crate::auth::authz::{Action, Resource, can};
use crate::drafts::drift::{self, Drift};
use crate::drafts::review::DraftDesk;
use crate::entities::{deployment, draft};
use crate::runbooks::RunbookLibrary;
use crate::runbooks::catalog::Runbook;

/// Someone allowed to review drafts at all. Only [`Drafts::reviewer`] makes one.
pub struct Reviewer<'a> {
    principal: &'a Principal,
    who: &'a Identity,
}

impl Reviewer<'_> {
    pub fn subject(&self) -> &str {
        &self.who.subject
    }

    /// Whether they own this runbook (may review its drafts and mark it reviewed).
    pub fn owns(&self, rb: &Runbook) -> bool {
        can(
            Some(self.who),
            Action::ReviewDrafts,
            Resource::OwnedBy(&rb.meta.owners),
        )
    }

    /// Whether they may read this runbook.
    pub fn reads(&self, rb: &Runbook) -> bool {
        can(
            Some(self.who),
            Action::ReadRunbooks,
            Resource::Runbook(&rb.meta.visibility),
        )
    }
}

/// What a reviewer decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict<'a> {
    /// Accept, with the reviewer's edit of the text if they made one.
    Accept(Option<&'a str>),
    Reject(&'a str),
    /// Ask the drafter for a fresh draft from the same notes.
    Redraft,
}

impl<'a> Verdict<'a> {
    /// The decision as the form sends it; the message says what is accepted.
    pub fn parse(
        decision: &str,
        text: Option<&'a str>,
        reason: Option<&'a str>,
    ) -> Result<Self, PortalError> {
        match decision {
            "accept" if text.is_some_and(|t| t.trim().is_empty()) => Err(PortalError::BadRequest(
                "the proposed runbook is empty: undo the edit (reload the page) or reject the draft"
                    .into(),
            )),
            "accept" => Ok(Verdict::Accept(text)),
            "reject" => Ok(Verdict::Reject(reason.unwrap_or(""))),
            "redraft" => Ok(Verdict::Redraft),
            other => Err(PortalError::BadRequest(format!(
                "unknown decision `{other}`: use accept, reject or redraft"
            ))),
        }
    }
}

/// The drafts use cases, the only way in for the pages.
#[derive(Clone)]
pub struct Drafts {
    desk: Arc<DraftDesk>,
    library: Arc<RunbookLibrary>,
    guard: Guard,
}

impl Drafts {
    pub fn new(desk: Arc<DraftDesk>, library: Arc<RunbookLibrary>, guard: Guard) -> Self {
        Self {
            desk,
            library,
            guard,
        }
    }

    pub fn desk(&self) -> &DraftDesk {
        &self.desk
    }

    /// The caller as a reviewer, or why they may not review (audited like every refusal).
    pub async fn reviewer<'a>(&self, principal: &'a Principal) -> Result<Reviewer<'a>, Denied> {
        let who = self
            .guard
            .require(principal, Action::ReviewDrafts, Resource::Portal, "drafts")
            .await?;
        Ok(Reviewer { principal, who })
    }

    /// Whether the reviewer may see this draft: they may read its runbook and own it.
    fn visible(&self, reviewer: &Reviewer<'_>, d: &draft::Model) -> bool {
        let who = Some(reviewer.who);
        let readable = match self.library.catalog().get(&d.stem) {
            Some(rb) => reviewer.reads(rb),
            // A new runbook is drafted internal.
            None if d.is_new => can(who, Action::ReadRunbooks, Resource::Portal),
            // A runbook gone since: its visibility is unknown, so only admins see its text.
            None => reviewer.who.roles.admin,
        };
        readable
            && can(
                who,
                Action::ReviewDrafts,
                Resource::OwnedBy(&self.desk.owners_now(d)),
            )
    }

    /// The pending drafts this reviewer may see, oldest first.
    pub async fn pending(&self, reviewer: &Reviewer<'_>) -> Result<Vec<draft::Model>, PortalError> {
        Ok(self
            .desk
            .pending()
            .await
            .map_err(|e| internal("listing drafts", e))?
            .into_iter()
            .filter(|d| self.visible(reviewer, d))
            .collect())
    }

    /// One draft the reviewer may see. An owner of other runbooks asking for this one is
    /// recorded as a denial, then told "not found".
    pub async fn find(
        &self,
        reviewer: &Reviewer<'_>,
        id: &str,
    ) -> Result<draft::Model, PortalError> {
        let d = self
            .desk
            .find(id)
            .await
            .map_err(|e| internal("reading a draft", e))?
            .ok_or(PortalError::NotFound)?;
        if !self.visible(reviewer, &d) {
            let owners = self.desk.owners_now(&d);
            let _ = self
                .guard
                .require(
                    reviewer.principal,
                    Action::ReviewDrafts,
                    Resource::OwnedBy(&owners),
                    &format!("draft:{id}"),
                )
                .await;
            return Err(PortalError::NotFound);
        }
        Ok(d)
    }

    /// The deployment notes a draft the reviewer sees was made from (gone if deleted since).
    pub async fn notes_of(
        &self,
        _reviewer: &Reviewer<'_>,
        d: &draft::Model,
    ) -> Result<Option<deployment::Model>, PortalError> {
        crate::deployments::find(self.guard.db(), &d.deployment_id)
            .await
            .map_err(|e| internal("reading a deployment", e))
    }

    /// Accepts, rejects or redrafts a draft the reviewer may see.
    pub async fn decide(
        &self,
        reviewer: Reviewer<'_>,
        id: &str,
        verdict: Verdict<'_>,
    ) -> Result<(), PortalError> {
        let d = self.find(&reviewer, id).await?;
        let (who, origin) = (reviewer.who, &reviewer.principal.origin);
        match verdict {
            Verdict::Accept(text) => {
                self.desk.accept(who, origin, &d.id, text).await?;
            }
            Verdict::Reject(reason) => self.desk.reject(who, origin, &d.id, reason).await?,
            Verdict::Redraft => self.desk.redraft(who, origin, &d.id).await?,
        }
        Ok(())
    }

    /// Marks a runbook reviewed today; for its owners, who must be able to read it.
    pub async fn mark_reviewed(
        &self,
        principal: &Principal,
        rb: &Runbook,
    ) -> Result<(), PortalError> {
        let who = self
            .guard
            .require(
                principal,
                Action::ReviewDrafts,
                Resource::OwnedBy(&rb.meta.owners),
                &format!("runbook:{}", rb.stem),
            )
            .await?;
        self.desk
            .mark_reviewed(who, &principal.origin, rb.stem.as_ref())
            .await?;
        Ok(())
    }

    /// Runbooks whose service changed since their last review, by stem. Drift is a hint:
    /// a failure to compute it is logged and shows as none.
    pub async fn drift(&self) -> BTreeMap<String, Drift> {
        drift::drifting(self.guard.db(), &self.library.catalog())
            .await
            .unwrap_or_else(|e| {
                tracing::warn!(error = %e, "computing runbook drift failed");
                BTreeMap::new()
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verdict_is_read_from_the_forms_words() {
        assert_eq!(
            Verdict::parse("accept", Some("# Edited"), None).unwrap(),
            Verdict::Accept(Some("# Edited"))
        );
        assert_eq!(
            Verdict::parse("reject", None, Some("stale")).unwrap(),
            Verdict::Reject("stale")
        );
        assert_eq!(
            Verdict::parse("redraft", None, None).unwrap(),
            Verdict::Redraft
        );
    }

    #[test]
    fn an_emptied_proposal_or_an_unknown_word_is_refused_with_what_to_do() {
        let Err(PortalError::BadRequest(empty)) = Verdict::parse("accept", Some("  \n"), None)
        else {
            panic!("an empty edit must be refused");
        };
        assert!(empty.contains("reject the draft"), "{empty}");
        let Err(PortalError::BadRequest(unknown)) = Verdict::parse("merge", None, None) else {
            panic!("an unknown decision must be refused");
        };
        assert!(unknown.contains("accept, reject or redraft"), "{unknown}");
    }
}
