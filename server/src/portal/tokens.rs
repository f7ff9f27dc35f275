//! API tokens for people signed in to the portal, from the tokens page and the JSON API
//! alike: list, create (the secret is shown once), revoke. A token cannot manage tokens: its
//! scopes never include that action. The CLI's `gatehouse token create` is the operator's
//! own path and needs no sign-in.

use app::dto::{ScopeOption, TokenView, TokensPage};
use app::error::PortalError;
use app::port::Caller;
use chrono::{DateTime, Utc};

use super::{PortalService, internal, principal_of};
use crate::access::{Denied, Guard, Principal};
use crate::auth::Identity;
use crate::auth::authz::{Action, Resource};
use crate::auth::scopes::Scope;
use crate::auth::tokens::{NewToken, TokenInfo, TokenStore, parse_ttl};

/// Whose tokens to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose {
    Mine,
    /// Everyone's: only for someone who may manage any owner's tokens.
    Everyone,
    /// Everyone's for those who may manage them, else the caller's own (the tokens page).
    AllICanManage,
}

/// What someone asked for.
#[derive(Debug, Clone, Default)]
pub struct TokenForm {
    pub name: String,
    pub scopes: Vec<String>,
    pub ttl: String,
}

/// A token just made: the secret, shown this once.
pub struct Issued {
    pub id: String,
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// The tokens use cases, the only way in for the page and the JSON API.
#[derive(Clone)]
pub struct Tokens {
    store: TokenStore,
    guard: Guard,
}

fn subject_of(principal: &Principal) -> &str {
    principal.who.as_ref().map_or("", |w| w.subject.as_str())
}

fn listing_failed(e: sea_orm::DbErr) -> PortalError {
    internal("listing tokens", e)
}

impl Tokens {
    pub fn new(store: TokenStore, guard: Guard) -> Self {
        Self { store, guard }
    }

    /// The tokens asked for, newest first, and whether they are everyone's.
    pub async fn list(
        &self,
        principal: &Principal,
        whose: Whose,
    ) -> Result<(Vec<TokenInfo>, bool), PortalError> {
        let subject = subject_of(principal);
        let owner = if whose == Whose::Everyone {
            "*"
        } else {
            subject
        };
        let who = self
            .guard
            .require(
                principal,
                Action::ManageTokens,
                Resource::TokensOf(owner),
                "tokens",
            )
            .await?;
        let all = match whose {
            Whose::Mine => false,
            Whose::Everyone => true,
            Whose::AllICanManage => {
                crate::auth::authz::can(Some(who), Action::ManageTokens, Resource::TokensOf("*"))
            }
        };
        let tokens = self
            .store
            .list((!all).then_some(subject))
            .await
            .map_err(listing_failed)?;
        Ok((tokens, all))
    }

    /// Creates a token for the caller, with their groups; the message of a bad request
    /// says what to fix.
    pub async fn create(
        &self,
        principal: &Principal,
        form: &TokenForm,
    ) -> Result<Issued, PortalError> {
        let who = self
            .guard
            .require(
                principal,
                Action::ManageTokens,
                Resource::TokensOf(subject_of(principal)),
                "tokens",
            )
            .await?;
        let new = new_token(who, form)?;
        let (id, token) = self
            .store
            .issue(self.guard.audit(), who, &principal.origin, &new, &form.ttl)
            .await
            .map_err(|e| internal("creating a token", e))?;
        Ok(Issued {
            id,
            token,
            expires_at: Utc::now() + new.ttl,
        })
    }

    /// Revokes a token its owner or an admin names. To anyone else it does not exist.
    pub async fn revoke(&self, principal: &Principal, id: &str) -> Result<(), PortalError> {
        let owner = self
            .store
            .owner_of(id)
            .await
            .map_err(|e| internal("finding a token", e))?;
        let Some(owner) = owner else {
            return Err(if principal.who.is_some() {
                PortalError::NotFound
            } else {
                PortalError::Unauthenticated
            });
        };
        let who = self
            .guard
            .require(
                principal,
                Action::ManageTokens,
                Resource::TokensOf(&owner),
                &format!("token:{id}"),
            )
            .await
            .map_err(|d| match d {
                Denied::Forbidden => PortalError::NotFound,
                d => d.into(),
            })?;
        self.store
            .withdraw(self.guard.audit(), who, &principal.origin, id)
            .await
            .map_err(|e| internal("revoking a token", e))?;
        Ok(())
    }
}

/// Checks a token request; the message says what to fix.
fn new_token(who: &Identity, form: &TokenForm) -> Result<NewToken, PortalError> {
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(PortalError::BadRequest(
            "name the token (1 to 100 characters), for example `ci-deploy`".into(),
        ));
    }
    let scopes = Scope::parse_list(&form.scopes.join(",")).map_err(PortalError::BadRequest)?;
    let ttl = parse_ttl(&form.ttl).map_err(PortalError::BadRequest)?;
    Ok(NewToken {
        name: name.to_string(),
        owner: who.subject.clone(),
        owner_name: who.name.clone(),
        groups: who.groups.clone(),
        scopes,
        ttl,
        created_by: who.subject.clone(),
    })
}

impl PortalService {
    pub(super) async fn tokens_page(&self, caller: &Caller) -> Result<TokensPage, PortalError> {
        let (tokens, all) = self
            .tokens
            .list(&principal_of(caller), Whose::AllICanManage)
            .await?;
        let now = Utc::now();
        let when = |t: DateTime<Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
        let tokens = tokens
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
}
