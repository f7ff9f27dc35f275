//! Deciding a pending request: approve, reject, cancel. Each runs in one transaction that
//! first takes the audit append (which serializes writers on every replica), then checks
//! the request as it is now; a refusal rolls back and is recorded on its own.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, Set};
use serde_json::json;

use crate::audit::{Event, Origin, Outcome};
use crate::auth::Identity;
use crate::entities::{approval, request};

use super::desk::{MAX_REASON, RequestDesk};
use super::error::RequestError;
use super::record::{RequestRecord, load, settle};
use super::rules;
use super::status::RequestStatus;

impl RequestDesk {
    /// An approval by `who`. Refused for the requester, for anyone without a counting role
    /// now, and for a second approval by the same person.
    pub async fn approve(
        &self,
        who: &Identity,
        origin: &Origin,
        id: &str,
    ) -> Result<RequestRecord, RequestError> {
        let result = self.approve_inner(who, origin, id).await;
        self.note_refusal(who, origin, "request.approval", id, &result)
            .await;
        result
    }

    /// A rejection ends the request; the reason is required.
    pub async fn reject(
        &self,
        who: &Identity,
        origin: &Origin,
        id: &str,
        reason: &str,
    ) -> Result<RequestRecord, RequestError> {
        let result = self.reject_inner(who, origin, id, reason).await;
        self.note_refusal(who, origin, "request.reject", id, &result)
            .await;
        result
    }

    /// The requester withdraws a pending request.
    pub async fn cancel(
        &self,
        who: &Identity,
        origin: &Origin,
        id: &str,
    ) -> Result<RequestRecord, RequestError> {
        let result = self.cancel_inner(who, origin, id).await;
        self.note_refusal(who, origin, "request.cancel", id, &result)
            .await;
        result
    }

    /// A refused decision rolled its transaction back; the attempt is still recorded.
    async fn note_refusal<T>(
        &self,
        who: &Identity,
        origin: &Origin,
        action: &str,
        id: &str,
        result: &Result<T, RequestError>,
    ) {
        if let Err(RequestError::Refused(reason)) = result {
            let event = Event::new(Some(who), action, format!("request:{id}"))
                .outcome(Outcome::Denied)
                .origin(origin)
                .details(json!({ "reason": reason }));
            self.audit.record_or_log(&self.db, &event).await;
        }
    }

    async fn approve_inner(
        &self,
        who: &Identity,
        origin: &Origin,
        id: &str,
    ) -> Result<RequestRecord, RequestError> {
        let txn = self
            .audit
            .begin(
                &self.db,
                &Event::new(Some(who), "request.approval", format!("request:{id}")).origin(origin),
            )
            .await?;
        let record = load(&txn, id).await?.ok_or(RequestError::NotFound)?;
        let r = &record.request;
        decidable(r, who, Utc::now())?;
        let tier = r.tier.clamp(1, 3) as u8;
        let role = rules::counted_role(who, tier, &record.owners()?).ok_or_else(|| {
            RequestError::Refused(match tier {
                2 => "A tier 2 request is approved by an owner of the template or an approver; you are neither now.".to_string(),
                _ => "A tier 1 request is approved by approvers, security reviewers and the template's owners; you hold none of these roles now.".to_string(),
            })
        })?;
        if record.approvals.iter().any(|a| a.approver == who.subject) {
            return Err(RequestError::Conflict(
                "You already approved this request; each person counts once.".into(),
            ));
        }
        let now = Utc::now();
        approval::ActiveModel {
            request_id: Set(id.to_string()),
            approver: Set(who.subject.clone()),
            approver_name: Set(who.name.clone()),
            as_role: Set(role.name().into()),
            at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(|e| match e.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => RequestError::Conflict(
                "You already approved this request; each person counts once.".into(),
            ),
            _ => RequestError::Database(e),
        })?;
        self.record(
            &txn,
            id,
            "approval",
            &who.subject,
            &who.name,
            Some(format!("Approved as {}.", role.name())),
        )
        .await?;
        let mut roles = record.roles()?;
        roles.push(role);
        if rules::satisfied(tier, &roles) {
            self.audit
                .append(
                    &txn,
                    &Event::new(Some(who), "request.approve", format!("request:{id}"))
                        .origin(origin)
                        .details(json!({"tier": tier, "approvals": roles.len()})),
                )
                .await?;
            let expires = match (r.sandbox_units, self.sandbox_hours(r)?) {
                (None, _) => None,
                (Some(_), Some(h)) => Some(now + Duration::hours(h)),
                // Never approve a sandbox that would not expire.
                (Some(_), None) => {
                    return Err(RequestError::Render(format!(
                        "the time to live of this sandbox cannot be read (template `{}`)",
                        r.template_id
                    )));
                }
            };
            settle(&txn, id, RequestStatus::Approved, None, now, expires).await?;
            self.record(
                &txn,
                id,
                "approved",
                &who.subject,
                &who.name,
                Some(format!(
                    "Approved: {} approval(s) meet the tier {tier} rule.",
                    roles.len()
                )),
            )
            .await?;
            self.fulfil(&txn, id, now).await?;
        }
        let record = load(&txn, id).await?.ok_or(RequestError::NotFound)?;
        txn.commit().await?;
        Ok(record)
    }

    async fn reject_inner(
        &self,
        who: &Identity,
        origin: &Origin,
        id: &str,
        reason: &str,
    ) -> Result<RequestRecord, RequestError> {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > MAX_REASON {
            return Err(RequestError::BadRequest(format!(
                "Say why you reject it (1 to {MAX_REASON} characters): the requester reads it."
            )));
        }
        let txn = self
            .audit
            .begin(
                &self.db,
                &Event::new(Some(who), "request.reject", format!("request:{id}"))
                    .origin(origin)
                    .details(json!({"reason_chars": reason.chars().count()})),
            )
            .await?;
        let record = load(&txn, id).await?.ok_or(RequestError::NotFound)?;
        decidable(&record.request, who, Utc::now())?;
        let tier = record.request.tier.clamp(1, 3) as u8;
        if rules::counted_role(who, tier, &record.owners()?).is_none() {
            return Err(RequestError::Refused(format!(
                "You may not decide a tier {tier} request."
            )));
        }
        let now = Utc::now();
        settle(&txn, id, RequestStatus::Rejected, Some(reason), now, None).await?;
        self.record(
            &txn,
            id,
            "rejected",
            &who.subject,
            &who.name,
            Some(reason.to_string()),
        )
        .await?;
        let record = load(&txn, id).await?.ok_or(RequestError::NotFound)?;
        txn.commit().await?;
        Ok(record)
    }

    async fn cancel_inner(
        &self,
        who: &Identity,
        origin: &Origin,
        id: &str,
    ) -> Result<RequestRecord, RequestError> {
        let txn = self
            .audit
            .begin(
                &self.db,
                &Event::new(Some(who), "request.cancel", format!("request:{id}")).origin(origin),
            )
            .await?;
        let record = load(&txn, id).await?.ok_or(RequestError::NotFound)?;
        if record.request.requester != who.subject {
            return Err(RequestError::Refused(
                "Only the requester may cancel a request.".into(),
            ));
        }
        if !record.request.status.is_pending() {
            return Err(not_pending(&record.request));
        }
        let now = Utc::now();
        settle(&txn, id, RequestStatus::Cancelled, None, now, None).await?;
        self.record(&txn, id, "cancelled", &who.subject, &who.name, None)
            .await?;
        let record = load(&txn, id).await?.ok_or(RequestError::NotFound)?;
        txn.commit().await?;
        Ok(record)
    }
}

/// A request someone may still decide: pending, in time, and not their own.
fn decidable(r: &request::Model, who: &Identity, now: DateTime<Utc>) -> Result<(), RequestError> {
    if !r.status.is_pending() {
        return Err(not_pending(r));
    }
    if r.pending_until <= now {
        return Err(RequestError::Conflict(
            "This request waited too long and has expired; the requester may submit it again."
                .into(),
        ));
    }
    if r.requester == who.subject {
        return Err(RequestError::Refused(
            "You requested this; someone else must decide it.".into(),
        ));
    }
    Ok(())
}

fn not_pending(r: &request::Model) -> RequestError {
    RequestError::Conflict(format!(
        "This request is already {}; nothing more can be decided.",
        r.status
    ))
}
