//! `POST /api/v1/deployments`: deployment notes from CI (a token with `notes:write`) or a
//! signed-in person. JSON in the documented shape, or `text/plain` notes (with `?service=`
//! or a `Service:` line). An `Idempotency-Key` header makes retries safe.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Json, Router};

use crate::access::Principal;
use crate::contracts::deployments::SubmittedJson;
use crate::deployments::Retry;
use crate::deployments::notes::{self, MAX_BODY, NotesJson};
use crate::error::AppError;
use crate::state::AppState;

/// Requests larger than this are refused before parsing (the notes limit plus room for JSON).
const MAX_REQUEST: usize = MAX_BODY + 16 * 1024;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/deployments", post(submit))
}

async fn submit(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let reporter = state.deployments.reporter(&principal).await?;
    if body.len() > MAX_REQUEST {
        return Err(AppError::TooLarge(format!(
            "the request is {} bytes; notes may be at most {MAX_BODY} bytes",
            body.len()
        )));
    }
    let key = match headers.get("idempotency-key").map(|v| v.to_str()) {
        None => None,
        Some(Ok(k)) if !k.trim().is_empty() && k.len() <= 200 => Some(k.trim()),
        Some(_) => {
            return Err(AppError::BadRequest(
                "Idempotency-Key must be 1 to 200 visible ASCII characters, like a UUID".into(),
            ));
        }
    };
    let content_type = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let raw: NotesJson = if content_type.starts_with("application/json") {
        serde_json::from_slice(&body).map_err(|e| {
            AppError::BadRequest(format!(
                "invalid JSON: {e}; expected {{\"service\",\"body\",…}} as the README documents"
            ))
        })?
    } else if content_type.starts_with("text/") {
        let text = std::str::from_utf8(&body)
            .map_err(|_| AppError::BadRequest("the notes are not valid UTF-8".into()))?;
        notes::from_plain_text(text, params.get("service").map(String::as_str))
    } else {
        return Err(AppError::BadRequest(
            "send Content-Type: application/json (the documented shape) or text/plain".into(),
        ));
    };
    let retry = Retry {
        key,
        request_hash: crate::hashing::sha256_hex(&[content_type.as_bytes(), b"\n", &body].concat()),
    };
    match state.deployments.submit(reporter, retry, raw).await {
        Ok(done) => {
            let status = if done.replayed {
                StatusCode::OK
            } else {
                StatusCode::CREATED
            };
            Ok((status, Json(SubmittedJson::from(&done))).into_response())
        }
        Err(err) => Err(err.into()),
    }
}
