//! The webhook section of the configuration. URLs turn notifications on, and then a signing
//! secret is required (nothing goes out unsigned). The URLs often carry a token, so like the
//! secret they come only from the environment, and no message repeats them.

use secrecy::SecretString;
use url::Url;

use super::{Target, WebhookConfig};
use crate::settings::{ConfigError, Settings, invalid};

/// The shortest signing secret accepted, in characters.
pub const MIN_SECRET: usize = 32;

impl WebhookConfig {
    /// `None` without URLs. Plain http is accepted only for a receiver on this machine.
    pub fn read(s: &mut Settings) -> Result<Option<Self>, ConfigError> {
        let urls = s.secret(
            "webhook_urls",
            "lists webhook URLs, which often carry a token",
            "Remove them and set GATEHOUSE_WEBHOOK_URLS",
        )?;
        let secret = s.secret(
            "webhook_secret",
            "holds the webhook signing secret",
            "Remove it and set GATEHOUSE_WEBHOOK_SECRET or GATEHOUSE_WEBHOOK_SECRET_FILE",
        )?;
        let secret = match (secret, s.text("webhook_secret_file")?) {
            (Some(_), Some(_)) => {
                return Err(invalid(
                    "GATEHOUSE_WEBHOOK_SECRET",
                    "set GATEHOUSE_WEBHOOK_SECRET or GATEHOUSE_WEBHOOK_SECRET_FILE, not both",
                ));
            }
            (Some(s), None) => Some(s.trim().to_string()),
            (None, Some(path)) => Some(
                std::fs::read_to_string(path.trim())
                    .map_err(|e| {
                        invalid(
                            "GATEHOUSE_WEBHOOK_SECRET_FILE",
                            format!("cannot read `{path}`: {e}"),
                        )
                    })?
                    .trim()
                    .to_string(),
            ),
            (None, None) => None,
        };
        // Checked even while webhooks are off, so a typo never waits for the day they go on.
        let max_attempts = s.number("webhook_max_attempts", 8, 1..=30)? as u32;
        let retry = s.number("webhook_retry_seconds", 30, 1..=3600)?;
        let timeout = s.number("webhook_timeout_seconds", 10, 1..=120)?;
        let retention = s.number("webhook_retention_days", 90, 1..=3650)?;
        let mut targets: Vec<Target> = Vec::new();
        for (n, item) in urls
            .as_deref()
            .unwrap_or_default()
            .split([',', ' ', '\n', '\t'])
            .filter(|u| !u.is_empty())
            .enumerate()
        {
            // The URL may carry a token: the messages name its position and host, never the text.
            let position = n + 1;
            let url = Url::parse(item)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .ok_or_else(|| {
                invalid(
                    "GATEHOUSE_WEBHOOK_URLS",
                    format!("URL number {position} is not an http(s) URL; list URLs like https://hooks.example.com/gatehouse, separated by commas"),
                )
            })?;
            let loopback = match url.host() {
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                Some(url::Host::Domain(d)) => d == "localhost",
                None => false,
            };
            if url.scheme() == "http" && !loopback {
                return Err(invalid(
                    "GATEHOUSE_WEBHOOK_URLS",
                    format!(
                        "URL number {position} ({}) uses plain http, which would send request details in the clear; use https (http is accepted only for a receiver on loopback)",
                        url.host_str().unwrap_or_default()
                    ),
                ));
            }
            let target = Target::new(url);
            if targets.iter().any(|t| t.id == target.id) {
                return Err(invalid(
                    "GATEHOUSE_WEBHOOK_URLS",
                    format!(
                        "URL number {position} is listed twice; each receiver would get every notification twice"
                    ),
                ));
            }
            targets.push(target);
        }
        if targets.is_empty() {
            if secret.is_some() {
                return Err(invalid(
                    "GATEHOUSE_WEBHOOK_URLS",
                    "a webhook secret is set but no URL; list the receivers in GATEHOUSE_WEBHOOK_URLS, or unset the secret",
                ));
            }
            return Ok(None);
        }
        let secret = secret.filter(|s| !s.is_empty()).ok_or_else(|| {
        invalid(
            "GATEHOUSE_WEBHOOK_SECRET",
            "required with GATEHOUSE_WEBHOOK_URLS: every notification is signed with it. Generate one with `openssl rand -hex 32` and give it to the receivers",
        )
    })?;
        if secret.chars().count() < MIN_SECRET {
            return Err(invalid(
                "GATEHOUSE_WEBHOOK_SECRET",
                format!(
                    "too short to sign with: use at least {MIN_SECRET} characters, like the output of `openssl rand -hex 32`"
                ),
            ));
        }
        Ok(Some(WebhookConfig {
            targets,
            secret: SecretString::from(secret),
            max_attempts,
            retry_base: std::time::Duration::from_secs(retry as u64),
            timeout: std::time::Duration::from_secs(timeout as u64),
            retention: std::time::Duration::from_secs(retention as u64 * 86_400),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(env: &[(&str, &str)]) -> Result<Option<WebhookConfig>, ConfigError> {
        WebhookConfig::read(&mut Settings::from_parts(env, "").unwrap())
    }

    #[test]
    fn webhooks_need_a_long_secret_and_https_off_loopback() {
        let long = "x".repeat(MIN_SECRET);
        let with = |urls: &str, secret: Option<&str>| match secret {
            Some(secret) => read(&[("webhook_urls", urls), ("webhook_secret", secret)]),
            None => read(&[("webhook_urls", urls)]),
        };
        let err = with("https://hooks.example.com/T0/tok3n", None)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("GATEHOUSE_WEBHOOK_SECRET") && err.contains("openssl rand"),
            "{err}"
        );
        let err = with("https://hooks.example.com/T0/tok3n", Some("short"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("at least 32"), "{err}");
        let err = with("http://hooks.example.com/T0/tok3n", Some(&long))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("plain http") && !err.contains("tok3n"),
            "{err}"
        );
        let err = with(
            "https://a.example.com/x, https://a.example.com/x",
            Some(&long),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("number 2") && err.contains("twice"), "{err}");
        let err = with("hooks.example.com/x", Some(&long))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("number 1") && !err.contains("hooks.example.com/x"),
            "{err}"
        );
        let err = read(&[("webhook_secret", &long)]).unwrap_err().to_string();
        assert!(err.contains("GATEHOUSE_WEBHOOK_URLS"), "{err}");

        let hooks = with(
            "https://hooks.example.com/T0/tok3n,http://127.0.0.1:9000/hook",
            Some(&long),
        )
        .expect("valid")
        .expect("on");
        let labels: Vec<&str> = hooks.targets.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(
            labels,
            ["https://hooks.example.com", "http://127.0.0.1:9000"]
        );
        assert_eq!((hooks.max_attempts, hooks.retry_base.as_secs()), (8, 30));
        assert_eq!(hooks.retention.as_secs(), 90 * 86_400);
        let err = read(&[("webhook_retention_days", "0")])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("GATEHOUSE_WEBHOOK_RETENTION_DAYS") && err.contains("from 1 to 3650"),
            "{err}"
        );
        assert!(
            !format!("{:?}", hooks).contains("tok3n") && !format!("{:?}", hooks).contains(&long)
        );
        assert!(read(&[]).unwrap().is_none());
    }

    #[test]
    fn urls_and_secret_are_refused_in_the_config_file() {
        for key in ["webhook_urls", "webhook_secret"] {
            let text = format!("{key} = \"https://hooks.example.com/T0/tok3n\"\n");
            let err = WebhookConfig::read(&mut Settings::from_parts(&[], &text).unwrap())
                .unwrap_err()
                .to_string();
            assert!(err.contains("config files end up in repositories"), "{err}");
            assert!(!err.contains("tok3n"), "{err}");
        }
    }
}
