//! Runbooks and search for the pages and the JSON API alike: the caller becomes a
//! [`Reader`] once (the groups they read with), then searches, opens runbooks and follows
//! alert links with it. Blocking index work runs on the blocking pool.

use std::sync::Arc;

use app::dto::{
    Facets, FileProblem, IndexStatus, ResultGroup, RunbookView, SearchQuery, SearchResults,
    SectionHit, SnippetPart, TocEntry,
};
use app::error::PortalError;
use app::port::Caller;

use super::{DEFAULT_GROUPS, MAX_LIMIT, PortalService, blocking, internal, principal_of};
use crate::access::{Denied, Guard, Principal};
use crate::auth::authz::{Action, Resource, can};
use crate::drafts::revisions;
use crate::entities::runbook_revision;
use crate::runbooks::catalog::Runbook;
use crate::runbooks::front_matter::Visibility;
use crate::runbooks::library::LibraryError;
use crate::runbooks::library::today;
use crate::runbooks::names::GroupName;
use crate::runbooks::search::{FlatResults, GroupedResults, Hit, HitGroup};
use crate::runbooks::{AlertTarget, RunbookLibrary};

/// Someone allowed to read runbooks, with the groups that decide which. Only
/// [`Runbooks::reader`] makes one.
pub struct Reader<'a> {
    principal: &'a Principal,
    groups: Vec<GroupName>,
}

/// The runbooks use cases, the only way in for the pages and the JSON API.
#[derive(Clone)]
pub struct Runbooks {
    library: Arc<RunbookLibrary>,
    guard: Guard,
}

impl Runbooks {
    pub fn new(library: Arc<RunbookLibrary>, guard: Guard) -> Self {
        Self { library, guard }
    }

    /// The caller as a reader, or why they may not read (audited like every refusal).
    pub async fn reader<'a>(&self, principal: &'a Principal) -> Result<Reader<'a>, Denied> {
        let groups = self.guard.reader_groups(principal).await?;
        Ok(Reader { principal, groups })
    }

    /// Sections as a flat list, for tools.
    pub async fn search_flat(
        &self,
        reader: &Reader<'_>,
        text: String,
        limit: usize,
    ) -> Result<FlatResults, PortalError> {
        self.search(reader, move |library, groups| {
            library.search_flat(&text, groups, limit)
        })
        .await
    }

    /// Sections grouped by runbook, for the pages.
    pub async fn search_grouped(
        &self,
        reader: &Reader<'_>,
        text: String,
        limit: usize,
    ) -> Result<GroupedResults, PortalError> {
        self.search(reader, move |library, groups| {
            library.search_grouped(&text, groups, limit)
        })
        .await
    }

    /// Runs a search with the reader's groups on the blocking pool.
    async fn search<T: Send + 'static>(
        &self,
        reader: &Reader<'_>,
        run: impl FnOnce(&RunbookLibrary, &[GroupName]) -> Result<T, LibraryError> + Send + 'static,
    ) -> Result<T, PortalError> {
        let (library, groups) = (self.library.clone(), reader.groups.clone());
        blocking(move || run(&library, &groups))
            .await?
            .map_err(|e| internal("search", e))
    }

    /// Where an alert's `runbook_url` leads this reader.
    pub fn alert_target(&self, reader: &Reader<'_>, alert: &str) -> AlertTarget {
        self.library.alert_target(alert, &reader.groups)
    }

    /// Every runbook the reader may see.
    pub fn visible(&self, reader: &Reader<'_>) -> Vec<Arc<Runbook>> {
        self.library.visible(&reader.groups)
    }

    /// One runbook the reader may see. One that exists but is restricted to groups they are
    /// not in is "not found" to them, and a denial in the audit log.
    pub async fn open(&self, reader: &Reader<'_>, stem: &str) -> Result<Arc<Runbook>, PortalError> {
        if let Some(rb) = self.library.runbook(stem, &reader.groups) {
            return Ok(rb);
        }
        let catalog = self.library.catalog();
        if let Some(rb) = catalog.runbooks.values().find(|r| r.stem.as_ref() == stem) {
            let _ = self
                .guard
                .require(
                    reader.principal,
                    Action::ReadRunbooks,
                    Resource::Runbook(&rb.meta.visibility),
                    &format!("runbook:{stem}"),
                )
                .await;
        }
        Err(PortalError::NotFound)
    }

    /// A runbook the reader may see and its accepted revisions, newest first.
    pub async fn history(
        &self,
        reader: &Reader<'_>,
        stem: &str,
    ) -> Result<(Arc<Runbook>, Vec<runbook_revision::Model>), PortalError> {
        let rb = self.open(reader, stem).await?;
        let revisions = revisions::history(self.guard.db(), stem)
            .await
            .map_err(|e| internal("reading runbook history", e))?;
        Ok((rb, revisions))
    }

    /// The index as those who may see its status see it: what they may read of it, and
    /// every file that could not be indexed.
    pub async fn index_status(&self, principal: &Principal) -> Result<IndexStatus, PortalError> {
        let groups = self
            .guard
            .groups_for(principal, Action::ViewIndexStatus, "portal")
            .await?;
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

impl PortalService {
    #[tracing::instrument(skip(self, caller), fields(q = %query.q))]
    pub(super) async fn search(
        &self,
        caller: &Caller,
        query: SearchQuery,
    ) -> Result<SearchResults, PortalError> {
        let principal = principal_of(caller);
        let reader = self.runbooks.reader(&principal).await?;
        let limit = query.limit.unwrap_or(DEFAULT_GROUPS).clamp(1, MAX_LIMIT);
        let found = self
            .runbooks
            .search_grouped(&reader, query_text(&query), limit)
            .await?;
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
        let principal = principal_of(caller);
        let reader = self.runbooks.reader(&principal).await?;
        let visible = self.runbooks.visible(&reader);
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
        let principal = principal_of(caller);
        let reader = self.runbooks.reader(&principal).await?;
        let rb = self.runbooks.open(&reader, &stem).await?;
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
            can_review: can(
                principal.who.as_ref(),
                Action::ReviewDrafts,
                Resource::OwnedBy(&rb.meta.owners),
            ),
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
