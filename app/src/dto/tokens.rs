//! The API tokens page.

use serde::{Deserialize, Serialize};

/// An API token as listed (never its secret).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenView {
    pub id: String,
    pub name: String,
    pub owner: String,
    pub scopes: Vec<String>,
    pub created_at: String,
    pub expires_at: String,
    pub last_used_at: Option<String>,
    /// `active`, `expired` or `revoked`.
    pub status: String,
}

/// A scope a token may be given, for the creation form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeOption {
    pub name: String,
    pub description: String,
}

/// The tokens page: the caller's tokens (everyone's for admins) and the creation form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokensPage {
    pub tokens: Vec<TokenView>,
    pub scopes: Vec<ScopeOption>,
    /// The caller sees everyone's tokens (admins).
    pub all: bool,
}
