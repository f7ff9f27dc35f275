//! The portal over HTTP, as browsers and tools use it: a real server on a loopback port
//! with a fresh database (SQLite, or PostgreSQL with GATEHOUSE_TEST_DB=postgres).

mod common;

use std::time::{Duration, Instant};

use common::{TestApp, run, stems};

#[test]
fn health_and_readiness_answer() {
    run(async {
        let app = TestApp::spawn().await;
        let health = app.get("/healthz").await;
        assert_eq!(health.status(), 200);
        let ready = app.get("/readyz").await;
        assert_eq!(ready.status(), 200);
        let body: serde_json::Value = ready.json().await.expect("json");
        assert_eq!(body["database"], "ok");
        assert_eq!(body["index"], "ok");
    });
}

#[test]
fn metrics_count_requests_and_describe_the_index() {
    run(async {
        let app = TestApp::spawn().await;
        app.get("/healthz").await;
        let text = app.get("/metrics").await.text().await.expect("text");
        assert!(
            text.contains(
                "gatehouse_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"
            ),
            "{text}"
        );
        assert!(text.contains("gatehouse_http_request_duration_seconds_bucket"));
        let sections = text
            .lines()
            .find_map(|l| l.strip_prefix("gatehouse_index_sections "))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .expect("index sections gauge");
        assert!(sections > 300.0, "sections indexed: {sections}");
        assert!(text.contains("gatehouse_index_last_reindex_timestamp_seconds"));
        assert!(
            text.contains("gatehouse_index_problem_files 4"),
            "four broken fixtures: {text}"
        );
    });
}

#[test]
fn with_a_metrics_token_metrics_need_it() {
    run(async {
        let app = TestApp::spawn_with(|c| {
            c.metrics_token = Some(secrecy::SecretString::from("m3trics-scrape-token-0123"));
        })
        .await;
        let client = reqwest::Client::new();
        let without = client.get(app.url("/metrics")).send().await.expect("get");
        assert_eq!(without.status(), 401);
        let wrong = client
            .get(app.url("/metrics"))
            .bearer_auth("m3trics-scrape-token-0124")
            .send()
            .await
            .expect("get");
        assert_eq!(wrong.status(), 401);
        let right = client
            .get(app.url("/metrics"))
            .bearer_auth("m3trics-scrape-token-0123")
            .send()
            .await
            .expect("get");
        assert_eq!(right.status(), 200);
        assert!(
            right
                .text()
                .await
                .expect("text")
                .contains("gatehouse_http_requests_total")
        );
    });
}

#[test]
fn made_up_methods_add_no_metric_series() {
    run(async {
        let app = TestApp::spawn().await;
        let client = reqwest::Client::new();
        for i in 0..20 {
            let method =
                reqwest::Method::from_bytes(format!("BREW{i}").as_bytes()).expect("method");
            client
                .request(method, app.url("/healthz"))
                .send()
                .await
                .expect("request");
        }
        let text = app.get("/metrics").await.text().await.expect("text");
        assert!(!text.contains("BREW"), "{text}");
        assert!(
            text.contains("gatehouse_http_requests_total{method=\"other\","),
            "{text}"
        );
    });
}

#[test]
fn anonymous_page_views_go_to_sign_in_and_come_back() {
    run(async {
        let app = TestApp::spawn().await;
        let resp = app.get("/runbooks/vault-sealed-or-unavailable?x=1").await;
        assert_eq!(resp.status(), 303);
        assert_eq!(
            resp.headers()["location"],
            "/signin?next=%2Frunbooks%2Fvault-sealed-or-unavailable%3Fx%3D1"
        );
        let signin = app.get("/signin").await;
        assert_eq!(signin.status(), 200);
        let html = signin.text().await.expect("html");
        assert!(html.contains("Development sign-in"));
        for persona in ["developer", "approver", "security", "oncall"] {
            assert!(
                html.contains(&format!("data-persona=\"{persona}\"")),
                "persona {persona} offered"
            );
        }
        let resp = app
            .client
            .post(app.url("/auth/dev"))
            .form(&[
                ("persona", "developer"),
                ("next", "/runbooks/checkout-api-high-latency"),
            ])
            .send()
            .await
            .expect("sign in");
        assert_eq!(resp.status(), 303);
        assert_eq!(
            resp.headers()["location"],
            "/runbooks/checkout-api-high-latency"
        );
        let cookie = resp.headers()["set-cookie"].to_str().expect("cookie");
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
    });
}

#[test]
fn sign_in_never_redirects_to_another_site() {
    run(async {
        let app = TestApp::spawn().await;
        for next in [
            "https://evil.example/",
            "//evil.example/x",
            "/\\evil.example",
        ] {
            let resp = app
                .client
                .post(app.url("/auth/dev"))
                .form(&[("persona", "developer"), ("next", next)])
                .send()
                .await
                .expect("sign in");
            assert_eq!(resp.headers()["location"], "/", "next={next}");
        }
    });
}

#[test]
fn an_unknown_persona_is_a_clear_400() {
    run(async {
        let app = TestApp::spawn().await;
        let resp = app
            .client
            .post(app.url("/auth/dev"))
            .form(&[("persona", "root")])
            .send()
            .await
            .expect("post");
        assert_eq!(resp.status(), 400);
        let body: serde_json::Value = resp.json().await.expect("json");
        assert!(
            body["error"]["message"]
                .as_str()
                .expect("message")
                .contains("unknown persona `root`")
        );
    });
}

#[test]
fn signing_out_ends_the_session() {
    run(async {
        let app = TestApp::spawn().await;
        app.sign_in("developer").await;
        assert_eq!(
            app.get("/api/v1/runbooks/search?q=latency").await.status(),
            200
        );
        let out = app
            .client
            .post(app.url("/auth/signout"))
            .send()
            .await
            .expect("signout");
        assert_eq!(out.status(), 303);
        assert_eq!(
            app.get("/api/v1/runbooks/search?q=latency").await.status(),
            401
        );
    });
}

#[test]
fn the_api_needs_a_session_and_says_so_in_json() {
    run(async {
        let app = TestApp::spawn().await;
        let resp = app.get("/api/v1/runbooks/search?q=latency").await;
        assert_eq!(resp.status(), 401);
        let body: serde_json::Value = resp.json().await.expect("json");
        assert_eq!(body["error"]["code"], "unauthenticated");
    });
}

#[test]
fn api_search_returns_the_documented_shape() {
    run(async {
        let app = TestApp::spawn().await;
        app.sign_in("developer").await;
        let v = app.search_json("CheckoutApiHighLatency").await;
        let hit = &v["hits"][0];
        assert_eq!(hit["runbook"], "checkout-api-high-latency");
        assert_eq!(hit["section"], "checkoutapihighlatency");
        assert_eq!(hit["title"], "Checkout API high latency");
        assert_eq!(hit["heading"], "CheckoutApiHighLatency");
        assert!(hit["snippet"].as_str().is_some_and(|s| !s.is_empty()));
        assert!(hit["score"].as_f64().is_some());
        assert_eq!(
            hit["url"],
            "/runbooks/checkout-api-high-latency#checkoutapihighlatency"
        );
        assert!(v["total"].as_u64().expect("total") >= 1);
        let keys: Vec<_> = hit.as_object().expect("object").keys().cloned().collect();
        assert_eq!(keys.len(), 7, "exactly the documented fields: {keys:?}");
    });
}

#[test]
fn api_filters_and_limit_apply() {
    run(async {
        let app = TestApp::spawn().await;
        app.sign_in("developer").await;
        let resp = app
            .get("/api/v1/runbooks/search?q=rollback&service=postgres-primary&limit=3")
            .await;
        let v: serde_json::Value = resp.json().await.expect("json");
        let hits = v["hits"].as_array().expect("hits");
        assert!(!hits.is_empty() && hits.len() <= 3);
        assert!(
            stems(&v).iter().all(|s| s.starts_with("postgres")),
            "{:?}",
            stems(&v)
        );
        let bad = app.get("/api/v1/runbooks/search?q=x&limit=lots").await;
        assert_eq!(bad.status(), 400);
        let body: serde_json::Value = bad.json().await.expect("json");
        assert!(
            body["error"]["message"]
                .as_str()
                .expect("msg")
                .contains("limit `lots`")
        );
    });
}

#[test]
fn restricted_runbooks_are_invisible_outside_their_groups() {
    run(async {
        let app = TestApp::spawn().await;
        app.sign_in("developer").await;
        for q in [
            "card processor timeouts",
            "PaymentsProcessorTimeouts",
            "ledger reconciliation",
            "service:payments-api",
            "vault sealed",
        ] {
            let v = app.search_json(q).await;
            let found = stems(&v);
            assert!(
                !found
                    .iter()
                    .any(|s| s.starts_with("payments-") || s.starts_with("vault-")),
                "{q}: restricted runbook leaked: {found:?}"
            );
            let snippets = serde_json::to_string(&v).expect("json");
            assert!(
                !snippets.contains("Payments API card processor"),
                "{q}: title leaked"
            );
        }
        let only_restricted = app.search_json("service:payments-ledger").await;
        assert_eq!(
            only_restricted["total"], 0,
            "the count does not reveal restricted sections"
        );
        let page = app
            .get("/runbooks/payments-api-card-processor-timeouts")
            .await;
        assert_eq!(page.status(), 404);
        let missing = app.get("/runbooks/no-such-runbook").await;
        assert_eq!(missing.status(), 404);
        let alert = app.get("/runbooks/alerts/PaymentsProcessorTimeouts").await;
        assert_eq!(alert.headers()["location"], "/?q=PaymentsProcessorTimeouts");
        let facets = app
            .get("/?service=payments-api")
            .await
            .text()
            .await
            .expect("html");
        assert!(
            !facets.contains("<option value=\"payments-api\""),
            "service filter does not list hidden services"
        );
    });
}

#[test]
fn restricted_runbooks_are_visible_to_their_group() {
    run(async {
        let app = TestApp::spawn().await;
        app.sign_in("oncall").await;
        let v = app.search_json("card processor timeouts").await;
        assert_eq!(stems(&v)[0], "payments-api-card-processor-timeouts");
        let page = app
            .get("/runbooks/payments-api-card-processor-timeouts")
            .await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.expect("html");
        assert!(html.contains("restricted"));
        // But not the security team's Vault runbook.
        assert_eq!(
            app.get("/runbooks/vault-sealed-or-unavailable")
                .await
                .status(),
            404
        );
    });
}

#[test]
fn alert_lookup_redirects_to_the_section_naming_the_alert() {
    run(async {
        let app = TestApp::spawn().await;
        app.sign_in("developer").await;
        let resp = app.get("/runbooks/alerts/checkoutapip99slow").await;
        assert_eq!(resp.status(), 303);
        assert_eq!(
            resp.headers()["location"],
            "/runbooks/checkout-api-high-latency#checkoutapip99slow"
        );
        let unknown = app.get("/runbooks/alerts/NoSuchAlertAnywhere").await;
        assert_eq!(unknown.headers()["location"], "/?q=NoSuchAlertAnywhere");
        let page = app.get("/?q=NoSuchAlertAnywhere").await;
        assert_eq!(page.status(), 200);
        assert!(
            page.text()
                .await
                .expect("html")
                .contains("No matching runbook")
        );
    });
}

#[test]
fn the_runbook_page_renders_anchors_toc_and_metadata() {
    run(async {
        let app = TestApp::spawn().await;
        app.sign_in("developer").await;
        let html = app
            .get("/runbooks/checkout-api-high-latency")
            .await
            .text()
            .await
            .expect("html");
        assert!(html.contains("id=\"checkoutapihighlatency\""));
        assert!(
            html.contains("href=\"#checkoutapihighlatency\""),
            "table of contents links the section"
        );
        assert!(html.contains("team-payments"));
        assert!(html.contains("2026-09-14"));
        assert!(html.contains("class=\"codeblock\""));
        let stale = app
            .get("/runbooks/kafka-under-replicated-partitions")
            .await
            .text()
            .await
            .expect("html");
        assert!(
            stale.contains("review overdue"),
            "a runbook not reviewed for 90 days is flagged"
        );
    });
}

#[test]
fn a_hostile_runbook_renders_inert() {
    run(async {
        let app = TestApp::spawn().await;
        app.sign_in("developer").await;
        let html = app
            .get("/runbooks/hostile-runbook")
            .await
            .text()
            .await
            .expect("html");
        let body = &html[html.find("class=\"prose\"").expect("prose")..];
        let body = body.to_lowercase();
        for bad in [
            "<script>window.__pwned",
            "onerror",
            "onmouseover",
            "javascript:",
            "<iframe",
            "<form action=\"https://attacker",
        ] {
            assert!(!body.contains(bad), "{bad} survived");
        }
        assert!(body.contains("raw link"), "the link text stays");
    });
}

#[test]
fn broken_runbook_files_are_reported_and_the_rest_indexed() {
    run(async {
        let app = TestApp::spawn().await;
        app.sign_in("developer").await;
        let html = app.get("/status").await.text().await.expect("html");
        for (file, reason) in [
            ("broken-front-matter.md", "invalid front matter"),
            ("unknown-visibility.md", "unknown visibility `secret`"),
            ("missing-title.md", "missing required field `title`"),
            ("not-utf8.md", "not valid UTF-8"),
        ] {
            assert!(html.contains(file), "{file} listed");
            assert!(html.contains(reason), "{reason} explained");
        }
        assert!(
            app.search_json("latency").await["total"]
                .as_u64()
                .expect("total")
                > 0
        );
    });
}

#[test]
fn hostile_queries_get_results_or_a_message_never_a_500() {
    run(async {
        let app = TestApp::spawn().await;
        app.sign_in("developer").await;
        let long = "latency ".repeat(1300);
        for q in [
            "\"unbalanced quote",
            "AND",
            "OR NOT",
            "-",
            "\"\"",
            ":",
            "service:",
            "*",
            "+-+",
            "\u{0}\u{7}\u{1b}[31m",
            long.as_str(),
            "日本語 🚀",
            "((((",
        ] {
            let resp = app
                .client
                .get(app.url("/api/v1/runbooks/search"))
                .query(&[("q", q)])
                .send()
                .await
                .expect("request");
            assert_eq!(
                resp.status(),
                200,
                "query {:?}",
                q.chars().take(30).collect::<String>()
            );
            let page = app
                .client
                .get(app.url("/"))
                .query(&[("q", q)])
                .send()
                .await
                .expect("page");
            assert_eq!(
                page.status(),
                200,
                "page for {:?}",
                q.chars().take(30).collect::<String>()
            );
        }
        let html = app
            .client
            .get(app.url("/"))
            .query(&[("q", long.as_str())])
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html");
        assert!(
            html.contains("shortened"),
            "the user is told the query was cut"
        );
    });
}

#[test]
fn changed_runbook_files_are_searchable_within_seconds() {
    run(async {
        let app = TestApp::spawn().await;
        app.sign_in("developer").await;
        assert_eq!(app.search_json("zanzibarquokka").await["total"], 0);
        let text = std::fs::read_to_string(app.runbooks.join("coredns-resolution-failures.md"))
            .expect("read");
        let new = text
            .replace(
                "CoreDNS resolution failures",
                "Zanzibarquokka resolution failures",
            )
            .replace("service: coredns", "service: quokka-dns");
        std::fs::write(app.runbooks.join("quokka.md"), new).expect("write");
        wait_until(|| async {
            app.search_json("zanzibarquokka").await["total"]
                .as_u64()
                .unwrap_or(0)
                > 0
        })
        .await;
        std::fs::remove_file(app.runbooks.join("quokka.md")).expect("remove");
        wait_until(|| async { app.search_json("zanzibarquokka").await["total"] == 0 }).await;
        assert_eq!(app.get("/runbooks/quokka").await.status(), 404);
    });
}

async fn wait_until<F, Fut>(mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the change was not reflected within 10 seconds");
}

#[test]
fn the_database_holds_only_a_hash_of_the_session_token() {
    run(async {
        use sea_orm::{Database, EntityTrait};
        let app = TestApp::spawn().await;
        let resp = app
            .client
            .post(app.url("/auth/dev"))
            .form(&[("persona", "developer")])
            .send()
            .await
            .expect("sign in");
        let cookie = resp.headers()["set-cookie"]
            .to_str()
            .expect("cookie")
            .to_string();
        let token = cookie
            .split(';')
            .next()
            .and_then(|kv| kv.split_once('='))
            .map(|(_, v)| v.to_string())
            .expect("token");
        let db = Database::connect(&app.database_url).await.expect("db");
        let rows = server::entities::session::Entity::find()
            .all(&db)
            .await
            .expect("rows");
        assert_eq!(rows.len(), 1);
        assert_ne!(rows[0].id, token);
        assert!(!format!("{rows:?}").contains(&token));
        assert_eq!(rows[0].subject, "dev:developer");
    });
}

#[test]
fn unknown_pages_are_404() {
    run(async {
        let app = TestApp::spawn().await;
        app.sign_in("developer").await;
        assert_eq!(app.get("/no/such/page").await.status(), 404);
    });
}

#[test]
fn pages_carry_a_nonce_policy_that_matches_their_scripts() {
    run(async {
        let app = TestApp::spawn().await;
        app.sign_in("developer").await;
        let page = app.get("/").await;
        assert_eq!(page.status(), 200);
        let h = page.headers().clone();
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["x-frame-options"], "DENY");
        assert_eq!(h["referrer-policy"], "same-origin");
        assert!(
            h.get("strict-transport-security").is_none(),
            "http: no HSTS"
        );
        let csp = h["content-security-policy"]
            .to_str()
            .expect("ascii")
            .to_string();
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .expect("a script nonce in the policy");
        let body = page.text().await.expect("body");
        let scripts = body.matches("<script").count();
        assert!(scripts > 0, "the page has scripts");
        assert_eq!(
            body.matches(&format!("nonce=\"{nonce}\"")).count(),
            scripts,
            "every inline or module script carries this response's nonce"
        );
        let other = app.get("/").await;
        let other_csp = other.headers()["content-security-policy"]
            .to_str()
            .expect("ascii");
        assert_ne!(other_csp, csp, "a fresh nonce per response");
        // Every page, whatever its status, names the nonce its scripts carry.
        for path in [
            "/runbooks/checkout-api-high-latency",
            "/templates/sandbox-environment",
            "/no/such/page",
            "/runbooks/no-such-runbook",
        ] {
            let page = app.get(path).await;
            let csp = page.headers()["content-security-policy"]
                .to_str()
                .expect("ascii")
                .to_string();
            let nonce = csp
                .split("'nonce-")
                .nth(1)
                .and_then(|rest| rest.split('\'').next())
                .unwrap_or_else(|| panic!("{path}: a page policy, got {csp}"))
                .to_string();
            let body = page.text().await.expect("body");
            assert_eq!(
                body.matches(&format!("nonce=\"{nonce}\"")).count(),
                body.matches("<script").count(),
                "{path}"
            );
        }

        let api = app.get("/api/v1/runbooks/search?q=latency").await;
        assert_eq!(
            api.headers()["content-security-policy"],
            "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
        );
        assert_eq!(api.headers()["x-content-type-options"], "nosniff");
        // What one person sees is never kept by a shared cache; the stylesheet is.
        assert_eq!(api.headers()["cache-control"], "no-store");
        assert_eq!(
            app.get("/tokens").await.headers()["cache-control"],
            "no-store"
        );
        let css = app.get(&server::routes::assets::stylesheet_href()).await;
        assert!(
            css.headers()["cache-control"]
                .to_str()
                .unwrap()
                .contains("immutable")
        );
    });
}

#[test]
fn a_cross_site_form_post_is_refused_and_changes_nothing() {
    run(async {
        let app = TestApp::spawn().await;
        // Another site's page posting the sign-in form: no session may come of it.
        let forged = app
            .client
            .post(app.url("/auth/dev"))
            .header("origin", "https://evil.example")
            .form(&[("persona", "admin"), ("next", "/")])
            .send()
            .await
            .expect("post");
        assert_eq!(forged.status(), 403);
        assert!(forged.headers().get("set-cookie").is_none());
        let body: serde_json::Value = forged.json().await.expect("json");
        assert_eq!(body["error"]["code"], "cross_site");
        assert_eq!(
            app.get("/api/v1/runbooks/search?q=latency").await.status(),
            401
        );

        app.sign_in("developer").await;
        // A cross-site sign-out (Fetch metadata says so) leaves the session alone.
        let out = app
            .client
            .post(app.url("/auth/signout"))
            .header("sec-fetch-site", "cross-site")
            .send()
            .await
            .expect("post");
        assert_eq!(out.status(), 403);
        assert_eq!(
            app.get("/api/v1/runbooks/search?q=latency").await.status(),
            200
        );

        // The same form from the portal's own page works.
        let own = app
            .client
            .post(app.url("/auth/signout"))
            .header("sec-fetch-site", "same-origin")
            .header("origin", app.url(""))
            .send()
            .await
            .expect("post");
        assert_eq!(own.status(), 303);
        assert_eq!(
            app.get("/api/v1/runbooks/search?q=latency").await.status(),
            401
        );
    });
}

#[test]
fn an_oversized_server_function_body_gets_413_not_500() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    run(async {
        let app = TestApp::spawn().await;
        // A raw request that declares 3 MB and sends only the first 64 KB: the server must
        // answer from the declared length, without waiting for (or racing) the rest. A client
        // that kept writing after the answer would see a broken pipe, which says nothing.
        let addr = app
            .url("")
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        let mut stream = tokio::net::TcpStream::connect(&addr)
            .await
            .expect("connect");
        let declared = 3 * 1024 * 1024;
        let head = format!(
            "POST /rpc/search HTTP/1.1\r\nHost: {addr}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: {declared}\r\nConnection: close\r\n\r\nq="
        );
        stream.write_all(head.as_bytes()).await.expect("write head");
        stream
            .write_all(&[b'a'; 64 * 1024])
            .await
            .expect("write part of the body");
        let mut answer = Vec::new();
        tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut answer))
            .await
            .expect("the server answers before the body is complete")
            .expect("read");
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
        let body = &answer[answer.find("\r\n\r\n").expect("a header end") + 4..];
        assert!(body.contains("1024 KB"), "{body}");

        // Below the limit the same endpoint still answers.
        let client = app.client_as(Some("developer")).await;
        let (status, _, _) = common::rpc(&client, &app, "search", &[("query[q]", "latency")]).await;
        assert_ne!(status, 413);
    });
}
