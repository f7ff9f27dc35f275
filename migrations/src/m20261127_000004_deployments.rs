//! Deployment notes, as submitted by CI or pasted in the portal — sanitized before they are
//! stored: only the masked text and the counts per category are kept.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Deployments::Table)
                    .if_not_exists()
                    .col(string_len(Deployments::Id, 36).primary_key())
                    .col(string_len(Deployments::Service, 63))
                    .col(string_len_null(Deployments::Environment, 64))
                    .col(string_len_null(Deployments::Version, 128))
                    .col(string_len_null(Deployments::CommitSha, 128))
                    .col(string_len_null(Deployments::DeployedBy, 255))
                    .col(timestamp_with_time_zone(Deployments::DeployedAt))
                    .col(text(Deployments::Body))
                    .col(text(Deployments::Links))
                    .col(text(Deployments::Redactions))
                    .col(string_len(Deployments::SanitizerVersion, 16))
                    .col(string_len(Deployments::SubmittedBy, 255))
                    .col(string_len_null(Deployments::IdempotencyKey, 200))
                    .col(string_len(Deployments::RequestHash, 64))
                    .col(timestamp_with_time_zone(Deployments::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_deployments_idempotency")
                    .table(Deployments::Table)
                    .col(Deployments::SubmittedBy)
                    .col(Deployments::IdempotencyKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_deployments_service")
                    .table(Deployments::Table)
                    .col(Deployments::Service)
                    .col(Deployments::DeployedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Deployments::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Deployments {
    Table,
    Id,
    Service,
    Environment,
    Version,
    CommitSha,
    DeployedBy,
    DeployedAt,
    Body,
    Links,
    Redactions,
    SanitizerVersion,
    SubmittedBy,
    IdempotencyKey,
    RequestHash,
    CreatedAt,
}
