//! An API token. Only the SHA-256 of the secret is kept.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub secret_hash: String,
    pub name: String,
    pub owner: String,
    pub owner_name: String,
    /// JSON array of group names the token acts with.
    pub groups: String,
    /// JSON array of scope names.
    pub scopes: String,
    pub created_by: String,
    pub created_at: ChronoDateTimeUtc,
    pub expires_at: ChronoDateTimeUtc,
    pub last_used_at: Option<ChronoDateTimeUtc>,
    pub revoked_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The JSON columns, decoded ([`crate::db::decode`]: bad data is an error).
impl Model {
    pub fn groups(&self) -> Result<Vec<String>, DbErr> {
        crate::db::decode("api_tokens.groups", &self.id, &self.groups)
    }

    pub fn scopes(&self) -> Result<Vec<String>, DbErr> {
        crate::db::decode("api_tokens.scopes", &self.id, &self.scopes)
    }
}
