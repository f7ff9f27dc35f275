//! API tokens for automation: only the SHA-256 of a token is stored, with its owner, the
//! groups it acts with, its scopes, expiry, last use and revocation.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .if_not_exists()
                    .col(string_len(ApiTokens::Id, 32).primary_key())
                    .col(string_len(ApiTokens::SecretHash, 64).unique_key())
                    .col(string_len(ApiTokens::Name, 128))
                    .col(string_len(ApiTokens::Owner, 255))
                    .col(string_len(ApiTokens::OwnerName, 255))
                    .col(text(ApiTokens::Groups))
                    .col(text(ApiTokens::Scopes))
                    .col(string_len(ApiTokens::CreatedBy, 255))
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .col(timestamp_with_time_zone(ApiTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_api_tokens_owner")
                    .table(ApiTokens::Table)
                    .col(ApiTokens::Owner)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ApiTokens::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    SecretHash,
    Name,
    Owner,
    OwnerName,
    Groups,
    Scopes,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    LastUsedAt,
    RevokedAt,
}
