//! People's standing: when each last signed in and whether an admin deactivated them.
//! Sessions and API tokens act only while their owner is in good standing.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, sea_query::OnConflict,
};

use crate::audit::{AuditLog, Event, Origin};
use crate::entities::{session, user};

/// Whether someone may act.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Never seen: a service owner named when an admin made its token.
    Unknown,
    Active {
        last_signin_at: Option<DateTime<Utc>>,
    },
    Deactivated {
        at: DateTime<Utc>,
        by: String,
    },
}

impl Standing {
    /// What a stored row says.
    fn of(row: &user::Model) -> Self {
        match row.deactivated_at {
            Some(at) => Standing::Deactivated {
                at,
                by: row.deactivated_by.clone().unwrap_or_default(),
            },
            None => Standing::Active {
                last_signin_at: row.last_signin_at,
            },
        }
    }
}

/// Records a sign-in; refuses (returning the standing) someone who was deactivated.
pub async fn record_signin(
    conn: &impl ConnectionTrait,
    subject: &str,
    name: &str,
) -> Result<Standing, DbErr> {
    let now = Utc::now();
    match user::Entity::find_by_id(subject.to_string())
        .one(conn)
        .await?
    {
        Some(row) => {
            if let refused @ Standing::Deactivated { .. } = Standing::of(&row) {
                return Ok(refused);
            }
            let mut active: user::ActiveModel = row.into();
            active.name = Set(name.to_string());
            active.last_signin_at = Set(Some(now));
            active.update(conn).await?;
        }
        None => {
            // Two first sign-ins of one person can race (two tabs, two replicas): the second
            // insert finds the row there and leaves it, instead of failing the sign-in.
            let row = user::ActiveModel {
                subject: Set(subject.to_string()),
                name: Set(name.to_string()),
                last_signin_at: Set(Some(now)),
                deactivated_at: Set(None),
                deactivated_by: Set(None),
                deactivation_reason: Set(None),
            };
            user::Entity::insert(row)
                .on_conflict(
                    OnConflict::column(user::Column::Subject)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(conn)
                .await?;
        }
    }
    Ok(Standing::Active {
        last_signin_at: Some(now),
    })
}

pub async fn standing(conn: &impl ConnectionTrait, subject: &str) -> Result<Standing, DbErr> {
    Ok(user::Entity::find_by_id(subject.to_string())
        .one(conn)
        .await?
        .map_or(Standing::Unknown, |row| Standing::of(&row)))
}

/// Deactivates `subject` (known or not, so a service owner can be stopped too) and ends
/// their sessions; false if they already were. Run it inside the transaction of its audit event.
pub async fn deactivate(
    conn: &impl ConnectionTrait,
    subject: &str,
    by: &str,
    reason: Option<&str>,
) -> Result<bool, DbErr> {
    let now = Utc::now();
    let changed = match user::Entity::find_by_id(subject.to_string())
        .one(conn)
        .await?
    {
        Some(row) if row.deactivated_at.is_some() => false,
        Some(row) => {
            let mut active: user::ActiveModel = row.into();
            active.deactivated_at = Set(Some(now));
            active.deactivated_by = Set(Some(by.to_string()));
            active.deactivation_reason = Set(reason.map(str::to_string));
            active.update(conn).await?;
            true
        }
        None => {
            user::ActiveModel {
                subject: Set(subject.to_string()),
                name: Set(subject.to_string()),
                last_signin_at: Set(None),
                deactivated_at: Set(Some(now)),
                deactivated_by: Set(Some(by.to_string())),
                deactivation_reason: Set(reason.map(str::to_string)),
            }
            .insert(conn)
            .await?;
            true
        }
    };
    session::Entity::delete_many()
        .filter(session::Column::Subject.eq(subject))
        .exec(conn)
        .await?;
    Ok(changed)
}

/// Lets a deactivated person sign in again (their tokens work again once they do, or at
/// once for a service owner); false if they were not deactivated.
pub async fn reactivate(conn: &impl ConnectionTrait, subject: &str) -> Result<bool, DbErr> {
    let Some(row) = user::Entity::find_by_id(subject.to_string())
        .one(conn)
        .await?
    else {
        return Ok(false);
    };
    if row.deactivated_at.is_none() {
        return Ok(false);
    }
    let mut active: user::ActiveModel = row.into();
    active.deactivated_at = Set(None);
    active.deactivated_by = Set(None);
    active.deactivation_reason = Set(None);
    active.update(conn).await?;
    Ok(true)
}

/// What an admin changes about someone's standing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change<'a> {
    Deactivate { reason: Option<&'a str> },
    Reactivate,
}

/// Changes someone's standing and records who did it, in one transaction; whether anything
/// changed (deactivating the deactivated, or reactivating the active, changes nothing).
pub async fn set_standing(
    db: &sea_orm::DatabaseConnection,
    audit: &AuditLog,
    by: &super::Identity,
    origin: &Origin,
    subject: &str,
    change: Change<'_>,
) -> Result<bool, DbErr> {
    let txn = crate::db::begin_write(db).await?;
    let (changed, action, reason) = match change {
        Change::Deactivate { reason } => (
            deactivate(&txn, subject, &by.subject, reason).await?,
            "user.deactivate",
            reason,
        ),
        Change::Reactivate => (reactivate(&txn, subject).await?, "user.reactivate", None),
    };
    if changed {
        let event = Event::new(Some(by), action, format!("user:{subject}"))
            .origin(origin)
            .details(serde_json::json!({ "reason": reason }));
        audit.append(&txn, &event).await?;
    }
    txn.commit().await?;
    Ok(changed)
}

/// Everyone Gatehouse has seen, by subject.
pub async fn list(conn: &impl ConnectionTrait) -> Result<Vec<user::Model>, DbErr> {
    user::Entity::find()
        .order_by_asc(user::Column::Subject)
        .all(conn)
        .await
}
