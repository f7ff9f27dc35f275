//! Pieces shared by several pages.

#[cfg(feature = "hydrate")]
pub mod enhance;
pub mod layout;
pub mod notice;
