//! The timer's side of the state machine: pending requests that waited too long expire,
//! and sandboxes past their time to live are recorded as deleted. Safe on every replica at
//! once, because each change is conditional on the state it was found in.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter};

use crate::audit::Event;
use crate::entities::request;
use crate::periodic::{self, Start};

use super::desk::{RequestDesk, SYSTEM};
use super::record::settle;
use super::status::RequestStatus;

impl RequestDesk {
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
            let txn = self
                .audit
                .begin(&self.db, &timer_event("request.expire", &r.id))
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
            let txn = self
                .audit
                .begin(&self.db, &timer_event("sandbox.expire", &r.id))
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
}

/// The timer's audit event for `action` on request `id`.
fn timer_event(action: &str, id: &str) -> Event {
    Event::by_name(SYSTEM, "timer", action, format!("request:{id}"))
}

/// Spawns the expiry timer (every `every`), on each replica.
pub fn spawn_expiry(
    desk: Arc<RequestDesk>,
    every: std::time::Duration,
) -> tokio::task::JoinHandle<()> {
    periodic::every("the expiry sweep", every, Start::Now, move || {
        let desk = desk.clone();
        async move {
            let expired = desk.expire_due(Utc::now()).await?;
            if expired > 0 {
                tracing::info!(expired, "requests and sandboxes expired");
            }
            Ok::<_, DbErr>(())
        }
    })
}
