//! One module per page.

pub mod audit;
pub mod not_found;
pub mod runbook;
pub mod search;
pub mod signin;
pub mod status;
pub mod tokens;
