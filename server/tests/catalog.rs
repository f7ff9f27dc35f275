//! The template catalog and the dry run, as people and scripts use them: the list and
//! schema, per-field errors, rendered files judged by the shipped Rego policies, the tier
//! and who must approve, and the same answers from the pages and the JSON API.

mod common;

use serde_json::{Value, json};

use common::{TestApp, api_error, rpc_json, run};

async fn preview(
    client: &reqwest::Client,
    app: &TestApp,
    id: &str,
    parameters: Value,
) -> (u16, Value) {
    let resp = client
        .post(app.url(&format!("/api/v1/templates/{id}/preview")))
        .json(&json!({ "parameters": parameters }))
        .send()
        .await
        .expect("preview");
    let status = resp.status().as_u16();
    (status, resp.json().await.expect("json"))
}

fn rules(view: &Value, level: &str) -> Vec<String> {
    view["policy"]
        .as_array()
        .expect("policy")
        .iter()
        .filter(|r| r["level"] == level)
        .map(|r| r["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_catalog_lists_every_template_with_its_schema() {
    run(async {
        let app = TestApp::spawn().await;
        let dev = app.client_as(Some("developer")).await;
        let resp = dev
            .get(app.url("/api/v1/templates"))
            .send()
            .await
            .expect("list");
        assert_eq!(resp.status(), 200);
        let body: Value = resp.json().await.expect("json");
        let ids: Vec<&str> = body["templates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap())
            .collect();
        for id in [
            "rust-service-ci",
            "container-image",
            "terraform-pipeline",
            "production-deploy",
            "scheduled-job",
            "sandbox-environment",
        ] {
            assert!(ids.contains(&id), "{id} missing from {ids:?}");
        }
        let sandbox: Value = dev
            .get(app.url("/api/v1/templates/sandbox-environment"))
            .send()
            .await
            .expect("one")
            .json()
            .await
            .expect("json");
        let ttl = sandbox["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "ttl_hours")
            .unwrap();
        assert_eq!(
            (
                ttl["type"].as_str(),
                ttl["min"].as_i64(),
                ttl["max"].as_i64()
            ),
            (Some("integer"), Some(1), Some(168))
        );
        assert_eq!(sandbox["tier"], 3);
        let filtered: Value = dev
            .get(app.url("/api/v1/templates?kind=sandbox"))
            .send()
            .await
            .expect("filter")
            .json()
            .await
            .expect("json");
        assert_eq!(filtered["templates"].as_array().unwrap().len(), 1);
        assert_eq!(
            dev.get(app.url("/api/v1/templates/nope"))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
    })
}

#[test]
fn a_small_sandbox_passes_policy_at_tier_3() {
    run(async {
        let app = TestApp::spawn().await;
        let dev = app.client_as(Some("developer")).await;
        let (status, view) = preview(
            &dev,
            &app,
            "sandbox-environment",
            json!({"name": "try-pgbouncer", "ttl_hours": 24}),
        )
        .await;
        assert_eq!(status, 200, "{view}");
        assert_eq!(view["blocked"], false, "{view}");
        assert_eq!(view["tier"], 3);
        assert!(view["approval"].as_str().unwrap().contains("automatically"));
        let file = &view["files"][0];
        assert_eq!(file["path"], "sandboxes/try-pgbouncer.yaml");
        assert!(file["content"].as_str().unwrap().contains("ttlHours: 24"));
        // Defaults filled in and shown back.
        assert_eq!(view["values"]["size"], "small");
    })
}

#[test]
fn policy_blocks_with_the_rule_and_the_fix() {
    run(async {
        let app = TestApp::spawn().await;
        let dev = app.client_as(Some("developer")).await;
        // An action pinned to a tag, not a commit.
        let (status, view) = preview(
            &dev,
            &app,
            "rust-service-ci",
            json!({"service": "checkout-api", "extra_actions": ["Swatinem/rust-cache@v2"]}),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(view["blocked"], true);
        assert_eq!(rules(&view, "deny"), vec!["actions_pinned_to_sha"]);
        let denial = view["policy"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["level"] == "deny")
            .unwrap();
        assert!(
            denial["message"]
                .as_str()
                .unwrap()
                .contains("Swatinem/rust-cache@v2")
        );
        assert!(denial["fix"].as_str().unwrap().contains("commit SHA"));
        // A large sandbox for four days.
        let (_, view) = preview(
            &dev,
            &app,
            "sandbox-environment",
            json!({"name": "big-one", "size": "large", "ttl_hours": 96}),
        )
        .await;
        assert_eq!(rules(&view, "deny"), vec!["sandbox_large_ttl"]);
        // A base image from Docker Hub.
        let (_, view) = preview(
            &dev,
            &app,
            "container-image",
            json!({"service": "checkout-api", "image": "ghcr.io/example-org/checkout-api", "base_image": "docker.io/library/debian:12"}),
        )
        .await;
        assert_eq!(rules(&view, "deny"), vec!["allowed_registries"], "{view}");
        // Production from a feature branch.
        let (_, view) = preview(
            &dev,
            &app,
            "production-deploy",
            json!({"service": "checkout-api", "image": "registry.example.com/payments/checkout-api", "branch": "feature/fast"}),
        )
        .await;
        assert!(
            rules(&view, "deny").contains(&"production_from_protected_branches".to_string()),
            "{view}"
        );
    })
}

#[test]
fn production_secrets_iam_and_ingress_escalate_to_tier_1() {
    run(async {
        let app = TestApp::spawn().await;
        let dev = app.client_as(Some("developer")).await;
        let (_, deploy) = preview(
            &dev,
            &app,
            "production-deploy",
            json!({"service": "checkout-api", "image": "registry.example.com/payments/checkout-api"}),
        )
        .await;
        assert_eq!(deploy["blocked"], false, "{deploy}");
        assert_eq!(deploy["tier"], 1);
        assert!(
            deploy["approval"]
                .as_str()
                .unwrap()
                .contains("security reviewer")
        );
        assert!(rules(&deploy, "escalate").contains(&"touches_production".to_string()));
        let (_, staging) = preview(
            &dev,
            &app,
            "production-deploy",
            json!({"service": "checkout-api", "image": "registry.example.com/payments/checkout-api", "environment": "staging"}),
        )
        .await;
        assert_eq!(staging["tier"], 2, "{staging}");
        assert!(
            staging["approval"]
                .as_str()
                .unwrap()
                .contains("team-platform")
        );
        let (_, job) = preview(
            &dev,
            &app,
            "scheduled-job",
            json!({"name": "nightly", "namespace": "payments-jobs", "image": "registry.example.com/payments/reconcile:1.4.2",
                   "command": "reconcile --since 24h", "secrets": ["reconcile-db"]}),
        )
        .await;
        assert_eq!(
            (job["tier"].as_u64(), rules(&job, "escalate")),
            (Some(1), vec!["touches_secrets".to_string()])
        );
        // The namespace decides, whatever the environment parameter says.
        let (_, quiet) = preview(
            &dev,
            &app,
            "scheduled-job",
            json!({"name": "nightly", "namespace": "payments-jobs", "image": "registry.example.com/payments/reconcile:1.4.2",
                   "command": "reconcile --since 24h", "environment": "staging"}),
        )
        .await;
        assert_eq!(quiet["tier"], 3, "{quiet}");
        let (_, prod) = preview(
            &dev,
            &app,
            "scheduled-job",
            json!({"name": "nightly", "namespace": "payments", "image": "registry.example.com/payments/reconcile:1.4.2",
                   "command": "reconcile --since 24h", "environment": "staging"}),
        )
        .await;
        assert_eq!(
            (prod["tier"].as_u64(), rules(&prod, "escalate")),
            (Some(1), vec!["touches_production".to_string()])
        );
        let (_, system) = preview(
            &dev,
            &app,
            "scheduled-job",
            json!({"name": "nightly", "namespace": "kube-system", "image": "registry.example.com/payments/reconcile:1.4.2",
                   "command": "reconcile"}),
        )
        .await;
        assert_eq!(
            rules(&system, "deny"),
            vec!["no_system_namespaces".to_string()]
        );
        let (_, open) = preview(
            &dev,
            &app,
            "sandbox-environment",
            json!({"name": "demo", "expose_ingress": true}),
        )
        .await;
        assert_eq!(
            (open["tier"].as_u64(), rules(&open, "escalate")),
            (Some(1), vec!["opens_ingress".to_string()])
        );
        let (_, iam) = preview(
            &dev,
            &app,
            "terraform-pipeline",
            json!({"stack": "payments-iam", "role_arn": "arn:aws:iam::123456789012:role/tf", "environment": "dev", "manages_iam": true}),
        )
        .await;
        assert_eq!(
            (iam["tier"].as_u64(), rules(&iam, "escalate")),
            (Some(1), vec!["touches_iam".to_string()])
        );
    })
}

#[test]
fn bad_parameters_are_reported_on_each_field() {
    run(async {
        let app = TestApp::spawn().await;
        let dev = app.client_as(Some("developer")).await;
        let (status, view) = preview(
            &dev,
            &app,
            "sandbox-environment",
            json!({"name": "Bad Name!", "ttl_hours": 1000, "size": "huge", "colour": "red"}),
        )
        .await;
        assert_eq!(status, 422);
        let errors = &view["field_errors"];
        assert!(
            errors["name"].as_str().unwrap().starts_with("must match"),
            "{errors}"
        );
        assert_eq!(errors["ttl_hours"], "must be from 1 to 168");
        assert_eq!(errors["size"], "must be one of: small, medium, large");
        assert!(
            errors["colour"]
                .as_str()
                .unwrap()
                .starts_with("unknown parameter")
        );
        assert!(view["files"].as_array().unwrap().is_empty());
        // Broken JSON gets a 400 that says what to send.
        let resp = dev
            .post(app.url("/api/v1/templates/sandbox-environment/preview"))
            .header("content-type", "application/json")
            .body("{\"parameters\": [1,2]}")
            .send()
            .await
            .unwrap();
        let (status, message) = api_error(resp).await;
        assert_eq!(status, 400);
        assert!(message.contains("\"parameters\""), "{message}");
    })
}

#[test]
fn secrets_typed_into_a_form_are_found_in_the_rendered_files() {
    run(async {
        let app = TestApp::spawn().await;
        let dev = app.client_as(Some("developer")).await;
        let (_, view) = preview(
            &dev,
            &app,
            "scheduled-job",
            json!({"name": "nightly", "namespace": "payments", "image": "registry.example.com/payments/reconcile:1",
                   "command": "AWS_ACCESS_KEY_ID=AKIAQ3EGRXC7N5V2PJ4T reconcile"}),
        )
        .await;
        assert_eq!(view["blocked"], true);
        let denial = view["policy"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rule"] == "no_plaintext_secrets")
            .expect("denied");
        assert!(
            denial["message"]
                .as_str()
                .unwrap()
                .contains("aws-access-key"),
            "{denial}"
        );
        assert!(
            !denial["message"]
                .as_str()
                .unwrap()
                .contains("AKIAQ3EGRXC7N5V2PJ4T")
        );
    })
}

#[test]
fn the_page_form_and_the_api_agree_and_unchecked_boxes_mean_false() {
    run(async {
        let app = TestApp::spawn().await;
        let dev = app.client_as(Some("developer")).await;
        // The page's server function gets the form as typed: the clippy box left unchecked.
        let view = rpc_json(
            &dev,
            &app,
            "preview",
            &[
                ("form[template]", "rust-service-ci"),
                ("form[values][0][0]", "service"),
                ("form[values][0][1]", "checkout-api"),
                ("form[values][1][0]", "timeout_minutes"),
                ("form[values][1][1]", "45"),
            ],
        )
        .await;
        assert_eq!(view["values"]["clippy"], "false", "{view}");
        let content = view["files"][0]["content"].as_str().unwrap();
        assert!(!content.contains("cargo clippy"));
        assert!(content.contains("timeout-minutes: 45"));
        // Over the API an absent bool takes its default.
        let (_, api) = preview(
            &dev,
            &app,
            "rust-service-ci",
            json!({"service": "checkout-api"}),
        )
        .await;
        assert!(
            api["files"][0]["content"]
                .as_str()
                .unwrap()
                .contains("cargo clippy")
        );
        // The page renders without JavaScript, with the preview.
        let html = dev
            .get(app.url("/templates/rust-service-ci?preview=1&service=checkout-api&extra_actions=Swatinem%2Frust-cache%40v2"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("Blocked by policy"), "{html}");
        assert!(html.contains("actions_pinned/actions_pinned_to_sha"));
        let list = dev
            .get(app.url("/templates?kind=sandbox"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(list.contains("Sandbox environment") && !list.contains("Terraform plan"));
    })
}

#[test]
fn tokens_need_the_requests_scope_and_anonymous_callers_sign_in() {
    run(async {
        let app = TestApp::spawn().await;
        let reader = app.create_token("ci", "developers", "runbooks:read");
        let writer = app.create_token("ci", "developers", "requests:write");
        let client = reqwest::Client::new();
        let status = |token: String| {
            let client = client.clone();
            let url = app.url("/api/v1/templates");
            async move {
                client
                    .get(url)
                    .bearer_auth(token)
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }
        };
        assert_eq!(status(reader).await, 403);
        assert_eq!(status(writer.clone()).await, 200);
        let anonymous = client
            .get(app.url("/api/v1/templates"))
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), 401);
        let resp = client
            .post(app.url("/api/v1/templates/sandbox-environment/preview"))
            .bearer_auth(&writer)
            .json(&json!({"parameters": {"name": "ci-box"}}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
    })
}

#[test]
fn the_openapi_document_describes_every_api_route() {
    run(async {
        let app = TestApp::spawn().await;
        let resp = reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap();
        assert_eq!(resp.status(), 200);
        let doc: Value = resp.json().await.unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        // Every `/api/v1` route and method the routers declare is documented.
        let mut missing = Vec::new();
        for entry in std::fs::read_dir(common::repo_root().join("server/src/routes")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // `.route("…"` or, where rustfmt broke the line, `.route(\n    "…"`.
            for piece in text.split(".route(").skip(1) {
                let Some(piece) = piece.trim_start().strip_prefix('"') else {
                    continue;
                };
                let route = &piece[..piece.find('"').unwrap()];
                if !route.starts_with("/api/v1/") {
                    continue;
                }
                let handlers = &piece[..piece.find(")\n").unwrap_or(piece.len())];
                for method in ["get", "post"] {
                    let declared = handlers.contains(&format!("{method}("))
                        || handlers.contains(&format!(".{method}("));
                    if declared && doc["paths"][route][method].is_null() {
                        missing.push(format!("{method} {route}"));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "undocumented in server/src/routes/openapi.json: {missing:?}"
        );
        // References resolve.
        let text = doc.to_string();
        for name in text.split("#/components/schemas/").skip(1) {
            let name = &name[..name.find('"').unwrap()];
            assert!(
                !doc["components"]["schemas"][name].is_null(),
                "missing schema {name}"
            );
        }
    })
}
