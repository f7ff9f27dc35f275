//! Work each replica repeats on a timer: request expiry, webhook deliveries, runbook
//! revisions from other replicas, session purging, audit signing. One loop for all of them,
//! so every job skips missed ticks the same way and a failed round is logged and retried at
//! the next tick rather than ending the task.

use std::fmt::Display;
use std::future::Future;
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio::time::{Instant, MissedTickBehavior, interval_at};

/// When the first round runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// At once (work may be waiting from before a restart).
    Now,
    /// One period from now (start-up already did it).
    AfterOnePeriod,
}

/// Runs `round` every `period` until the handle is aborted. `what` names the job in the
/// warning a failed round logs.
pub fn every<F, Fut, E>(
    what: &'static str,
    period: Duration,
    start: Start,
    mut round: F,
) -> JoinHandle<()>
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: Future<Output = Result<(), E>> + Send,
    E: Display,
{
    tokio::spawn(async move {
        let first = match start {
            Start::Now => Instant::now(),
            Start::AfterOnePeriod => Instant::now() + period,
        };
        let mut tick = interval_at(first, period);
        tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(err) = round().await {
                tracing::warn!(error = %err, "{what} failed; retrying at the next tick");
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn counting(start: Start, period: Duration) -> (Arc<AtomicUsize>, JoinHandle<()>) {
        let rounds = Arc::new(AtomicUsize::new(0));
        let counted = rounds.clone();
        let task = every("test job", period, start, move || {
            let n = counted.fetch_add(1, Ordering::SeqCst);
            async move {
                if n.is_multiple_of(2) {
                    Err("boom")
                } else {
                    Ok(())
                }
            }
        });
        (rounds, task)
    }

    #[tokio::test]
    async fn a_failed_round_does_not_stop_the_next_ones() {
        let (rounds, task) = counting(Start::Now, Duration::from_millis(5));
        let waited = tokio::time::timeout(Duration::from_secs(20), async {
            while rounds.load(Ordering::SeqCst) < 4 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
        .await;
        task.abort();
        assert!(
            waited.is_ok(),
            "rounds 0 and 2 failed, and 1 and 3 still ran"
        );
    }

    #[tokio::test]
    async fn after_one_period_waits_a_period_first() {
        let (rounds, task) = counting(Start::AfterOnePeriod, Duration::from_secs(3600));
        tokio::time::sleep(Duration::from_millis(50)).await;
        task.abort();
        assert_eq!(rounds.load(Ordering::SeqCst), 0);
    }
}
