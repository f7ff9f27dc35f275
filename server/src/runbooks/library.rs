//! The runbook library: the catalog in memory and the index on disk, kept in step.
//!
//! [`RunbookLibrary::refresh`] re-reads the directory, re-indexes what changed and swaps the
//! catalog atomically; the file watcher calls it after changes. Every read is done as a
//! reader with groups, so access rules hold everywhere.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};

use super::catalog::{Catalog, FileProblem, Runbook};
use super::index::{IndexError, RunbookIndex, SyncStats};
use super::names::{AlertName, GroupName};
use super::query;
use super::search::{FlatResults, GroupedResults, RunbookSearch};

#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("cannot read the runbooks directory {path}: {source}")]
    Directory {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error("the runbook catalog lock is poisoned")]
    Poisoned,
}

/// What a refresh did, for logs and metrics.
#[derive(Debug, Clone, Copy)]
pub struct RefreshReport {
    pub stats: SyncStats,
    pub runbooks: usize,
    pub sections: usize,
    pub problems: usize,
    pub took_ms: f64,
}

/// Where an alert leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertTarget {
    /// `/runbooks/<stem>#<anchor>`
    Section(String),
    /// No runbook the reader may see names the alert.
    Unknown,
}

pub struct RunbookLibrary {
    dir: PathBuf,
    index: RunbookIndex,
    catalog: RwLock<Arc<Catalog>>,
    last_refresh: RwLock<Option<DateTime<Utc>>>,
    refresh_lock: std::sync::Mutex<()>,
}

impl RunbookLibrary {
    /// Opens the library over `dir` with an index in `index_dir` (`None`: in memory), and
    /// indexes what changed since the last run.
    pub fn open(dir: &Path, index_dir: Option<&Path>) -> Result<Self, LibraryError> {
        let index = match index_dir {
            Some(d) => RunbookIndex::open(d)?,
            None => RunbookIndex::in_ram()?,
        };
        let library = Self {
            dir: dir.to_path_buf(),
            index,
            catalog: RwLock::new(Arc::new(Catalog::default())),
            last_refresh: RwLock::new(None),
            refresh_lock: std::sync::Mutex::new(()),
        };
        library.refresh()?;
        Ok(library)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn index(&self) -> &RunbookIndex {
        &self.index
    }

    /// The current catalog (cheap: a shared pointer).
    pub fn catalog(&self) -> Arc<Catalog> {
        self.catalog.read().map(|c| c.clone()).unwrap_or_default()
    }

    pub fn last_refresh(&self) -> Option<DateTime<Utc>> {
        self.last_refresh.read().ok().and_then(|t| *t)
    }

    /// Re-reads the directory and re-indexes what changed. Blocking.
    pub fn refresh(&self) -> Result<RefreshReport, LibraryError> {
        let _one_at_a_time = self
            .refresh_lock
            .lock()
            .map_err(|_| LibraryError::Poisoned)?;
        let started = Instant::now();
        let previous = self.catalog();
        let catalog = Catalog::load(&self.dir, Some(&previous)).map_err(|source| {
            LibraryError::Directory {
                path: self.dir.clone(),
                source,
            }
        })?;
        for p in &catalog.problems {
            if !previous.problems.contains(p) {
                tracing::warn!(file = %p.file, line = ?p.line, reason = %p.reason, "runbook skipped");
            }
        }
        let stats = self.index.sync(&catalog)?;
        let report = RefreshReport {
            stats,
            runbooks: catalog.runbooks.len(),
            sections: catalog.section_count(),
            problems: catalog.problems.len(),
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
        };
        *self.catalog.write().map_err(|_| LibraryError::Poisoned)? = Arc::new(catalog);
        *self
            .last_refresh
            .write()
            .map_err(|_| LibraryError::Poisoned)? = Some(Utc::now());
        Ok(report)
    }

    /// Search grouped by runbook, for the portal.
    pub fn search_grouped(
        &self,
        text: &str,
        groups: &[GroupName],
        limit: usize,
    ) -> Result<GroupedResults, LibraryError> {
        let q = query::parse(text);
        let catalog = self.catalog();
        Ok(RunbookSearch::new(&self.index, &catalog).grouped(&q, groups, limit, 3)?)
    }

    /// Search as a flat list of sections, for the API and the command line.
    pub fn search_flat(
        &self,
        text: &str,
        groups: &[GroupName],
        limit: usize,
    ) -> Result<FlatResults, LibraryError> {
        let q = query::parse(text);
        let catalog = self.catalog();
        Ok(RunbookSearch::new(&self.index, &catalog).flat(&q, groups, limit)?)
    }

    /// A runbook the reader may see; `None` when it does not exist or is hidden from them,
    /// which callers must not distinguish.
    pub fn runbook(&self, stem: &str, groups: &[GroupName]) -> Option<Arc<Runbook>> {
        self.catalog()
            .get(stem)
            .filter(|rb| rb.readable_by(groups))
            .cloned()
    }

    /// Every runbook the reader may see.
    pub fn visible(&self, groups: &[GroupName]) -> Vec<Arc<Runbook>> {
        self.catalog()
            .runbooks
            .values()
            .filter(|rb| rb.readable_by(groups))
            .cloned()
            .collect()
    }

    /// Files that could not be indexed.
    pub fn problems(&self) -> Vec<FileProblem> {
        self.catalog().problems.clone()
    }

    /// The section for an alert, case-insensitively, among runbooks the reader may see.
    pub fn alert_target(&self, alert: &str, groups: &[GroupName]) -> AlertTarget {
        let Ok(name) = AlertName::parse(alert) else {
            return AlertTarget::Unknown;
        };
        let key = name.key();
        let catalog = self.catalog();
        let found = catalog
            .alerts
            .get(&key)
            .into_iter()
            .flatten()
            .filter_map(|stem| catalog.runbooks.get(stem))
            .find(|rb| rb.readable_by(groups));
        match found {
            Some(rb) => {
                let anchor = rb.section_for_alert(&key);
                if anchor.is_empty() {
                    AlertTarget::Section(format!("/runbooks/{}", rb.stem))
                } else {
                    AlertTarget::Section(format!("/runbooks/{}#{anchor}", rb.stem))
                }
            }
            None => AlertTarget::Unknown,
        }
    }
}

/// Today in UTC, for review-age checks.
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}
