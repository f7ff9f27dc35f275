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
use serde_json::json;

use crate::access::Principal;
use crate::auth::Identity;
use crate::auth::authz::{Action, Resource};
use crate::auth::scopes::Scope;
use crate::auth::tokens::{NewToken, TokenInfo, parse_ttl};
use crate::error::AppError;
use crate::routes::urlencode;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/tokens", get(list).post(create))
        .route("/api/v1/tokens/{id}/revoke", post(revoke))
        .route("/tokens/create", post(create_from_form))
        .route("/tokens/revoke", post(revoke_from_form))
}

fn db_err(e: sea_orm::DbErr) -> AppError {
    AppError::Internal(e.into())
}

fn token_json(t: &TokenInfo) -> serde_json::Value {
    json!({
        "id": t.id,
        "name": t.name,
        "owner": t.owner,
        "scopes": t.scopes,
        "groups": t.groups,
        "created_at": t.created_at,
        "expires_at": t.expires_at,
        "last_used_at": t.last_used_at,
        "revoked_at": t.revoked_at,
    })
}

async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<serde_json::Value>, AppError> {
    let subject = principal
        .who
        .as_ref()
        .map(|w| w.subject.clone())
        .unwrap_or_default();
    let all = params.get("all").is_some_and(|v| v == "1" || v == "true");
    // Everyone's tokens: only someone who may manage any owner's tokens.
    let owner = if all { "*" } else { subject.as_str() };
    state
        .guard
        .require(
            &principal,
            Action::ManageTokens,
            Resource::TokensOf(owner),
            "tokens",
        )
        .await?;
    let tokens = state
        .tokens
        .list((!all).then_some(subject.as_str()))
        .await
        .map_err(db_err)?;
    Ok(Json(
        json!({ "tokens": tokens.iter().map(token_json).collect::<Vec<_>>() }),
    ))
}

#[derive(Deserialize)]
pub struct CreateToken {
    pub name: String,
    pub scopes: Vec<String>,
    pub ttl: String,
}

/// Checks a token request; the message says what to fix.
pub fn new_token(who: &Identity, req: &CreateToken) -> Result<NewToken, AppError> {
    let name = req.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::BadRequest(
            "name the token (1 to 100 characters), for example `ci-deploy`".into(),
        ));
    }
    let scopes = Scope::parse_list(&req.scopes.join(",")).map_err(AppError::BadRequest)?;
    let ttl = parse_ttl(&req.ttl).map_err(AppError::BadRequest)?;
    Ok(NewToken {
        name: name.to_string(),
        owner: who.subject.clone(),
        owner_name: who.name.clone(),
        groups: who.groups.clone(),
        scopes,
        ttl,
        created_by: who.subject.clone(),
    })
}

/// Creates a token for the signed-in caller; returns its id, the token and its expiry.
async fn create_token(
    state: &AppState,
    principal: &Principal,
    req: &CreateToken,
) -> Result<(String, String, chrono::DateTime<chrono::Utc>), AppError> {
    let subject = principal
        .who
        .as_ref()
        .map(|w| w.subject.clone())
        .unwrap_or_default();
    let who = state
        .guard
        .require(
            principal,
            Action::ManageTokens,
            Resource::TokensOf(&subject),
            "tokens",
        )
        .await?;
    let new = new_token(who, req)?;
    let (id, token) = state
        .tokens
        .issue(&state.audit, who, &principal.origin, &new, &req.ttl)
        .await
        .map_err(db_err)?;
    Ok((id, token, chrono::Utc::now() + new.ttl))
}

async fn create(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Json(req): Json<CreateToken>,
) -> Result<Json<serde_json::Value>, AppError> {
    let (id, token, expires_at) = create_token(&state, &principal, &req).await?;
    Ok(Json(json!({
        "id": id,
        "token": token,
        "expires_at": expires_at,
        "note": "copy the token now: it is not shown again",
    })))
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
    let req = CreateToken {
        name: field("name"),
        scopes: fields
            .iter()
            .filter(|(k, _)| k == "scopes")
            .map(|(_, v)| v.clone())
            .collect(),
        ttl: field("ttl"),
    };
    match create_token(&state, &principal, &req).await {
        Ok((_, token, _)) => {
            let cookie = super::auth::scoped_cookie(
                &state,
                app::api::NEW_TOKEN_COOKIE,
                token,
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
        Err(AppError::BadRequest(message)) => {
            Ok(Redirect::to(&format!("/tokens?error={}", urlencode(&message))).into_response())
        }
        Err(other) => Err(other),
    }
}

/// Revokes a token if the caller owns it or is an admin. Others' tokens look unknown.
async fn revoke_token(state: &AppState, principal: &Principal, id: &str) -> Result<(), AppError> {
    let owner = state.tokens.owner_of(id).await.map_err(db_err)?;
    let Some(owner) = owner else {
        return Err(if principal.who.is_some() {
            AppError::NotFound
        } else {
            AppError::Unauthenticated
        });
    };
    let who = state
        .guard
        .require(
            principal,
            Action::ManageTokens,
            Resource::TokensOf(&owner),
            &format!("token:{id}"),
        )
        .await
        .map_err(|d| match d {
            crate::access::Denied::Forbidden => AppError::NotFound,
            d => AppError::from(d),
        })?;
    state
        .tokens
        .withdraw(&state.audit, who, &principal.origin, id)
        .await
        .map_err(db_err)?;
    Ok(())
}

async fn revoke(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, AppError> {
    revoke_token(&state, &principal, &id).await?;
    Ok(Json(json!({ "id": id, "revoked": true })))
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
    revoke_token(&state, &principal, &form.id).await?;
    Ok(Redirect::to("/tokens?notice=revoked").into_response())
}
