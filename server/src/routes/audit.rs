//! The audit log over HTTP: the public key that checks checkpoints, and the events for
//! auditors as JSON or JSON Lines.
//!
//! - `GET /.well-known/gatehouse/audit-key` (public)
//! - `GET /api/v1/audit/events?actor=&action=&target=&since=&until=&before=&limit=`
//! - `GET /api/v1/audit/export?…` — every matching event, oldest first, one JSON per line

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde_json::json;

use crate::access::Principal;
use crate::audit::query::Filter;
use crate::audit::signing::public_key_text;
use crate::contracts::audit::EventsJson;
use crate::error::AppError;
use crate::state::AppState;

/// Events per page on the events endpoint (and its most).
const DEFAULT_LIMIT: u64 = 100;
const MAX_LIMIT: u64 = 1000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/.well-known/gatehouse/audit-key", get(public_key))
        .route("/api/v1/audit/events", get(events))
        .route("/api/v1/audit/export", get(export))
}

async fn public_key(State(state): State<AppState>) -> Json<serde_json::Value> {
    let key = state.audit.key();
    Json(json!({
        "algorithm": "ed25519",
        "key_id": key.key_id(),
        "public_key": public_key_text(&key.public()),
        "signs": "gatehouse-audit-checkpoint-v1\\n<seq>\\n<hash>\\n",
    }))
}

/// The filter from query parameters; a bad value is a 400 that names it.
pub fn filter_from(params: &HashMap<String, String>) -> Result<Filter, AppError> {
    let get = |k: &str| params.get(k).map(String::as_str);
    Filter::parse(
        get("actor"),
        get("action"),
        get("target"),
        get("since"),
        get("until"),
        get("before"),
    )
    .map_err(AppError::BadRequest)
}

async fn events(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<EventsJson>, AppError> {
    let auditor = state.audit_trail.auditor(&principal).await?;
    let filter = filter_from(&params)?;
    let limit = match params
        .get("limit")
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
    {
        None => DEFAULT_LIMIT,
        Some(v) => match v.parse::<u64>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                return Err(AppError::BadRequest(format!(
                    "limit `{v}` must be a whole number from 1 to {MAX_LIMIT}"
                )));
            }
        },
    };
    let events = state.audit_trail.newest(&auditor, &filter, limit).await?;
    Ok(Json(EventsJson { events }))
}

/// Streams every matching event as JSON Lines, a page at a time.
async fn export(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let auditor = state.audit_trail.auditor(&principal).await?;
    let filter = filter_from(&params)?;
    let as_sent = serde_json::to_value(&params).map_err(|e| AppError::Internal(e.into()))?;
    let export = state.audit_trail.export(auditor, filter, as_sent).await?;
    Ok((
        [
            (
                http::header::CONTENT_TYPE,
                "application/x-ndjson; charset=utf-8",
            ),
            (
                http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"gatehouse-audit.jsonl\"",
            ),
        ],
        Body::from_stream(export.json_lines()),
    )
        .into_response())
}
