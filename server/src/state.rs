//! What every handler can reach. Cheap to clone.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sea_orm::DatabaseConnection;

use crate::audit::AuditLog;
use crate::auth::oidc::Oidc;
use crate::auth::roles::RoleMap;
use crate::auth::session::SessionStore;
use crate::auth::tokens::TokenStore;
use crate::config::Config;
use crate::metrics::Metrics;
use crate::rate_limit::Limiters;
use crate::runbooks::RunbookLibrary;

/// The handlers' state: the feature services (every use case goes through one of them,
/// which authorizes it), and what the HTTP layer itself needs (sessions, token presentation,
/// rate limits, health, metrics, the Leptos shell).
#[derive(Clone)]
pub struct AppState {
    /// Search, runbooks and alert links.
    pub runbooks: crate::portal::runbooks::Runbooks,
    /// Templates and the dry run.
    pub templates: crate::portal::catalog::Templates,
    /// Requests, approvals and expiry.
    pub requests: crate::portal::requests::Requests,
    /// Deployment notes in (API and portal alike).
    pub deployments: crate::portal::deployments::Deployments,
    /// The tokens use cases: list, create, revoke.
    pub tokens: crate::portal::tokens::Tokens,
    /// The audit log for auditors: events and the export.
    pub audit_trail: crate::portal::audit::AuditTrail,
    pub config: Arc<Config>,
    pub db: DatabaseConnection,
    /// For the health check (is the index loaded).
    pub library: Arc<RunbookLibrary>,
    pub sessions: SessionStore,
    /// Presents API tokens (the caller middleware) and revokes them (sign-out of a person).
    pub token_store: TokenStore,
    pub roles: Arc<RoleMap>,
    pub audit: AuditLog,
    /// Single sign-on, when configured.
    pub oidc: Option<Arc<Oidc>>,
    pub limiters: Arc<Limiters>,
    pub metrics: Arc<Metrics>,
    pub leptos: LeptosOptions,
    pub portal: app::port::PortalHandle,
    pub shell: app::app::ShellOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

impl FromRef<AppState> for Arc<Metrics> {
    fn from_ref(state: &AppState) -> Self {
        state.metrics.clone()
    }
}
