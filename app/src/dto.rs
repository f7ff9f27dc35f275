//! Data shared by browser and server: plain serde types, no behaviour.

use serde::{Deserialize, Serialize};

/// The signed-in person as the UI shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub subject: String,
    pub name: String,
    /// A short label for the role ("Developer", "Approver", …).
    pub role_label: String,
    pub groups: Vec<String>,
    /// Role names (`developer`, `approver`, `security-reviewer`, `admin`,
    /// `runbook-owner:<team>`), for showing what the person may reach.
    pub roles: Vec<String>,
    /// How the session was established (`dev`, `oidc`, `token:<id>`).
    pub auth_method: String,
}

/// What the layout needs to know about the current visitor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SessionInfo {
    pub user: Option<UserInfo>,
    /// The loopback-only development sign-in is active (shown as a banner).
    pub dev_login: bool,
    /// Single sign-on is configured: the sign-in page offers it.
    pub sso: bool,
}

/// A demo identity offered by the development sign-in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Persona {
    pub id: String,
    pub name: String,
    pub role_label: String,
    pub groups: Vec<String>,
}

/// A runbook search as the UI asks for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SearchQuery {
    /// Query text: words, "phrases", `service:`, `tag:`, `alert:` filters, `-excluded` words.
    pub q: String,
    pub service: Option<String>,
    pub tag: Option<String>,
    /// Maximum number of runbooks (UI) or sections (API) returned.
    pub limit: Option<usize>,
}

/// Search results grouped by runbook so one runbook does not flood the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct SearchResults {
    pub groups: Vec<ResultGroup>,
    /// Matching sections the caller may see.
    pub total_sections: usize,
    /// Messages about how the query was understood (shortened, quote ignored, …).
    pub notices: Vec<String>,
}

/// One runbook in the results, with its best sections.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultGroup {
    pub runbook: String,
    pub title: String,
    pub service: String,
    pub owners: Vec<String>,
    pub tags: Vec<String>,
    pub restricted: bool,
    pub stale: bool,
    /// Its service deployed changes (alerts, configuration, rollback) since its last review.
    pub drifting: bool,
    pub sections: Vec<SectionHit>,
    /// Further matching sections of this runbook not shown.
    pub more_sections: usize,
}

/// One matching section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SectionHit {
    pub anchor: String,
    pub heading_path: Vec<String>,
    pub snippet: Vec<SnippetPart>,
    pub url: String,
}

/// A piece of a snippet; `hit` marks matched text to highlight.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
}

/// Values for the search filters, from the runbooks the caller may see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Facets {
    pub services: Vec<String>,
    pub tags: Vec<String>,
}

/// A runbook ready to display; `html` is already sanitized.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunbookView {
    pub stem: String,
    pub title: String,
    pub service: String,
    pub owners: Vec<String>,
    pub tags: Vec<String>,
    pub alerts: Vec<String>,
    pub restricted: bool,
    pub groups: Vec<String>,
    pub last_reviewed: String,
    pub days_since_review: i64,
    pub stale: bool,
    pub toc: Vec<TocEntry>,
    pub html: String,
    /// Why the runbook is drifting, when it is.
    pub drift: Option<DriftInfo>,
    /// The caller owns it (may review drafts and mark it reviewed).
    pub can_review: bool,
}

/// A runbook's drift: what its service changed since the last review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftInfo {
    /// `alerts`, `configuration`, `rollback`.
    pub kinds: Vec<String>,
    pub since: String,
}

/// A table-of-contents line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocEntry {
    pub level: u8,
    pub anchor: String,
    pub text: String,
}

/// The state of the runbook index, for the status page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct IndexStatus {
    /// Runbooks the caller may see.
    pub runbooks: usize,
    pub sections: usize,
    pub last_reindex: Option<String>,
    pub problems: Vec<FileProblem>,
}

/// A runbook file that could not be indexed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileProblem {
    pub file: String,
    pub line: Option<usize>,
    pub reason: String,
}

/// Filters of the auditor page; empty fields match everything. Times are dates
/// (`2026-11-27`) or RFC 3339 times.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub target: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    /// Show events before this sequence number (the next page).
    pub before: Option<i64>,
}

/// One audit event as the auditor page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEventView {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub auth_method: String,
    pub action: String,
    pub target: String,
    pub outcome: String,
    pub source: String,
    pub request_id: String,
    /// The details object as compact JSON.
    pub details: String,
}

/// A page of audit events, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub events: Vec<AuditEventView>,
    /// Pass as `before` for the next (older) page, if there is one.
    pub next_before: Option<i64>,
}

/// An API token as listed (never its secret).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenView {
    pub id: String,
    pub name: String,
    pub owner: String,
    pub scopes: Vec<String>,
    pub created_at: String,
    pub expires_at: String,
    pub last_used_at: Option<String>,
    /// `active`, `expired` or `revoked`.
    pub status: String,
}

/// A scope a token may be given, for the creation form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeOption {
    pub name: String,
    pub description: String,
}

/// The tokens page: the caller's tokens (everyone's for admins) and the creation form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokensPage {
    pub tokens: Vec<TokenView>,
    pub scopes: Vec<ScopeOption>,
    /// The caller sees everyone's tokens (admins).
    pub all: bool,
}

/// Deployment notes pasted in the portal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NotesForm {
    pub service: String,
    pub environment: String,
    pub version: String,
    pub body: String,
}

/// Masked values of one category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redaction {
    pub category: String,
    pub count: usize,
}

/// A stored deployment note: sanitized text and what was masked (never the values).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeploymentView {
    pub id: String,
    pub service: String,
    pub environment: Option<String>,
    pub version: Option<String>,
    pub commit: Option<String>,
    pub deployed_by: Option<String>,
    pub deployed_at: String,
    pub body: String,
    pub links: Vec<String>,
    pub redactions: Vec<Redaction>,
    pub submitted_by: String,
    pub sanitizer_version: String,
    /// The runbook drafts made from these notes.
    pub drafts: Vec<DraftLink>,
}

/// A draft as linked from elsewhere.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftLink {
    pub id: String,
    pub runbook: String,
    pub is_new: bool,
    pub status: String,
}

/// One line of a diff: `kind` is `same`, `add`, `del` or `gap` (lines left out).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffLine {
    pub kind: String,
    pub text: String,
    pub old: Option<usize>,
    pub new: Option<usize>,
}

/// A draft in an owner's queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftSummary {
    pub id: String,
    pub runbook: String,
    pub title: String,
    pub service: String,
    pub is_new: bool,
    pub created_at: String,
    pub summary: Vec<String>,
    /// The runbook changed since the draft was made.
    pub conflicted: bool,
}

/// A drifting runbook in its owners' list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftItem {
    pub runbook: String,
    pub title: String,
    pub drift: DriftInfo,
}

/// What waits for a runbook owner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ReviewQueue {
    pub drafts: Vec<DraftSummary>,
    pub drifting: Vec<DriftItem>,
}

/// A draft with everything its reviewer needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftView {
    pub id: String,
    pub runbook: String,
    pub title: String,
    pub service: String,
    pub is_new: bool,
    /// `pending`, `accepted` or `rejected`.
    pub status: String,
    pub owners: Vec<String>,
    pub summary: Vec<String>,
    /// Provenance.
    pub deployment_id: String,
    pub deployment_label: String,
    pub submitted_by: String,
    pub drafter: String,
    pub model: Option<String>,
    pub drafter_note: Option<String>,
    pub sanitizer_version: String,
    /// First 12 hex digits of the runbook file it was drafted against.
    pub base: Option<String>,
    pub created_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub reason: Option<String>,
    pub revision: Option<i32>,
    /// The whole proposed file, for editing.
    pub proposed: String,
    /// From the runbook as drafted against to the proposal.
    pub diff: Vec<DiffLine>,
    /// The proposal rendered (sanitized HTML), or why it cannot be.
    pub preview_html: Result<String, String>,
    /// When the runbook changed since: what changed (drafted-against → now).
    pub conflict: Option<Vec<DiffLine>>,
    /// The caller submitted the notes, so cannot accept.
    pub own_submission: bool,
}

/// A reviewer's decision on a draft, as the form posts it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DraftDecision {
    pub id: String,
    /// `accept`, `reject` or `redraft`.
    pub decision: String,
    /// The edited proposal (accept).
    #[serde(default)]
    pub text: Option<String>,
    /// Why (reject).
    #[serde(default)]
    pub reason: Option<String>,
}

/// One accepted revision of a runbook.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionView {
    pub seq: i32,
    pub accepted_by: String,
    pub at: String,
    pub message: String,
    pub deployment_id: Option<String>,
    pub draft_id: Option<String>,
    pub diff: Vec<DiffLine>,
}

/// A runbook's history page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryPage {
    pub runbook: String,
    pub title: String,
    pub revisions: Vec<RevisionView>,
}

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

/// An approval that counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalView {
    pub by: String,
    pub name: String,
    /// `owner`, `approver` or `security-reviewer`: the role it counted as.
    pub role: String,
    pub at: String,
}

/// One step of a request's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: String,
    /// `submitted`, `approval`, `approved`, `rejected`, `cancelled`, `expired`, `sandbox_expired`.
    pub kind: String,
    pub actor: String,
    pub detail: Option<String>,
}

/// One webhook notification about a request and how its delivery went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryView {
    /// Also the `X-Gatehouse-Delivery` header the receiver got.
    pub id: String,
    /// Like `request.approved`.
    pub event: String,
    /// Scheme, host and port of the receiver (never its path, which may hold a token).
    pub target: String,
    /// `pending` (queued or waiting to retry), `delivered` or `failed` (no attempts left).
    pub status: String,
    pub attempts: u32,
    pub last_status_code: Option<u16>,
    pub last_error: Option<String>,
    pub created_at: String,
    /// When the next attempt is due, while pending.
    pub next_attempt_at: Option<String>,
    pub delivered_at: Option<String>,
    /// Whether the caller may queue it again: it failed, its receiver is still configured,
    /// and the caller is an admin.
    pub can_resend: bool,
}

/// A failed notification to queue again (the form on the request page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationResend {
    /// The request.
    pub id: String,
    /// The delivery.
    pub delivery: String,
}

/// A request with its evidence and timeline, and what the caller may do with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestView {
    pub id: String,
    pub title: String,
    pub template_id: String,
    pub template_version: String,
    pub template_digest: String,
    pub kind: String,
    pub tier: u8,
    /// `pending`, `approved`, `rejected`, `cancelled`, `expired` or `fulfilled`.
    pub status: String,
    pub requester: String,
    pub requester_name: String,
    pub owners: Vec<String>,
    pub parameters: serde_json::Value,
    pub files: Vec<RenderedFileView>,
    pub policy: Vec<PolicyResult>,
    pub policy_digest: String,
    pub approval_rule: String,
    /// What is still needed before it is approved (pending only).
    pub missing: Option<String>,
    pub approvals: Vec<ApprovalView>,
    pub timeline: Vec<TimelineEntry>,
    pub reason: Option<String>,
    pub created_at: String,
    pub pending_until: String,
    pub decided_at: Option<String>,
    pub sandbox_expires_at: Option<String>,
    pub sandbox_expired_at: Option<String>,
    /// While pending: what changed since it was judged (policies, template), in words.
    pub changed_since_judged: Option<String>,
    pub can_approve: bool,
    pub can_reject: bool,
    pub can_cancel: bool,
    /// Where to download the signed bundle, once fulfilled.
    pub bundle_url: Option<String>,
    /// Webhook notifications about it, oldest first (empty when none are configured).
    pub deliveries: Vec<DeliveryView>,
}

/// A request in a list (mine, or an approver's inbox).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestSummary {
    pub id: String,
    pub title: String,
    pub template_id: String,
    pub tier: u8,
    pub status: String,
    pub requester_name: String,
    pub created_at: String,
    /// How long it has waited, like "3 h" or "2 d".
    pub age: String,
    pub missing: Option<String>,
}

/// A list of requests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestList {
    pub requests: Vec<RequestSummary>,
}

/// A decision on a request from its page: `approve`, `reject` (with a reason) or `cancel`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RequestDecision {
    pub id: String,
    pub action: String,
    #[serde(default)]
    pub reason: String,
}
