//! Deployment notes in: checked ([`notes`]), sanitized before anything is stored, and kept
//! with a redaction report (categories and counts, never values). A retried call with the
//! same idempotency key returns the first result instead of storing a duplicate.

pub mod notes;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter,
};

use crate::audit::{AuditLog, Event, Origin};
use crate::auth::Identity;
use crate::entities::{deployment, draft};
use crate::runbooks::RunbookLibrary;
use crate::runbooks::names::{GroupName, ServiceName};
use crate::sanitizer::Sanitizer;
use crate::settings::{ConfigError, Settings, invalid};
use notes::Notes;

/// `[deployments]` as written: `services`, those that may report deployments although no
/// runbook names them yet.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    #[serde(default)]
    services: Vec<String>,
}

/// The services the `[deployments]` table adds, each name checked.
pub fn configured_services(s: &mut Settings) -> Result<Vec<ServiceName>, ConfigError> {
    let raw: RawSection = s.table("deployments")?;
    raw.services
        .iter()
        .map(|name| {
            ServiceName::parse(name)
                .map_err(|e| invalid("deployments.services", format!("`{name}`: {e}")))
        })
        .collect()
}

/// Services that may report deployments: those a runbook names, and those configured.
pub fn known_services(
    catalog: &crate::runbooks::catalog::Catalog,
    configured: &[ServiceName],
) -> BTreeSet<ServiceName> {
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    pub id: String,
    pub service: String,
    pub environment: Option<String>,
    pub version: Option<String>,
    /// Category → how many values were masked.
    pub redactions: BTreeMap<String, usize>,
    /// The runbook drafts these notes produced, for the owners to review.
    pub drafts: Vec<DraftRef>,
    /// This answers a retry: nothing new was stored.
    pub replayed: bool,
}

/// A draft made from the notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftRef {
    pub id: String,
    pub runbook: String,
    /// A new runbook drafted for a service that had none.
    pub new: bool,
}

impl DraftRef {
    fn of(d: &draft::Model) -> Self {
        Self {
            id: d.id.clone(),
            runbook: d.stem.clone(),
            new: d.is_new,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error(
        "the idempotency key `{0}` was already used for a different request; use a new key for new notes"
    )]
    KeyReused(String),
    /// Every problem with the notes, field by field; nothing was stored.
    #[error("{}", problems_message(.0))]
    Invalid(Vec<notes::Problem>),
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

fn submitted(
    row: &deployment::Model,
    drafts: &[draft::Model],
    replayed: bool,
) -> Result<Submitted, DbErr> {
    Ok(Submitted {
        drafts: drafts.iter().map(DraftRef::of).collect(),
        id: row.id.clone(),
        service: row.service.clone(),
        environment: row.environment.clone(),
        version: row.version.clone(),
        redactions: row.redactions()?,
        replayed,
    })
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
    let drafts = draft::Entity::find()
        .filter(draft::Column::DeploymentId.eq(row.id.as_str()))
        .all(db)
        .await?;
    Ok(Some(submitted(&row, &drafts, true)?))
}

/// Where deployment notes come in, from the API and from the portal alike.
pub struct Intake {
    pub db: DatabaseConnection,
    pub audit: AuditLog,
    pub sanitizer: Arc<Sanitizer>,
    pub library: Arc<RunbookLibrary>,
    /// Services configured to report deployments besides those runbooks name.
    pub services: Vec<ServiceName>,
    /// Owners of runbooks drafted for services that have none.
    pub new_owners: Vec<GroupName>,
    /// The optional model-backed drafter.
    pub llm: Option<Arc<crate::drafts::llm::LlmDrafter>>,
}

impl Intake {
    /// Services that may report deployments now.
    pub fn known_services(&self) -> BTreeSet<ServiceName> {
        known_services(&self.library.catalog(), &self.services)
    }

    /// The services a reader in `groups` may pick: those of the runbooks they may read, and
    /// the configured ones.
    pub fn services_for(&self, groups: &[GroupName]) -> BTreeSet<ServiceName> {
        self.library
            .visible(groups)
            .iter()
            .map(|r| r.meta.service.clone())
            .chain(self.services.iter().cloned())
            .collect()
    }

    /// Checks raw notes, then sanitizes and stores them with their drafts.
    pub async fn receive(
        &self,
        who: &Identity,
        origin: &Origin,
        retry: Retry<'_>,
        raw: notes::NotesJson,
    ) -> Result<Submitted, IntakeError> {
        let known = self.known_services();
        let valid = notes::validate(raw, |s| known.contains(s), Utc::now())
            .map_err(IntakeError::Invalid)?;
        self.submit(who, origin, retry, valid).await
    }

    /// Sanitizes and stores `notes` and the runbook drafts they call for, with their audit
    /// events, in one transaction.
    pub async fn submit(
        &self,
        who: &Identity,
        origin: &Origin,
        retry: Retry<'_>,
        notes: Notes,
    ) -> Result<Submitted, IntakeError> {
        let db = &self.db;
        if let Some(done) = earlier(db, who, &retry).await? {
            return Ok(self.for_reader(who, done));
        }
        let mut report: BTreeMap<String, usize> = BTreeMap::new();
        let mut count = |s: &crate::sanitizer::Sanitized| {
            for (category, n) in s.report() {
                *report.entry(category.to_string()).or_insert(0) += n;
            }
        };
        // The body is up to 64 KB: sanitized on a blocking thread, so a large one never
        // holds up the async workers that answer everyone else.
        let body = {
            let (sanitizer, text) = (self.sanitizer.clone(), notes.body.clone());
            let s = tokio::task::spawn_blocking(move || sanitizer.sanitize(&text))
                .await
                .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
            count(&s);
            s.text
        };
        let mut clean = |text: &str| {
            let s = self.sanitizer.sanitize(text);
            count(&s);
            s.text
        };
        let environment = notes.environment.as_deref().map(&mut clean);
        let version = notes.version.as_deref().map(&mut clean);
        let commit = notes.commit.as_deref().map(&mut clean);
        let deployed_by = notes.deployed_by.as_deref().map(&mut clean);
        let links: Vec<String> = notes.links.iter().map(|l| clean(l)).collect();
        let row = deployment::Model {
            id: uuid::Uuid::new_v4().to_string(),
            service: notes.service.to_string(),
            environment,
            version,
            commit_sha: commit,
            deployed_by,
            deployed_at: notes.time,
            body,
            links: serde_json::to_string(&links).unwrap_or_else(|_| "[]".into()),
            redactions: serde_json::to_string(&report).unwrap_or_else(|_| "{}".into()),
            sanitizer_version: crate::sanitizer::VERSION.to_string(),
            submitted_by: who.subject.clone(),
            idempotency_key: retry.key.map(str::to_string),
            request_hash: retry.request_hash.clone(),
            created_at: Utc::now(),
        };
        // Drafting reads the runbook files; it works on the sanitized row only.
        let mut planned = {
            let (row, library, owners) =
                (row.clone(), self.library.clone(), self.new_owners.clone());
            tokio::task::spawn_blocking(move || {
                crate::drafts::plan(&row, &library.catalog(), library.dir(), &owners)
            })
            .await
            .unwrap_or_default()
        };
        if let Some(llm) = &self.llm {
            crate::drafts::with_model(llm, &self.sanitizer, &row, &mut planned).await;
        }
        let txn = crate::db::begin_write(db).await?;
        let inserted = row
            .clone()
            .into_active_model()
            .reset_all()
            .insert(&txn)
            .await;
        if let Err(err) = inserted {
            // A concurrent retry with the same key got there first: answer as it did.
            drop(txn);
            if let Some(done) = earlier(db, who, &retry).await? {
                return Ok(self.for_reader(who, done));
            }
            return Err(err.into());
        }
        let event = Event::new(
            Some(who),
            "deployment.submit",
            format!("deployment:{}", row.id),
        )
        .origin(origin)
        .details(serde_json::json!({
            "service": row.service,
            "version": row.version,
            "redactions": report,
        }));
        self.audit.append(&txn, &event).await?;
        crate::drafts::store(&txn, &self.audit, who, origin, &row, planned).await?;
        txn.commit().await?;
        let drafts = draft::Entity::find()
            .filter(draft::Column::DeploymentId.eq(row.id.as_str()))
            .all(db)
            .await?;
        Ok(self.for_reader(who, submitted(&row, &drafts, false)?))
    }

    /// The answer without drafts of runbooks the submitter may not read (a CI token does not
    /// learn the names of restricted runbooks).
    fn for_reader(&self, who: &Identity, mut done: Submitted) -> Submitted {
        let catalog = self.library.catalog();
        done.drafts.retain(|d| {
            catalog
                .get(&d.runbook)
                .is_none_or(|rb| rb.readable_by(&who.groups))
        });
        done
    }
}
