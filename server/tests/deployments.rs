//! Deployment notes in, as CI posts them: sanitized before anything is stored, a report of
//! what was masked (never the values), clear errors with nothing half-stored, and retries
//! that never duplicate.

mod common;

use sea_orm::{ConnectionTrait, Database, Statement};

use common::{TestApp, api_error, run};

const AWS_KEY: &str = "AKIAQ3EGRXC7N5V2PJ4T";
const DB_PASSWORD: &str = "Tr0ub4dor-and-3";
const HOST: &str = "pg-payments-2.db.internal";
const EMAIL: &str = "dana.developer@payments.acme-corp.io";

fn notes_json() -> serde_json::Value {
    serde_json::json!({
        "service": "checkout-api",
        "environment": "production",
        "version": "v2.14.0",
        "commit": "3f9c2e1",
        "deployed_by": "ci",
        "time": "2026-11-27T10:00:00Z",
        "body": format!(
            "## Changes\n- New retry budget for the card processor\n\n## Configuration\n\
             - AWS_ACCESS_KEY_ID={AWS_KEY}\n- DATABASE_URL=postgres://checkout:{DB_PASSWORD}@{HOST}:5432/checkout\n\n\
             ## Known issues\nPing {EMAIL} if p99 rises.\n"
        ),
        "links": ["https://ci.example.com/runs/42"],
    })
}

async fn count(app: &TestApp) -> i64 {
    let db = Database::connect(&app.database_url).await.expect("db");
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM deployments",
        ))
        .await
        .expect("count")
        .expect("row");
    row.try_get("", "n").expect("n")
}

#[test]
fn ci_notes_are_sanitized_before_they_are_stored() {
    run(async {
        let app = TestApp::spawn().await;
        let token = app.create_token("ci-checkout", "", "notes:write");
        let resp = reqwest::Client::new()
            .post(app.url("/api/v1/deployments"))
            .bearer_auth(&token)
            .json(&notes_json())
            .send()
            .await
            .expect("post");
        assert_eq!(resp.status(), 201);
        let body: serde_json::Value = resp.json().await.expect("json");
        assert_eq!(body["service"], "checkout-api");
        assert_eq!(body["replayed"], false);
        let report = &body["redactions"];
        assert_eq!(report["aws-access-key"], 1, "{body}");
        assert_eq!(report["email"], 1, "{body}");
        // In the database URL the password and the internal host are masked, the rest kept.
        assert_eq!(report["connection-string"], 1, "{body}");
        assert_eq!(report["internal-hostname"], 1, "{body}");
        let text = body.to_string();
        for secret in [AWS_KEY, DB_PASSWORD, HOST, EMAIL] {
            assert!(!text.contains(secret), "the answer leaks {secret}");
        }

        // Nowhere in the database: every stored column, and every audit event.
        let db = Database::connect(&app.database_url).await.expect("db");
        let rows = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT body, links, redactions, version, commit_sha, deployed_by FROM deployments",
            ))
            .await
            .expect("rows");
        assert_eq!(rows.len(), 1);
        let stored: String = rows[0].try_get("", "body").expect("body");
        assert!(
            stored.contains("## Changes") && stored.contains("retry budget"),
            "{stored}"
        );
        let audit: Vec<String> = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT details FROM audit_events",
            ))
            .await
            .expect("events")
            .iter()
            .map(|r| r.try_get::<String>("", "details").expect("details"))
            .collect();
        assert!(
            audit.iter().any(|d| d.contains("aws-access-key")),
            "{audit:?}"
        );
        for secret in [AWS_KEY, DB_PASSWORD, HOST, EMAIL] {
            assert!(!stored.contains(secret), "stored body leaks {secret}");
            assert!(
                !audit.iter().any(|d| d.contains(secret)),
                "audit leaks {secret}"
            );
        }
        if common::backend() == "sqlite" {
            let path = app
                .database_url
                .trim_start_matches("sqlite://")
                .split('?')
                .next()
                .unwrap()
                .to_string();
            drop(db);
            // The database file and its write-ahead log, byte for byte.
            let mut raw = String::new();
            for file in [path.clone(), format!("{path}-wal")] {
                if let Ok(bytes) = std::fs::read(&file) {
                    raw.push_str(&String::from_utf8_lossy(&bytes));
                }
            }
            assert!(
                raw.contains("retry budget"),
                "the notes are in the files read"
            );
            for secret in [AWS_KEY, DB_PASSWORD, HOST, EMAIL] {
                assert!(!raw.contains(secret), "the database files hold {secret}");
            }
        }
    });
}

#[test]
fn a_retry_with_the_same_key_creates_nothing_new() {
    run(async {
        let app = TestApp::spawn().await;
        let token = app.create_token("ci-checkout", "", "notes:write");
        let post = |key: &'static str, body: serde_json::Value| {
            reqwest::Client::new()
                .post(app.url("/api/v1/deployments"))
                .bearer_auth(&token)
                .header("idempotency-key", key)
                .json(&body)
                .send()
        };
        let first = post("deploy-42", notes_json()).await.expect("post");
        assert_eq!(first.status(), 201);
        let first: serde_json::Value = first.json().await.expect("json");
        let again = post("deploy-42", notes_json()).await.expect("post");
        assert_eq!(again.status(), 200);
        let again: serde_json::Value = again.json().await.expect("json");
        assert_eq!(again["id"], first["id"]);
        assert_eq!(again["replayed"], true);
        let mut other = notes_json();
        other["version"] = "v2.15.0".into();
        let (status, message) = api_error(post("deploy-42", other).await.expect("post")).await;
        assert_eq!(status, 409);
        assert!(message.contains("deploy-42"), "{message}");
        assert_eq!(count(&app).await, 1);
    });
}

#[test]
fn bad_notes_are_refused_naming_each_problem_and_nothing_is_stored() {
    run(async {
        let app = TestApp::spawn().await;
        let token = app.create_token("ci-checkout", "", "notes:write");
        let client = reqwest::Client::new();
        let post_json = |body: serde_json::Value| {
            client
                .post(app.url("/api/v1/deployments"))
                .bearer_auth(&token)
                .json(&body)
                .send()
        };
        let (status, message) = api_error(
            post_json(serde_json::json!({"service": "no-such-service", "time": "soon"}))
                .await
                .expect("post"),
        )
        .await;
        assert_eq!(status, 400);
        for part in [
            "service: unknown service `no-such-service`",
            "body: missing",
            "time: `soon`",
        ] {
            assert!(message.contains(part), "{message}");
        }
        let (status, message) = api_error(
            client
                .post(app.url("/api/v1/deployments"))
                .bearer_auth(&token)
                .header("content-type", "application/json")
                .body("{\"service\": ")
                .send()
                .await
                .expect("post"),
        )
        .await;
        assert_eq!(status, 400);
        assert!(message.starts_with("invalid JSON"), "{message}");
        let (status, message) = api_error(
            post_json(serde_json::json!({"service": "checkout-api", "body": "x".repeat(200_000)}))
                .await
                .expect("post"),
        )
        .await;
        assert_eq!(status, 413);
        assert!(message.contains("at most 65536"), "{message}");
        let (status, message) = api_error(
            post_json(serde_json::json!({"service": "checkout-api", "body": "x", "colour": "red"}))
                .await
                .expect("post"),
        )
        .await;
        assert_eq!(status, 400);
        assert!(message.contains("unknown field `colour`"), "{message}");
        assert_eq!(count(&app).await, 0);

        // Plain text, with the service from the query: accepted.
        let resp = client
            .post(app.url("/api/v1/deployments?service=checkout-api"))
            .bearer_auth(&token)
            .header("content-type", "text/plain")
            .body("Version: v3\n\nRolled back the cache change.")
            .send()
            .await
            .expect("post");
        assert_eq!(resp.status(), 201);
        let body: serde_json::Value = resp.json().await.expect("json");
        assert_eq!(body["version"], "v3");
    });
}

#[test]
fn only_a_notes_write_token_or_a_person_may_post_notes() {
    run(async {
        let app = TestApp::spawn().await;
        let reader = app.create_token("ci-checkout", "", "runbooks:read");
        let resp = reqwest::Client::new()
            .post(app.url("/api/v1/deployments"))
            .bearer_auth(&reader)
            .json(&notes_json())
            .send()
            .await
            .expect("post");
        assert_eq!(resp.status(), 403);
        let resp = reqwest::Client::new()
            .post(app.url("/api/v1/deployments"))
            .json(&notes_json())
            .send()
            .await
            .expect("post");
        assert_eq!(resp.status(), 401);
        assert_eq!(count(&app).await, 0);
    });
}

/// The service list on the notes form names only services whose runbooks the reader may
/// read (and configured ones): it must not tell of restricted runbooks.
#[test]
fn the_notes_form_lists_only_services_the_reader_may_see() {
    run(async {
        let app = TestApp::spawn().await;
        let options = |html: &str| -> Vec<String> {
            html.split("<option value=\"")
                .skip(1)
                .filter_map(|o| o.split('"').next())
                .filter(|v| !v.is_empty())
                .map(str::to_string)
                .collect()
        };
        let developer = app.client_as(Some("developer")).await;
        let seen = options(&common::page(&developer, &app, "/deployments/new").await);
        assert!(seen.contains(&"checkout-api".to_string()), "{seen:?}");
        for restricted in ["payments-api", "payments-ledger", "vault"] {
            assert!(
                !seen.contains(&restricted.to_string()),
                "{restricted} in {seen:?}"
            );
        }
        let oncall = app.client_as(Some("oncall")).await;
        let html = common::page(&oncall, &app, "/deployments/new").await;
        assert!(options(&html).contains(&"payments-api".to_string()));
    });
}

/// A 60 KB chain of phone-number-like fragments used to cost seconds per request in the
/// sanitizer (quadratic), as deployment notes and, through the request log, as a path or a
/// header, without signing in. Now each is linear: several at once leave `/healthz` answering.
#[test]
fn a_hostile_chain_as_notes_path_and_header_leaves_the_server_answering() {
    run(async {
        let app = TestApp::spawn().await;
        let chain = "+44-20-4".repeat(60 * 1024 / 8);
        let token = app.create_token("ci-checkout", "", "notes:write");
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let mut load = Vec::new();
        for _ in 0..3 {
            load.push(
                client
                    .post(app.url("/api/v1/deployments"))
                    .bearer_auth(&token)
                    .json(&serde_json::json!({ "service": "checkout-api", "version": "v1", "body": chain }))
                    .send(),
            );
            load.push(client.get(app.url(&format!("/{chain}"))).send());
            load.push(
                client
                    .get(app.url("/healthz"))
                    .header("x-request-id", chain.as_str())
                    .send(),
            );
        }
        let load = tokio::spawn(futures_util::future::join_all(load));
        let health = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            client.get(app.url("/healthz")).send(),
        )
        .await
        .expect("/healthz answers while the chains are processed")
        .expect("healthz");
        assert_eq!(health.status(), 200);
        let answers = tokio::time::timeout(std::time::Duration::from_secs(30), load)
            .await
            .expect("every hostile request completes")
            .expect("join");
        for (i, answer) in answers.into_iter().enumerate() {
            let resp = answer.expect("answer");
            match i % 3 {
                0 => {
                    assert_eq!(resp.status(), 201);
                    let body: serde_json::Value = resp.json().await.expect("json");
                    assert_eq!(body["redactions"]["phone"], 1, "{body}");
                }
                1 => assert!(resp.status().is_redirection() || resp.status() == 404),
                _ => assert_eq!(resp.status(), 200),
            }
        }
    });
}
