//! The audit log as auditors rely on it: events for security actions, one unbroken chain
//! under concurrent appends, the database refusing edits, and `gatehouse audit verify`
//! naming the first event that was tampered with.

mod common;

use sea_orm::{ConnectionTrait, Database, DatabaseBackend, Statement};
use server::audit::signing::AuditKey;
use server::audit::{AuditLog, Event, Origin};

use common::{TestApp, backend, run};

#[test]
fn sign_in_and_out_are_recorded_and_the_chain_verifies() {
    run(async {
        let app = TestApp::spawn().await;
        app.sign_in("oncall").await;
        let resp = app
            .client
            .post(app.url("/auth/signout"))
            .send()
            .await
            .expect("sign out");
        assert_eq!(resp.status(), 303);
        let found = app.audit_events("actor=dev:oncall").await;
        let actions: Vec<&str> = found
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["signout", "signin"], "newest first");
        let signin = &found[1];
        assert_eq!(signin["auth_method"], "dev");
        assert_eq!(signin["outcome"], "success");
        assert_eq!(signin["source"], "127.0.0.1");
        assert_ne!(signin["request_id"], "-");
        assert_eq!(signin["details"]["groups"][1], "payments-oncall");
        assert_eq!(
            found[0]["prev_hash"], found[1]["hash"],
            "each event links to the one before"
        );

        let (code, out, err) = app.gatehouse(&["audit", "verify"]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(out.contains("audit log intact"), "{out}");
    });
}

#[test]
fn the_database_refuses_edits_and_verify_names_a_raw_edit() {
    run(async {
        let app = TestApp::spawn().await;
        for persona in ["developer", "approver", "security"] {
            app.sign_in(persona).await;
        }
        let db = Database::connect(&app.database_url).await.expect("db");
        let refused = db
            .execute_unprepared("UPDATE audit_events SET actor = 'someone-else' WHERE seq = 2")
            .await;
        let err = refused
            .expect_err("the trigger refuses updates")
            .to_string();
        assert!(err.contains("append-only"), "{err}");
        let refused = db
            .execute_unprepared("DELETE FROM audit_events WHERE seq = 1")
            .await;
        assert!(refused.is_err(), "the trigger refuses deletes");
        if db.get_database_backend() == DatabaseBackend::Postgres {
            let refused = db.execute_unprepared("TRUNCATE audit_events").await;
            assert!(refused.is_err(), "the trigger refuses TRUNCATE");
        }

        // Someone with full database access goes around the trigger.
        let bypass = match db.get_database_backend() {
            DatabaseBackend::Postgres => vec![
                "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only",
                "UPDATE audit_events SET actor = 'someone-else' WHERE seq = 2",
            ],
            _ => vec![
                "DROP TRIGGER audit_events_no_update",
                "UPDATE audit_events SET actor = 'someone-else' WHERE seq = 2",
            ],
        };
        for sql in bypass {
            db.execute_unprepared(sql).await.expect("raw edit");
        }
        let (code, out, _) = app.gatehouse(&["audit", "verify"]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("FAILED at event #2"), "{out}");
        let (code, json, _) = app.gatehouse(&["audit", "verify", "--json"]);
        assert_eq!(code, 1);
        let report: serde_json::Value = serde_json::from_str(json.trim()).expect("json");
        assert_eq!(report["failed_event"], 2);
        assert_eq!(report["ok"], false);
    });
}

#[test]
fn verify_names_removed_events_at_the_end_and_in_the_middle() {
    run(async {
        let app = TestApp::spawn().await;
        for persona in ["developer", "approver", "security"] {
            app.sign_in(persona).await;
        }
        let db = Database::connect(&app.database_url).await.expect("db");
        let bypass = match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"
            }
            _ => "DROP TRIGGER audit_events_no_delete",
        };
        db.execute_unprepared(bypass).await.expect("bypass");
        db.execute_unprepared("DELETE FROM audit_events WHERE seq = 3")
            .await
            .expect("delete the newest");
        let (code, out, _) = app.gatehouse(&["audit", "verify"]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("events after #2 are missing"), "{out}");
        db.execute_unprepared("DELETE FROM audit_events WHERE seq = 1")
            .await
            .expect("delete the oldest");
        let (code, out, _) = app.gatehouse(&["audit", "verify"]);
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains("FAILED at event #1: event #1 is missing"),
            "{out}"
        );
    });
}

#[test]
fn parallel_appends_from_many_connections_form_one_chain() {
    run(async {
        let app = TestApp::spawn().await;
        let key = AuditKey::from_file(&app.audit_key).expect("key");
        let log = AuditLog::new(key);
        const WRITERS: usize = 8;
        const EACH: usize = 40;
        let mut tasks = Vec::new();
        for w in 0..WRITERS {
            // A connection pool of its own per writer: like separate replicas.
            let db = Database::connect(&app.database_url).await.expect("db");
            let log = log.clone();
            tasks.push(tokio::spawn(async move {
                for i in 0..EACH {
                    let event = Event::by_name(
                        &format!("writer-{w}"),
                        "test",
                        "test.append",
                        format!("n:{i}"),
                    )
                    .origin(&Origin::cli());
                    log.record(&db, &event).await.expect("append");
                }
            }));
        }
        for t in tasks {
            t.await.expect("writer");
        }
        let db = Database::connect(&app.database_url).await.expect("db");
        let count = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT COUNT(*) AS n, MAX(seq) AS top FROM audit_events WHERE action = 'test.append'",
            ))
            .await
            .expect("count")
            .expect("row");
        let n: i64 = count.try_get("", "n").expect("n");
        assert_eq!(n as usize, WRITERS * EACH, "no event lost");
        let (code, out, err) = app.gatehouse(&["audit", "verify", "--json"]);
        assert_eq!(code, 0, "{out}{err}");
        let report: serde_json::Value = serde_json::from_str(out.trim()).expect("json");
        assert_eq!(report["events"].as_i64(), Some((WRITERS * EACH) as i64));
        // 320 events: checkpoints at every 50th.
        assert_eq!(report["checkpoints"], 6, "{report} on {}", backend());
    });
}

#[test]
fn checkpoints_verify_with_the_published_key_only() {
    run(async {
        let app = TestApp::spawn().await;
        app.sign_in("developer").await;
        let (code, out, _) = app.gatehouse(&["audit", "checkpoint"]);
        assert_eq!(code, 0);
        assert!(out.contains("signed a checkpoint at event #1"), "{out}");
        let published: serde_json::Value = app
            .get("/.well-known/gatehouse/audit-key")
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(published["algorithm"], "ed25519");
        let public = published["public_key"].as_str().expect("key");
        let (code, out, err) = app.gatehouse(&["audit", "verify", "--public-key", public]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(out.contains("1 signed checkpoints"), "{out}");
        let other = AuditKey::generate();
        let other_public = server::audit::signing::public_key_text(&other.public());
        let (code, out, _) = app.gatehouse(&["audit", "verify", "--public-key", &other_public]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("bad signature"), "{out}");
        let (code, _, err) = app.gatehouse(&["audit", "verify", "--public-key", "nonsense"]);
        assert_eq!(code, 2);
        assert!(err.contains("not a base64 ed25519 public key"), "{err}");
    });
}

#[test]
fn auditors_export_filtered_events_as_json_lines() {
    run(async {
        let app = TestApp::spawn().await;
        for persona in ["developer", "approver", "developer"] {
            app.sign_in(persona).await;
        }
        let auditor = app.client_as(Some("security")).await;
        let resp = auditor
            .get(app.url("/api/v1/audit/export?actor=dev:developer&action=signin"))
            .send()
            .await
            .expect("export");
        assert_eq!(resp.status(), 200);
        assert!(
            resp.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/x-ndjson")
        );
        let text = resp.text().await.expect("text");
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).expect("each line is JSON"))
            .collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(
            lines[0]["seq"].as_i64() < lines[1]["seq"].as_i64(),
            "oldest first"
        );
        assert!(lines.iter().all(|e| e["actor"] == "dev:developer"));
        // The export itself is an audit event.
        let found = app.audit_events("action=audit.export").await;
        assert_eq!(found.len(), 1);
        assert_eq!(found[0]["actor"], "dev:security");

        let resp = auditor
            .get(app.url("/api/v1/audit/events?since=yesterday"))
            .send()
            .await
            .expect("request");
        let (status, message) = common::api_error(resp).await;
        assert_eq!(status, 400);
        assert!(message.contains("2026-11-27"), "{message}");
    });
}

#[test]
fn anchors_kept_outside_the_database_pin_the_chain() {
    run(async {
        let app = TestApp::spawn().await;
        for persona in ["developer", "approver", "security"] {
            app.sign_in(persona).await;
        }
        let found = app.audit_events("actor=dev:approver&action=signin").await;
        let seq = found[0]["seq"].as_i64().expect("seq");
        let hash = found[0]["hash"].as_str().expect("hash");
        let good = format!("{seq}:{hash}");
        let (code, out, err) = app.gatehouse(&["audit", "verify", "--anchor", &good]);
        assert_eq!(code, 0, "{out}{err}");
        let forged = format!("{seq}:{}", "ab".repeat(32));
        let (code, out, _) = app.gatehouse(&["audit", "verify", "--anchor", &forged]);
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains(&format!("FAILED at event #{seq}")) && out.contains("rewritten"),
            "{out}"
        );
        let beyond = format!("99:{hash}");
        let (code, out, _) = app.gatehouse(&["audit", "verify", "--anchor", &beyond]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("missing"), "{out}");
        let (code, _, err) = app.gatehouse(&["audit", "verify", "--anchor", "2"]);
        assert_eq!(code, 2);
        assert!(err.contains("SEQ:HASH"), "{err}");
    });
}

/// What someone with full database access but (unless `key` is given) no signing key does to
/// hide an event: goes around the triggers, removes every checkpoint, rewrites event `target_seq`
/// as done by `actor` at `at_of(seq)`, and recomputes every later hash and the head — a chain
/// that links perfectly. With `key`, they also sign fresh checkpoints for the rewritten chain.
async fn rewrite_history(
    db: &sea_orm::DatabaseConnection,
    target_seq: i64,
    actor: &str,
    at_of: impl Fn(&chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc>,
    key: Option<&AuditKey>,
) {
    use sea_orm::{ActiveModelTrait, EntityTrait, QueryOrder, Set, Unchanged};
    use server::audit::chain::{GENESIS, Link, storable_time};
    use server::entities::{audit_checkpoint, audit_event, audit_head};
    let bypass: &[&str] = match db.get_database_backend() {
        DatabaseBackend::Postgres => &[
            "ALTER TABLE audit_events DISABLE TRIGGER USER",
            "ALTER TABLE audit_checkpoints DISABLE TRIGGER USER",
        ],
        _ => &[
            "DROP TRIGGER audit_events_no_update",
            "DROP TRIGGER audit_checkpoints_no_delete",
        ],
    };
    for sql in bypass {
        db.execute_unprepared(sql).await.expect("bypass");
    }
    db.execute_unprepared("DELETE FROM audit_checkpoints")
        .await
        .expect("remove the checkpoints");
    let events = audit_event::Entity::find()
        .order_by_asc(audit_event::Column::Seq)
        .all(db)
        .await
        .expect("events");
    let mut prev = GENESIS.to_string();
    for mut event in events {
        if event.seq == target_seq {
            event.actor = actor.to_string();
        }
        event.at = storable_time(at_of(&event.at));
        event.prev_hash = prev.clone();
        event.hash = Link::of_stored(&event).hash();
        prev = event.hash.clone();
        audit_event::ActiveModel {
            seq: Unchanged(event.seq),
            at: Set(event.at),
            actor: Set(event.actor.clone()),
            prev_hash: Set(event.prev_hash.clone()),
            hash: Set(event.hash.clone()),
            ..Default::default()
        }
        .update(db)
        .await
        .expect("rewrite an event");
        if let Some(key) = key.filter(|_| event.seq % 50 == 0) {
            let at = storable_time(chrono::Utc::now());
            audit_checkpoint::ActiveModel {
                seq: Set(event.seq),
                hash: Set(event.hash.clone()),
                at: Set(at),
                key_id: Set(key.key_id()),
                signature: Set(key.sign_checkpoint(event.seq, &event.hash, &at)),
            }
            .insert(db)
            .await
            .expect("re-sign");
        }
    }
    audit_head::ActiveModel {
        id: Unchanged(1),
        hash: Set(prev),
        ..Default::default()
    }
    .update(db)
    .await
    .expect("move the head");
}

/// `count` events from the CLI origin, appended the way the server appends them.
async fn append_events(app: &TestApp, count: usize) {
    let log = AuditLog::new(AuditKey::from_file(&app.audit_key).expect("key"));
    let db = Database::connect(&app.database_url).await.expect("db");
    for i in 0..count {
        let event =
            Event::by_name("ops", "test", "test.append", format!("n:{i}")).origin(&Origin::cli());
        log.record(&db, &event).await.expect("append");
    }
}

#[test]
fn a_log_with_its_checkpoints_removed_and_its_chain_recomputed_fails_verify() {
    run(async {
        let app = TestApp::spawn().await;
        append_events(&app, 120).await;
        let (code, out, err) = app.gatehouse(&["audit", "verify"]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(
            out.contains("120 events, 2 signed checkpoints, 20 newest events not yet signed"),
            "{out}"
        );

        let db = Database::connect(&app.database_url).await.expect("db");
        rewrite_history(&db, 7, "someone-else", |at| *at, None).await;
        let (code, out, _) = app.gatehouse(&["audit", "verify"]);
        assert_eq!(code, 1, "a rewritten log is never intact: {out}");
        assert!(
            out.contains("FAILED at event #50: no signed checkpoint covers events #1 to #50"),
            "{out}"
        );
    });
}

#[test]
fn a_short_log_rewritten_without_checkpoints_fails_once_its_tail_is_older_than_allowed() {
    run(async {
        let app = TestApp::spawn().await;
        for persona in ["developer", "approver", "security"] {
            app.sign_in(persona).await;
        }
        let db = Database::connect(&app.database_url).await.expect("db");
        // Fewer events than a checkpoint run: only their age can give them away, and a
        // rewrite of history has to keep history's times.
        let an_hour_ago = |at: &chrono::DateTime<chrono::Utc>| *at - chrono::Duration::hours(1);
        rewrite_history(&db, 2, "someone-else", an_hour_ago, None).await;
        let (code, out, _) = app.gatehouse(&["audit", "verify", "--json"]);
        assert_eq!(code, 1, "{out}");
        let report: serde_json::Value = serde_json::from_str(out.trim()).expect("json");
        assert_eq!(report["failed_event"], 1, "{report}");
        let reason = report["reason"].as_str().unwrap_or_default();
        assert!(
            reason.contains("unsigned since") && reason.contains("longer than 10 minutes"),
            "{reason}"
        );
    });
}

#[test]
fn an_exported_checkpoint_catches_a_rewrite_even_by_the_key_holder() {
    run(async {
        let app = TestApp::spawn().await;
        append_events(&app, 60).await;
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("checkpoint.json");
        let file_arg = file.to_str().expect("utf-8 path");
        let (code, out, err) = app.gatehouse(&["audit", "checkpoint", "--export", file_arg]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(out.contains("signed a checkpoint at event #60"), "{out}");
        let exported: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).expect("file")).expect("json");
        assert_eq!(exported["seq"], 60);
        assert_eq!(exported["format"], "gatehouse-audit-checkpoint");

        // The log grows: it still extends what was exported.
        append_events(&app, 5).await;
        let (code, out, err) = app.gatehouse(&["audit", "verify", "--against", file_arg]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(out.contains("extends 1 exported checkpoint"), "{out}");

        // On standard output, for a pipe to storage elsewhere.
        let (code, out, _) = app.gatehouse(&["audit", "checkpoint", "--export"]);
        assert_eq!(code, 0);
        let latest: serde_json::Value = serde_json::from_str(&out).expect("json on stdout");
        assert_eq!(latest["seq"], 65);

        // Someone with the database and the signing key rewrites event #3 and re-signs.
        let key = AuditKey::from_file(&app.audit_key).expect("key");
        let db = Database::connect(&app.database_url).await.expect("db");
        rewrite_history(&db, 3, "someone-else", |at| *at, Some(&key)).await;
        let (code, out, _) = app.gatehouse(&["audit", "verify"]);
        assert_eq!(
            code, 0,
            "with the key, the database alone cannot tell: {out}"
        );
        let (code, out, _) = app.gatehouse(&["audit", "verify", "--against", file_arg]);
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains("FAILED at event #60") && out.contains("rewritten since"),
            "{out}"
        );

        // An exported file edited to match the rewrite no longer carries a valid signature.
        let mut forged = exported.clone();
        let rewritten: serde_json::Value =
            serde_json::from_str(&app.gatehouse(&["audit", "checkpoint", "--export"]).1)
                .expect("json");
        forged["hash"] = rewritten["hash"].clone();
        std::fs::write(&file, forged.to_string()).expect("write");
        let (code, out, _) = app.gatehouse(&["audit", "verify", "--against", file_arg]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("is not signed by the audit key"), "{out}");

        std::fs::write(&file, "{\"seq\": 1}").expect("write");
        let (code, _, err) = app.gatehouse(&["audit", "verify", "--against", file_arg]);
        assert_eq!(code, 2);
        assert!(
            err.contains("is not an exported audit checkpoint")
                && err.contains("audit checkpoint --export"),
            "{err}"
        );
    });
}
