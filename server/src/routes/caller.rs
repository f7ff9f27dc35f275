//! Session resolution: turns the session cookie into the request's [`Caller`], which every
//! handler and server function reads. Unknown or expired cookies make an anonymous caller.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use cookie::Cookie;

use crate::auth::session::COOKIE;
use crate::portal::caller_of;
use crate::state::AppState;

/// The session token from the request's cookies.
pub fn session_token(request_headers: &http::HeaderMap) -> Option<String> {
    request_headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == COOKIE)
        .map(|c| c.value().to_string())
}

pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let identity = match session_token(request.headers()) {
        Some(token) => match state.sessions.lookup(&token).await {
            Ok(found) => found,
            Err(err) => {
                tracing::error!(error = %err, "session lookup failed");
                None
            }
        },
        None => None,
    };
    request
        .extensions_mut()
        .insert(caller_of(identity.as_ref()));
    next.run(request).await
}
