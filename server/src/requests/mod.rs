//! Template and sandbox requests: the dry run (preview) and risk tiers.

pub mod preview;
pub mod tier;
