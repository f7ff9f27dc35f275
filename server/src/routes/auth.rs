//! Sign-in and sign-out over plain form posts (they work without JavaScript).
//!
//! `POST /auth/dev` signs in as a demo persona when the development sign-in is enabled;
//! `POST /auth/signout` ends the session.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use cookie::{Cookie, SameSite};
use serde::Deserialize;

use crate::auth::dev_login;
use crate::auth::session::COOKIE;
use crate::error::AppError;
use crate::routes::alerts::urlencode;
use crate::routes::caller::session_token;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
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
                && !n.contains(['\r', '\n']) =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

#[derive(Deserialize)]
struct DevSignin {
    persona: String,
    next: Option<String>,
}

fn session_cookie(
    state: &AppState,
    value: String,
    max_age: Option<cookie::time::Duration>,
) -> HeaderValue {
    let mut c = Cookie::build((COOKIE, value))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies())
        .path("/");
    if let Some(age) = max_age {
        c = c.max_age(age);
    }
    HeaderValue::from_str(&c.build().to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

#[tracing::instrument(skip_all, fields(persona = %form.persona))]
async fn dev_signin(
    State(state): State<AppState>,
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
    // Rotate: an existing session is ended, a new id is issued.
    if let Some(old) = session_token(&headers) {
        state
            .sessions
            .end(&old)
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
    }
    let token = state
        .sessions
        .create(&persona.identity())
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    tracing::info!(subject = %persona.identity().subject, "signed in with the development sign-in");
    let max_age = cookie::time::Duration::seconds(state.config.session_ttl.num_seconds());
    let mut response = Redirect::to(&safe_next(form.next.as_deref())).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        session_cookie(&state, token, Some(max_age)),
    );
    Ok(response)
}

async fn signout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    if let Some(token) = session_token(&headers) {
        state
            .sessions
            .end(&token)
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
    }
    let mut response = Redirect::to("/signin").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        session_cookie(&state, String::new(), Some(cookie::time::Duration::ZERO)),
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
        assert_eq!(safe_next(None), "/");
    }
}
