//! Browser-facing protections on every response and request: security headers, a
//! Content-Security-Policy whose script nonce Leptos puts on its own inline scripts, and a
//! same-origin check on state-changing requests (CSRF).

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{self, HeaderValue};
use http::{HeaderMap, Method};

use crate::error::AppError;
use crate::state::AppState;

/// For anything that is not a page (JSON, files, redirects): nothing may run or embed it.
const DEFAULT_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// A page's policy: its own scripts and styles, the WASM bundle, and Leptos' inline
/// hydration scripts by nonce. No inline styles, no other origins, no framing. Forms post
/// to the portal only; `form_also` adds the identity provider's origin, because sign-out
/// posts here and is redirected there (browsers apply form-action to the redirect).
fn page_policy(nonce: &str, form_also: Option<&str>) -> String {
    let form = form_also.map_or_else(|| "'self'".to_string(), |o| format!("'self' {o}"));
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action {form}; frame-ancestors 'none'"
    )
}

/// The script nonce of one response, made by [`headers`] before anything renders.
#[derive(Clone, Debug)]
pub struct PageNonce(pub String);

/// Called in the Leptos context of each page render: Leptos puts the nonce [`headers`] made
/// for this request on its scripts, and [`headers`] sends the policy naming it. The header
/// does not travel through Leptos' response options, so no render path can leave a page
/// without its policy (one that did made the page unusable under the default policy).
pub fn provide_page_nonce() {
    use leptos::prelude::{provide_context, use_context};
    if let Some(nonce) = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<PageNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

fn fresh_nonce() -> String {
    use base64::Engine;
    let bytes: [u8; 16] = rand::random();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The identity provider's origin, which sign-out's form post is redirected to.
fn provider_origin(state: &AppState) -> Option<String> {
    state
        .config
        .oidc
        .as_ref()
        .and_then(|o| url::Url::parse(&o.issuer).ok())
        .map(|u| u.origin().ascii_serialization())
}

/// Headers every response carries; HSTS only when the portal is served over https.
/// Responses that set no caching of their own are never stored: pages and API answers hold
/// what one person may see (and, once, a new API token). Static files choose for themselves.
pub async fn headers(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let static_file = request.uri().path().starts_with("/pkg/");
    let nonce = fresh_nonce();
    request.extensions_mut().insert(PageNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if page
        && !response
            .headers()
            .contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(value) =
            HeaderValue::from_str(&page_policy(&nonce, provider_origin(&state).as_deref()))
    {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    let h = response.headers_mut();
    if !static_file && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DEFAULT_POLICY),
        );
    }
    if state.config.secure_cookies() {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

/// Refuses state-changing requests that a browser made for another site. Browsers send
/// `Sec-Fetch-Site` and `Origin` on such requests; tools (curl, CI jobs with a token) send
/// neither and have no ambient cookie to abuse, so they pass.
pub async fn same_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && cross_site(request.headers(), &state.config.public_url) {
        tracing::warn!(path = %request.uri().path(), "cross-site request refused");
        return AppError::CrossSite.into_response();
    }
    next.run(request).await
}

/// Refuses requests whose `Host` names neither the public URL nor loopback with 421: a page
/// that rebinds its own name to 127.0.0.1 reaches the server, but under its own name, so it
/// never gets a session (the development sign-in) or a page to read. Probes and scrapes
/// (`/healthz`, `/readyz`, `/metrics`) address the server by whatever name they have.
pub async fn known_host(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let probe = super::health::PROBES.contains(&request.uri().path());
    // A `Host` that is not text names no host of ours.
    let host = request
        .headers()
        .get(header::HOST)
        .map(|h| h.to_str().unwrap_or_default().to_string())
        .or_else(|| request.uri().authority().map(|a| a.to_string()));
    match host {
        Some(host) if !probe && !state.config.accepts_host(&host) => {
            tracing::warn!(host = %crate::sanitizer::log_guard::bounded(&host, 64), "request for another host refused");
            AppError::MisdirectedHost(state.config.public_url.host_str().unwrap_or("").to_string())
                .into_response()
        }
        _ => next.run(request).await,
    }
}

/// Whether a request came from a page of another origin.
fn cross_site(headers: &HeaderMap, public_url: &url::Url) -> bool {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = get("sec-fetch-site") {
        return !matches!(site, "same-origin" | "none");
    }
    let ours = public_url.origin().ascii_serialization();
    // Behind a proxy the public URL is the truth; on a laptop the Host header may differ
    // (localhost vs 127.0.0.1), so an origin naming this very host is ours too.
    let host_origin = get("host").map(|h| format!("{}://{h}", public_url.scheme()));
    let same = |origin: &str| origin == ours || Some(origin) == host_origin.as_deref();
    if let Some(origin) = get("origin") {
        return !same(origin);
    }
    if let Some(referer) = get("referer") {
        return url::Url::parse(referer)
            .map(|u| !same(&u.origin().ascii_serialization()))
            .unwrap_or(true);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).expect("ascii"));
        }
        h
    }

    #[test]
    fn cross_site_decisions() {
        let ours = url::Url::parse("https://portal.acme.io/").expect("url");
        /// Request headers, whether refused, why.
        type Case<'a> = (&'a [(&'static str, &'a str)], bool, &'a str);
        let cases: &[Case] = &[
            (&[], false, "tools send neither"),
            (&[("sec-fetch-site", "same-origin")], false, "own page"),
            (&[("sec-fetch-site", "cross-site")], true, "other site"),
            (
                &[("sec-fetch-site", "same-site")],
                true,
                "sibling subdomain",
            ),
            (&[("origin", "https://portal.acme.io")], false, "own origin"),
            (&[("origin", "https://evil.example")], true, "other origin"),
            (&[("origin", "null")], true, "opaque origin"),
            (
                &[("referer", "https://evil.example/form")],
                true,
                "other referer",
            ),
            (
                &[("referer", "https://portal.acme.io/runbooks")],
                false,
                "own referer",
            ),
            (
                &[
                    ("origin", "https://localhost:3000"),
                    ("host", "localhost:3000"),
                ],
                false,
                "the host it was reached by",
            ),
        ];
        for (pairs, refused, why) in cases {
            assert_eq!(cross_site(&headers(pairs), &ours), *refused, "{why}");
        }
    }
}
