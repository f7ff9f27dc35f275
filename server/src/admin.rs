//! Administrative commands that work on the database: `gatehouse audit …` and
//! `gatehouse token create`. They read the same configuration as `serve`.

use std::path::Path;
use std::process::ExitCode;

use crate::audit::checkpoint::SignedCheckpoint;
use crate::audit::signing::{AuditKey, parse_public_key, public_key_text};
use crate::audit::verify::{Against, Anchor, verify};
use crate::audit::{AuditLog, Origin};
use crate::auth::Identity;
use crate::auth::roles::RoleMap;
use crate::auth::scopes::Scope;
use crate::auth::tokens::{NewToken, TokenStore, parse_ttl};
use crate::auth::users;
use crate::config::Config;
use crate::runbooks::names::GroupName;

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

/// `gatehouse audit keygen --out PATH`: a new signing key, readable by its owner only.
pub fn audit_keygen(out: &Path) -> ExitCode {
    match AuditKey::create_file(out) {
        Ok(key) => {
            println!(
                "wrote {} (key id {}); public key: {}",
                out.display(),
                key.key_id(),
                public_key_text(&key.public())
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

/// `gatehouse bundle verify`: exit 0 and the provenance when the bundle is intact and
/// signed by the portal's key, 1 with the reason when it is not, 2 when it cannot be checked.
pub fn bundle_verify(config: &Config, file: &Path, public_key: Option<&str>) -> ExitCode {
    use crate::requests::bundle;
    let public = match public_key {
        Some(text) => match parse_public_key(text) {
            Ok(k) => k,
            Err(e) => return fail(e),
        },
        None => match AuditKey::from_file(&config.audit_key_file) {
            Ok(k) => k.public(),
            Err(e) => {
                return fail(format!(
                    "{e}; pass --public-key (from /.well-known/gatehouse/audit-key) to verify without the private key"
                ));
            }
        },
    };
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => return fail(format!("cannot read `{}`: {e}", file.display())),
    };
    let value = match bundle::parse(&text) {
        Ok(v) => v,
        Err(e) => {
            println!("FAILED: `{}`: {e}", file.display());
            return ExitCode::from(1);
        }
    };
    match bundle::verify(&value, &public) {
        Err(e) => {
            println!("FAILED: {e}");
            ExitCode::from(1)
        }
        Ok(ok) => {
            let p = &ok.statement["predicate"];
            let def = &p["buildDefinition"];
            let internal = &def["internalParameters"];
            let approvers: Vec<String> = internal["approvers"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|x| {
                            format!(
                                "{} ({})",
                                x["name"].as_str().unwrap_or("?"),
                                x["role"].as_str().unwrap_or("?")
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            println!(
                "OK: bundle sha256:{} signed by key {}",
                ok.digest, ok.key_id
            );
            println!(
                "template:  {}@{} (sha256:{})",
                def["externalParameters"]["template"]["id"]
                    .as_str()
                    .unwrap_or("?"),
                def["externalParameters"]["template"]["version"]
                    .as_str()
                    .unwrap_or("?"),
                def["resolvedDependencies"][0]["digest"]["sha256"]
                    .as_str()
                    .unwrap_or("?")
            );
            println!(
                "requester: {}",
                internal["requester"]["name"].as_str().unwrap_or("?")
            );
            println!(
                "approvers: {}",
                if approvers.is_empty() {
                    "automatic (tier 3, policy passed)".to_string()
                } else {
                    approvers.join(", ")
                }
            );
            println!("tier:      {}", internal["tier"]);
            println!(
                "policies:  sha256:{}",
                internal["policy"]["digest"]["sha256"]
                    .as_str()
                    .unwrap_or("?")
            );
            println!(
                "times:     requested {}, approved {}",
                p["runDetails"]["metadata"]["startedOn"]
                    .as_str()
                    .unwrap_or("?"),
                p["runDetails"]["metadata"]["finishedOn"]
                    .as_str()
                    .unwrap_or("?")
            );
            println!(
                "portal:    {} {}",
                p["runDetails"]["builder"]["id"].as_str().unwrap_or("?"),
                p["runDetails"]["builder"]["version"]["gatehouse"]
                    .as_str()
                    .unwrap_or("?")
            );
            for f in ok.statement["subject"].as_array().into_iter().flatten() {
                println!(
                    "file:      {} sha256:{}",
                    f["name"].as_str().unwrap_or("?"),
                    f["digest"]["sha256"].as_str().unwrap_or("?")
                );
            }
            ExitCode::SUCCESS
        }
    }
}

/// `gatehouse audit verify`: exit 0 if the chain and every checkpoint hold, 1 if not (the
/// first failing event is named), 2 if it could not be checked.
pub fn audit_verify(
    config: &Config,
    public_key: Option<&str>,
    anchors: &[String],
    exported: &[std::path::PathBuf],
    json: bool,
) -> ExitCode {
    let anchors: Vec<Anchor> = match anchors.iter().map(|a| a.parse()).collect() {
        Ok(a) => a,
        Err(e) => return fail(format!("--anchor: {e}")),
    };
    let exported: Vec<SignedCheckpoint> =
        match exported.iter().map(|p| SignedCheckpoint::read(p)).collect() {
            Ok(e) => e,
            Err(e) => return fail(format!("--against: {e}")),
        };
    let against = Against { anchors, exported };
    let public = match public_key {
        Some(text) => match parse_public_key(text) {
            Ok(k) => k,
            Err(e) => return fail(e),
        },
        None => match AuditKey::from_file(&config.audit_key_file) {
            Ok(k) => k.public(),
            Err(e) => {
                return fail(format!(
                    "{e}; pass --public-key (from /.well-known/gatehouse/audit-key) to verify without the private key"
                ));
            }
        },
    };
    with_database(config, |db| async move {
        let report = match verify(&db, &public, &against, chrono::Utc::now()).await {
            Ok(r) => r,
            Err(e) => return fail(format!("cannot read the audit log: {e}")),
        };
        if json {
            println!(
                "{}",
                serde_json::json!({
                    "ok": report.failure.is_none(),
                    "events": report.events,
                    "checkpoints": report.checkpoints,
                    "unsigned_tail": report.unsigned_tail,
                    "failed_event": report.failure.as_ref().map(|f| f.seq()),
                    "reason": report.failure.as_ref().map(|f| f.to_string()),
                })
            );
        }
        match report.failure {
            None => {
                if !json {
                    println!(
                        "audit log intact: {} events, {} signed checkpoints, {} newest events not yet signed{}",
                        report.events,
                        report.checkpoints,
                        report.unsigned_tail,
                        if against.exported.is_empty() {
                            String::new()
                        } else {
                            format!(
                                "; extends {} exported checkpoint(s)",
                                against.exported.len()
                            )
                        }
                    );
                }
                ExitCode::SUCCESS
            }
            Some(failure) => {
                if !json {
                    println!(
                        "audit log FAILED at event #{}: {failure} ({} events before it verified)",
                        failure.seq(),
                        report.events
                    );
                }
                ExitCode::FAILURE
            }
        }
    })
}

/// `gatehouse audit checkpoint [--export FILE]`: signs the newest event now and, when asked,
/// writes the newest signed checkpoint for safekeeping outside the database.
pub fn audit_checkpoint(config: &Config, export: Option<&Path>) -> ExitCode {
    let audit = match audit_log(config) {
        Ok(log) => log,
        Err(code) => return code,
    };
    let to_stdout = export.is_some_and(|p| p.as_os_str() == "-");
    with_database(config, |db| async move {
        let say = |line: String| {
            if to_stdout {
                eprintln!("{line}");
            } else {
                println!("{line}");
            }
        };
        match audit.checkpoint(&db).await {
            Ok(Some(seq)) => say(format!("signed a checkpoint at event #{seq}")),
            Ok(None) => say("nothing new to sign".into()),
            Err(e) => return fail(format!("cannot write the checkpoint: {e}")),
        }
        let Some(path) = export else {
            return ExitCode::SUCCESS;
        };
        let latest = match SignedCheckpoint::latest(&db).await {
            Ok(Some(cp)) => cp,
            Ok(None) => {
                return fail("the audit log is empty: there is no checkpoint to export yet");
            }
            Err(e) => return fail(format!("cannot read the checkpoint: {e}")),
        };
        if to_stdout {
            print!("{}", latest.to_json());
        } else if let Err(e) = std::fs::write(path, latest.to_json()) {
            return fail(format!("cannot write {}: {e}", path.display()));
        } else {
            println!(
                "exported the checkpoint at event #{} to {}; keep it outside the database and check with `gatehouse audit verify --against {}`",
                latest.seq,
                path.display(),
                path.display()
            );
        }
        ExitCode::SUCCESS
    })
}

/// What `gatehouse token create` was asked for.
pub struct TokenRequest<'a> {
    pub user: &'a str,
    pub name: Option<&'a str>,
    pub groups: &'a [String],
    pub scopes: &'a [String],
    pub ttl: &'a str,
}

/// `gatehouse token create`: prints the token once on stdout; stores only its hash.
pub fn token_create(config: &Config, req: &TokenRequest<'_>) -> ExitCode {
    let user = req.user.trim();
    if user.is_empty() {
        return fail("--user must name the token's owner, like --user ci-bot");
    }
    let mut groups = Vec::new();
    for g in req
        .groups
        .iter()
        .map(|g| g.trim())
        .filter(|g| !g.is_empty())
    {
        match GroupName::parse(g) {
            Ok(g) => groups.push(g),
            Err(e) => return fail(format!("--groups: `{g}`: {e}")),
        }
    }
    let scopes = match Scope::parse_list(&req.scopes.join(",")) {
        Ok(s) => s,
        Err(e) => return fail(format!("--scopes: {e}")),
    };
    let ttl = match parse_ttl(req.ttl) {
        Ok(t) => t,
        Err(e) => return fail(format!("--ttl: {e}")),
    };
    let audit = match audit_log(config) {
        Ok(log) => log,
        Err(code) => return code,
    };
    with_database(config, |db| async move {
        let roles = std::sync::Arc::new(config.roles.clone());
        let store = TokenStore::new(db.clone(), roles.clone(), config.token_owner_inactive);
        let new = NewToken {
            name: req.name.unwrap_or(user).to_string(),
            owner: user.to_string(),
            owner_name: user.to_string(),
            groups,
            scopes,
            ttl,
            created_by: "cli".into(),
        };
        let operator = cli_operator(&roles);
        let result = store
            .issue(&audit, &operator, &Origin::cli(), &new, req.ttl)
            .await;
        match result {
            Ok((id, token)) => {
                eprintln!(
                    "created token {id} for {user}, expires {}; it is shown only this once:",
                    (chrono::Utc::now() + ttl).format("%Y-%m-%d %H:%M UTC")
                );
                println!("{token}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(format!("cannot create the token: {e}")),
        }
    })
}

/// The actor of command-line events: whoever runs the command on the server.
/// `gatehouse users deactivate SUBJECT [--reason TEXT]`.
pub fn users_deactivate(config: &Config, subject: &str, reason: Option<&str>) -> ExitCode {
    change_standing(config, subject, reason, true)
}

/// `gatehouse users reactivate SUBJECT`.
pub fn users_reactivate(config: &Config, subject: &str) -> ExitCode {
    change_standing(config, subject, None, false)
}

/// Deactivates or reactivates `subject` in one transaction with its audit event.
fn change_standing(
    config: &Config,
    subject: &str,
    reason: Option<&str>,
    deactivate: bool,
) -> ExitCode {
    let subject = subject.trim().trim_start_matches("user:");
    if subject.is_empty() || subject.len() > 255 || subject.chars().any(char::is_control) {
        return fail(
            "give the subject to change, as the audit log shows it (`dev:developer`, an SSO subject, or a service owner like `ci-bot`)",
        );
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > 500) {
        return fail("--reason is longer than 500 characters");
    }
    let audit = match audit_log(config) {
        Ok(log) => log,
        Err(code) => return code,
    };
    with_database(config, |db| async move {
        let operator = cli_operator(&config.roles);
        let result = users::set_standing(
            &db,
            &audit,
            &operator,
            &Origin::cli(),
            subject,
            if deactivate {
                users::Change::Deactivate { reason }
            } else {
                users::Change::Reactivate
            },
        )
        .await;
        match result {
            Ok(true) if deactivate => {
                println!(
                    "{subject} deactivated: their sessions ended, sign-in is refused and their API tokens stop"
                );
                ExitCode::SUCCESS
            }
            Ok(true) => {
                println!("{subject} reactivated: they may sign in again");
                ExitCode::SUCCESS
            }
            Ok(false) if deactivate => {
                println!("{subject} was already deactivated");
                ExitCode::SUCCESS
            }
            Ok(false) => fail(format!("{subject} is not deactivated")),
            Err(e) => fail(format!("cannot change {subject}: {e}")),
        }
    })
}

/// `gatehouse users list [--json]`.
pub fn users_list(config: &Config, json: bool) -> ExitCode {
    with_database(config, |db| async move {
        let people = match users::list(&db).await {
            Ok(p) => p,
            Err(e) => return fail(format!("cannot read the users: {e}")),
        };
        let time = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| t.to_rfc3339());
        if json {
            let rows: Vec<_> = people
                .iter()
                .map(|u| {
                    serde_json::json!({
                        "subject": u.subject,
                        "name": u.name,
                        "last_signin_at": time(u.last_signin_at),
                        "deactivated_at": time(u.deactivated_at),
                        "deactivated_by": u.deactivated_by,
                        "reason": u.deactivation_reason,
                    })
                })
                .collect();
            println!("{}", serde_json::json!({ "users": rows }));
            return ExitCode::SUCCESS;
        }
        if people.is_empty() {
            println!("nobody has signed in yet");
        }
        for u in &people {
            let last = time(u.last_signin_at).unwrap_or_else(|| "never".into());
            match u.deactivated_at {
                Some(at) => println!(
                    "{}\t{}\tlast sign-in {last}\tDEACTIVATED {} by {}{}",
                    u.subject,
                    u.name,
                    at.to_rfc3339(),
                    u.deactivated_by.as_deref().unwrap_or("?"),
                    u.deactivation_reason
                        .as_deref()
                        .map(|r| format!(": {r}"))
                        .unwrap_or_default()
                ),
                None => println!("{}\t{}\tlast sign-in {last}", u.subject, u.name),
            }
        }
        ExitCode::SUCCESS
    })
}

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
