//! Deployment notes from the pages: the services that may report, the form's intake (the
//! same as the API's), and one stored deployment with the drafts it caused.

use app::dto::{DeploymentView, DraftLink, NotesForm, Redaction};
use app::error::PortalError;
use app::port::Caller;

use super::{PortalService, internal, principal_of};
use crate::auth::authz::{Action, Resource};

impl PortalService {
    pub(super) async fn services_for(&self, caller: &Caller) -> Result<Vec<String>, PortalError> {
        let principal = principal_of(caller);
        self.guard
            .require(
                &principal,
                Action::SubmitNotes,
                Resource::Portal,
                "deployments",
            )
            .await?;
        // Only services the caller could find runbooks for (and the configured ones): the
        // list must not tell of restricted runbooks.
        let groups = principal.who.as_ref().map_or(&[][..], |w| &w.groups[..]);
        Ok(self
            .intake
            .services_for(groups)
            .iter()
            .map(|s| s.to_string())
            .collect())
    }

    pub(super) async fn take_notes(
        &self,
        caller: &Caller,
        form: NotesForm,
    ) -> Result<String, PortalError> {
        use crate::deployments::{IntakeError, Retry, notes};
        let principal = principal_of(caller);
        let who = self
            .guard
            .require(
                &principal,
                Action::SubmitNotes,
                Resource::Portal,
                "deployments",
            )
            .await?;
        let request_hash =
            crate::hashing::sha256_hex(serde_json::to_string(&form).unwrap_or_default().as_bytes());
        let optional = |v: String| Some(v).filter(|v| !v.trim().is_empty());
        let raw = notes::NotesJson {
            service: optional(form.service),
            environment: optional(form.environment),
            version: optional(form.version),
            deployed_by: Some(who.name.clone()),
            body: Some(form.body),
            ..notes::NotesJson::default()
        };
        let retry = Retry {
            key: None,
            request_hash,
        };
        match self
            .intake
            .receive(who, &principal.origin, retry, raw)
            .await
        {
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
        let principal = principal_of(caller);
        self.guard
            .require(
                &principal,
                Action::ReadDeployments,
                Resource::Portal,
                "deployments",
            )
            .await?;
        let row = crate::deployments::find(self.guard.db(), &id)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "reading a deployment failed");
                PortalError::Internal
            })?
            .ok_or(PortalError::NotFound)?;
        let stored = |e| internal("reading a deployment", e);
        let redactions = row.redactions().map_err(stored)?;
        let links = row.links().map_err(stored)?;
        let catalog = self.library.catalog();
        let drafts = self
            .drafts
            .of_deployment(&row.id)
            .await
            .map_err(|e| internal("reading drafts", e))?
            .into_iter()
            // Restricted runbooks stay unnamed to those who may not read them.
            .filter(|d| {
                catalog
                    .get(&d.stem)
                    .is_none_or(|rb| self.can_read(caller, &rb.meta.visibility))
            })
            .map(|d| DraftLink {
                id: d.id,
                runbook: d.stem,
                is_new: d.is_new,
                status: d.status.to_string(),
            })
            .collect();
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
            drafts,
        })
    }
}
