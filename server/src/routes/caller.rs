//! Who is calling: turns the session cookie or an `Authorization: Bearer` API token into the
//! request's [`Principal`] (and the UI's [`Caller`]), which every handler and server
//! function reads. Unknown or expired cookies make an anonymous caller; a bad token is
//! refused outright, so a script never silently runs as nobody.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cookie::Cookie;

use crate::access::Principal;
use crate::audit::{Event, Origin, Outcome};
use crate::auth::session::COOKIE;
use crate::auth::tokens::Presented;
use crate::error::AppError;
use crate::portal::caller_of;
use crate::state::AppState;

/// The value of a cookie in the request.
pub fn cookie_value(request_headers: &http::HeaderMap, name: &str) -> Option<String> {
    request_headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

/// The session token from the request's cookies.
pub fn session_token(request_headers: &http::HeaderMap) -> Option<String> {
    cookie_value(request_headers, COOKIE)
}

/// The bearer token, if the request carries one.
fn bearer(headers: &http::HeaderMap) -> Option<String> {
    let value = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// Request id and client address, for the audit log and rate limits. Behind a reverse proxy
/// (`trust_forwarded`), the address is the last one the proxy appended to `X-Forwarded-For`.
pub fn origin_of(request: &Request, trust_forwarded: bool) -> Origin {
    let forwarded = trust_forwarded
        .then(|| {
            request
                .headers()
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .last()
                // Only the proxy's own (last) entry counts; if it is not an address, fall
                // back to the peer rather than to an earlier, client-written entry.
                .and_then(|a| a.trim().parse::<std::net::IpAddr>().ok())
        })
        .flatten();
    Origin {
        request_id: request
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-")
            .chars()
            .take(64)
            .collect(),
        source: forwarded
            .or_else(|| {
                request
                    .extensions()
                    .get::<ConnectInfo<SocketAddr>>()
                    .map(|ci| ci.0.ip())
            })
            .map_or_else(|| "-".into(), |ip| ip.to_string()),
    }
}

pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let origin = origin_of(&request, state.config.trust_forwarded_for);
    // `/metrics` takes its own bearer token (`GATEHOUSE_METRICS_TOKEN`), not an API token.
    let api_token =
        bearer(request.headers()).filter(|_| request.uri().path() != super::health::METRICS);
    let who = if let Some(token) = api_token {
        match state.token_store.present(&token).await {
            Ok(Presented::Valid {
                who,
                first_use_in_a_while,
            }) => {
                if first_use_in_a_while {
                    let event = Event::new(Some(&who), "token.used", who.auth_method.clone())
                        .origin(&origin);
                    state.audit.record_or_log(&state.db, &event).await;
                }
                Some(who)
            }
            // Guesses are only logged (and rate limited by address), so they cannot flood
            // the audit log; a real token used after its end is a security event.
            Ok(Presented::Unknown(why)) => {
                tracing::warn!(source = %origin.source, "an unknown API token was presented");
                return AppError::InvalidToken(why).into_response();
            }
            Ok(Presented::Dead { id, reason }) => {
                let event =
                    Event::by_name("unknown", "token", "token.rejected", format!("token:{id}"))
                        .outcome(Outcome::Failure)
                        .origin(&origin)
                        .details(serde_json::json!({ "reason": reason }));
                state.audit.record_or_log(&state.db, &event).await;
                return AppError::InvalidToken(reason).into_response();
            }
            Err(err) => {
                tracing::error!(error = %err, "token lookup failed");
                return AppError::Unavailable("cannot check the token right now; retry".into())
                    .into_response();
            }
        }
    } else {
        match session_token(request.headers()) {
            Some(token) => match state.sessions.lookup(&token).await {
                Ok(found) => found,
                Err(err) => {
                    tracing::error!(error = %err, "session lookup failed");
                    None
                }
            },
            None => None,
        }
    };
    let principal = Principal { who, origin };
    request.extensions_mut().insert(principal.clone());
    request.extensions_mut().insert(caller_of(principal));
    next.run(request).await
}
