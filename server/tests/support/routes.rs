//! Every route and server function with a concrete request for it and who may call it: the
//! table the access test checks role by role and the hostile-input test walks route by route.
//! `declared_routes` reads the source, so a route added without a row fails both.

#![allow(dead_code)]

use std::collections::BTreeSet;

use server::auth::authz::{Action, Resource, can};
use server::auth::dev_login::persona;
use server::auth::roles::RoleMap;

use crate::common::repo_root;

/// Callers tried against every route: anonymous, then one persona per role.
pub const CALLERS: [Option<&str>; 6] = [
    None,
    Some("developer"),
    Some("approver"),
    Some("security"),
    Some("oncall"),
    Some("admin"),
];

/// What a caller gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Served: not 401, 403, 429 or a redirect to sign-in.
    Allow,
    /// 401, or for page views a redirect to the sign-in page.
    SignIn,
    /// 403: signed in, but the role does not allow it.
    Forbidden,
    /// 404: the route exists only when single sign-on is configured.
    NotHere,
}

pub use Expect::*;

pub struct Case {
    pub method: &'static str,
    /// The route as written in the router (matched against the source).
    pub route: &'static str,
    /// A concrete path to request.
    pub path: &'static str,
    pub body: Option<&'static str>,
    /// Expectations in the order of [`CALLERS`].
    pub expect: [Expect; 6],
}

pub const EVERYONE_SIGNED_IN: [Expect; 6] = [SignIn, Allow, Allow, Allow, Allow, Allow];
pub const PUBLIC: [Expect; 6] = [Allow; 6];

/// What the policy grants each caller: anonymous callers are asked to sign in, a persona the
/// policy (`server::auth::authz::POLICY`, pinned by its own unit test) does not grant gets
/// 403. Role-dependent rows read their expectations from here rather than repeating them.
pub fn granted_on(action: Action, resource: Resource<'_>) -> [Expect; 6] {
    let mut out = [SignIn; 6];
    for (i, who) in CALLERS.iter().enumerate() {
        let Some(id) = who else { continue };
        let identity = persona(id).expect("persona").identity(&RoleMap::default());
        out[i] = if can(Some(&identity), action, resource) {
            Allow
        } else {
            Forbidden
        };
    }
    out
}

pub fn granted(action: Action) -> [Expect; 6] {
    granted_on(action, Resource::Portal)
}

/// Something that does not exist, behind `action`: those granted learn that, nobody else does.
pub fn granted_but_missing(action: Action) -> [Expect; 6] {
    granted(action).map(|e| if e == Allow { NotHere } else { e })
}
/// Something that does not exist: only signed-in callers learn that.
pub const SIGNED_IN_NOT_HERE: [Expect; 6] = [SignIn, NotHere, NotHere, NotHere, NotHere, NotHere];

pub fn cases() -> Vec<Case> {
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
            granted(Action::ViewAudit),
        ),
        case(
            "GET",
            "/api/v1/audit/export",
            "/api/v1/audit/export",
            None,
            granted(Action::ViewAudit),
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
            granted_on(Action::ManageTokens, Resource::TokensOf("someone-else")),
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
            granted(Action::ViewAudit),
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
            granted(Action::ReviewDrafts),
        ),
        case(
            "POST",
            "draft",
            "/rpc/draft",
            Some("id=nope"),
            granted_but_missing(Action::ReviewDrafts),
        ),
        case(
            "POST",
            "decide_draft",
            "/rpc/decide_draft",
            Some("decision[id]=nope&decision[decision]=reject&decision[reason]=no"),
            granted_but_missing(Action::ReviewDrafts),
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
            granted(Action::ReviewDrafts),
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
        case(
            "GET",
            "/drafts",
            "/drafts",
            None,
            granted(Action::ReviewDrafts),
        ),
        case(
            "GET",
            "/drafts/:id",
            "/drafts/nope",
            None,
            granted_but_missing(Action::ReviewDrafts),
        ),
        case("GET", "/status", "/status", None, EVERYONE_SIGNED_IN),
        case("GET", "/signin", "/signin", None, PUBLIC),
        case("GET", "/audit", "/audit", None, granted(Action::ViewAudit)),
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
pub fn declared_routes() -> BTreeSet<String> {
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
