//! Data shared by browser and server: plain serde types, no behaviour, one module per
//! area of the portal; everything is re-exported here, so `app::dto::X` names any of them.

use serde::{Deserialize, Serialize};

mod audit;
mod catalog;
mod drafts;
mod requests;
mod runbooks;
mod tokens;

pub use audit::*;
pub use catalog::*;
pub use drafts::*;
pub use requests::*;
pub use runbooks::*;
pub use tokens::*;

/// The signed-in person as the UI shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub subject: String,
    pub name: String,
    /// A short label for the role ("Developer", "Approver", …).
    pub role_label: String,
    pub groups: Vec<String>,
    /// Role names (`developer`, `approver`, `security-reviewer`, `admin`,
    /// `runbook-owner:<team>`), for showing what the person may reach.
    pub roles: Vec<String>,
    /// How the session was established (`dev`, `oidc`, `token:<id>`).
    pub auth_method: String,
}

/// What the layout needs to know about the current visitor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SessionInfo {
    pub user: Option<UserInfo>,
    /// The loopback-only development sign-in is active (shown as a banner).
    pub dev_login: bool,
    /// Single sign-on is configured: the sign-in page offers it.
    pub sso: bool,
}

/// A demo identity offered by the development sign-in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Persona {
    pub id: String,
    pub name: String,
    pub role_label: String,
    pub groups: Vec<String>,
}
