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
use crate::audit::Event;
use crate::audit::query::{self, Filter};
use crate::audit::signing::public_key_text;
use crate::auth::authz::{Action, Resource};
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
) -> Result<Json<serde_json::Value>, AppError> {
    state
        .guard
        .require(&principal, Action::ViewAudit, Resource::Portal, "audit")
        .await?;
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
    let events = query::newest(&state.db, &filter, limit)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(Json(json!({ "events": events })))
}

/// Streams every matching event as JSON Lines, a page at a time.
async fn export(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    state
        .guard
        .require(&principal, Action::ViewAudit, Resource::Portal, "audit")
        .await?;
    let filter = filter_from(&params)?;
    let who = principal.who.as_ref();
    let event = Event::new(who, "audit.export", "audit")
        .origin(&principal.origin)
        .details(json!({ "filter": params }));
    state
        .audit
        .record(&state.db, &event)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let db = state.db.clone();
    let stream = futures_util::stream::try_unfold(0i64, move |after| {
        let (db, filter) = (db.clone(), filter.clone());
        async move {
            let page = query::page_after(&db, &filter, after, 500).await?;
            let Some(last) = page.last().map(|e| e.seq) else {
                return Ok::<_, sea_orm::DbErr>(None);
            };
            let mut chunk = String::new();
            for event in &page {
                chunk.push_str(&serde_json::to_string(event).unwrap_or_default());
                chunk.push('\n');
            }
            Ok(Some((chunk, last)))
        }
    });
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
        Body::from_stream(stream),
    )
        .into_response())
}
