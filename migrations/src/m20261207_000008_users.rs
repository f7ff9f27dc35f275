//! People as Gatehouse has seen them: when they last signed in and whether an admin
//! deactivated them. API tokens follow their owner's standing through this table.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .if_not_exists()
                    .col(string_len(Users::Subject, 255).primary_key())
                    .col(string_len(Users::Name, 255))
                    .col(timestamp_with_time_zone_null(Users::LastSigninAt))
                    .col(timestamp_with_time_zone_null(Users::DeactivatedAt))
                    .col(string_len_null(Users::DeactivatedBy, 255))
                    .col(string_len_null(Users::DeactivationReason, 500))
                    .to_owned(),
            )
            .await?;
        // Start everyone's clock from their last sign-in on record: the audit log's successful
        // sign-ins and the sessions held today.
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO users (subject, name, last_signin_at) \
                 SELECT subject, MAX(name), MAX(at) FROM ( \
                   SELECT subject, display_name AS name, created_at AS at FROM sessions \
                   UNION ALL \
                   SELECT actor AS subject, actor AS name, at FROM audit_events \
                   WHERE action = 'signin' AND outcome = 'success' \
                 ) seen GROUP BY subject",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Users::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Subject,
    Name,
    LastSigninAt,
    DeactivatedAt,
    DeactivatedBy,
    DeactivationReason,
}
