//! The tamper-evident audit log: every state change and security event appends one event
//! to a hash chain ([`chain`]), in the same transaction as the change ([`log`]); signed
//! checkpoints ([`signing`]) pin the chain so a rewrite needs the private key, and
//! [`verify`] names the first event that does not hold.

pub mod chain;
pub mod checkpoint;
pub mod event;
pub mod log;
pub mod query;
pub mod signing;
pub mod verify;

pub use event::{Actor, Event, Origin, Outcome};
pub use log::AuditLog;
