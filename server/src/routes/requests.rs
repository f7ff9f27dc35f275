//! Requests over JSON, authorized exactly like the pages (the same functions serve both):
//! `POST /api/v1/requests` `{"template","parameters"}`, `GET /api/v1/requests` (mine),
//! `GET /api/v1/requests/inbox` (what waits for my decision), `GET /api/v1/requests/{id}`,
//! `POST …/{id}/approve`, `…/reject` `{"reason"}`, `…/cancel`, and (admins)
//! `POST …/{id}/deliveries/{delivery}/resend` for a failed notification.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use chrono::Utc;
use serde::Deserialize;

use crate::access::Principal;
use crate::contracts::requests::{RequestJson, RequestListJson};
use crate::error::AppError;
use crate::portal::requests::Decision;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/requests", post(submit).get(mine))
        .route("/api/v1/requests/inbox", get(inbox))
        .route("/api/v1/requests/{id}", get(one))
        .route("/api/v1/requests/{id}/approve", post(approve))
        .route("/api/v1/requests/{id}/reject", post(reject))
        .route("/api/v1/requests/{id}/cancel", post(cancel))
        .route("/api/v1/requests/{id}/bundle", get(bundle))
        .route(
            "/api/v1/requests/{id}/deliveries/{delivery}/resend",
            post(resend),
        )
}

/// The signed bundle of a fulfilled request, as a download.
async fn bundle(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (name, text) = state.requests.bundle(&principal, &id).await?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| AppError::Internal(e.into()))?;
    let body = serde_json::to_string_pretty(&value).map_err(|e| AppError::Internal(e.into()))?;
    Ok((
        [
            (
                http::header::CONTENT_TYPE,
                crate::requests::bundle::MEDIA_TYPE.to_string(),
            ),
            (
                http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SubmitBody {
    template: String,
    #[serde(default)]
    parameters: BTreeMap<String, serde_json::Value>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RejectBody {
    #[serde(default)]
    reason: String,
}

fn json_body<T: serde::de::DeserializeOwned>(body: &[u8], shape: &str) -> Result<T, AppError> {
    serde_json::from_slice(body)
        .map_err(|e| AppError::BadRequest(format!("invalid JSON: {e}; send {shape}")))
}

async fn submit(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let body: SubmitBody = json_body(&body, "{\"template\": \"<id>\", \"parameters\": {…}}")?;
    let view = state
        .requests
        .submit(&principal, &body.template, body.parameters)
        .await?;
    Ok((StatusCode::CREATED, Json(RequestJson::from(&view))).into_response())
}

async fn mine(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Result<Response, AppError> {
    let listed = state.requests.mine(&principal).await?;
    Ok(Json(RequestListJson::new(&listed, Utc::now())).into_response())
}

async fn inbox(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Result<Response, AppError> {
    let listed = state.requests.inbox(&principal).await?;
    Ok(Json(RequestListJson::new(&listed, Utc::now())).into_response())
}

async fn one(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let shown = state.requests.view(&principal, &id).await?;
    Ok(Json(RequestJson::from(&shown)).into_response())
}

async fn decide(
    state: &AppState,
    principal: &Principal,
    id: &str,
    decision: Decision<'_>,
) -> Result<Response, AppError> {
    let view = state.requests.decide(principal, id, decision).await?;
    Ok(Json(RequestJson::from(&view)).into_response())
}

async fn approve(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    decide(&state, &principal, &id, Decision::Approve).await
}

async fn reject(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let body: RejectBody = if body.is_empty() {
        RejectBody::default()
    } else {
        json_body(&body, "{\"reason\": \"…\"}")?
    };
    decide(
        &state,
        &principal,
        &id,
        Decision::Reject {
            reason: &body.reason,
        },
    )
    .await
}

async fn cancel(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    decide(&state, &principal, &id, Decision::Cancel).await
}

async fn resend(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, delivery)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let view = state
        .requests
        .resend_notification(&principal, &id, &delivery)
        .await?;
    Ok(Json(RequestJson::from(&view)).into_response())
}
