//! A proposed runbook update drafted from deployment notes (see `crate::drafts`).

use sea_orm::entity::prelude::*;

use crate::drafts::DraftStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "drafts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub deployment_id: String,
    /// The runbook's file stem (for a new runbook, the stem it will get).
    pub stem: String,
    pub service: String,
    /// A runbook drafted from a skeleton, for a service that had none.
    pub is_new: bool,
    /// JSON array of the owner groups whose members review it.
    pub owners: String,
    /// SHA-256 of the runbook file the draft was made against (none for a new runbook).
    pub base_hash: Option<String>,
    /// That file's text, for the diff and for showing what changed since.
    pub base_text: Option<String>,
    /// The whole proposed file; the reviewer's edits replace it.
    pub proposed: String,
    /// JSON array: what the draft changes, one line each.
    pub summary: String,
    /// JSON array of the note's kinds that make a runbook drift.
    pub drift_kinds: String,
    /// `deterministic/1`, or `openai-compatible`.
    pub drafter: String,
    pub model: Option<String>,
    /// Why the preferred drafter was not used, when it was not.
    pub drafter_note: Option<String>,
    pub sanitizer_version: String,
    /// `pending`, `accepted` or `rejected`.
    pub status: DraftStatus,
    pub decided_by: Option<String>,
    pub decided_at: Option<ChronoDateTimeUtc>,
    pub reason: Option<String>,
    pub revision_seq: Option<i32>,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The JSON columns, decoded ([`crate::db::decode`]: bad data is an error).
impl Model {
    pub fn summary(&self) -> Result<Vec<String>, DbErr> {
        crate::db::decode("drafts.summary", &self.id, &self.summary)
    }
}
