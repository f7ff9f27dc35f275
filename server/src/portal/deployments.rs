//! Deployment notes for the pages and the JSON API alike: who may report, the services they
//! may pick, the intake, and one stored deployment with the drafts it caused.

use std::sync::Arc;

use app::dto::{DeploymentView, DraftLink, NotesForm, Redaction};
use app::error::PortalError;
use app::port::Caller;

use super::{PortalService, internal, principal_of};
use crate::access::{Denied, Guard, Principal};
use crate::audit::Origin;
use crate::auth::Identity;
use crate::auth::authz::{Action, Resource, can};
use crate::deployments::notes::NotesJson;
use crate::deployments::{Intake, IntakeError, Retry, Submitted};
use crate::drafts::review::DraftDesk;
use crate::entities::{deployment, draft};
use crate::runbooks::RunbookLibrary;

/// Someone allowed to report deployments. Only [`Deployments::reporter`] makes one, so the
/// adapters can check the caller before they read a body, and the intake never checks twice.
pub struct Reporter<'a> {
    who: &'a Identity,
    origin: &'a Origin,
}

impl Reporter<'_> {
    /// The reporter's display name, which the form records as `deployed_by`.
    pub fn name(&self) -> &str {
        &self.who.name
    }
}

/// One stored deployment as its reader may see it.
pub struct Shown {
    pub row: deployment::Model,
    pub links: Vec<String>,
    pub redactions: Vec<(String, usize)>,
    /// Only the drafts of runbooks the reader may read: the others stay unnamed.
    pub drafts: Vec<draft::Model>,
}

/// The deployment use cases, the only way in for the pages and the JSON API.
#[derive(Clone)]
pub struct Deployments {
    intake: Arc<Intake>,
    drafts: Arc<DraftDesk>,
    library: Arc<RunbookLibrary>,
    guard: Guard,
}

impl Deployments {
    pub fn new(
        intake: Arc<Intake>,
        drafts: Arc<DraftDesk>,
        library: Arc<RunbookLibrary>,
        guard: Guard,
    ) -> Self {
        Self {
            intake,
            drafts,
            library,
            guard,
        }
    }

    /// The caller as a reporter, or why they may not report (audited like every refusal).
    pub async fn reporter<'a>(&self, principal: &'a Principal) -> Result<Reporter<'a>, Denied> {
        let who = self
            .guard
            .require(
                principal,
                Action::SubmitNotes,
                Resource::Portal,
                "deployments",
            )
            .await?;
        Ok(Reporter {
            who,
            origin: &principal.origin,
        })
    }

    /// The services a reporter may pick: those of the runbooks they may read and the
    /// configured ones, so the list does not tell of restricted runbooks.
    pub fn services_for(&self, reporter: &Reporter<'_>) -> Vec<String> {
        self.intake
            .services_for(&reporter.who.groups)
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    /// Checks, sanitizes and stores the notes with the drafts they call for.
    pub async fn submit(
        &self,
        reporter: Reporter<'_>,
        retry: Retry<'_>,
        raw: NotesJson,
    ) -> Result<Submitted, IntakeError> {
        self.intake
            .receive(reporter.who, reporter.origin, retry, raw)
            .await
    }

    /// One stored deployment, for someone who may read deployments.
    pub async fn show(&self, principal: &Principal, id: &str) -> Result<Shown, PortalError> {
        let who = self
            .guard
            .require(
                principal,
                Action::ReadDeployments,
                Resource::Portal,
                "deployments",
            )
            .await?;
        let row = crate::deployments::find(self.guard.db(), id)
            .await
            .map_err(|e| internal("reading a deployment", e))?
            .ok_or(PortalError::NotFound)?;
        let stored = |e| internal("reading a deployment", e);
        let redactions = row.redactions().map_err(stored)?.into_iter().collect();
        let links = row.links().map_err(stored)?;
        let catalog = self.library.catalog();
        let drafts = self
            .drafts
            .of_deployment(&row.id)
            .await
            .map_err(|e| internal("reading drafts", e))?
            .into_iter()
            .filter(|d| {
                catalog.get(&d.stem).is_none_or(|rb| {
                    can(
                        Some(who),
                        Action::ReadRunbooks,
                        Resource::Runbook(&rb.meta.visibility),
                    )
                })
            })
            .collect();
        Ok(Shown {
            row,
            links,
            redactions,
            drafts,
        })
    }
}

impl PortalService {
    pub(super) async fn services_for(&self, caller: &Caller) -> Result<Vec<String>, PortalError> {
        let principal = principal_of(caller);
        let reporter = self.deployments.reporter(&principal).await?;
        Ok(self.deployments.services_for(&reporter))
    }

    pub(super) async fn take_notes(
        &self,
        caller: &Caller,
        form: NotesForm,
    ) -> Result<String, PortalError> {
        let principal = principal_of(caller);
        let reporter = self.deployments.reporter(&principal).await?;
        let request_hash =
            crate::hashing::sha256_hex(serde_json::to_string(&form).unwrap_or_default().as_bytes());
        let optional = |v: String| Some(v).filter(|v| !v.trim().is_empty());
        let raw = NotesJson {
            service: optional(form.service),
            environment: optional(form.environment),
            version: optional(form.version),
            deployed_by: Some(reporter.name().to_string()),
            body: Some(form.body),
            ..NotesJson::default()
        };
        let retry = Retry {
            key: None,
            request_hash,
        };
        match self.deployments.submit(reporter, retry, raw).await {
            Ok(done) => Ok(done.id),
            Err(err @ (IntakeError::Invalid(_) | IntakeError::KeyReused(_))) => {
                Err(PortalError::BadRequest(err.to_string()))
            }
            Err(IntakeError::Database(e)) => Err(internal("storing deployment notes", e)),
        }
    }

    pub(super) async fn show_deployment(
        &self,
        caller: &Caller,
        id: String,
    ) -> Result<DeploymentView, PortalError> {
        let Shown {
            row,
            links,
            redactions,
            drafts,
        } = self.deployments.show(&principal_of(caller), &id).await?;
        Ok(DeploymentView {
            id: row.id,
            service: row.service,
            environment: row.environment,
            version: row.version,
            commit: row.commit_sha,
            deployed_by: row.deployed_by,
            deployed_at: row.deployed_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            body: row.body,
            links,
            redactions: redactions
                .into_iter()
                .map(|(category, count)| Redaction { category, count })
                .collect(),
            submitted_by: row.submitted_by,
            sanitizer_version: row.sanitizer_version,
            drafts: drafts
                .into_iter()
                .map(|d| DraftLink {
                    id: d.id,
                    runbook: d.stem,
                    is_new: d.is_new,
                    status: d.status.to_string(),
                })
                .collect(),
        })
    }
}
