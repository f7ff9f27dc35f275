//! Who may do what: every route and server function, tried as anonymous and as each role;
//! API tokens and their scopes; rate limits. A route or server function that is not listed
//! here fails the suite, so nothing ships without a decided rule.

mod common;

use std::collections::BTreeSet;

use common::{TestApp, repo_root, run};

/// Callers tried against every route: anonymous, then one persona per role.
const CALLERS: [Option<&str>; 6] = [
    None,
    Some("developer"),
    Some("approver"),
    Some("security"),
    Some("oncall"),
    Some("admin"),
];

/// What a caller gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Served: not 401, 403, 429 or a redirect to sign-in.
    Allow,
    /// 401, or for page views a redirect to the sign-in page.
    SignIn,
    /// 403: signed in, but the role does not allow it.
    Forbidden,
    /// 404: the route exists only when single sign-on is configured.
    NotHere,
}

use Expect::*;

struct Case {
    method: &'static str,
    /// The route as written in the router (matched against the source).
    route: &'static str,
    /// A concrete path to request.
    path: &'static str,
    body: Option<&'static str>,
    /// Expectations in the order of [`CALLERS`].
    expect: [Expect; 6],
}

const EVERYONE_SIGNED_IN: [Expect; 6] = [SignIn, Allow, Allow, Allow, Allow, Allow];
const PUBLIC: [Expect; 6] = [Allow; 6];
const AUDITORS: [Expect; 6] = [SignIn, Forbidden, Forbidden, Allow, Forbidden, Allow];
/// Runbook owners (the on-call persona is in `team-payments`) and admins.
const OWNERS: [Expect; 6] = [SignIn, Forbidden, Forbidden, Forbidden, Allow, Allow];
/// A draft that does not exist: reviewers learn that, nobody else does.
const OWNERS_MISSING: [Expect; 6] = [SignIn, Forbidden, Forbidden, Forbidden, NotHere, NotHere];
/// Something that does not exist: only signed-in callers learn that.
const SIGNED_IN_NOT_HERE: [Expect; 6] = [SignIn, NotHere, NotHere, NotHere, NotHere, NotHere];

fn cases() -> Vec<Case> {
    let case = |method, route, path, body, expect| Case {
        method,
        route,
        path,
        body,
        expect,
    };
    vec![
        case("GET", "/healthz", "/healthz", None, PUBLIC),
        case("GET", "/readyz", "/readyz", None, PUBLIC),
        case("GET", "/metrics", "/metrics", None, PUBLIC),
        case(
            "GET",
            "/assets/gatehouse.css",
            "/assets/gatehouse.css",
            None,
            PUBLIC,
        ),
        case(
            "GET",
            "/.well-known/gatehouse/audit-key",
            "/.well-known/gatehouse/audit-key",
            None,
            PUBLIC,
        ),
        case("GET", "/auth/login", "/auth/login", None, [NotHere; 6]),
        case(
            "GET",
            "/auth/callback",
            "/auth/callback?code=x&state=y",
            None,
            [NotHere; 6],
        ),
        case(
            "POST",
            "/auth/dev",
            "/auth/dev",
            Some("persona=developer"),
            PUBLIC,
        ),
        case("POST", "/auth/signout", "/auth/signout", Some(""), PUBLIC),
        case(
            "GET",
            "/api/v1/runbooks/search",
            "/api/v1/runbooks/search?q=latency",
            None,
            EVERYONE_SIGNED_IN,
        ),
        case(
            "GET",
            "/runbooks/alerts/{alertname}",
            "/runbooks/alerts/CheckoutApiHighLatency",
            None,
            EVERYONE_SIGNED_IN,
        ),
        case(
            "GET",
            "/api/v1/audit/events",
            "/api/v1/audit/events",
            None,
            AUDITORS,
        ),
        case(
            "GET",
            "/api/v1/audit/export",
            "/api/v1/audit/export",
            None,
            AUDITORS,
        ),
        case(
            "GET",
            "/api/v1/tokens",
            "/api/v1/tokens",
            None,
            EVERYONE_SIGNED_IN,
        ),
        case(
            "GET",
            "/api/v1/tokens",
            "/api/v1/tokens?all=1",
            None,
            [SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Allow],
        ),
        case(
            "POST",
            "/api/v1/tokens",
            "/api/v1/tokens",
            Some(r#"{"name":"t","scopes":["runbooks:read"],"ttl":"1d"}"#),
            EVERYONE_SIGNED_IN,
        ),
        case(
            "POST",
            "/api/v1/tokens/{id}/revoke",
            "/api/v1/tokens/000000000000/revoke",
            Some(""),
            [SignIn, NotHere, NotHere, NotHere, NotHere, NotHere],
        ),
        case(
            "POST",
            "/tokens/create",
            "/tokens/create",
            Some("name=t&scopes=runbooks:read&ttl=1d"),
            EVERYONE_SIGNED_IN,
        ),
        case(
            "POST",
            "/tokens/revoke",
            "/tokens/revoke",
            Some("id=000000000000"),
            [SignIn, NotHere, NotHere, NotHere, NotHere, NotHere],
        ),
        case(
            "POST",
            "/api/v1/deployments",
            "/api/v1/deployments",
            Some(r#"{"service":"checkout-api","body":"Rolled out v2."}"#),
            EVERYONE_SIGNED_IN,
        ),
        // Server functions.
        case(
            "POST",
            "audit",
            "/rpc/audit",
            Some("query[actor]=x"),
            AUDITORS,
        ),
        case(
            "POST",
            "tokens",
            "/rpc/tokens",
            Some(""),
            EVERYONE_SIGNED_IN,
        ),
        case(
            "POST",
            "deployment_services",
            "/rpc/deployment_services",
            Some(""),
            EVERYONE_SIGNED_IN,
        ),
        case(
            "POST",
            "submit_notes",
            "/rpc/submit_notes",
            Some(
                "form[service]=checkout-api&form[environment]=&form[version]=&form[body]=Rolled+out",
            ),
            EVERYONE_SIGNED_IN,
        ),
        case(
            "POST",
            "deployment",
            "/rpc/deployment",
            Some("id=nope"),
            [SignIn, NotHere, NotHere, NotHere, NotHere, NotHere],
        ),
        case(
            "POST",
            "review_queue",
            "/rpc/review_queue",
            Some(""),
            OWNERS,
        ),
        case(
            "POST",
            "draft",
            "/rpc/draft",
            Some("id=nope"),
            OWNERS_MISSING,
        ),
        case(
            "POST",
            "decide_draft",
            "/rpc/decide_draft",
            Some("decision[id]=nope&decision[decision]=reject&decision[reason]=no"),
            OWNERS_MISSING,
        ),
        case(
            "POST",
            "runbook_history",
            "/rpc/runbook_history",
            Some("stem=checkout-api-high-latency"),
            EVERYONE_SIGNED_IN,
        ),
        case(
            "POST",
            "mark_reviewed",
            "/rpc/mark_reviewed",
            Some("stem=checkout-api-high-latency"),
            OWNERS,
        ),
        case("POST", "session", "/rpc/session", Some(""), PUBLIC),
        case("POST", "personas", "/rpc/personas", Some(""), PUBLIC),
        case(
            "POST",
            "search",
            "/rpc/search",
            Some("query[q]=latency"),
            EVERYONE_SIGNED_IN,
        ),
        case(
            "POST",
            "facets",
            "/rpc/facets",
            Some(""),
            EVERYONE_SIGNED_IN,
        ),
        case(
            "POST",
            "runbook",
            "/rpc/runbook",
            Some("stem=checkout-api-high-latency"),
            EVERYONE_SIGNED_IN,
        ),
        case(
            "POST",
            "status",
            "/rpc/status",
            Some(""),
            EVERYONE_SIGNED_IN,
        ),
        // Pages.
        case("GET", "/", "/", None, EVERYONE_SIGNED_IN),
        case(
            "GET",
            "/runbooks/:stem",
            "/runbooks/checkout-api-high-latency",
            None,
            EVERYONE_SIGNED_IN,
        ),
        case(
            "GET",
            "/runbooks/:stem/history",
            "/runbooks/checkout-api-high-latency/history",
            None,
            EVERYONE_SIGNED_IN,
        ),
        case("GET", "/templates", "/templates", None, EVERYONE_SIGNED_IN),
        case(
            "GET",
            "/templates/:id",
            "/templates/sandbox-environment?preview=1&name=box",
            None,
            EVERYONE_SIGNED_IN,
        ),
        case(
            "GET",
            "/api/v1/templates",
            "/api/v1/templates",
            None,
            EVERYONE_SIGNED_IN,
        ),
        case(
            "GET",
            "/api/v1/templates/{id}",
            "/api/v1/templates/rust-service-ci",
            None,
            EVERYONE_SIGNED_IN,
        ),
        case(
            "POST",
            "/api/v1/templates/{id}/preview",
            "/api/v1/templates/sandbox-environment/preview",
            Some("{\"parameters\":{\"name\":\"box\"}}"),
            EVERYONE_SIGNED_IN,
        ),
        case(
            "POST",
            "catalog",
            "/rpc/catalog",
            Some("query[q]=rust"),
            EVERYONE_SIGNED_IN,
        ),
        case(
            "POST",
            "template",
            "/rpc/template",
            Some("id=rust-service-ci"),
            EVERYONE_SIGNED_IN,
        ),
        case(
            "POST",
            "preview",
            "/rpc/preview",
            Some(
                "form[template]=sandbox-environment&form[values][0][0]=name&form[values][0][1]=box",
            ),
            EVERYONE_SIGNED_IN,
        ),
        case(
            "GET",
            "/api/v1/requests",
            "/api/v1/requests",
            None,
            EVERYONE_SIGNED_IN,
        ),
        case(
            "POST",
            "/api/v1/requests",
            "/api/v1/requests",
            Some("{\"template\":\"sandbox-environment\",\"parameters\":{\"name\":\"box\"}}"),
            EVERYONE_SIGNED_IN,
        ),
        case(
            "GET",
            "/api/v1/requests/inbox",
            "/api/v1/requests/inbox",
            None,
            EVERYONE_SIGNED_IN,
        ),
        case(
            "GET",
            "/api/v1/requests/{id}",
            "/api/v1/requests/nope",
            None,
            SIGNED_IN_NOT_HERE,
        ),
        case(
            "GET",
            "/api/v1/requests/{id}/bundle",
            "/api/v1/requests/nope/bundle",
            None,
            SIGNED_IN_NOT_HERE,
        ),
        case(
            "POST",
            "/api/v1/requests/{id}/approve",
            "/api/v1/requests/nope/approve",
            Some(""),
            SIGNED_IN_NOT_HERE,
        ),
        case(
            "POST",
            "/api/v1/requests/{id}/reject",
            "/api/v1/requests/nope/reject",
            Some("{\"reason\":\"no\"}"),
            SIGNED_IN_NOT_HERE,
        ),
        case(
            "POST",
            "/api/v1/requests/{id}/cancel",
            "/api/v1/requests/nope/cancel",
            Some(""),
            SIGNED_IN_NOT_HERE,
        ),
        case(
            "POST",
            "/api/v1/requests/{id}/deliveries/{delivery}/resend",
            "/api/v1/requests/nope/deliveries/nope/resend",
            Some(""),
            SIGNED_IN_NOT_HERE,
        ),
        case(
            "POST",
            "resend_notification",
            "/rpc/resend_notification",
            Some("resend[id]=nope&resend[delivery]=nope"),
            SIGNED_IN_NOT_HERE,
        ),
        case(
            "POST",
            "submit_request",
            "/rpc/submit_request",
            Some(
                "form[template]=sandbox-environment&form[values][0][0]=name&form[values][0][1]=rpc-box",
            ),
            EVERYONE_SIGNED_IN,
        ),
        case(
            "POST",
            "request",
            "/rpc/request",
            Some("id=nope"),
            SIGNED_IN_NOT_HERE,
        ),
        case(
            "POST",
            "my_requests",
            "/rpc/my_requests",
            Some(""),
            EVERYONE_SIGNED_IN,
        ),
        case("POST", "inbox", "/rpc/inbox", Some(""), EVERYONE_SIGNED_IN),
        case(
            "POST",
            "decide_request",
            "/rpc/decide_request",
            Some("decision[id]=nope&decision[action]=approve"),
            SIGNED_IN_NOT_HERE,
        ),
        case("GET", "/requests", "/requests", None, EVERYONE_SIGNED_IN),
        case(
            "GET",
            "/requests/:id",
            "/requests/nope",
            None,
            SIGNED_IN_NOT_HERE,
        ),
        case("GET", "/approvals", "/approvals", None, EVERYONE_SIGNED_IN),
        case(
            "GET",
            "/api/v1/openapi.json",
            "/api/v1/openapi.json",
            None,
            PUBLIC,
        ),
        case("GET", "/drafts", "/drafts", None, OWNERS),
        case("GET", "/drafts/:id", "/drafts/nope", None, OWNERS_MISSING),
        case("GET", "/status", "/status", None, EVERYONE_SIGNED_IN),
        case("GET", "/signin", "/signin", None, PUBLIC),
        case("GET", "/audit", "/audit", None, AUDITORS),
        case("GET", "/tokens", "/tokens", None, EVERYONE_SIGNED_IN),
        case(
            "GET",
            "/deployments/new",
            "/deployments/new",
            None,
            EVERYONE_SIGNED_IN,
        ),
        case(
            "GET",
            "/deployments/:id",
            "/deployments/nope",
            None,
            [SignIn, NotHere, NotHere, NotHere, NotHere, NotHere],
        ),
    ]
}

/// Every `.route("…")` in the server, `endpoint = "…"` server function and `path!("…")`
/// page in the app.
fn declared_routes() -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut scan = |dir: &str, marker: &str| {
        for entry in std::fs::read_dir(repo_root().join(dir)).expect("source dir") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("source");
                // The quoted name may follow on the next line where rustfmt broke it.
                for piece in text.split(marker).skip(1) {
                    let Some(piece) = piece.trim_start().strip_prefix('"') else {
                        continue;
                    };
                    if let Some(end) = piece.find('"') {
                        found.insert(piece[..end].to_string());
                    }
                }
            }
        }
    };
    scan("server/src/routes", ".route(");
    scan("app/src", "endpoint = ");
    scan("app/src", "path!(");
    found
}

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
        let auditor = app.client_as(Some("security")).await;
        let body: serde_json::Value = auditor
            .get(app.url("/api/v1/audit/events?action=access.denied"))
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json");
        let events = body["events"].as_array().expect("events");
        let targets: Vec<&str> = events
            .iter()
            .map(|e| e["target"].as_str().unwrap_or(""))
            .collect();
        assert!(targets.contains(&"audit"), "{body}");
        assert!(
            targets.contains(&"runbook:payments-api-card-processor-timeouts"),
            "{body}"
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
            c.oidc = Some(server::config::OidcConfig {
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
        assert_eq!(sign_in("10.0.0.1").await.expect("req").status(), 303);
        assert_eq!(sign_in("10.0.0.1").await.expect("req").status(), 429);
        assert_eq!(sign_in("10.0.0.2").await.expect("req").status(), 303);
        let db = sea_orm::Database::connect(&app.database_url)
            .await
            .expect("db");
        let sources = server::audit::query::newest(
            &db,
            &server::audit::query::Filter {
                action: Some("signin".into()),
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
