//! An owner's mark that a runbook was reviewed, which ends its drift.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "runbook_reviews")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub stem: String,
    pub reviewed_by: String,
    pub reviewed_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
