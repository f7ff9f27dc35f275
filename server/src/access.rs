//! The request-side of authorization: who is calling (a [`Principal`]), and [`Guard`], which
//! asks [`can`] and records every denial of a signed-in caller in the audit log.

use sea_orm::DatabaseConnection;

use crate::audit::{AuditLog, Event, Origin, Outcome};
use crate::auth::Identity;
use crate::auth::authz::{Action, Resource, can};
use crate::runbooks::names::GroupName;

/// The caller of one request: their identity (if any) and where the request came from.
#[derive(Debug, Clone, Default)]
pub struct Principal {
    pub who: Option<Identity>,
    pub origin: Origin,
}

/// Why a check failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("sign in first")]
    Unauthenticated,
    #[error("not allowed")]
    Forbidden,
}

#[derive(Clone)]
pub struct Guard {
    db: DatabaseConnection,
    audit: AuditLog,
}

impl Guard {
    pub fn new(db: DatabaseConnection, audit: AuditLog) -> Self {
        Self { db, audit }
    }

    pub fn audit(&self) -> &AuditLog {
        &self.audit
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// The groups of a caller who may search and read runbooks (for the index filter).
    pub async fn reader_groups(&self, principal: &Principal) -> Result<Vec<GroupName>, Denied> {
        self.groups_for(principal, Action::ReadRunbooks, "runbooks")
            .await
    }

    /// The groups of a caller who may do `action` on the portal as a whole.
    pub async fn groups_for(
        &self,
        principal: &Principal,
        action: Action,
        target: &str,
    ) -> Result<Vec<GroupName>, Denied> {
        let who = self
            .require(principal, action, Resource::Portal, target)
            .await?;
        Ok(who.groups.clone())
    }

    /// The caller's identity if they may do `action` on `resource`. A signed-in caller who
    /// may not is recorded as `denied` with `target`.
    pub async fn require<'p>(
        &self,
        principal: &'p Principal,
        action: Action,
        resource: Resource<'_>,
        target: &str,
    ) -> Result<&'p Identity, Denied> {
        let who = principal.who.as_ref();
        if can(who, action, resource) {
            return who.ok_or(Denied::Unauthenticated);
        }
        let Some(who) = who else {
            return Err(Denied::Unauthenticated);
        };
        let event = Event::new(Some(who), "access.denied", target)
            .outcome(Outcome::Denied)
            .origin(&principal.origin)
            .details(serde_json::json!({ "action": format!("{action:?}") }));
        self.audit.record_or_log(&self.db, &event).await;
        Err(Denied::Forbidden)
    }
}
