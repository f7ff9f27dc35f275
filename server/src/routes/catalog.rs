//! The catalog over JSON: `GET /api/v1/templates` (with `q`, `kind`, `tag`),
//! `GET /api/v1/templates/{id}` and `POST /api/v1/templates/{id}/preview` with
//! `{"parameters": {...}}`. Authorized like the pages (`requests:write` for tokens).

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::Deserialize;

use crate::access::Principal;
use crate::contracts::templates::{PreviewJson, TemplateJson, TemplateListJson};
use crate::error::AppError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/templates", get(list))
        .route("/api/v1/templates/{id}", get(one))
        .route("/api/v1/templates/{id}/preview", post(preview))
}

async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Query(query): Query<app::dto::CatalogQuery>,
) -> Result<Response, AppError> {
    let requester = state.templates.requester(&principal).await?;
    let (page, templates) = state.templates.list(&requester, &query);
    Ok(Json(TemplateListJson::new(&page, templates)).into_response())
}

async fn one(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let requester = state.templates.requester(&principal).await?;
    let template = state.templates.template(&requester, &id)?;
    Ok(Json(TemplateJson::from(template)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PreviewBody {
    #[serde(default)]
    parameters: BTreeMap<String, serde_json::Value>,
}

async fn preview(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let requester = state.templates.requester(&principal).await?;
    let body: PreviewBody = if body.is_empty() {
        PreviewBody {
            parameters: BTreeMap::new(),
        }
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            AppError::BadRequest(format!(
                "invalid JSON: {e}; send {{\"parameters\": {{\"name\": value, …}}}}"
            ))
        })?
    };
    let view = state
        .templates
        .preview(&requester, &id, body.parameters)
        .await?;
    let status = if view.field_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Json(PreviewJson::from(view))).into_response())
}
