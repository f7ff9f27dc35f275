//! Search, the runbook page and the index status, for the pages: each asks which groups the
//! caller reads with, then the library (its blocking work on the blocking pool).

use app::dto::{
    Facets, FileProblem, IndexStatus, ResultGroup, RunbookView, SearchQuery, SearchResults,
    SectionHit, SnippetPart, TocEntry,
};
use app::error::PortalError;
use app::port::Caller;

use super::{DEFAULT_GROUPS, MAX_LIMIT, PortalService, blocking, principal_of};
use crate::auth::authz::{Action, Resource};
use crate::runbooks::front_matter::Visibility;
use crate::runbooks::library::today;
use crate::runbooks::search::{Hit, HitGroup};

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

    #[tracing::instrument(skip(self, caller), fields(q = %query.q))]
    pub(super) async fn search(
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

    pub(super) async fn facets_for(&self, caller: &Caller) -> Result<Facets, PortalError> {
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

    pub(super) async fn open_runbook(
        &self,
        caller: &Caller,
        stem: String,
    ) -> Result<RunbookView, PortalError> {
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

    pub(super) async fn status_for(&self, caller: &Caller) -> Result<IndexStatus, PortalError> {
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
