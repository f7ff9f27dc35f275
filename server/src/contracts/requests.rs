//! The requests API's JSON: the same field names the API has always had, with times in
//! RFC 3339 (UTC) and durations in seconds, so tools parse them instead of reading words.
//! `age` keeps its words for existing readers; `age_seconds` is the number to use.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use crate::catalog::render::RenderedFile;
use crate::policy::Finding;
use crate::portal::request_pages::age;
use crate::portal::requests::{Listed, Shown};

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[derive(Debug, Serialize)]
pub struct RequestSummaryJson {
    pub id: String,
    pub title: String,
    pub template_id: String,
    pub tier: u8,
    pub status: String,
    pub requester_name: String,
    pub created_at: String,
    /// Kept for existing readers ("3 h"); use `age_seconds`.
    pub age: String,
    pub age_seconds: i64,
    pub missing: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct RequestListJson {
    pub requests: Vec<RequestSummaryJson>,
}

impl RequestListJson {
    pub fn new(items: &[Listed], now: DateTime<Utc>) -> Self {
        Self {
            requests: items
                .iter()
                .map(
                    |Listed {
                         request: r,
                         missing,
                     }| RequestSummaryJson {
                        id: r.id.clone(),
                        title: r.title.clone(),
                        template_id: r.template_id.clone(),
                        tier: r.tier.clamp(1, 3) as u8,
                        status: r.status.to_string(),
                        requester_name: r.requester_name.clone(),
                        created_at: rfc3339(r.created_at),
                        age: age(r.created_at, now),
                        age_seconds: (now - r.created_at).num_seconds().max(0),
                        missing: missing.clone(),
                    },
                )
                .collect(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ApprovalJson {
    pub by: String,
    pub name: String,
    pub role: String,
    pub at: String,
}

#[derive(Debug, Serialize)]
pub struct TimelineJson {
    pub at: String,
    pub kind: String,
    pub actor: String,
    pub detail: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct DeliveryJson {
    pub id: String,
    pub event: String,
    pub target: String,
    pub status: String,
    pub attempts: u32,
    pub last_status_code: Option<u16>,
    pub last_error: Option<String>,
    pub created_at: String,
    pub next_attempt_at: Option<String>,
    pub delivered_at: Option<String>,
    pub can_resend: bool,
}

/// One request with its evidence, timeline and what the caller may do with it.
#[derive(Debug, Serialize)]
pub struct RequestJson {
    pub id: String,
    pub title: String,
    pub template_id: String,
    pub template_version: String,
    pub template_digest: String,
    pub kind: String,
    pub tier: u8,
    pub status: String,
    pub requester: String,
    pub requester_name: String,
    pub owners: Vec<String>,
    pub parameters: serde_json::Map<String, serde_json::Value>,
    /// As rendered: `{path, content}`.
    pub files: Vec<RenderedFile>,
    /// As policy judged it: `{level, policy, rule, message, fix, tier}`.
    pub policy: Vec<Finding>,
    pub policy_digest: String,
    pub approval_rule: String,
    pub missing: Option<String>,
    pub approvals: Vec<ApprovalJson>,
    pub timeline: Vec<TimelineJson>,
    pub reason: Option<String>,
    pub created_at: String,
    pub pending_until: String,
    pub decided_at: Option<String>,
    pub sandbox_expires_at: Option<String>,
    pub sandbox_expired_at: Option<String>,
    pub changed_since_judged: Option<String>,
    pub can_approve: bool,
    pub can_reject: bool,
    pub can_cancel: bool,
    pub bundle_url: Option<String>,
    pub deliveries: Vec<DeliveryJson>,
}

impl From<&Shown> for RequestJson {
    fn from(shown: &Shown) -> Self {
        let record = &shown.record;
        let r = &record.request;
        Self {
            id: r.id.clone(),
            title: r.title.clone(),
            template_id: r.template_id.clone(),
            template_version: r.template_version.clone(),
            template_digest: r.template_digest.clone(),
            kind: r.kind.clone(),
            tier: r.tier.clamp(1, 3) as u8,
            status: r.status.to_string(),
            requester: r.requester.clone(),
            requester_name: r.requester_name.clone(),
            owners: shown.owners.clone(),
            parameters: shown.parameters.clone(),
            files: shown.files.clone(),
            policy: shown.findings.clone(),
            policy_digest: r.policy_digest.clone(),
            approval_rule: shown.approval_rule.clone(),
            missing: shown.missing.clone(),
            approvals: record
                .approvals
                .iter()
                .map(|a| ApprovalJson {
                    by: a.approver.clone(),
                    name: a.approver_name.clone(),
                    role: a.as_role.clone(),
                    at: rfc3339(a.at),
                })
                .collect(),
            timeline: record
                .events
                .iter()
                .map(|e| TimelineJson {
                    at: rfc3339(e.at),
                    kind: e.kind.clone(),
                    actor: e.actor_name.clone(),
                    detail: e.detail.clone(),
                })
                .collect(),
            reason: r.reason.clone(),
            created_at: rfc3339(r.created_at),
            pending_until: rfc3339(r.pending_until),
            decided_at: r.decided_at.map(rfc3339),
            sandbox_expires_at: r.sandbox_expires_at.map(rfc3339),
            sandbox_expired_at: r.sandbox_expired_at.map(rfc3339),
            changed_since_judged: shown.changed_since_judged.clone(),
            can_approve: shown.can_approve,
            can_reject: shown.can_reject,
            can_cancel: shown.can_cancel,
            bundle_url: r
                .bundle
                .is_some()
                .then(|| format!("/api/v1/requests/{}/bundle", r.id)),
            deliveries: record
                .deliveries
                .iter()
                .map(|d| DeliveryJson {
                    id: d.id.clone(),
                    event: d.event.clone(),
                    target: d.target_label.clone(),
                    status: d.status.clone(),
                    attempts: d.attempts.max(0) as u32,
                    last_status_code: d.last_status_code.and_then(|c| u16::try_from(c).ok()),
                    last_error: d.last_error.clone(),
                    created_at: rfc3339(d.created_at),
                    next_attempt_at: (d.status == "pending").then(|| rfc3339(d.next_attempt_at)),
                    delivered_at: d.delivered_at.map(rfc3339),
                    can_resend: shown.resendable.contains(&d.id),
                })
                .collect(),
        }
    }
}
