//! `gatehouse audit verify`: walks the whole chain and every checkpoint and names the first
//! thing that does not hold.

use ed25519_dalek::VerifyingKey;
use sea_orm::ColumnTrait;
use sea_orm::{DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::chain::{GENESIS, Link};
use super::signing::{checkpoint_signed_by, key_id};
use crate::entities::{audit_checkpoint, audit_event, audit_head};

/// Events read per query while verifying.
const PAGE: u64 = 1000;

/// What verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub events: i64,
    pub checkpoints: usize,
    /// The first problem, if any.
    pub failure: Option<Failure>,
}

/// The first event or checkpoint that fails, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    #[error("event #{seq} is missing: the chain jumps from #{previous} to #{found}")]
    Missing { seq: i64, previous: i64, found: i64 },
    #[error(
        "event #{seq} ({action} by {actor}) was changed after it was written: its hash does not match its contents"
    )]
    Changed {
        seq: i64,
        action: String,
        actor: String,
    },
    #[error("event #{seq} does not link to event #{previous}: an event before it was replaced")]
    Unlinked { seq: i64, previous: i64 },
    #[error("events after #{last} are missing: the log's head says #{head}")]
    Truncated { last: i64, head: i64 },
    #[error("checkpoint at #{seq} does not match event #{seq}")]
    CheckpointMismatch { seq: i64 },
    #[error("checkpoint at #{seq} has a bad signature (key {key_id}; expected key {expected})")]
    BadSignature {
        seq: i64,
        key_id: String,
        expected: String,
    },
}

impl Failure {
    /// The sequence number of the event the failure is about.
    pub fn seq(&self) -> i64 {
        match self {
            Failure::Missing { seq, .. }
            | Failure::Changed { seq, .. }
            | Failure::Unlinked { seq, .. }
            | Failure::CheckpointMismatch { seq }
            | Failure::BadSignature { seq, .. } => *seq,
            Failure::Truncated { last, .. } => last + 1,
        }
    }
}

/// Checks every event's hash and link, then every checkpoint's signature under `public`.
pub async fn verify(db: &DatabaseConnection, public: &VerifyingKey) -> Result<Report, DbErr> {
    let mut report = Report {
        events: 0,
        checkpoints: 0,
        failure: None,
    };
    let mut previous_seq = 0i64;
    let mut previous_hash = GENESIS.to_string();
    let mut hashes = std::collections::HashMap::new();
    loop {
        let page = audit_event::Entity::find()
            .filter(audit_event::Column::Seq.gt(previous_seq))
            .order_by_asc(audit_event::Column::Seq)
            .limit(PAGE)
            .all(db)
            .await?;
        if page.is_empty() {
            break;
        }
        for event in page {
            if event.seq != previous_seq + 1 {
                report.failure = Some(Failure::Missing {
                    seq: previous_seq + 1,
                    previous: previous_seq,
                    found: event.seq,
                });
                return Ok(report);
            }
            let link = Link {
                seq: event.seq,
                at: &event.at,
                actor: &event.actor,
                auth_method: &event.auth_method,
                action: &event.action,
                target: &event.target,
                outcome: &event.outcome,
                request_id: &event.request_id,
                source: &event.source,
                details: &event.details,
                prev_hash: &event.prev_hash,
            };
            if link.hash() != event.hash {
                report.failure = Some(Failure::Changed {
                    seq: event.seq,
                    action: event.action.clone(),
                    actor: event.actor.clone(),
                });
                return Ok(report);
            }
            if event.prev_hash != previous_hash {
                report.failure = Some(Failure::Unlinked {
                    seq: event.seq,
                    previous: previous_seq,
                });
                return Ok(report);
            }
            report.events += 1;
            previous_seq = event.seq;
            previous_hash = event.hash.clone();
            hashes.insert(event.seq, event.hash);
        }
    }
    let head = audit_head::Entity::find_by_id(1).one(db).await?;
    if let Some(head) = head
        && head.seq > previous_seq
    {
        report.failure = Some(Failure::Truncated {
            last: previous_seq,
            head: head.seq,
        });
        return Ok(report);
    }
    let expected = key_id(public);
    let checkpoints = audit_checkpoint::Entity::find()
        .order_by_asc(audit_checkpoint::Column::Seq)
        .all(db)
        .await?;
    for cp in checkpoints {
        if hashes.get(&cp.seq) != Some(&cp.hash) {
            report.failure = Some(Failure::CheckpointMismatch { seq: cp.seq });
            return Ok(report);
        }
        if !checkpoint_signed_by(public, cp.seq, &cp.hash, &cp.signature) {
            report.failure = Some(Failure::BadSignature {
                seq: cp.seq,
                key_id: cp.key_id,
                expected,
            });
            return Ok(report);
        }
        report.checkpoints += 1;
    }
    Ok(report)
}
