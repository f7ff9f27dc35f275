//! The Leptos pages and server functions, and the gate that sends anonymous visitors to
//! the sign-in page.

use axum::Router;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};

use app::port::Caller;

use crate::routes::auth::signin_redirect;
use crate::state::AppState;

/// Pages anyone may open.
const PUBLIC_PAGES: &[&str] = &["/signin"];

pub fn router(state: &AppState) -> Router<AppState> {
    let routes = generate_route_list(app::App);
    let portal = state.portal.clone();
    let context = move || {
        provide_context(portal.clone());
        crate::routes::security::provide_page_nonce();
    };
    let leptos = state.leptos.clone();
    let shell_options = state.shell.clone();
    let shell = move || app::shell(leptos.clone(), shell_options.clone());
    let fallback_context = context.clone();
    let fallback_options = state.shell.clone();
    let fallback_shell = move |options| app::shell(options, fallback_options.clone());
    Router::new()
        .leptos_routes_with_context(state, routes, context, shell)
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(fallback_context, fallback_shell))
        .layer(middleware::from_fn(require_sign_in))
        .layer(middleware::from_fn(limit_rpc_body))
}

/// The largest server-function body: a runbook draft being accepted is the largest thing a
/// form sends.
const MAX_RPC_BODY: usize = 1024 * 1024;

/// A server-function body over [`MAX_RPC_BODY`] gets 413 with the limit, read no further
/// than the limit; below it the body is handed on as read.
async fn limit_rpc_body(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/rpc/") {
        return next.run(request).await;
    }
    let too_large = || {
        crate::error::AppError::TooLarge(format!(
            "the request body is larger than {} KB; send less (a runbook is well under that)",
            MAX_RPC_BODY / 1024
        ))
        .into_response()
    };
    let declared = request
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_RPC_BODY as u64) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    match axum::body::to_bytes(body, MAX_RPC_BODY).await {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
                .await
        }
        Err(_) => too_large(),
    }
}

/// Page views (GET) need a signed-in caller, except public pages, server functions (which
/// check for themselves) and static files.
async fn require_sign_in(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let gated = request.method() == http::Method::GET
        && !PUBLIC_PAGES.contains(&path)
        && !path.starts_with("/rpc/")
        && !path.starts_with("/pkg/");
    let anonymous = request
        .extensions()
        .get::<Caller>()
        .is_none_or(|c| c.user.is_none());
    if gated && anonymous {
        let next_url = request
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        return signin_redirect(&next_url).into_response();
    }
    next.run(request).await
}
