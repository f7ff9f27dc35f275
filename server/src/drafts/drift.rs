//! Drift: a runbook whose service deployed changes to alerts, configuration or rollback
//! after the runbook was last reviewed. Reviewed means: the `last_reviewed` date in the file
//! (from the start of that day), an accepted revision, or an owner's "reviewed" mark, whichever is latest.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect};

use crate::entities::{draft, runbook_review, runbook_revision};
use crate::runbooks::catalog::Catalog;

/// Why a runbook drifts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// `alerts`, `configuration`, `rollback`.
    pub kinds: Vec<String>,
    /// The first deployment since the last review that changed them.
    pub since: DateTime<Utc>,
}

/// How far back deployments are considered.
const WINDOW_DAYS: i64 = 400;

fn latest(map: &mut BTreeMap<String, DateTime<Utc>>, stem: String, at: DateTime<Utc>) {
    let slot = map.entry(stem).or_insert(at);
    if at > *slot {
        *slot = at;
    }
}

/// Every drifting runbook of the catalog, by stem.
pub async fn drifting(
    db: &DatabaseConnection,
    catalog: &Catalog,
) -> Result<BTreeMap<String, Drift>, DbErr> {
    let horizon = Utc::now() - chrono::Duration::days(WINDOW_DAYS);
    let mut reviewed: BTreeMap<String, DateTime<Utc>> = BTreeMap::new();
    for rb in catalog.runbooks.values() {
        if let Some(start) = rb.meta.last_reviewed.and_hms_opt(0, 0, 0) {
            latest(&mut reviewed, rb.stem.to_string(), start.and_utc());
        }
    }
    let revisions: Vec<(String, DateTime<Utc>)> = runbook_revision::Entity::find()
        .select_only()
        .column(runbook_revision::Column::Stem)
        .column(runbook_revision::Column::CreatedAt)
        .filter(runbook_revision::Column::CreatedAt.gt(horizon))
        .into_tuple()
        .all(db)
        .await?;
    let reviews: Vec<(String, DateTime<Utc>)> = runbook_review::Entity::find()
        .select_only()
        .column(runbook_review::Column::Stem)
        .column(runbook_review::Column::ReviewedAt)
        .filter(runbook_review::Column::ReviewedAt.gt(horizon))
        .into_tuple()
        .all(db)
        .await?;
    for (stem, at) in revisions.into_iter().chain(reviews) {
        latest(&mut reviewed, stem, at);
    }
    let drafts: Vec<(String, String, String, DateTime<Utc>)> = draft::Entity::find()
        .select_only()
        .column(draft::Column::Stem)
        .column(draft::Column::Service)
        .column(draft::Column::DriftKinds)
        .column(draft::Column::CreatedAt)
        .filter(draft::Column::CreatedAt.gt(horizon))
        .filter(draft::Column::DriftKinds.ne("[]"))
        .filter(draft::Column::IsNew.eq(false))
        .into_tuple()
        .all(db)
        .await?;
    let mut out: BTreeMap<String, Drift> = BTreeMap::new();
    for (stem, service, kinds, at) in drafts {
        // Only the runbook's own service makes it drift: a runbook that lists another
        // service's alert, or mentions it, does not describe that service's rollback.
        if catalog
            .get(&stem)
            .is_none_or(|rb| rb.meta.service.as_ref() != service)
        {
            continue;
        }
        if reviewed.get(&stem).is_some_and(|r| *r >= at) {
            continue;
        }
        let kinds: Vec<String> = crate::db::decode("drafts.drift_kinds", &stem, &kinds)?;
        let entry = out.entry(stem).or_insert(Drift {
            kinds: Vec::new(),
            since: at,
        });
        entry.since = entry.since.min(at);
        for k in kinds {
            if !entry.kinds.contains(&k) {
                entry.kinds.push(k);
            }
        }
    }
    for d in out.values_mut() {
        d.kinds.sort();
    }
    Ok(out)
}
