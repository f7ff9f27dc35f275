//! The audit log for auditors, from the audit page and the JSON API alike: the newest
//! events that match a filter, and an export of them all (which is itself audited).

use app::dto::{AuditEventView, AuditPage, AuditQuery};
use app::error::PortalError;
use app::port::Caller;
use futures_util::Stream;
use sea_orm::{DatabaseConnection, DbErr};

use super::{PortalService, internal, principal_of};
use crate::access::{Denied, Guard, Principal};
use crate::audit::Event;
use crate::audit::query::{self, EventRecord, Filter};
use crate::auth::authz::{Action, Resource};

/// Audit events per page on the auditor page.
const AUDIT_PAGE: u64 = 100;
/// Events read at a time while exporting.
const EXPORT_PAGE: u64 = 500;

/// The audit use cases: each checks the caller may view the audit log.
#[derive(Clone)]
pub struct AuditTrail {
    guard: Guard,
}

/// Someone allowed to view the audit log. Only [`AuditTrail::auditor`] makes one, so the
/// adapters check the caller before they parse a filter, and nothing checks twice.
pub struct Auditor<'a> {
    principal: &'a Principal,
}

/// Every event that matches a filter, oldest first, read a page at a time.
pub struct Export {
    db: DatabaseConnection,
    filter: Filter,
}

impl Export {
    /// The events as JSON Lines, one chunk per page.
    pub fn json_lines(self) -> impl Stream<Item = Result<String, DbErr>> + Send + 'static {
        let Export { db, filter } = self;
        futures_util::stream::try_unfold(0i64, move |after| {
            let (db, filter) = (db.clone(), filter.clone());
            async move {
                let page = query::page_after(&db, &filter, after, EXPORT_PAGE).await?;
                let Some(last) = page.last().map(|e| e.seq) else {
                    return Ok(None);
                };
                let mut chunk = String::new();
                for event in &page {
                    chunk.push_str(&serde_json::to_string(event).unwrap_or_default());
                    chunk.push('\n');
                }
                Ok(Some((chunk, last)))
            }
        })
    }
}

impl AuditTrail {
    pub fn new(guard: Guard) -> Self {
        Self { guard }
    }

    /// The caller as an auditor, or why they may not look (audited like every refusal).
    pub async fn auditor<'a>(&self, principal: &'a Principal) -> Result<Auditor<'a>, Denied> {
        self.guard
            .require(principal, Action::ViewAudit, Resource::Portal, "audit")
            .await?;
        Ok(Auditor { principal })
    }

    /// The newest `limit` events that match, newest first.
    pub async fn newest(
        &self,
        _auditor: &Auditor<'_>,
        filter: &Filter,
        limit: u64,
    ) -> Result<Vec<EventRecord>, PortalError> {
        query::newest(self.guard.db(), filter, limit)
            .await
            .map_err(|e| internal("reading the audit log", e))
    }

    /// Records that the caller exports the log (with the filter as they sent it), then
    /// hands back the export to stream.
    pub async fn export(
        &self,
        auditor: Auditor<'_>,
        filter: Filter,
        as_sent: serde_json::Value,
    ) -> Result<Export, PortalError> {
        let principal = auditor.principal;
        let event = Event::new(principal.who.as_ref(), "audit.export", "audit")
            .origin(&principal.origin)
            .details(serde_json::json!({ "filter": as_sent }));
        self.guard
            .audit()
            .record(self.guard.db(), &event)
            .await
            .map_err(|e| internal("recording an audit export", e))?;
        Ok(Export {
            db: self.guard.db().clone(),
            filter,
        })
    }
}

impl PortalService {
    pub(super) async fn audit_page(
        &self,
        caller: &Caller,
        query: AuditQuery,
    ) -> Result<AuditPage, PortalError> {
        let principal = principal_of(caller);
        // The caller first: a bad filter from someone who may not look is still a denial.
        let auditor = self.audit.auditor(&principal).await?;
        let filter = Filter::parse(
            query.actor.as_deref(),
            query.action.as_deref(),
            query.target.as_deref(),
            query.since.as_deref(),
            query.until.as_deref(),
            query.before.map(|b| b.to_string()).as_deref(),
        )
        .map_err(PortalError::BadRequest)?;
        let events = self.audit.newest(&auditor, &filter, AUDIT_PAGE + 1).await?;
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
}
