//! One module per page.

pub mod audit;
pub mod deployments;
pub mod drafts;
pub mod history;
pub mod not_found;
pub mod requests;
pub mod runbook;
pub mod search;
pub mod signin;
pub mod status;
pub mod templates;
pub mod tokens;

/// Percent-encodes a query-string value (space as `+`), as browsers encode form fields.
pub(crate) fn urlencode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
