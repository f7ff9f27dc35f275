//! Reading the log for the auditor page and the JSON Lines export.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;

use crate::entities::audit_event;

/// Filters; empty text fields match everything. Text matches are exact except `target`,
/// which also matches by prefix (`runbook:` finds every runbook event).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub target: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Only events before this sequence number (paging backwards).
    pub before: Option<i64>,
}

/// An event as shown and exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventRecord {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub auth_method: String,
    pub action: String,
    pub target: String,
    pub outcome: String,
    pub request_id: String,
    pub source: String,
    pub details: serde_json::Value,
    pub prev_hash: String,
    pub hash: String,
}

impl TryFrom<audit_event::Model> for EventRecord {
    type Error = DbErr;

    /// Details that do not decode are a read error: an export must never show an event
    /// with its details silently blanked.
    fn try_from(m: audit_event::Model) -> Result<Self, DbErr> {
        let details = crate::db::decode("audit_events.details", &m.seq.to_string(), &m.details)?;
        Ok(Self {
            seq: m.seq,
            at: m.at,
            actor: m.actor,
            auth_method: m.auth_method,
            action: m.action,
            target: m.target,
            outcome: m.outcome,
            request_id: m.request_id,
            source: m.source,
            details,
            prev_hash: m.prev_hash,
            hash: m.hash,
        })
    }
}

impl Filter {
    /// A filter from text fields as people type them; the error names the bad field and
    /// shows the expected form.
    pub fn parse(
        actor: Option<&str>,
        action: Option<&str>,
        target: Option<&str>,
        since: Option<&str>,
        until: Option<&str>,
        before: Option<&str>,
    ) -> Result<Self, String> {
        let text = |v: Option<&str>| {
            v.map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let before = match text(before) {
            None => None,
            Some(v) => Some(
                v.parse::<i64>()
                    .map_err(|_| format!("before `{v}` must be an event number"))?,
            ),
        };
        Ok(Filter {
            actor: text(actor),
            action: text(action),
            target: text(target),
            since: parse_time("since", since)?,
            until: parse_time("until", until)?,
            before,
        })
    }
}

/// A time bound: RFC 3339 (`2026-11-27T10:00:00Z`) or a date (`2026-11-27`, midnight UTC).
fn parse_time(name: &str, value: Option<&str>) -> Result<Option<DateTime<Utc>>, String> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Ok(Some(t.with_timezone(&Utc)));
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).map(|t| t.and_utc()));
    }
    Err(format!(
        "{name} `{v}` is not a time: use 2026-11-27 or 2026-11-27T10:00:00Z"
    ))
}

fn condition(filter: &Filter) -> Condition {
    let mut cond = Condition::all();
    if let Some(actor) = filter.actor.clone() {
        cond = cond.add(audit_event::Column::Actor.eq(actor));
    }
    if let Some(action) = filter.action.clone() {
        cond = cond.add(audit_event::Column::Action.eq(action));
    }
    if let Some(target) = filter.target.clone() {
        cond = cond.add(
            Condition::any()
                .add(audit_event::Column::Target.eq(target.clone()))
                .add(audit_event::Column::Target.starts_with(target)),
        );
    }
    if let Some(since) = filter.since {
        cond = cond.add(audit_event::Column::At.gte(since));
    }
    if let Some(until) = filter.until {
        cond = cond.add(audit_event::Column::At.lt(until));
    }
    if let Some(before) = filter.before {
        cond = cond.add(audit_event::Column::Seq.lt(before));
    }
    cond
}

/// The newest `limit` events matching `filter`, newest first.
pub async fn newest(
    db: &DatabaseConnection,
    filter: &Filter,
    limit: u64,
) -> Result<Vec<EventRecord>, DbErr> {
    audit_event::Entity::find()
        .filter(condition(filter))
        .order_by_desc(audit_event::Column::Seq)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(EventRecord::try_from)
        .collect()
}

/// Matching events oldest first, `page` at a time after `after` (for streaming exports).
pub async fn page_after(
    db: &DatabaseConnection,
    filter: &Filter,
    after: i64,
    page: u64,
) -> Result<Vec<EventRecord>, DbErr> {
    audit_event::Entity::find()
        .filter(condition(filter).add(audit_event::Column::Seq.gt(after)))
        .order_by_asc(audit_event::Column::Seq)
        .limit(page)
        .all(db)
        .await?
        .into_iter()
        .map(EventRecord::try_from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_dates_times_and_say_what_is_wrong() {
        let f = Filter::parse(
            Some(" dev:x "),
            Some(""),
            None,
            Some("2026-11-27"),
            Some("2026-11-28T10:00:00Z"),
            Some("40"),
        )
        .unwrap();
        assert_eq!(f.actor.as_deref(), Some("dev:x"));
        assert_eq!(f.action, None);
        assert_eq!(f.since.unwrap().to_rfc3339(), "2026-11-27T00:00:00+00:00");
        assert_eq!(f.before, Some(40));
        let err = Filter::parse(None, None, None, Some("yesterday"), None, None).unwrap_err();
        assert!(
            err.contains("since `yesterday`") && err.contains("2026-11-27"),
            "{err}"
        );
        assert!(Filter::parse(None, None, None, None, None, Some("x")).is_err());
    }
}
