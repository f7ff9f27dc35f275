//! `GET /runbooks/alerts/{alertname}`: the target of Alertmanager `runbook_url` annotations.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Router};

use crate::access::{Denied, Principal};
use crate::error::AppError;
use crate::routes::auth::signin_redirect;
use crate::routes::urlencode;
use crate::runbooks::AlertTarget;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/runbooks/alerts/{alertname}", get(alert))
}

/// Redirects to the section that names the alert (case-insensitive), or to a search for it.
async fn alert(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(name): Path<String>,
) -> Response {
    let reader = match state.runbooks.reader(&principal).await {
        Ok(reader) => reader,
        Err(Denied::Unauthenticated) => {
            return signin_redirect(&format!("/runbooks/alerts/{}", urlencode(&name)))
                .into_response();
        }
        Err(denied) => return AppError::from(denied).into_response(),
    };
    match state.runbooks.alert_target(&reader, &name) {
        AlertTarget::Section(url) => Redirect::to(&url).into_response(),
        AlertTarget::Unknown => Redirect::to(&format!("/?q={}", urlencode(&name))).into_response(),
    }
}
