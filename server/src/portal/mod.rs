//! The server's implementation of the UI's [`Portal`] port: authorization checks, then the
//! domain, then DTOs. Blocking index work runs on the blocking pool.

use std::sync::Arc;

use app::dto::{
    AuditEventView, AuditPage, AuditQuery, CatalogPage, CatalogQuery, DeploymentView,
    DraftDecision, DraftLink, DraftView, Facets, FileProblem, HistoryPage, IndexStatus, NotesForm,
    NotificationResend, Persona, PreviewForm, PreviewView, Redaction, RequestDecision, RequestList,
    RequestView, ResultGroup, ReviewQueue, RunbookView, ScopeOption, SearchQuery, SearchResults,
    SectionHit, SessionInfo, SnippetPart, TemplateView, TocEntry, TokenView, TokensPage, UserInfo,
};
use app::error::PortalError;
use app::port::{Caller, Portal};

use crate::access::{Denied, Guard, Principal};
use crate::audit::query::{self as audit_query, Filter};
use crate::auth::authz::{Action, Resource};
use crate::auth::scopes::Scope;
use crate::auth::tokens::TokenStore;
use crate::auth::{Identity, dev_login};
use crate::runbooks::RunbookLibrary;
use crate::runbooks::front_matter::Visibility;
use crate::runbooks::library::today;
use crate::runbooks::names::GroupName;
use crate::runbooks::search::{Hit, HitGroup};

/// Runbooks shown per page of results, and the most a caller may ask for.
pub const DEFAULT_GROUPS: usize = 20;
pub const MAX_LIMIT: usize = 100;
/// Audit events per page on the auditor page.
const AUDIT_PAGE: u64 = 100;

pub mod catalog;
pub mod request_pages;
pub mod requests;
mod review;

pub struct PortalService {
    pub library: Arc<RunbookLibrary>,
    pub guard: Guard,
    pub tokens: TokenStore,
    /// Deployment notes in (the same intake as the API).
    pub intake: Arc<crate::deployments::Intake>,
    /// Runbook drafts and their review.
    pub drafts: Arc<crate::drafts::review::DraftDesk>,
    /// Templates, policies and the dry run.
    pub planner: Arc<crate::requests::preview::Planner>,
    /// Requests, approvals and expiry.
    pub requests: Arc<crate::requests::desk::RequestDesk>,
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

impl PortalService {
    /// A signed-in caller asked for a runbook that exists but is restricted to groups they
    /// are not in: they see "not found", the audit log sees a denial.
    async fn note_hidden_runbook(&self, caller: &Caller, stem: &str) {
        let principal = principal_of(caller);
        let catalog = self.library.catalog();
        if let Some(rb) = catalog.runbooks.values().find(|r| r.stem.as_ref() == stem) {
            let _ = self
                .guard
                .require(
                    &principal,
                    Action::ReadRunbooks,
                    Resource::Runbook(&rb.meta.visibility),
                    &format!("runbook:{stem}"),
                )
                .await;
        }
    }

    /// The caller's groups if they may do `action` on the portal, else the error to show.
    async fn allowed(
        &self,
        caller: &Caller,
        action: Action,
    ) -> Result<Vec<GroupName>, PortalError> {
        Ok(self
            .guard
            .groups_for(&principal_of(caller), action, "portal")
            .await?)
    }
}

/// Query text with the UI's filter controls folded in as `service:`/`tag:` filters.
pub fn query_text(q: &SearchQuery) -> String {
    let mut text = q.q.clone();
    for (key, value) in [("service", &q.service), ("tag", &q.tag)] {
        if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            text.push_str(&format!(" {key}:\"{}\"", v.replace('"', "")));
        }
    }
    text
}

fn section_hit(hit: &Hit) -> SectionHit {
    SectionHit {
        anchor: hit.anchor.clone(),
        heading_path: hit.path.clone(),
        snippet: hit
            .snippet
            .parts()
            .into_iter()
            .map(|(text, hit)| SnippetPart {
                text: text.to_string(),
                hit,
            })
            .collect(),
        url: hit.url(),
    }
}

fn result_group(group: &HitGroup, drifting: &std::collections::BTreeSet<String>) -> ResultGroup {
    let rb = &group.runbook;
    ResultGroup {
        runbook: rb.stem.to_string(),
        title: rb.meta.title.clone(),
        service: rb.meta.service.to_string(),
        owners: rb.meta.owners.iter().map(|o| o.to_string()).collect(),
        tags: rb.meta.tags.clone(),
        restricted: matches!(rb.meta.visibility, Visibility::Restricted(_)),
        stale: rb.is_stale(today()),
        drifting: drifting.contains(rb.stem.as_ref()),
        sections: group.hits.iter().map(section_hit).collect(),
        more_sections: group.more,
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

    #[tracing::instrument(skip(self, caller), fields(q = %query.q))]
    async fn search_runbooks(
        &self,
        caller: &Caller,
        query: SearchQuery,
    ) -> Result<SearchResults, PortalError> {
        let groups = self.allowed(caller, Action::ReadRunbooks).await?;
        let limit = query.limit.unwrap_or(DEFAULT_GROUPS).clamp(1, MAX_LIMIT);
        let text = query_text(&query);
        let library = self.library.clone();
        let found = blocking(move || library.search_grouped(&text, &groups, limit))
            .await?
            .map_err(|e| {
                tracing::error!(error = %e, "search failed");
                PortalError::Internal
            })?;
        let drifting = self.drifting_stems().await;
        Ok(SearchResults {
            groups: found
                .groups
                .iter()
                .map(|g| result_group(g, &drifting))
                .collect(),
            total_sections: found.total,
            notices: found.notices,
        })
    }

    async fn facets(&self, caller: &Caller) -> Result<Facets, PortalError> {
        let groups = self.allowed(caller, Action::ReadRunbooks).await?;
        let visible = self.library.visible(&groups);
        let mut services: Vec<String> =
            visible.iter().map(|r| r.meta.service.to_string()).collect();
        let mut tags: Vec<String> = visible
            .iter()
            .flat_map(|r| r.meta.tags.iter().cloned())
            .collect();
        services.sort();
        services.dedup();
        tags.sort();
        tags.dedup();
        Ok(Facets { services, tags })
    }

    async fn runbook(&self, caller: &Caller, stem: String) -> Result<RunbookView, PortalError> {
        let groups = self.allowed(caller, Action::ReadRunbooks).await?;
        let Some(rb) = self.library.runbook(&stem, &groups) else {
            self.note_hidden_runbook(caller, &stem).await;
            return Err(PortalError::NotFound);
        };
        let today = today();
        let (restricted, visible_to) = match &rb.meta.visibility {
            Visibility::Internal => (false, Vec::new()),
            Visibility::Restricted(g) => (true, g.iter().map(|g| g.to_string()).collect()),
        };
        Ok(RunbookView {
            stem: rb.stem.to_string(),
            title: rb.meta.title.clone(),
            service: rb.meta.service.to_string(),
            owners: rb.meta.owners.iter().map(|o| o.to_string()).collect(),
            tags: rb.meta.tags.clone(),
            alerts: rb.meta.alerts.iter().map(|a| a.to_string()).collect(),
            restricted,
            groups: visible_to,
            last_reviewed: rb.meta.last_reviewed.to_string(),
            days_since_review: rb.days_since_review(today),
            stale: rb.is_stale(today),
            toc: rb
                .sections
                .iter()
                .filter(|s| (2..=4).contains(&s.level))
                .map(|s| TocEntry {
                    level: s.level,
                    anchor: s.anchor.clone(),
                    text: s.heading.clone(),
                })
                .collect(),
            html: rb.html.clone(),
            drift: self.drift_of(rb.stem.as_ref()).await,
            can_review: self.owns(caller, &rb.meta.owners),
        })
    }

    async fn index_status(&self, caller: &Caller) -> Result<IndexStatus, PortalError> {
        let groups = self.allowed(caller, Action::ViewIndexStatus).await?;
        let visible = self.library.visible(&groups);
        Ok(IndexStatus {
            runbooks: visible.len(),
            sections: visible.iter().map(|r| r.sections.len()).sum(),
            last_reindex: self
                .library
                .last_refresh()
                .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string()),
            problems: self
                .library
                .problems()
                .into_iter()
                .map(|p| FileProblem {
                    file: p.file,
                    line: p.line,
                    reason: p.reason,
                })
                .collect(),
        })
    }

    async fn audit_events(
        &self,
        caller: &Caller,
        query: AuditQuery,
    ) -> Result<AuditPage, PortalError> {
        let principal = principal_of(caller);
        self.guard
            .require(&principal, Action::ViewAudit, Resource::Portal, "audit")
            .await?;
        let filter = Filter::parse(
            query.actor.as_deref(),
            query.action.as_deref(),
            query.target.as_deref(),
            query.since.as_deref(),
            query.until.as_deref(),
            query.before.map(|b| b.to_string()).as_deref(),
        )
        .map_err(PortalError::BadRequest)?;
        let events = audit_query::newest(self.guard.db(), &filter, AUDIT_PAGE + 1)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "reading the audit log failed");
                PortalError::Internal
            })?;
        let more = events.len() as u64 > AUDIT_PAGE;
        let events: Vec<AuditEventView> = events
            .into_iter()
            .take(AUDIT_PAGE as usize)
            .map(|e| AuditEventView {
                seq: e.seq,
                at: e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                actor: e.actor,
                auth_method: e.auth_method,
                action: e.action,
                target: e.target,
                outcome: e.outcome,
                source: e.source,
                request_id: e.request_id,
                details: e.details.to_string(),
            })
            .collect();
        Ok(AuditPage {
            next_before: more.then(|| events.last().map(|e| e.seq)).flatten(),
            events,
        })
    }

    async fn tokens(&self, caller: &Caller) -> Result<TokensPage, PortalError> {
        let principal = principal_of(caller);
        let subject = principal
            .who
            .as_ref()
            .map(|w| w.subject.clone())
            .unwrap_or_default();
        let who = self
            .guard
            .require(
                &principal,
                Action::ManageTokens,
                Resource::TokensOf(&subject),
                "tokens",
            )
            .await?;
        let all = who.roles.admin;
        let now = chrono::Utc::now();
        let when = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
        let tokens = self
            .tokens
            .list((!all).then_some(subject.as_str()))
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "listing tokens failed");
                PortalError::Internal
            })?
            .into_iter()
            .map(|t| TokenView {
                status: if t.revoked_at.is_some() {
                    "revoked"
                } else if t.expires_at <= now {
                    "expired"
                } else {
                    "active"
                }
                .into(),
                id: t.id,
                name: t.name,
                owner: t.owner,
                scopes: t.scopes,
                created_at: when(t.created_at),
                expires_at: when(t.expires_at),
                last_used_at: t.last_used_at.map(when),
            })
            .collect();
        Ok(TokensPage {
            tokens,
            scopes: Scope::ALL
                .iter()
                .map(|s| ScopeOption {
                    name: s.name().into(),
                    description: s.description().into(),
                })
                .collect(),
            all,
        })
    }

    async fn deployment_services(&self, caller: &Caller) -> Result<Vec<String>, PortalError> {
        let principal = principal_of(caller);
        self.guard
            .require(
                &principal,
                Action::SubmitNotes,
                Resource::Portal,
                "deployments",
            )
            .await?;
        // Only services the caller could find runbooks for (and the configured ones): the
        // list must not tell of restricted runbooks.
        let groups = principal.who.as_ref().map_or(&[][..], |w| &w.groups[..]);
        Ok(self
            .intake
            .services_for(groups)
            .iter()
            .map(|s| s.to_string())
            .collect())
    }

    async fn submit_notes(&self, caller: &Caller, form: NotesForm) -> Result<String, PortalError> {
        use crate::deployments::{IntakeError, Retry, notes};
        let principal = principal_of(caller);
        let who = self
            .guard
            .require(
                &principal,
                Action::SubmitNotes,
                Resource::Portal,
                "deployments",
            )
            .await?;
        let request_hash =
            crate::hashing::sha256_hex(serde_json::to_string(&form).unwrap_or_default().as_bytes());
        let optional = |v: String| Some(v).filter(|v| !v.trim().is_empty());
        let raw = notes::NotesJson {
            service: optional(form.service),
            environment: optional(form.environment),
            version: optional(form.version),
            deployed_by: Some(who.name.clone()),
            body: Some(form.body),
            ..notes::NotesJson::default()
        };
        let retry = Retry {
            key: None,
            request_hash,
        };
        match self
            .intake
            .receive(who, &principal.origin, retry, raw)
            .await
        {
            Ok(done) => Ok(done.id),
            Err(err @ (IntakeError::Invalid(_) | IntakeError::KeyReused(_))) => {
                Err(PortalError::BadRequest(err.to_string()))
            }
            Err(IntakeError::Database(e)) => Err(internal("storing deployment notes", e)),
        }
    }

    async fn deployment(&self, caller: &Caller, id: String) -> Result<DeploymentView, PortalError> {
        let principal = principal_of(caller);
        self.guard
            .require(
                &principal,
                Action::ReadDeployments,
                Resource::Portal,
                "deployments",
            )
            .await?;
        let row = crate::deployments::find(self.guard.db(), &id)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "reading a deployment failed");
                PortalError::Internal
            })?
            .ok_or(PortalError::NotFound)?;
        let stored = |e| internal("reading a deployment", e);
        let redactions = row.redactions().map_err(stored)?;
        let links = row.links().map_err(stored)?;
        let catalog = self.library.catalog();
        let drafts = self
            .drafts
            .of_deployment(&row.id)
            .await
            .map_err(|e| internal("reading drafts", e))?
            .into_iter()
            // Restricted runbooks stay unnamed to those who may not read them.
            .filter(|d| {
                catalog
                    .get(&d.stem)
                    .is_none_or(|rb| self.can_read(caller, &rb.meta.visibility))
            })
            .map(|d| DraftLink {
                id: d.id,
                runbook: d.stem,
                is_new: d.is_new,
                status: d.status.to_string(),
            })
            .collect();
        Ok(DeploymentView {
            id: row.id,
            service: row.service,
            environment: row.environment,
            version: row.version,
            commit: row.commit_sha,
            deployed_by: row.deployed_by,
            deployed_at: row.deployed_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            body: row.body,
            links,
            redactions: redactions
                .into_iter()
                .map(|(category, count)| Redaction { category, count })
                .collect(),
            submitted_by: row.submitted_by,
            sanitizer_version: row.sanitizer_version,
            drafts,
        })
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
        self.allowed(caller, Action::RequestTemplates).await?;
        Ok(catalog::catalog_page(&self.planner.catalog, &query))
    }

    async fn template(&self, caller: &Caller, id: String) -> Result<TemplateView, PortalError> {
        self.allowed(caller, Action::RequestTemplates).await?;
        let template = self.planner.catalog.get(&id).ok_or(PortalError::NotFound)?;
        Ok(catalog::template_view(template))
    }

    async fn preview(
        &self,
        caller: &Caller,
        form: PreviewForm,
    ) -> Result<PreviewView, PortalError> {
        let principal = principal_of(caller);
        let who = self
            .guard
            .require(
                &principal,
                Action::RequestTemplates,
                Resource::Portal,
                "catalog",
            )
            .await?;
        let mut submitted: std::collections::BTreeMap<String, serde_json::Value> = form
            .values
            .into_iter()
            .map(|(k, v)| (k, serde_json::Value::String(v)))
            .collect();
        // A form leaves unchecked boxes out: for it, absent means false, not the default.
        if let Some(template) = self.planner.catalog.get(&form.template) {
            for p in &template.params {
                if matches!(p.kind, crate::catalog::params::ParamKind::Bool) {
                    submitted
                        .entry(p.name.clone())
                        .or_insert(serde_json::Value::Bool(false));
                }
            }
        }
        catalog::preview_view(&self.planner, who, &form.template, submitted).await
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
        let view = requests::submit(
            &self.requests,
            &self.guard,
            &principal_of(caller),
            &form.template,
            values,
        )
        .await?;
        Ok(view.record.request.id)
    }

    async fn request(&self, caller: &Caller, id: String) -> Result<RequestView, PortalError> {
        let shown = requests::view(&self.requests, &self.guard, &principal_of(caller), &id).await?;
        Ok(request_pages::page(&shown))
    }

    async fn my_requests(&self, caller: &Caller) -> Result<RequestList, PortalError> {
        let listed = requests::mine(&self.requests, &self.guard, &principal_of(caller)).await?;
        Ok(request_pages::list(&listed, chrono::Utc::now()))
    }

    async fn inbox(&self, caller: &Caller) -> Result<RequestList, PortalError> {
        let listed = requests::inbox(&self.requests, &self.guard, &principal_of(caller)).await?;
        Ok(request_pages::list(&listed, chrono::Utc::now()))
    }

    async fn decide_request(
        &self,
        caller: &Caller,
        decision: RequestDecision,
    ) -> Result<(), PortalError> {
        requests::decide(
            &self.requests,
            &self.guard,
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
        requests::resend_notification(
            &self.requests,
            &self.guard,
            &principal_of(caller),
            &resend.id,
            &resend.delivery,
        )
        .await
        .map(|_| ())
    }
}
