//! Watches the runbooks directory and refreshes the library shortly after files change,
//! so an added, edited or deleted runbook is searchable within seconds, without a restart.

use std::sync::Arc;
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_mini::{DebounceEventResult, Debouncer, new_debouncer};

use super::library::{RefreshReport, RunbookLibrary};

/// Quiet time after the last change before re-indexing (editors write in bursts).
const DEBOUNCE: Duration = Duration::from_millis(300);

/// Keeps the watch alive; dropping it stops watching.
pub struct Watch {
    _debouncer: Debouncer<notify::RecommendedWatcher>,
    _task: tokio::task::JoinHandle<()>,
}

/// Starts watching. `on_refresh` is told about each refresh (for metrics).
pub fn spawn(
    library: Arc<RunbookLibrary>,
    on_refresh: impl Fn(&RefreshReport) + Send + Sync + 'static,
) -> notify::Result<Watch> {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<()>(1);
    let mut debouncer = new_debouncer(DEBOUNCE, move |result: DebounceEventResult| match result {
        Ok(events) if !events.is_empty() => {
            // A full channel already means "refresh pending": dropping the signal is fine.
            let _ = tx.try_send(());
        }
        Ok(_) => {}
        Err(err) => tracing::warn!(error = %err, "runbook watcher error"),
    })?;
    debouncer
        .watcher()
        .watch(library.dir(), RecursiveMode::Recursive)?;
    let task = tokio::spawn(async move {
        while rx.recv().await.is_some() {
            let library = library.clone();
            match tokio::task::spawn_blocking(move || library.refresh()).await {
                Ok(Ok(report)) => {
                    if report.stats.changed() {
                        tracing::info!(
                            added = report.stats.added,
                            updated = report.stats.updated,
                            removed = report.stats.removed,
                            problems = report.problems,
                            took_ms = report.took_ms,
                            "runbooks re-indexed after a change"
                        );
                    }
                    on_refresh(&report);
                }
                Ok(Err(err)) => tracing::error!(error = %err, "re-indexing runbooks failed"),
                Err(err) => tracing::error!(error = %err, "re-indexing task panicked"),
            }
        }
    });
    Ok(Watch {
        _debouncer: debouncer,
        _task: task,
    })
}
