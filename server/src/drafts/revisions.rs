//! Runbook revisions: the accepted file, stored in the database, written to the runbooks
//! directory, and applied by every replica that shares the database. Each directory keeps
//! the last revision it looked at in a hidden marker file, so a replica that was down catches
//! up. A revision replaces only the exact file it was made against, so a file edited outside
//! the portal (or already newer, as in a fresh clone of the runbooks repository) is kept.

use std::io::Write;
use std::path::{Component, Path};
use std::sync::Arc;
use std::time::Duration;

use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::entities::runbook_revision;
use crate::periodic::{self, Start};
use crate::runbooks::RunbookLibrary;
use crate::runbooks::catalog::content_hash;

/// The marker file (hidden, so the catalog skips it).
pub const MARKER: &str = ".gatehouse-revision";

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Database(#[from] DbErr),
    #[error("cannot write {file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
}

/// A path inside the runbooks directory: relative, no `..`, a Markdown file.
pub fn safe_relative(file: &str) -> bool {
    let path = Path::new(file);
    file.ends_with(".md") && path.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Replaces `dir/file` with `content` atomically: a reader sees the old or the new file.
pub fn write_file(dir: &Path, file: &str, content: &str) -> std::io::Result<()> {
    if !safe_relative(file) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("`{file}` is not a runbook path inside the runbooks directory"),
        ));
    }
    let target = dir.join(file);
    let parent = target.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent)?;
    let mut tmp = tempfile_in(parent)?;
    tmp.1.write_all(content.as_bytes())?;
    tmp.1.sync_all()?;
    std::fs::rename(&tmp.0, &target)
}

/// A hidden temporary file next to the target (same file system, so rename is atomic).
fn tempfile_in(dir: &Path) -> std::io::Result<(std::path::PathBuf, std::fs::File)> {
    let path = dir.join(format!(".gatehouse-{}.tmp", uuid::Uuid::new_v4()));
    let file = std::fs::File::create(&path)?;
    Ok((path, file))
}

/// Every revision of a runbook, newest first.
pub async fn history(
    db: &DatabaseConnection,
    stem: &str,
) -> Result<Vec<runbook_revision::Model>, DbErr> {
    runbook_revision::Entity::find()
        .filter(runbook_revision::Column::Stem.eq(stem))
        .order_by_desc(runbook_revision::Column::Seq)
        .limit(200)
        .all(db)
        .await
}

fn read_marker(dir: &Path) -> i32 {
    std::fs::read_to_string(dir.join(MARKER))
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0)
}

/// Writes the revisions this directory has not applied yet; returns how many files changed.
pub async fn apply_new(db: &DatabaseConnection, dir: &Path) -> Result<usize, SyncError> {
    let since = read_marker(dir);
    let new = runbook_revision::Entity::find()
        .filter(runbook_revision::Column::Seq.gt(since))
        .order_by_asc(runbook_revision::Column::Seq)
        .limit(500)
        .all(db)
        .await?;
    let Some(last) = new.last().map(|r| r.seq) else {
        return Ok(0);
    };
    let mut changed = 0;
    for rev in &new {
        if !safe_relative(&rev.file) {
            tracing::warn!(seq = rev.seq, file = %rev.file, "revision with an unsafe path skipped");
            continue;
        }
        let current = std::fs::read(dir.join(&rev.file))
            .ok()
            .map(|bytes| content_hash(&bytes));
        if current.as_deref() == Some(rev.hash.as_str()) {
            continue;
        }
        // Only a file exactly as the revision found it is replaced: anything else was
        // changed outside the portal (or later), and is never overwritten.
        if current != rev.previous_hash {
            tracing::warn!(
                seq = rev.seq,
                file = %rev.file,
                "runbook revision not applied: the file differs from the one it was made against"
            );
            continue;
        }
        write_file(dir, &rev.file, &rev.content).map_err(|source| SyncError::Io {
            file: rev.file.clone(),
            source,
        })?;
        changed += 1;
    }
    std::fs::write(dir.join(MARKER), format!("{last}\n")).map_err(|source| SyncError::Io {
        file: MARKER.into(),
        source,
    })?;
    Ok(changed)
}

/// Applies new revisions every `every` and re-indexes when a file changed: how a revision
/// accepted on one replica reaches the search of all the others.
pub fn spawn_sync(
    db: DatabaseConnection,
    library: Arc<RunbookLibrary>,
    every: Duration,
) -> tokio::task::JoinHandle<()> {
    periodic::every("applying runbook revisions", every, Start::Now, move || {
        let (db, library) = (db.clone(), library.clone());
        async move {
            let files = apply_new(&db, library.dir()).await?;
            if files == 0 {
                return Ok(());
            }
            tracing::info!(files, "applied runbook revisions from the database");
            match tokio::task::spawn_blocking(move || library.refresh()).await {
                Ok(Ok(_)) => {}
                Ok(Err(err)) => tracing::error!(error = %err, "re-indexing after revisions failed"),
                Err(err) => tracing::error!(error = %err, "re-indexing task panicked"),
            }
            Ok::<_, SyncError>(())
        }
    })
}
