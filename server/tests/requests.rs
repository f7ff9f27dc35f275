//! Requests from submission to decision, as developers, approvers and security reviewers
//! use them over the JSON API: tiers and their approval rules, refusals, quotas, expiry, and
//! transitions that stay atomic when decisions race (run on PostgreSQL too).

mod common;

use std::sync::Arc;

use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};

use common::{TestApp, api_error, copy_dir, repo_root, run};

const DEPLOY: &str = "production-deploy";

fn deploy(environment: &str) -> Value {
    json!({"template": DEPLOY, "parameters": {
        "service": "checkout-api",
        "image": "registry.example.com/payments/checkout-api",
        "environment": environment,
    }})
}

fn sandbox(name: &str, size: &str) -> Value {
    json!({"template": "sandbox-environment", "parameters": {"name": name, "size": size, "ttl_hours": 24}})
}

async fn post(client: &reqwest::Client, app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    let resp = client
        .post(app.url(path))
        .json(&body)
        .send()
        .await
        .expect("post");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn get(client: &reqwest::Client, app: &TestApp, path: &str) -> (u16, Value) {
    let resp = client.get(app.url(path)).send().await.expect("get");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

fn kinds(view: &Value) -> Vec<String> {
    view["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let db = Database::connect(&app.database_url).await.expect("db");
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("query")
        .expect("row");
    row.try_get("", "n").expect("n")
}

#[test]
fn a_tier_3_sandbox_is_approved_at_once_with_its_evidence() {
    run(async {
        let app = TestApp::spawn().await;
        let dev = app.client_as(Some("developer")).await;
        let (status, view) = post(
            &dev,
            &app,
            "/api/v1/requests",
            sandbox("try-pgbouncer", "small"),
        )
        .await;
        assert_eq!(status, 201, "{view}");
        assert_eq!(
            (view["status"].as_str(), view["tier"].as_u64()),
            (Some("fulfilled"), Some(3))
        );
        assert_eq!(kinds(&view), vec!["submitted", "approved", "fulfilled"]);
        assert!(
            view["timeline"][1]["detail"]
                .as_str()
                .unwrap()
                .contains("approved automatically")
        );
        assert!(view["sandbox_expires_at"].is_string());
        assert_eq!(view["files"][0]["path"], "sandboxes/try-pgbouncer.yaml");
        assert!(!view["policy_digest"].as_str().unwrap().is_empty());
        let (_, mine) = get(&dev, &app, "/api/v1/requests").await;
        assert_eq!(mine["requests"][0]["id"], view["id"]);
        // Recorded in the audit log too.
        assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM audit_events WHERE action IN ('request.submit','request.approve')").await, 2);
    })
}

#[test]
fn tier_1_needs_two_people_one_a_security_reviewer_and_never_the_requester() {
    run(async {
        let app = TestApp::spawn().await;
        let dev = app.client_as(Some("developer")).await;
        let approver = app.client_as(Some("approver")).await;
        let security = app.client_as(Some("security")).await;
        let (status, view) = post(&dev, &app, "/api/v1/requests", deploy("production")).await;
        assert_eq!(status, 201, "{view}");
        assert_eq!(
            (view["status"].as_str(), view["tier"].as_u64()),
            (Some("pending"), Some(1))
        );
        assert_eq!(view["can_approve"], false);
        assert_eq!(view["can_cancel"], true);
        let id = view["id"].as_str().unwrap().to_string();
        // The requester cannot approve (a developer has no approving role either).
        let (status, _) = post(
            &dev,
            &app,
            &format!("/api/v1/requests/{id}/approve"),
            json!({}),
        )
        .await;
        assert_eq!(status, 403);
        // Both reviewers see it in their inboxes, oldest first, with tier and age.
        let (_, inbox) = get(&approver, &app, "/api/v1/requests/inbox").await;
        assert_eq!(inbox["requests"][0]["id"], id.as_str());
        assert_eq!(inbox["requests"][0]["tier"], 1);
        let (_, empty) = get(&dev, &app, "/api/v1/requests/inbox").await;
        assert!(empty["requests"].as_array().unwrap().is_empty());
        let (status, view) = post(
            &approver,
            &app,
            &format!("/api/v1/requests/{id}/approve"),
            json!({}),
        )
        .await;
        assert_eq!(status, 200, "{view}");
        assert_eq!(view["status"], "pending");
        assert_eq!(view["missing"], "an approval by a security reviewer");
        // One person counts once.
        let (status, body) = post(
            &approver,
            &app,
            &format!("/api/v1/requests/{id}/approve"),
            json!({}),
        )
        .await;
        assert_eq!(status, 409, "{body}");
        let (_, inbox) = get(&approver, &app, "/api/v1/requests/inbox").await;
        assert!(
            inbox["requests"].as_array().unwrap().is_empty(),
            "already approved by them"
        );
        let (status, view) = post(
            &security,
            &app,
            &format!("/api/v1/requests/{id}/approve"),
            json!({}),
        )
        .await;
        assert_eq!(status, 200, "{view}");
        assert_eq!(view["status"], "fulfilled");
        let roles: Vec<&str> = view["approvals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["role"].as_str().unwrap())
            .collect();
        assert_eq!(roles, vec!["approver", "security-reviewer"]);
        assert_eq!(
            kinds(&view),
            vec!["submitted", "approval", "approval", "approved", "fulfilled"]
        );
        // The signed bundle: downloadable by the requester, verified by the CLI, and a
        // tampered copy is refused with the reason.
        let resp = dev
            .get(app.url(view["bundle_url"].as_str().unwrap()))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        assert!(
            resp.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains(".bundle.json")
        );
        let bundle: Value = resp.json().await.unwrap();
        assert_eq!(
            bundle["statement"]["_type"],
            "https://in-toto.io/Statement/v1"
        );
        let approvers =
            &bundle["statement"]["predicate"]["buildDefinition"]["internalParameters"]["approvers"];
        assert_eq!(approvers.as_array().unwrap().len(), 2);
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.bundle.json");
        std::fs::write(&good, serde_json::to_string_pretty(&bundle).unwrap()).unwrap();
        let (code, out, err) = app.gatehouse(&["bundle", "verify", good.to_str().unwrap()]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(out.starts_with("OK: bundle sha256:"), "{out}");
        assert!(
            out.contains("template:  production-deploy@3.0.1")
                && out.contains("Avery Approver (approver)"),
            "{out}"
        );
        let mut tampered = bundle.clone();
        let content = tampered["files"][0]["content"]
            .as_str()
            .unwrap()
            .replace("branches: [\"main\"]", "branches: ['**']");
        tampered["files"][0]["content"] = Value::String(content);
        let bad = dir.path().join("bad.bundle.json");
        std::fs::write(&bad, tampered.to_string()).unwrap();
        let (code, out, _) = app.gatehouse(&["bundle", "verify", bad.to_str().unwrap()]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("FAILED: file `.github/workflows/deploy-checkout-api-production.yml` does not match its sha256"), "{out}");
        // Someone who may not see the request gets no bundle either.
        let oncall = app.client_as(Some("oncall")).await;
        assert_eq!(
            oncall
                .get(app.url(view["bundle_url"].as_str().unwrap()))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        // Decided: nothing more can happen.
        let (status, _) = post(
            &dev,
            &app,
            &format!("/api/v1/requests/{id}/cancel"),
            json!({}),
        )
        .await;
        assert_eq!(status, 409);
    })
}

#[test]
fn tier_2_is_one_owner_or_approver_and_a_rejection_ends_it_with_a_reason() {
    run(async {
        let app = TestApp::spawn().await;
        let dev = app.client_as(Some("developer")).await;
        let oncall = app.client_as(Some("oncall")).await;
        let approver = app.client_as(Some("approver")).await;
        let (_, view) = post(&dev, &app, "/api/v1/requests", deploy("staging")).await;
        assert_eq!(
            (view["status"].as_str(), view["tier"].as_u64()),
            (Some("pending"), Some(2)),
            "{view}"
        );
        let id = view["id"].as_str().unwrap().to_string();
        // Someone without a deciding role does not even see it.
        let (status, _) = get(&oncall, &app, &format!("/api/v1/requests/{id}")).await;
        assert_eq!(status, 404);
        let (status, body) = post(
            &approver,
            &app,
            &format!("/api/v1/requests/{id}/reject"),
            json!({"reason": " "}),
        )
        .await;
        assert_eq!(status, 400, "{body}");
        let (status, view) = post(
            &approver,
            &app,
            &format!("/api/v1/requests/{id}/reject"),
            json!({"reason": "Use the canary strategy for checkout."}),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(
            (view["status"].as_str(), view["reason"].as_str()),
            (
                Some("rejected"),
                Some("Use the canary strategy for checkout.")
            )
        );
        let (status, _) = post(
            &approver,
            &app,
            &format!("/api/v1/requests/{id}/approve"),
            json!({}),
        )
        .await;
        assert_eq!(status, 409);
        // An approver cannot approve their own request either; the attempt is audited.
        let (_, own) = post(&approver, &app, "/api/v1/requests", deploy("staging")).await;
        let own_id = own["id"].as_str().unwrap();
        let resp = approver
            .post(app.url(&format!("/api/v1/requests/{own_id}/approve")))
            .send()
            .await
            .unwrap();
        let (status, message) = api_error(resp).await;
        assert_eq!(status, 403);
        assert!(message.contains("someone else must decide"), "{message}");
        assert_eq!(
            count(
                &app,
                &format!("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'request.approval' AND outcome = 'denied' AND target = 'request:{own_id}'"),
            )
            .await,
            1
        );
        // A second staging request: one approval approves it.
        let (_, view) = post(&dev, &app, "/api/v1/requests", deploy("staging")).await;
        let id = view["id"].as_str().unwrap();
        let (_, view) = post(
            &approver,
            &app,
            &format!("/api/v1/requests/{id}/approve"),
            json!({}),
        )
        .await;
        assert_eq!(view["status"], "fulfilled");
    })
}

#[test]
fn blocked_requests_quotas_and_cancellation() {
    run(async {
        let app = TestApp::spawn_with(|c| {
            c.request_limits.user_active = 2;
        })
        .await;
        let dev = app.client_as(Some("developer")).await;
        let resp = dev
            .post(app.url("/api/v1/requests"))
            .json(&json!({"template": "rust-service-ci", "parameters": {"service": "checkout-api", "extra_actions": ["Swatinem/rust-cache@v2"]}}))
            .send()
            .await
            .unwrap();
        let (status, message) = api_error(resp).await;
        assert_eq!(status, 400);
        assert!(
            message.contains("actions_pinned/actions_pinned_to_sha") && message.contains("Fix:"),
            "{message}"
        );
        assert_eq!(
            count(&app, "SELECT COUNT(*) AS n FROM requests").await,
            0,
            "nothing stored"
        );
        for name in ["box-one", "box-two"] {
            let (status, _) = post(&dev, &app, "/api/v1/requests", sandbox(name, "small")).await;
            assert_eq!(status, 201);
        }
        let resp = dev
            .post(app.url("/api/v1/requests"))
            .json(&sandbox("box-three", "small"))
            .send()
            .await
            .unwrap();
        let (status, message) = api_error(resp).await;
        assert_eq!(status, 400);
        assert!(
            message.contains("Your sandbox quota is full: you have 2 active sandbox(es)"),
            "{message}"
        );
        // Units count too: a large sandbox is 4 of the default 8.
        let other = app.client_as(Some("approver")).await;
        for (name, expect) in [("big-one", 201), ("big-two", 201)] {
            let (status, _) = post(&other, &app, "/api/v1/requests", sandbox(name, "large")).await;
            assert_eq!(status, expect);
        }
        // The requester may cancel a pending request; nobody else may.
        let (_, view) = post(&dev, &app, "/api/v1/requests", deploy("staging")).await;
        let id = view["id"].as_str().unwrap();
        let (status, _) = post(
            &other,
            &app,
            &format!("/api/v1/requests/{id}/cancel"),
            json!({}),
        )
        .await;
        assert_eq!(status, 403);
        let (status, view) = post(
            &dev,
            &app,
            &format!("/api/v1/requests/{id}/cancel"),
            json!({}),
        )
        .await;
        assert_eq!((status, view["status"].as_str()), (200, Some("cancelled")));
    })
}

/// A desk on the test app's database, to run the expiry sweep at a chosen time.
async fn desk(app: &TestApp) -> server::requests::desk::RequestDesk {
    use server::catalog::Catalog;
    use server::policy::PolicySet;
    use server::requests::preview::Planner;
    let planner = Planner {
        catalog: Arc::new(Catalog::load(&repo_root().join("server/catalog")).unwrap()),
        policies: Arc::new(PolicySet::load(&repo_root().join("server/policies")).unwrap()),
        sanitizer: Arc::new(server::sanitizer::Sanitizer::new()),
    };
    server::requests::desk::RequestDesk {
        db: Database::connect(&app.database_url).await.unwrap(),
        audit: server::audit::AuditLog::new(
            server::audit::signing::AuditKey::from_file(&app.audit_key).unwrap(),
        ),
        planner: Arc::new(planner),
        limits: Default::default(),
        builder: app.base.clone(),
        webhooks: None,
    }
}

#[test]
fn pending_requests_and_sandboxes_expire_and_the_expiry_is_recorded() {
    run(async {
        let app = TestApp::spawn().await;
        let dev = app.client_as(Some("developer")).await;
        let approver = app.client_as(Some("approver")).await;
        let (_, pending) = post(&dev, &app, "/api/v1/requests", deploy("staging")).await;
        let (_, sandbox) = post(
            &dev,
            &app,
            "/api/v1/requests",
            sandbox("short-lived", "small"),
        )
        .await;
        let desk = desk(&app).await;
        let later = chrono::Utc::now() + chrono::Duration::days(8);
        assert_eq!(desk.expire_due(later).await.unwrap(), 2);
        assert_eq!(desk.expire_due(later).await.unwrap(), 0, "recorded once");
        let (_, view) = get(
            &dev,
            &app,
            &format!("/api/v1/requests/{}", pending["id"].as_str().unwrap()),
        )
        .await;
        assert_eq!(view["status"], "expired");
        assert_eq!(kinds(&view), vec!["submitted", "expired"]);
        let (status, _) = post(
            &approver,
            &app,
            &format!("/api/v1/requests/{}/approve", view["id"].as_str().unwrap()),
            json!({}),
        )
        .await;
        assert_eq!(status, 409);
        let (_, view) = get(
            &dev,
            &app,
            &format!("/api/v1/requests/{}", sandbox["id"].as_str().unwrap()),
        )
        .await;
        assert!(view["sandbox_expired_at"].is_string());
        assert_eq!(
            kinds(&view),
            vec!["submitted", "approved", "fulfilled", "sandbox_expired"]
        );
    })
}

#[test]
fn racing_decisions_end_in_exactly_one_valid_state() {
    run(async {
        let app = TestApp::spawn().await;
        let dev = app.client_as(Some("developer")).await;
        let approver = app.client_as(Some("approver")).await;
        for round in 0..5 {
            // Two approvals at once on a tier 2 request: one approves, the other finds it decided.
            let (_, view) = post(&dev, &app, "/api/v1/requests", deploy("staging")).await;
            let id = view["id"].as_str().unwrap().to_string();
            let path = format!("/api/v1/requests/{id}/approve");
            let (a, b) = tokio::join!(
                post(&approver, &app, &path, json!({})),
                post(&approver, &app, &path, json!({})),
            );
            let mut statuses = [a.0, b.0];
            statuses.sort();
            assert_eq!(statuses, [200, 409], "round {round}: {a:?} {b:?}");
            let approvals = count(
                &app,
                &format!("SELECT COUNT(*) AS n FROM approvals WHERE request_id = '{id}'"),
            )
            .await;
            assert_eq!(approvals, 1);
            // An approval racing the requester's cancel: one of them wins, the other is refused.
            let (_, view) = post(&dev, &app, "/api/v1/requests", deploy("staging")).await;
            let id = view["id"].as_str().unwrap().to_string();
            let (approve_path, cancel_path) = (
                format!("/api/v1/requests/{id}/approve"),
                format!("/api/v1/requests/{id}/cancel"),
            );
            let (approve, cancel) = tokio::join!(
                post(&approver, &app, &approve_path, json!({})),
                post(&dev, &app, &cancel_path, json!({})),
            );
            let (_, now) = get(&dev, &app, &format!("/api/v1/requests/{id}")).await;
            // Every event of the winner is recorded, nothing of the loser.
            match now["status"].as_str().unwrap() {
                "fulfilled" => {
                    assert_eq!((approve.0, cancel.0), (200, 409));
                    assert_eq!(
                        kinds(&now),
                        vec!["submitted", "approval", "approved", "fulfilled"]
                    );
                }
                "cancelled" => {
                    assert_eq!((approve.0, cancel.0), (409, 200));
                    assert_eq!(kinds(&now), vec!["submitted", "cancelled"]);
                }
                other => panic!("round {round}: ended {other}"),
            }
        }
    })
}

#[test]
fn a_pending_request_judged_under_earlier_policies_says_so() {
    run(async {
        let app = TestApp::spawn().await;
        let dev = app.client_as(Some("developer")).await;
        let (_, view) = post(&dev, &app, "/api/v1/requests", deploy("staging")).await;
        let id = view["id"].as_str().unwrap().to_string();
        assert_eq!(view["changed_since_judged"], Value::Null, "{view}");

        // A replica whose policies have changed since (one file edited).
        let policies = tempfile::tempdir().unwrap();
        copy_dir(&repo_root().join("server/policies"), policies.path());
        let edited = policies.path().join("registries.rego");
        let text = std::fs::read_to_string(&edited).unwrap();
        std::fs::write(&edited, format!("{text}\n# Tightened after an incident.\n")).unwrap();
        let replica = app
            .spawn_replica_with(|c| c.policies_dir = policies.path().to_path_buf())
            .await;
        let approver = replica.client_as(Some("approver")).await;
        let (status, seen) = get(&approver, &replica, &format!("/api/v1/requests/{id}")).await;
        assert_eq!(status, 200, "{seen}");
        let note = seen["changed_since_judged"].as_str().expect("a note");
        let then = &view["policy_digest"].as_str().unwrap()[..12];
        assert!(
            note.starts_with("The policies in force (sha256:")
                && note.contains(&format!("this request was judged under (sha256:{then})"))
                && !note.contains("template"),
            "{note}"
        );
        let page = approver
            .get(replica.url(&format!("/requests/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Judged under earlier rules."), "{page}");
        // The portal that judged it has nothing to say; nor has anyone once it is decided.
        let (_, same) = get(&dev, &app, &format!("/api/v1/requests/{id}")).await;
        assert_eq!(same["changed_since_judged"], Value::Null);
        let (status, decided) = post(
            &approver,
            &replica,
            &format!("/api/v1/requests/{id}/reject"),
            json!({"reason": "Submit it again under the new registry rules."}),
        )
        .await;
        assert_eq!(status, 200, "{decided}");
        assert_eq!(decided["changed_since_judged"], Value::Null);

        // A template edited in place (same version, other content) is named with both digests.
        let (_, view) = post(&dev, &app, "/api/v1/requests", deploy("staging")).await;
        let id = view["id"].as_str().unwrap().to_string();
        let catalog = tempfile::tempdir().unwrap();
        copy_dir(&repo_root().join("server/catalog"), catalog.path());
        let template = std::fs::read_dir(catalog.path().join("production-deploy"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
            .expect("the template's definition");
        let text = std::fs::read_to_string(&template).unwrap();
        std::fs::write(
            &template,
            format!(
                "{text}
# Reviewed again.
"
            ),
        )
        .unwrap();
        let replica = app
            .spawn_replica_with(|c| c.catalog_dir = catalog.path().to_path_buf())
            .await;
        let approver = replica.client_as(Some("approver")).await;
        let (_, seen) = get(&approver, &replica, &format!("/api/v1/requests/{id}")).await;
        let note = seen["changed_since_judged"].as_str().expect("a note");
        let version = view["template_version"].as_str().unwrap();
        let then = &view["template_digest"].as_str().unwrap()[..12];
        assert!(
            note.starts_with("The template `production-deploy` in force is version")
                && note.contains(&format!("made with version {version} (sha256:{then})")),
            "{note}"
        );
    });
}

#[test]
fn stored_json_that_does_not_decode_is_an_error_not_an_empty_default() {
    run(async {
        let app = TestApp::spawn().await;
        let dev = app.client_as(Some("developer")).await;
        let approver = app.client_as(Some("approver")).await;
        let (status, view) = post(&dev, &app, "/api/v1/requests", deploy("staging")).await;
        assert_eq!(status, 201, "{view}");
        let id = view["id"].as_str().unwrap().to_string();
        let (_, inbox) = get(&approver, &app, "/api/v1/requests/inbox").await;
        assert!(inbox["requests"].to_string().contains(&id), "{inbox}");

        // Someone edits the row by hand and breaks the owners list. Read as "no owners" it
        // would quietly change who may decide; it must be a read error instead.
        let db = Database::connect(&app.database_url).await.expect("db");
        let sql = format!("UPDATE requests SET owners = '[\"team-payments\"' WHERE id = '{id}'");
        db.execute_unprepared(&sql).await.expect("update");
        for (who, path) in [
            (&dev, format!("/api/v1/requests/{id}")),
            (&approver, "/api/v1/requests/inbox".to_string()),
        ] {
            let resp = who.get(app.url(&path)).send().await.expect("get");
            assert_eq!(resp.status(), 500, "{path}");
        }
        let resp = approver
            .post(app.url(&format!("/api/v1/requests/{id}/approve")))
            .send()
            .await
            .expect("approve");
        assert_eq!(
            resp.status(),
            500,
            "no decision on data that cannot be read"
        );
        assert_eq!(
            count(
                &app,
                &format!("SELECT COUNT(*) AS n FROM approvals WHERE request_id = '{id}'")
            )
            .await,
            0
        );
        // Nothing else was touched: the request is still pending and readable once repaired.
        let sql = format!("UPDATE requests SET owners = '[\"team-payments\"]' WHERE id = '{id}'");
        db.execute_unprepared(&sql).await.expect("repair");
        let (status, view) = get(&dev, &app, &format!("/api/v1/requests/{id}")).await;
        assert_eq!(
            (status, view["status"].as_str()),
            (200, Some("pending")),
            "{view}"
        );
    });
}

#[test]
fn the_api_speaks_rfc_3339_times_and_seconds() {
    run(async {
        let app = TestApp::spawn().await;
        let dev = app.client_as(Some("developer")).await;
        let (status, view) = post(
            &dev,
            &app,
            "/api/v1/requests",
            sandbox("try-times", "small"),
        )
        .await;
        assert_eq!(status, 201, "{view}");
        let rfc3339 = |v: &Value| {
            chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap_or_default())
                .unwrap_or_else(|e| panic!("{v} is not RFC 3339: {e}"))
        };
        let created = rfc3339(&view["created_at"]);
        assert!(rfc3339(&view["pending_until"]) > created);
        rfc3339(&view["decided_at"]);
        rfc3339(&view["sandbox_expires_at"]);
        for entry in view["timeline"].as_array().unwrap() {
            rfc3339(&entry["at"]);
        }
        let (_, mine) = get(&dev, &app, "/api/v1/requests").await;
        let row = &mine["requests"][0];
        assert_eq!(rfc3339(&row["created_at"]), created);
        assert!(
            row["age_seconds"]
                .as_i64()
                .is_some_and(|s| (0..600).contains(&s)),
            "{row}"
        );
        assert_eq!(
            row["age"], "0 min",
            "the old field stays for existing readers"
        );
        let (status, view) = post(&dev, &app, "/api/v1/requests", deploy("production")).await;
        assert_eq!(status, 201, "{view}");
        let findings = view["policy"].as_array().expect("policy");
        assert!(!findings.is_empty(), "{view}");
        for f in findings {
            assert!(
                ["deny", "escalate", "warn"].contains(&f["level"].as_str().unwrap_or_default()),
                "{f}"
            );
            for field in ["policy", "rule", "message"] {
                assert!(f[field].is_string(), "{field} in {f}");
            }
        }
    });
}
