//! `GET /runbooks/alerts/{alertname}`: the target of Alertmanager `runbook_url` annotations.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Router};

use app::port::Caller;

use crate::auth::authz::{Action, can};
use crate::portal::identity_of;
use crate::routes::auth::signin_redirect;
use crate::runbooks::AlertTarget;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/runbooks/alerts/{alertname}", get(alert))
}

/// Redirects to the section that names the alert (case-insensitive), or to a search for it.
async fn alert(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
) -> Response {
    let who = identity_of(&caller);
    if !can(who.as_ref(), Action::ReadRunbooks) {
        return signin_redirect(&format!("/runbooks/alerts/{}", urlencode(&name))).into_response();
    }
    let groups = who.map(|w| w.groups).unwrap_or_default();
    match state.library.alert_target(&name, &groups) {
        AlertTarget::Section(url) => Redirect::to(&url).into_response(),
        AlertTarget::Unknown => Redirect::to(&format!("/?q={}", urlencode(&name))).into_response(),
    }
}

/// Percent-encodes a path or query component.
pub fn urlencode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
