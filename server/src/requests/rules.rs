//! Who counts as what when approving, and when a request has enough approvals. The
//! "may this person decide at all" question is `authz::can`; this adds the counting rules.

use crate::auth::Identity;

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
pub fn counted_role(who: &Identity, tier: u8, owners: &[String]) -> Option<ApproverRole> {
    let owner = who
        .groups
        .iter()
        .any(|g| owners.iter().any(|o| o == g.as_ref()));
    match tier {
        1 if who.roles.security_reviewer => Some(ApproverRole::SecurityReviewer),
        1 | 2 if who.roles.approver => Some(ApproverRole::Approver),
        1 | 2 if owner => Some(ApproverRole::Owner),
        _ => None,
    }
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
