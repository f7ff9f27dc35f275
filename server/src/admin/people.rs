//! `gatehouse token create` and `gatehouse users deactivate | reactivate | list`.

use std::process::ExitCode;

use super::{audit_log, cli_operator, fail, with_database};
use crate::audit::Origin;
use crate::auth::scopes::Scope;
use crate::auth::tokens::{NewToken, TokenStore, parse_ttl};
use crate::auth::users;
use crate::config::Config;
use crate::runbooks::names::GroupName;

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
