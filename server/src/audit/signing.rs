//! Checkpoint signing with ed25519. The private key comes from configuration; the public key
//! is served at `/.well-known/gatehouse/audit-key` so anyone can check checkpoints.

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read the audit signing key {path}: {reason}")]
    Read { path: String, reason: String },
    #[error(
        "the audit signing key in {path} is not valid: it must hold 32 random bytes in base64 (make one with `gatehouse audit keygen`)"
    )]
    Malformed { path: String },
    #[error("the public key `{0}` is not a base64 ed25519 public key (32 bytes)")]
    BadPublicKey(String),
}

/// The signing key (never printed: Debug shows only the key id).
pub struct AuditKey {
    key: SigningKey,
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AuditKey({})", self.key_id())
    }
}

/// What a checkpoint signs: the log's size, its head hash and when it was signed, like a
/// Certificate Transparency tree head.
pub fn checkpoint_message(seq: i64, hash: &str, at: &DateTime<Utc>) -> Vec<u8> {
    format!(
        "gatehouse-audit-checkpoint-v2\n{seq}\n{hash}\n{}\n",
        checkpoint_time(at)
    )
    .into_bytes()
}

/// What checkpoints signed before they carried a time (still accepted when verifying).
fn checkpoint_message_v1(seq: i64, hash: &str) -> Vec<u8> {
    format!("gatehouse-audit-checkpoint-v1\n{seq}\n{hash}\n").into_bytes()
}

/// A checkpoint's time as signed and exported: RFC 3339 in UTC to the microsecond.
pub fn checkpoint_time(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// A short, stable name for a public key: the first 8 bytes of its SHA-256, in hex.
pub fn key_id(public: &VerifyingKey) -> String {
    hex::encode(&Sha256::digest(public.as_bytes())[..8])
}

impl AuditKey {
    /// A fresh random key.
    pub fn generate() -> Self {
        let mut seed = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut seed);
        Self {
            key: SigningKey::from_bytes(&seed),
        }
    }

    /// The key as stored in a key file: base64 of the 32-byte seed.
    pub fn to_file_text(&self) -> String {
        format!("{}\n", B64.encode(self.key.to_bytes()))
    }

    pub fn from_file(path: &Path) -> Result<Self, KeyError> {
        let text = std::fs::read_to_string(path).map_err(|e| KeyError::Read {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        let malformed = || KeyError::Malformed {
            path: path.display().to_string(),
        };
        let bytes = B64.decode(text.trim()).map_err(|_| malformed())?;
        let seed: [u8; 32] = bytes.try_into().map_err(|_| malformed())?;
        Ok(Self {
            key: SigningKey::from_bytes(&seed),
        })
    }

    /// Writes a new key file readable by its owner only; refuses to overwrite one.
    pub fn create_file(path: &Path) -> Result<Self, KeyError> {
        use std::io::Write;
        let fail = |e: std::io::Error| KeyError::Read {
            path: path.display().to_string(),
            reason: e.to_string(),
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let key = Self::generate();
        let mut file = options.open(path).map_err(fail)?;
        file.write_all(key.to_file_text().as_bytes())
            .map_err(fail)?;
        Ok(key)
    }

    pub fn public(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    pub fn key_id(&self) -> String {
        key_id(&self.public())
    }

    /// Base64 signature over [`checkpoint_message`].
    pub fn sign_checkpoint(&self, seq: i64, hash: &str, at: &DateTime<Utc>) -> String {
        self.sign(&checkpoint_message(seq, hash, at))
    }
}

impl AuditKey {
    /// Base64 signature over any message (bundles sign their digest this way).
    pub fn sign(&self, message: &[u8]) -> String {
        B64.encode(self.key.sign(message).to_bytes())
    }
}

/// Whether `signature` (base64) signs `message` under `public`.
pub fn signed_by(public: &VerifyingKey, message: &[u8], signature: &str) -> bool {
    let Ok(bytes) = B64.decode(signature.trim()) else {
        return false;
    };
    let Ok(sig) = Signature::from_slice(&bytes) else {
        return false;
    };
    public.verify(message, &sig).is_ok()
}

/// Parses a base64 public key (as served at the well-known URL).
pub fn parse_public_key(text: &str) -> Result<VerifyingKey, KeyError> {
    let bad = || KeyError::BadPublicKey(text.to_string());
    let bytes: [u8; 32] = B64
        .decode(text.trim())
        .map_err(|_| bad())?
        .try_into()
        .map_err(|_| bad())?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| bad())
}

pub fn public_key_text(public: &VerifyingKey) -> String {
    B64.encode(public.as_bytes())
}

/// How a checkpoint's signature holds under a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckpointSignature {
    /// Signs size, hash and time.
    Valid,
    /// Signs size and hash only (written before checkpoints carried a time).
    ValidWithoutTime,
    Invalid,
}

/// Whether `signature` (base64) signs checkpoint (`seq`, `hash`, `at`) under `public`.
pub fn checkpoint_signed_by(
    public: &VerifyingKey,
    seq: i64,
    hash: &str,
    at: &DateTime<Utc>,
    signature: &str,
) -> CheckpointSignature {
    if signed_by(public, &checkpoint_message(seq, hash, at), signature) {
        CheckpointSignature::Valid
    } else if signed_by(public, &checkpoint_message_v1(seq, hash), signature) {
        CheckpointSignature::ValidWithoutTime
    } else {
        CheckpointSignature::Invalid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_only_for_the_signed_checkpoint_and_key() {
        use CheckpointSignature::{Invalid, Valid, ValidWithoutTime};
        let key = AuditKey::generate();
        let at = Utc::now();
        let later = at + chrono::Duration::seconds(1);
        let sig = key.sign_checkpoint(7, "abc", &at);
        let public = key.public();
        assert_eq!(checkpoint_signed_by(&public, 7, "abc", &at, &sig), Valid);
        assert_eq!(checkpoint_signed_by(&public, 8, "abc", &at, &sig), Invalid);
        assert_eq!(checkpoint_signed_by(&public, 7, "abd", &at, &sig), Invalid);
        assert_eq!(
            checkpoint_signed_by(&public, 7, "abc", &later, &sig),
            Invalid,
            "the time is signed"
        );
        let other = AuditKey::generate().public();
        assert_eq!(checkpoint_signed_by(&other, 7, "abc", &at, &sig), Invalid);
        assert_eq!(
            checkpoint_signed_by(&public, 7, "abc", &at, "not base64"),
            Invalid
        );
        let old = key.sign(&checkpoint_message_v1(7, "abc"));
        assert_eq!(
            checkpoint_signed_by(&public, 7, "abc", &later, &old),
            ValidWithoutTime
        );
    }

    #[test]
    fn key_files_round_trip_and_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/audit.key");
        let key = AuditKey::create_file(&path).unwrap();
        let again = AuditKey::from_file(&path).unwrap();
        assert_eq!(key.key_id(), again.key_id());
        assert!(
            AuditKey::create_file(&path).is_err(),
            "never overwrites a key"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "short").unwrap();
        let err = AuditKey::from_file(&path).unwrap_err().to_string();
        assert!(err.contains("32 random bytes"), "{err}");
        assert!(!format!("{key:?}").contains(key.to_file_text().trim()));
    }
}
