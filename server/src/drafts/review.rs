//! The owners' side of drafts: the queue, accepting (with the reviewer's edits) as a new
//! revision, rejecting with a reason, redrafting after a conflict, and marking a runbook
//! reviewed. Who may review is decided by `auth::authz`; the rules of the work itself
//! (a submitter cannot accept their own draft, nothing is silently overwritten) live here.

use std::sync::Arc;

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::{DraftStatus, deterministic, facts};
use crate::audit::{AuditLog, Event, Origin};
use crate::auth::Identity;
use crate::entities::{deployment, draft, runbook_review};
use crate::runbooks::RunbookLibrary;
use crate::runbooks::catalog::content_hash;
use crate::runbooks::names::GroupName;
use crate::sanitizer::Sanitizer;

mod accept;

/// The longest reason accepted for a rejection.
pub const MAX_REASON: usize = 2000;

#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("no such draft")]
    NotFound,
    #[error("this draft was already {0}; nothing was changed")]
    NotPending(String),
    #[error(
        "you submitted the deployment notes this draft comes from; another owner of the runbook must accept it"
    )]
    OwnSubmission,
    #[error(
        "the runbook changed after this draft was made; review the changes, then redraft it on the current version"
    )]
    Conflict,
    #[error("{}", .0.join("; "))]
    Invalid(Vec<String>),
    #[error("cannot write the runbook file: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// Where drafts are reviewed: the database, the audit log and the runbook files.
pub struct DraftDesk {
    pub db: DatabaseConnection,
    pub audit: AuditLog,
    pub sanitizer: Arc<Sanitizer>,
    pub library: Arc<RunbookLibrary>,
    /// Owners of new runbooks drafted for services that have none.
    pub new_owners: Vec<GroupName>,
    /// One acceptance at a time in this process, so two drafts of one runbook cannot both
    /// pass the conflict check before either file is written.
    accept_lock: tokio::sync::Mutex<()>,
}

/// What an accepted draft became.
#[derive(Debug, Clone)]
pub struct Accepted {
    pub stem: String,
    pub seq: i32,
    /// The git commit, when the runbooks directory is a repository and the commit worked.
    pub commit: Option<String>,
}

/// The owner groups stored with a draft.
pub fn owners_of(d: &draft::Model) -> Vec<GroupName> {
    serde_json::from_str::<Vec<String>>(&d.owners)
        .unwrap_or_default()
        .iter()
        .filter_map(|g| GroupName::parse(g).ok())
        .collect()
}

/// Text as browsers post it (CRLF) becomes the LF the files use.
fn normalize(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    if text.ends_with('\n') {
        text
    } else {
        format!("{text}\n")
    }
}

impl DraftDesk {
    pub fn new(
        db: DatabaseConnection,
        audit: AuditLog,
        sanitizer: Arc<Sanitizer>,
        library: Arc<RunbookLibrary>,
        new_owners: Vec<GroupName>,
    ) -> Self {
        Self {
            db,
            audit,
            sanitizer,
            library,
            new_owners,
            accept_lock: tokio::sync::Mutex::new(()),
        }
    }

    pub async fn find(&self, id: &str) -> Result<Option<draft::Model>, DbErr> {
        draft::Entity::find_by_id(id.to_string())
            .one(&self.db)
            .await
    }

    /// Pending drafts, oldest first (the caller keeps those the reviewer may see).
    pub async fn pending(&self) -> Result<Vec<draft::Model>, DbErr> {
        draft::Entity::find()
            .filter(draft::Column::Status.eq(DraftStatus::Pending))
            .order_by_asc(draft::Column::CreatedAt)
            .limit(500)
            .all(&self.db)
            .await
    }

    /// Drafts made from one deployment's notes.
    pub async fn of_deployment(&self, deployment_id: &str) -> Result<Vec<draft::Model>, DbErr> {
        draft::Entity::find()
            .filter(draft::Column::DeploymentId.eq(deployment_id))
            .order_by_asc(draft::Column::Stem)
            .all(&self.db)
            .await
    }

    /// The current text of the runbook a draft is about, and its hash; `None` when the file
    /// does not exist.
    fn current(&self, file: &str) -> Option<(String, String)> {
        let text = std::fs::read_to_string(self.library.dir().join(file)).ok()?;
        Some((content_hash(text.as_bytes()), text))
    }

    /// The file a draft writes: the runbook's own, or `<stem>.md` for a new one.
    pub fn file_of(&self, d: &draft::Model) -> String {
        self.library
            .catalog()
            .get(&d.stem)
            .map(|rb| rb.file.clone())
            .unwrap_or_else(|| format!("{}.md", d.stem))
    }

    /// Whether the runbook changed since the draft was made.
    pub fn conflicted(&self, d: &draft::Model) -> bool {
        // A new runbook has no base: any file there now is a conflict.
        self.current(&self.file_of(d)).map(|(h, _)| h) != d.base_hash
    }

    /// The runbook's text now (for showing a conflict).
    pub fn current_text(&self, d: &draft::Model) -> Option<String> {
        self.current(&self.file_of(d)).map(|(_, t)| t)
    }

    /// Rejects a draft with the reviewer's reason.
    pub async fn reject(
        &self,
        who: &Identity,
        origin: &Origin,
        id: &str,
        reason: &str,
    ) -> Result<(), ReviewError> {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > MAX_REASON {
            return Err(ReviewError::Invalid(vec![format!(
                "reason: say why the draft is rejected (1 to {MAX_REASON} characters), so the next deployment's notes can do better"
            )]));
        }
        let reason = self.sanitizer.sanitize(reason).text;
        let now = Utc::now();
        let event = Event::new(Some(who), "draft.reject", format!("draft:{id}"))
            .origin(origin)
            .details(serde_json::json!({ "reason": reason }));
        let txn = self.audit.begin(&self.db, &event).await?;
        let closed = decision(id, DraftStatus::Rejected, who, now)
            .col_expr(draft::Column::Reason, Expr::value(reason))
            .exec(&txn)
            .await?;
        if closed.rows_affected != 1 {
            let status = self
                .find(id)
                .await?
                .map(|d| d.status.to_string())
                .ok_or(ReviewError::NotFound)?;
            return Err(ReviewError::NotPending(status));
        }
        txn.commit().await?;
        Ok(())
    }

    /// Drafts the same notes again on the runbook as it is now (after a conflict).
    pub async fn redraft(
        &self,
        who: &Identity,
        origin: &Origin,
        id: &str,
    ) -> Result<(), ReviewError> {
        let _one_at_a_time = self.accept_lock.lock().await;
        self.catch_up().await;
        let d = self.find(id).await?.ok_or(ReviewError::NotFound)?;
        if d.status != DraftStatus::Pending {
            return Err(ReviewError::NotPending(d.status.to_string()));
        }
        let notes = deployment::Entity::find_by_id(d.deployment_id.clone())
            .one(&self.db)
            .await?
            .ok_or(ReviewError::NotFound)?;
        let facts = facts::extract(&notes.body);
        let dep = super::deployment_of(&notes);
        let (base, proposal) = match self.current(&self.file_of(&d)) {
            Some((hash, text)) => {
                let p = match self.library.catalog().get(&d.stem) {
                    Some(rb) => super::proposal_for(rb, &text, &notes),
                    None => deterministic::update(&text, &dep, &facts),
                };
                (Some((hash, text)), p)
            }
            None => (None, deterministic::skeleton(&dep, &owners_of(&d), &facts)),
        };
        let now = Utc::now();
        let event = Event::new(Some(who), "draft.redraft", format!("draft:{id}"))
            .origin(origin)
            .details(serde_json::json!({ "base": base.as_ref().map(|(h, _)| h) }));
        let txn = self.audit.begin(&self.db, &event).await?;
        let (hash, text) = base.map(|(h, t)| (Some(h), Some(t))).unwrap_or_default();
        let owners = self.owners_now(&d);
        let updated = draft::Entity::update_many()
            .col_expr(draft::Column::IsNew, Expr::value(hash.is_none()))
            .col_expr(draft::Column::BaseHash, Expr::value(hash))
            .col_expr(draft::Column::BaseText, Expr::value(text))
            .col_expr(draft::Column::Proposed, Expr::value(proposal.text))
            .col_expr(
                draft::Column::Summary,
                Expr::value(serde_json::to_string(&proposal.summary).unwrap_or_default()),
            )
            .col_expr(
                draft::Column::Owners,
                Expr::value(serde_json::to_string(&owners).unwrap_or_default()),
            )
            .col_expr(draft::Column::UpdatedAt, Expr::value(now))
            .filter(draft::Column::Id.eq(id))
            .filter(draft::Column::Status.eq(DraftStatus::Pending))
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(ReviewError::NotPending("decided by someone else".into()));
        }
        txn.commit().await?;
        Ok(())
    }

    /// Who reviews a draft now: the runbook's current owners, or those stored with the draft
    /// for a runbook that does not exist (yet).
    pub fn owners_now(&self, d: &draft::Model) -> Vec<GroupName> {
        self.library
            .catalog()
            .get(&d.stem)
            .map(|rb| rb.meta.owners.clone())
            .unwrap_or_else(|| owners_of(d))
    }

    /// An owner says the runbook is current: its drift ends.
    pub async fn mark_reviewed(
        &self,
        who: &Identity,
        origin: &Origin,
        stem: &str,
    ) -> Result<(), ReviewError> {
        let event =
            Event::new(Some(who), "runbook.reviewed", format!("runbook:{stem}")).origin(origin);
        let txn = self.audit.begin(&self.db, &event).await?;
        runbook_review::ActiveModel {
            stem: Set(stem.to_string()),
            reviewed_by: Set(who.subject.clone()),
            reviewed_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        Ok(())
    }
}

/// Closes a pending draft with `status`; matches nothing once someone else decided it, so
/// two reviewers at once end in one decision.
fn decision(
    id: &str,
    status: DraftStatus,
    who: &Identity,
    now: chrono::DateTime<Utc>,
) -> sea_orm::UpdateMany<draft::Entity> {
    draft::Entity::update_many()
        .col_expr(draft::Column::Status, Expr::value(status))
        .col_expr(draft::Column::DecidedBy, Expr::value(who.subject.clone()))
        .col_expr(draft::Column::DecidedAt, Expr::value(now))
        .col_expr(draft::Column::UpdatedAt, Expr::value(now))
        .filter(draft::Column::Id.eq(id))
        .filter(draft::Column::Status.eq(DraftStatus::Pending))
}
