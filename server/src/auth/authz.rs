//! Authorization in one place: [`can`]`(who, action, resource)`, deny by default.
//!
//! Every route, server function and search asks here. Runbook visibility is decided here
//! too ([`runbook_visible`]), and the search index filters with the same rule.
//!
//! About 200 lines are the rules and the policy table; the rest are its tests, kept beside it
//! so that a change to who may do what is read together with what it must still refuse.

use crate::runbooks::front_matter::Visibility;
use crate::runbooks::names::GroupName;

use super::Identity;
use super::scopes::Scope;

/// Things a caller may try to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Search and read runbooks (each runbook's own visibility still applies).
    ReadRunbooks,
    /// See index status and the files that failed to load.
    ViewIndexStatus,
    /// Read and export the audit log.
    ViewAudit,
    /// Create, list and revoke API tokens.
    ManageTokens,
    /// Submit deployment notes (CI with a `notes:write` token, or a person).
    SubmitNotes,
    /// Read stored (sanitized) deployment notes.
    ReadDeployments,
    /// Review runbook drafts: see the queue, accept, reject, mark a runbook reviewed.
    /// People only; for a runbook, its owners (and admins).
    ReviewDrafts,
    /// Browse the template catalog, preview (dry-run) and submit requests.
    RequestTemplates,
    /// Approve or reject a request. People only; who depends on the request's tier.
    DecideRequests,
    /// Send a failed webhook notification again. Admins, in person: it is an operator's
    /// repair after a receiver was fixed.
    ResendNotifications,
}

/// What an action is about.
#[derive(Debug, Clone, Copy)]
pub enum Resource<'a> {
    /// The portal as a whole (lists, status, the audit log).
    Portal,
    /// One runbook, by its visibility.
    Runbook(&'a Visibility),
    /// The API tokens of the person with this subject.
    TokensOf(&'a str),
    /// Something owned by these teams (a runbook's `owners`).
    OwnedBy(&'a [GroupName]),
    /// A request of this risk tier for a template owned by these groups.
    Request { tier: u8, owners: &'a [String] },
}

impl Action {
    /// The scope an API token needs for this action; `None`: tokens may never do it.
    pub fn scope(self) -> Option<Scope> {
        match self {
            Action::ReadRunbooks | Action::ViewIndexStatus | Action::ReadDeployments => {
                Some(Scope::RunbooksRead)
            }
            Action::ViewAudit => Some(Scope::AuditRead),
            Action::SubmitNotes => Some(Scope::NotesWrite),
            Action::RequestTemplates => Some(Scope::RequestsWrite),
            // A leaked token must not be able to mint more tokens, nor accept its own drafts.
            // Nor approve what it requested: decisions need a person.
            Action::ManageTokens
            | Action::ReviewDrafts
            | Action::DecideRequests
            | Action::ResendNotifications => None,
        }
    }
}

/// The kind of thing a rule is about: a [`Resource`] without its particulars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Portal,
    Runbook,
    TokensOf,
    OwnedBy,
    /// A request of this risk tier.
    Request(u8),
}

impl Resource<'_> {
    pub fn kind(&self) -> Kind {
        match self {
            Resource::Portal => Kind::Portal,
            Resource::Runbook(_) => Kind::Runbook,
            Resource::TokensOf(_) => Kind::TokensOf,
            Resource::OwnedBy(_) => Kind::OwnedBy,
            Resource::Request { tier, .. } => Kind::Request(*tier),
        }
    }
}

/// Who a rule grants an action to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// Every signed-in person.
    Anyone,
    Admin,
    SecurityReviewer,
    Approver,
    /// Someone who owns some team's runbooks.
    RunbookOwner,
    /// Someone the resource itself names: a group its visibility lists, the owner of the
    /// tokens, one of the owning teams of a runbook, or an owner group of a request's template.
    Named,
}

/// One line of the policy: `action` on a `on` is granted to any of `to`.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub action: Action,
    pub on: Kind,
    pub to: &'static [Holder],
}

const fn rule(action: Action, on: Kind, to: &'static [Holder]) -> Rule {
    Rule { action, on, to }
}

/// Who may do what, as data: [`can`] reads it, and so does the route × role test. What is not
/// listed is denied. Tokens are further limited by [`Action::scope`].
pub const POLICY: &[Rule] = {
    use Action::*;
    use Holder::*;
    &[
        rule(ReadRunbooks, Kind::Portal, &[Anyone]),
        rule(ReadRunbooks, Kind::Runbook, &[Named]),
        rule(ViewIndexStatus, Kind::Portal, &[Anyone]),
        rule(SubmitNotes, Kind::Portal, &[Anyone]),
        rule(ReadDeployments, Kind::Portal, &[Anyone]),
        rule(RequestTemplates, Kind::Portal, &[Anyone]),
        rule(ViewAudit, Kind::Portal, &[Admin, SecurityReviewer]),
        rule(ResendNotifications, Kind::Portal, &[Admin]),
        rule(ManageTokens, Kind::TokensOf, &[Admin, Named]),
        rule(ReviewDrafts, Kind::Portal, &[Admin, RunbookOwner]),
        rule(ReviewDrafts, Kind::OwnedBy, &[Admin, Named]),
        // Tier 1: two people, one of them a security reviewer (`requests::rules` counts).
        rule(
            DecideRequests,
            Kind::Request(1),
            &[Approver, SecurityReviewer, Named],
        ),
        // Tier 2: one owner of the template or an approver.
        rule(DecideRequests, Kind::Request(2), &[Approver, Named]),
        // Tier 3 is approved by policy, never by a person: no rule.
    ]
};

/// Whether `who` may do `action` on `resource`. Anonymous callers may do nothing.
pub fn can(who: Option<&Identity>, action: Action, resource: Resource<'_>) -> bool {
    let Some(who) = who else { return false };
    if let Some(scopes) = &who.scopes {
        match action.scope() {
            Some(needed) if scopes.contains(&needed) => {}
            _ => return false,
        }
    }
    let kind = resource.kind();
    POLICY
        .iter()
        .filter(|r| r.action == action && r.on == kind)
        .any(|r| r.to.iter().any(|holder| holds(who, *holder, resource)))
}

fn holds(who: &Identity, holder: Holder, resource: Resource<'_>) -> bool {
    let roles = &who.roles;
    match holder {
        Holder::Anyone => true,
        Holder::Admin => roles.admin,
        Holder::SecurityReviewer => roles.security_reviewer,
        Holder::Approver => roles.approver,
        Holder::RunbookOwner => !roles.runbook_owner_of.is_empty(),
        Holder::Named => match resource {
            Resource::Portal => false,
            Resource::Runbook(visibility) => runbook_visible(&who.groups, visibility),
            Resource::TokensOf(owner) => owner == who.subject,
            Resource::OwnedBy(owners) => owners
                .iter()
                .any(|o| roles.runbook_owner_of.iter().any(|t| t == o.as_ref())),
            Resource::Request { owners, .. } => owns_any(&who.groups, owners),
        },
    }
}

/// Whether one of `groups` is among `owners` (a template's owner groups).
fn owns_any(groups: &[GroupName], owners: &[String]) -> bool {
    groups
        .iter()
        .any(|g| owners.iter().any(|o| o == g.as_ref()))
}

/// Whether members of `groups` may read a runbook with this visibility: any signed-in
/// person reads internal runbooks; restricted ones need one of their groups.
pub fn runbook_visible(groups: &[GroupName], visibility: &Visibility) -> bool {
    match visibility {
        Visibility::Internal => true,
        Visibility::Restricted(allowed) => allowed.iter().any(|g| groups.contains(g)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::roles::Roles;

    fn person(roles: Roles, scopes: Option<Vec<Scope>>) -> Identity {
        Identity {
            subject: "u1".into(),
            name: "U".into(),
            role_label: roles.label().into(),
            groups: vec![GroupName::parse("developers").unwrap()],
            roles,
            auth_method: "test".into(),
            scopes,
        }
    }

    /// The whole policy for the development personas, one row per question, written out as
    /// the README's role table says it. The route × role test derives its expectations from
    /// [`POLICY`]; this pins the policy itself.
    #[test]
    fn the_policy_reads_as_the_readme_table() {
        use crate::auth::dev_login::PERSONAS;
        use crate::auth::roles::RoleMap;
        let people: Vec<Identity> = ["developer", "approver", "security", "oncall", "admin"]
            .iter()
            .map(|id| {
                PERSONAS
                    .iter()
                    .find(|p| p.id == *id)
                    .expect("persona")
                    .identity(&RoleMap::default())
            })
            .collect();
        let restricted = Visibility::Restricted(vec![GroupName::parse("payments-oncall").unwrap()]);
        let payments = [GroupName::parse("team-payments").unwrap()];
        let identity = [GroupName::parse("team-identity").unwrap()];
        let owners = ["team-payments".to_string()];
        let request = |tier| Resource::Request {
            tier,
            owners: &owners,
        };
        //                    developer approver security oncall admin
        let table: Vec<(&str, Action, Option<Resource<'_>>, &str)> = vec![
            (
                "search and read runbooks",
                Action::ReadRunbooks,
                None,
                "YYYYY",
            ),
            (
                "a restricted runbook",
                Action::ReadRunbooks,
                Some(Resource::Runbook(&restricted)),
                "NNNYN",
            ),
            ("index status", Action::ViewIndexStatus, None, "YYYYY"),
            (
                "submit deployment notes",
                Action::SubmitNotes,
                None,
                "YYYYY",
            ),
            ("read deployments", Action::ReadDeployments, None, "YYYYY"),
            (
                "templates and requests",
                Action::RequestTemplates,
                None,
                "YYYYY",
            ),
            ("the audit log", Action::ViewAudit, None, "NNYNY"),
            (
                "send a notification again",
                Action::ResendNotifications,
                None,
                "NNNNY",
            ),
            (
                "someone else's tokens",
                Action::ManageTokens,
                Some(Resource::TokensOf("dev:other")),
                "NNNNY",
            ),
            ("the draft queue", Action::ReviewDrafts, None, "NNNYY"),
            (
                "a draft of team-payments",
                Action::ReviewDrafts,
                Some(Resource::OwnedBy(&payments)),
                "NNNYY",
            ),
            (
                "a draft of team-identity",
                Action::ReviewDrafts,
                Some(Resource::OwnedBy(&identity)),
                "NNNNY",
            ),
            (
                "decide tier 1 (owners team-payments)",
                Action::DecideRequests,
                Some(request(1)),
                "NYYYN",
            ),
            (
                "decide tier 2",
                Action::DecideRequests,
                Some(request(2)),
                "NYNYN",
            ),
            (
                "decide tier 3",
                Action::DecideRequests,
                Some(request(3)),
                "NNNNN",
            ),
        ];
        for (question, action, resource, expected) in table {
            let got: String = people
                .iter()
                .map(|p| {
                    if can(Some(p), action, resource.unwrap_or(Resource::Portal)) {
                        'Y'
                    } else {
                        'N'
                    }
                })
                .collect();
            assert_eq!(got, expected, "{question}");
        }
        for p in &people {
            assert!(
                can(
                    Some(p),
                    Action::ManageTokens,
                    Resource::TokensOf(&p.subject)
                ),
                "everyone manages their own tokens"
            );
        }
    }

    #[test]
    fn anonymous_callers_are_denied_everything() {
        for action in [
            Action::ReadRunbooks,
            Action::ViewIndexStatus,
            Action::ViewAudit,
        ] {
            assert!(!can(None, action, Resource::Portal));
        }
        assert!(!can(None, Action::ManageTokens, Resource::TokensOf("u1")));
    }

    #[test]
    fn the_audit_log_is_for_admins_and_security_reviewers() {
        let dev = person(Roles::default(), None);
        assert!(!can(Some(&dev), Action::ViewAudit, Resource::Portal));
        let reviewer = person(
            Roles {
                security_reviewer: true,
                ..Roles::default()
            },
            None,
        );
        assert!(can(Some(&reviewer), Action::ViewAudit, Resource::Portal));
    }

    #[test]
    fn people_manage_their_own_tokens_and_admins_everyones() {
        let dev = person(Roles::default(), None);
        assert!(can(
            Some(&dev),
            Action::ManageTokens,
            Resource::TokensOf("u1")
        ));
        assert!(!can(
            Some(&dev),
            Action::ManageTokens,
            Resource::TokensOf("u2")
        ));
        let admin = person(
            Roles {
                admin: true,
                ..Roles::default()
            },
            None,
        );
        assert!(can(
            Some(&admin),
            Action::ManageTokens,
            Resource::TokensOf("u2")
        ));
    }

    #[test]
    fn only_admins_in_person_send_a_notification_again() {
        let admin = Roles {
            admin: true,
            ..Roles::default()
        };
        let approver = Roles {
            approver: true,
            security_reviewer: true,
            ..Roles::default()
        };
        let action = Action::ResendNotifications;
        assert!(can(
            Some(&person(admin.clone(), None)),
            action,
            Resource::Portal
        ));
        assert!(!can(
            Some(&person(approver, None)),
            action,
            Resource::Portal
        ));
        // An admin's token, whatever its scopes, may not.
        let token = person(admin, Some(vec![Scope::RequestsWrite, Scope::AuditRead]));
        assert!(!can(Some(&token), action, Resource::Portal));
    }

    #[test]
    fn a_token_does_only_what_its_scopes_and_its_owner_allow() {
        let reader = person(Roles::default(), Some(vec![Scope::RunbooksRead]));
        assert!(can(Some(&reader), Action::ReadRunbooks, Resource::Portal));
        assert!(!can(
            Some(&reader),
            Action::ManageTokens,
            Resource::TokensOf("u1")
        ));
        // The scope is there, the role is not: still denied.
        let audit_scope = person(Roles::default(), Some(vec![Scope::AuditRead]));
        assert!(!can(
            Some(&audit_scope),
            Action::ViewAudit,
            Resource::Portal
        ));
        assert!(!can(
            Some(&audit_scope),
            Action::ReadRunbooks,
            Resource::Portal
        ));
    }

    #[test]
    fn drafts_are_reviewed_by_the_runbooks_owners_and_admins_only() {
        let payments = vec![GroupName::parse("team-payments").unwrap()];
        let owner = person(
            Roles {
                runbook_owner_of: vec!["team-payments".into()],
                ..Roles::default()
            },
            None,
        );
        let other_owner = person(
            Roles {
                runbook_owner_of: vec!["team-identity".into()],
                ..Roles::default()
            },
            None,
        );
        let dev = person(Roles::default(), None);
        let owned = Resource::OwnedBy(&payments);
        assert!(can(Some(&owner), Action::ReviewDrafts, owned));
        assert!(!can(Some(&other_owner), Action::ReviewDrafts, owned));
        assert!(can(
            Some(&other_owner),
            Action::ReviewDrafts,
            Resource::Portal
        ));
        assert!(!can(Some(&dev), Action::ReviewDrafts, Resource::Portal));
        // A token never reviews, whatever its owner may do.
        let token = person(
            Roles {
                runbook_owner_of: vec!["team-payments".into()],
                ..Roles::default()
            },
            Some(Scope::ALL.to_vec()),
        );
        assert!(!can(Some(&token), Action::ReviewDrafts, owned));
    }

    #[test]
    fn restricted_runbooks_need_a_listed_group() {
        let dev = person(Roles::default(), None);
        let restricted = Visibility::Restricted(vec![GroupName::parse("payments-oncall").unwrap()]);
        assert!(!can(
            Some(&dev),
            Action::ReadRunbooks,
            Resource::Runbook(&restricted)
        ));
        assert!(can(
            Some(&dev),
            Action::ReadRunbooks,
            Resource::Runbook(&Visibility::Internal)
        ));
    }
}
