//! The reader every configuration section takes its keys from.
//!
//! Each module owns its section: it reads its keys here, applies its defaults and checks,
//! and says what is wrong in the setting's own name. [`crate::config`] only composes the
//! sections. A key is read from `GATEHOUSE_<KEY>` (`DATABASE_URL` for `database_url`) or
//! else from the TOML file named by `GATEHOUSE_CONFIG`; a file key no section read is
//! refused, so a typo never passes silently.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::RangeInclusive;

use figment::Figment;
use figment::providers::{Format, Toml};
use figment::value::Value;
use serde::de::DeserializeOwned;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("invalid setting {setting}: {reason}")]
    Invalid { setting: String, reason: String },
    #[error("cannot read the configuration: {0}")]
    Source(String),
}

/// A [`ConfigError::Invalid`] naming `setting`.
pub fn invalid(setting: impl Into<String>, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        setting: setting.into(),
        reason: reason.into(),
    }
}

/// The environment variable a key is read from.
pub fn env_name(key: &str) -> String {
    if key == "database_url" {
        "DATABASE_URL".to_string()
    } else {
        format!("GATEHOUSE_{}", key.to_ascii_uppercase())
    }
}

/// The values given, and which keys the sections have asked for.
pub struct Settings {
    /// By key: the environment's values (they win over the file's).
    env: BTreeMap<String, String>,
    file: BTreeMap<String, Value>,
    /// The file's path, for messages.
    file_name: String,
    asked: BTreeSet<&'static str>,
}

impl Settings {
    /// The process environment and the file named by `GATEHOUSE_CONFIG`, if any.
    pub fn from_process() -> Result<Self, ConfigError> {
        // `vars_os`: another program's variable that is not UTF-8 must not stop start-up.
        let mut env = BTreeMap::new();
        for (name, value) in std::env::vars_os() {
            let Some(name) = name.to_str() else { continue };
            let key = match name.strip_prefix("GATEHOUSE_") {
                Some(key) => key.to_ascii_lowercase(),
                None if name == "DATABASE_URL" => "database_url".to_string(),
                None => continue,
            };
            let value = value.into_string().map_err(|_| {
                invalid(name.to_string(), "is not valid UTF-8; set it to plain text")
            })?;
            env.insert(key, value);
        }
        let Some(path) = std::env::var_os("GATEHOUSE_CONFIG") else {
            return Ok(Self {
                env,
                ..Self::empty()
            });
        };
        let path = path.to_string_lossy().into_owned();
        if !std::path::Path::new(&path).is_file() {
            return Err(invalid(
                "GATEHOUSE_CONFIG",
                format!("`{path}` is not a readable file"),
            ));
        }
        let file = Figment::from(Toml::file_exact(&path))
            .extract::<BTreeMap<String, Value>>()
            .map_err(|e| ConfigError::Source(e.to_string()))?;
        Ok(Self::new(env, file, path))
    }

    /// No values at all: every section at its defaults.
    pub fn empty() -> Self {
        Self::new(BTreeMap::new(), BTreeMap::new(), String::new())
    }

    /// Settings from given environment values and TOML text (tests, and nothing else).
    pub fn from_parts(env: &[(&str, &str)], toml: &str) -> Result<Self, ConfigError> {
        let env = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let file = Figment::from(Toml::string(toml))
            .extract::<BTreeMap<String, Value>>()
            .map_err(|e| ConfigError::Source(e.to_string()))?;
        Ok(Self::new(env, file, "the configuration file".to_string()))
    }

    fn new(env: BTreeMap<String, String>, file: BTreeMap<String, Value>, name: String) -> Self {
        Self {
            env,
            file,
            file_name: name,
            asked: BTreeSet::new(),
        }
    }

    /// A scalar setting as text; a number or a boolean in the file reads as its text.
    pub fn text(&mut self, key: &'static str) -> Result<Option<String>, ConfigError> {
        self.asked.insert(key);
        if let Some(value) = self.env.get(key) {
            return Ok(Some(value.clone()));
        }
        let Some(value) = self.file.get(key) else {
            return Ok(None);
        };
        let text = match value {
            Value::String(_, s) => s.clone(),
            Value::Bool(_, b) => b.to_string(),
            Value::Char(_, c) => c.to_string(),
            Value::Num(..) => value
                .to_i128()
                .map(|n| n.to_string())
                .or_else(|| value.to_f64().map(|f| f.to_string()))
                .unwrap_or_default(),
            Value::Empty(..) | Value::Dict(..) | Value::Array(..) => {
                return Err(invalid(
                    env_name(key),
                    format!(
                        "`{key}` in {} must be a single value, like `{key} = \"…\"`",
                        self.file_name
                    ),
                ));
            }
        };
        Ok(Some(text))
    }

    /// A setting that must never sit in the file, which ends up in repositories: only the
    /// environment may give it. `what` says what it is ("holds the client secret"); `fix`
    /// where it goes instead. The message never carries the value.
    pub fn secret(
        &mut self,
        key: &'static str,
        what: &str,
        fix: &str,
    ) -> Result<Option<String>, ConfigError> {
        self.asked.insert(key);
        if self.file.contains_key(key) {
            return Err(invalid(
                key,
                format!(
                    "`{}` {what}; config files end up in repositories. {fix}",
                    self.file_name
                ),
            ));
        }
        Ok(self.env.get(key).cloned())
    }

    /// A whole number in `range`, `default` when unset.
    pub fn number(
        &mut self,
        key: &'static str,
        default: i64,
        range: RangeInclusive<i64>,
    ) -> Result<i64, ConfigError> {
        match self.text(key)? {
            None => Ok(default),
            Some(s) => match s.trim().parse::<i64>() {
                Ok(n) if range.contains(&n) => Ok(n),
                _ => Err(invalid(
                    env_name(key),
                    format!(
                        "`{s}` is not a whole number from {} to {}",
                        range.start(),
                        range.end()
                    ),
                )),
            },
        }
    }

    /// `true` or `false`; unset is `false`.
    pub fn flag(&mut self, key: &'static str) -> Result<bool, ConfigError> {
        match self.text(key)?.as_deref().map(str::trim) {
            None | Some("false") => Ok(false),
            Some("true") => Ok(true),
            Some(other) => Err(invalid(
                env_name(key),
                format!("`{other}` is not `true` or `false`"),
            )),
        }
    }

    /// A `[table]` of the file (tables come only from the file), checked by its own type.
    pub fn table<T: DeserializeOwned + Default>(
        &mut self,
        key: &'static str,
    ) -> Result<T, ConfigError> {
        self.asked.insert(key);
        match self.file.get(key) {
            None => Ok(T::default()),
            Some(value) => value
                .deserialize()
                .map_err(|e| invalid(key, format!("in {}: {e}", self.file_name))),
        }
    }

    /// Refuses a file key that no section asked for.
    pub fn finish(self) -> Result<(), ConfigError> {
        let Some(unknown) = self.file.keys().find(|k| !self.asked.contains(k.as_str())) else {
            return Ok(());
        };
        let known: Vec<&str> = self.asked.iter().copied().collect();
        Err(invalid(
            unknown.clone(),
            format!(
                "{} sets `{unknown}`, which is not a setting; known: {}",
                self.file_name,
                known.join(", ")
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_wins_and_file_scalars_read_as_text() {
        let mut s = Settings::from_parts(
            &[("bind", "127.0.0.1:4000")],
            "bind = \"0.0.0.0:1\"\nsession_ttl_hours = 8\ntrust_forwarded_for = true\n",
        )
        .unwrap();
        assert_eq!(s.text("bind").unwrap().as_deref(), Some("127.0.0.1:4000"));
        assert_eq!(s.number("session_ttl_hours", 12, 1..=720).unwrap(), 8);
        assert!(s.flag("trust_forwarded_for").unwrap());
        s.finish().expect("every key was read");
    }

    #[test]
    fn an_unknown_file_key_is_refused_with_the_known_ones() {
        let mut s = Settings::from_parts(&[], "bnid = \"x\"\n").unwrap();
        s.text("bind").unwrap();
        let err = s.finish().unwrap_err().to_string();
        assert!(
            err.contains("`bnid`") && err.contains("known: bind"),
            "{err}"
        );
    }

    #[test]
    fn bad_numbers_and_flags_name_their_variable() {
        let mut s =
            Settings::from_parts(&[("webhook_max_attempts", "0"), ("x", "yes")], "").unwrap();
        let err = s.number("webhook_max_attempts", 8, 1..=30).unwrap_err();
        assert!(
            err.to_string()
                .contains("GATEHOUSE_WEBHOOK_MAX_ATTEMPTS: `0` is not a whole number from 1 to 30"),
            "{err}"
        );
        let err = s.flag("x").unwrap_err().to_string();
        assert!(
            err.contains("GATEHOUSE_X") && err.contains("`yes`"),
            "{err}"
        );
    }

    #[test]
    fn a_secret_in_the_file_is_refused_without_echoing_it() {
        let mut s = Settings::from_parts(&[], "metrics_token = \"hunter2\"\n").unwrap();
        let err = s
            .secret(
                "metrics_token",
                "holds the metrics token",
                "Set GATEHOUSE_METRICS_TOKEN",
            )
            .unwrap_err()
            .to_string();
        assert!(err.contains("holds the metrics token") && !err.contains("hunter2"));
    }
}
