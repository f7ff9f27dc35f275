//! Requests and their state machine: pending → approved | rejected | cancelled | expired
//! (approved → fulfilled comes with bundles). Every transition is one transaction with its
//! audit event. The audit append serializes writers on every replica, and each update is
//! conditional on the state it was decided from, so two approvers at once, or an approval
//! racing a cancel, end in exactly one valid state with every event recorded.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set,
};
use serde_json::{Value, json};

use crate::audit::{AuditLog, Event, Origin, Outcome};
use crate::auth::Identity;
use crate::catalog::params::FieldErrors;
use crate::entities::{approval, request, request_event, webhook_delivery};
use crate::policy::{Finding, Level, PolicyError};
use crate::webhooks::WebhookConfig;
use crate::webhooks::outbox::{self, Notice, ResendError};

use super::preview::{Planner, Preview, PreviewError};
use super::rules::{self, ApproverRole};
use super::status::RequestStatus;

/// The longest rejection reason kept, in characters.
pub const MAX_REASON: usize = 2000;
/// The actor of what the portal does by itself (automatic approval, expiry).
pub const SYSTEM: &str = "gatehouse";

/// Time limits and sandbox quotas.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A pending request expires after this.
    pub pending_ttl: Duration,
    /// Active sandboxes (and their size units) one person may hold.
    pub user_active: u32,
    pub user_units: u32,
    /// The same for a team (the requester's first `team-*` group).
    pub team_active: u32,
    pub team_units: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            pending_ttl: Duration::days(7),
            user_active: 3,
            user_units: 8,
            team_active: 10,
            team_units: 24,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    #[error("no template `{0}` in the catalog")]
    UnknownTemplate(String),
    #[error("some parameters are not valid: {}", describe_fields(.0))]
    Invalid(FieldErrors),
    #[error("blocked by policy: {}", describe_denials(.0))]
    Blocked(Vec<Finding>),
    #[error("{0}")]
    Quota(String),
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("the template could not render: {0}")]
    Render(String),
    #[error(transparent)]
    Policy(#[from] PolicyError),
    #[error(transparent)]
    Database(#[from] DbErr),
}

fn describe_fields(errors: &FieldErrors) -> String {
    errors
        .0
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

fn describe_denials(findings: &[Finding]) -> String {
    findings
        .iter()
        .filter(|f| f.level == Level::Deny)
        .map(|f| match &f.fix {
            Some(fix) => format!("{}/{}: {} Fix: {}", f.policy, f.rule, f.message, fix),
            None => format!("{}/{}: {}", f.policy, f.rule, f.message),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A request with its timeline and the approvals that counted.
#[derive(Debug, Clone)]
pub struct RequestRecord {
    pub request: request::Model,
    pub events: Vec<request_event::Model>,
    pub approvals: Vec<approval::Model>,
    /// Its webhook notifications and how their delivery went.
    pub deliveries: Vec<webhook_delivery::Model>,
}

impl RequestRecord {
    pub fn owners(&self) -> Vec<String> {
        serde_json::from_str(&self.request.owners).unwrap_or_default()
    }

    pub fn roles(&self) -> Vec<ApproverRole> {
        self.approvals
            .iter()
            .filter_map(|a| ApproverRole::parse(&a.as_role))
            .collect()
    }
}

pub struct RequestDesk {
    pub db: DatabaseConnection,
    pub audit: AuditLog,
    pub planner: Arc<Planner>,
    pub limits: Limits,
    /// The portal's public URL: the builder id in provenance.
    pub builder: String,
    /// Where request events are announced; none without configured targets.
    pub webhooks: Option<Arc<WebhookConfig>>,
}

impl RequestDesk {
    /// Submits a request: the same dry run as the preview, refused when policy denies it
    /// or a sandbox quota is full; tier 3 is approved at once with the evidence recorded.
    pub async fn submit(
        &self,
        who: &Identity,
        origin: &Origin,
        template_id: &str,
        submitted: &BTreeMap<String, Value>,
    ) -> Result<request::Model, RequestError> {
        let preview = self
            .planner
            .preview(who, template_id, submitted)
            .await
            .map_err(|e| match e {
                PreviewError::UnknownTemplate(id) => RequestError::UnknownTemplate(id),
                PreviewError::Invalid(f) => RequestError::Invalid(f),
                PreviewError::Render(r) => RequestError::Render(r),
                PreviewError::Policy(p) => RequestError::Policy(p),
            })?;
        if preview.blocked {
            return Err(RequestError::Blocked(preview.findings));
        }
        let now = Utc::now();
        let id = uuid::Uuid::new_v4().to_string();
        let sandbox = sandbox_terms(&preview);
        if preview.template.sandbox.is_some() && sandbox.is_none() {
            return Err(RequestError::Render(format!(
                "the sandbox template `{}` does not map its size and time to live",
                preview.template.id
            )));
        }
        let team = sandbox.map(|_| {
            let mut teams: Vec<String> = who
                .groups
                .iter()
                .map(|g| g.to_string())
                .filter(|g| g.starts_with("team-"))
                .collect();
            teams.sort();
            teams.into_iter().next()
        });
        let row = request::ActiveModel {
            id: Set(id.clone()),
            template_id: Set(preview.template.id.clone()),
            template_version: Set(preview.template.version.clone()),
            template_digest: Set(preview.template.digest.clone()),
            kind: Set(preview.template.kind.name().to_string()),
            title: Set(title(&preview)),
            parameters: Set(serde_json::to_string(&preview.values).unwrap_or_default()),
            files: Set(serde_json::to_string(&preview.files).unwrap_or_default()),
            policy_results: Set(serde_json::to_string(&preview.findings).unwrap_or_default()),
            policy_digest: Set(self.planner.policies.digest.clone()),
            tier: Set(i32::from(preview.tier)),
            owners: Set(serde_json::to_string(&preview.template.owners).unwrap_or_default()),
            status: Set(RequestStatus::Pending),
            requester: Set(who.subject.clone()),
            requester_name: Set(who.name.clone()),
            requester_groups: Set(serde_json::to_string(
                &who.groups.iter().map(|g| g.to_string()).collect::<Vec<_>>(),
            )
            .unwrap_or_default()),
            team: Set(team.clone().flatten()),
            sandbox_units: Set(sandbox.map(|(units, _)| units as i32)),
            sandbox_expires_at: Set(None),
            sandbox_expired_at: Set(None),
            pending_until: Set(now + self.limits.pending_ttl),
            reason: Set(None),
            bundle: Set(None),
            decided_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        };
        let txn = crate::db::begin_write(&self.db).await?;
        let event = Event::new(Some(who), "request.submit", format!("request:{id}"))
            .origin(origin)
            .details(json!({
                "template": preview.template.id,
                "version": preview.template.version,
                "tier": preview.tier,
                "policy_digest": self.planner.policies.digest,
            }));
        // Taken first: the quota below counts every sandbox committed before this one.
        self.audit.append(&txn, &event).await?;
        if let Some((units, _)) = sandbox {
            self.check_quota(&txn, &who.subject, team.clone().flatten(), units, now)
                .await?;
        }
        let model = row.insert(&txn).await?;
        let warnings = preview
            .findings
            .iter()
            .filter(|f| f.level != Level::Deny)
            .count();
        self.record(
            &txn,
            &id,
            "submitted",
            &who.subject,
            &who.name,
            Some(format!(
                "Tier {} after policy ({} escalation(s) or warning(s)); {}",
                preview.tier,
                warnings,
                preview.approval_rule()
            )),
        )
        .await?;
        let model = if preview.tier == 3 {
            let detail = format!(
                "Tier 3: every policy passed (policies sha256:{}), approved automatically.",
                &self.planner.policies.digest[..12]
            );
            self.audit
                .append(
                    &txn,
                    &Event::by_name(SYSTEM, "policy", "request.approve", format!("request:{id}"))
                        .origin(origin)
                        .details(json!({"tier": 3, "automatic": true})),
                )
                .await?;
            let expires = sandbox.map(|(_, hours)| now + Duration::hours(i64::from(hours)));
            settle(&txn, &id, RequestStatus::Approved, None, now, expires).await?;
            self.record(
                &txn,
                &id,
                "approved",
                SYSTEM,
                "Gatehouse (policy)",
                Some(detail),
            )
            .await?;
            self.fulfil(&txn, &id, now).await?;
            request::Entity::find_by_id(id.clone())
                .one(&txn)
                .await?
                .unwrap_or(model)
        } else {
            model
        };
        txn.commit().await?;
        Ok(model)
    }

    /// approved → fulfilled: the signed bundle, in the approval's transaction.
    async fn fulfil(
        &self,
        txn: &DatabaseTransaction,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RequestError> {
        let record = load(txn, id).await?.ok_or(RequestError::NotFound)?;
        let key = self.audit.key();
        let bundle =
            super::bundle::build(&record.request, &record.approvals, now, &self.builder, key)
                .map_err(RequestError::Render)?;
        let digest = bundle["digest"]["sha256"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        self.audit
            .append(
                txn,
                &Event::by_name(SYSTEM, "signing", "request.fulfil", format!("request:{id}"))
                    .details(json!({"bundle_sha256": digest, "key": key.key_id()})),
            )
            .await?;
        let done = request::Entity::update_many()
            .col_expr(
                request::Column::Status,
                Expr::value(RequestStatus::Fulfilled),
            )
            .col_expr(request::Column::Bundle, Expr::value(bundle.to_string()))
            .col_expr(request::Column::UpdatedAt, Expr::value(now))
            .filter(request::Column::Id.eq(id))
            .filter(request::Column::Status.eq(RequestStatus::Approved))
            .exec(txn)
            .await?;
        if done.rows_affected != 1 {
            return Err(RequestError::Conflict(
                "This request changed in the meantime; reload it.".into(),
            ));
        }
        self.record(
            txn,
            id,
            "fulfilled",
            SYSTEM,
            "Gatehouse",
            Some(format!(
                "Bundle signed: sha256:{digest} (key {}).",
                key.key_id()
            )),
        )
        .await?;
        Ok(())
    }

    /// A sandbox request's time to live in hours, by its template's mapping.
    fn sandbox_hours(&self, r: &request::Model) -> Option<i64> {
        let template = self.planner.catalog.get(&r.template_id)?;
        let values = serde_json::from_str(&r.parameters).ok()?;
        crate::policy::input::sandbox_terms(template, &values)
            .get("ttl_hours")?
            .as_i64()
    }

    async fn check_quota(
        &self,
        txn: &DatabaseTransaction,
        subject: &str,
        team: Option<String>,
        units: u32,
        now: DateTime<Utc>,
    ) -> Result<(), RequestError> {
        let active = request::Entity::find()
            .filter(request::Column::Kind.eq("sandbox"))
            .filter(request::Column::Status.is_in([
                RequestStatus::Pending,
                RequestStatus::Approved,
                RequestStatus::Fulfilled,
            ]))
            .filter(request::Column::SandboxExpiredAt.is_null())
            .all(txn)
            .await?;
        let live: Vec<&request::Model> = active
            .iter()
            .filter(|r| r.sandbox_expires_at.is_none_or(|at| at > now))
            .collect();
        let sum = |rows: &[&request::Model]| {
            rows.iter()
                .map(|r| r.sandbox_units.unwrap_or(0).max(0) as u32)
                .sum::<u32>()
        };
        let mine: Vec<&request::Model> = live
            .iter()
            .copied()
            .filter(|r| r.requester == subject)
            .collect();
        let limits = self.limits;
        if mine.len() as u32 >= limits.user_active || sum(&mine) + units > limits.user_units {
            return Err(RequestError::Quota(format!(
                "Your sandbox quota is full: you have {} active sandbox(es) using {} of {} units (at most {} sandboxes); this one needs {units}. Cancel or let one expire first, or choose a smaller size.",
                mine.len(),
                sum(&mine),
                limits.user_units,
                limits.user_active
            )));
        }
        if let Some(team) = team {
            let theirs: Vec<&request::Model> = live
                .iter()
                .copied()
                .filter(|r| r.team.as_deref() == Some(team.as_str()))
                .collect();
            if theirs.len() as u32 >= limits.team_active || sum(&theirs) + units > limits.team_units
            {
                return Err(RequestError::Quota(format!(
                    "The sandbox quota of {team} is full: {} active sandbox(es) using {} of {} units (at most {} sandboxes); this one needs {units}.",
                    theirs.len(),
                    sum(&theirs),
                    limits.team_units,
                    limits.team_active
                )));
            }
        }
        Ok(())
    }

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

    /// Queues a failed webhook delivery of this request again (an operator's repair once
    /// the receiver is fixed), recorded in the audit log in the same transaction.
    pub async fn resend_notification(
        &self,
        who: &Identity,
        origin: &Origin,
        id: &str,
        delivery_id: &str,
    ) -> Result<RequestRecord, RequestError> {
        let txn = crate::db::begin_write(&self.db).await?;
        let delivery = outbox::resend(&txn, self.webhooks.as_deref(), id, delivery_id, Utc::now())
            .await
            .map_err(|e| match e {
                ResendError::NotFound => RequestError::NotFound,
                ResendError::Database(db) => RequestError::Database(db),
                other => RequestError::Conflict(other.to_string()),
            })?;
        let event = Event::new(Some(who), "webhook.resend", format!("request:{id}"))
            .origin(origin)
            .details(json!({
                "delivery": delivery.id,
                "event": delivery.event,
                "receiver": delivery.target_label,
            }));
        self.audit.append(&txn, &event).await?;
        let record = load(&txn, id).await?.ok_or(RequestError::NotFound)?;
        txn.commit().await?;
        Ok(record)
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
        let txn = crate::db::begin_write(&self.db).await?;
        self.audit
            .append(
                &txn,
                &Event::new(Some(who), "request.approval", format!("request:{id}")).origin(origin),
            )
            .await?;
        let record = load(&txn, id).await?.ok_or(RequestError::NotFound)?;
        let r = &record.request;
        decidable(r, who, Utc::now())?;
        let tier = r.tier.clamp(1, 3) as u8;
        let role = rules::counted_role(who, tier, &record.owners()).ok_or_else(|| {
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
        let mut roles = record.roles();
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
            let expires = match (r.sandbox_units, self.sandbox_hours(r)) {
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
        let txn = crate::db::begin_write(&self.db).await?;
        self.audit
            .append(
                &txn,
                &Event::new(Some(who), "request.reject", format!("request:{id}"))
                    .origin(origin)
                    .details(json!({"reason_chars": reason.chars().count()})),
            )
            .await?;
        let record = load(&txn, id).await?.ok_or(RequestError::NotFound)?;
        decidable(&record.request, who, Utc::now())?;
        let tier = record.request.tier.clamp(1, 3) as u8;
        if rules::counted_role(who, tier, &record.owners()).is_none() {
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
        let txn = crate::db::begin_write(&self.db).await?;
        self.audit
            .append(
                &txn,
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

    /// Expires pending requests past their time and records sandboxes past their TTL.
    /// Safe on every replica at once: each change is conditional.
    pub async fn expire_due(&self, now: DateTime<Utc>) -> Result<usize, DbErr> {
        let mut done = 0;
        let due = request::Entity::find()
            .filter(request::Column::Status.eq(RequestStatus::Pending))
            .filter(request::Column::PendingUntil.lte(now))
            .all(&self.db)
            .await?;
        for r in due {
            let txn = crate::db::begin_write(&self.db).await?;
            self.audit
                .append(
                    &txn,
                    &Event::by_name(
                        SYSTEM,
                        "timer",
                        "request.expire",
                        format!("request:{}", r.id),
                    ),
                )
                .await?;
            if settle(&txn, &r.id, RequestStatus::Expired, None, now, None)
                .await
                .is_ok()
            {
                self.record(
                    &txn,
                    &r.id,
                    "expired",
                    SYSTEM,
                    "Gatehouse",
                    Some("No decision in time.".into()),
                )
                .await?;
                txn.commit().await?;
                done += 1;
            }
        }
        let ended = request::Entity::find()
            .filter(request::Column::Kind.eq("sandbox"))
            .filter(
                request::Column::Status.is_in([RequestStatus::Approved, RequestStatus::Fulfilled]),
            )
            .filter(request::Column::SandboxExpiredAt.is_null())
            .filter(request::Column::SandboxExpiresAt.lte(now))
            .all(&self.db)
            .await?;
        for r in ended {
            let txn = crate::db::begin_write(&self.db).await?;
            self.audit
                .append(
                    &txn,
                    &Event::by_name(
                        SYSTEM,
                        "timer",
                        "sandbox.expire",
                        format!("request:{}", r.id),
                    ),
                )
                .await?;
            let changed = request::Entity::update_many()
                .col_expr(request::Column::SandboxExpiredAt, Expr::value(now))
                .col_expr(request::Column::UpdatedAt, Expr::value(now))
                .filter(request::Column::Id.eq(r.id.as_str()))
                .filter(request::Column::SandboxExpiredAt.is_null())
                .exec(&txn)
                .await?;
            if changed.rows_affected == 1 {
                self.record(
                    &txn,
                    &r.id,
                    "sandbox_expired",
                    SYSTEM,
                    "Gatehouse",
                    Some("The time to live ended; the sandbox is deleted.".into()),
                )
                .await?;
                txn.commit().await?;
                done += 1;
            }
        }
        Ok(done)
    }

    /// Adds an event to the request's timeline and, in the same transaction, queues its
    /// announcement to every webhook target.
    async fn record(
        &self,
        txn: &DatabaseTransaction,
        id: &str,
        kind: &str,
        actor: &str,
        actor_name: &str,
        detail: Option<String>,
    ) -> Result<(), DbErr> {
        let event = add_event(txn, id, kind, actor, actor_name, detail).await?;
        let Some(webhooks) = &self.webhooks else {
            return Ok(());
        };
        let Some(record) = load(txn, id).await? else {
            return Ok(());
        };
        let r = &record.request;
        let waiting_for = r
            .status
            .is_pending()
            .then(|| rules::missing(r.tier.clamp(1, 3) as u8, &record.roles()))
            .flatten();
        let notice = Notice {
            request: r,
            event: &event,
            waiting_for,
            request_url: format!("{}/requests/{id}", self.builder.trim_end_matches('/')),
        };
        outbox::enqueue(txn, webhooks, &notice, event.at).await
    }

    pub async fn find(&self, id: &str) -> Result<Option<RequestRecord>, DbErr> {
        let txn = crate::db::begin_read(&self.db).await?;
        let found = load(&txn, id).await?;
        txn.commit().await?;
        Ok(found)
    }

    /// The caller's own requests, newest first.
    pub async fn mine(&self, subject: &str) -> Result<Vec<request::Model>, DbErr> {
        request::Entity::find()
            .filter(request::Column::Requester.eq(subject))
            .order_by_desc(request::Column::CreatedAt)
            .all(&self.db)
            .await
    }

    /// Pending requests with their approvals, oldest first.
    pub async fn pending(&self) -> Result<Vec<RequestRecord>, DbErr> {
        let rows = request::Entity::find()
            .filter(request::Column::Status.eq(RequestStatus::Pending))
            .order_by_asc(request::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let approvals = approval::Entity::find()
            .filter(approval::Column::RequestId.is_in(ids))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|request| RequestRecord {
                approvals: approvals
                    .iter()
                    .filter(|a| a.request_id == request.id)
                    .cloned()
                    .collect(),
                request,
                events: Vec::new(),
                deliveries: Vec::new(),
            })
            .collect())
    }
}

/// Spawns the expiry timer (every `every`), on each replica.
pub fn spawn_expiry(
    desk: Arc<RequestDesk>,
    every: std::time::Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            match desk.expire_due(Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(expired = n, "requests and sandboxes expired"),
                Err(err) => {
                    tracing::warn!(error = %err, "expiry sweep failed; retrying at the next tick")
                }
            }
        }
    })
}

fn title(preview: &Preview) -> String {
    let name = ["service", "name", "stack"]
        .iter()
        .find_map(|k| preview.values.get(*k).and_then(Value::as_str));
    match name {
        Some(n) => format!("{} for {n}", preview.template.title),
        None => preview.template.title.clone(),
    }
}

/// A sandbox's size units and time to live (hours), from its template's mapping.
fn sandbox_terms(preview: &Preview) -> Option<(u32, u32)> {
    let terms = crate::policy::input::sandbox_terms(&preview.template, &preview.values);
    let units = u32::try_from(terms.get("units")?.as_u64()?).ok()?;
    let hours = u32::try_from(terms.get("ttl_hours")?.as_u64()?).ok()?;
    Some((units, hours))
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

async fn load(txn: &DatabaseTransaction, id: &str) -> Result<Option<RequestRecord>, DbErr> {
    let Some(request) = request::Entity::find_by_id(id.to_string()).one(txn).await? else {
        return Ok(None);
    };
    let events = request_event::Entity::find()
        .filter(request_event::Column::RequestId.eq(id))
        .order_by_asc(request_event::Column::Id)
        .all(txn)
        .await?;
    let approvals = approval::Entity::find()
        .filter(approval::Column::RequestId.eq(id))
        .order_by_asc(approval::Column::Id)
        .all(txn)
        .await?;
    let deliveries = outbox::for_request(txn, id).await?;
    Ok(Some(RequestRecord {
        request,
        events,
        approvals,
        deliveries,
    }))
}

/// Settles a pending request as `to` (approved, rejected, cancelled, expired), only if it
/// is still pending; the state machine must allow the move.
async fn settle(
    txn: &DatabaseTransaction,
    id: &str,
    to: RequestStatus,
    reason: Option<&str>,
    now: DateTime<Utc>,
    sandbox_expires_at: Option<DateTime<Utc>>,
) -> Result<(), RequestError> {
    let from = RequestStatus::Pending;
    if !from.may_become(to) {
        return Err(RequestError::Conflict(format!(
            "A request that is {from} cannot become {to}."
        )));
    }
    let mut update = request::Entity::update_many()
        .col_expr(request::Column::Status, Expr::value(to))
        .col_expr(request::Column::DecidedAt, Expr::value(now))
        .col_expr(request::Column::UpdatedAt, Expr::value(now));
    if let Some(reason) = reason {
        update = update.col_expr(request::Column::Reason, Expr::value(reason));
    }
    if let Some(at) = sandbox_expires_at {
        update = update.col_expr(request::Column::SandboxExpiresAt, Expr::value(at));
    }
    let done = update
        .filter(request::Column::Id.eq(id))
        .filter(request::Column::Status.eq(from))
        .exec(txn)
        .await?;
    if done.rows_affected == 1 {
        Ok(())
    } else {
        Err(RequestError::Conflict(
            "This request changed in the meantime; reload it.".into(),
        ))
    }
}

async fn add_event(
    txn: &DatabaseTransaction,
    id: &str,
    kind: &str,
    actor: &str,
    actor_name: &str,
    detail: Option<String>,
) -> Result<request_event::Model, DbErr> {
    request_event::ActiveModel {
        request_id: Set(id.to_string()),
        kind: Set(kind.into()),
        actor: Set(actor.into()),
        actor_name: Set(actor_name.into()),
        detail: Set(detail),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await
}
