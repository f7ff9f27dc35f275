//! The port through which the UI reaches the domain (server side only).
//!
//! `app` cannot depend on `server`, so it declares what it needs here and the server
//! provides an implementation as Leptos context. Every method takes the [`Caller`] and
//! decides on the server what that caller may see.

use std::sync::Arc;

use crate::dto::{
    AuditPage, AuditQuery, CatalogPage, CatalogQuery, DeploymentView, DraftDecision, DraftView,
    Facets, HistoryPage, IndexStatus, NotesForm, Persona, PreviewForm, PreviewView, ReviewQueue,
    RunbookView, SearchQuery, SearchResults, SessionInfo, TemplateView, TokensPage,
};
use crate::dto::{NotificationResend, RequestDecision, RequestList, RequestView};
use crate::error::PortalError;

/// Who is asking, as established by the server's session middleware.
#[derive(Clone, Default)]
pub struct Caller {
    /// What the UI shows of the caller.
    pub user: Option<crate::dto::UserInfo>,
    /// The server's own record of the caller (its identity type), opaque to the UI so that
    /// authorization never round-trips through display strings.
    pub principal: Option<Arc<dyn std::any::Any + Send + Sync>>,
}

impl std::fmt::Debug for Caller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Caller").field("user", &self.user).finish()
    }
}

impl Caller {
    pub fn anonymous() -> Self {
        Self::default()
    }
}

/// Everything the UI can ask of the portal.
#[async_trait::async_trait]
pub trait Portal: Send + Sync + 'static {
    async fn session(&self, caller: &Caller) -> SessionInfo;
    async fn dev_personas(&self) -> Option<Vec<Persona>>;
    async fn search_runbooks(
        &self,
        caller: &Caller,
        query: SearchQuery,
    ) -> Result<SearchResults, PortalError>;
    async fn facets(&self, caller: &Caller) -> Result<Facets, PortalError>;
    async fn runbook(&self, caller: &Caller, stem: String) -> Result<RunbookView, PortalError>;
    async fn index_status(&self, caller: &Caller) -> Result<IndexStatus, PortalError>;
    /// Audit events for auditors (admins and security reviewers).
    async fn audit_events(
        &self,
        caller: &Caller,
        query: AuditQuery,
    ) -> Result<AuditPage, PortalError>;
    /// The caller's API tokens (everyone's for admins).
    async fn tokens(&self, caller: &Caller) -> Result<TokensPage, PortalError>;
    /// Services that may report deployments.
    async fn deployment_services(&self, caller: &Caller) -> Result<Vec<String>, PortalError>;
    /// Sanitizes and stores pasted deployment notes; returns the stored note's id.
    async fn submit_notes(&self, caller: &Caller, form: NotesForm) -> Result<String, PortalError>;
    /// One stored deployment note.
    async fn deployment(&self, caller: &Caller, id: String) -> Result<DeploymentView, PortalError>;
    /// Drafts waiting for the caller (an owner), and the caller's drifting runbooks.
    async fn review_queue(&self, caller: &Caller) -> Result<ReviewQueue, PortalError>;
    /// One draft, for its reviewers.
    async fn draft(&self, caller: &Caller, id: String) -> Result<DraftView, PortalError>;
    /// Accepts, rejects or redrafts a draft.
    async fn decide_draft(
        &self,
        caller: &Caller,
        decision: DraftDecision,
    ) -> Result<(), PortalError>;
    /// Every accepted revision of a runbook.
    async fn runbook_history(
        &self,
        caller: &Caller,
        stem: String,
    ) -> Result<HistoryPage, PortalError>;
    /// An owner marks a runbook reviewed (its drift ends).
    async fn mark_reviewed(&self, caller: &Caller, stem: String) -> Result<(), PortalError>;
    /// The template catalog, filtered.
    async fn catalog(
        &self,
        caller: &Caller,
        query: CatalogQuery,
    ) -> Result<CatalogPage, PortalError>;
    /// One template with its parameter schema.
    async fn template(&self, caller: &Caller, id: String) -> Result<TemplateView, PortalError>;
    /// The dry run of a request: nothing is stored.
    async fn preview(&self, caller: &Caller, form: PreviewForm)
    -> Result<PreviewView, PortalError>;
    /// Submits a request (policy is evaluated again); returns its id.
    async fn submit_request(
        &self,
        caller: &Caller,
        form: PreviewForm,
    ) -> Result<String, PortalError>;
    /// One request with its evidence and timeline.
    async fn request(&self, caller: &Caller, id: String) -> Result<RequestView, PortalError>;
    /// The caller's requests, newest first.
    async fn my_requests(&self, caller: &Caller) -> Result<RequestList, PortalError>;
    /// What waits for the caller's decision, oldest first.
    async fn inbox(&self, caller: &Caller) -> Result<RequestList, PortalError>;
    /// Approves, rejects or cancels a request.
    async fn decide_request(
        &self,
        caller: &Caller,
        decision: RequestDecision,
    ) -> Result<(), PortalError>;
    /// Queues a failed webhook notification about a request again (admins).
    async fn resend_notification(
        &self,
        caller: &Caller,
        resend: NotificationResend,
    ) -> Result<(), PortalError>;
}

/// The shared handle the server puts into Leptos context.
pub type PortalHandle = Arc<dyn Portal>;
