//! The Gatehouse schema as sea-orm migrations.
//!
//! One set of migrations serves SQLite (the embedded default) and PostgreSQL (replicas);
//! the server applies them at start with [`Migrator::up`]. Add a new module per change and
//! never edit one that has shipped.

pub use sea_orm_migration::prelude::*;

mod m20261126_000001_sessions;
mod m20261127_000002_audit_log;
mod m20261127_000003_api_tokens;
mod m20261127_000004_deployments;
mod m20261128_000005_drafts;
mod m20261129_000006_requests;
mod m20261130_000007_webhooks;
mod m20261207_000008_users;

/// Every migration, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_sessions::Migration),
            Box::new(m20261127_000002_audit_log::Migration),
            Box::new(m20261127_000003_api_tokens::Migration),
            Box::new(m20261127_000004_deployments::Migration),
            Box::new(m20261128_000005_drafts::Migration),
            Box::new(m20261129_000006_requests::Migration),
            Box::new(m20261130_000007_webhooks::Migration),
            Box::new(m20261207_000008_users::Migration),
        ]
    }
}
