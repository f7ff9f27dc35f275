//! Webhook notifications as a receiver sees them: every request event arrives signed with
//! HMAC-SHA256, a refused delivery is retried until it is accepted, a dead receiver ends
//! failed after its attempts and an admin may send it again, replicas never send one delivery
//! twice, and the request page's data shows each delivery's state without the receiver's
//! secret path (run on PostgreSQL too).

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use hmac::{Hmac, Mac};
use secrecy::SecretString;
use serde_json::{Value, json};
use sha2::Sha256;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use common::{TestApp, fresh_database, rpc, run};
use server::entities::webhook_delivery;
use server::webhooks::worker::Dispatcher;
use server::webhooks::{Target, WebhookConfig};

const SECRET: &str = "0123456789abcdef0123456789abcdef-test";

/// One POST as the receiver got it.
#[derive(Clone, Debug)]
struct Received {
    headers: HeaderMap,
    body: String,
    answered: u16,
}

#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<Received>>>,
    /// Answer 500 to this many posts first.
    refuse_first: usize,
    /// Take this long to answer.
    delay: Duration,
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    tokio::time::sleep(r.delay).await;
    let mut got = r.got.lock().unwrap();
    let status = if got.len() < r.refuse_first {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    };
    got.push(Received {
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        answered: status.as_u16(),
    });
    status
}

/// A webhook receiver on loopback; returns its URL (with a secret-looking path) and its log.
async fn receiver(refuse_first: usize) -> (String, Arc<Mutex<Vec<Received>>>) {
    slow_receiver(refuse_first, Duration::ZERO).await
}

async fn slow_receiver(
    refuse_first: usize,
    delay: Duration,
) -> (String, Arc<Mutex<Vec<Received>>>) {
    let state = Receiver {
        refuse_first,
        delay,
        ..Receiver::default()
    };
    let got = state.got.clone();
    let app = axum::Router::new()
        .route("/hooks/{token}", axum::routing::post(receive))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/hooks/s3cr3t-path-token"), got)
}

/// A loopback URL nothing listens on.
fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}/hooks/dead-token")
}

fn webhooks(urls: &[&str], max_attempts: u32) -> WebhookConfig {
    WebhookConfig {
        targets: urls
            .iter()
            .map(|u| Target::new(url::Url::parse(u).unwrap()))
            .collect(),
        secret: SecretString::from(SECRET),
        max_attempts,
        retry_base: Duration::from_millis(200),
        timeout: Duration::from_secs(5),
        retention: Duration::from_secs(86_400),
    }
}

/// What a receiver checks: the HMAC of `timestamp.body`, in constant time.
fn signature_holds(r: &Received) -> bool {
    let header = |name: &str| r.headers.get(name).and_then(|v| v.to_str().ok());
    let (Some(timestamp), Some(signature)) = (
        header("x-gatehouse-timestamp"),
        header("x-gatehouse-signature"),
    ) else {
        return false;
    };
    let Some(given) = signature
        .strip_prefix("sha256=")
        .and_then(|h| hex::decode(h).ok())
    else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    let Some(delivery) = header("x-gatehouse-delivery") else {
        return false;
    };
    mac.update(format!("{timestamp}.{delivery}.{}", r.body).as_bytes());
    mac.verify_slice(&given).is_ok()
}

fn header(r: &Received, name: &str) -> String {
    r.headers[name].to_str().unwrap().to_string()
}

async fn post(client: &reqwest::Client, app: &TestApp, path: &str, body: Value) -> Value {
    let resp = client.post(app.url(path)).json(&body).send().await.unwrap();
    assert!(resp.status().is_success(), "{path}: {}", resp.status());
    resp.json().await.unwrap()
}

/// Polls the request until every delivery is settled (delivered or failed).
async fn settled(client: &reqwest::Client, app: &TestApp, id: &str, expected: usize) -> Value {
    let mut view = Value::Null;
    for _ in 0..150 {
        view = client
            .get(app.url(&format!("/api/v1/requests/{id}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let deliveries = view["deliveries"].as_array().cloned().unwrap_or_default();
        if deliveries.len() == expected && deliveries.iter().all(|d| d["status"] != "pending") {
            return view;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("deliveries did not settle: {}", view["deliveries"]);
}

/// What `/metrics` says once it holds every line of `expected` (the counter moves just after
/// the delivery's row is written), or after 5 s.
async fn metrics_with(app: &TestApp, expected: &[&str]) -> String {
    let mut text = String::new();
    for _ in 0..50 {
        text = reqwest::get(app.url("/metrics"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if expected.iter().all(|line| text.contains(line)) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    text
}

fn sandbox() -> Value {
    json!({"template": "sandbox-environment", "parameters": {"name": "try-webhooks", "size": "small", "ttl_hours": 24}})
}

#[test]
fn every_event_arrives_signed_and_a_refused_delivery_is_retried() {
    run(async {
        let (url, got) = receiver(1).await;
        let hooks = webhooks(&[&url], 5);
        let app = TestApp::spawn_with(|c| c.webhooks = Some(hooks)).await;
        let dev = app.client_as(Some("developer")).await;
        let view = post(&dev, &app, "/api/v1/requests", sandbox()).await;
        let id = view["id"].as_str().unwrap().to_string();
        let view = settled(&dev, &app, &id, 3).await;

        let deliveries = view["deliveries"].as_array().unwrap();
        let events: Vec<&str> = deliveries
            .iter()
            .map(|d| d["event"].as_str().unwrap())
            .collect();
        assert_eq!(
            events,
            ["request.submitted", "request.approved", "request.fulfilled"]
        );
        assert!(deliveries.iter().all(|d| d["status"] == "delivered"
            && d["last_status_code"] == 200
            && d["target"] == url.split("/hooks").next().unwrap()));
        let attempts: u64 = deliveries
            .iter()
            .map(|d| d["attempts"].as_u64().unwrap())
            .sum();
        assert_eq!(attempts, 4, "one refusal, then each delivered once");
        assert!(
            !view.to_string().contains("s3cr3t-path-token"),
            "the receiver's path never shows"
        );

        let got = got.lock().unwrap().clone();
        assert_eq!(got.len(), 4);
        assert!(got.iter().all(signature_holds), "every post is signed");
        let refused = &got[0];
        assert_eq!(refused.answered, 500);
        let retried = got[1..]
            .iter()
            .find(|r| header(r, "x-gatehouse-delivery") == header(refused, "x-gatehouse-delivery"))
            .expect("the refused delivery came again, with the same id");
        assert_eq!(retried.body, refused.body, "the same notification");
        for r in &got {
            let body: Value = serde_json::from_str(&r.body).unwrap();
            assert_eq!(header(r, "x-gatehouse-event"), body["event"]);
            assert_eq!(header(r, "content-type"), "application/json");
            assert_eq!(body["request"]["id"], id.as_str());
            assert!(
                body["request"]["url"]
                    .as_str()
                    .unwrap()
                    .ends_with(&format!("/requests/{id}"))
            );
            let sent: i64 = header(r, "x-gatehouse-timestamp").parse().unwrap();
            assert!((Utc::now().timestamp() - sent).abs() < 60);
        }
        let fulfilled = got
            .iter()
            .map(|r| serde_json::from_str::<Value>(&r.body).unwrap())
            .find(|b| b["event"] == "request.fulfilled")
            .unwrap();
        assert_eq!(fulfilled["request"]["status"], "fulfilled");
        assert_eq!(fulfilled["request"]["needs_approval"], false);
        // A receiver's check refuses a changed body or a replayed signature on a new time.
        let mut forged = got[1].clone();
        forged.body.push(' ');
        assert!(!signature_holds(&forged));
        let mut replayed = got[1].clone();
        let later = header(&replayed, "x-gatehouse-timestamp")
            .parse::<i64>()
            .unwrap()
            + 600;
        replayed
            .headers
            .insert("x-gatehouse-timestamp", later.to_string().parse().unwrap());
        assert!(!signature_holds(&replayed));
        let mut renamed = got[1].clone();
        renamed
            .headers
            .insert("x-gatehouse-delivery", "another-id".parse().unwrap());
        assert!(!signature_holds(&renamed));

        // Operators can alert on the outcomes: /metrics counts this replica's attempts.
        // Every outcome is there from the start, so the first failure is an increase.
        let expected = [
            r#"gatehouse_webhook_attempts_total{outcome="delivered"} 3"#,
            r#"gatehouse_webhook_attempts_total{outcome="retrying"} 1"#,
            r#"gatehouse_webhook_attempts_total{outcome="failed"} 0"#,
        ];
        let metrics = metrics_with(&app, &expected).await;
        for line in expected {
            assert!(metrics.contains(line), "{line} in:\n{metrics}");
        }
    });
}

#[test]
fn a_request_waiting_for_approval_says_for_whom_and_a_dead_receiver_ends_failed() {
    run(async {
        let (url, got) = receiver(0).await;
        let dead = dead_url();
        let hooks = webhooks(&[&url, &dead], 2);
        let app = TestApp::spawn_with(|c| c.webhooks = Some(hooks)).await;
        let dev = app.client_as(Some("developer")).await;
        let view = post(
            &dev,
            &app,
            "/api/v1/requests",
            json!({"template": "production-deploy", "parameters": {
                "service": "checkout-api",
                "image": "registry.example.com/payments/checkout-api",
                "environment": "production",
            }}),
        )
        .await;
        assert_eq!(view["tier"], 1);
        let id = view["id"].as_str().unwrap().to_string();
        let approver = app.client_as(Some("approver")).await;
        post(
            &approver,
            &app,
            &format!("/api/v1/requests/{id}/approve"),
            json!({}),
        )
        .await;
        let view = settled(&dev, &app, &id, 4).await;

        let bodies: Vec<Value> = got
            .lock()
            .unwrap()
            .iter()
            .map(|r| serde_json::from_str(&r.body).unwrap())
            .collect();
        let submitted = bodies
            .iter()
            .find(|b| b["event"] == "request.submitted")
            .expect("the submission is announced");
        assert_eq!(submitted["request"]["needs_approval"], true);
        assert_eq!(
            submitted["request"]["waiting_for"],
            "two approvals, one of them by a security reviewer"
        );
        let approval = bodies
            .iter()
            .find(|b| b["event"] == "request.approval")
            .expect("the first approval is announced");
        assert_eq!(
            approval["request"]["waiting_for"],
            "an approval by a security reviewer"
        );
        assert_eq!(approval["request"]["status"], "pending");

        let dead_label = dead.split("/hooks").next().unwrap();
        let failed: Vec<&Value> = view["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["target"] == dead_label)
            .collect();
        assert_eq!(failed.len(), 2);
        for d in failed {
            assert_eq!(d["status"], "failed", "{d}");
            assert_eq!(d["attempts"], 2);
            let error = d["last_error"].as_str().unwrap();
            assert!(error.starts_with("Could not connect"), "{error}");
            assert!(!error.contains("dead-token"), "{error}");
        }
        assert!(!view.to_string().contains("dead-token"));
        let failed = r#"gatehouse_webhook_attempts_total{outcome="failed"} 2"#;
        let metrics = metrics_with(&app, &[failed]).await;
        assert!(metrics.contains(failed), "{metrics}");
    });
}

#[test]
fn replicas_send_each_delivery_once() {
    run(async {
        let (url, got) = receiver(0).await;
        let app = TestApp::spawn_with(|c| c.webhooks = Some(webhooks(&[&url], 3))).await;
        let replica = app
            .spawn_replica_with(|c| c.webhooks = Some(webhooks(&[&url], 3)))
            .await;
        let mut ids = Vec::new();
        for (n, portal) in [&app, &replica, &app].into_iter().enumerate() {
            let dev = portal.client_as(Some("developer")).await;
            let mut body = sandbox();
            body["parameters"]["name"] = json!(format!("replica-{n}"));
            let view = post(&dev, portal, "/api/v1/requests", body).await;
            ids.push((dev, view["id"].as_str().unwrap().to_string()));
        }
        for (dev, id) in &ids {
            settled(dev, &app, id, 3).await;
        }
        let got = got.lock().unwrap().clone();
        let mut delivery_ids: Vec<String> = got
            .iter()
            .map(|r| header(r, "x-gatehouse-delivery"))
            .collect();
        assert_eq!(delivery_ids.len(), 9, "3 requests × 3 events");
        delivery_ids.sort();
        delivery_ids.dedup();
        assert_eq!(delivery_ids.len(), 9, "no delivery was sent twice");
    });
}

#[test]
fn rejections_and_cancellations_are_announced_and_a_refused_decision_announces_nothing() {
    run(async {
        let (url, got) = receiver(0).await;
        let app = TestApp::spawn_with(|c| c.webhooks = Some(webhooks(&[&url], 3))).await;
        let dev = app.client_as(Some("developer")).await;
        let approver = app.client_as(Some("approver")).await;
        let staging = json!({"template": "production-deploy", "parameters": {
            "service": "checkout-api",
            "image": "registry.example.com/payments/checkout-api",
            "environment": "staging",
        }});
        let rejected = post(&dev, &app, "/api/v1/requests", staging.clone()).await;
        let rejected = rejected["id"].as_str().unwrap().to_string();
        post(
            &approver,
            &app,
            &format!("/api/v1/requests/{rejected}/reject"),
            json!({"reason": "Use the canary strategy."}),
        )
        .await;
        // An approver's own request: they may decide requests, so the refusal comes from
        // inside the decision's transaction, which rolls back and so announces nothing.
        let cancelled = post(&approver, &app, "/api/v1/requests", staging).await;
        let cancelled = cancelled["id"].as_str().unwrap().to_string();
        let refused = approver
            .post(app.url(&format!("/api/v1/requests/{cancelled}/approve")))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403);
        let said: Value = refused.json().await.unwrap();
        assert!(
            said.to_string().contains("someone else must decide it"),
            "{said}"
        );
        post(
            &approver,
            &app,
            &format!("/api/v1/requests/{cancelled}/cancel"),
            json!({}),
        )
        .await;
        settled(&dev, &app, &rejected, 2).await;
        let view = settled(&approver, &app, &cancelled, 2).await;
        let events: Vec<&str> = view["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["event"].as_str().unwrap())
            .collect();
        assert_eq!(events, ["request.submitted", "request.cancelled"]);

        let bodies: Vec<Value> = got
            .lock()
            .unwrap()
            .iter()
            .map(|r| serde_json::from_str(&r.body).unwrap())
            .collect();
        assert_eq!(bodies.len(), 4, "two events for each request, nothing else");
        let rejection = bodies
            .iter()
            .find(|b| b["event"] == "request.rejected")
            .expect("the rejection is announced");
        assert_eq!(rejection["request"]["id"], rejected.as_str());
        assert_eq!(rejection["request"]["status"], "rejected");
        assert_eq!(rejection["request"]["reason"], "Use the canary strategy.");
        assert_eq!(rejection["request"]["needs_approval"], false);
        assert_eq!(rejection["actor"]["name"], "Avery Approver");
    });
}

#[test]
fn an_admin_sends_a_failed_notification_again_and_nobody_else_may() {
    run(async {
        // Every delivery fails: 3 events × 2 attempts are refused, then the receiver is fixed.
        let (url, got) = receiver(6).await;
        let app = TestApp::spawn_with(|c| c.webhooks = Some(webhooks(&[&url], 2))).await;
        let dev = app.client_as(Some("developer")).await;
        let id = post(&dev, &app, "/api/v1/requests", sandbox()).await["id"]
            .as_str()
            .unwrap()
            .to_string();
        let view = settled(&dev, &app, &id, 3).await;
        let deliveries = view["deliveries"].as_array().unwrap().clone();
        assert!(deliveries.iter().all(|d| d["status"] == "failed"), "{view}");
        assert!(deliveries.iter().all(|d| d["can_resend"] == false));
        let first = deliveries[0]["id"].as_str().unwrap().to_string();
        let second = deliveries[1]["id"].as_str().unwrap().to_string();
        let resend = |d: &str| format!("/api/v1/requests/{id}/deliveries/{d}/resend");

        // The requester sees the request but may not resend: refused, and nothing moves.
        let refused = dev.post(app.url(&resend(&first))).send().await.unwrap();
        assert_eq!(refused.status(), 403);
        let admin = app.client_as(Some("admin")).await;
        let view: Value = admin
            .get(app.url(&format!("/api/v1/requests/{id}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(
            view["deliveries"]
                .as_array()
                .unwrap()
                .iter()
                .all(|d| d["can_resend"] == true && d["status"] == "failed"),
            "{view}"
        );

        // By the API: queued at once with fresh attempts, under the same delivery id.
        let queued = post(&admin, &app, &resend(&first), json!({})).await;
        let again = queued["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == first.as_str())
            .unwrap()
            .clone();
        assert_eq!(again["status"], "pending", "{again}");
        assert_eq!(again["attempts"], 0);
        // By the page's form (the server function it posts to): back to the request page.
        let (status, location, body) = rpc(
            &admin,
            &app,
            "resend_notification",
            &[("resend[id]", id.as_str()), ("resend[delivery]", &second)],
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(location, format!("/requests/{id}"));

        let view = settled(&admin, &app, &id, 3).await;
        let status: Vec<(&str, &str)> = view["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["id"].as_str().unwrap(), d["status"].as_str().unwrap()))
            .collect();
        assert_eq!(
            status,
            [
                (first.as_str(), "delivered"),
                (second.as_str(), "delivered"),
                (deliveries[2]["id"].as_str().unwrap(), "failed"),
            ]
        );
        let received = got.lock().unwrap().clone();
        assert_eq!(received.len(), 8, "6 refused posts, then the 2 sent again");
        let accepted: Vec<String> = received
            .iter()
            .filter(|r| r.answered == 200)
            .map(|r| header(r, "x-gatehouse-delivery"))
            .collect();
        assert_eq!(accepted.len(), 2);
        assert!(accepted.contains(&first) && accepted.contains(&second));
        assert!(received.iter().all(signature_holds));

        // Only a failed delivery goes again; an unknown one does not exist.
        let twice = admin.post(app.url(&resend(&first))).send().await.unwrap();
        assert_eq!(twice.status(), 409);
        let said: Value = twice.json().await.unwrap();
        assert!(said.to_string().contains("only a failed one"), "{said}");
        let unknown = admin
            .post(app.url(&resend("no-such-delivery")))
            .send()
            .await
            .unwrap();
        assert_eq!(unknown.status(), 404);

        // Both resends are in the audit log (the refusal is an `access.denied` event).
        let audit: Value = admin
            .get(app.url("/api/v1/audit/events?action=webhook.resend"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let resent: Vec<&str> = audit["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["details"]["delivery"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(resent.len(), 2, "{audit}");
        assert!(resent.contains(&first.as_str()) && resent.contains(&second.as_str()));
    });
}

/// A pending delivery row, as a request event would leave it.
fn row(target: &str, id: &str) -> webhook_delivery::ActiveModel {
    let now = Utc::now();
    webhook_delivery::ActiveModel {
        id: Set(id.to_string()),
        request_id: Set("r-1".into()),
        event: Set("request.submitted".into()),
        target: Set(target.to_string()),
        target_label: Set("http://127.0.0.1".into()),
        body: Set(json!({"event": "request.submitted", "n": id}).to_string()),
        status: Set("pending".into()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        claimed_until: Set(None),
        claim: Set(None),
        last_status_code: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        delivered_at: Set(None),
        updated_at: Set(now),
    }
}

#[test]
fn racing_dispatchers_send_each_delivery_once_and_take_over_a_lapsed_claim() {
    run(async {
        let (url, got) = slow_receiver(0, Duration::from_millis(300)).await;
        let config = Arc::new(webhooks(&[&url], 3));
        let target = config.targets[0].id.clone();
        let dir = tempfile::tempdir().unwrap();
        let database = fresh_database(dir.path()).await;
        let db = server::db::connect_and_migrate(&database).await.unwrap();
        for n in 0..10 {
            row(&target, &format!("d{n}")).insert(&db).await.unwrap();
        }
        // A replica died holding this one: its lease lapsed a minute ago.
        let mut lapsed = row(&target, "lapsed");
        lapsed.claimed_until = Set(Some(Utc::now() - chrono::Duration::minutes(1)));
        lapsed.claim = Set(Some("dead-replica".into()));
        lapsed.insert(&db).await.unwrap();
        // A live replica is sending this one right now.
        let mut held = row(&target, "held");
        held.claimed_until = Set(Some(Utc::now() + chrono::Duration::minutes(1)));
        held.claim = Set(Some("live-replica".into()));
        held.insert(&db).await.unwrap();
        // No replica here knows these targets: one overdue by two days, one just queued.
        let mut orphan = row("0000000000000000", "orphan");
        orphan.next_attempt_at = Set(Utc::now() - chrono::Duration::days(2));
        orphan.insert(&db).await.unwrap();
        row("0000000000000000", "elsewhere")
            .insert(&db)
            .await
            .unwrap();

        let a = Dispatcher::new(db.clone(), config.clone()).unwrap();
        let other = server::db::connect_and_migrate(&database).await.unwrap();
        let b = Dispatcher::new(other, config.clone()).unwrap();
        for _ in 0..5 {
            let (x, y) = tokio::join!(a.sweep(), b.sweep());
            for task in x.unwrap().into_iter().chain(y.unwrap()) {
                task.await.unwrap();
            }
        }

        let mut sent: Vec<String> = got
            .lock()
            .unwrap()
            .iter()
            .map(|r| header(r, "x-gatehouse-delivery"))
            .collect();
        sent.sort();
        let mut expected: Vec<String> = (0..10).map(|n| format!("d{n}")).collect();
        expected.push("lapsed".into());
        expected.sort();
        assert_eq!(
            sent, expected,
            "each once; the held one and other targets' untouched"
        );
        let status = |id: &'static str| {
            let db = db.clone();
            async move {
                webhook_delivery::Entity::find_by_id(id)
                    .one(&db)
                    .await
                    .unwrap()
                    .unwrap()
            }
        };
        assert_eq!(status("lapsed").await.status, "delivered");
        assert_eq!(status("lapsed").await.claim, None);
        assert_eq!(status("held").await.status, "pending");
        assert_eq!(status("elsewhere").await.status, "pending");
        let orphan = status("orphan").await;
        assert_eq!(orphan.status, "failed");
        assert!(orphan.last_error.unwrap().contains("No replica"));
        let delivered = webhook_delivery::Entity::find()
            .filter(webhook_delivery::Column::Status.eq("delivered"))
            .all(&db)
            .await
            .unwrap();
        assert_eq!(delivered.len(), 11);
        assert!(delivered.iter().all(|d| d.attempts == 1));
    });
}

#[test]
fn a_receiver_that_does_not_answer_holds_only_its_share_of_the_slots() {
    run(async {
        // Slow, yet inside this test's 20 s attempt timeout, so its four posts arrive in the end.
        let (slow, slow_got) = slow_receiver(0, Duration::from_secs(6)).await;
        let (fast, fast_got) = receiver(0).await;
        let mut config = webhooks(&[&slow, &fast], 3);
        config.timeout = Duration::from_secs(20);
        let config = Arc::new(config);
        let (slow_id, fast_id) = (config.targets[0].id.clone(), config.targets[1].id.clone());
        let dir = tempfile::tempdir().unwrap();
        let db = server::db::connect_and_migrate(&fresh_database(dir.path()).await)
            .await
            .unwrap();
        // The stuck receiver's deliveries are due first and outnumber all 8 slots.
        for n in 0..10 {
            let mut r = row(&slow_id, &format!("s{n}"));
            r.next_attempt_at = Set(Utc::now() - chrono::Duration::minutes(1));
            r.insert(&db).await.unwrap();
        }
        for n in 0..3 {
            row(&fast_id, &format!("f{n}")).insert(&db).await.unwrap();
        }
        let dispatcher = Dispatcher::new(db.clone(), config).unwrap();
        let mut tasks = dispatcher.sweep().await.unwrap();
        assert_eq!(tasks.len(), 4 + 3, "half the slots for each receiver");
        // The healthy receiver gets everything while the other still holds its four.
        for _ in 0..100 {
            if fast_got.lock().unwrap().len() == 3 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(fast_got.lock().unwrap().len(), 3);
        assert!(slow_got.lock().unwrap().is_empty(), "still waiting for it");
        let claimed = webhook_delivery::Entity::find()
            .filter(webhook_delivery::Column::Target.eq(slow_id.as_str()))
            .filter(webhook_delivery::Column::Claim.is_not_null())
            .all(&db)
            .await
            .unwrap();
        assert_eq!(claimed.len(), 4);
        // Its share is taken: a sweep now starts nothing more for it.
        tasks.extend(dispatcher.sweep().await.unwrap());
        assert_eq!(tasks.len(), 7);
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(slow_got.lock().unwrap().len(), 4);
    });
}

#[test]
fn settled_deliveries_are_deleted_after_their_retention_and_pending_ones_never() {
    run(async {
        let config = Arc::new(webhooks(&["http://127.0.0.1:9/hooks/x"], 3));
        let target = config.targets[0].id.clone();
        let dir = tempfile::tempdir().unwrap();
        let db = server::db::connect_and_migrate(&fresh_database(dir.path()).await)
            .await
            .unwrap();
        let old = Utc::now() - chrono::Duration::days(2);
        for (id, status, at) in [
            ("old-delivered", "delivered", old),
            ("old-failed", "failed", old),
            ("old-pending", "pending", old),
            ("new-delivered", "delivered", Utc::now()),
        ] {
            let mut r = row(&target, id);
            r.status = Set(status.into());
            r.updated_at = Set(at);
            r.created_at = Set(at);
            r.insert(&db).await.unwrap();
        }
        // The test configuration keeps deliveries for a day.
        let dispatcher = Dispatcher::new(db.clone(), config).unwrap();
        assert_eq!(dispatcher.prune(Utc::now()).await.unwrap(), 2);
        let mut left: Vec<String> = webhook_delivery::Entity::find()
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .map(|d| d.id)
            .collect();
        left.sort();
        assert_eq!(left, ["new-delivered", "old-pending"]);
    });
}
