//! The audit API's JSON. An event is [`EventRecord`], the same shape as a line of the
//! export, so the two cannot drift apart.

use serde::Serialize;

use crate::audit::query::EventRecord;

#[derive(Debug, Serialize)]
pub struct EventsJson {
    pub events: Vec<EventRecord>,
}
