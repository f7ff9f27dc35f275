//! Keyed pseudonyms: `[REDACTED:email#3fa2]`. The same value gets the same tag within one
//! document (and, when configured, across a deployment), so a reader can tell that two masked
//! values are the same, or not, without learning anything about them. Tags are a keyed MAC
//! (HMAC-SHA-256) of the category and the value: without the key nobody can test a guess
//! offline, which an unsalted hash (what other tools offer) allows for every short value.

use std::sync::atomic::{AtomicU64, Ordering};

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How masked values are tagged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Pseudonyms {
    /// Plain placeholders: `[REDACTED:email]`.
    #[default]
    Off,
    /// The same value gets the same tag within one document; across documents tags say
    /// nothing (each document has its own key, derived from the key and a counter).
    Document,
    /// The same value gets the same tag in every document masked with the same key: a
    /// reader can link documents, so this is opt-in.
    Deployment,
}

/// The secret pseudonyms are derived from. Never printed.
#[derive(Clone)]
pub struct PseudonymKey([u8; 32]);

impl PseudonymKey {
    /// A key from configured secret text (any length; it is hashed).
    pub fn from_secret(secret: &str) -> Self {
        use sha2::Digest as _;
        Self(Sha256::digest(secret.as_bytes()).into())
    }

    /// A fresh random key, for a process without a configured one.
    pub fn random() -> Self {
        Self(rand::random())
    }
}

impl std::fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PseudonymKey(…)")
    }
}

/// The length of a tag in a placeholder: `#` and four hex digits.
pub const TAG_LEN: usize = 5;

/// Hands out the key for each document.
pub struct Tagger {
    key: PseudonymKey,
    mode: Pseudonyms,
    /// Random per process, so documents of two runs never share a key.
    salt: [u8; 16],
    documents: AtomicU64,
}

/// The key of one document's tags.
pub struct DocumentKey(Hmac<Sha256>);

impl Tagger {
    /// `None` when pseudonyms are off.
    pub fn new(mode: Pseudonyms, key: Option<PseudonymKey>) -> Option<Self> {
        (mode != Pseudonyms::Off).then(|| Self {
            key: key.unwrap_or_else(PseudonymKey::random),
            mode,
            salt: rand::random(),
            documents: AtomicU64::new(0),
        })
    }

    /// The key for the next document.
    pub fn document(&self) -> DocumentKey {
        let mac = |key: &[u8]| Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key");
        match self.mode {
            Pseudonyms::Deployment | Pseudonyms::Off => DocumentKey(mac(&self.key.0)),
            Pseudonyms::Document => {
                let n = self.documents.fetch_add(1, Ordering::Relaxed);
                let mut derive = mac(&self.key.0);
                derive.update(b"gatehouse document key\0");
                derive.update(&self.salt);
                derive.update(&n.to_le_bytes());
                DocumentKey(mac(&derive.finalize().into_bytes()))
            }
        }
    }
}

impl DocumentKey {
    /// `#` and four hex digits for `value` of `category`.
    pub fn tag(&self, category: &str, value: &str) -> String {
        let mut mac = self.0.clone();
        mac.update(category.as_bytes());
        mac.update(b"\0");
        mac.update(value.as_bytes());
        let bytes = mac.finalize().into_bytes();
        format!("#{:02x}{:02x}", bytes[0], bytes[1])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_consistent_within_a_document_and_unlinkable_across() {
        let tagger =
            Tagger::new(Pseudonyms::Document, Some(PseudonymKey::from_secret("k"))).expect("on");
        let (a, b) = (tagger.document(), tagger.document());
        assert_eq!(a.tag("email", "x@acme.io"), a.tag("email", "x@acme.io"));
        assert_ne!(a.tag("email", "x@acme.io"), a.tag("email", "y@acme.io"));
        assert_ne!(a.tag("email", "x@acme.io"), b.tag("email", "x@acme.io"));
        assert_eq!(a.tag("email", "x@acme.io").len(), TAG_LEN);
    }

    #[test]
    fn deployment_tags_link_documents_under_one_key_only() {
        let key = PseudonymKey::from_secret("deployment secret");
        let one = Tagger::new(Pseudonyms::Deployment, Some(key.clone())).expect("on");
        let two = Tagger::new(Pseudonyms::Deployment, Some(key)).expect("on");
        let other =
            Tagger::new(Pseudonyms::Deployment, Some(PseudonymKey::from_secret("x"))).expect("on");
        let tag = |t: &Tagger| t.document().tag("email", "x@acme.io");
        assert_eq!(tag(&one), tag(&two));
        assert_ne!(tag(&one), tag(&other));
        assert_eq!(
            format!("{:?}", PseudonymKey::from_secret("s")),
            "PseudonymKey(…)"
        );
    }
}
