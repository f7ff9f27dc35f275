//! Template and sandbox requests: the dry run (preview), risk tiers, approval rules and
//! the request desk with its state machine (`status`).

pub mod bundle;
pub mod desk;
pub mod preview;
pub mod rules;
pub mod status;
pub mod tier;
