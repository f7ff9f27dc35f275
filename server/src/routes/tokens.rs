//! API tokens over HTTP, for people signed in to the portal (a token cannot manage tokens).
//!
//! - `GET /api/v1/tokens` — your tokens (`?all=1`: everyone's, admins only)
//! - `POST /api/v1/tokens` — `{"name":"…","scopes":["runbooks:read"],"ttl":"30d"}`; the
//!   answer holds the token, shown this once
//! - `POST /api/v1/tokens/{id}/revoke`
//! - `POST /tokens/create` and `POST /tokens/revoke`: the same from the tokens page's forms

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Json, Router};
use serde::Deserialize;

use crate::access::Principal;
use crate::contracts::tokens::{IssuedJson, RevokedJson, TokenListJson};
use crate::error::AppError;
use crate::portal::tokens::{TokenForm, Whose};
use crate::routes::urlencode;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/tokens", get(list).post(create))
        .route("/api/v1/tokens/{id}/revoke", post(revoke))
        .route("/tokens/create", post(create_from_form))
        .route("/tokens/revoke", post(revoke_from_form))
}

async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<TokenListJson>, AppError> {
    let all = params.get("all").is_some_and(|v| v == "1" || v == "true");
    let whose = if all { Whose::Everyone } else { Whose::Mine };
    let (tokens, _) = state.tokens.list(&principal, whose).await?;
    Ok(Json(TokenListJson::new(&tokens)))
}

#[derive(Deserialize)]
struct CreateToken {
    name: String,
    scopes: Vec<String>,
    ttl: String,
}

async fn create(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Json(req): Json<CreateToken>,
) -> Result<Json<IssuedJson>, AppError> {
    let form = TokenForm {
        name: req.name,
        scopes: req.scopes,
        ttl: req.ttl,
    };
    let issued = state.tokens.create(&principal, &form).await?;
    Ok(Json(issued.into()))
}

/// The browser form: the new token travels to the tokens page in a one-time cookie (never
/// in a URL, never stored on the server), and the page clears it as it shows it.
async fn create_from_form(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let form = TokenForm {
        name: field("name"),
        scopes: fields
            .iter()
            .filter(|(k, _)| k == "scopes")
            .map(|(_, v)| v.clone())
            .collect(),
        ttl: field("ttl"),
    };
    match state.tokens.create(&principal, &form).await {
        Ok(issued) => {
            let cookie = super::auth::scoped_cookie(
                &state,
                app::api::NEW_TOKEN_COOKIE,
                issued.token,
                "/tokens",
                cookie::time::Duration::seconds(120),
                cookie::SameSite::Strict,
            );
            let mut response = Redirect::to("/tokens").into_response();
            response
                .headers_mut()
                .append(http::header::SET_COOKIE, cookie);
            Ok(response)
        }
        Err(app::error::PortalError::BadRequest(message)) => {
            Ok(Redirect::to(&format!("/tokens?error={}", urlencode(&message))).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

async fn revoke(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<RevokedJson>, AppError> {
    state.tokens.revoke(&principal, &id).await?;
    Ok(Json(RevokedJson { id, revoked: true }))
}

#[derive(Deserialize)]
struct RevokeForm {
    id: String,
}

async fn revoke_from_form(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Form(form): Form<RevokeForm>,
) -> Result<Response, AppError> {
    state.tokens.revoke(&principal, &form.id).await?;
    Ok(Redirect::to("/tokens?notice=revoked").into_response())
}
