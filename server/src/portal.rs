//! The server's implementation of the UI's [`Portal`] port: authorization checks, then the
//! domain, then DTOs. Blocking index work runs on the blocking pool.

use std::sync::Arc;

use app::dto::{
    Facets, FileProblem, IndexStatus, Persona, ResultGroup, RunbookView, SearchQuery,
    SearchResults, SectionHit, SessionInfo, SnippetPart, TocEntry, UserInfo,
};
use app::error::PortalError;
use app::port::{Caller, Portal};

use crate::auth::authz::{Action, can};
use crate::auth::{Identity, dev_login};
use crate::runbooks::RunbookLibrary;
use crate::runbooks::front_matter::Visibility;
use crate::runbooks::library::today;
use crate::runbooks::names::GroupName;
use crate::runbooks::search::{Hit, HitGroup};

/// Runbooks shown per page of results, and the most a caller may ask for.
pub const DEFAULT_GROUPS: usize = 20;
pub const MAX_LIMIT: usize = 100;

pub struct PortalService {
    pub library: Arc<RunbookLibrary>,
    pub dev_login: bool,
}

/// The identity behind a UI caller.
pub fn identity_of(caller: &Caller) -> Option<Identity> {
    caller.user.as_ref().map(|u| Identity {
        subject: u.subject.clone(),
        name: u.name.clone(),
        role_label: u.role_label.clone(),
        groups: u
            .groups
            .iter()
            .filter_map(|g| GroupName::parse(g).ok())
            .collect(),
        auth_method: u.auth_method.clone(),
    })
}

/// The UI caller for an identity.
pub fn caller_of(identity: Option<&Identity>) -> Caller {
    Caller {
        user: identity.map(|who| UserInfo {
            subject: who.subject.clone(),
            name: who.name.clone(),
            role_label: who.role_label.clone(),
            groups: who.groups.iter().map(|g| g.to_string()).collect(),
            auth_method: who.auth_method.clone(),
        }),
    }
}

/// The caller's groups if they may do `action`, else the error to show.
fn allowed(caller: &Caller, action: Action) -> Result<Vec<GroupName>, PortalError> {
    let who = identity_of(caller);
    if !can(who.as_ref(), action) {
        return Err(PortalError::Unauthenticated);
    }
    Ok(who.map(|w| w.groups).unwrap_or_default())
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

fn result_group(group: &HitGroup) -> ResultGroup {
    let rb = &group.runbook;
    ResultGroup {
        runbook: rb.stem.to_string(),
        title: rb.meta.title.clone(),
        service: rb.meta.service.to_string(),
        owners: rb.meta.owners.iter().map(|o| o.to_string()).collect(),
        tags: rb.meta.tags.clone(),
        restricted: matches!(rb.meta.visibility, Visibility::Restricted(_)),
        stale: rb.is_stale(today()),
        sections: group.hits.iter().map(section_hit).collect(),
        more_sections: group.more,
    }
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
        let groups = allowed(caller, Action::ReadRunbooks)?;
        let limit = query.limit.unwrap_or(DEFAULT_GROUPS).clamp(1, MAX_LIMIT);
        let text = query_text(&query);
        let library = self.library.clone();
        let found = blocking(move || library.search_grouped(&text, &groups, limit))
            .await?
            .map_err(|e| {
                tracing::error!(error = %e, "search failed");
                PortalError::Internal
            })?;
        Ok(SearchResults {
            groups: found.groups.iter().map(result_group).collect(),
            total_sections: found.total,
            notices: found.notices,
        })
    }

    async fn facets(&self, caller: &Caller) -> Result<Facets, PortalError> {
        let groups = allowed(caller, Action::ReadRunbooks)?;
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
        let groups = allowed(caller, Action::ReadRunbooks)?;
        let rb = self
            .library
            .runbook(&stem, &groups)
            .ok_or(PortalError::NotFound)?;
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
        })
    }

    async fn index_status(&self, caller: &Caller) -> Result<IndexStatus, PortalError> {
        let groups = allowed(caller, Action::ViewIndexStatus)?;
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
}
