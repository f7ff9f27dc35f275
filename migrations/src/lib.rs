//! The Gatehouse schema as sea-orm migrations.
//!
//! One set of migrations serves SQLite (the embedded default) and PostgreSQL (replicas);
//! the server applies them at start with [`Migrator::up`]. Add a new module per change and
//! never edit one that has shipped.

pub use sea_orm_migration::prelude::*;

mod m20261126_000001_sessions;

/// Every migration, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(m20261126_000001_sessions::Migration)]
    }
}
