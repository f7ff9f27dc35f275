//! A person as Gatehouse has seen them (see `crate::auth::users`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub subject: String,
    pub name: String,
    /// None for someone deactivated before they ever signed in.
    pub last_signin_at: Option<ChronoDateTimeUtc>,
    pub deactivated_at: Option<ChronoDateTimeUtc>,
    pub deactivated_by: Option<String>,
    pub deactivation_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
