//! The port through which the UI reaches the domain (server side only).
//!
//! `app` cannot depend on `server`, so it declares what it needs here and the server
//! provides an implementation as Leptos context. Every method takes the [`Caller`] and
//! decides on the server what that caller may see.

use std::sync::Arc;

use crate::dto::{
    Facets, IndexStatus, Persona, RunbookView, SearchQuery, SearchResults, SessionInfo,
};
use crate::error::PortalError;

/// Who is asking, as established by the server's session middleware.
#[derive(Clone, Debug, Default)]
pub struct Caller {
    pub user: Option<crate::dto::UserInfo>,
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
}

/// The shared handle the server puts into Leptos context.
pub type PortalHandle = Arc<dyn Portal>;
