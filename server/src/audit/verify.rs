//! `gatehouse audit verify`: walks the whole chain and every checkpoint and names the first
//! thing that does not hold.
//!
//! Like Certificate Transparency, the log is trusted as far as signed checkpoints pin it:
//! no more than [`CHECKPOINT_EVERY`] events and [`SIGN_WITHIN`] may go unsigned, so a
//! log whose checkpoints were removed fails instead of passing as "intact with 0 signed
//! checkpoints". Checkpoints exported elsewhere (`--against`) prove the log still extends
//! them, which catches even a rewrite by someone holding the signing key.

use chrono::{DateTime, Utc};
use ed25519_dalek::VerifyingKey;
use sea_orm::ColumnTrait;
use sea_orm::{DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::chain::{GENESIS, Link};
use super::checkpoint::SignedCheckpoint;
use super::log::{CHECKPOINT_EVERY, SIGN_WITHIN};
use super::signing::{CheckpointSignature, checkpoint_signed_by, key_id};
use crate::entities::{audit_checkpoint, audit_event, audit_head};

/// Events read per query while verifying.
const PAGE: u64 = 1000;

/// What verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub events: i64,
    pub checkpoints: usize,
    /// Events after the newest checkpoint.
    pub unsigned_tail: i64,
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
    #[error(
        "no signed checkpoint covers events #{from} to #{seq}: checkpoints were removed (at most {max} events may go unsigned)"
    )]
    UnsignedRun { seq: i64, from: i64, max: i64 },
    #[error(
        "events from #{seq} on have been unsigned since {since}, longer than {minutes} minutes: a server that stopped uncleanly leaves them so, and so does a rewrite; once you know which, start the server or run `gatehouse audit checkpoint`"
    )]
    StaleTail {
        seq: i64,
        since: String,
        minutes: u64,
    },
    #[error(
        "the exported checkpoint at #{seq} is not signed by the audit key {expected} (--against)"
    )]
    ExportedUnsigned { seq: i64, expected: String },
    #[error(
        "event #{seq} does not have the hash of the checkpoint exported at {at} (--against): the log was rewritten since"
    )]
    ExportedMismatch { seq: i64, at: String },
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
            | Failure::BadSignature { seq, .. }
            | Failure::UnsignedRun { seq, .. }
            | Failure::StaleTail { seq, .. }
            | Failure::ExportedUnsigned { seq, .. }
            | Failure::ExportedMismatch { seq, .. } => *seq,
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
    if checkpoint_signed_by(public, cp.seq, &cp.hash, &cp.at, &cp.signature)
        == CheckpointSignature::Invalid
    {
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
        if seq < 1 || !crate::hashing::is_sha256_hex(hash) {
            return Err(bad());
        }
        Ok(Anchor {
            seq,
            hash: hash.to_ascii_lowercase(),
        })
    }
}

/// What a verification is held against besides the database itself.
#[derive(Debug, Clone, Default)]
pub struct Against {
    /// Hashes known from shipped log lines (`--anchor`).
    pub anchors: Vec<Anchor>,
    /// Signed checkpoints exported earlier (`--against`).
    pub exported: Vec<SignedCheckpoint>,
}

/// Checks every event's hash and link, every checkpoint's signature under `public`, that no
/// run of events goes unsigned for longer than the log promises (as of `now`), and every
/// anchor and exported checkpoint, in sequence order; then that nothing after the last event
/// was cut off.
pub async fn verify(
    db: &DatabaseConnection,
    public: &VerifyingKey,
    against: &Against,
    now: DateTime<Utc>,
) -> Result<Report, DbErr> {
    let mut report = Report {
        events: 0,
        checkpoints: 0,
        unsigned_tail: 0,
        failure: None,
    };
    let expected = key_id(public);
    if let Some(bad) = against.exported.iter().find(|cp| !cp.signed_by(public)) {
        report.failure = Some(Failure::ExportedUnsigned {
            seq: bad.seq,
            expected,
        });
        return Ok(report);
    }
    let anchors = &against.anchors;
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
    // The newest checkpoint so far, and when the first event after it was written.
    let mut signed_seq = 0i64;
    let mut first_unsigned_at: Option<DateTime<Utc>> = None;
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
            if Link::of_stored(&event).hash() != event.hash {
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
            if let Some(cp) = against
                .exported
                .iter()
                .find(|cp| cp.seq == event.seq && cp.hash != event.hash)
            {
                report.failure = Some(Failure::ExportedMismatch {
                    seq: event.seq,
                    at: cp.at.clone(),
                });
                return Ok(report);
            }
            if let Some(cp) = checkpoints.remove(&event.seq) {
                if let Some(failure) = check_checkpoint(public, &expected, &cp, &event.hash) {
                    report.failure = Some(failure);
                    return Ok(report);
                }
                report.checkpoints += 1;
                signed_seq = event.seq;
                first_unsigned_at = None;
            } else if event.seq - signed_seq >= CHECKPOINT_EVERY {
                report.failure = Some(Failure::UnsignedRun {
                    seq: event.seq,
                    from: signed_seq + 1,
                    max: CHECKPOINT_EVERY - 1,
                });
                return Ok(report);
            } else if first_unsigned_at.is_none() {
                first_unsigned_at = Some(event.at);
            }
            report.events += 1;
            previous_seq = event.seq;
            previous_hash = event.hash;
        }
    }
    let furthest = anchors
        .iter()
        .map(|a| a.seq)
        .chain(against.exported.iter().map(|cp| cp.seq))
        .max()
        .unwrap_or(0);
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
    report.unsigned_tail = previous_seq - signed_seq;
    if let Some(since) = first_unsigned_at.filter(|at| {
        now.signed_duration_since(*at)
            .to_std()
            .is_ok_and(|age| age > SIGN_WITHIN)
    }) {
        report.failure = Some(Failure::StaleTail {
            seq: signed_seq + 1,
            since: super::signing::checkpoint_time(&since),
            minutes: SIGN_WITHIN.as_secs() / 60,
        });
    }
    Ok(report)
}
