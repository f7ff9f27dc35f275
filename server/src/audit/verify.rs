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
    #[error(
        "event #{seq} does not have the hash recorded outside the database (--anchor): the chain up to it was rewritten"
    )]
    AnchorMismatch { seq: i64 },
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
            | Failure::AnchorMismatch { seq }
            | Failure::BadSignature { seq, .. } => *seq,
            Failure::Truncated { last, .. } => last + 1,
        }
    }
}

/// The failure of one checkpoint, if any: it must name the event's hash and carry a valid
/// signature under `public`.
fn check_checkpoint(
    public: &VerifyingKey,
    expected: &str,
    cp: &audit_checkpoint::Model,
    event_hash: &str,
) -> Option<Failure> {
    if cp.hash != event_hash {
        return Some(Failure::CheckpointMismatch { seq: cp.seq });
    }
    if !checkpoint_signed_by(public, cp.seq, &cp.hash, &cp.signature) {
        return Some(Failure::BadSignature {
            seq: cp.seq,
            key_id: cp.key_id.clone(),
            expected: expected.to_string(),
        });
    }
    None
}

/// A hash known from outside the database (a shipped log line of a checkpoint).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub seq: i64,
    pub hash: String,
}

impl std::str::FromStr for Anchor {
    type Err = String;

    /// `SEQ:HASH`, as the `audit checkpoint` log line gives them.
    fn from_str(text: &str) -> Result<Self, String> {
        let bad = || format!("anchor `{text}` must be SEQ:HASH, like 150:3fa9… (64 hex digits)");
        let (seq, hash) = text.trim().split_once(':').ok_or_else(bad)?;
        let seq = seq.parse::<i64>().map_err(|_| bad())?;
        if seq < 1 || hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        Ok(Anchor {
            seq,
            hash: hash.to_ascii_lowercase(),
        })
    }
}

/// Checks every event's hash and link, every checkpoint's signature under `public` and every
/// anchor, in sequence order, then that nothing after the last event was cut off.
pub async fn verify(
    db: &DatabaseConnection,
    public: &VerifyingKey,
    anchors: &[Anchor],
) -> Result<Report, DbErr> {
    let mut report = Report {
        events: 0,
        checkpoints: 0,
        failure: None,
    };
    let expected = key_id(public);
    // The head first: events appended while we read are beyond it and are not judged.
    let head_seq = audit_head::Entity::find_by_id(1)
        .one(db)
        .await?
        .map_or(0, |h| h.seq);
    // Checkpoints are few (one per 50 events); events are streamed a page at a time.
    let mut checkpoints: std::collections::BTreeMap<i64, audit_checkpoint::Model> =
        audit_checkpoint::Entity::find()
            .filter(audit_checkpoint::Column::Seq.lte(head_seq))
            .all(db)
            .await?
            .into_iter()
            .map(|cp| (cp.seq, cp))
            .collect();
    let mut previous_seq = 0i64;
    let mut previous_hash = GENESIS.to_string();
    loop {
        let page = audit_event::Entity::find()
            .filter(audit_event::Column::Seq.gt(previous_seq))
            .filter(audit_event::Column::Seq.lte(head_seq))
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
            if anchors
                .iter()
                .any(|a| a.seq == event.seq && a.hash != event.hash)
            {
                report.failure = Some(Failure::AnchorMismatch { seq: event.seq });
                return Ok(report);
            }
            if let Some(cp) = checkpoints.remove(&event.seq) {
                if let Some(failure) = check_checkpoint(public, &expected, &cp, &event.hash) {
                    report.failure = Some(failure);
                    return Ok(report);
                }
                report.checkpoints += 1;
            }
            report.events += 1;
            previous_seq = event.seq;
            previous_hash = event.hash;
        }
    }
    let furthest = anchors.iter().map(|a| a.seq).max().unwrap_or(0);
    if head_seq > previous_seq || furthest > previous_seq {
        report.failure = Some(Failure::Truncated {
            last: previous_seq,
            head: head_seq.max(furthest),
        });
        return Ok(report);
    }
    // A checkpoint beyond the last event: events it vouched for are gone.
    if let Some(seq) = checkpoints.keys().next() {
        report.failure = Some(Failure::CheckpointMismatch { seq: *seq });
        return Ok(report);
    }
    Ok(report)
}
