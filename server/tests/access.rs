//! Who may do what: every route and server function, tried as anonymous and as each role;
//! API tokens and their scopes; rate limits. A route or server function that is not listed
//! here fails the suite, so nothing ships without a decided rule.

mod common;

use std::collections::BTreeSet;

use common::{TestApp, run};
#[path = "support/routes.rs"]
mod routes;
use routes::*;

#[test]
fn every_route_and_server_function_has_a_decided_rule() {
    let declared = declared_routes();
    let tested: BTreeSet<String> = cases().iter().map(|c| c.route.to_string()).collect();
    let untested: Vec<&String> = declared.difference(&tested).collect();
    assert!(
        untested.is_empty(),
        "routes without an access rule in tests/access.rs: {untested:?}"
    );
    assert!(declared.len() >= 25, "found only {declared:?}");
}

async fn outcome(resp: reqwest::Response) -> Expect {
    let status = resp.status().as_u16();
    let location = resp
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    match status {
        401 => SignIn,
        303 | 302 | 307 if location.starts_with("/signin?next=") => SignIn,
        403 => Forbidden,
        404 => NotHere,
        429 => panic!("rate limited during the access test"),
        _ => Allow,
    }
}

#[test]
fn each_role_gets_exactly_what_the_table_says() {
    run(async {
        // Dozens of sign-ins in a second: lift the sign-in limit (tested on its own below).
        let app = TestApp::spawn_with(|c| c.rate_limits.signin_per_minute = 10_000).await;
        let mut wrong = Vec::new();
        for (i, who) in CALLERS.iter().enumerate() {
            let client = app.client_as(*who).await;
            for case in cases() {
                let url = app.url(case.path);
                let request = match case.method {
                    "GET" => client.get(&url),
                    _ => {
                        let body = case.body.unwrap_or("");
                        let content_type = if body.starts_with('{') {
                            "application/json"
                        } else {
                            "application/x-www-form-urlencoded"
                        };
                        client
                            .post(&url)
                            .header("content-type", content_type)
                            .body(body)
                    }
                };
                let got = outcome(request.send().await.expect("request")).await;
                if got != case.expect[i] {
                    wrong.push(format!(
                        "{} {} as {}: expected {:?}, got {got:?}",
                        case.method,
                        case.path,
                        who.unwrap_or("anonymous"),
                        case.expect[i]
                    ));
                }
                // Signing out (or in) changes who this client is; sign back in for the rest.
                if case.route.starts_with("/auth/") && case.method == "POST" {
                    if let Some(persona) = who {
                        let resp = client
                            .post(app.url("/auth/dev"))
                            .form(&[("persona", *persona)])
                            .send()
                            .await
                            .expect("sign in again");
                        assert_eq!(resp.status(), 303);
                    } else {
                        let resp = client
                            .post(app.url("/auth/signout"))
                            .send()
                            .await
                            .expect("sign out again");
                        assert_eq!(resp.status(), 303);
                    }
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    });
}

#[test]
fn a_denied_action_by_a_signed_in_person_is_audited() {
    run(async {
        let app = TestApp::spawn().await;
        let dev = app.client_as(Some("developer")).await;
        let resp = dev
            .get(app.url("/api/v1/audit/events"))
            .send()
            .await
            .expect("request");
        assert_eq!(resp.status(), 403);
        // A restricted runbook outside the developer's groups: "not found" to them…
        let resp = dev
            .post(app.url("/rpc/runbook"))
            .form(&[("stem", "payments-api-card-processor-timeouts")])
            .send()
            .await
            .expect("request");
        assert_eq!(resp.status(), 404);
        // …and a denial in the log, which an auditor can read.
        let events = app.audit_events("action=access.denied").await;
        let targets: Vec<&str> = events
            .iter()
            .map(|e| e["target"].as_str().unwrap_or(""))
            .collect();
        assert!(targets.contains(&"audit"), "{targets:?}");
        assert!(
            targets.contains(&"runbook:payments-api-card-processor-timeouts"),
            "{targets:?}"
        );
        assert!(events.iter().all(|e| e["actor"] == "dev:developer"
            && e["outcome"] == "denied"
            && e["source"] == "127.0.0.1"));
    });
}

#[test]
fn api_tokens_work_within_their_scopes_and_die_when_revoked() {
    run(async {
        let app = TestApp::spawn().await;
        let token = app.create_token("ci-bot", "payments-oncall", "runbooks:read");
        assert!(token.starts_with("gat_"), "{token}");

        let tool = reqwest::Client::new();
        let search = |t: &str| {
            tool.get(app.url("/api/v1/runbooks/search?q=card%20processor%20timeouts"))
                .bearer_auth(t)
                .send()
        };
        let resp = search(&token).await.expect("search");
        assert_eq!(resp.status(), 200);
        let body: serde_json::Value = resp.json().await.expect("json");
        // The token's group reaches the restricted runbook.
        assert!(
            common::stems(&body).contains(&"payments-api-card-processor-timeouts".to_string()),
            "{body}"
        );
        // runbooks:read does not reach the audit log or token management.
        for path in ["/api/v1/audit/events", "/api/v1/tokens"] {
            let resp = tool
                .get(app.url(path))
                .bearer_auth(&token)
                .send()
                .await
                .expect("request");
            assert_eq!(resp.status(), 403, "{path}");
        }
        // A mangled token is refused with a reason, never treated as anonymous.
        let resp = search("gat_nope").await.expect("search");
        assert_eq!(resp.status(), 401);
        let body: serde_json::Value = resp.json().await.expect("json");
        assert_eq!(body["error"]["code"], "invalid_token");

        // The admin revokes it; it stops working at once.
        let admin = app.client_as(Some("admin")).await;
        let list: serde_json::Value = admin
            .get(app.url("/api/v1/tokens?all=1"))
            .send()
            .await
            .expect("list")
            .json()
            .await
            .expect("json");
        let row = &list["tokens"][0];
        assert_eq!(row["owner"], "ci-bot");
        assert!(!row["last_used_at"].is_null(), "last use is shown: {list}");
        assert!(!list.to_string().contains(&token), "never lists the secret");
        let id = row["id"].as_str().expect("id");
        let resp = admin
            .post(app.url(&format!("/api/v1/tokens/{id}/revoke")))
            .send()
            .await
            .expect("revoke");
        assert_eq!(resp.status(), 200);
        let resp = search(&token).await.expect("search");
        let (status, message) = common::api_error(resp).await;
        assert_eq!(status, 401);
        assert!(message.contains("revoked"), "{message}");

        // Bad requests say what to fix.
        let (code, _, err) = app.gatehouse(&[
            "token",
            "create",
            "--user",
            "x",
            "--scopes",
            "runbooks:write",
        ]);
        assert_eq!(code, 2);
        assert!(err.contains("unknown scope `runbooks:write`"), "{err}");
    });
}

#[test]
fn a_person_creates_a_token_that_never_outranks_them() {
    run(async {
        let app = TestApp::spawn().await;
        let dev = app.client_as(Some("developer")).await;
        let resp = dev
            .post(app.url("/api/v1/tokens"))
            .json(&serde_json::json!({"name": "laptop", "scopes": ["audit:read", "runbooks:read"], "ttl": "7d"}))
            .send()
            .await
            .expect("create");
        assert_eq!(resp.status(), 200);
        let body: serde_json::Value = resp.json().await.expect("json");
        let token = body["token"].as_str().expect("token").to_string();
        // The scope says audit:read, but a developer may not read the audit log.
        let resp = reqwest::Client::new()
            .get(app.url("/api/v1/audit/events"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("request");
        assert_eq!(resp.status(), 403);
        let resp = dev
            .post(app.url("/api/v1/tokens"))
            .json(&serde_json::json!({"name": "x", "scopes": ["runbooks:read"], "ttl": "999d"}))
            .send()
            .await
            .expect("create");
        let (status, message) = common::api_error(resp).await;
        assert_eq!(status, 400);
        assert!(message.contains("366 days"), "{message}");
    });
}

#[test]
fn sign_in_is_rate_limited_with_a_clear_retry_after() {
    run(async {
        let app = TestApp::spawn_with(|c| c.rate_limits.signin_per_minute = 3).await;
        for _ in 0..3 {
            app.sign_in("developer").await;
        }
        let resp = app
            .client
            .post(app.url("/auth/dev"))
            .form(&[("persona", "developer")])
            .send()
            .await
            .expect("request");
        assert_eq!(resp.status(), 429);
        let retry: u64 = resp.headers()["retry-after"]
            .to_str()
            .expect("text")
            .parse()
            .expect("seconds");
        assert!((1..=60).contains(&retry), "{retry}");
        let body: serde_json::Value = resp.json().await.expect("json");
        assert_eq!(body["error"]["code"], "rate_limited");
        // Reading pages is not limited by the sign-in limit.
        assert_eq!(app.get("/healthz").await.status(), 200);
    });
}

#[test]
fn an_unreachable_identity_provider_is_a_clear_error_and_the_rest_keeps_working() {
    run(async {
        let dead = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
        let issuer = format!("http://{}", dead.local_addr().expect("addr"));
        drop(dead);
        let app = TestApp::spawn_with(|c| {
            c.oidc = Some(server::auth::settings::OidcConfig {
                issuer,
                client_id: "gatehouse".into(),
                client_secret: "not-a-real-secret".to_string().into(),
                scopes: vec!["profile".into()],
                groups_claim: "groups".into(),
            });
        })
        .await;
        let resp = app.get("/auth/login?next=%2Fstatus").await;
        assert_eq!(resp.status(), 303);
        assert_eq!(
            resp.headers()["location"],
            "/signin?error=sso_unavailable&next=%2Fstatus"
        );
        // The sign-in page explains it.
        let page = app
            .get("/signin?error=sso_unavailable&next=%2Fstatus")
            .await
            .text()
            .await
            .expect("page");
        assert!(page.contains("cannot be reached right now"), "{page}");
        // With a provider configured, the development sign-in is gone.
        let resp = app
            .client
            .post(app.url("/auth/dev"))
            .form(&[("persona", "admin")])
            .send()
            .await
            .expect("request");
        assert_eq!(resp.status(), 404);
        // Everything else keeps serving: health, and automation with its token.
        assert_eq!(app.get("/readyz").await.status(), 200);
        let token = app.create_token("bot", "", "runbooks:read");
        let resp = reqwest::Client::new()
            .get(app.url("/api/v1/runbooks/search?q=latency"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("search");
        assert_eq!(resp.status(), 200);
    });
}

#[test]
fn behind_a_proxy_limits_and_audit_use_the_forwarded_client() {
    run(async {
        let app = TestApp::spawn_with(|c| {
            c.rate_limits.signin_per_minute = 1;
            c.trust_forwarded_for = true;
            // Behind a proxy the portal refuses to start without single sign-on; the
            // provider is never reached here.
            c.oidc = Some(server::auth::settings::OidcConfig {
                issuer: "http://127.0.0.1:9".into(),
                client_id: "gatehouse".into(),
                client_secret: secrecy::SecretString::from("unused-client-secret"),
                scopes: vec![],
                groups_claim: "groups".into(),
            });
        })
        .await;
        let sign_in = |client_ip: &'static str| {
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client")
                .post(app.url("/auth/dev"))
                .header("x-forwarded-for", format!("203.0.113.9, {client_ip}"))
                .form(&[("persona", "security")])
                .send()
        };
        // With single sign-on the development sign-in is off (404), but the sign-in limit
        // still counts each forwarded client on its own.
        assert_eq!(sign_in("10.0.0.1").await.expect("req").status(), 404);
        assert_eq!(sign_in("10.0.0.1").await.expect("req").status(), 429);
        assert_eq!(sign_in("10.0.0.2").await.expect("req").status(), 404);
        let token = app.create_token("ci-checkout", "", "notes:write");
        for (client_ip, version) in [("10.0.0.1", "v1"), ("10.0.0.2", "v2")] {
            let resp = reqwest::Client::new()
                .post(app.url("/api/v1/deployments"))
                .bearer_auth(&token)
                .header("x-forwarded-for", format!("203.0.113.9, {client_ip}"))
                .json(&serde_json::json!({
                    "service": "checkout-api",
                    "version": version,
                    "body": "Rolled out the retry budget.",
                }))
                .send()
                .await
                .expect("notes");
            assert_eq!(resp.status(), 201, "{:?}", resp.text().await);
        }
        let db = sea_orm::Database::connect(&app.database_url)
            .await
            .expect("db");
        let sources = server::audit::query::newest(
            &db,
            &server::audit::query::Filter {
                action: Some("deployment.submit".into()),
                ..Default::default()
            },
            10,
        )
        .await
        .expect("events");
        let sources: Vec<&str> = sources.iter().map(|e| e.source.as_str()).collect();
        assert_eq!(sources, ["10.0.0.2", "10.0.0.1"]);
    });
}

#[test]
fn a_token_loses_groups_its_owner_no_longer_has_at_their_next_sign_in() {
    run(async {
        let app = TestApp::spawn().await;
        let token = app.create_token(
            "dev:developer",
            "developers,payments-oncall",
            "runbooks:read",
        );
        let finds_restricted = || async {
            let body: serde_json::Value = reqwest::Client::new()
                .get(app.url("/api/v1/runbooks/search?q=card%20processor%20timeouts"))
                .bearer_auth(&token)
                .send()
                .await
                .expect("search")
                .json()
                .await
                .expect("json");
            common::stems(&body).contains(&"payments-api-card-processor-timeouts".to_string())
        };
        assert!(
            finds_restricted().await,
            "the token starts with payments-oncall"
        );
        // The owner signs in, now only in `developers`: the token follows.
        app.sign_in("developer").await;
        assert!(!finds_restricted().await, "the token lost payments-oncall");
    });
}

/// DNS rebinding: a page that points its own name at 127.0.0.1 reaches the server under that
/// name. It must get neither a session nor a page, however it sets `Origin`.
#[test]
fn a_request_for_a_foreign_host_gets_421_and_no_session() {
    run(async {
        let app = TestApp::spawn().await;
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let resp = client
            .post(app.url("/auth/dev"))
            .header("host", "rebound.evil.example")
            .header("origin", "http://rebound.evil.example")
            .form(&[("persona", "admin")])
            .send()
            .await
            .expect("post");
        assert_eq!(resp.status(), 421);
        assert!(resp.headers().get("set-cookie").is_none());
        let body: serde_json::Value = resp.json().await.expect("json");
        assert_eq!(body["error"]["code"], "misdirected_host");
        let page = client
            .get(app.url("/runbooks"))
            .header("host", "rebound.evil.example:3000")
            .send()
            .await
            .expect("get");
        assert_eq!(page.status(), 421);
        // Probes use whatever name they have; loopback names are ours.
        for (path, host) in [("/healthz", "gatehouse.svc:8080"), ("/signin", "localhost")] {
            let resp = client
                .get(app.url(path))
                .header("host", host)
                .send()
                .await
                .expect("get");
            assert_eq!(resp.status(), 200, "{path} as {host}");
        }
    });
}

/// A `runbooks:read` token the signed-in `client` makes for themselves in the portal.
async fn own_search_token(app: &TestApp, client: &reqwest::Client) -> String {
    let body: serde_json::Value = client
        .post(app.url("/api/v1/tokens"))
        .json(&serde_json::json!({"name": "laptop", "scopes": ["runbooks:read"], "ttl": "366d"}))
        .send()
        .await
        .expect("create")
        .json()
        .await
        .expect("json");
    body["token"].as_str().expect("token").to_string()
}

/// What a person who left gets: no session, no sign-in, no token — and an audit trail.
#[test]
fn a_deactivated_owner_loses_their_session_their_sign_in_and_their_tokens() {
    run(async {
        let app = TestApp::spawn().await;
        let dev = app.client_as(Some("developer")).await;
        let own_token = own_search_token(&app, &dev).await;
        let service_token = app.create_token("ci-bot", "developers", "runbooks:read");
        let search = |token: String| {
            let url = app.url("/api/v1/runbooks/search?q=deploy");
            async move {
                reqwest::Client::new()
                    .get(url)
                    .bearer_auth(token)
                    .send()
                    .await
                    .expect("search")
            }
        };
        assert_eq!(search(own_token.clone()).await.status(), 200);
        assert_eq!(search(service_token.clone()).await.status(), 200);

        let (code, out, err) = app.gatehouse(&[
            "users",
            "deactivate",
            "dev:developer",
            "--reason",
            "left the company",
        ]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(out.contains("deactivated"), "{out}");
        let (status, message) = common::api_error(search(own_token.clone()).await).await;
        assert_eq!(status, 401);
        assert!(message.contains("owner was deactivated"), "{message}");
        // Sessions end (the server may serve a looked-up session for a few more seconds).
        let mut signed_out = false;
        for _ in 0..40 {
            let me = dev
                .get(app.url("/api/v1/tokens"))
                .send()
                .await
                .expect("get");
            if me.status() == 401 {
                signed_out = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        assert!(signed_out, "the session of a deactivated person ends");
        let refused = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
            .post(app.url("/auth/dev"))
            .form(&[("persona", "developer")])
            .send()
            .await
            .expect("sign in");
        assert_eq!(refused.status(), 303);
        assert!(refused.headers().get("set-cookie").is_none(), "no session");
        assert!(
            refused.headers()["location"]
                .to_str()
                .unwrap()
                .contains("error=deactivated")
        );
        // A service owner can be stopped the same way.
        let leaked = "AKIAZ7QXW3RT5YU2NB6M";
        let reason = format!("its key {leaked} leaked");
        assert_eq!(
            app.gatehouse(&["users", "deactivate", "ci-bot", "--reason", &reason])
                .0,
            0
        );
        assert_eq!(search(service_token.clone()).await.status(), 401);

        let events = app.audit_events("action=user.deactivate").await;
        assert_eq!(events.len(), 2, "{events:?}");
        assert_eq!(events[1]["target"], "user:dev:developer");
        assert_eq!(events[1]["details"]["reason"], "left the company");

        let (code, out, _) = app.gatehouse(&["users", "list", "--json"]);
        assert_eq!(code, 0);
        let list: serde_json::Value = serde_json::from_str(out.trim()).expect("json");
        let developer = list["users"]
            .as_array()
            .expect("users")
            .iter()
            .find(|u| u["subject"] == "dev:developer")
            .expect("listed");
        assert_eq!(developer["reason"], "left the company");
        assert!(!out.contains(leaked), "a reason is stored masked: {out}");
        let audited = app.audit_events("action=user.deactivate").await;
        assert!(!format!("{audited:?}").contains(leaked));

        let (code, _, _) = app.gatehouse(&["users", "reactivate", "dev:developer"]);
        assert_eq!(code, 0);
        app.sign_in("developer").await;
        assert_eq!(
            search(own_token).await.status(),
            200,
            "back after signing in"
        );
        let (code, _, err) = app.gatehouse(&["users", "reactivate", "dev:developer"]);
        assert_eq!(code, 2);
        assert!(err.contains("is not deactivated"), "{err}");
    });
}

#[test]
fn a_token_stops_when_its_owner_has_not_signed_in_for_the_inactivity_period() {
    run(async {
        let app = TestApp::spawn().await;
        let dev = app.client_as(Some("developer")).await;
        let token = own_search_token(&app, &dev).await;
        let search = || async {
            reqwest::Client::new()
                .get(app.url("/api/v1/runbooks/search?q=deploy"))
                .bearer_auth(&token)
                .send()
                .await
                .expect("search")
        };
        assert_eq!(search().await.status(), 200);
        // Forty days pass without the owner signing in.
        let db = sea_orm::Database::connect(&app.database_url)
            .await
            .expect("db");
        let forty_days_ago = (chrono::Utc::now() - chrono::Duration::days(40)).to_rfc3339();
        for table in ["users SET last_signin_at", "api_tokens SET created_at"] {
            sea_orm::ConnectionTrait::execute_unprepared(
                &db,
                &format!("UPDATE {table} = '{forty_days_ago}'"),
            )
            .await
            .expect("age");
        }
        let (status, message) = common::api_error(search().await).await;
        assert_eq!(status, 401);
        assert!(
            message.contains("has not signed in") && message.contains("INACTIVE_DAYS"),
            "{message}"
        );
        app.sign_in("developer").await;
        assert_eq!(search().await.status(), 200, "signing in brings it back");
    });
}

#[test]
fn simultaneous_first_sign_ins_all_succeed_and_record_one_person() {
    run(async {
        let app = TestApp::spawn().await;
        // Two tabs, a double click, a team logging in after an outage: several first
        // sign-ins of the same person and of others at once. Each transaction reads, then
        // writes; none may fail because another committed in between.
        let personas = [
            "developer",
            "developer",
            "developer",
            "developer",
            "approver",
            "approver",
            "admin",
            "admin",
        ];
        let signins = personas.iter().map(|persona| {
            let url = app.url("/auth/dev");
            async move {
                let resp = common::browser_client()
                    .post(url)
                    .form(&[("persona", *persona), ("next", "/")])
                    .send()
                    .await
                    .expect("sign in");
                resp.status().as_u16()
            }
        });
        let statuses = futures_util::future::join_all(signins).await;
        assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");

        let (code, out, err) = app.gatehouse(&["users", "list", "--json"]);
        assert_eq!(code, 0, "{err}");
        let list: serde_json::Value = serde_json::from_str(out.trim()).expect("json");
        let subjects: Vec<&str> = list["users"]
            .as_array()
            .expect("users")
            .iter()
            .filter_map(|u| u["subject"].as_str())
            .collect();
        for person in ["dev:developer", "dev:approver", "dev:admin"] {
            let rows = subjects.iter().filter(|s| **s == person).count();
            assert_eq!(rows, 1, "{person} in {subjects:?}");
        }
        // One event per sign-in, and one more for the auditor who reads them.
        let signins = app.audit_events("action=signin").await;
        assert_eq!(signins.len(), personas.len() + 1, "{signins:?}");
        let (code, out, err) = app.gatehouse(&["audit", "verify"]);
        assert_eq!(code, 0, "{out}{err}");
    });
}
