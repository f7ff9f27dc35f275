//! Signing in and out as use cases: the session, the person's standing, their tokens'
//! groups and the audit event change together in one transaction. The routes only carry
//! cookies and redirects.

use sea_orm::DatabaseConnection;

use super::Identity;
use super::session::SessionStore;
use super::tokens::TokenStore;
use super::users;
use crate::audit::{AuditLog, Event, Origin, Outcome};

/// What signing in and out touch.
pub struct Accounts<'a> {
    pub db: &'a DatabaseConnection,
    pub audit: &'a AuditLog,
    pub sessions: &'a SessionStore,
    pub tokens: &'a TokenStore,
}

impl Accounts<'_> {
    /// Starts a session for `who` after ending `previous` (the id is rotated at every
    /// sign-in) and returns its token. A deactivated person gets `None` and a recorded
    /// refusal instead.
    pub async fn sign_in(
        &self,
        who: &Identity,
        origin: &Origin,
        previous: Option<&str>,
    ) -> Result<Option<String>, sea_orm::DbErr> {
        let txn = crate::db::begin_write(self.db).await?;
        let standing = users::record_signin(&txn, &who.subject, &who.name).await?;
        if let users::Standing::Deactivated { at, by } = standing {
            txn.rollback().await?;
            let event = Event::new(Some(who), "signin", format!("user:{}", who.subject))
                .outcome(Outcome::Denied)
                .origin(origin)
                .details(serde_json::json!({
                    "reason": "deactivated",
                    "deactivated_at": at.to_rfc3339(),
                    "deactivated_by": by,
                }));
            self.audit.record_or_log(self.db, &event).await;
            return Ok(None);
        }
        if let Some(old) = previous {
            self.sessions.end(&txn, old).await?;
        }
        let token = self.sessions.create(&txn, who).await?;
        let narrowed = self
            .tokens
            .narrow_groups(&txn, &who.subject, &who.groups)
            .await?;
        let event = Event::new(Some(who), "signin", format!("user:{}", who.subject))
            .origin(origin)
            .details(serde_json::json!({
                "groups": who.groups,
                "roles": who.roles.names(),
                "tokens_narrowed": narrowed,
            }));
        self.audit.append(&txn, &event).await?;
        txn.commit().await?;
        Ok(Some(token))
    }

    /// Ends the session behind `token`; the sign-out is audited when a session ended.
    pub async fn sign_out(
        &self,
        who: Option<&Identity>,
        origin: &Origin,
        token: &str,
    ) -> Result<(), sea_orm::DbErr> {
        let txn = crate::db::begin_write(self.db).await?;
        let ended = self.sessions.end(&txn, token).await?;
        if ended && let Some(who) = who {
            let event =
                Event::new(Some(who), "signout", format!("user:{}", who.subject)).origin(origin);
            self.audit.append(&txn, &event).await?;
        }
        txn.commit().await
    }
}
