//! The hash chain: each event's hash covers a canonical encoding of its fields and the hash
//! of its predecessor, so changing, removing or reordering any event breaks every later link.

use chrono::{DateTime, SubsecRound, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields an event's hash covers, in a fixed order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link<'a> {
    pub seq: i64,
    pub at: &'a DateTime<Utc>,
    pub actor: &'a str,
    pub auth_method: &'a str,
    pub action: &'a str,
    pub target: &'a str,
    pub outcome: &'a str,
    pub request_id: &'a str,
    pub source: &'a str,
    /// A JSON object, already in canonical form (see [`canonical_details`]).
    pub details: &'a str,
    pub prev_hash: &'a str,
}

/// Times are kept to the microsecond: what both SQLite and PostgreSQL store exactly.
pub fn storable_time(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

/// Details as compact JSON with keys sorted (serde_json's map is ordered), so the same
/// details always hash the same.
pub fn canonical_details(details: &serde_json::Value) -> String {
    let value: serde_json::Value = match details {
        serde_json::Value::Object(_) => details.clone(),
        serde_json::Value::Null => serde_json::json!({}),
        other => serde_json::json!({ "value": other }),
    };
    value.to_string()
}

impl<'a> Link<'a> {
    /// The link a stored event claims to be (its own `prev_hash` included), to recompute its
    /// hash from.
    pub fn of_stored(event: &'a crate::entities::audit_event::Model) -> Self {
        Link {
            seq: event.seq,
            at: &event.at,
            actor: &event.actor,
            auth_method: &event.auth_method,
            action: &event.action,
            target: &event.target,
            outcome: &event.outcome,
            request_id: &event.request_id,
            source: &event.source,
            details: &event.details,
            prev_hash: &event.prev_hash,
        }
    }
}

impl Link<'_> {
    /// Version-tagged, length-prefixed encoding: no two different events share one.
    pub fn canonical(&self) -> Vec<u8> {
        let at = self.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
        let seq = self.seq.to_string();
        let fields: [&str; 11] = [
            &seq,
            &at,
            self.actor,
            self.auth_method,
            self.action,
            self.target,
            self.outcome,
            self.request_id,
            self.source,
            self.details,
            self.prev_hash,
        ];
        let mut out = b"gatehouse-audit-v1\n".to_vec();
        for field in fields {
            out.extend_from_slice(field.len().to_string().as_bytes());
            out.push(b':');
            out.extend_from_slice(field.as_bytes());
            out.push(b'\n');
        }
        out
    }

    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.canonical()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link<'a>(at: &'a DateTime<Utc>, actor: &'a str, target: &'a str) -> Link<'a> {
        Link {
            seq: 1,
            at,
            actor,
            auth_method: "dev",
            action: "signin",
            target,
            outcome: "success",
            request_id: "r",
            source: "127.0.0.1",
            details: "{}",
            prev_hash: GENESIS,
        }
    }

    #[test]
    fn any_field_change_changes_the_hash_and_field_boundaries_count() {
        let at = storable_time(Utc::now());
        let base = link(&at, "ab", "c").hash();
        assert_eq!(base, link(&at, "ab", "c").hash());
        // Same concatenation, different split: must differ.
        assert_ne!(base, link(&at, "a", "bc").hash());
        let later = at + chrono::Duration::microseconds(1);
        assert_ne!(base, link(&later, "ab", "c").hash());
    }

    #[test]
    fn details_are_canonical_whatever_the_key_order() {
        let a: serde_json::Value = serde_json::from_str(r#"{"b":1,"a":[2,3]}"#).unwrap();
        let b: serde_json::Value = serde_json::from_str(r#"{"a":[2,3],"b":1}"#).unwrap();
        assert_eq!(canonical_details(&a), canonical_details(&b));
        assert_eq!(canonical_details(&serde_json::Value::Null), "{}");
    }
}
