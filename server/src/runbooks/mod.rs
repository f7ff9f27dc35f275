//! Runbooks: files with front matter, parsed into sections, indexed, searched and rendered.
//!
//! Data flow: [`catalog`] reads the directory (using [`front_matter`] and [`document`]),
//! [`index`] keeps tantivy in step, [`search`] answers [`query`]s (with [`snippets`]), and [`library`] ties them
//! together for the portal, the API and the command line. [`watch`] triggers refreshes.

pub mod anchors;
pub mod catalog;
pub mod document;
pub mod front_matter;
pub mod index;
pub mod library;
pub mod names;
pub mod nesting;
pub mod query;
pub mod reader_stats;
pub mod search;
pub mod snippets;
pub mod terms;
pub mod watch;

pub use library::{AlertTarget, RunbookLibrary};
