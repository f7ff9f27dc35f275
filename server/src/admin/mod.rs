//! Administrative commands that work on the database: `gatehouse audit …` (in `audit`),
//! `gatehouse token create` and `gatehouse users …` (in `people`). They read the same
//! configuration as `serve`, and act as the local operator.

use std::process::ExitCode;

use crate::audit::AuditLog;
use crate::auth::Identity;
use crate::auth::roles::RoleMap;
use crate::config::Config;

fn runtime() -> Result<tokio::runtime::Runtime, ExitCode> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            eprintln!("gatehouse: cannot start the async runtime: {e}");
            ExitCode::FAILURE
        })
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("gatehouse: {message}");
    ExitCode::from(2)
}

/// Runs `work` with the database on a runtime of its own; its exit code is the command's.
fn with_database<Fut: Future<Output = ExitCode>>(
    config: &Config,
    work: impl FnOnce(sea_orm::DatabaseConnection) -> Fut,
) -> ExitCode {
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    rt.block_on(async {
        match crate::db::connect_and_migrate(&config.database_url).await {
            Ok(db) => work(db).await,
            Err(e) => fail(format!(
                "cannot open the database {}: {e}",
                crate::db::redacted_url(&config.database_url)
            )),
        }
    })
}

/// The audit log, signing with the configured key.
fn audit_log(config: &Config) -> Result<AuditLog, ExitCode> {
    crate::startup::load_audit_key(config)
        .map(AuditLog::new)
        .map_err(|e| fail(format!("{e:#}")))
}

mod audit;
mod people;

pub use audit::{audit_checkpoint, audit_keygen, audit_verify, bundle_verify};
pub use people::{TokenRequest, token_create, users_deactivate, users_list, users_reactivate};

fn cli_operator(roles: &RoleMap) -> Identity {
    let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    Identity {
        subject: format!("cli:{user}"),
        name: user,
        role_label: "Operator".into(),
        groups: Vec::new(),
        roles: roles.roles_for(&[]),
        auth_method: "cli".into(),
        scopes: None,
    }
}
