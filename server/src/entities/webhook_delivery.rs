//! One notification to one webhook target, and how its delivery went.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_deliveries")]
pub struct Model {
    /// Also sent as `X-Gatehouse-Delivery`: receivers drop a delivery they have seen.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub request_id: String,
    /// `request.<timeline kind>`, like `request.approved`.
    pub event: String,
    /// The target's fingerprint; its URL (which may carry a token) stays in the config.
    pub target: String,
    /// Scheme, host and port: what people see.
    pub target_label: String,
    pub body: String,
    /// pending | delivered | failed
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: ChronoDateTimeUtc,
    /// A replica holds the delivery until then; after a crash another one takes it.
    pub claimed_until: Option<ChronoDateTimeUtc>,
    /// The token of the attempt holding it; its result is recorded only under this token.
    pub claim: Option<String>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: ChronoDateTimeUtc,
    pub delivered_at: Option<ChronoDateTimeUtc>,
    pub updated_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
