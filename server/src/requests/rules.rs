//! Who counts as what when approving, and when a request has enough approvals. The
//! "may this person decide at all" question is `authz::can`; this adds the counting rules.

use crate::auth::Identity;
use crate::auth::authz::{Action, Resource, can};

/// The role an approval counts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApproverRole {
    Owner,
    Approver,
    SecurityReviewer,
}

impl ApproverRole {
    pub fn name(self) -> &'static str {
        match self {
            ApproverRole::Owner => "owner",
            ApproverRole::Approver => "approver",
            ApproverRole::SecurityReviewer => "security-reviewer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Owner, Self::Approver, Self::SecurityReviewer]
            .into_iter()
            .find(|r| r.name() == s)
    }
}

/// The role `who` holds now that counts most for a request of `tier`: for tier 1 a
/// security reviewer counts as one (the rule needs one), else approver, else owner.
/// Who may decide at all is `authz::can`'s answer alone; this only names the role.
pub fn counted_role(who: &Identity, tier: u8, owners: &[String]) -> Option<ApproverRole> {
    if !can(
        Some(who),
        Action::DecideRequests,
        Resource::Request { tier, owners },
    ) {
        return None;
    }
    Some(if tier == 1 && who.roles.security_reviewer {
        ApproverRole::SecurityReviewer
    } else if who.roles.approver {
        ApproverRole::Approver
    } else {
        ApproverRole::Owner
    })
}

/// Whether these approvals (one per distinct person) approve a request of `tier`.
pub fn satisfied(tier: u8, approvals: &[ApproverRole]) -> bool {
    match tier {
        3 => true,
        2 => !approvals.is_empty(),
        _ => approvals.len() >= 2 && approvals.contains(&ApproverRole::SecurityReviewer),
    }
}

/// What is still missing, in words, for the request page and the inbox.
pub fn missing(tier: u8, approvals: &[ApproverRole]) -> Option<String> {
    if satisfied(tier, approvals) {
        return None;
    }
    Some(match tier {
        2 => "one approval by an owner of the template or an approver".into(),
        _ => match (
            approvals.len(),
            approvals.contains(&ApproverRole::SecurityReviewer),
        ) {
            (0, _) => "two approvals, one of them by a security reviewer".into(),
            (_, false) => "an approval by a security reviewer".into(),
            _ => "a second approval by another person".into(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::ApproverRole::*;
    use super::*;

    fn person(approver: bool, security_reviewer: bool, group: &str) -> Identity {
        use crate::auth::roles::Roles;
        use crate::runbooks::names::GroupName;
        Identity {
            subject: "u1".into(),
            name: "U".into(),
            role_label: String::new(),
            groups: vec![GroupName::parse(group).unwrap()],
            roles: Roles {
                approver,
                security_reviewer,
                ..Roles::default()
            },
            auth_method: "test".into(),
            scopes: None,
        }
    }

    #[test]
    fn an_approval_counts_as_the_role_that_matters_most_for_the_tier() {
        let owners = ["team-platform".to_string()];
        let security = person(false, true, "developers");
        let approver = person(true, false, "developers");
        let both = person(true, true, "developers");
        let owner = person(false, false, "team-platform");
        let nobody = person(false, false, "developers");
        assert_eq!(counted_role(&security, 1, &owners), Some(SecurityReviewer));
        assert_eq!(counted_role(&both, 1, &owners), Some(SecurityReviewer));
        assert_eq!(counted_role(&both, 2, &owners), Some(Approver));
        assert_eq!(counted_role(&approver, 1, &owners), Some(Approver));
        assert_eq!(counted_role(&owner, 1, &owners), Some(Owner));
        assert_eq!(counted_role(&owner, 2, &owners), Some(Owner));
        // Tier 2 is an owner or an approver: a security reviewer alone does not count.
        assert_eq!(counted_role(&security, 2, &owners), None);
        assert_eq!(counted_role(&nobody, 1, &owners), None);
        // Tier 3 is approved by policy, never by a person.
        assert_eq!(counted_role(&both, 3, &owners), None);
    }

    #[test]
    fn tier_1_needs_two_people_and_a_security_reviewer() {
        assert!(!satisfied(1, &[Approver]));
        assert!(!satisfied(1, &[Approver, Owner]));
        assert!(satisfied(1, &[Approver, SecurityReviewer]));
        assert!(satisfied(1, &[SecurityReviewer, Owner]));
        assert!(!satisfied(1, &[SecurityReviewer]));
        assert_eq!(
            missing(1, &[Approver]).as_deref(),
            Some("an approval by a security reviewer")
        );
        assert_eq!(
            missing(1, &[SecurityReviewer]).as_deref(),
            Some("a second approval by another person")
        );
        assert!(satisfied(2, &[Owner]));
        assert!(!satisfied(2, &[]));
    }
}
