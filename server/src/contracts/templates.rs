//! The templates API's JSON: the catalog, a template's schema and the dry run. The shape is
//! fixed here, whatever the pages' view models become; the fields are those the API has
//! always had.

use std::collections::BTreeMap;

use app::dto::{CatalogPage, ParamView, PolicyResult, PreviewView, TemplateView};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct TemplateJson {
    pub id: String,
    pub version: String,
    pub title: String,
    pub description: String,
    /// `pipeline` or `sandbox`.
    pub kind: String,
    /// Base risk tier: 3 low, 2, 1 high (policies may escalate a request).
    pub tier: u8,
    pub owners: Vec<String>,
    pub tags: Vec<String>,
    /// SHA-256 of the template's files, recorded in provenance.
    pub digest: String,
    /// Who must approve at the base tier, in words.
    pub approval: String,
    pub parameters: Vec<ParamJson>,
    /// The files it renders (output paths, before parameters).
    pub files: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ParamJson {
    pub name: String,
    pub label: String,
    pub description: Option<String>,
    pub required: bool,
    /// `string`, `enum`, `bool`, `integer` or `list`.
    #[serde(rename = "type")]
    pub kind: String,
    pub pattern: Option<String>,
    pub item_pattern: Option<String>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub values: Vec<String>,
    pub default: Option<String>,
    pub example: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct TemplateListJson {
    pub templates: Vec<TemplateJson>,
    pub total: usize,
}

#[derive(Debug, Serialize)]
pub struct PolicyJson {
    /// `deny` (blocks), `escalate` (raises the tier) or `warn`.
    pub level: String,
    pub policy: String,
    pub rule: String,
    pub message: String,
    pub fix: Option<String>,
    pub tier: Option<u8>,
}

#[derive(Debug, Serialize)]
pub struct FileJson {
    pub path: String,
    pub content: String,
}

/// The dry run. With `field_errors`, nothing was rendered.
#[derive(Debug, Serialize)]
pub struct PreviewJson {
    pub template: TemplateJson,
    pub values: BTreeMap<String, String>,
    pub field_errors: BTreeMap<String, String>,
    pub files: Vec<FileJson>,
    pub policy: Vec<PolicyJson>,
    /// The tier after escalations (absent when nothing could be evaluated).
    pub tier: Option<u8>,
    pub approval: Option<String>,
    /// A denial (or a failure to evaluate) blocks submission.
    pub blocked: bool,
    pub error: Option<String>,
    /// SHA-256 of the policy files that judged it.
    pub policy_digest: String,
}

impl From<ParamView> for ParamJson {
    fn from(p: ParamView) -> Self {
        Self {
            name: p.name,
            label: p.label,
            description: p.description,
            required: p.required,
            kind: p.kind,
            pattern: p.pattern,
            item_pattern: p.item_pattern,
            min_length: p.min_length,
            max_length: p.max_length,
            min: p.min,
            max: p.max,
            min_items: p.min_items,
            max_items: p.max_items,
            values: p.values,
            default: p.default,
            example: p.example,
        }
    }
}

impl From<TemplateView> for TemplateJson {
    fn from(t: TemplateView) -> Self {
        let card = t.card;
        Self {
            id: card.id,
            version: card.version,
            title: card.title,
            description: card.description,
            kind: card.kind,
            tier: card.tier,
            owners: card.owners,
            tags: card.tags,
            digest: t.digest,
            approval: t.approval,
            parameters: t.parameters.into_iter().map(ParamJson::from).collect(),
            files: t.files,
        }
    }
}

impl TemplateListJson {
    pub fn new(page: &CatalogPage, templates: Vec<TemplateView>) -> Self {
        Self {
            templates: templates.into_iter().map(TemplateJson::from).collect(),
            total: page.total,
        }
    }
}

impl From<PolicyResult> for PolicyJson {
    fn from(p: PolicyResult) -> Self {
        Self {
            level: p.level,
            policy: p.policy,
            rule: p.rule,
            message: p.message,
            fix: p.fix,
            tier: p.tier,
        }
    }
}

impl From<PreviewView> for PreviewJson {
    fn from(v: PreviewView) -> Self {
        Self {
            template: v.template.into(),
            values: v.values,
            field_errors: v.field_errors,
            files: v
                .files
                .into_iter()
                .map(|f| FileJson {
                    path: f.path,
                    content: f.content,
                })
                .collect(),
            policy: v.policy.into_iter().map(PolicyJson::from).collect(),
            tier: v.tier,
            approval: v.approval,
            blocked: v.blocked,
            error: v.error,
            policy_digest: v.policy_digest,
        }
    }
}
