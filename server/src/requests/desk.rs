//! The request desk: where requests are submitted, fulfilled and read. Its state machine
//! (pending → approved | rejected | cancelled | expired, approved → fulfilled) is in
//! [`super::status`]; decisions are in [`super::decide`] and the timer in [`super::expiry`].
//! Every transition is one transaction with its audit event. The audit append serializes
//! writers on every replica, and each update is conditional on the state it was decided
//! from, so two approvers at once, or an approval racing a cancel, end in exactly one valid
//! state with every event recorded.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set,
};
use serde_json::{Value, json};

use crate::audit::{AuditLog, Event, Origin};
use crate::auth::Identity;
use crate::entities::{approval, request};
use crate::policy::Level;
use crate::webhooks::WebhookConfig;
use crate::webhooks::outbox::{self, Notice, ResendError};

use super::error::RequestError;
use super::limits::Limits;
use super::preview::{Planner, Preview, PreviewError};
use super::record::{RequestRecord, add_event, load, settle};
use super::rules;
use super::status::RequestStatus;

/// The longest rejection reason kept, in characters.
pub const MAX_REASON: usize = 2000;
/// The actor of what the portal does by itself (automatic approval, expiry).
pub const SYSTEM: &str = "gatehouse";

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
    ) -> Result<RequestRecord, RequestError> {
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
        let event = Event::new(Some(who), "request.submit", format!("request:{id}"))
            .origin(origin)
            .details(json!({
                "template": preview.template.id,
                "version": preview.template.version,
                "tier": preview.tier,
                "policy_digest": self.planner.policies.digest,
            }));
        // Taken first: the quota below counts every sandbox committed before this one.
        let txn = self.audit.begin(&self.db, &event).await?;
        if let Some((units, _)) = sandbox {
            self.check_quota(&txn, &who.subject, team.clone().flatten(), units, now)
                .await?;
        }
        row.insert(&txn).await?;
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
        if preview.tier == 3 {
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
        }
        // Read back in the same transaction: the caller gets what was committed, with its
        // timeline, without a second round trip.
        let record = load(&txn, &id).await?.ok_or(RequestError::NotFound)?;
        txn.commit().await?;
        Ok(record)
    }

    /// approved → fulfilled: the signed bundle, in the approval's transaction.
    pub(super) async fn fulfil(
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
    /// Parameters that do not decode are a read error, not a missing time to live.
    pub(super) fn sandbox_hours(&self, r: &request::Model) -> Result<Option<i64>, DbErr> {
        let Some(template) = self.planner.catalog.get(&r.template_id) else {
            return Ok(None);
        };
        let values = r.parameters()?.into_iter().collect();
        Ok(crate::policy::input::sandbox_terms(template, &values)
            .get("ttl_hours")
            .and_then(|h| h.as_i64()))
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

    /// Adds an event to the request's timeline and, in the same transaction, queues its
    /// announcement to every webhook target.
    pub(super) async fn record(
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
            .then(|| {
                record
                    .roles()
                    .map(|roles| rules::missing(r.tier.clamp(1, 3) as u8, &roles))
            })
            .transpose()?
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
