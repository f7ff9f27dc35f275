//! The deployments API's JSON: what a submission of notes produced.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::deployments::{DraftRef, Submitted};

#[derive(Debug, Serialize)]
pub struct SubmittedJson {
    pub id: String,
    pub service: String,
    pub environment: Option<String>,
    pub version: Option<String>,
    /// Category → how many values were masked.
    pub redactions: BTreeMap<String, usize>,
    /// The runbook drafts these notes produced, for the owners to review.
    pub drafts: Vec<DraftJson>,
    /// This answers a retry: nothing new was stored.
    pub replayed: bool,
}

#[derive(Debug, Serialize)]
pub struct DraftJson {
    pub id: String,
    pub runbook: String,
    /// A new runbook drafted for a service that had none.
    pub new: bool,
    /// Where the owners review it.
    pub url: String,
}

impl From<&DraftRef> for DraftJson {
    fn from(d: &DraftRef) -> Self {
        Self {
            id: d.id.clone(),
            runbook: d.runbook.clone(),
            new: d.new,
            url: format!("/drafts/{}", d.id),
        }
    }
}

impl From<&Submitted> for SubmittedJson {
    fn from(s: &Submitted) -> Self {
        Self {
            id: s.id.clone(),
            service: s.service.clone(),
            environment: s.environment.clone(),
            version: s.version.clone(),
            redactions: s.redactions.clone(),
            drafts: s.drafts.iter().map(DraftJson::from).collect(),
            replayed: s.replayed,
        }
    }
}
