//! Requests for the pages and the JSON API alike: submit, read, list, decide. Each checks
//! the caller first; a request is visible to its requester, to whoever may decide it, and
//! to auditors — to anyone else it does not exist.

use std::collections::BTreeMap;
use std::sync::Arc;

use app::error::PortalError;
use chrono::Utc;
use serde_json::Value;

use crate::access::{Denied, Guard, Principal};
use crate::auth::Identity;
use crate::auth::authz::{Action, Resource, can};
use crate::entities::request;
use crate::requests::desk::RequestDesk;
use crate::requests::error::RequestError;
use crate::requests::record::RequestRecord;
use crate::requests::{rules, tier};

impl From<RequestError> for PortalError {
    fn from(err: RequestError) -> Self {
        match err {
            RequestError::UnknownTemplate(_) | RequestError::NotFound => PortalError::NotFound,
            RequestError::Invalid(_)
            | RequestError::Blocked(_)
            | RequestError::Quota(_)
            | RequestError::BadRequest(_) => PortalError::BadRequest(err.to_string()),
            RequestError::Refused(m) => PortalError::Refused(m),
            RequestError::Conflict(m) => PortalError::Conflict(m),
            RequestError::Render(_) | RequestError::Policy(_) | RequestError::Database(_) => {
                tracing::error!(error = %err, "request failed");
                PortalError::Internal
            }
        }
    }
}

fn tier_of(r: &request::Model) -> u8 {
    r.tier.clamp(1, 3) as u8
}

/// Whether `who` may decide this request at all (not whether it is still open).
fn may_decide(who: &Identity, r: &request::Model) -> Result<bool, RequestError> {
    let owners = r.owners()?;
    Ok(can(
        Some(who),
        Action::DecideRequests,
        Resource::Request {
            tier: tier_of(r),
            owners: &owners,
        },
    ) && r.requester != who.subject)
}

fn may_see(who: &Identity, r: &request::Model) -> Result<bool, RequestError> {
    Ok(r.requester == who.subject
        || who.roles.admin
        || who.roles.security_reviewer
        || may_decide(who, r)?)
}

/// The requests use cases, the only way in for the pages, the JSON API and anything else:
/// each takes the caller's principal, asks the guard, and runs the desk.
#[derive(Clone)]
pub struct Requests {
    desk: Arc<RequestDesk>,
    guard: Guard,
}

impl Requests {
    pub fn new(desk: Arc<RequestDesk>, guard: Guard) -> Self {
        Self { desk, guard }
    }

    /// The caller if they may request templates (and so read their own requests and see
    /// an inbox); `target` names the place in an audited refusal.
    async fn requester<'p>(
        &self,
        principal: &'p Principal,
        target: &str,
    ) -> Result<&'p Identity, Denied> {
        self.guard
            .require(
                principal,
                Action::RequestTemplates,
                Resource::Portal,
                target,
            )
            .await
    }

    /// Submits a request; returns its view.
    pub async fn submit(
        &self,
        principal: &Principal,
        template: &str,
        values: BTreeMap<String, Value>,
    ) -> Result<Shown, PortalError> {
        let who = self.requester(principal, "requests").await?;
        // Authorized once: the requester may always see what they just submitted.
        let record = self
            .desk
            .submit(who, &principal.origin, template, &values)
            .await?;
        to_view(who, record, &self.desk)
    }

    /// The caller and a request they may see (to anyone else it does not exist).
    async fn visible<'p>(
        &self,
        principal: &'p Principal,
        id: &str,
    ) -> Result<(&'p Identity, RequestRecord), PortalError> {
        let who = self.requester(principal, "requests").await?;
        let record = self
            .desk
            .find(id)
            .await
            .map_err(RequestError::from)?
            .ok_or(PortalError::NotFound)?;
        if !may_see(who, &record.request)? {
            return Err(PortalError::NotFound);
        }
        Ok((who, record))
    }

    /// The stored bundle of a request the caller may see, with its download name; a conflict
    /// until the request is fulfilled.
    pub async fn bundle(
        &self,
        principal: &Principal,
        id: &str,
    ) -> Result<(String, String), PortalError> {
        let (_, record) = self.visible(principal, id).await?;
        let r = record.request;
        match r.bundle.clone() {
            Some(text) => Ok((crate::requests::bundle::file_name(&r), text)),
            None => Err(PortalError::Conflict(format!(
                "This request is {}; a bundle exists once it is approved.",
                r.status
            ))),
        }
    }

    /// One request, for someone who may see it.
    pub async fn view(&self, principal: &Principal, id: &str) -> Result<Shown, PortalError> {
        let (who, record) = self.visible(principal, id).await?;
        to_view(who, record, &self.desk)
    }

    /// Approve, reject or cancel; returns the request as it is now. The policy says who
    /// may decide a request of this tier and these owners; the desk then applies the
    /// request's own rules (not your own, not twice, still pending, only the requester
    /// cancels).
    pub async fn decide(
        &self,
        principal: &Principal,
        id: &str,
        decision: Decision<'_>,
    ) -> Result<Shown, PortalError> {
        let (who, found) = self.visible(principal, id).await?;
        // Approving and rejecting ask `can`, so a denial is audited like any other; cancelling
        // is the requester's own (the desk checks that).
        let decider = match decision {
            Decision::Cancel => who,
            Decision::Approve | Decision::Reject { .. } => {
                let owners = found.owners().map_err(RequestError::from)?;
                let resource = Resource::Request {
                    tier: tier_of(&found.request),
                    owners: &owners,
                };
                let target = format!("request:{id}");
                self.guard
                    .require(principal, Action::DecideRequests, resource, &target)
                    .await?
            }
        };
        let origin = &principal.origin;
        let record = match decision {
            Decision::Approve => self.desk.approve(decider, origin, id).await?,
            Decision::Reject { reason } => self.desk.reject(decider, origin, id, reason).await?,
            Decision::Cancel => self.desk.cancel(decider, origin, id).await?,
        };
        to_view(who, record, &self.desk)
    }

    /// Queues a failed notification about a request again; admins only, the request must be
    /// one they may see.
    pub async fn resend_notification(
        &self,
        principal: &Principal,
        id: &str,
        delivery: &str,
    ) -> Result<Shown, PortalError> {
        self.visible(principal, id).await?;
        let who = self
            .guard
            .require(
                principal,
                Action::ResendNotifications,
                Resource::Portal,
                &format!("request:{id}"),
            )
            .await?;
        let record = self
            .desk
            .resend_notification(who, &principal.origin, id, delivery)
            .await?;
        to_view(who, record, &self.desk)
    }

    /// The caller's requests, newest first.
    pub async fn mine(&self, principal: &Principal) -> Result<Vec<Listed>, PortalError> {
        let who = self.requester(principal, "requests").await?;
        let rows = self
            .desk
            .mine(&who.subject)
            .await
            .map_err(RequestError::from)?;
        Ok(rows
            .into_iter()
            .map(|request| Listed {
                request,
                missing: None,
            })
            .collect())
    }

    /// What waits for the caller's decision, oldest first: pending, in time, not their own,
    /// not yet approved by them, and of a tier they may decide.
    pub async fn inbox(&self, principal: &Principal) -> Result<Vec<Listed>, PortalError> {
        let who = self.requester(principal, "approvals").await?;
        let now = Utc::now();
        let pending = self.desk.pending().await.map_err(RequestError::from)?;
        let mut requests = Vec::new();
        for r in &pending {
            if r.request.pending_until <= now
                || r.approvals.iter().any(|a| a.approver == who.subject)
                || !may_decide(who, &r.request)?
            {
                continue;
            }
            let missing =
                rules::missing(tier_of(&r.request), &r.roles().map_err(RequestError::from)?);
            requests.push(Listed {
                request: r.request.clone(),
                missing,
            });
        }
        Ok(requests)
    }
}

/// What someone decides about a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision<'a> {
    Approve,
    Reject {
        reason: &'a str,
    },
    /// Withdrawn by the requester.
    Cancel,
}

impl<'a> Decision<'a> {
    /// From a form's action word (`approve`, `reject`, `cancel`) and its reason field.
    pub fn parse(action: &str, reason: &'a str) -> Result<Self, PortalError> {
        match action {
            "approve" => Ok(Self::Approve),
            "reject" => Ok(Self::Reject { reason }),
            "cancel" => Ok(Self::Cancel),
            other => Err(PortalError::BadRequest(format!(
                "unknown action `{other}`; use approve, reject or cancel"
            ))),
        }
    }
}

/// How a pending request's judgement differs from what this portal runs now: other policies,
/// another template. The evidence shown is what was judged at submission, and approvers
/// should know when the rules in force are not those. (Neutral wording: during a rolling
/// deploy the replica answering may be the older one.)
fn changed_since_judged(desk: &RequestDesk, r: &request::Model) -> Option<String> {
    if !r.status.is_pending() {
        return None;
    }
    let short = |d: &str| d.chars().take(12).collect::<String>();
    let mut changes = Vec::new();
    let policies = &desk.planner.policies.digest;
    if *policies != r.policy_digest {
        changes.push(format!(
            "the policies in force (sha256:{}) are not those this request was judged under (sha256:{})",
            short(policies),
            short(&r.policy_digest)
        ));
    }
    match desk.planner.catalog.get(&r.template_id) {
        Some(t) if t.digest == r.template_digest => {}
        Some(t) => changes.push(format!(
            "the template `{}` in force is version {} (sha256:{}), and this request was made with version {} (sha256:{})",
            r.template_id,
            t.version,
            short(&t.digest),
            r.template_version,
            short(&r.template_digest)
        )),
        None => changes.push(format!(
            "the template `{}` is no longer in the catalog",
            r.template_id
        )),
    }
    (!changes.is_empty()).then(|| {
        format!(
            "{}. The evidence below is what was judged at submission; if it no longer holds, reject the request and ask for a new one.",
            capitalized(&changes.join("; and "))
        )
    })
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A request as its caller may see it: the record, its decoded evidence and what the caller
/// may do with it. The pages ([`super::request_pages`]) and the JSON API
/// ([`crate::contracts::requests`]) each render it their own way.
pub struct Shown {
    pub record: RequestRecord,
    pub owners: Vec<String>,
    pub parameters: serde_json::Map<String, Value>,
    pub files: Vec<crate::catalog::render::RenderedFile>,
    pub findings: Vec<crate::policy::Finding>,
    pub approval_rule: String,
    /// What is still needed before it is approved (pending only).
    pub missing: Option<String>,
    /// While pending: what changed since it was judged (policies, template), in words.
    pub changed_since_judged: Option<String>,
    pub can_approve: bool,
    pub can_reject: bool,
    pub can_cancel: bool,
    /// The deliveries the caller may queue again.
    pub resendable: std::collections::BTreeSet<String>,
}

/// A request in a list (mine, or an approver's inbox).
pub struct Listed {
    pub request: request::Model,
    /// What it still waits for (inbox only).
    pub missing: Option<String>,
}

fn to_view(
    who: &Identity,
    record: RequestRecord,
    desk: &RequestDesk,
) -> Result<Shown, PortalError> {
    let webhooks = desk.webhooks.as_deref();
    let r = &record.request;
    let stored = |e| PortalError::from(RequestError::from(e));
    let resender = can(Some(who), Action::ResendNotifications, Resource::Portal);
    let pending = r.status.is_pending() && r.pending_until > Utc::now();
    let decider = may_decide(who, r)?;
    let already = record.approvals.iter().any(|a| a.approver == who.subject);
    let tier = tier_of(r);
    let owners = r.owners().map_err(stored)?;
    let roles = record.roles().map_err(stored)?;
    let resendable = record
        .deliveries
        .iter()
        .filter(|d| {
            resender && d.status == "failed" && webhooks.and_then(|w| w.target(&d.target)).is_some()
        })
        .map(|d| d.id.clone())
        .collect();
    Ok(Shown {
        parameters: r.parameters().map_err(stored)?,
        files: r.files().map_err(stored)?,
        findings: r.findings().map_err(stored)?,
        approval_rule: tier::approval_rule(tier, &owners),
        owners,
        missing: r
            .status
            .is_pending()
            .then(|| rules::missing(tier, &roles))
            .flatten(),
        changed_since_judged: changed_since_judged(desk, r),
        can_approve: pending && decider && !already,
        can_reject: pending && decider,
        can_cancel: pending && r.requester == who.subject,
        resendable,
        record,
    })
}
