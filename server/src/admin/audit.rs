//! `gatehouse audit keygen | verify | checkpoint` and `gatehouse bundle verify`.

use std::path::Path;
use std::process::ExitCode;

use super::{audit_log, fail, with_database};
use crate::audit::checkpoint::SignedCheckpoint;
use crate::audit::signing::{AuditKey, parse_public_key, public_key_text};
use crate::audit::verify::{Against, Anchor, verify};
use crate::config::Config;

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

/// The key that checks signatures: the one passed with `--public-key`, else the public half
/// of the portal's own key file.
fn verifying_key(
    config: &Config,
    public_key: Option<&str>,
) -> Result<ed25519_dalek::VerifyingKey, ExitCode> {
    match public_key {
        Some(text) => parse_public_key(text).map_err(fail),
        None => AuditKey::from_file(&config.audit_key_file)
            .map(|k| k.public())
            .map_err(|e| {
                fail(format!(
                    "{e}; pass --public-key (from /.well-known/gatehouse/audit-key) to verify without the private key"
                ))
            }),
    }
}

/// `gatehouse bundle verify`: exit 0 and the provenance when the bundle is intact and
/// signed by the portal's key, 1 with the reason when it is not, 2 when it cannot be checked.
pub fn bundle_verify(config: &Config, file: &Path, public_key: Option<&str>) -> ExitCode {
    use crate::requests::bundle;
    let public = match verifying_key(config, public_key) {
        Ok(k) => k,
        Err(code) => return code,
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
    let public = match verifying_key(config, public_key) {
        Ok(k) => k,
        Err(code) => return code,
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
