//! HTTP routes. Each area has its own `router()`; [`router`] merges them with the Leptos
//! pages and the middleware stack.

pub mod alerts;
pub mod api;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod caller;
pub mod catalog;
pub mod deployments;
pub mod health;
pub mod limits;
pub mod pages;
pub mod requests;
pub mod security;
pub mod tokens;

use axum::Router;
use axum::middleware;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;

/// No request may take longer than this; a stuck one answers 503 instead of hanging.
const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);
use tower_http::trace::TraceLayer;

use crate::state::AppState;

/// The whole application router.
pub fn router(state: AppState) -> Router {
    let x_request_id = http::HeaderName::from_static("x-request-id");
    Router::new()
        .merge(health::router())
        .merge(api::router())
        .merge(alerts::router())
        .merge(auth::router())
        .merge(audit::router())
        .merge(tokens::router())
        .merge(deployments::router())
        .merge(catalog::router())
        .merge(requests::router())
        .merge(assets::router())
        .merge(pages::router(&state))
        // A handler that panics answers 500 (and is logged) instead of dropping the
        // connection without a word.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                use axum::response::IntoResponse;
                crate::error::AppError::Internal(anyhow::anyhow!("a handler panicked"))
                    .into_response()
            },
        ))
        .layer(TimeoutLayer::with_status_code(
            http::StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::same_origin,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::metrics::track,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            caller::resolve,
        ))
        // Before the caller is resolved, so a flood of bad tokens is limited too.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            limits::enforce,
        ))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &http::Request<_>| {
                use crate::sanitizer::log_guard::{MAX_FIELD, bounded};
                let id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                // The path only: query strings may carry search text, kept out of logs. Every
                // field is the client's choice, so each is cut before it is logged.
                tracing::info_span!(
                    "request",
                    method = %bounded(req.method().as_str(), 16),
                    path = %bounded(req.uri().path(), MAX_FIELD),
                    request_id = %bounded(id, 64)
                )
            }),
        )
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::known_host,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .layer(PropagateRequestIdLayer::new(x_request_id.clone()))
        .layer(SetRequestIdLayer::new(x_request_id, MakeRequestUuid))
        .with_state(state)
}

/// Percent-encodes a path or query component (for the redirects several routes build).
pub fn urlencode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
