//! The `[sanitizer]` section of the configuration: categories turned off, the internal
//! domains and networks, custom patterns (compiled here, so a bad one stops start-up) and
//! how pseudonyms link values.

use serde::Deserialize;

use super::pseudonym::{PseudonymKey, Pseudonyms};
use super::{Category, CustomPattern, Options};
use crate::settings::{ConfigError, Settings, invalid};

/// `[sanitizer]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSanitizer {
    #[serde(default)]
    disabled: Vec<String>,
    #[serde(default)]
    internal_domains: Vec<String>,
    #[serde(default)]
    internal_cidrs: Vec<String>,
    #[serde(default)]
    patterns: Vec<RawPattern>,
    /// `off`, `document` (the default) or `deployment`.
    #[serde(default)]
    pseudonyms: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPattern {
    name: String,
    regex: String,
}

impl Options {
    /// The `[sanitizer]` table and the pseudonym key (from the environment only), checked
    /// here so that a bad pattern stops start-up with its name.
    pub fn read(s: &mut Settings) -> Result<Self, ConfigError> {
        let raw: RawSanitizer = s.table("sanitizer")?;
        let key = s.secret(
            "pseudonym_key",
            "holds the pseudonym key",
            "Remove it and set GATEHOUSE_PSEUDONYM_KEY",
        )?;
        let pseudonyms = match raw.pseudonyms.as_deref().map(str::trim) {
            None | Some("document") => Pseudonyms::Document,
            Some("off") => Pseudonyms::Off,
            Some("deployment") => Pseudonyms::Deployment,
            Some(other) => {
                return Err(invalid(
                    "sanitizer.pseudonyms",
                    format!("`{other}` is not `off`, `document` or `deployment`"),
                ));
            }
        };
        let key = key.map(|k| k.trim().to_string()).filter(|k| !k.is_empty());
        if key.as_ref().is_some_and(|k| k.len() < 32) {
            return Err(invalid(
                "GATEHOUSE_PSEUDONYM_KEY",
                "use at least 32 random characters (for example `openssl rand -hex 32`)",
            ));
        }
        if pseudonyms == Pseudonyms::Deployment && key.is_none() {
            return Err(invalid(
                "GATEHOUSE_PSEUDONYM_KEY",
                "sanitizer.pseudonyms = \"deployment\" links values across documents and restarts, so it needs a key: set GATEHOUSE_PSEUDONYM_KEY",
            ));
        }
        let mut disabled = Vec::new();
        for name in &raw.disabled {
            let category = Category::from_name(name).ok_or_else(|| {
                let known: Vec<&str> = Category::ALL.iter().map(|c| c.name()).collect();
                invalid(
                    "sanitizer.disabled",
                    format!("unknown category `{name}`; known: {}", known.join(", ")),
                )
            })?;
            disabled.push(category);
        }
        let options = Options {
            disabled,
            internal_domains: raw.internal_domains,
            internal_cidrs: raw.internal_cidrs,
            patterns: raw
                .patterns
                .into_iter()
                .map(|p| CustomPattern {
                    name: p.name,
                    regex: p.regex,
                })
                .collect(),
            pseudonyms,
            pseudonym_key: key.as_deref().map(PseudonymKey::from_secret),
        };
        options
            .validate()
            .map_err(|e| invalid("sanitizer", e.to_string()))?;
        Ok(options)
    }
}
