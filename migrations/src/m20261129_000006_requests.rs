//! Template and sandbox requests, their approvals, and every event of their life.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Requests::Table)
                    .if_not_exists()
                    .col(string_len(Requests::Id, 36).primary_key())
                    .col(string_len(Requests::TemplateId, 60))
                    .col(string_len(Requests::TemplateVersion, 20))
                    .col(string_len(Requests::TemplateDigest, 64))
                    .col(string_len(Requests::Kind, 16))
                    .col(text(Requests::Title))
                    .col(text(Requests::Parameters))
                    .col(text(Requests::Files))
                    .col(text(Requests::PolicyResults))
                    .col(string_len(Requests::PolicyDigest, 64))
                    .col(integer(Requests::Tier))
                    .col(text(Requests::Owners))
                    .col(string_len(Requests::Status, 16))
                    .col(string_len(Requests::Requester, 255))
                    .col(string_len(Requests::RequesterName, 255))
                    .col(text(Requests::RequesterGroups))
                    .col(string_len_null(Requests::Team, 100))
                    .col(integer_null(Requests::SandboxUnits))
                    .col(timestamp_with_time_zone_null(Requests::SandboxExpiresAt))
                    .col(timestamp_with_time_zone_null(Requests::SandboxExpiredAt))
                    .col(timestamp_with_time_zone(Requests::PendingUntil))
                    .col(text_null(Requests::Reason))
                    .col(text_null(Requests::Bundle))
                    .col(timestamp_with_time_zone_null(Requests::DecidedAt))
                    .col(timestamp_with_time_zone(Requests::CreatedAt))
                    .col(timestamp_with_time_zone(Requests::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_requests_status",
                vec![Requests::Status, Requests::CreatedAt],
            ),
            (
                "idx_requests_requester",
                vec![Requests::Requester, Requests::CreatedAt],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(Requests::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(RequestEvents::Table)
                    .if_not_exists()
                    .col(pk_auto(RequestEvents::Id))
                    .col(string_len(RequestEvents::RequestId, 36))
                    .col(string_len(RequestEvents::Kind, 32))
                    .col(string_len(RequestEvents::Actor, 255))
                    .col(string_len(RequestEvents::ActorName, 255))
                    .col(text_null(RequestEvents::Detail))
                    .col(timestamp_with_time_zone(RequestEvents::At))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_request_events_request")
                    .table(RequestEvents::Table)
                    .col(RequestEvents::RequestId)
                    .col(RequestEvents::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Approvals::Table)
                    .if_not_exists()
                    .col(pk_auto(Approvals::Id))
                    .col(string_len(Approvals::RequestId, 36))
                    .col(string_len(Approvals::Approver, 255))
                    .col(string_len(Approvals::ApproverName, 255))
                    .col(string_len(Approvals::AsRole, 32))
                    .col(timestamp_with_time_zone(Approvals::At))
                    .to_owned(),
            )
            .await?;
        // One person counts once: the database refuses a second approval by them.
        manager
            .create_index(
                Index::create()
                    .name("uq_approvals_request_approver")
                    .table(Approvals::Table)
                    .col(Approvals::RequestId)
                    .col(Approvals::Approver)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Approvals::Table.into_iden(),
            RequestEvents::Table.into_iden(),
            Requests::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Requests {
    Table,
    Id,
    TemplateId,
    TemplateVersion,
    TemplateDigest,
    Kind,
    Title,
    Parameters,
    Files,
    PolicyResults,
    PolicyDigest,
    Tier,
    Owners,
    Status,
    Requester,
    RequesterName,
    RequesterGroups,
    Team,
    SandboxUnits,
    SandboxExpiresAt,
    SandboxExpiredAt,
    PendingUntil,
    Reason,
    Bundle,
    DecidedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RequestEvents {
    Table,
    Id,
    RequestId,
    Kind,
    Actor,
    ActorName,
    Detail,
    At,
}

#[derive(DeriveIden)]
enum Approvals {
    Table,
    Id,
    RequestId,
    Approver,
    ApproverName,
    AsRole,
    At,
}
