//! The server's implementation of the UI's [`Portal`] port: authorization checks, then the
//! domain, then DTOs. The trait impl here only delegates for the larger features, each in
//! its own module (runbooks and search, deployments, drafts in `review`, templates in
//! `catalog`, requests); blocking index work runs on the blocking pool.

use std::sync::Arc;

use app::dto::{
    AuditPage, AuditQuery, CatalogPage, CatalogQuery, DeploymentView, DraftDecision, DraftView,
    Facets, HistoryPage, IndexStatus, NotesForm, NotificationResend, Persona, PreviewForm,
    PreviewView, RequestDecision, RequestList, RequestView, ReviewQueue, RunbookView, SearchQuery,
    SearchResults, SessionInfo, TemplateView, TokensPage, UserInfo,
};
use app::error::PortalError;
use app::port::{Caller, Portal};

use crate::access::{Denied, Principal};
use crate::auth::{Identity, dev_login};
use crate::runbooks::RunbookLibrary;

/// Runbooks shown per page of results, and the most a caller may ask for.
pub const DEFAULT_GROUPS: usize = 20;
pub const MAX_LIMIT: usize = 100;

pub mod audit;
pub mod catalog;
pub mod deployments;
pub mod drafts;
pub mod request_pages;
pub mod requests;
mod review;
pub mod runbooks;
pub mod tokens;

pub use runbooks::query_text;

pub struct PortalService {
    pub library: Arc<RunbookLibrary>,
    pub tokens: tokens::Tokens,
    pub audit: audit::AuditTrail,
    /// Search, runbooks and alert links.
    pub runbooks: runbooks::Runbooks,
    /// Deployment notes in and read back (the same service as the API's).
    pub deployments: deployments::Deployments,
    /// Runbook drafts and their review.
    pub drafts: drafts::Drafts,
    /// Templates and the dry run.
    pub templates: catalog::Templates,
    /// Requests, approvals and expiry.
    pub requests: requests::Requests,
    pub dev_login: bool,
    pub sso: bool,
}

/// The principal behind a UI caller, as the session middleware set it (never rebuilt from
/// what the UI shows). A caller without one is anonymous.
pub fn principal_of(caller: &Caller) -> Principal {
    caller
        .principal
        .as_ref()
        .and_then(|p| p.downcast_ref::<Principal>())
        .cloned()
        .unwrap_or_default()
}

/// The identity behind a UI caller.
pub fn identity_of(caller: &Caller) -> Option<Identity> {
    principal_of(caller).who
}

/// The UI caller for a principal.
pub fn caller_of(principal: Principal) -> Caller {
    Caller {
        user: principal.who.as_ref().map(|who| UserInfo {
            subject: who.subject.clone(),
            name: who.name.clone(),
            role_label: who.role_label.clone(),
            groups: who.groups.iter().map(|g| g.to_string()).collect(),
            roles: who.roles.names(),
            auth_method: who.auth_method.clone(),
        }),
        principal: Some(Arc::new(principal)),
    }
}

impl From<Denied> for PortalError {
    fn from(d: Denied) -> Self {
        match d {
            Denied::Unauthenticated => PortalError::Unauthenticated,
            Denied::Forbidden => PortalError::Forbidden,
        }
    }
}

/// Logs an unexpected failure and answers with the generic error.
fn internal(what: &str, err: impl std::fmt::Display) -> PortalError {
    tracing::error!(error = %err, "{what} failed");
    PortalError::Internal
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, PortalError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        tracing::error!(error = %e, "blocking task failed");
        PortalError::Internal
    })
}

#[async_trait::async_trait]
impl Portal for PortalService {
    async fn session(&self, caller: &Caller) -> SessionInfo {
        SessionInfo {
            user: caller.user.clone(),
            dev_login: self.dev_login,
            sso: self.sso,
        }
    }

    async fn dev_personas(&self) -> Option<Vec<Persona>> {
        self.dev_login.then(|| {
            dev_login::PERSONAS
                .iter()
                .map(|p| Persona {
                    id: p.id.to_string(),
                    name: p.name.to_string(),
                    role_label: p.role_label.to_string(),
                    groups: p.groups.iter().map(|g| g.to_string()).collect(),
                })
                .collect()
        })
    }

    async fn search_runbooks(
        &self,
        caller: &Caller,
        query: SearchQuery,
    ) -> Result<SearchResults, PortalError> {
        self.search(caller, query).await
    }

    async fn facets(&self, caller: &Caller) -> Result<Facets, PortalError> {
        self.facets_for(caller).await
    }

    async fn runbook(&self, caller: &Caller, stem: String) -> Result<RunbookView, PortalError> {
        self.open_runbook(caller, stem).await
    }

    async fn index_status(&self, caller: &Caller) -> Result<IndexStatus, PortalError> {
        self.runbooks.index_status(&principal_of(caller)).await
    }

    async fn audit_events(
        &self,
        caller: &Caller,
        query: AuditQuery,
    ) -> Result<AuditPage, PortalError> {
        self.audit_page(caller, query).await
    }

    async fn tokens(&self, caller: &Caller) -> Result<TokensPage, PortalError> {
        self.tokens_page(caller).await
    }

    async fn deployment_services(&self, caller: &Caller) -> Result<Vec<String>, PortalError> {
        self.services_for(caller).await
    }

    async fn submit_notes(&self, caller: &Caller, form: NotesForm) -> Result<String, PortalError> {
        self.take_notes(caller, form).await
    }

    async fn deployment(&self, caller: &Caller, id: String) -> Result<DeploymentView, PortalError> {
        self.show_deployment(caller, id).await
    }

    async fn review_queue(&self, caller: &Caller) -> Result<ReviewQueue, PortalError> {
        self.queue(caller).await
    }

    async fn draft(&self, caller: &Caller, id: String) -> Result<DraftView, PortalError> {
        self.draft_view(caller, &id).await
    }

    async fn decide_draft(
        &self,
        caller: &Caller,
        decision: DraftDecision,
    ) -> Result<(), PortalError> {
        self.decide(caller, decision).await
    }

    async fn runbook_history(
        &self,
        caller: &Caller,
        stem: String,
    ) -> Result<HistoryPage, PortalError> {
        self.history(caller, &stem).await
    }

    async fn mark_reviewed(&self, caller: &Caller, stem: String) -> Result<(), PortalError> {
        self.reviewed(caller, &stem).await
    }

    async fn catalog(
        &self,
        caller: &Caller,
        query: CatalogQuery,
    ) -> Result<CatalogPage, PortalError> {
        let principal = principal_of(caller);
        let requester = self.templates.requester(&principal).await?;
        Ok(self.templates.list(&requester, &query).0)
    }

    async fn template(&self, caller: &Caller, id: String) -> Result<TemplateView, PortalError> {
        let principal = principal_of(caller);
        let requester = self.templates.requester(&principal).await?;
        self.templates.template(&requester, &id)
    }

    async fn preview(
        &self,
        caller: &Caller,
        form: PreviewForm,
    ) -> Result<PreviewView, PortalError> {
        let principal = principal_of(caller);
        let requester = self.templates.requester(&principal).await?;
        let mut submitted: std::collections::BTreeMap<String, serde_json::Value> = form
            .values
            .into_iter()
            .map(|(k, v)| (k, serde_json::Value::String(v)))
            .collect();
        // A form leaves unchecked boxes out: for it, absent means false, not the default.
        if let Some(template) = self.templates.get(&form.template) {
            for p in &template.params {
                if matches!(p.kind, crate::catalog::params::ParamKind::Bool) {
                    submitted
                        .entry(p.name.clone())
                        .or_insert(serde_json::Value::Bool(false));
                }
            }
        }
        self.templates
            .preview(&requester, &form.template, submitted)
            .await
    }

    async fn submit_request(
        &self,
        caller: &Caller,
        form: PreviewForm,
    ) -> Result<String, PortalError> {
        // The preview form sent every value, normalized, so absent means absent here.
        let values = form
            .values
            .into_iter()
            .map(|(k, v)| (k, serde_json::Value::String(v)))
            .collect();
        let view = self
            .requests
            .submit(&principal_of(caller), &form.template, values)
            .await?;
        Ok(view.record.request.id)
    }

    async fn request(&self, caller: &Caller, id: String) -> Result<RequestView, PortalError> {
        let shown = self.requests.view(&principal_of(caller), &id).await?;
        Ok(request_pages::page(&shown))
    }

    async fn my_requests(&self, caller: &Caller) -> Result<RequestList, PortalError> {
        let listed = self.requests.mine(&principal_of(caller)).await?;
        Ok(request_pages::list(&listed, chrono::Utc::now()))
    }

    async fn inbox(&self, caller: &Caller) -> Result<RequestList, PortalError> {
        let listed = self.requests.inbox(&principal_of(caller)).await?;
        Ok(request_pages::list(&listed, chrono::Utc::now()))
    }

    async fn decide_request(
        &self,
        caller: &Caller,
        decision: RequestDecision,
    ) -> Result<(), PortalError> {
        self.requests
            .decide(
                &principal_of(caller),
                &decision.id,
                requests::Decision::parse(&decision.action, &decision.reason)?,
            )
            .await
            .map(|_| ())
    }

    async fn resend_notification(
        &self,
        caller: &Caller,
        resend: NotificationResend,
    ) -> Result<(), PortalError> {
        self.requests
            .resend_notification(&principal_of(caller), &resend.id, &resend.delivery)
            .await
            .map(|_| ())
    }
}
