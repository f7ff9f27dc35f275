//! Writing notifications into the outbox (inside the caller's transaction), and reading a
//! request's deliveries back.

use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use serde_json::{Value, json};

use crate::entities::{request, request_event, webhook_delivery};

use super::WebhookConfig;

/// A request event to announce.
pub struct Notice<'a> {
    pub request: &'a request::Model,
    pub event: &'a request_event::Model,
    /// What approvals are still missing, while it waits for them.
    pub waiting_for: Option<String>,
    /// The request's page in the portal.
    pub request_url: String,
}

/// The event name receivers switch on: `request.` and the timeline kind.
pub fn event_name(kind: &str) -> String {
    format!("request.{kind}")
}

/// The JSON body: the event, and the request as it stands after it. Parameters, files and
/// the bundle stay in the portal; the link leads there.
pub fn body(notice: &Notice<'_>) -> Value {
    let r = notice.request;
    let e = notice.event;
    json!({
        "event": event_name(&e.kind),
        "sequence": e.id,
        "occurred_at": e.at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "actor": {"subject": e.actor, "name": e.actor_name},
        "detail": e.detail,
        "request": {
            "id": r.id,
            "url": notice.request_url,
            "title": r.title,
            "template": {"id": r.template_id, "version": r.template_version},
            "kind": r.kind,
            "tier": r.tier,
            "status": r.status.as_str(),
            "requester": {"subject": r.requester, "name": r.requester_name},
            "needs_approval": notice.waiting_for.is_some(),
            "waiting_for": notice.waiting_for,
            "reason": r.reason,
            "sandbox_expires_at": r.sandbox_expires_at.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
        },
    })
}

/// One pending delivery per target, in the caller's transaction.
pub async fn enqueue<C: ConnectionTrait>(
    conn: &C,
    config: &WebhookConfig,
    notice: &Notice<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let body = body(notice).to_string();
    for target in &config.targets {
        webhook_delivery::ActiveModel {
            id: Set(uuid::Uuid::new_v4().to_string()),
            request_id: Set(notice.request.id.clone()),
            event: Set(event_name(&notice.event.kind)),
            target: Set(target.id.clone()),
            target_label: Set(target.label.clone()),
            body: Set(body.clone()),
            status: Set("pending".into()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            claimed_until: Set(None),
            claim: Set(None),
            last_status_code: Set(None),
            last_error: Set(None),
            created_at: Set(now),
            delivered_at: Set(None),
            updated_at: Set(now),
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}

/// A request's deliveries, oldest first.
pub async fn for_request<C: ConnectionTrait>(
    conn: &C,
    request_id: &str,
) -> Result<Vec<webhook_delivery::Model>, DbErr> {
    webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::RequestId.eq(request_id))
        .order_by_asc(webhook_delivery::Column::CreatedAt)
        .order_by_asc(webhook_delivery::Column::Id)
        .all(conn)
        .await
}

/// Why a delivery cannot be sent again.
#[derive(Debug, thiserror::Error)]
pub enum ResendError {
    #[error("no such notification on this request")]
    NotFound,
    #[error("This notification is {0}; only a failed one is sent again.")]
    NotFailed(String),
    #[error(
        "Its receiver ({0}) is no longer configured on this portal; add it to GATEHOUSE_WEBHOOK_URLS first."
    )]
    UnknownTarget(String),
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// Puts a failed delivery back in the queue with a fresh set of attempts, due at once. It
/// keeps its id, so a receiver that saw an earlier attempt can tell it is the same
/// notification. The conditional update comes first, so a racing resend or worker meets a
/// write lock rather than a stale read.
pub async fn resend<C: ConnectionTrait>(
    conn: &C,
    config: Option<&WebhookConfig>,
    request_id: &str,
    delivery_id: &str,
    now: DateTime<Utc>,
) -> Result<webhook_delivery::Model, ResendError> {
    use webhook_delivery::Column;
    let known = config.map(WebhookConfig::target_ids).unwrap_or_default();
    let done = webhook_delivery::Entity::update_many()
        .col_expr(Column::Status, Expr::value("pending"))
        .col_expr(Column::Attempts, Expr::value(0))
        .col_expr(Column::NextAttemptAt, Expr::value(now))
        .col_expr(
            Column::ClaimedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(Column::Claim, Expr::value(Option::<String>::None))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(delivery_id))
        .filter(Column::RequestId.eq(request_id))
        .filter(Column::Status.eq("failed"))
        .filter(Column::Target.is_in(known.clone()))
        .exec(conn)
        .await?;
    let found = webhook_delivery::Entity::find_by_id(delivery_id)
        .filter(Column::RequestId.eq(request_id))
        .one(conn)
        .await?
        .ok_or(ResendError::NotFound)?;
    match done.rows_affected {
        1 => Ok(found),
        _ if !known.contains(&found.target) => Err(ResendError::UnknownTarget(found.target_label)),
        // Not failed, or no longer failed by the time it was read.
        _ => Err(ResendError::NotFailed(found.status)),
    }
}
