//! Deployment notes and the drafts they cause: the review queue, a draft, history.

use serde::{Deserialize, Serialize};

use super::DriftInfo;

/// Deployment notes pasted in the portal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NotesForm {
    pub service: String,
    pub environment: String,
    pub version: String,
    pub body: String,
}

/// Masked values of one category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redaction {
    pub category: String,
    pub count: usize,
}

/// A stored deployment note: sanitized text and what was masked (never the values).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeploymentView {
    pub id: String,
    pub service: String,
    pub environment: Option<String>,
    pub version: Option<String>,
    pub commit: Option<String>,
    pub deployed_by: Option<String>,
    pub deployed_at: String,
    pub body: String,
    pub links: Vec<String>,
    pub redactions: Vec<Redaction>,
    pub submitted_by: String,
    pub sanitizer_version: String,
    /// The runbook drafts made from these notes.
    pub drafts: Vec<DraftLink>,
}

/// A draft as linked from elsewhere.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftLink {
    pub id: String,
    pub runbook: String,
    pub is_new: bool,
    pub status: String,
}

/// One line of a diff: `kind` is `same`, `add`, `del` or `gap` (lines left out).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffLine {
    pub kind: String,
    pub text: String,
    pub old: Option<usize>,
    pub new: Option<usize>,
}

/// A draft in an owner's queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftSummary {
    pub id: String,
    pub runbook: String,
    pub title: String,
    pub service: String,
    pub is_new: bool,
    pub created_at: String,
    pub summary: Vec<String>,
    /// The runbook changed since the draft was made.
    pub conflicted: bool,
}

/// A drifting runbook in its owners' list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftItem {
    pub runbook: String,
    pub title: String,
    pub drift: DriftInfo,
}

/// What waits for a runbook owner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ReviewQueue {
    pub drafts: Vec<DraftSummary>,
    pub drifting: Vec<DriftItem>,
}

/// A draft with everything its reviewer needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftView {
    pub id: String,
    pub runbook: String,
    pub title: String,
    pub service: String,
    pub is_new: bool,
    /// `pending`, `accepted` or `rejected`.
    pub status: String,
    pub owners: Vec<String>,
    pub summary: Vec<String>,
    /// Provenance.
    pub deployment_id: String,
    pub deployment_label: String,
    pub submitted_by: String,
    pub drafter: String,
    pub model: Option<String>,
    pub drafter_note: Option<String>,
    pub sanitizer_version: String,
    /// First 12 hex digits of the runbook file it was drafted against.
    pub base: Option<String>,
    pub created_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub reason: Option<String>,
    pub revision: Option<i32>,
    /// The whole proposed file, for editing.
    pub proposed: String,
    /// From the runbook as drafted against to the proposal.
    pub diff: Vec<DiffLine>,
    /// The proposal rendered (sanitized HTML), or why it cannot be.
    pub preview_html: Result<String, String>,
    /// When the runbook changed since: what changed (drafted-against → now).
    pub conflict: Option<Vec<DiffLine>>,
    /// The caller submitted the notes, so cannot accept.
    pub own_submission: bool,
}

/// A reviewer's decision on a draft, as the form posts it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DraftDecision {
    pub id: String,
    /// `accept`, `reject` or `redraft`.
    pub decision: String,
    /// The edited proposal (accept).
    #[serde(default)]
    pub text: Option<String>,
    /// Why (reject).
    #[serde(default)]
    pub reason: Option<String>,
}

/// One accepted revision of a runbook.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionView {
    pub seq: i32,
    pub accepted_by: String,
    pub at: String,
    pub message: String,
    pub deployment_id: Option<String>,
    pub draft_id: Option<String>,
    pub diff: Vec<DiffLine>,
}

/// A runbook's history page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryPage {
    pub runbook: String,
    pub title: String,
    pub revisions: Vec<RevisionView>,
}
