//! Webhook notifications as a receiver sees them: every request event arrives signed with
//! HMAC-SHA256, a refused delivery is retried until it is accepted, a dead receiver ends
//! failed after its attempts, replicas never send one delivery twice, and the request page's
//! data shows each delivery's state without the receiver's secret path (run on PostgreSQL too).

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

use common::{TestApp, run};
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
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
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
    let state = Receiver {
        refuse_first,
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
    mac.update(format!("{timestamp}.{}", r.body).as_bytes());
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
            assert!((chrono::Utc::now().timestamp() - sent).abs() < 60);
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
