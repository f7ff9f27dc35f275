//! The JSON API for tools: `GET /api/v1/runbooks/search?q=&service=&tag=&limit=`.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Extension, Json, Router};

use crate::access::Principal;
use crate::contracts::SearchJson;
use crate::error::AppError;
use crate::portal::{MAX_LIMIT, query_text};
use crate::state::AppState;
use app::dto::SearchQuery;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/runbooks/search", get(search))
        .route("/api/v1/openapi.json", get(openapi))
}

/// The OpenAPI 3.1 document of the JSON API (public, like the API's own error messages);
/// the test suite checks it lists every `/api/v1` route.
const OPENAPI: &str = include_str!("openapi.json");

async fn openapi() -> impl axum::response::IntoResponse {
    ([(http::header::CONTENT_TYPE, "application/json")], OPENAPI)
}

pub const DEFAULT_LIMIT: usize = 20;

/// Parses `limit`: a whole number from 1 to [`MAX_LIMIT`].
pub fn parse_limit(value: Option<&str>) -> Result<usize, AppError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(DEFAULT_LIMIT),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            _ => Err(AppError::BadRequest(format!(
                "limit `{v}` must be a whole number from 1 to {MAX_LIMIT}"
            ))),
        },
    }
}

#[tracing::instrument(skip_all)]
async fn search(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<SearchJson>, AppError> {
    let reader = state.runbooks.reader(&principal).await?;
    let limit = parse_limit(params.get("limit").map(String::as_str))?;
    let query = SearchQuery {
        q: params.get("q").cloned().unwrap_or_default(),
        service: params.get("service").cloned(),
        tag: params.get("tag").cloned(),
        limit: Some(limit),
    };
    let found = state
        .runbooks
        .search_flat(&reader, query_text(&query), limit)
        .await?;
    Ok(Json(SearchJson::from(&found)))
}
