//! The tokens API's JSON. Times are RFC 3339 in UTC, as chrono writes them; a token's
//! secret appears only in [`IssuedJson`], the answer to its creation.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::auth::tokens::TokenInfo;
use crate::portal::tokens::Issued;

#[derive(Debug, Serialize)]
pub struct TokenJson {
    pub id: String,
    pub name: String,
    pub owner: String,
    pub scopes: Vec<String>,
    pub groups: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<&TokenInfo> for TokenJson {
    fn from(t: &TokenInfo) -> Self {
        Self {
            id: t.id.clone(),
            name: t.name.clone(),
            owner: t.owner.clone(),
            scopes: t.scopes.clone(),
            groups: t.groups.clone(),
            created_at: t.created_at,
            expires_at: t.expires_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct TokenListJson {
    pub tokens: Vec<TokenJson>,
}

impl TokenListJson {
    pub fn new(tokens: &[TokenInfo]) -> Self {
        Self {
            tokens: tokens.iter().map(TokenJson::from).collect(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct IssuedJson {
    pub id: String,
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub note: &'static str,
}

impl From<Issued> for IssuedJson {
    fn from(i: Issued) -> Self {
        Self {
            id: i.id,
            token: i.token,
            expires_at: i.expires_at,
            note: "copy the token now: it is not shown again",
        }
    }
}

#[derive(Debug, Serialize)]
pub struct RevokedJson {
    pub id: String,
    pub revoked: bool,
}
