//! Gatehouse server: the axum binary and the whole domain.
//!
//! See the README's architecture section for how requests flow through these modules.

pub mod access;
pub mod admin;
pub mod audit;
pub mod auth;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod contracts;
pub mod db;
pub mod deployments;
pub mod drafts;
pub mod entities;
pub mod error;
pub mod hashing;
pub mod metrics;
pub mod periodic;
pub mod policy;
pub mod portal;
pub mod rate_limit;
pub mod requests;
pub mod routes;
pub mod runbooks;
pub mod sanitizer;
pub mod settings;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod webhooks;
