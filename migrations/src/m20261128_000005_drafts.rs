//! Runbook drafts from deployment notes, the runbook revisions accepted from them, and
//! owners' "reviewed" marks (which end drift).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Drafts::Table)
                    .if_not_exists()
                    .col(string_len(Drafts::Id, 36).primary_key())
                    .col(string_len(Drafts::DeploymentId, 36))
                    .col(string_len(Drafts::Stem, 200))
                    .col(string_len(Drafts::Service, 63))
                    .col(boolean(Drafts::IsNew))
                    .col(text(Drafts::Owners))
                    .col(string_len_null(Drafts::BaseHash, 64))
                    .col(text_null(Drafts::BaseText))
                    .col(text(Drafts::Proposed))
                    .col(text(Drafts::Summary))
                    .col(text(Drafts::DriftKinds))
                    .col(string_len(Drafts::Drafter, 64))
                    .col(string_len_null(Drafts::Model, 128))
                    .col(text_null(Drafts::DrafterNote))
                    .col(string_len(Drafts::SanitizerVersion, 16))
                    .col(string_len(Drafts::Status, 16))
                    .col(string_len_null(Drafts::DecidedBy, 255))
                    .col(timestamp_with_time_zone_null(Drafts::DecidedAt))
                    .col(text_null(Drafts::Reason))
                    .col(integer_null(Drafts::RevisionSeq))
                    .col(timestamp_with_time_zone(Drafts::CreatedAt))
                    .col(timestamp_with_time_zone(Drafts::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("idx_drafts_status", vec![Drafts::Status, Drafts::CreatedAt]),
            ("idx_drafts_stem", vec![Drafts::Stem, Drafts::CreatedAt]),
            ("idx_drafts_deployment", vec![Drafts::DeploymentId]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Drafts::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(RunbookRevisions::Table)
                    .if_not_exists()
                    .col(pk_auto(RunbookRevisions::Seq))
                    .col(string_len(RunbookRevisions::Stem, 200))
                    .col(string_len(RunbookRevisions::File, 400))
                    .col(string_len_null(RunbookRevisions::PreviousHash, 64))
                    .col(text_null(RunbookRevisions::PreviousText))
                    .col(string_len(RunbookRevisions::Hash, 64))
                    .col(text(RunbookRevisions::Content))
                    .col(string_len(RunbookRevisions::Author, 255))
                    .col(string_len(RunbookRevisions::AuthorName, 255))
                    .col(string_len_null(RunbookRevisions::DraftId, 36))
                    .col(string_len_null(RunbookRevisions::DeploymentId, 36))
                    .col(text(RunbookRevisions::Message))
                    .col(timestamp_with_time_zone(RunbookRevisions::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_runbook_revisions_stem")
                    .table(RunbookRevisions::Table)
                    .col(RunbookRevisions::Stem)
                    .col(RunbookRevisions::Seq)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RunbookReviews::Table)
                    .if_not_exists()
                    .col(pk_auto(RunbookReviews::Id))
                    .col(string_len(RunbookReviews::Stem, 200))
                    .col(string_len(RunbookReviews::ReviewedBy, 255))
                    .col(timestamp_with_time_zone(RunbookReviews::ReviewedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_runbook_reviews_stem")
                    .table(RunbookReviews::Table)
                    .col(RunbookReviews::Stem)
                    .col(RunbookReviews::ReviewedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            RunbookReviews::Table.into_iden(),
            RunbookRevisions::Table.into_iden(),
            Drafts::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Drafts {
    Table,
    Id,
    DeploymentId,
    Stem,
    Service,
    IsNew,
    Owners,
    BaseHash,
    BaseText,
    Proposed,
    Summary,
    DriftKinds,
    Drafter,
    Model,
    DrafterNote,
    SanitizerVersion,
    Status,
    DecidedBy,
    DecidedAt,
    Reason,
    RevisionSeq,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RunbookRevisions {
    Table,
    Seq,
    Stem,
    File,
    PreviousHash,
    PreviousText,
    Hash,
    Content,
    Author,
    AuthorName,
    DraftId,
    DeploymentId,
    Message,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RunbookReviews {
    Table,
    Id,
    Stem,
    ReviewedBy,
    ReviewedAt,
}
