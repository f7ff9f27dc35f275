//! Roles from groups. The identity provider says which groups a person is in; the
//! configuration says which groups make an approver, a security reviewer, an admin or the
//! owner of a team's runbooks. Every signed-in person is a developer.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::runbooks::names::GroupName;

/// What a person may do beyond developing, as derived from their groups.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Roles {
    pub approver: bool,
    pub security_reviewer: bool,
    pub admin: bool,
    /// Teams whose runbooks this person owns (`team-payments`).
    pub runbook_owner_of: Vec<String>,
}

impl Roles {
    /// The most senior role, for display.
    pub fn label(&self) -> &'static str {
        if self.admin {
            "Admin"
        } else if self.security_reviewer {
            "Security reviewer"
        } else if self.approver {
            "Approver"
        } else if !self.runbook_owner_of.is_empty() {
            "Runbook owner"
        } else {
            "Developer"
        }
    }

    /// Role names as shown in the UI and the README table: `developer`, `approver`, …
    pub fn names(&self) -> Vec<String> {
        let mut names = vec!["developer".to_string()];
        for (held, name) in [
            (self.approver, "approver"),
            (self.security_reviewer, "security-reviewer"),
            (self.admin, "admin"),
        ] {
            if held {
                names.push(name.to_string());
            }
        }
        names.extend(
            self.runbook_owner_of
                .iter()
                .map(|t| format!("runbook-owner:{t}")),
        );
        names
    }
}

/// Which groups grant which role. Loaded from the `[roles]` table of the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleMap {
    pub approver: Vec<GroupName>,
    pub security_reviewer: Vec<GroupName>,
    pub admin: Vec<GroupName>,
    /// Team → groups that own its runbooks. A group named exactly like a team also owns it.
    pub runbook_owners: BTreeMap<String, Vec<GroupName>>,
}

impl Default for RoleMap {
    /// The defaults the README documents and the development personas use.
    fn default() -> Self {
        let groups = |names: &[&str]| {
            names
                .iter()
                .filter_map(|n| GroupName::parse(n).ok())
                .collect::<Vec<_>>()
        };
        Self {
            approver: groups(&["approvers"]),
            security_reviewer: groups(&["security-reviewers"]),
            admin: groups(&["gatehouse-admins"]),
            runbook_owners: BTreeMap::new(),
        }
    }
}

impl RoleMap {
    /// The roles of a member of `groups`.
    pub fn roles_for(&self, groups: &[GroupName]) -> Roles {
        let any = |granting: &[GroupName]| granting.iter().any(|g| groups.contains(g));
        let mut owner_of: Vec<String> = self
            .runbook_owners
            .iter()
            .filter(|(_, granting)| any(granting))
            .map(|(team, _)| team.clone())
            .collect();
        owner_of.extend(
            groups
                .iter()
                .filter(|g| g.as_ref().starts_with("team-"))
                .map(|g| g.to_string()),
        );
        owner_of.sort();
        owner_of.dedup();
        Roles {
            approver: any(&self.approver),
            security_reviewer: any(&self.security_reviewer),
            admin: any(&self.admin),
            runbook_owner_of: owner_of,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(names: &[&str]) -> Vec<GroupName> {
        names.iter().map(|n| GroupName::parse(n).unwrap()).collect()
    }

    #[test]
    fn groups_grant_roles_and_everyone_develops() {
        let mut map = RoleMap::default();
        map.runbook_owners
            .insert("team-payments".into(), groups(&["payments-oncall"]));
        let plain = map.roles_for(&groups(&["developers"]));
        assert_eq!(plain, Roles::default());
        assert_eq!(plain.label(), "Developer");
        assert_eq!(plain.names(), ["developer"]);

        let owner = map.roles_for(&groups(&["payments-oncall", "team-dba"]));
        assert_eq!(owner.runbook_owner_of, ["team-dba", "team-payments"]);
        assert!(!owner.approver && !owner.admin);

        let admin = map.roles_for(&groups(&["gatehouse-admins", "approvers"]));
        assert!(admin.admin && admin.approver && !admin.security_reviewer);
        assert_eq!(admin.label(), "Admin");
    }
}
