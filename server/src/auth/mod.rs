//! Who is asking: identities, sessions, the development sign-in, and the one place that
//! decides what an identity may do ([`authz`]).

pub mod authz;
pub mod dev_login;
pub mod oidc;
pub mod roles;
pub mod scopes;
pub mod session;
pub mod settings;
pub mod signin;
pub mod tokens;
pub mod users;

use crate::runbooks::names::GroupName;
use roles::Roles;
use scopes::Scope;

/// An authenticated person, or a token acting for one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub subject: String,
    pub name: String,
    pub role_label: String,
    pub groups: Vec<GroupName>,
    /// Derived from `groups` by the configured [`roles::RoleMap`].
    pub roles: Roles,
    /// How they authenticated: `dev`, `oidc` or `token:<id>`.
    pub auth_method: String,
    /// For API tokens, what the token may be used for; `None` for a browser session.
    pub scopes: Option<Vec<Scope>>,
}

impl crate::audit::Actor for Identity {
    fn subject(&self) -> &str {
        &self.subject
    }

    fn auth_method(&self) -> &str {
        &self.auth_method
    }
}
