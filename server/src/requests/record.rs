//! A request as read back (its row, timeline, approvals and deliveries), and the two writes
//! every transition makes: the conditional status change and the timeline entry.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::entities::{approval, request, request_event, webhook_delivery};
use crate::webhooks::outbox;

use super::error::RequestError;
use super::rules::ApproverRole;
use super::status::RequestStatus;

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
    pub fn owners(&self) -> Result<Vec<String>, DbErr> {
        self.request.owners()
    }

    /// The roles the approvals counted as; a role Gatehouse does not know is a read error,
    /// since dropping it would change whether the rule is met.
    pub fn roles(&self) -> Result<Vec<ApproverRole>, DbErr> {
        self.approvals
            .iter()
            .map(|a| {
                ApproverRole::parse(&a.as_role).ok_or_else(|| {
                    DbErr::Type(format!(
                        "approval {} of `{}` counts as `{}`, which is not a role",
                        a.id, a.request_id, a.as_role
                    ))
                })
            })
            .collect()
    }
}

pub(super) async fn load(
    txn: &DatabaseTransaction,
    id: &str,
) -> Result<Option<RequestRecord>, DbErr> {
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
pub(super) async fn settle(
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

/// Appends one entry to the request's timeline.
pub(super) async fn add_event(
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
