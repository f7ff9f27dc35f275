//! Appending to the chain. An append locks the one-row head (`UPDATE … RETURNING`), so
//! appends from any number of connections or replicas form one chain; it must run inside
//! the transaction of the state change it records, so both commit or neither does.

use std::sync::Arc;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait,
    Set, Statement,
};

use super::chain::{Link, canonical_details, storable_time};
use super::event::Event;
use super::signing::AuditKey;
use crate::entities::{audit_checkpoint, audit_event, audit_head};

/// A signed checkpoint is written every this many events (and on demand); `verify` fails
/// when more events than this go unsigned.
pub const CHECKPOINT_EVERY: i64 = 50;

/// The newest event must be signed within this time; `verify` fails on an older unsigned
/// tail. The server signs its head every [`SIGN_TICK`], at start and at a graceful stop.
pub const SIGN_WITHIN: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// How often a running server signs its head.
pub const SIGN_TICK: std::time::Duration = std::time::Duration::from_secs(2 * 60);

#[derive(Clone, Debug)]
pub struct AuditLog {
    key: Arc<AuditKey>,
}

impl AuditLog {
    pub fn new(key: AuditKey) -> Self {
        Self { key: Arc::new(key) }
    }

    pub fn key(&self) -> &AuditKey {
        &self.key
    }

    /// Starts a write transaction whose first statement appends `event`. The append locks the
    /// audit head's row, so what the transaction reads next sees every change committed before
    /// it on any replica, and the change commits with its record or not at all.
    pub async fn begin(
        &self,
        db: &DatabaseConnection,
        event: &Event,
    ) -> Result<DatabaseTransaction, DbErr> {
        let txn = crate::db::begin_write(db).await?;
        self.append(&txn, event).await?;
        Ok(txn)
    }

    /// Appends `event` inside `txn`; returns its sequence number.
    pub async fn append(&self, txn: &DatabaseTransaction, event: &Event) -> Result<i64, DbErr> {
        let backend = txn.get_database_backend();
        let row = txn
            .query_one_raw(Statement::from_string(
                backend,
                "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash",
            ))
            .await?
            .ok_or_else(|| DbErr::Custom("the audit_head row is missing".into()))?;
        let seq: i64 = row.try_get("", "seq")?;
        let prev_hash: String = row.try_get("", "hash")?;
        let at = storable_time(Utc::now());
        let details = canonical_details(&event.details);
        let link = Link {
            seq,
            at: &at,
            actor: &event.actor,
            auth_method: &event.auth_method,
            action: &event.action,
            target: &event.target,
            outcome: event.outcome.as_str(),
            request_id: &event.origin.request_id,
            source: &event.origin.source,
            details: &details,
            prev_hash: &prev_hash,
        };
        let hash = link.hash();
        audit_event::ActiveModel {
            seq: Set(seq),
            at: Set(at),
            actor: Set(event.actor.clone()),
            auth_method: Set(event.auth_method.clone()),
            action: Set(event.action.clone()),
            target: Set(event.target.clone()),
            outcome: Set(event.outcome.as_str().into()),
            request_id: Set(event.origin.request_id.clone()),
            source: Set(event.origin.source.clone()),
            details: Set(details.clone()),
            prev_hash: Set(prev_hash.clone()),
            hash: Set(hash.clone()),
        }
        .insert(txn)
        .await?;
        audit_head::ActiveModel {
            id: Set(1),
            seq: Set(seq),
            hash: Set(hash.clone()),
        }
        .update(txn)
        .await?;
        if seq % CHECKPOINT_EVERY == 0 {
            self.insert_checkpoint(txn, seq, &hash).await?;
        }
        Ok(seq)
    }

    /// Appends `event` in a transaction of its own (for events that change nothing else).
    pub async fn record(&self, db: &DatabaseConnection, event: &Event) -> Result<i64, DbErr> {
        let txn = crate::db::begin_write(db).await?;
        let seq = self.append(&txn, event).await?;
        txn.commit().await?;
        Ok(seq)
    }

    /// Like [`record`](Self::record), but a failure is logged rather than returned: for
    /// events about requests that are refused anyway (denials, failed sign-ins).
    pub async fn record_or_log(&self, db: &DatabaseConnection, event: &Event) {
        if let Err(err) = self.record(db, event).await {
            tracing::error!(error = %err, action = %event.action, "could not write an audit event");
        }
    }

    /// Signs the current head unless it is already signed; returns the checkpointed seq.
    pub async fn checkpoint(&self, db: &DatabaseConnection) -> Result<Option<i64>, DbErr> {
        let txn = crate::db::begin_write(db).await?;
        // Lock the head the same way appends do, so it cannot move under us.
        let row = txn
            .query_one_raw(Statement::from_string(
                txn.get_database_backend(),
                "UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash",
            ))
            .await?
            .ok_or_else(|| DbErr::Custom("the audit_head row is missing".into()))?;
        let seq: i64 = row.try_get("", "seq")?;
        let hash: String = row.try_get("", "hash")?;
        let done = seq == 0
            || audit_checkpoint::Entity::find_by_id(seq)
                .one(&txn)
                .await?
                .is_some();
        if !done {
            self.insert_checkpoint(&txn, seq, &hash).await?;
        }
        txn.commit().await?;
        Ok((!done).then_some(seq))
    }

    async fn insert_checkpoint(
        &self,
        txn: &DatabaseTransaction,
        seq: i64,
        hash: &str,
    ) -> Result<(), DbErr> {
        let at = storable_time(Utc::now());
        audit_checkpoint::ActiveModel {
            seq: Set(seq),
            hash: Set(hash.to_string()),
            at: Set(at),
            key_id: Set(self.key.key_id()),
            signature: Set(self.key.sign_checkpoint(seq, hash, &at)),
        }
        .insert(txn)
        .await?;
        // A copy outside the database: with logs shipped elsewhere, `audit verify --anchor`
        // can later prove the chain up to here was not rewritten, even with the key
        // (`audit checkpoint --export` gives the signed form of the same).
        tracing::info!(seq, hash, "audit checkpoint");
        Ok(())
    }
}
