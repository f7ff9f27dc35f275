//! The development sign-in: demo personas, offered only on loopback without an identity
//! provider (see [`Config::dev_login_enabled`](crate::config::Config::dev_login_enabled)).

use crate::runbooks::names::GroupName;

use super::Identity;
use super::roles::RoleMap;

/// A demo persona.
#[derive(Debug, Clone, Copy)]
pub struct Persona {
    pub id: &'static str,
    pub name: &'static str,
    pub role_label: &'static str,
    pub groups: &'static [&'static str],
}

/// The personas, one per kind of user.
pub const PERSONAS: &[Persona] = &[
    Persona {
        id: "developer",
        name: "Dana Developer",
        role_label: "Developer",
        groups: &["developers"],
    },
    Persona {
        id: "approver",
        name: "Avery Approver",
        role_label: "Approver",
        groups: &["developers", "approvers"],
    },
    Persona {
        id: "security",
        name: "Sam Security",
        role_label: "Security reviewer",
        groups: &["security-reviewers", "security-oncall"],
    },
    Persona {
        id: "oncall",
        name: "Oli On-call",
        role_label: "On-call engineer",
        groups: &["sre", "payments-oncall", "team-payments"],
    },
    Persona {
        id: "admin",
        name: "Ada Admin",
        role_label: "Admin",
        groups: &["developers", "gatehouse-admins"],
    },
];

pub fn persona(id: &str) -> Option<&'static Persona> {
    PERSONAS.iter().find(|p| p.id == id)
}

impl Persona {
    /// The identity of this persona; roles come from its groups like anyone's.
    pub fn identity(&self, roles: &RoleMap) -> Identity {
        let groups: Vec<GroupName> = self
            .groups
            .iter()
            .filter_map(|g| GroupName::parse(g).ok())
            .collect();
        Identity {
            subject: format!("dev:{}", self.id),
            name: self.name.to_string(),
            role_label: self.role_label.to_string(),
            roles: roles.roles_for(&groups),
            groups,
            auth_method: "dev".to_string(),
            scopes: None,
        }
    }
}
