//! sea-orm entities over the schema in the `migrations` crate.

pub mod session;
