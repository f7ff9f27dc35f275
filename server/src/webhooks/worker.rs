//! Drains the outbox. Runs on every replica. Each delivery is claimed just before it is sent,
//! with a conditional update that sets a fresh claim token and a lease (one replica wins; a
//! lease lapses if its replica dies mid-attempt), and its result is recorded only while the
//! token is still the one set: delivered, due again after a backoff, or failed after the
//! last attempt. Attempts run as their own tasks, at most [`PARALLEL`] at once, so a slow
//! receiver never holds up the sweep. With several receivers each may hold only its share
//! of them (8/n rounded up, at least two), and each sweep starts with the next receiver, so
//! one that never answers cannot starve the others.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use tokio::sync::Semaphore;
use tokio::task::JoinHandle;

use crate::entities::webhook_delivery::{self, Column};
use crate::periodic::{self, Start};

use super::{WebhookConfig, sign};

/// Attempts in flight on one replica.
pub const PARALLEL: usize = 8;
/// A delivery whose target no replica here knows is failed once it is this overdue.
const ORPHAN_AFTER: chrono::Duration = chrono::Duration::hours(24);
/// How often a replica deletes settled deliveries past their retention.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// The outcome of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Attempt {
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
    slots: Arc<Semaphore>,
    /// Each target's share of the slots, by target id.
    lanes: HashMap<String, Arc<Semaphore>>,
    /// Which target the next sweep serves first.
    turn: std::sync::atomic::AtomicUsize,
    /// When this replica last pruned old deliveries.
    pruned: std::sync::Mutex<Option<std::time::Instant>>,
    /// Told each attempt's outcome (`delivered`, `retrying`, `failed`): the metrics.
    observer: Observer,
}

/// Hears the outcome of each attempt.
pub type Observer = Box<dyn Fn(&'static str) + Send + Sync>;

impl Dispatcher {
    pub fn new(
        db: DatabaseConnection,
        config: Arc<WebhookConfig>,
    ) -> Result<Arc<Self>, reqwest::Error> {
        Self::observed(db, config, Box::new(|_| {}))
    }

    /// A dispatcher that reports each attempt's outcome to `observer`.
    pub fn observed(
        db: DatabaseConnection,
        config: Arc<WebhookConfig>,
        observer: Observer,
    ) -> Result<Arc<Self>, reqwest::Error> {
        let client = reqwest::Client::builder()
            // A redirect could carry the signed body somewhere nobody configured.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.timeout)
            .user_agent(concat!("Gatehouse-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()?;
        let share = per_target(config.targets.len());
        let lanes = config
            .targets
            .iter()
            .map(|t| (t.id.clone(), Arc::new(Semaphore::new(share))))
            .collect();
        Ok(Arc::new(Self {
            db,
            config,
            client,
            slots: Arc::new(Semaphore::new(PARALLEL)),
            lanes,
            turn: std::sync::atomic::AtomicUsize::new(0),
            pruned: std::sync::Mutex::new(None),
            observer,
        }))
    }

    /// Starts an attempt for each due delivery to one of this replica's targets while a slot
    /// (and that target's share) is free, and returns their tasks (the timer drops them;
    /// tests wait for them).
    pub async fn sweep(self: &Arc<Self>) -> Result<Vec<JoinHandle<()>>, DbErr> {
        self.fail_orphans().await?;
        if self.prune_due() {
            // Housekeeping: a failure is logged and tried again in an hour; the sweep goes on.
            match self.prune(Utc::now()).await {
                Ok(0) => {}
                Ok(gone) => {
                    tracing::info!(
                        deleted = gone,
                        "deleted webhook deliveries past their retention"
                    )
                }
                Err(err) => {
                    tracing::warn!(error = %err, "could not delete old webhook deliveries; trying again in an hour")
                }
            }
        }
        let mut started = Vec::new();
        let targets = &self.config.targets;
        let first = self.turn.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        for n in 0..targets.len() {
            let target = &targets[(first + n) % targets.len()];
            let lane = &self.lanes[&target.id];
            let free = lane.available_permits().min(self.slots.available_permits());
            if free == 0 {
                continue;
            }
            let now = Utc::now();
            let due = webhook_delivery::Entity::find()
                .filter(Column::Status.eq("pending"))
                .filter(Column::NextAttemptAt.lte(now))
                .filter(Column::Target.eq(target.id.as_str()))
                .filter(unclaimed(now))
                .order_by_asc(Column::NextAttemptAt)
                .limit(free as u64)
                .all(&self.db)
                .await?;
            for delivery in due {
                let (Ok(slot), Ok(share)) = (
                    self.slots.clone().try_acquire_owned(),
                    lane.clone().try_acquire_owned(),
                ) else {
                    break;
                };
                let Some(token) = self.claim(&delivery).await? else {
                    continue;
                };
                let (me, url) = (self.clone(), target.url.clone());
                started.push(tokio::spawn(async move {
                    let _held = (slot, share);
                    if let Err(err) = me.attempt(&url, delivery, &token).await {
                        tracing::warn!(error = %err, "could not record a webhook attempt; it will be retried when its claim lapses");
                    }
                }));
            }
        }
        Ok(started)
    }

    /// Whether an hour has passed since this replica last pruned (and if so, marks it done).
    fn prune_due(&self) -> bool {
        let mut last = self.pruned.lock().unwrap_or_else(|e| e.into_inner());
        if last.is_some_and(|at| at.elapsed() < PRUNE_EVERY) {
            return false;
        }
        *last = Some(std::time::Instant::now());
        true
    }

    /// Deletes delivered and failed deliveries whose last attempt is older than the
    /// retention; pending ones stay whatever their age. Returns how many went.
    pub async fn prune(&self, now: DateTime<Utc>) -> Result<u64, DbErr> {
        let keep =
            chrono::Duration::from_std(self.config.retention).unwrap_or(chrono::Duration::days(90));
        let gone = webhook_delivery::Entity::delete_many()
            .filter(Column::Status.is_in(["delivered", "failed"]))
            .filter(Column::UpdatedAt.lt(now - keep))
            .exec(&self.db)
            .await?;
        Ok(gone.rows_affected)
    }

    /// Takes the delivery for one attempt; `None` when another replica (or task) has it.
    async fn claim(&self, d: &webhook_delivery::Model) -> Result<Option<String>, DbErr> {
        let now = Utc::now();
        let lease = chrono::Duration::from_std(self.config.timeout + Duration::from_secs(30))
            .unwrap_or(chrono::Duration::minutes(5));
        let token = uuid::Uuid::new_v4().to_string();
        let done = webhook_delivery::Entity::update_many()
            .col_expr(Column::ClaimedUntil, Expr::value(now + lease))
            .col_expr(Column::Claim, Expr::value(token.clone()))
            .filter(Column::Id.eq(d.id.as_str()))
            .filter(Column::Status.eq("pending"))
            .filter(Column::Attempts.eq(d.attempts))
            .filter(unclaimed(now))
            .exec(&self.db)
            .await?;
        Ok((done.rows_affected == 1).then_some(token))
    }

    async fn attempt(
        &self,
        url: &url::Url,
        d: webhook_delivery::Model,
        token: &str,
    ) -> Result<(), DbErr> {
        let outcome = self.send(url, &d).await;
        let now = Utc::now();
        let attempts = d.attempts + 1;
        let last_try = attempts as u32 >= self.config.max_attempts;
        let (status, code, error) = match outcome {
            Attempt::Delivered(code) => ("delivered", Some(code), None),
            Attempt::Refused(code) => (
                if last_try { "failed" } else { "pending" },
                Some(code),
                Some(if (300..400).contains(&code) {
                    format!(
                        "The receiver answered HTTP {code}; redirects are not followed, so configure the URL it points to."
                    )
                } else {
                    format!("The receiver answered HTTP {code}.")
                }),
            ),
            Attempt::Unreachable(why) => {
                (if last_try { "failed" } else { "pending" }, None, Some(why))
            }
        };
        let mut update = webhook_delivery::Entity::update_many()
            .col_expr(Column::Attempts, Expr::value(attempts))
            .col_expr(
                Column::ClaimedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(Column::Claim, Expr::value(Option::<String>::None))
            .col_expr(Column::Status, Expr::value(status))
            .col_expr(Column::LastStatusCode, Expr::value(code.map(i32::from)))
            .col_expr(Column::LastError, Expr::value(error.clone()))
            .col_expr(Column::UpdatedAt, Expr::value(now));
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
        let recorded = update
            .filter(Column::Id.eq(d.id.as_str()))
            .filter(Column::Claim.eq(token))
            .exec(&self.db)
            .await?;
        if recorded.rows_affected != 1 {
            // The lease lapsed mid-attempt and another replica took the delivery over.
            tracing::warn!(delivery = %d.id, "webhook attempt outlived its claim; the other replica's result stands");
            return Ok(());
        }
        (self.observer)(if status == "pending" {
            "retrying"
        } else {
            status
        });
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
                sign::signature(&self.config.secret, timestamp, &d.id, &d.body),
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

    /// Deliveries to a target no replica here knows (the setting changed, or replicas
    /// disagree) wait a day for a replica that knows it, then fail with the reason.
    async fn fail_orphans(&self) -> Result<(), DbErr> {
        let now = Utc::now();
        webhook_delivery::Entity::update_many()
            .col_expr(Column::Status, Expr::value("failed"))
            .col_expr(
                Column::LastError,
                Expr::value(
                    "No replica had this target configured for a day; nothing more was sent.",
                ),
            )
            .col_expr(Column::UpdatedAt, Expr::value(now))
            // A late attempt still holding the old token must not record over this.
            .col_expr(Column::Claim, Expr::value(Option::<String>::None))
            .filter(Column::Status.eq("pending"))
            .filter(Column::Target.is_not_in(self.config.target_ids()))
            .filter(Column::NextAttemptAt.lt(now - ORPHAN_AFTER))
            .filter(unclaimed(now))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}

/// The slots one target may hold: all of them when it is the only one, else an equal share
/// rounded up, at least two (the shares may add up to more than the slots; the first served
/// take them, and each sweep serves another first).
fn per_target(targets: usize) -> usize {
    if targets <= 1 {
        PARALLEL
    } else {
        PARALLEL.div_ceil(targets).max(2)
    }
}

fn unclaimed(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(Column::ClaimedUntil.is_null())
        .add(Column::ClaimedUntil.lt(now))
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

/// Sweeps every `every` on this replica.
pub fn spawn(dispatcher: Arc<Dispatcher>, every: Duration) -> JoinHandle<()> {
    periodic::every("the webhook sweep", every, Start::Now, move || {
        let dispatcher = dispatcher.clone();
        async move { dispatcher.sweep().await.map(drop) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_receiver_gets_every_slot_and_several_share_them() {
        let shares: Vec<usize> = [1, 2, 3, 4, 10].map(per_target).to_vec();
        assert_eq!(shares, [PARALLEL, 4, 3, 2, 2]);
    }
}
