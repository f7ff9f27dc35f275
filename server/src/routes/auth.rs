//! Sign-in and sign-out over plain links and form posts (they work without JavaScript).
//!
//! - `GET /auth/login?next=` starts single sign-on; `GET /auth/callback` completes it.
//! - `POST /auth/dev` signs in as a demo persona when the development sign-in is enabled.
//! - `POST /auth/signout` ends the session, and at the provider too when it offers that.
//!
//! Every sign-in, failed sign-in and sign-out is an audit event; a new session and its
//! event commit together.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use cookie::{Cookie, SameSite};
use serde::Deserialize;

use crate::access::Principal;
use crate::audit::{Event, Outcome};
use crate::auth::Identity;
use crate::auth::dev_login;
use crate::auth::oidc::{LOGIN_TTL_SECS, OidcError, PendingLogin};
use crate::auth::session::COOKIE;
use crate::auth::signin::Accounts;
use crate::error::AppError;
use crate::routes::caller::{cookie_value, session_token};
use crate::routes::urlencode;
use crate::state::AppState;

/// The cookie that carries a single sign-on in progress (state, nonce, PKCE verifier).
const LOGIN_COOKIE: &str = "gatehouse_oidc";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/login", get(sso_start))
        .route("/auth/callback", get(sso_callback))
        .route("/auth/dev", post(dev_signin))
        .route("/auth/signout", post(signout))
}

/// Redirect to the sign-in page, coming back to `next` afterwards.
pub fn signin_redirect(next: &str) -> Redirect {
    Redirect::to(&format!("/signin?next={}", urlencode(next)))
}

/// A same-origin path to return to after sign-in; anything else becomes `/` (no open redirects).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                // Browsers drop tabs and newlines from URLs: `/\t/evil` would become `//evil`.
                && !n.chars().any(|c| c.is_control() || c.is_whitespace()) =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

fn cookie_header(
    state: &AppState,
    name: &'static str,
    value: String,
    path: &'static str,
    max_age: cookie::time::Duration,
) -> HeaderValue {
    scoped_cookie(state, name, value, path, max_age, SameSite::Lax)
}

/// An HttpOnly cookie on `path`, `Secure` when the portal is served over https.
pub(super) fn scoped_cookie(
    state: &AppState,
    name: &'static str,
    value: String,
    path: &'static str,
    max_age: cookie::time::Duration,
    same_site: SameSite,
) -> HeaderValue {
    let c = Cookie::build((name, value))
        .http_only(true)
        .same_site(same_site)
        .secure(state.config.secure_cookies())
        .path(path)
        .max_age(max_age)
        .build();
    HeaderValue::from_str(&c.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn session_cookie(state: &AppState, token: String) -> HeaderValue {
    let age = cookie::time::Duration::seconds(state.config.session_ttl.num_seconds());
    cookie_header(state, COOKIE, token, "/", age)
}

fn expired(state: &AppState, name: &'static str, path: &'static str) -> HeaderValue {
    cookie_header(
        state,
        name,
        String::new(),
        path,
        cookie::time::Duration::ZERO,
    )
}

/// Starts a session for `who` (see [`Accounts::sign_in`]).
async fn start_session(
    state: &AppState,
    headers: &HeaderMap,
    principal: &Principal,
    who: &Identity,
) -> Result<Option<String>, AppError> {
    accounts(state)
        .sign_in(who, &principal.origin, session_token(headers).as_deref())
        .await
        .map_err(internal)
}

fn accounts(state: &AppState) -> Accounts<'_> {
    Accounts {
        db: &state.db,
        audit: &state.audit,
        sessions: &state.sessions,
        tokens: &state.token_store,
    }
}

fn internal(err: sea_orm::DbErr) -> AppError {
    AppError::Internal(err.into())
}

#[derive(Deserialize)]
struct DevSignin {
    persona: String,
    next: Option<String>,
}

#[tracing::instrument(skip_all, fields(persona = %form.persona))]
async fn dev_signin(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    headers: HeaderMap,
    Form(form): Form<DevSignin>,
) -> Result<Response, AppError> {
    if !state.config.dev_login_enabled() {
        return Err(AppError::NotFound);
    }
    let Some(persona) = dev_login::persona(&form.persona) else {
        return Err(AppError::BadRequest(format!(
            "unknown persona `{}`: choose one of {}",
            form.persona,
            dev_login::PERSONAS
                .iter()
                .map(|p| p.id)
                .collect::<Vec<_>>()
                .join(", ")
        )));
    };
    let who = persona.identity(&state.roles);
    let Some(token) = start_session(&state, &headers, &principal, &who).await? else {
        return Ok(signin_error("deactivated", &safe_next(form.next.as_deref())).into_response());
    };
    tracing::info!(subject = %who.subject, "signed in with the development sign-in");
    let mut response = Redirect::to(&safe_next(form.next.as_deref())).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, session_cookie(&state, token));
    Ok(response)
}

/// Sends the browser back to the sign-in page with an error code the page explains.
fn signin_error(code: &str, next: &str) -> Redirect {
    Redirect::to(&format!("/signin?error={code}&next={}", urlencode(next)))
}

fn error_code(err: &OidcError) -> &'static str {
    match err {
        OidcError::Unavailable(_) => "sso_unavailable",
        OidcError::StateMismatch => "sso_state",
        OidcError::Refused(_) => "sso_refused",
        OidcError::Invalid(_) => "sso_invalid",
    }
}

async fn sso_start(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let Some(oidc) = state.oidc.clone() else {
        return Err(AppError::NotFound);
    };
    let next = safe_next(params.get("next").map(String::as_str));
    match oidc.start(&next).await {
        Ok((url, pending)) => {
            let mut response = Redirect::to(url.as_str()).into_response();
            response.headers_mut().append(
                header::SET_COOKIE,
                cookie_header(
                    &state,
                    LOGIN_COOKIE,
                    pending.encode(),
                    "/auth",
                    cookie::time::Duration::seconds(LOGIN_TTL_SECS),
                ),
            );
            Ok(response)
        }
        Err(err) => {
            tracing::error!(error = %err, "single sign-on could not start");
            Ok(signin_error(error_code(&err), &next).into_response())
        }
    }
}

async fn sso_callback(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let Some(oidc) = state.oidc.clone() else {
        return Err(AppError::NotFound);
    };
    let pending = cookie_value(&headers, LOGIN_COOKIE).and_then(|c| PendingLogin::decode(&c));
    let next = pending
        .as_ref()
        .map_or_else(|| "/".to_string(), |p| safe_next(Some(&p.next)));
    let result = match (&pending, params.get("error"), params.get("code")) {
        (_, Some(error), _) => Err(OidcError::Refused(format!(
            "{error}{}",
            params
                .get("error_description")
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        ))),
        (Some(pending), None, Some(code)) => {
            let state_param = params.get("state").map(String::as_str).unwrap_or("");
            oidc.finish(pending, code, state_param).await
        }
        _ => Err(OidcError::StateMismatch),
    };
    let mut response = match result {
        Ok(signed_in) => {
            let roles = state.roles.roles_for(&signed_in.groups);
            let who = Identity {
                subject: signed_in.subject,
                name: signed_in.name,
                role_label: roles.label().to_string(),
                groups: signed_in.groups,
                roles,
                auth_method: "oidc".into(),
                scopes: None,
            };
            match start_session(&state, &headers, &principal, &who).await? {
                Some(token) => {
                    tracing::info!(subject = %who.subject, "signed in with single sign-on");
                    let mut response = Redirect::to(&next).into_response();
                    response
                        .headers_mut()
                        .append(header::SET_COOKIE, session_cookie(&state, token));
                    response
                }
                None => signin_error("deactivated", &next).into_response(),
            }
        }
        Err(err) => {
            tracing::warn!(error = %err, "single sign-on failed");
            let event = Event::by_name("unknown", "oidc", "signin", "sso")
                .outcome(Outcome::Failure)
                .origin(&principal.origin)
                .details(serde_json::json!({ "reason": error_code(&err) }));
            state.audit.record_or_log(&state.db, &event).await;
            signin_error(error_code(&err), &next).into_response()
        }
    };
    response
        .headers_mut()
        .append(header::SET_COOKIE, expired(&state, LOGIN_COOKIE, "/auth"));
    Ok(response)
}

async fn signout(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if let Some(token) = session_token(&headers) {
        accounts(&state)
            .sign_out(principal.who.as_ref(), &principal.origin, &token)
            .await
            .map_err(internal)?;
    }
    let at_provider = match (&state.oidc, &principal.who) {
        (Some(oidc), Some(who)) if who.auth_method == "oidc" => oidc.logout_url().await,
        _ => None,
    };
    let target = at_provider.map_or_else(|| "/signin?signed_out=1".to_string(), |u| u.to_string());
    let mut response = Redirect::to(&target).into_response();
    let headers = response.headers_mut();
    headers.append(header::SET_COOKIE, expired(&state, COOKIE, "/"));
    // A token created moments ago must not be shown to whoever uses this browser next.
    headers.append(
        header::SET_COOKIE,
        expired(&state, app::api::NEW_TOKEN_COOKIE, "/tokens"),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_same_origin_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/runbooks/x#a")), "/runbooks/x#a");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("/\t/evil.example")), "/");
        assert_eq!(safe_next(Some("/ /evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
