//! sea-orm entities over the schema in the `migrations` crate.

pub mod api_token;
pub mod approval;
pub mod audit_checkpoint;
pub mod audit_event;
pub mod audit_head;
pub mod deployment;
pub mod draft;
pub mod request;
pub mod request_event;
pub mod runbook_review;
pub mod runbook_revision;
pub mod session;
pub mod user;
pub mod webhook_delivery;
