//! A runbook revision accepted in the portal: the whole file, who accepted it and why.
//! Replicas apply new revisions to their own runbooks directory in `seq` order.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "runbook_revisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i32,
    pub stem: String,
    /// Path relative to the runbooks directory.
    pub file: String,
    pub previous_hash: Option<String>,
    /// The file before this revision (none for a new runbook), for the history's diff.
    pub previous_text: Option<String>,
    pub hash: String,
    pub content: String,
    pub author: String,
    pub author_name: String,
    pub draft_id: Option<String>,
    pub deployment_id: Option<String>,
    pub message: String,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
