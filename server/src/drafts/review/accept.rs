//! Accepting a draft: the proposal is checked as the reviewer would accept it, written as a
//! new revision of the runbook (and a git commit where the directory is a repository), and
//! the search catches up.

use std::path::Path;

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use super::{Accepted, DraftDesk, ReviewError, decision, normalize};
use crate::audit::{Event, Origin};
use crate::auth::Identity;
use crate::drafts::{DraftStatus, edit, revisions};
use crate::entities::{deployment, draft, runbook_revision};
use crate::runbooks::catalog::{Runbook, content_hash};
use crate::runbooks::library::today;
use crate::runbooks::names::RunbookStem;

impl DraftDesk {
    /// Checks a proposal as the reviewer would accept it: a runbook that parses, about the
    /// same service, and no secret or personal value in the lines the reviewer added.
    fn check(&self, d: &draft::Model, text: &str) -> Result<(), ReviewError> {
        let stem =
            RunbookStem::parse(&d.stem).map_err(|e| ReviewError::Invalid(vec![e.to_string()]))?;
        let file = format!("{}.md", d.stem);
        let rb = Runbook::parse(stem, &file, text).map_err(|p| {
            ReviewError::Invalid(vec![match p.line {
                Some(line) => format!("line {line}: {}", p.reason),
                None => p.reason,
            }])
        })?;
        let mut problems = Vec::new();
        let service = crate::drafts::service_of(d.base_text.as_deref(), &d.service);
        if rb.meta.service.as_ref() != service {
            problems.push(format!(
                "the front matter says service `{}`; this runbook is about `{service}`: keep it",
                rb.meta.service
            ));
        }
        let known: std::collections::HashSet<&str> = d
            .base_text
            .iter()
            .chain(std::iter::once(&d.proposed))
            .flat_map(|t| t.lines())
            .collect();
        for (n, line) in text.lines().enumerate() {
            if known.contains(line) {
                continue;
            }
            let found = self.sanitizer.sanitize(line);
            if let Some(f) = found.findings.first() {
                problems.push(format!(
                    "line {}: this looks like a {} value; runbooks drafted here are kept free of secrets and personal data, so write a placeholder instead",
                    n + 1,
                    f.category
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ReviewError::Invalid(problems))
        }
    }

    /// Accepts a draft, with the reviewer's text when they edited it: a new revision in the
    /// database and in the runbooks directory (committed when it is a git repository), the
    /// draft closed and the audit event written, all or nothing.
    pub async fn accept(
        &self,
        who: &Identity,
        origin: &Origin,
        id: &str,
        edited: Option<&str>,
    ) -> Result<Accepted, ReviewError> {
        let _one_at_a_time = self.accept_lock.lock().await;
        let d = self.find(id).await?.ok_or(ReviewError::NotFound)?;
        if d.status != DraftStatus::Pending {
            return Err(ReviewError::NotPending(d.status.to_string()));
        }
        let notes = deployment::Entity::find_by_id(d.deployment_id.clone())
            .one(&self.db)
            .await?;
        if notes
            .as_ref()
            .is_some_and(|n| n.submitted_by == who.subject)
        {
            return Err(ReviewError::OwnSubmission);
        }
        let text = normalize(edited.unwrap_or(&d.proposed));
        self.check(&d, &text)?;
        let text = edit::set_last_reviewed(&text, today());
        let file = self.file_of(&d);
        // Revisions accepted on other replicas first, so the check below sees them.
        self.catch_up().await;
        let previous = self.current(&file);
        if previous.as_ref().map(|(h, _)| h) != d.base_hash.as_ref() {
            return Err(ReviewError::Conflict);
        }
        let hash = content_hash(text.as_bytes());
        let edited_by_reviewer = normalize(&d.proposed) != normalize(edited.unwrap_or(&d.proposed));

        let event = Event::new(Some(who), "draft.accept", format!("draft:{id}"))
            .origin(origin)
            .details(serde_json::json!({
                "runbook": d.stem,
                "deployment": d.deployment_id,
                "hash": hash,
                "edited": edited_by_reviewer,
            }));
        // The audit append serializes writers on its head row, so the checks below see every
        // acceptance committed before this one, on any replica.
        let txn = self.audit.begin(&self.db, &event).await?;
        // Taken after the append has waited for earlier writers.
        let now = Utc::now();
        let newer = runbook_revision::Entity::find()
            .filter(runbook_revision::Column::Stem.eq(d.stem.as_str()))
            .filter(runbook_revision::Column::CreatedAt.gt(d.updated_at))
            .one(&txn)
            .await?;
        if newer.is_some() {
            return Err(ReviewError::Conflict);
        }
        let message = format!(
            "{}: {} from deployment {}",
            d.stem,
            if d.is_new { "new runbook" } else { "update" },
            &d.deployment_id[..d.deployment_id.len().min(8)]
        );
        let revision = runbook_revision::ActiveModel {
            stem: Set(d.stem.clone()),
            file: Set(file.clone()),
            previous_hash: Set(previous.as_ref().map(|(h, _)| h.clone())),
            previous_text: Set(previous.as_ref().map(|(_, t)| t.clone())),
            hash: Set(hash.clone()),
            content: Set(text.clone()),
            author: Set(who.subject.clone()),
            author_name: Set(who.name.clone()),
            draft_id: Set(Some(d.id.clone())),
            deployment_id: Set(Some(d.deployment_id.clone())),
            message: Set(message.clone()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let closed = decision(id, DraftStatus::Accepted, who, now)
            .col_expr(draft::Column::RevisionSeq, Expr::value(revision.seq))
            .col_expr(draft::Column::Proposed, Expr::value(text.clone()))
            .exec(&txn)
            .await?;
        if closed.rows_affected != 1 {
            return Err(ReviewError::NotPending("decided by someone else".into()));
        }
        let dir = self.library.dir().to_path_buf();
        // An edit made outside the portal since the check above is not overwritten either.
        if self.current(&file).map(|(h, _)| h) != previous.as_ref().map(|(h, _)| h.clone()) {
            return Err(ReviewError::Conflict);
        }
        revisions::write_file(&dir, &file, &text)?;
        if let Err(err) = txn.commit().await {
            // Put the file back as it was, so the directory matches the database.
            let _ = match &previous {
                Some((_, old)) => revisions::write_file(&dir, &file, old),
                None => std::fs::remove_file(dir.join(&file)),
            };
            return Err(err.into());
        }
        let commit = commit_to_git(&dir, &file, who, &message).await;
        self.reindex().await;
        Ok(Accepted {
            stem: d.stem,
            seq: revision.seq,
            commit,
        })
    }

    /// Applies revisions accepted on other replicas that this one has not written yet.
    pub(super) async fn catch_up(&self) {
        match revisions::apply_new(&self.db, self.library.dir()).await {
            Ok(0) => {}
            Ok(_) => self.reindex().await,
            Err(err) => tracing::warn!(error = %err, "catching up on runbook revisions failed"),
        }
    }

    async fn reindex(&self) {
        let library = self.library.clone();
        match tokio::task::spawn_blocking(move || library.refresh()).await {
            Ok(Ok(_)) => {}
            Ok(Err(err)) => tracing::error!(error = %err, "re-indexing after a revision failed"),
            Err(err) => tracing::error!(error = %err, "re-indexing task panicked"),
        }
    }
}

/// Commits when the directory is a repository; failures are logged, never fatal (the
/// revision is stored either way).
async fn commit_to_git(dir: &Path, file: &str, who: &Identity, message: &str) -> Option<String> {
    if !crate::drafts::git::is_repository(dir) {
        return None;
    }
    let email = if who.subject.contains('@') {
        who.subject.clone()
    } else {
        format!("{}@users.gatehouse.invalid", who.subject)
    };
    let (dir, file, name, message) = (
        dir.to_path_buf(),
        file.to_string(),
        who.name.clone(),
        message.to_string(),
    );
    match tokio::task::spawn_blocking(move || {
        crate::drafts::git::commit(&dir, &file, &name, &email, &message)
    })
    .await
    {
        Ok(Ok(id)) => Some(id),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "committing the runbook revision to git failed");
            None
        }
        Err(err) => {
            tracing::warn!(error = %err, "git task panicked");
            None
        }
    }
}
