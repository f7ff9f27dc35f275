//! JSON shapes other tools rely on, defined once for every adapter that prints them: the
//! search API answers with them and `gatehouse search --json` prints the same, so the two
//! can never drift apart (DESIGN.md names the fields).

pub mod audit;
pub mod deployments;
pub mod requests;
pub mod templates;
pub mod tokens;

use serde::Serialize;

use crate::runbooks::search::{FlatResults, Hit};

/// One hit, exactly as DESIGN.md specifies (tools depend on these names).
#[derive(Debug, Serialize)]
pub struct HitJson {
    pub runbook: String,
    pub section: String,
    pub title: String,
    pub heading: String,
    pub snippet: String,
    pub score: f32,
    pub url: String,
}

/// The response body: hits and the total number of matching sections.
#[derive(Debug, Serialize)]
pub struct SearchJson {
    pub hits: Vec<HitJson>,
    pub total: usize,
}

impl From<&Hit> for HitJson {
    fn from(hit: &Hit) -> Self {
        HitJson {
            runbook: hit.runbook.stem.to_string(),
            section: hit.anchor.clone(),
            title: hit.runbook.meta.title.clone(),
            heading: hit.heading.clone(),
            snippet: hit.snippet.text.clone(),
            score: hit.score,
            url: hit.url(),
        }
    }
}

impl From<&FlatResults> for SearchJson {
    fn from(r: &FlatResults) -> Self {
        SearchJson {
            hits: r.hits.iter().map(HitJson::from).collect(),
            total: r.total,
        }
    }
}
