//! Structured logs with tracing: text for people, JSON for log pipelines.

use tracing_subscriber::EnvFilter;

use crate::sanitizer::log_guard::SanitizingStderr;
use crate::settings::{ConfigError, Settings, env_name, invalid};

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl LogFormat {
    pub fn read(s: &mut Settings) -> Result<Self, ConfigError> {
        match s.text("log_format")?.as_deref().map(str::trim) {
            None | Some("text") => Ok(Self::Text),
            Some("json") => Ok(Self::Json),
            Some(other) => Err(invalid(
                env_name("log_format"),
                format!("`{other}` is not `text` or `json`"),
            )),
        }
    }
}

/// Installs the global subscriber, writing to stderr through the sanitizer (no log line
/// carries a secret, personal data or internal address). `RUST_LOG` overrides the levels.
pub fn init(format: LogFormat, sanitizer: std::sync::Arc<crate::sanitizer::Sanitizer>) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new("info,tantivy=warn,sqlx=warn,sea_orm=warn,tower_http=info")
    });
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(SanitizingStderr::new(sanitizer));
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.try_init(),
    };
}
