//! Database connection and migrations, for SQLite and PostgreSQL alike.

use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

/// Connects (creating the SQLite file and its folder when needed) and applies migrations.
pub async fn connect_and_migrate(url: &str) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = sqlite_path(url)
        && let Some(parent) = std::path::Path::new(&path)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent).map_err(|e| {
            DbErr::Custom(format!(
                "cannot create the database folder {}: {e}",
                parent.display()
            ))
        })?;
    }
    let mut options = ConnectOptions::new(url.to_string());
    options
        .max_connections(if url.starts_with("sqlite:") { 4 } else { 16 })
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        // Write-ahead logging: readers never wait for a writer, and a commit is one fsync of
        // the log instead of several of the journal and the file (synchronous stays FULL:
        // a committed audit event survives a power cut).
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Full)
        });
    let db = Database::connect(options).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// Starts a transaction that writes. Every write transaction starts here, never with a bare
/// `begin()`: SQLite's default BEGIN is deferred, so a transaction that reads first and
/// writes later fails at once with "database is locked" (SQLITE_BUSY_SNAPSHOT, no waiting)
/// when another connection committed in between, as concurrent first sign-ins did. BEGIN
/// IMMEDIATE takes the write lock up front, so writers queue under the busy timeout instead.
/// PostgreSQL ignores the mode.
#[allow(clippy::disallowed_methods)]
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

/// Starts a transaction that only reads: one consistent snapshot for several queries. Deferred
/// on SQLite, so it never waits for writers; a write inside it could fail as described at
/// [`begin_write`], so there is none.
#[allow(clippy::disallowed_methods)]
pub async fn begin_read(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin().await
}

/// A value Gatehouse stored as JSON in a TEXT column, read back as its type. Text that does
/// not decode is a read error naming the column and the row, never a silent default: an
/// empty owner list or policy result would change what a reader is shown or allowed.
pub fn decode<T: serde::de::DeserializeOwned>(
    column: &'static str,
    row: &str,
    text: &str,
) -> Result<T, DbErr> {
    serde_json::from_str(text).map_err(|e| {
        DbErr::Json(format!(
            "the stored {column} of `{row}` does not decode: {e}"
        ))
    })
}

/// The file path of a `sqlite:` URL, if it names a file.
pub fn sqlite_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then(|| path.to_string())
}

/// The URL with any password replaced, for logs.
pub fn redacted_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths_are_found() {
        assert_eq!(
            sqlite_path("sqlite://data/gatehouse.db?mode=rwc").as_deref(),
            Some("data/gatehouse.db")
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://x"), None);
    }

    #[test]
    fn passwords_never_reach_logs() {
        assert_eq!(
            redacted_url("postgres://u:hunter2@db:5432/g"),
            "postgres://u:***@db:5432/g"
        );
    }
}
