//! What an approved request yields: the rendered files, an in-toto Statement v1 with a
//! SLSA provenance v1 predicate (template id, version and digest, parameters, policy digest
//! and results, requester, approvers, times, portal version), and an ed25519 signature over
//! the bundle's digest. `gatehouse bundle verify` checks all of it offline.

use chrono::{DateTime, Utc};
use ed25519_dalek::VerifyingKey;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::audit::signing::{AuditKey, key_id, signed_by};
use crate::entities::{approval, request};

pub const MEDIA_TYPE: &str = "application/vnd.gatehouse.bundle.v1+json";
pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";
pub const PREDICATE_TYPE: &str = "https://slsa.dev/provenance/v1";
pub const BUILD_TYPE: &str = "https://gatehouse.dev/template-request/v1";

/// JSON with object keys sorted at every level and no spaces: the bytes that are hashed.
pub fn canonical(value: &Value) -> String {
    // Keys are written in order whatever map type serde_json was built with.
    fn write(value: &Value, out: &mut String) {
        match value {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                out.push('{');
                for (i, k) in keys.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&Value::String((*k).clone()).to_string());
                    out.push(':');
                    write(&map[*k], out);
                }
                out.push('}');
            }
            Value::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(v, out);
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    write(value, &mut out);
    out
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The digest the signature covers: of the canonical `{"files", "statement"}`.
pub fn digest(files: &Value, statement: &Value) -> String {
    sha256(canonical(&json!({"files": files, "statement": statement})).as_bytes())
}

/// The message signed: `gatehouse-bundle-v1:sha256:<digest>`.
fn message(digest: &str) -> Vec<u8> {
    format!("gatehouse-bundle-v1:sha256:{digest}").into_bytes()
}

fn time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Builds and signs the bundle of an approved request.
pub fn build(
    r: &request::Model,
    approvals: &[approval::Model],
    approved_at: DateTime<Utc>,
    builder_id: &str,
    key: &AuditKey,
) -> Result<Value, String> {
    // Nothing is signed that was not stored intact.
    let stored = |what: &str, e: serde_json::Error| format!("the stored {what} do not parse: {e}");
    let rendered: Vec<Value> = serde_json::from_str(&r.files).map_err(|e| stored("files", e))?;
    let files: Vec<Value> = rendered
        .iter()
        .map(|f| {
            let content = f["content"].as_str().unwrap_or_default();
            json!({"path": f["path"], "content": content, "sha256": sha256(content.as_bytes())})
        })
        .collect();
    let subject: Vec<Value> = files
        .iter()
        .map(|f| json!({"name": f["path"], "digest": {"sha256": f["sha256"]}}))
        .collect();
    let parameters: Value =
        serde_json::from_str(&r.parameters).map_err(|e| stored("parameters", e))?;
    let policy: Value =
        serde_json::from_str(&r.policy_results).map_err(|e| stored("policy results", e))?;
    let statement = json!({
        "_type": STATEMENT_TYPE,
        "subject": subject,
        "predicateType": PREDICATE_TYPE,
        "predicate": {
            "buildDefinition": {
                "buildType": BUILD_TYPE,
                "externalParameters": {
                    "template": {"id": r.template_id, "version": r.template_version},
                    "parameters": parameters,
                },
                "internalParameters": {
                    "tier": r.tier,
                    "policy": {"digest": {"sha256": r.policy_digest}, "results": policy},
                    "requester": {"subject": r.requester, "name": r.requester_name},
                    "approvers": approvals.iter().map(|a| json!({
                        "subject": a.approver, "name": a.approver_name, "role": a.as_role, "at": time(a.at),
                    })).collect::<Vec<_>>(),
                    "automatic": approvals.is_empty(),
                },
                "resolvedDependencies": [{
                    "uri": format!("gatehouse:template/{}@{}", r.template_id, r.template_version),
                    "digest": {"sha256": r.template_digest},
                }],
            },
            "runDetails": {
                "builder": {"id": builder_id, "version": {"gatehouse": env!("CARGO_PKG_VERSION")}},
                "metadata": {
                    "invocationId": format!("request:{}", r.id),
                    "startedOn": time(r.created_at),
                    "finishedOn": time(approved_at),
                },
            },
        },
    });
    let files = Value::Array(files);
    let digest = digest(&files, &statement);
    Ok(json!({
        "mediaType": MEDIA_TYPE,
        "files": files,
        "statement": statement,
        "digest": {"sha256": digest},
        "signature": {
            "algorithm": "ed25519",
            "keyid": key.key_id(),
            "publicKey": crate::audit::signing::public_key_text(&key.public()),
            "sig": key.sign(&message(&digest)),
        },
    }))
}

/// Why a bundle does not verify.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VerifyError {
    #[error("not a Gatehouse bundle: {0}")]
    Malformed(String),
    #[error("file `{0}` does not match its sha256 (the file was changed)")]
    FileChanged(String),
    #[error("file `{0}` does not match the provenance subject (files or subjects were changed)")]
    Subject(String),
    #[error(
        "the bundle digest does not match its contents (expected {expected}, computed {actual})"
    )]
    Digest { expected: String, actual: String },
    #[error("the signature is not valid for this digest under key {0}")]
    Signature(String),
}

/// What a verified bundle says.
#[derive(Debug, Clone)]
pub struct Verified {
    pub digest: String,
    pub key_id: String,
    pub statement: Value,
}

/// Parses a bundle file, refusing an object with the same key twice: a tool that keeps the
/// other of two `content`s or `sha256`s would read a different bundle from the one verified.
pub fn parse(text: &str) -> Result<Value, VerifyError> {
    serde_json::from_str::<Strict>(text)
        .map(|s| s.0)
        .map_err(|e| VerifyError::Malformed(e.to_string()))
}

/// JSON with every object's keys distinct.
struct Strict(Value);

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(serde::de::Error::custom(format!(
                    "the key `{key}` appears twice in one object"
                )));
            }
            let Strict(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// Checks every file against its digest and the statement's subjects, the bundle digest,
/// and the signature under `public` (the portal's key, not the one the bundle carries).
pub fn verify(bundle: &Value, public: &VerifyingKey) -> Result<Verified, VerifyError> {
    let malformed = |what: &str| VerifyError::Malformed(what.to_string());
    if bundle["mediaType"] != MEDIA_TYPE {
        return Err(malformed("mediaType is missing or unknown"));
    }
    let files = bundle["files"]
        .as_array()
        .ok_or_else(|| malformed("no files"))?;
    let statement = &bundle["statement"];
    if statement["_type"] != STATEMENT_TYPE || statement["predicateType"] != PREDICATE_TYPE {
        return Err(malformed(
            "the statement is not an in-toto v1 SLSA provenance",
        ));
    }
    let subjects = statement["subject"]
        .as_array()
        .ok_or_else(|| malformed("no subjects"))?;
    if subjects.len() != files.len() {
        return Err(VerifyError::Subject("(count)".into()));
    }
    for file in files {
        let path = file["path"]
            .as_str()
            .ok_or_else(|| malformed("a file without a path"))?;
        let content = file["content"]
            .as_str()
            .ok_or_else(|| malformed("a file without content"))?;
        let actual = sha256(content.as_bytes());
        if file["sha256"].as_str() != Some(actual.as_str()) {
            return Err(VerifyError::FileChanged(path.into()));
        }
        let listed = subjects
            .iter()
            .any(|s| s["name"] == path && s["digest"]["sha256"].as_str() == Some(actual.as_str()));
        if !listed {
            return Err(VerifyError::Subject(path.into()));
        }
    }
    let expected = bundle["digest"]["sha256"]
        .as_str()
        .ok_or_else(|| malformed("no digest"))?;
    let actual = digest(&bundle["files"], statement);
    if expected != actual {
        return Err(VerifyError::Digest {
            expected: expected.into(),
            actual,
        });
    }
    let sig = bundle["signature"]["sig"]
        .as_str()
        .ok_or_else(|| malformed("no signature"))?;
    let kid = key_id(public);
    if !signed_by(public, &message(&actual), sig) {
        return Err(VerifyError::Signature(kid));
    }
    Ok(Verified {
        digest: actual,
        key_id: kid,
        statement: statement.clone(),
    })
}

/// The file name offered for download.
pub fn file_name(r: &request::Model) -> String {
    format!(
        "{}-{}.bundle.json",
        r.template_id,
        &r.id[..8.min(r.id.len())]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (request::Model, AuditKey) {
        let now = Utc::now();
        let r = request::Model {
            id: "0b6f3c1e-1111-4222-8333-944455556666".into(),
            template_id: "sandbox-environment".into(),
            template_version: "1.1.0".into(),
            template_digest: "ab".repeat(32),
            kind: "sandbox".into(),
            title: "Sandbox".into(),
            parameters: r#"{"name":"box","ttl_hours":24}"#.into(),
            files: r#"[{"path":"sandboxes/box.yaml","content":"kind: Sandbox\n"}]"#.into(),
            policy_results: "[]".into(),
            policy_digest: "cd".repeat(32),
            tier: 3,
            owners: r#"["team-platform"]"#.into(),
            status: crate::requests::status::RequestStatus::Approved,
            requester: "dev".into(),
            requester_name: "Dana".into(),
            requester_groups: r#"["developers"]"#.into(),
            team: None,
            sandbox_units: Some(1),
            sandbox_expires_at: None,
            sandbox_expired_at: None,
            pending_until: now,
            reason: None,
            bundle: None,
            decided_at: None,
            created_at: now,
            updated_at: now,
        };
        (r, AuditKey::generate())
    }

    #[test]
    fn a_bundle_verifies_and_any_change_is_caught() {
        let (r, key) = sample();
        let bundle = build(&r, &[], Utc::now(), "http://127.0.0.1:3000/", &key).unwrap();
        let ok = verify(&bundle, &key.public()).unwrap();
        assert_eq!(
            ok.statement["predicate"]["buildDefinition"]["externalParameters"]["template"]["id"],
            "sandbox-environment"
        );

        let mut content = bundle.clone();
        content["files"][0]["content"] = json!("kind: Sandbox\nprivileged: true\n");
        assert_eq!(
            verify(&content, &key.public()).unwrap_err(),
            VerifyError::FileChanged("sandboxes/box.yaml".into())
        );

        let mut both = content.clone();
        both["files"][0]["sha256"] = json!(sha256(b"kind: Sandbox\nprivileged: true\n"));
        assert!(matches!(
            verify(&both, &key.public()).unwrap_err(),
            VerifyError::Subject(_)
        ));

        let mut provenance = bundle.clone();
        provenance["statement"]["predicate"]["buildDefinition"]["internalParameters"]["tier"] =
            json!(1);
        assert!(matches!(
            verify(&provenance, &key.public()).unwrap_err(),
            VerifyError::Digest { .. }
        ));

        // Re-signed with another key: the portal's key does not accept it.
        let other = AuditKey::generate();
        let forged = build(&r, &[], Utc::now(), "http://127.0.0.1:3000/", &other).unwrap();
        assert!(matches!(
            verify(&forged, &key.public()).unwrap_err(),
            VerifyError::Signature(_)
        ));
    }

    #[test]
    fn a_key_given_twice_is_refused_wherever_it_is() {
        let (r, key) = sample();
        let bundle = build(&r, &[], Utc::now(), "http://127.0.0.1:3000/", &key).unwrap();
        let text = bundle.to_string();
        assert_eq!(
            parse(&text).unwrap(),
            bundle,
            "a good bundle parses unchanged"
        );
        // A second `content` after the verified one: other parsers keep the second.
        let twice = text.replacen(
            r#""content":"kind: Sandbox\n""#,
            r#""content":"kind: Sandbox\n","content":"kind: Sandbox\nprivileged: true\n""#,
            1,
        );
        assert_ne!(twice, text);
        let err = parse(&twice).unwrap_err().to_string();
        assert!(err.contains("the key `content` appears twice"), "{err}");
        assert!(parse("[1, 2.5, null, true, {\"a\": {\"b\": []}}]").is_ok());
        assert!(parse("{\"a\": 1, \"a\": 1}").is_err());
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        assert_eq!(
            canonical(&json!({"b": 1, "a": {"d": [2, {"f": 1, "e": 0}], "c": "x"}})),
            r#"{"a":{"c":"x","d":[2,{"e":0,"f":1}]},"b":1}"#
        );
    }
}
