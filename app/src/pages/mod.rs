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

/// Percent-encodes a query-string value (space as `+`).
pub(crate) fn urlencode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}
