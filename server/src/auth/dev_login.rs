//! The development sign-in: demo personas, offered only on loopback without an identity
//! provider (see [`Config::dev_login_enabled`](crate::config::Config::dev_login_enabled)).

use crate::runbooks::names::GroupName;

use super::Identity;

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
        groups: &["sre", "payments-oncall"],
    },
];

pub fn persona(id: &str) -> Option<&'static Persona> {
    PERSONAS.iter().find(|p| p.id == id)
}

impl Persona {
    pub fn identity(&self) -> Identity {
        Identity {
            subject: format!("dev:{}", self.id),
            name: self.name.to_string(),
            role_label: self.role_label.to_string(),
            groups: self
                .groups
                .iter()
                .filter_map(|g| GroupName::parse(g).ok())
                .collect(),
            auth_method: "dev".to_string(),
        }
    }
}
