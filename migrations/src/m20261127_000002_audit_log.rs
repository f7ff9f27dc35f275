//! The audit log: an append-only hash chain of events, a one-row head that serializes
//! appends, and signed checkpoints. Triggers refuse UPDATE and DELETE on events and
//! checkpoints, on SQLite and on PostgreSQL (and TRUNCATE there).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The `prev_hash` of the first event.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .if_not_exists()
                    .col(big_integer(AuditEvents::Seq).primary_key())
                    .col(timestamp_with_time_zone(AuditEvents::At))
                    .col(string_len(AuditEvents::Actor, 255))
                    .col(string_len(AuditEvents::AuthMethod, 64))
                    .col(string_len(AuditEvents::Action, 64))
                    .col(string_len(AuditEvents::Target, 512))
                    .col(string_len(AuditEvents::Outcome, 16))
                    .col(string_len(AuditEvents::RequestId, 64))
                    .col(string_len(AuditEvents::Source, 64))
                    .col(text(AuditEvents::Details))
                    .col(string_len(AuditEvents::PrevHash, 64))
                    .col(string_len(AuditEvents::Hash, 64))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_audit_events_at", AuditEvents::At),
            ("idx_audit_events_actor", AuditEvents::Actor),
            ("idx_audit_events_action", AuditEvents::Action),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(AuditEvents::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(AuditHead::Table)
                    .if_not_exists()
                    .col(integer(AuditHead::Id).primary_key())
                    .col(big_integer(AuditHead::Seq))
                    .col(string_len(AuditHead::Hash, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(AuditHead::Table)
                    .columns([AuditHead::Id, AuditHead::Seq, AuditHead::Hash])
                    .values_panic([1.into(), 0i64.into(), GENESIS.into()])
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditCheckpoints::Table)
                    .if_not_exists()
                    .col(big_integer(AuditCheckpoints::Seq).primary_key())
                    .col(string_len(AuditCheckpoints::Hash, 64))
                    .col(timestamp_with_time_zone(AuditCheckpoints::At))
                    .col(string_len(AuditCheckpoints::KeyId, 32))
                    .col(string_len(AuditCheckpoints::Signature, 128))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for sql in append_only_triggers(db.get_database_backend()) {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["audit_checkpoints", "audit_head", "audit_events"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP FUNCTION IF EXISTS gatehouse_audit_append_only()")
                .await?;
        }
        Ok(())
    }
}

/// Triggers that make events and checkpoints append-only.
fn append_only_triggers(backend: DatabaseBackend) -> Vec<String> {
    let tables = ["audit_events", "audit_checkpoints"];
    match backend {
        DatabaseBackend::Postgres => {
            let mut sql = vec![
                "CREATE OR REPLACE FUNCTION gatehouse_audit_append_only() RETURNS trigger AS $$ \
                 BEGIN RAISE EXCEPTION 'the audit log is append-only: % on % is refused', TG_OP, TG_TABLE_NAME; END; \
                 $$ LANGUAGE plpgsql"
                    .to_string(),
            ];
            for table in tables {
                sql.push(format!(
                    "CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} \
                     FOR EACH ROW EXECUTE FUNCTION gatehouse_audit_append_only()"
                ));
                sql.push(format!(
                    "CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} \
                     FOR EACH STATEMENT EXECUTE FUNCTION gatehouse_audit_append_only()"
                ));
            }
            sql
        }
        _ => tables
            .iter()
            .flat_map(|table| {
                ["UPDATE", "DELETE"].map(|op| {
                    format!(
                        "CREATE TRIGGER IF NOT EXISTS {table}_no_{op} BEFORE {op} ON {table} \
                         BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: {op} on {table} is refused'); END",
                        op = op.to_lowercase()
                    )
                })
            })
            .collect(),
    }
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Seq,
    At,
    Actor,
    AuthMethod,
    Action,
    Target,
    Outcome,
    RequestId,
    Source,
    Details,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum AuditHead {
    Table,
    Id,
    Seq,
    Hash,
}

#[derive(DeriveIden)]
enum AuditCheckpoints {
    Table,
    Seq,
    Hash,
    At,
    KeyId,
    Signature,
}
