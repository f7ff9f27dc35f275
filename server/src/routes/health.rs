//! Liveness, readiness and metrics for orchestrators and Prometheus.

use axum::Json;
use axum::Router;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::json;

use secrecy::ExposeSecret;

use crate::error::AppError;
use crate::state::AppState;

/// Where Prometheus scrapes; it takes its own bearer token, not an API token.
pub const METRICS: &str = "/metrics";
/// The paths orchestrators and scrapers call by whatever name they know the server by.
pub const PROBES: &[&str] = &["/healthz", "/readyz", METRICS];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route(METRICS, get(metrics))
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// The database answers and the index has been loaded.
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let database = state.db.ping().await.is_ok();
    let index = state.library.last_refresh().is_some();
    let status = if database && index {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let word = |ok: bool| if ok { "ok" } else { "unavailable" };
    (
        status,
        Json(json!({ "database": word(database), "index": word(index) })),
    )
}

/// The metrics, for whoever holds `GATEHOUSE_METRICS_TOKEN` (as a bearer token) or, without
/// a configured token, for clients on this machine only: the counts describe the whole index,
/// restricted runbooks included, so they are for operators, not for every signed-in user.
async fn metrics(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, AppError> {
    let allowed = match &state.config.metrics_token {
        Some(token) => headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| {
                crate::hashing::constant_time_eq(
                    given.trim().as_bytes(),
                    token.expose_secret().as_bytes(),
                )
            }),
        None => peer.ip().is_loopback() && !headers.contains_key("x-forwarded-for"),
    };
    if !allowed {
        return Err(AppError::Unauthenticated);
    }
    let metrics = state.metrics.clone();
    let library = state.library.clone();
    let body = tokio::task::spawn_blocking(move || metrics.render(&library))
        .await
        .unwrap_or_default();
    Ok((
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        body,
    ))
}
