//! The auditor's page.

use serde::{Deserialize, Serialize};

/// Filters of the auditor page; empty fields match everything. Times are dates
/// (`2026-11-27`) or RFC 3339 times.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub target: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    /// Show events before this sequence number (the next page).
    pub before: Option<i64>,
}

/// One audit event as the auditor page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEventView {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub auth_method: String,
    pub action: String,
    pub target: String,
    pub outcome: String,
    pub source: String,
    pub request_id: String,
    /// The details object as compact JSON.
    pub details: String,
}

/// A page of audit events, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub events: Vec<AuditEventView>,
    /// Pass as `before` for the next (older) page, if there is one.
    pub next_before: Option<i64>,
}
