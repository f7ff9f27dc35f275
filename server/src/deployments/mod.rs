//! Deployment notes in: checked ([`notes`]), sanitized before anything is stored, and kept
//! with a redaction report (categories and counts, never values). A retried call with the
//! same idempotency key returns the first result instead of storing a duplicate.

pub mod notes;

use std::collections::BTreeMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};
use serde::Serialize;

use crate::audit::{AuditLog, Event, Origin};
use crate::auth::Identity;
use crate::entities::deployment;
use crate::sanitizer::Sanitizer;
use notes::Notes;

/// Services that may report deployments: those a runbook names, and those configured.
pub fn known_services(
    catalog: &crate::runbooks::catalog::Catalog,
    configured: &[crate::runbooks::names::ServiceName],
) -> std::collections::BTreeSet<crate::runbooks::names::ServiceName> {
    catalog
        .runbooks
        .values()
        .map(|r| r.meta.service.clone())
        .chain(configured.iter().cloned())
        .collect()
}

/// The problems of invalid notes as one message, field by field.
pub fn problems_message(problems: &[notes::Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("{}: {}", p.field, p.message))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A stored note, by id.
pub async fn find(db: &DatabaseConnection, id: &str) -> Result<Option<deployment::Model>, DbErr> {
    deployment::Entity::find_by_id(id.to_string()).one(db).await
}

/// What a submission produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Submitted {
    pub id: String,
    pub service: String,
    pub environment: Option<String>,
    pub version: Option<String>,
    /// Category → how many values were masked.
    pub redactions: BTreeMap<String, usize>,
    /// This answers a retry: nothing new was stored.
    pub replayed: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error(
        "the idempotency key `{0}` was already used for a different request; use a new key for new notes"
    )]
    KeyReused(String),
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// How one submission is identified for retries.
pub struct Retry<'a> {
    /// The `Idempotency-Key` header, if sent.
    pub key: Option<&'a str>,
    /// SHA-256 of the request as received.
    pub request_hash: String,
}

fn submitted(row: &deployment::Model, replayed: bool) -> Submitted {
    Submitted {
        id: row.id.clone(),
        service: row.service.clone(),
        environment: row.environment.clone(),
        version: row.version.clone(),
        redactions: serde_json::from_str(&row.redactions).unwrap_or_default(),
        replayed,
    }
}

async fn earlier(
    db: &DatabaseConnection,
    who: &Identity,
    retry: &Retry<'_>,
) -> Result<Option<Submitted>, IntakeError> {
    let Some(key) = retry.key else {
        return Ok(None);
    };
    let Some(row) = deployment::Entity::find()
        .filter(deployment::Column::SubmittedBy.eq(who.subject.as_str()))
        .filter(deployment::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if row.request_hash != retry.request_hash {
        return Err(IntakeError::KeyReused(key.to_string()));
    }
    Ok(Some(submitted(&row, true)))
}

/// Sanitizes and stores `notes`, with its audit event, in one transaction.
pub async fn submit(
    db: &DatabaseConnection,
    audit: &AuditLog,
    sanitizer: &Sanitizer,
    who: &Identity,
    origin: &Origin,
    retry: Retry<'_>,
    notes: Notes,
) -> Result<Submitted, IntakeError> {
    if let Some(done) = earlier(db, who, &retry).await? {
        return Ok(done);
    }
    let mut report: BTreeMap<String, usize> = BTreeMap::new();
    let mut clean = |text: &str| {
        let s = sanitizer.sanitize(text);
        for (category, n) in s.report() {
            *report.entry(category.to_string()).or_insert(0) += n;
        }
        s.text
    };
    let body = clean(&notes.body);
    let environment = notes.environment.as_deref().map(&mut clean);
    let version = notes.version.as_deref().map(&mut clean);
    let commit = notes.commit.as_deref().map(&mut clean);
    let deployed_by = notes.deployed_by.as_deref().map(&mut clean);
    let links: Vec<String> = notes.links.iter().map(|l| clean(l)).collect();
    let id = uuid::Uuid::new_v4().to_string();
    let row = deployment::ActiveModel {
        id: Set(id.clone()),
        service: Set(notes.service.to_string()),
        environment: Set(environment),
        version: Set(version),
        commit_sha: Set(commit),
        deployed_by: Set(deployed_by),
        deployed_at: Set(notes.time),
        body: Set(body),
        links: Set(serde_json::to_string(&links).unwrap_or_else(|_| "[]".into())),
        redactions: Set(serde_json::to_string(&report).unwrap_or_else(|_| "{}".into())),
        sanitizer_version: Set(crate::sanitizer::VERSION.to_string()),
        submitted_by: Set(who.subject.clone()),
        idempotency_key: Set(retry.key.map(str::to_string)),
        request_hash: Set(retry.request_hash.clone()),
        created_at: Set(Utc::now()),
    };
    let txn = db.begin().await?;
    let inserted = row.insert(&txn).await;
    let row = match inserted {
        Ok(row) => row,
        Err(err) => {
            // A concurrent retry with the same key got there first: answer as it did.
            drop(txn);
            if let Some(done) = earlier(db, who, &retry).await? {
                return Ok(done);
            }
            return Err(err.into());
        }
    };
    let event = Event::new(Some(who), "deployment.submit", format!("deployment:{id}"))
        .origin(origin)
        .details(serde_json::json!({
            "service": row.service,
            "version": row.version,
            "redactions": report,
        }));
    audit.append(&txn, &event).await?;
    txn.commit().await?;
    Ok(submitted(&row, false))
}
