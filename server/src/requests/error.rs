//! What can go wrong with a request, as one type the adapters map to responses.

use sea_orm::DbErr;

use crate::catalog::params::FieldErrors;
use crate::policy::{Finding, Level, PolicyError};

#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    #[error("no template `{0}` in the catalog")]
    UnknownTemplate(String),
    #[error("some parameters are not valid: {}", describe_fields(.0))]
    Invalid(FieldErrors),
    #[error("blocked by policy: {}", describe_denials(.0))]
    Blocked(Vec<Finding>),
    #[error("{0}")]
    Quota(String),
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("the template could not render: {0}")]
    Render(String),
    #[error(transparent)]
    Policy(#[from] PolicyError),
    #[error(transparent)]
    Database(#[from] DbErr),
}

fn describe_fields(errors: &FieldErrors) -> String {
    errors
        .0
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

fn describe_denials(findings: &[Finding]) -> String {
    findings
        .iter()
        .filter(|f| f.level == Level::Deny)
        .map(|f| match &f.fix {
            Some(fix) => format!("{}/{}: {} Fix: {}", f.policy, f.rule, f.message, fix),
            None => format!("{}/{}: {}", f.policy, f.rule, f.message),
        })
        .collect::<Vec<_>>()
        .join("; ")
}
