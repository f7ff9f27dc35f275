//! Who is asking: identities, sessions, the development sign-in, and the one place that
//! decides what an identity may do ([`authz`]).

pub mod authz;
pub mod dev_login;
pub mod session;

use crate::runbooks::names::GroupName;

/// An authenticated person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub subject: String,
    pub name: String,
    pub role_label: String,
    pub groups: Vec<GroupName>,
    /// How they signed in: `dev` for now.
    pub auth_method: String,
}
