//! Template and sandbox requests: the dry run (preview), risk tiers, approval rules and
//! the request desk with its state machine (`status`).

pub mod bundle;
pub mod decide;
pub mod desk;
pub mod error;
pub mod expiry;
pub mod limits;
pub mod preview;
pub mod record;
pub mod rules;
pub mod status;
pub mod tier;
