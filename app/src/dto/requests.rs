//! Requests: one request, lists, decisions.

use serde::{Deserialize, Serialize};

use super::{PolicyResult, RenderedFileView};

/// An approval that counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalView {
    pub by: String,
    pub name: String,
    /// `owner`, `approver` or `security-reviewer`: the role it counted as.
    pub role: String,
    pub at: String,
}

/// One step of a request's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: String,
    /// `submitted`, `approval`, `approved`, `rejected`, `cancelled`, `expired`, `sandbox_expired`.
    pub kind: String,
    pub actor: String,
    pub detail: Option<String>,
}

/// One webhook notification about a request and how its delivery went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryView {
    /// Also the `X-Gatehouse-Delivery` header the receiver got.
    pub id: String,
    /// Like `request.approved`.
    pub event: String,
    /// Scheme, host and port of the receiver (never its path, which may hold a token).
    pub target: String,
    /// `pending` (queued or waiting to retry), `delivered` or `failed` (no attempts left).
    pub status: String,
    pub attempts: u32,
    pub last_status_code: Option<u16>,
    pub last_error: Option<String>,
    pub created_at: String,
    /// When the next attempt is due, while pending.
    pub next_attempt_at: Option<String>,
    pub delivered_at: Option<String>,
    /// Whether the caller may queue it again: it failed, its receiver is still configured,
    /// and the caller is an admin.
    pub can_resend: bool,
}

/// A failed notification to queue again (the form on the request page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationResend {
    /// The request.
    pub id: String,
    /// The delivery.
    pub delivery: String,
}

/// A request with its evidence and timeline, and what the caller may do with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestView {
    pub id: String,
    pub title: String,
    pub template_id: String,
    pub template_version: String,
    pub template_digest: String,
    pub kind: String,
    pub tier: u8,
    /// `pending`, `approved`, `rejected`, `cancelled`, `expired` or `fulfilled`.
    pub status: String,
    pub requester: String,
    pub requester_name: String,
    pub owners: Vec<String>,
    pub parameters: serde_json::Value,
    pub files: Vec<RenderedFileView>,
    pub policy: Vec<PolicyResult>,
    pub policy_digest: String,
    pub approval_rule: String,
    /// What is still needed before it is approved (pending only).
    pub missing: Option<String>,
    pub approvals: Vec<ApprovalView>,
    pub timeline: Vec<TimelineEntry>,
    pub reason: Option<String>,
    pub created_at: String,
    pub pending_until: String,
    pub decided_at: Option<String>,
    pub sandbox_expires_at: Option<String>,
    pub sandbox_expired_at: Option<String>,
    /// While pending: what changed since it was judged (policies, template), in words.
    pub changed_since_judged: Option<String>,
    pub can_approve: bool,
    pub can_reject: bool,
    pub can_cancel: bool,
    /// Where to download the signed bundle, once fulfilled.
    pub bundle_url: Option<String>,
    /// Webhook notifications about it, oldest first (empty when none are configured).
    pub deliveries: Vec<DeliveryView>,
}

/// A request in a list (mine, or an approver's inbox).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestSummary {
    pub id: String,
    pub title: String,
    pub template_id: String,
    pub tier: u8,
    pub status: String,
    pub requester_name: String,
    pub created_at: String,
    /// How long it has waited, like "3 h" or "2 d".
    pub age: String,
    pub missing: Option<String>,
}

/// A list of requests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestList {
    pub requests: Vec<RequestSummary>,
}

/// A decision on a request from its page: `approve`, `reject` (with a reason) or `cancel`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RequestDecision {
    pub id: String,
    pub action: String,
    #[serde(default)]
    pub reason: String,
}
