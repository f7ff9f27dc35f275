//! A template or sandbox request: what was asked, what policy said, and where it stands.

use sea_orm::entity::prelude::*;

use crate::requests::status::RequestStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub template_id: String,
    pub template_version: String,
    pub template_digest: String,
    pub kind: String,
    pub title: String,
    /// JSON object of the validated parameters.
    pub parameters: String,
    /// JSON array of `{path, content}`.
    pub files: String,
    /// JSON array of policy findings.
    pub policy_results: String,
    pub policy_digest: String,
    pub tier: i32,
    /// JSON array of the template's owner groups.
    pub owners: String,
    pub status: RequestStatus,
    pub requester: String,
    pub requester_name: String,
    pub requester_groups: String,
    pub team: Option<String>,
    pub sandbox_units: Option<i32>,
    pub sandbox_expires_at: Option<ChronoDateTimeUtc>,
    /// When the expiry of the sandbox was recorded.
    pub sandbox_expired_at: Option<ChronoDateTimeUtc>,
    pub pending_until: ChronoDateTimeUtc,
    pub reason: Option<String>,
    /// The signed bundle (JSON) once fulfilled.
    pub bundle: Option<String>,
    pub decided_at: Option<ChronoDateTimeUtc>,
    pub created_at: ChronoDateTimeUtc,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The JSON columns, decoded ([`crate::db::decode`]: bad data is an error).
impl Model {
    pub fn parameters(&self) -> Result<serde_json::Map<String, serde_json::Value>, DbErr> {
        crate::db::decode("requests.parameters", &self.id, &self.parameters)
    }

    pub fn files(&self) -> Result<Vec<crate::catalog::render::RenderedFile>, DbErr> {
        crate::db::decode("requests.files", &self.id, &self.files)
    }

    pub fn findings(&self) -> Result<Vec<crate::policy::Finding>, DbErr> {
        crate::db::decode("requests.policy_results", &self.id, &self.policy_results)
    }

    pub fn owners(&self) -> Result<Vec<String>, DbErr> {
        crate::db::decode("requests.owners", &self.id, &self.owners)
    }
}
