//! The dry run behind the preview: validate the parameters, render the files, run the
//! sanitizer's detectors and every policy, and work out the tier and who must approve.
//! Nothing is stored.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;

use crate::auth::Identity;
use crate::catalog::params::{self, FieldErrors, Values};
use crate::catalog::render::{self, RenderedFile};
use crate::catalog::{Catalog, Template};
use crate::policy::input::{self, Requester, SecretFinding};
use crate::policy::{Finding, Level, PolicyError, PolicySet};
use crate::sanitizer::Sanitizer;

use super::tier;

/// What a request would be.
#[derive(Debug, Clone)]
pub struct Preview {
    pub template: Arc<Template>,
    pub values: Values,
    pub files: Vec<RenderedFile>,
    pub findings: Vec<Finding>,
    /// Secret-looking values in the rendered files (where and what kind, never the value).
    pub secrets: Vec<SecretFinding>,
    pub tier: u8,
    /// A denial blocks submission.
    pub blocked: bool,
}

impl Preview {
    pub fn approval_rule(&self) -> String {
        tier::approval_rule(self.tier, &self.template.owners)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PreviewError {
    #[error("no template `{0}` in the catalog")]
    UnknownTemplate(String),
    #[error("some parameters are not valid")]
    Invalid(FieldErrors),
    #[error("the template could not render: {0}")]
    Render(String),
    #[error(transparent)]
    Policy(#[from] PolicyError),
}

/// Templates, policies and the sanitizer: everything a dry run needs.
pub struct Planner {
    pub catalog: Arc<Catalog>,
    pub policies: Arc<PolicySet>,
    pub sanitizer: Arc<Sanitizer>,
}

impl Planner {
    /// The dry run for `who`. Policy evaluation runs on the blocking pool.
    pub async fn preview(
        &self,
        who: &Identity,
        template_id: &str,
        submitted: &BTreeMap<String, Value>,
    ) -> Result<Preview, PreviewError> {
        let template = self
            .catalog
            .get(template_id)
            .cloned()
            .ok_or_else(|| PreviewError::UnknownTemplate(template_id.to_string()))?;
        let values =
            params::validate(&template.params, submitted).map_err(PreviewError::Invalid)?;
        let files = render::render(&template, &values).map_err(PreviewError::Render)?;
        let secrets = input::secrets_in(&self.sanitizer, &files);
        let requester = Requester {
            subject: &who.subject,
            groups: who.groups.iter().map(|g| g.to_string()).collect(),
            roles: who.roles.names(),
        };
        let doc = input::build(&template, &values, &files, &secrets, &requester);
        let policies = self.policies.clone();
        let findings = tokio::task::spawn_blocking(move || policies.evaluate(&doc))
            .await
            .map_err(|e| PolicyError::Eval(e.to_string()))??;
        let tier = tier::effective(template.tier, &findings);
        let blocked = findings.iter().any(|f| f.level == Level::Deny);
        Ok(Preview {
            template,
            values,
            files,
            findings,
            secrets,
            tier,
            blocked,
        })
    }
}
