//! Liveness, readiness and metrics for orchestrators and Prometheus.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::json;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
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

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let metrics = state.metrics.clone();
    let library = state.library.clone();
    let body = tokio::task::spawn_blocking(move || metrics.render(&library))
        .await
        .unwrap_or_default();
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        body,
    )
}
