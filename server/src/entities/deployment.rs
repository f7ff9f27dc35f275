//! A deployment note, sanitized (see `crate::deployments`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deployments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub service: String,
    pub environment: Option<String>,
    pub version: Option<String>,
    pub commit_sha: Option<String>,
    pub deployed_by: Option<String>,
    pub deployed_at: ChronoDateTimeUtc,
    /// The notes, sanitized.
    pub body: String,
    /// JSON array of links, sanitized.
    pub links: String,
    /// JSON object: category → count. Never values.
    pub redactions: String,
    pub sanitizer_version: String,
    pub submitted_by: String,
    pub idempotency_key: Option<String>,
    /// SHA-256 of the request as received, to tell a retry from a different request.
    pub request_hash: String,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The JSON columns, decoded ([`crate::db::decode`]: bad data is an error).
impl Model {
    pub fn links(&self) -> Result<Vec<String>, DbErr> {
        crate::db::decode("deployments.links", &self.id, &self.links)
    }

    /// Masked values per category (counts, never values).
    pub fn redactions(&self) -> Result<std::collections::BTreeMap<String, usize>, DbErr> {
        crate::db::decode("deployments.redactions", &self.id, &self.redactions)
    }
}
