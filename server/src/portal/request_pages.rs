//! Requests as the pages show them: times in words for people ("2026-03-01 14:05 UTC",
//! "3 h"). The JSON API renders the same [`Shown`] with RFC 3339 times and seconds
//! ([`crate::contracts::requests`]).

use app::dto::{
    ApprovalView, DeliveryView, PolicyResult, RenderedFileView, RequestList, RequestSummary,
    RequestView, TimelineEntry,
};
use chrono::{DateTime, Utc};

use super::requests::{Listed, Shown};

fn time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// How long something has waited, like "12 min", "3 h" or "2 d".
pub fn age(since: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let minutes = (now - since).num_minutes().max(0);
    match minutes {
        0..=59 => format!("{minutes} min"),
        60..=2879 => format!("{} h", minutes / 60),
        _ => format!("{} d", minutes / 1440),
    }
}

pub fn list(items: &[Listed], now: DateTime<Utc>) -> RequestList {
    RequestList {
        requests: items
            .iter()
            .map(
                |Listed {
                     request: r,
                     missing,
                 }| RequestSummary {
                    id: r.id.clone(),
                    title: r.title.clone(),
                    template_id: r.template_id.clone(),
                    tier: r.tier.clamp(1, 3) as u8,
                    status: r.status.to_string(),
                    requester_name: r.requester_name.clone(),
                    created_at: time(r.created_at),
                    age: age(r.created_at, now),
                    missing: missing.clone(),
                },
            )
            .collect(),
    }
}

pub fn page(shown: &Shown) -> RequestView {
    let record = &shown.record;
    let r = &record.request;
    RequestView {
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
        approval_rule: shown.approval_rule.clone(),
        owners: shown.owners.clone(),
        parameters: serde_json::Value::Object(shown.parameters.clone()),
        files: shown
            .files
            .iter()
            .map(|f| RenderedFileView {
                path: f.path.clone(),
                content: f.content.clone(),
            })
            .collect(),
        policy: shown
            .findings
            .iter()
            .map(|f| PolicyResult {
                level: f.level.name().to_string(),
                policy: f.policy.clone(),
                rule: f.rule.clone(),
                message: f.message.clone(),
                fix: f.fix.clone(),
                tier: f.tier,
            })
            .collect(),
        policy_digest: r.policy_digest.clone(),
        changed_since_judged: shown.changed_since_judged.clone(),
        missing: shown.missing.clone(),
        approvals: record
            .approvals
            .iter()
            .map(|a| ApprovalView {
                by: a.approver.clone(),
                name: a.approver_name.clone(),
                role: a.as_role.clone(),
                at: time(a.at),
            })
            .collect(),
        timeline: record
            .events
            .iter()
            .map(|e| TimelineEntry {
                at: time(e.at),
                kind: e.kind.clone(),
                actor: e.actor_name.clone(),
                detail: e.detail.clone(),
            })
            .collect(),
        reason: r.reason.clone(),
        created_at: time(r.created_at),
        pending_until: time(r.pending_until),
        decided_at: r.decided_at.map(time),
        sandbox_expires_at: r.sandbox_expires_at.map(time),
        sandbox_expired_at: r.sandbox_expired_at.map(time),
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
            .map(|d| DeliveryView {
                id: d.id.clone(),
                event: d.event.clone(),
                target: d.target_label.clone(),
                status: d.status.clone(),
                attempts: d.attempts.max(0) as u32,
                last_status_code: d.last_status_code.and_then(|c| u16::try_from(c).ok()),
                last_error: d.last_error.clone(),
                created_at: time(d.created_at),
                next_attempt_at: (d.status == "pending").then(|| time(d.next_attempt_at)),
                delivered_at: d.delivered_at.map(time),
                can_resend: shown.resendable.contains(&d.id),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_in_the_largest_whole_unit() {
        let now = Utc::now();
        let ago = |minutes| now - chrono::Duration::minutes(minutes);
        assert_eq!(age(ago(12), now), "12 min");
        assert_eq!(age(ago(3 * 60 + 5), now), "3 h");
        assert_eq!(age(ago(3 * 1440), now), "3 d");
        assert_eq!(age(now + chrono::Duration::minutes(5), now), "0 min");
    }
}
