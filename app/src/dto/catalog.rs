//! The template catalog, a template's form and the dry run.

use serde::{Deserialize, Serialize};

use super::FileProblem;

/// Filters of the template catalog; empty fields match everything.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CatalogQuery {
    /// Words to find in the id, title, description and tags.
    #[serde(default)]
    pub q: String,
    /// `pipeline` or `sandbox`.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub tag: String,
}

/// A template in the catalog's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateCard {
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
}

/// The catalog page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogPage {
    pub templates: Vec<TemplateCard>,
    /// Templates in the catalog before filtering.
    pub total: usize,
    pub kinds: Vec<String>,
    pub tags: Vec<String>,
    /// Templates that failed to load (file and reason).
    pub problems: Vec<FileProblem>,
}

/// One parameter of a template's form, from its schema.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamView {
    pub name: String,
    pub label: String,
    pub description: Option<String>,
    pub required: bool,
    /// `string`, `enum`, `bool`, `integer` or `list`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Anchored regular expression for strings (list items: `item_pattern`).
    pub pattern: Option<String>,
    pub item_pattern: Option<String>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    /// Enum values.
    pub values: Vec<String>,
    /// The default as the form shows it (lists one item per line).
    pub default: Option<String>,
    pub example: Option<String>,
}

/// A template with its parameter schema.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateView {
    #[serde(flatten)]
    pub card: TemplateCard,
    /// SHA-256 of the template's files, recorded in provenance.
    pub digest: String,
    /// Who must approve at the base tier, in words.
    pub approval: String,
    pub parameters: Vec<ParamView>,
    /// The files it renders (output paths, before parameters).
    pub files: Vec<String>,
}

/// What the preview form sends: the template and each field as typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PreviewForm {
    pub template: String,
    pub values: Vec<(String, String)>,
}

/// One policy result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyResult {
    /// `deny` (blocks), `escalate` (raises the tier) or `warn`.
    pub level: String,
    pub policy: String,
    pub rule: String,
    pub message: String,
    pub fix: Option<String>,
    pub tier: Option<u8>,
}

/// A rendered file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderedFileView {
    pub path: String,
    pub content: String,
}

/// The dry run of a request: rendered files, every policy result, the tier and who must
/// approve. With `field_errors`, nothing was rendered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewView {
    pub template: TemplateView,
    /// The values as the form shows them again.
    pub values: std::collections::BTreeMap<String, String>,
    pub field_errors: std::collections::BTreeMap<String, String>,
    pub files: Vec<RenderedFileView>,
    pub policy: Vec<PolicyResult>,
    /// The tier after escalations (absent when nothing could be evaluated).
    pub tier: Option<u8>,
    pub approval: Option<String>,
    /// A denial (or a failure to evaluate) blocks submission.
    pub blocked: bool,
    /// Why the request could not be evaluated at all, if so.
    pub error: Option<String>,
    /// SHA-256 of the policy files that judged it.
    pub policy_digest: String,
}
