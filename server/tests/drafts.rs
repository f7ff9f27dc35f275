//! Runbook drafts from deployment notes, reviewed by the runbooks' owners: what a CI call
//! produces, what an owner sees and accepts (with edits), conflicts, rejection, new runbooks,
//! drift, git commits, and a revision reaching another replica's search.

mod common;

use std::time::Duration;

use sea_orm::{ConnectionTrait, Database, Statement};

use common::{TestApp, all_bytes, rpc, rpc_json, run, stems};

const AWS_KEY: &str = "AKIAQ3EGRXC7N5V2PJ4T";
const DB_PASSWORD: &str = "Tr0ub4dor-and-3";
const HOST: &str = "pg-payments-2.db.internal";
const EMAIL: &str = "dana.developer@payments.acme-corp.io";
const SECRETS: [&str; 4] = [AWS_KEY, DB_PASSWORD, HOST, EMAIL];

const LATENCY: &str = "checkout-api-high-latency";

fn notes(service: &str) -> serde_json::Value {
    serde_json::json!({
        "service": service,
        "environment": "production",
        "version": "v2.14.0",
        "commit": "3f9c2e1",
        "time": "2026-11-27T10:00:00Z",
        "body": format!(
            "## Changes\n- New retry budget for the card processor\n\n\
             ## Configuration\n- AWS_ACCESS_KEY_ID={AWS_KEY}\n\
             - DATABASE_URL=postgres://checkout:{DB_PASSWORD}@{HOST}:5432/checkout\n\n\
             ## Alerts\n- New alert `CheckoutApiRetryBudgetExhausted`: fires when retries exceed the budget for 10 minutes\n\n\
             ## Rollback\n1. `kubectl rollout undo deploy/{service}`\n2. Set `RETRY_BUDGET=1`\n\n\
             ## Known issues\nAsk {EMAIL} if p99 rises after the deploy.\n"
        ),
    })
}

/// Posts notes as CI does; returns the answer.
async fn post_notes(app: &TestApp, body: serde_json::Value) -> serde_json::Value {
    post_notes_with_groups(app, body, "").await
}

/// Posts notes with a token of `groups` (the answer lists only drafts they may read).
async fn post_notes_with_groups(
    app: &TestApp,
    body: serde_json::Value,
    groups: &str,
) -> serde_json::Value {
    let token = app.create_token("ci-checkout", groups, "notes:write");
    let resp = reqwest::Client::new()
        .post(app.url("/api/v1/deployments"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(resp.status(), 201);
    resp.json().await.expect("json")
}

fn draft_for(answer: &serde_json::Value, runbook: &str) -> String {
    answer["drafts"]
        .as_array()
        .expect("drafts")
        .iter()
        .find(|d| d["runbook"] == runbook)
        .unwrap_or_else(|| panic!("no draft for {runbook}: {answer}"))["id"]
        .as_str()
        .expect("id")
        .to_string()
}

async fn decide(
    client: &reqwest::Client,
    app: &TestApp,
    id: &str,
    decision: &str,
    extra: &[(&str, &str)],
) -> (u16, String, String) {
    let mut form = vec![("decision[id]", id), ("decision[decision]", decision)];
    form.extend_from_slice(extra);
    rpc(client, app, "decide_draft", &form).await
}

/// The runbooks a search through the JSON API finds, for this client.
async fn search(client: &reqwest::Client, app: &TestApp, q: &str) -> Vec<String> {
    let answer: serde_json::Value = client
        .get(app.url("/api/v1/runbooks/search"))
        .query(&[("q", q)])
        .send()
        .await
        .expect("search")
        .json()
        .await
        .expect("json");
    stems(&answer)
}

fn runbook_file(app: &TestApp, stem: &str) -> String {
    std::fs::read_to_string(app.runbooks.join(format!("{stem}.md"))).expect("runbook file")
}

async fn database_text(app: &TestApp) -> String {
    let db = Database::connect(&app.database_url).await.expect("db");
    let mut out = String::new();
    for sql in [
        "SELECT proposed || COALESCE(base_text, '') || summary AS t FROM drafts",
        "SELECT content || COALESCE(previous_text, '') || message AS t FROM runbook_revisions",
        "SELECT action || ' ' || details AS t FROM audit_events",
    ] {
        for row in db
            .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .expect(sql)
        {
            out.push_str(&row.try_get::<String>("", "t").expect("t"));
        }
    }
    out
}

#[test]
fn ci_notes_become_drafts_that_an_owner_edits_and_accepts() {
    run(async {
        let app = TestApp::spawn().await;
        let answer = post_notes(&app, notes("checkout-api")).await;
        let deployment = answer["id"].as_str().expect("id").to_string();
        // Both runbooks of the service get a draft.
        assert_eq!(
            answer["drafts"].as_array().expect("drafts").len(),
            2,
            "{answer}"
        );
        let id = draft_for(&answer, LATENCY);

        let owner = app.client_as(Some("oncall")).await;
        let queue = rpc_json(&owner, &app, "review_queue", &[]).await;
        assert!(queue["drafts"].to_string().contains(&id), "{queue}");
        let draft = rpc_json(&owner, &app, "draft", &[("id", &id)]).await;
        let page = draft.to_string();
        for secret in SECRETS {
            assert!(!page.contains(secret), "the draft shows {secret}");
        }
        assert_eq!(draft["deployment_id"], deployment.as_str());
        assert_eq!(draft["drafter"], "deterministic/1");
        let proposed = draft["proposed"].as_str().expect("proposed");
        for expected in [
            "### Rolling back v2.14.0 (deployed 2026-11-27)",
            "1. `kubectl rollout undo deploy/checkout-api`",
            "### CheckoutApiRetryBudgetExhausted",
            "alerts: [CheckoutApiHighLatency, CheckoutApiP99Slow, CheckoutApiRetryBudgetExhausted]",
            "## Recent changes",
        ] {
            assert!(
                proposed.contains(expected),
                "missing {expected}:\n{proposed}"
            );
        }
        assert!(
            draft["diff"]
                .as_array()
                .expect("diff")
                .iter()
                .any(|l| l["kind"] == "add"),
            "{draft}"
        );

        // The owner edits the proposal (as a browser posts it, with CRLF) and accepts.
        let edited = proposed
            .replace(
                "New retry budget for the card processor",
                "New retry budget for the card processor, verified by the payments on-call",
            )
            .replace('\n', "\r\n");
        let (status, location, body) =
            decide(&owner, &app, &id, "accept", &[("decision[text]", &edited)]).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(location, format!("/drafts/{id}"));
        let file = runbook_file(&app, LATENCY);
        assert!(file.contains("verified by the payments on-call"));
        assert!(!file.contains('\r'));
        let today = chrono::Utc::now().date_naive().to_string();
        assert!(
            file.contains(&format!("last_reviewed: {today}\n")),
            "{file}"
        );

        // Search finds the accepted text at once; the history shows the revision.
        let reader = app.client_as(Some("developer")).await;
        let found = search(&reader, &app, "\"verified by the payments on-call\"").await;
        assert_eq!(found, vec![LATENCY.to_string()]);
        let history = rpc_json(&reader, &app, "runbook_history", &[("stem", LATENCY)]).await;
        let revision = &history["revisions"][0];
        assert_eq!(revision["deployment_id"], deployment.as_str());
        assert_eq!(revision["accepted_by"], "Oli On-call");
        assert!(
            revision["diff"]
                .to_string()
                .contains("verified by the payments on-call")
        );
        let draft = rpc_json(&owner, &app, "draft", &[("id", &id)]).await;
        assert_eq!(draft["status"], "accepted");

        // A second decision on the same draft changes nothing.
        let (status, _, body) =
            decide(&owner, &app, &id, "reject", &[("decision[reason]", "late")]).await;
        assert_eq!(status, 409, "{body}");

        // None of the four values anywhere: runbook files, index, database.
        let stored = database_text(&app).await;
        assert!(stored.contains("draft.accept"));
        let files = all_bytes(&app.runbooks);
        let index = all_bytes(&app.index);
        assert!(index.len() > 1000, "the index was read");
        for secret in SECRETS {
            assert!(!files.contains(secret), "a runbook file holds {secret}");
            assert!(!index.contains(secret), "the index holds {secret}");
            assert!(!stored.contains(secret), "the database holds {secret}");
        }
    });
}

#[test]
fn whoever_submitted_the_notes_cannot_accept_their_draft_and_non_owners_cannot_see_it() {
    run(async {
        let app = TestApp::spawn().await;
        let owner = app.client_as(Some("oncall")).await;
        let (status, location, body) = rpc(
            &owner,
            &app,
            "submit_notes",
            &[
                ("form[service]", "checkout-api"),
                ("form[environment]", "staging"),
                ("form[version]", "v2.15.0"),
                (
                    "form[body]",
                    "## Rollback\n- helm rollback checkout-api 41\n",
                ),
            ],
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let deployment = location.trim_start_matches("/deployments/").to_string();
        let note = rpc_json(&owner, &app, "deployment", &[("id", &deployment)]).await;
        let id = note["drafts"]
            .as_array()
            .expect("drafts")
            .iter()
            .find(|d| d["runbook"] == LATENCY)
            .expect("a draft for the latency runbook")["id"]
            .as_str()
            .expect("id")
            .to_string();
        let draft = rpc_json(&owner, &app, "draft", &[("id", &id)]).await;
        assert_eq!(draft["own_submission"], true);
        let (status, _, body) = decide(&owner, &app, &id, "accept", &[]).await;
        assert_eq!(status, 403, "{body}");
        assert!(body.contains("another owner"), "{body}");
        let before = runbook_file(&app, LATENCY);

        let developer = app.client_as(Some("developer")).await;
        let (status, _, _) = rpc(&developer, &app, "draft", &[("id", &id)]).await;
        assert_eq!(status, 403);
        let (status, _, _) = decide(&developer, &app, &id, "accept", &[]).await;
        assert_eq!(status, 403);
        assert_eq!(runbook_file(&app, LATENCY), before, "nothing was written");

        let admin = app.client_as(Some("admin")).await;
        let (status, _, body) = decide(&admin, &app, &id, "accept", &[]).await;
        assert_eq!(status, 200, "{body}");
        assert!(runbook_file(&app, LATENCY).contains("helm rollback checkout-api 41"));
    });
}

#[test]
fn a_runbook_changed_after_drafting_is_a_conflict_until_redrafted() {
    run(async {
        let app = TestApp::spawn().await;
        let answer = post_notes(&app, notes("checkout-api")).await;
        let id = draft_for(&answer, LATENCY);
        let path = app.runbooks.join(format!("{LATENCY}.md"));
        let edited = format!(
            "{}\nAn edit made in the repository meanwhile.\n",
            runbook_file(&app, LATENCY)
        );
        std::fs::write(&path, &edited).expect("edit");

        let owner = app.client_as(Some("oncall")).await;
        let draft = rpc_json(&owner, &app, "draft", &[("id", &id)]).await;
        assert!(
            draft["conflict"]
                .to_string()
                .contains("An edit made in the repository meanwhile."),
            "the reviewer sees what changed: {draft}"
        );
        let (status, _, body) = decide(&owner, &app, &id, "accept", &[]).await;
        assert_eq!(status, 409, "{body}");
        assert!(body.contains("changed after this draft"), "{body}");
        assert_eq!(
            runbook_file(&app, LATENCY),
            edited,
            "nothing was overwritten"
        );

        let (status, _, body) = decide(&owner, &app, &id, "redraft", &[]).await;
        assert_eq!(status, 200, "{body}");
        let draft = rpc_json(&owner, &app, "draft", &[("id", &id)]).await;
        assert!(draft["conflict"].is_null(), "{draft}");
        let (status, _, body) = decide(&owner, &app, &id, "accept", &[]).await;
        assert_eq!(status, 200, "{body}");
        let file = runbook_file(&app, LATENCY);
        assert!(file.contains("An edit made in the repository meanwhile."));
        assert!(file.contains("Rolling back v2.14.0"));
    });
}

#[test]
fn a_rejection_needs_a_reason_and_ends_the_draft() {
    run(async {
        let app = TestApp::spawn().await;
        let answer = post_notes(&app, notes("checkout-api")).await;
        let id = draft_for(&answer, LATENCY);
        let owner = app.client_as(Some("oncall")).await;
        let (status, _, body) =
            decide(&owner, &app, &id, "reject", &[("decision[reason]", " ")]).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("say why"), "{body}");
        let (status, _, body) = decide(
            &owner,
            &app,
            &id,
            "reject",
            &[(
                "decision[reason]",
                "Rollback steps are wrong for production",
            )],
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let draft = rpc_json(&owner, &app, "draft", &[("id", &id)]).await;
        assert_eq!(draft["status"], "rejected");
        assert_eq!(draft["reason"], "Rollback steps are wrong for production");
        let queue = rpc_json(&owner, &app, "review_queue", &[]).await;
        assert!(!queue["drafts"].to_string().contains(&id));
        let (status, _, _) = decide(&owner, &app, &id, "accept", &[]).await;
        assert_eq!(status, 409);
        // An edit that adds a secret is refused, naming the line.
        let other = draft_for(&answer, "checkout-api-elevated-5xx-errors");
        let draft = rpc_json(&owner, &app, "draft", &[("id", &other)]).await;
        let with_secret = format!(
            "{}\nUse key {AWS_KEY} to debug.\n",
            draft["proposed"].as_str().expect("proposed")
        );
        let (status, _, body) = decide(
            &owner,
            &app,
            &other,
            "accept",
            &[("decision[text]", &with_secret)],
        )
        .await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("aws-access-key"), "{body}");
        assert!(!body.contains(AWS_KEY));
    });
}

#[test]
fn a_service_without_a_runbook_gets_a_new_one_drafted() {
    run(async {
        let app = TestApp::spawn_with(|c| {
            c.services = vec![server::runbooks::names::ServiceName::parse("ledger-sync").unwrap()]
        })
        .await;
        let answer = post_notes(&app, notes("ledger-sync")).await;
        let drafts = answer["drafts"].as_array().expect("drafts");
        assert_eq!(drafts.len(), 1, "{answer}");
        assert_eq!(drafts[0]["new"], true);
        let id = drafts[0]["id"].as_str().expect("id").to_string();
        // New runbooks go to the admins, who name the owners.
        let owner = app.client_as(Some("oncall")).await;
        let queue = rpc_json(&owner, &app, "review_queue", &[]).await;
        assert!(!queue["drafts"].to_string().contains(&id));
        let admin = app.client_as(Some("admin")).await;
        let draft = rpc_json(&admin, &app, "draft", &[("id", &id)]).await;
        assert_eq!(draft["is_new"], true);
        let text = draft["proposed"]
            .as_str()
            .expect("proposed")
            .replace("owners: [gatehouse-admins]", "owners: [team-ledger]");
        let (status, _, body) =
            decide(&admin, &app, &id, "accept", &[("decision[text]", &text)]).await;
        assert_eq!(status, 200, "{body}");
        let file = runbook_file(&app, "ledger-sync");
        assert!(file.contains("owners: [team-ledger]"));
        app.sign_in("developer").await;
        let found = app.search_json("ledger-sync operations").await;
        assert_eq!(
            stems(&found).first().map(String::as_str),
            Some("ledger-sync"),
            "{found}"
        );
    });
}

#[test]
fn runbooks_that_mention_a_service_without_its_own_hear_of_its_changes() {
    run(async {
        let app = TestApp::spawn_with(|c| {
            c.services = vec![server::runbooks::names::ServiceName::parse("pg-ledger").unwrap()]
        })
        .await;
        let answer = post_notes(&app, notes("pg-ledger")).await;
        let id = draft_for(&answer, "backup-jobs-nightly-backup-failed");
        assert_eq!(
            answer["drafts"].as_array().expect("drafts").len(),
            2,
            "{answer}"
        );
        let admin = app.client_as(Some("admin")).await;
        let draft = rpc_json(&admin, &app, "draft", &[("id", &id)]).await;
        let proposed = draft["proposed"].as_str().expect("proposed");
        assert!(
            proposed.contains(": dependency pg-ledger v2.14.0 to production"),
            "{proposed}"
        );
        assert!(proposed.contains("- New retry budget for the card processor"));
        // Rollback and alerts belong to the service's own (new) runbook.
        assert!(!proposed.contains("Rolling back"));
        let (status, _, body) = decide(&admin, &app, &id, "accept", &[]).await;
        assert_eq!(status, 200, "{body}");
        assert!(
            runbook_file(&app, "backup-jobs-nightly-backup-failed")
                .contains("dependency pg-ledger")
        );
    });
}

#[test]
fn drafts_of_a_restricted_runbook_stay_unnamed_to_those_outside_its_groups() {
    run(async {
        let app = TestApp::spawn().await;
        // The CI token has no groups: its answer does not name the restricted runbook.
        let answer = post_notes(&app, notes("payments-api")).await;
        assert!(
            !answer
                .to_string()
                .contains("payments-api-card-processor-timeouts"),
            "{answer}"
        );
        let deployment = answer["id"].as_str().expect("id").to_string();
        let developer = app.client_as(Some("developer")).await;
        let note = rpc_json(&developer, &app, "deployment", &[("id", &deployment)]).await;
        assert!(
            !note
                .to_string()
                .contains("payments-api-card-processor-timeouts"),
            "{note}"
        );
        // Its owners, who are in its groups, review it.
        let owner = app.client_as(Some("oncall")).await;
        let note = rpc_json(&owner, &app, "deployment", &[("id", &deployment)]).await;
        assert!(
            note.to_string()
                .contains("payments-api-card-processor-timeouts")
        );
        let queue = rpc_json(&owner, &app, "review_queue", &[]).await;
        assert!(
            queue
                .to_string()
                .contains("Payments API card processor timeouts")
        );
        let admin = app.client_as(Some("admin")).await;
        let queue = rpc_json(&admin, &app, "review_queue", &[]).await;
        assert!(
            !queue
                .to_string()
                .contains("Payments API card processor timeouts"),
            "{queue}"
        );
    });
}

#[test]
fn a_draft_of_a_runbook_deleted_since_is_shown_to_admins_only() {
    run(async {
        let app = TestApp::spawn().await;
        let answer = post_notes(&app, notes("checkout-api")).await;
        let id = draft_for(&answer, LATENCY);
        std::fs::remove_file(app.runbooks.join(format!("{LATENCY}.md"))).expect("delete");
        let owner = app.client_as(Some("oncall")).await;
        // Its visibility is unknown once the file is gone (the watcher notices within a second).
        let mut status = 200;
        for _ in 0..40 {
            status = rpc(&owner, &app, "draft", &[("id", &id)]).await.0;
            if status == 404 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(status, 404);
        let admin = app.client_as(Some("admin")).await;
        let draft = rpc_json(&admin, &app, "draft", &[("id", &id)]).await;
        assert!(
            !draft["conflict"].is_null(),
            "the admin sees the runbook is gone: {draft}"
        );
    });
}

#[test]
fn a_runbook_drifts_after_alert_or_rollback_changes_until_reviewed() {
    run(async {
        let app = TestApp::spawn().await;
        let reader = app.client_as(Some("developer")).await;
        let runbook = rpc_json(&reader, &app, "runbook", &[("stem", LATENCY)]).await;
        assert!(runbook["drift"].is_null());
        post_notes(&app, notes("checkout-api")).await;
        let runbook = rpc_json(&reader, &app, "runbook", &[("stem", LATENCY)]).await;
        let kinds = runbook["drift"]["kinds"].to_string();
        for kind in ["alerts", "configuration", "rollback"] {
            assert!(kinds.contains(kind), "{runbook}");
        }
        let results = rpc_json(&reader, &app, "search", &[("query[q]", "checkout latency")]).await;
        let group = results["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .find(|g| g["runbook"] == LATENCY)
            .expect("found")
            .clone();
        assert_eq!(group["drifting"], true);
        let owner = app.client_as(Some("oncall")).await;
        let queue = rpc_json(&owner, &app, "review_queue", &[]).await;
        assert!(queue["drifting"].to_string().contains(LATENCY), "{queue}");

        // Only an owner marks it reviewed; then it no longer drifts.
        let (status, _, _) = rpc(&reader, &app, "mark_reviewed", &[("stem", LATENCY)]).await;
        assert_eq!(status, 403);
        let (status, location, body) =
            rpc(&owner, &app, "mark_reviewed", &[("stem", LATENCY)]).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(location, format!("/runbooks/{LATENCY}"));
        let runbook = rpc_json(&reader, &app, "runbook", &[("stem", LATENCY)]).await;
        assert!(runbook["drift"].is_null(), "{runbook}");
        // The service's other runbook still drifts.
        let other = rpc_json(
            &reader,
            &app,
            "runbook",
            &[("stem", "checkout-api-elevated-5xx-errors")],
        )
        .await;
        assert!(!other["drift"].is_null());
    });
}

fn git(dir: &std::path::Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=Setup",
            "-c",
            "user.email=setup@example.com",
        ])
        .args(args)
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn an_accepted_draft_is_committed_with_the_reviewer_as_author() {
    run(async {
        let app = TestApp::spawn().await;
        git(&app.runbooks, &["init", "--quiet"]);
        git(&app.runbooks, &["add", "."]);
        git(&app.runbooks, &["commit", "--quiet", "-m", "samples"]);
        let answer = post_notes(&app, notes("checkout-api")).await;
        let id = draft_for(&answer, LATENCY);
        let owner = app.client_as(Some("oncall")).await;
        let (status, _, body) = decide(&owner, &app, &id, "accept", &[]).await;
        assert_eq!(status, 200, "{body}");
        let last = git(
            &app.runbooks,
            &["log", "-1", "--format=%an|%s", "--name-only"],
        );
        assert!(
            last.starts_with("Oli On-call|checkout-api-high-latency: update from deployment"),
            "{last}"
        );
        assert!(last.ends_with(&format!("{LATENCY}.md")), "{last}");
        assert_eq!(
            git(&app.runbooks, &["status", "--porcelain", "--", "*.md"]),
            ""
        );
    });
}

#[test]
fn a_revision_accepted_on_one_replica_reaches_the_search_of_another() {
    run(async {
        let app = TestApp::spawn().await;
        let replica = app.spawn_replica().await;
        let answer = post_notes(&app, notes("checkout-api")).await;
        let id = draft_for(&answer, LATENCY);
        let owner = app.client_as(Some("oncall")).await;
        let (status, _, body) = decide(&owner, &app, &id, "accept", &[]).await;
        assert_eq!(status, 200, "{body}");
        let reader = replica.client_as(Some("developer")).await;
        let mut found = Vec::new();
        for _ in 0..60 {
            found = search(&reader, &replica, "CheckoutApiRetryBudgetExhausted").await;
            if found.contains(&LATENCY.to_string()) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        assert!(found.contains(&LATENCY.to_string()), "{found:?}");
        assert!(runbook_file(&replica, LATENCY).contains("Rolling back v2.14.0"));
    });
}

/// A loopback stand-in for an OpenAI-compatible endpoint (no model runs here): it returns
/// the mechanical proposal with a line added (`polish`), drops every section (`careless`),
/// answers with 2 MB (`huge`) or too late (`slow`), and records what it was sent.
async fn model_endpoint() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use axum::{Json, Router, routing::post};
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let record = seen.clone();
    let app = Router::new().route(
        "/v1/chat/completions",
        post(move |Json(body): Json<serde_json::Value>| {
            let record = record.clone();
            async move {
                record.lock().unwrap().push(body.to_string());
                let user = body["messages"][1]["content"].as_str().unwrap_or("").to_string();
                let proposal = user
                    .split("Mechanical proposal:\n<<<\n")
                    .nth(1)
                    .and_then(|p| p.split("\n>>>").next())
                    .unwrap_or("")
                    .to_string();
                let content = match body["model"].as_str() {
                    Some("polish") => format!("```markdown\n{proposal}\nPolished by the model.\n```"),
                    Some("careless") => proposal.split("\n# ").next().unwrap_or("").to_string() + "\n# Short\n",
                    Some("huge") => format!("{proposal}\n{}", "padding ".repeat(256 * 1024)),
                    _ => {
                        tokio::time::sleep(Duration::from_secs(5)).await;
                        proposal
                    }
                };
                Json(serde_json::json!({"choices": [{"message": {"role": "assistant", "content": content}}]}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    (format!("http://{addr}/v1"), seen)
}

async fn app_with_model(
    model: &str,
    send_restricted: bool,
) -> (TestApp, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    let (url, seen) = model_endpoint().await;
    let model = model.to_string();
    let app = TestApp::spawn_with(|c| {
        c.drafter = Some(server::drafts::llm::LlmConfig {
            url: url.parse().expect("url"),
            model,
            api_key: Some("sk-test-not-a-real-key".to_string().into()),
            timeout: Duration::from_secs(1),
            send_restricted,
        })
    })
    .await;
    (app, seen)
}

async fn draft_with_model(model: &str) -> (serde_json::Value, Vec<String>) {
    let (app, seen) = app_with_model(model, false).await;
    let answer = post_notes(&app, notes("checkout-api")).await;
    let id = draft_for(&answer, LATENCY);
    let owner = app.client_as(Some("oncall")).await;
    let draft = rpc_json(&owner, &app, "draft", &[("id", &id)]).await;
    let sent = seen.lock().unwrap().clone();
    (draft, sent)
}

#[test]
fn a_configured_model_drafts_from_sanitized_text_only() {
    run(async {
        let (draft, sent) = draft_with_model("polish").await;
        assert_eq!(draft["drafter"], "openai-compatible");
        assert_eq!(draft["model"], "polish");
        assert!(
            draft["proposed"]
                .as_str()
                .unwrap()
                .contains("Polished by the model.")
        );
        assert!(!sent.is_empty());
        for request in &sent {
            for secret in SECRETS {
                assert!(!request.contains(secret), "the model was sent {secret}");
            }
        }
    });
}

#[test]
fn a_model_that_drops_sections_or_times_out_falls_back_to_the_deterministic_draft() {
    run(async {
        let (draft, _) = draft_with_model("careless").await;
        assert_eq!(draft["drafter"], "deterministic/1");
        assert!(
            draft["drafter_note"]
                .as_str()
                .unwrap()
                .contains("dropped the section"),
            "{draft}"
        );
        assert!(
            draft["proposed"]
                .as_str()
                .unwrap()
                .contains("Rolling back v2.14.0")
        );
        let (draft, _) = draft_with_model("slow").await;
        assert_eq!(draft["drafter"], "deterministic/1");
        assert!(
            draft["drafter_note"].as_str().unwrap().contains("in time"),
            "{draft}"
        );
        let (draft, _) = draft_with_model("huge").await;
        assert_eq!(draft["drafter"], "deterministic/1");
        assert!(
            draft["drafter_note"]
                .as_str()
                .unwrap()
                .contains("larger than 1024 KB"),
            "{draft}"
        );
    });
}

#[test]
fn restricted_runbooks_go_to_the_model_only_when_configured() {
    const RESTRICTED: &str = "payments-api-card-processor-timeouts";
    run(async {
        for send_restricted in [false, true] {
            let (app, seen) = app_with_model("polish", send_restricted).await;
            let answer =
                post_notes_with_groups(&app, notes("payments-api"), "payments-oncall").await;
            let id = draft_for(&answer, RESTRICTED);
            let owner = app.client_as(Some("oncall")).await;
            let draft = rpc_json(&owner, &app, "draft", &[("id", &id)]).await;
            let sent = seen.lock().unwrap().join("\n");
            let title = "Payments API card processor timeouts";
            if send_restricted {
                assert_eq!(draft["drafter"], "openai-compatible", "{draft}");
                assert!(sent.contains(title), "the model saw the runbook");
            } else {
                assert_eq!(draft["drafter"], "deterministic/1", "{draft}");
                assert!(
                    draft["drafter_note"]
                        .as_str()
                        .unwrap()
                        .contains("GATEHOUSE_DRAFTER_SEND_RESTRICTED"),
                    "{draft}"
                );
                assert!(!sent.contains(title), "the model never saw it: {sent}");
            }
        }
    });
}

/// A textarea's content is written verbatim by the renderer, so a note that closes it could
/// inject a same-origin form (one click from an approver away from an approval). The draft
/// editor shows such text as text.
#[test]
fn markup_in_notes_stays_text_in_the_draft_editor() {
    run(async {
        let app = TestApp::spawn().await;
        let hostile = r#"</textarea><form id="injected" method="post" action="/requests/1/approve"><button>Approve</button></form>"#;
        let mut body = notes("checkout-api");
        body["body"] = serde_json::Value::String(format!(
            "## Rollback\n1. `kubectl rollout undo deploy/checkout-api` {hostile}\n"
        ));
        let answer = post_notes(&app, body).await;
        let id = draft_for(&answer, LATENCY);
        let owner = app.client_as(Some("oncall")).await;
        let html = common::page(&owner, &app, &format!("/drafts/{id}")).await;
        let editor = html
            .split("name=\"decision[text]\"")
            .nth(1)
            .expect("the editor is on the page");
        assert!(!html.contains("<form id=\"injected\""), "markup injected");
        assert!(
            editor.contains("&lt;/textarea&gt;&lt;form id=\"injected\""),
            "the text is kept, escaped"
        );
    });
}
