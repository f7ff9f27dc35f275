//! Drains the outbox. Runs on every replica: a delivery is claimed with a conditional
//! update (one replica wins; a claim lapses if its replica dies mid-attempt), sent, and
//! recorded as delivered, as due again after a backoff, or as failed after the last attempt.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use rand::Rng;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::entities::webhook_delivery::{self, Column};

use super::{WebhookConfig, sign};

/// Deliveries taken per sweep, and sent at once.
const BATCH: u64 = 32;
const PARALLEL: usize = 8;

/// The outcome of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    Delivered(u16),
    /// The receiver answered with something other than 2xx.
    Refused(u16),
    /// No answer: connection refused, timeout, TLS failure.
    Unreachable(String),
}

pub struct Dispatcher {
    db: DatabaseConnection,
    config: Arc<WebhookConfig>,
    client: reqwest::Client,
}

impl Dispatcher {
    pub fn new(db: DatabaseConnection, config: Arc<WebhookConfig>) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            // A redirect could carry the signed body somewhere nobody configured.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.timeout)
            .user_agent(concat!("Gatehouse-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self { db, config, client })
    }

    /// Sends every delivery that is due; returns how many were attempted.
    pub async fn deliver_due(&self, now: DateTime<Utc>) -> Result<usize, DbErr> {
        let due = webhook_delivery::Entity::find()
            .filter(Column::Status.eq("pending"))
            .filter(Column::NextAttemptAt.lte(now))
            .filter(unclaimed(now))
            .order_by_asc(Column::NextAttemptAt)
            .limit(BATCH)
            .all(&self.db)
            .await?;
        let mut claimed = Vec::new();
        for delivery in due {
            if self.claim(&delivery, now).await? {
                claimed.push(delivery);
            }
        }
        let count = claimed.len();
        let results: Vec<Result<(), DbErr>> = futures_util::stream::iter(claimed)
            .map(|d| self.attempt(d))
            .buffer_unordered(PARALLEL)
            .collect()
            .await;
        results.into_iter().collect::<Result<(), DbErr>>()?;
        Ok(count)
    }

    async fn claim(&self, d: &webhook_delivery::Model, now: DateTime<Utc>) -> Result<bool, DbErr> {
        let lease = chrono::Duration::from_std(self.config.timeout + Duration::from_secs(30))
            .unwrap_or(chrono::Duration::minutes(5));
        let done = webhook_delivery::Entity::update_many()
            .col_expr(Column::ClaimedUntil, Expr::value(now + lease))
            .filter(Column::Id.eq(d.id.as_str()))
            .filter(Column::Status.eq("pending"))
            .filter(Column::Attempts.eq(d.attempts))
            .filter(unclaimed(now))
            .exec(&self.db)
            .await?;
        Ok(done.rows_affected == 1)
    }

    async fn attempt(&self, d: webhook_delivery::Model) -> Result<(), DbErr> {
        let outcome = match self.config.target(&d.target) {
            Some(target) => Some(self.send(&target.url, &d).await),
            None => None,
        };
        let now = Utc::now();
        let attempts = d.attempts + 1;
        let mut update = webhook_delivery::Entity::update_many()
            .col_expr(Column::Attempts, Expr::value(attempts))
            .col_expr(
                Column::ClaimedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(Column::UpdatedAt, Expr::value(now));
        let (status, code, error) = match &outcome {
            None => (
                "failed",
                None,
                Some("This target is no longer configured; nothing was sent.".to_string()),
            ),
            Some(Attempt::Delivered(code)) => ("delivered", Some(*code), None),
            Some(Attempt::Refused(code)) => (
                retry_or_fail(attempts, &self.config),
                Some(*code),
                Some(format!("The receiver answered HTTP {code}.")),
            ),
            Some(Attempt::Unreachable(why)) => (
                retry_or_fail(attempts, &self.config),
                None,
                Some(why.clone()),
            ),
        };
        update = update
            .col_expr(Column::Status, Expr::value(status))
            .col_expr(Column::LastStatusCode, Expr::value(code.map(i32::from)))
            .col_expr(Column::LastError, Expr::value(error.clone()));
        match status {
            "delivered" => update = update.col_expr(Column::DeliveredAt, Expr::value(now)),
            "pending" => {
                let wait = jitter(self.config.delay_after(attempts as u32));
                let next =
                    now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1));
                update = update.col_expr(Column::NextAttemptAt, Expr::value(next));
            }
            _ => {}
        }
        update
            .filter(Column::Id.eq(d.id.as_str()))
            .filter(Column::Attempts.eq(d.attempts))
            .exec(&self.db)
            .await?;
        match status {
            "delivered" => {
                tracing::debug!(delivery = %d.id, event = %d.event, target = %d.target_label, attempts, "webhook delivered")
            }
            "failed" => {
                tracing::warn!(delivery = %d.id, event = %d.event, target = %d.target_label, attempts, error = ?error, "webhook delivery failed for good")
            }
            _ => {
                tracing::info!(delivery = %d.id, event = %d.event, target = %d.target_label, attempts, error = ?error, "webhook delivery will be retried")
            }
        }
        Ok(())
    }

    /// One signed POST. The timestamp is the sending time, so each retry is signed afresh.
    async fn send(&self, url: &url::Url, d: &webhook_delivery::Model) -> Attempt {
        let timestamp = Utc::now().timestamp();
        let result = self
            .client
            .post(url.clone())
            .header(http::header::CONTENT_TYPE, "application/json")
            .header("X-Gatehouse-Event", &d.event)
            .header("X-Gatehouse-Delivery", &d.id)
            .header("X-Gatehouse-Timestamp", timestamp.to_string())
            .header(
                "X-Gatehouse-Signature",
                sign::signature(&self.config.secret, timestamp, &d.body),
            )
            .body(d.body.clone())
            .send()
            .await;
        match result {
            Ok(response) if response.status().is_success() => {
                Attempt::Delivered(response.status().as_u16())
            }
            Ok(response) => Attempt::Refused(response.status().as_u16()),
            Err(err) => Attempt::Unreachable(describe(err, self.config.timeout)),
        }
    }
}

fn unclaimed(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(Column::ClaimedUntil.is_null())
        .add(Column::ClaimedUntil.lt(now))
}

fn retry_or_fail(attempts: i32, config: &WebhookConfig) -> &'static str {
    if attempts as u32 >= config.max_attempts {
        "failed"
    } else {
        "pending"
    }
}

/// Up to a tenth more, so targets that failed together do not retry in lockstep.
fn jitter(wait: Duration) -> Duration {
    let extra = rand::rng().random_range(0.0..0.1);
    wait.mul_f64(1.0 + extra)
}

/// A transport error in words, without the URL (it may carry a token).
fn describe(err: reqwest::Error, timeout: Duration) -> String {
    if err.is_timeout() {
        return format!("No answer within {} s.", timeout.as_secs_f64());
    }
    let connect = err.is_connect();
    let err = err.without_url();
    // The innermost cause says most: "Connection refused", "invalid peer certificate", ...
    let mut cause: &dyn std::error::Error = &err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    if connect {
        format!("Could not connect to the receiver: {cause}.")
    } else {
        format!("The request failed: {cause}.")
    }
}

/// Runs the dispatcher every `every` on this replica.
pub fn spawn(dispatcher: Dispatcher, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(err) = dispatcher.deliver_due(Utc::now()).await {
                tracing::warn!(error = %err, "webhook sweep failed; retrying at the next tick");
            }
        }
    })
}
