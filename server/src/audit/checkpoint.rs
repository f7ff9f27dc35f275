//! A signed checkpoint as kept outside the database: `gatehouse audit checkpoint --export`
//! writes one, `gatehouse audit verify --against FILE` proves the log still extends it.

use chrono::{DateTime, Utc};
use ed25519_dalek::VerifyingKey;
use sea_orm::{DatabaseConnection, DbErr, EntityTrait, QueryOrder};
use serde::{Deserialize, Serialize};

use super::signing::{CheckpointSignature, checkpoint_signed_by, checkpoint_time};
use crate::entities::audit_checkpoint;

/// What the exported file says it is, so a wrong file is named as such.
const FORMAT: &str = "gatehouse-audit-checkpoint";

/// One signed tree head: the log's size (`seq`), its head hash and when it was signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedCheckpoint {
    pub format: String,
    pub seq: i64,
    pub hash: String,
    /// RFC 3339, UTC, to the microsecond: exactly what was signed.
    pub at: String,
    pub key_id: String,
    pub signature: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CheckpointFileError {
    #[error("cannot read {path}: {reason}")]
    Read { path: String, reason: String },
    #[error(
        "{path} is not an exported audit checkpoint ({reason}); make one with `gatehouse audit checkpoint --export FILE`"
    )]
    Malformed { path: String, reason: String },
}

impl SignedCheckpoint {
    pub fn from_model(cp: &audit_checkpoint::Model) -> Self {
        Self {
            format: FORMAT.into(),
            seq: cp.seq,
            hash: cp.hash.clone(),
            at: checkpoint_time(&cp.at),
            key_id: cp.key_id.clone(),
            signature: cp.signature.clone(),
        }
    }

    /// The newest checkpoint in the database, if any.
    pub async fn latest(db: &DatabaseConnection) -> Result<Option<Self>, DbErr> {
        Ok(audit_checkpoint::Entity::find()
            .order_by_desc(audit_checkpoint::Column::Seq)
            .one(db)
            .await?
            .map(|cp| Self::from_model(&cp)))
    }

    /// Reads an exported checkpoint file; its signature is checked by [`Self::signed_by`].
    pub fn read(path: &std::path::Path) -> Result<Self, CheckpointFileError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| CheckpointFileError::Read {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
        let malformed = |reason: String| CheckpointFileError::Malformed {
            path: shown.clone(),
            reason,
        };
        let cp: Self = serde_json::from_str(&text).map_err(|e| malformed(e.to_string()))?;
        if cp.format != FORMAT {
            return Err(malformed(format!("its format is `{}`", cp.format)));
        }
        if cp.seq < 1 || !crate::hashing::is_sha256_hex(&cp.hash) {
            return Err(malformed("seq or hash is out of shape".into()));
        }
        cp.time()
            .ok_or_else(|| malformed(format!("`{}` is not an RFC 3339 time", cp.at)))?;
        Ok(cp)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a checkpoint serializes") + "\n"
    }

    pub fn time(&self) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(&self.at)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    /// Whether the checkpoint is signed by `public`.
    pub fn signed_by(&self, public: &VerifyingKey) -> bool {
        let Some(at) = self.time() else {
            return false;
        };
        checkpoint_signed_by(public, self.seq, &self.hash, &at, &self.signature)
            != CheckpointSignature::Invalid
    }
}
