//! `#[server]` functions: thin adapters from the browser to the [`Portal`](crate::port::Portal).
//!
//! Each takes the caller from the request, calls the port, and returns a [`PortalError`] the
//! browser can show. Authorization happens behind the port, on the server.

use leptos::prelude::*;

use crate::dto::{
    AuditPage, AuditQuery, CatalogPage, CatalogQuery, DeploymentView, DraftDecision, DraftView,
    Facets, HistoryPage, IndexStatus, NotesForm, Persona, PreviewForm, PreviewView, ReviewQueue,
    RunbookView, SearchQuery, SearchResults, SessionInfo, TemplateView, TokensPage,
};
use crate::dto::{NotificationResend, RequestDecision, RequestList, RequestView};
use crate::error::PortalError;

/// Name of the one-time cookie that carries a new API token from its creation (a form post)
/// to the page that shows it; the page clears it at once.
pub const NEW_TOKEN_COOKIE: &str = "gatehouse_new_token";

#[cfg(feature = "ssr")]
pub(crate) mod context {
    use super::NEW_TOKEN_COOKIE;
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
                PortalError::Forbidden => StatusCode::FORBIDDEN,
                PortalError::NotFound => StatusCode::NOT_FOUND,
                PortalError::BadRequest(_) => StatusCode::BAD_REQUEST,
                PortalError::Refused(_) => StatusCode::FORBIDDEN,
                PortalError::Conflict(_) => StatusCode::CONFLICT,
                PortalError::Internal | PortalError::Transport(_) => {
                    StatusCode::INTERNAL_SERVER_ERROR
                }
            };
            resp.set_status(status);
        }
    }

    /// The token created just before this page view, if any; clears its cookie.
    pub fn take_new_token() -> Option<String> {
        let parts = use_context::<http::request::Parts>()?;
        let token = parts
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == NEW_TOKEN_COOKIE)
            .map(|(_, value)| value.to_string())
            .filter(|v| v.starts_with("gat_"))?;
        if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
            let clear =
                format!("{NEW_TOKEN_COOKIE}=; Path=/tokens; Max-Age=0; HttpOnly; SameSite=Strict");
            if let Ok(value) = http::HeaderValue::from_str(&clear) {
                resp.append_header(http::header::SET_COOKIE, value);
            }
        }
        Some(token)
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

/// Audit events matching the auditor page's filters.
#[server(prefix = "/rpc", endpoint = "audit")]
pub async fn get_audit_events(query: AuditQuery) -> Result<AuditPage, PortalError> {
    let (portal, caller) = context::portal_and_caller()?;
    context::finish(portal.audit_events(&caller, query).await)
}

/// The caller's API tokens, and a token created a moment ago (shown once).
#[server(prefix = "/rpc", endpoint = "tokens")]
pub async fn get_tokens() -> Result<(TokensPage, Option<String>), PortalError> {
    let (portal, caller) = context::portal_and_caller()?;
    // Taken (and its cookie cleared) whatever happens next.
    let new_token = context::take_new_token();
    let page = context::finish(portal.tokens(&caller).await)?;
    Ok((page, new_token))
}

/// Services that may report deployments (for the notes form).
#[server(prefix = "/rpc", endpoint = "deployment_services")]
pub async fn get_deployment_services() -> Result<Vec<String>, PortalError> {
    let (portal, caller) = context::portal_and_caller()?;
    context::finish(portal.deployment_services(&caller).await)
}

/// Submits pasted deployment notes and goes to the stored (sanitized) note.
#[server(prefix = "/rpc", endpoint = "submit_notes")]
pub async fn submit_notes(form: NotesForm) -> Result<String, PortalError> {
    let (portal, caller) = context::portal_and_caller()?;
    let id = context::finish(portal.submit_notes(&caller, form).await)?;
    leptos_axum::redirect(&format!("/deployments/{id}"));
    Ok(id)
}

/// One stored deployment note.
#[server(prefix = "/rpc", endpoint = "deployment")]
pub async fn get_deployment(id: String) -> Result<DeploymentView, PortalError> {
    let (portal, caller) = context::portal_and_caller()?;
    context::finish(portal.deployment(&caller, id).await)
}

/// Drafts waiting for the caller, and their drifting runbooks.
#[server(prefix = "/rpc", endpoint = "review_queue")]
pub async fn get_review_queue() -> Result<ReviewQueue, PortalError> {
    let (portal, caller) = context::portal_and_caller()?;
    context::finish(portal.review_queue(&caller).await)
}

/// One draft with its diff, preview and provenance.
#[server(prefix = "/rpc", endpoint = "draft")]
pub async fn get_draft(id: String) -> Result<DraftView, PortalError> {
    let (portal, caller) = context::portal_and_caller()?;
    context::finish(portal.draft(&caller, id).await)
}

/// Accepts, rejects or redrafts a draft, then shows it again.
#[server(prefix = "/rpc", endpoint = "decide_draft")]
pub async fn decide_draft(decision: DraftDecision) -> Result<(), PortalError> {
    let (portal, caller) = context::portal_and_caller()?;
    let id = decision.id.clone();
    context::finish(portal.decide_draft(&caller, decision).await)?;
    leptos_axum::redirect(&format!("/drafts/{}", urlencoding_path(&id)));
    Ok(())
}

/// A runbook's accepted revisions.
#[server(prefix = "/rpc", endpoint = "runbook_history")]
pub async fn get_runbook_history(stem: String) -> Result<HistoryPage, PortalError> {
    let (portal, caller) = context::portal_and_caller()?;
    context::finish(portal.runbook_history(&caller, stem).await)
}

/// Marks a runbook reviewed, then shows it again.
#[server(prefix = "/rpc", endpoint = "mark_reviewed")]
pub async fn mark_reviewed(stem: String) -> Result<(), PortalError> {
    let (portal, caller) = context::portal_and_caller()?;
    context::finish(portal.mark_reviewed(&caller, stem.clone()).await)?;
    leptos_axum::redirect(&format!("/runbooks/{}", urlencoding_path(&stem)));
    Ok(())
}

/// The template catalog, filtered.
#[server(prefix = "/rpc", endpoint = "catalog")]
pub async fn get_catalog(query: CatalogQuery) -> Result<CatalogPage, PortalError> {
    let (portal, caller) = context::portal_and_caller()?;
    context::finish(portal.catalog(&caller, query).await)
}

/// One template and its parameter schema.
#[server(prefix = "/rpc", endpoint = "template")]
pub async fn get_template(id: String) -> Result<TemplateView, PortalError> {
    let (portal, caller) = context::portal_and_caller()?;
    context::finish(portal.template(&caller, id).await)
}

/// The dry run of a request (nothing is stored).
#[server(prefix = "/rpc", endpoint = "preview")]
pub async fn preview_request(form: PreviewForm) -> Result<PreviewView, PortalError> {
    let (portal, caller) = context::portal_and_caller()?;
    context::finish(portal.preview(&caller, form).await)
}

/// Submits a request, then shows it.
#[server(prefix = "/rpc", endpoint = "submit_request")]
pub async fn submit_request(form: PreviewForm) -> Result<String, PortalError> {
    let (portal, caller) = context::portal_and_caller()?;
    let id = context::finish(portal.submit_request(&caller, form).await)?;
    leptos_axum::redirect(&format!("/requests/{}", urlencoding_path(&id)));
    Ok(id)
}

/// One request with its evidence and timeline.
#[server(prefix = "/rpc", endpoint = "request")]
pub async fn get_request(id: String) -> Result<RequestView, PortalError> {
    let (portal, caller) = context::portal_and_caller()?;
    context::finish(portal.request(&caller, id).await)
}

/// The caller's requests.
#[server(prefix = "/rpc", endpoint = "my_requests")]
pub async fn get_my_requests() -> Result<RequestList, PortalError> {
    let (portal, caller) = context::portal_and_caller()?;
    context::finish(portal.my_requests(&caller).await)
}

/// What waits for the caller's decision.
#[server(prefix = "/rpc", endpoint = "inbox")]
pub async fn get_inbox() -> Result<RequestList, PortalError> {
    let (portal, caller) = context::portal_and_caller()?;
    context::finish(portal.inbox(&caller).await)
}

/// Approves, rejects or cancels a request, then shows it again.
#[server(prefix = "/rpc", endpoint = "decide_request")]
pub async fn decide_request(decision: RequestDecision) -> Result<(), PortalError> {
    let (portal, caller) = context::portal_and_caller()?;
    let id = decision.id.clone();
    context::finish(portal.decide_request(&caller, decision).await)?;
    leptos_axum::redirect(&format!("/requests/{}", urlencoding_path(&id)));
    Ok(())
}

/// Queues a failed notification again, then shows the request.
#[server(prefix = "/rpc", endpoint = "resend_notification")]
pub async fn resend_notification(resend: NotificationResend) -> Result<(), PortalError> {
    let (portal, caller) = context::portal_and_caller()?;
    let id = resend.id.clone();
    context::finish(portal.resend_notification(&caller, resend).await)?;
    leptos_axum::redirect(&format!("/requests/{}", urlencoding_path(&id)));
    Ok(())
}

/// Keeps an id or stem from steering a redirect elsewhere: only URL-safe characters pass.
#[cfg(feature = "ssr")]
fn urlencoding_path(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect()
}
