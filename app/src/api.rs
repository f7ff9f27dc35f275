//! `#[server]` functions: thin adapters from the browser to the [`Portal`](crate::port::Portal).
//!
//! Each takes the caller from the request, calls the port, and returns a [`PortalError`] the
//! browser can show. Authorization happens behind the port, on the server.

use leptos::prelude::*;

use crate::dto::{
    Facets, IndexStatus, Persona, RunbookView, SearchQuery, SearchResults, SessionInfo,
};
use crate::error::PortalError;

#[cfg(feature = "ssr")]
mod context {
    use crate::error::PortalError;
    use crate::port::{Caller, PortalHandle};
    use leptos::prelude::use_context;

    /// The portal and the caller of the current request.
    pub fn portal_and_caller() -> Result<(PortalHandle, Caller), PortalError> {
        let portal = use_context::<PortalHandle>().ok_or(PortalError::Internal)?;
        let caller = use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Caller>().cloned())
            .unwrap_or_default();
        Ok((portal, caller))
    }

    /// Marks the HTTP response of a page render with the status that fits the error.
    pub fn set_status_for(err: &PortalError) {
        use http::StatusCode;
        if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
            let status = match err {
                PortalError::Unauthenticated => StatusCode::UNAUTHORIZED,
                PortalError::NotFound => StatusCode::NOT_FOUND,
                PortalError::BadRequest(_) => StatusCode::BAD_REQUEST,
                PortalError::Internal | PortalError::Transport(_) => {
                    StatusCode::INTERNAL_SERVER_ERROR
                }
            };
            resp.set_status(status);
        }
    }

    pub fn finish<T>(result: Result<T, PortalError>) -> Result<T, PortalError> {
        if let Err(err) = &result {
            set_status_for(err);
        }
        result
    }
}

/// Who is signed in, and whether the development sign-in is active.
#[server(prefix = "/rpc", endpoint = "session")]
pub async fn get_session() -> Result<SessionInfo, PortalError> {
    let (portal, caller) = context::portal_and_caller()?;
    Ok(portal.session(&caller).await)
}

/// The demo personas, when the development sign-in is active.
#[server(prefix = "/rpc", endpoint = "personas")]
pub async fn get_personas() -> Result<Option<Vec<Persona>>, PortalError> {
    let (portal, _caller) = context::portal_and_caller()?;
    Ok(portal.dev_personas().await)
}

/// Runbook search, as the caller may see it.
#[server(prefix = "/rpc", endpoint = "search")]
pub async fn search_runbooks(query: SearchQuery) -> Result<SearchResults, PortalError> {
    let (portal, caller) = context::portal_and_caller()?;
    context::finish(portal.search_runbooks(&caller, query).await)
}

/// Filter values for the search page.
#[server(prefix = "/rpc", endpoint = "facets")]
pub async fn get_facets() -> Result<Facets, PortalError> {
    let (portal, caller) = context::portal_and_caller()?;
    context::finish(portal.facets(&caller).await)
}

/// One runbook, rendered and sanitized.
#[server(prefix = "/rpc", endpoint = "runbook")]
pub async fn get_runbook(stem: String) -> Result<RunbookView, PortalError> {
    let (portal, caller) = context::portal_and_caller()?;
    context::finish(portal.runbook(&caller, stem).await)
}

/// Index health and files that could not be indexed.
#[server(prefix = "/rpc", endpoint = "status")]
pub async fn get_index_status() -> Result<IndexStatus, PortalError> {
    let (portal, caller) = context::portal_and_caller()?;
    context::finish(portal.index_status(&caller).await)
}
