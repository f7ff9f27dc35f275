//! Outbound notifications. Every event in a request's life (submitted and waiting for
//! approval, each approval, approved, rejected, cancelled, expired, fulfilled, sandbox
//! expired) is announced to the configured webhook targets.
//!
//! A notification is written to an outbox in the transaction of the event it announces, so
//! none is lost and none goes out for a change that rolled back. A worker on each replica
//! delivers the outbox: signed with HMAC-SHA256, retried with exponential backoff, and the
//! state of each delivery is kept for the request page and the API.

pub mod outbox;
pub mod settings;
pub mod sign;
pub mod worker;

use std::time::Duration;

use secrecy::SecretString;
use sha2::{Digest, Sha256};
use url::Url;

/// Where notifications go and how hard to try.
#[derive(Clone, Debug)]
pub struct WebhookConfig {
    pub targets: Vec<Target>,
    /// Signs every body; receivers check `X-Gatehouse-Signature` with it.
    pub secret: SecretString,
    /// Attempts before a delivery is marked failed.
    pub max_attempts: u32,
    /// The first retry waits this long; each further one twice as long (at most an hour).
    pub retry_base: Duration,
    /// How long one attempt may take.
    pub timeout: Duration,
    /// Delivered and failed deliveries are deleted this long after their last attempt.
    pub retention: Duration,
}

/// The longest wait between two attempts.
pub const MAX_RETRY_DELAY: Duration = Duration::from_secs(3600);

impl WebhookConfig {
    /// The wait before the attempt after `attempts` failed ones.
    pub fn delay_after(&self, attempts: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempts.saturating_sub(1));
        self.retry_base
            .checked_mul(factor)
            .unwrap_or(MAX_RETRY_DELAY)
            .min(MAX_RETRY_DELAY)
    }

    pub fn target(&self, id: &str) -> Option<&Target> {
        self.targets.iter().find(|t| t.id == id)
    }

    /// The fingerprints of every configured target.
    pub fn target_ids(&self) -> Vec<String> {
        self.targets.iter().map(|t| t.id.clone()).collect()
    }
}

/// One receiving URL. The URL may carry a token in its path or query (chat webhooks do), so
/// it is never stored, logged or shown: deliveries name the target by a fingerprint and a
/// label of scheme, host and port.
#[derive(Clone)]
pub struct Target {
    pub url: Url,
    /// The first 16 hex digits of the URL's SHA-256.
    pub id: String,
    pub label: String,
}

impl Target {
    pub fn new(url: Url) -> Self {
        let id = hex::encode(Sha256::digest(url.as_str().as_bytes()))[..16].to_string();
        let label = match url.port() {
            Some(port) => format!(
                "{}://{}:{port}",
                url.scheme(),
                url.host_str().unwrap_or_default()
            ),
            None => format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default()),
        };
        Self { url, id, label }
    }
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("id", &self.id)
            .field("label", &self.label)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base: u64) -> WebhookConfig {
        WebhookConfig {
            targets: vec![],
            secret: SecretString::from("s".repeat(32)),
            max_attempts: 8,
            retry_base: Duration::from_secs(base),
            timeout: Duration::from_secs(10),
            retention: Duration::from_secs(90 * 86_400),
        }
    }

    #[test]
    fn retries_back_off_exponentially_up_to_an_hour() {
        let c = config(30);
        let waits: Vec<u64> = (1..=9).map(|n| c.delay_after(n).as_secs()).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(config(30).delay_after(200), MAX_RETRY_DELAY);
    }

    #[test]
    fn a_target_never_shows_its_path_or_query() {
        let t = Target::new(
            Url::parse("https://hooks.example.com/services/T0/B0/XYZsecret?token=abc").unwrap(),
        );
        assert_eq!(t.label, "https://hooks.example.com");
        let shown = format!("{t:?}");
        assert!(
            !shown.contains("XYZsecret") && !shown.contains("abc"),
            "{shown}"
        );
        let other = Target::new(Url::parse("http://127.0.0.1:9000/hook").unwrap());
        assert_eq!(other.label, "http://127.0.0.1:9000");
        assert_ne!(t.id, other.id);
        assert_eq!(t.id.len(), 16);
    }
}
