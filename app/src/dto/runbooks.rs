//! Runbook search, a runbook's page and the index status.

use serde::{Deserialize, Serialize};

/// A runbook search as the UI asks for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SearchQuery {
    /// Query text: words, "phrases", `service:`, `tag:`, `alert:` filters, `-excluded` words.
    pub q: String,
    pub service: Option<String>,
    pub tag: Option<String>,
    /// Maximum number of runbooks (UI) or sections (API) returned.
    pub limit: Option<usize>,
}

/// Search results grouped by runbook so one runbook does not flood the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct SearchResults {
    pub groups: Vec<ResultGroup>,
    /// Matching sections the caller may see.
    pub total_sections: usize,
    /// Messages about how the query was understood (shortened, quote ignored, …).
    pub notices: Vec<String>,
}

/// One runbook in the results, with its best sections.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultGroup {
    pub runbook: String,
    pub title: String,
    pub service: String,
    pub owners: Vec<String>,
    pub tags: Vec<String>,
    pub restricted: bool,
    pub stale: bool,
    /// Its service deployed changes (alerts, configuration, rollback) since its last review.
    pub drifting: bool,
    pub sections: Vec<SectionHit>,
    /// Further matching sections of this runbook not shown.
    pub more_sections: usize,
}

/// One matching section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SectionHit {
    pub anchor: String,
    pub heading_path: Vec<String>,
    pub snippet: Vec<SnippetPart>,
    pub url: String,
}

/// A piece of a snippet; `hit` marks matched text to highlight.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
}

/// Values for the search filters, from the runbooks the caller may see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Facets {
    pub services: Vec<String>,
    pub tags: Vec<String>,
}

/// A runbook ready to display; `html` is already sanitized.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunbookView {
    pub stem: String,
    pub title: String,
    pub service: String,
    pub owners: Vec<String>,
    pub tags: Vec<String>,
    pub alerts: Vec<String>,
    pub restricted: bool,
    pub groups: Vec<String>,
    pub last_reviewed: String,
    pub days_since_review: i64,
    pub stale: bool,
    pub toc: Vec<TocEntry>,
    pub html: String,
    /// Why the runbook is drifting, when it is.
    pub drift: Option<DriftInfo>,
    /// The caller owns it (may review drafts and mark it reviewed).
    pub can_review: bool,
}

/// A runbook's drift: what its service changed since the last review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftInfo {
    /// `alerts`, `configuration`, `rollback`.
    pub kinds: Vec<String>,
    pub since: String,
}

/// A table-of-contents line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocEntry {
    pub level: u8,
    pub anchor: String,
    pub text: String,
}

/// The state of the runbook index, for the status page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct IndexStatus {
    /// Runbooks the caller may see.
    pub runbooks: usize,
    pub sections: usize,
    pub last_reindex: Option<String>,
    pub problems: Vec<FileProblem>,
}

/// A runbook file that could not be indexed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileProblem {
    pub file: String,
    pub line: Option<usize>,
    pub reason: String,
}
