//! Pieces shared by several pages.

pub mod diff;
#[cfg(feature = "hydrate")]
pub mod enhance;
pub mod layout;
pub mod loaded;
pub mod notice;
pub mod raw_text;
