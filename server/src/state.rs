//! What every handler can reach. Cheap to clone.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sea_orm::DatabaseConnection;

use crate::access::Guard;
use crate::audit::AuditLog;
use crate::auth::oidc::Oidc;
use crate::auth::roles::RoleMap;
use crate::auth::session::SessionStore;
use crate::auth::tokens::TokenStore;
use crate::config::Config;
use crate::metrics::Metrics;
use crate::rate_limit::Limiters;
use crate::runbooks::RunbookLibrary;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: DatabaseConnection,
    pub library: Arc<RunbookLibrary>,
    pub sessions: SessionStore,
    pub tokens: TokenStore,
    pub roles: Arc<RoleMap>,
    pub audit: AuditLog,
    pub guard: Guard,
    /// Single sign-on, when configured.
    pub oidc: Option<Arc<Oidc>>,
    pub limiters: Arc<Limiters>,
    /// Masks secrets, personal data and internal addresses in what people submit.
    pub sanitizer: Arc<crate::sanitizer::Sanitizer>,
    /// Deployment notes in (API and portal alike).
    pub intake: Arc<crate::deployments::Intake>,
    /// Runbook drafts and their review.
    pub drafts: Arc<crate::drafts::review::DraftDesk>,
    /// Templates, policies and the dry run.
    pub planner: Arc<crate::requests::preview::Planner>,
    /// Requests, approvals and expiry.
    pub requests: crate::portal::requests::Requests,
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
