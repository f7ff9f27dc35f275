//! Configuration: one typed struct, from defaults, then an optional TOML file
//! (`GATEHOUSE_CONFIG`), then the environment. A bad value stops start-up with a message
//! that names the setting and says what is expected.

use std::net::SocketAddr;
use std::path::PathBuf;

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use secrecy::SecretString;
use serde::Deserialize;
use url::Url;

/// Settings as read, before validation. Keys match the environment names without the
/// `GATEHOUSE_` prefix (and `database_url` for `DATABASE_URL`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default, deserialize_with = "scalar")]
    bind: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    database_url: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    runbooks_dir: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    index_dir: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    catalog_dir: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    request_pending_hours: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    sandbox_quota_user: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    sandbox_quota_user_units: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    sandbox_quota_team: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    sandbox_quota_team_units: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    policies_dir: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    public_url: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    site_root: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    log_format: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    session_ttl_hours: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    session_idle_minutes: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    token_owner_inactive_days: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    oidc_issuer: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    oidc_client_id: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    oidc_client_secret: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    oidc_client_secret_file: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    oidc_scopes: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    oidc_groups_claim: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    audit_key_file: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    rate_limit_signin_per_minute: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    rate_limit_api_per_minute: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    trust_forwarded_for: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    metrics_token: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    pseudonym_key: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    drafter_url: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    drafter_model: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    drafter_api_key: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    drafter_timeout_seconds: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    drafter_send_restricted: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    webhook_urls: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    webhook_secret: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    webhook_secret_file: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    webhook_max_attempts: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    webhook_retry_seconds: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    webhook_timeout_seconds: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    webhook_retention_days: Option<String>,
    /// Only from the file: `[roles]` with `approver`, `security_reviewer`, `admin` (lists of
    /// groups) and `[roles.runbook_owners]` (team = [groups]).
    #[serde(default)]
    roles: Option<RawRoles>,
    /// Only from the file: `[deployments]` with `services`, the services that may report
    /// deployments besides those a runbook names.
    #[serde(default)]
    deployments: Option<RawDeployments>,
    /// Only from the file: `[sanitizer]` with `disabled`, `internal_domains`,
    /// `internal_cidrs` and `[[sanitizer.patterns]]` (`name`, `regex`).
    #[serde(default)]
    sanitizer: Option<RawSanitizer>,
}

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

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeployments {
    #[serde(default)]
    services: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoles {
    approver: Option<Vec<String>>,
    security_reviewer: Option<Vec<String>>,
    admin: Option<Vec<String>>,
    #[serde(default)]
    runbook_owners: std::collections::BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPattern {
    name: String,
    regex: String,
}

/// Environment values arrive typed ("12" as a number, "true" as a bool); every setting is
/// read as text and validated below with a message naming it.
fn scalar<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Scalar {
        Text(String),
        Int(i64),
        Float(f64),
        Bool(bool),
    }
    Ok(Option::<Scalar>::deserialize(d)?.map(|s| match s {
        Scalar::Text(t) => t,
        Scalar::Int(i) => i.to_string(),
        Scalar::Float(f) => f.to_string(),
        Scalar::Bool(b) => b.to_string(),
    }))
}

/// Keys read from `GATEHOUSE_<KEY>` environment variables (`database_url` comes from
/// `DATABASE_URL`).
const ENV_KEYS: &[&str] = &[
    "bind",
    "runbooks_dir",
    "index_dir",
    "catalog_dir",
    "request_pending_hours",
    "sandbox_quota_user",
    "sandbox_quota_user_units",
    "sandbox_quota_team",
    "sandbox_quota_team_units",
    "policies_dir",
    "public_url",
    "site_root",
    "log_format",
    "session_ttl_hours",
    "session_idle_minutes",
    "token_owner_inactive_days",
    "oidc_issuer",
    "oidc_client_id",
    "oidc_client_secret",
    "oidc_client_secret_file",
    "oidc_scopes",
    "oidc_groups_claim",
    "audit_key_file",
    "rate_limit_signin_per_minute",
    "rate_limit_api_per_minute",
    "trust_forwarded_for",
    "metrics_token",
    "pseudonym_key",
    "drafter_url",
    "drafter_model",
    "drafter_api_key",
    "drafter_timeout_seconds",
    "drafter_send_restricted",
    "webhook_urls",
    "webhook_secret",
    "webhook_secret_file",
    "webhook_max_attempts",
    "webhook_retry_seconds",
    "webhook_timeout_seconds",
    "webhook_retention_days",
];

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("invalid setting {setting}: {reason}")]
    Invalid {
        setting: &'static str,
        reason: String,
    },
    #[error("cannot read the configuration: {0}")]
    Source(String),
}

fn invalid(setting: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        setting,
        reason: reason.into(),
    }
}

/// The model-backed drafter: a URL turns it on, and then a model is required.
fn drafter_config(
    url: Option<String>,
    model: Option<String>,
    api_key: Option<String>,
    timeout: Option<String>,
    send_restricted: bool,
) -> Result<Option<crate::drafts::llm::LlmConfig>, ConfigError> {
    let Some(url) = url.map(|u| u.trim().to_string()).filter(|u| !u.is_empty()) else {
        if model.is_some() || api_key.is_some() {
            return Err(invalid(
                "GATEHOUSE_DRAFTER_URL",
                "a drafter model or key is set without a URL; set the chat-completions base URL, like https://api.openai.com/v1",
            ));
        }
        return Ok(None);
    };
    let parsed = Url::parse(&url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .ok_or_else(|| {
            invalid(
                "GATEHOUSE_DRAFTER_URL",
                "use the http(s) base URL of an OpenAI-compatible API, like https://api.openai.com/v1",
            )
        })?;
    let model = model
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
        .ok_or_else(|| {
            invalid(
                "GATEHOUSE_DRAFTER_MODEL",
                "required with GATEHOUSE_DRAFTER_URL: the model name, like gpt-4o-mini",
            )
        })?;
    let seconds = parse_number(
        timeout.as_deref(),
        "GATEHOUSE_DRAFTER_TIMEOUT_SECONDS",
        30,
        1..=600,
    )?;
    Ok(Some(crate::drafts::llm::LlmConfig {
        url: parsed,
        model,
        api_key: api_key
            .filter(|k| !k.trim().is_empty())
            .map(|k| SecretString::from(k.trim().to_string())),
        timeout: std::time::Duration::from_secs(seconds as u64),
        send_restricted,
    }))
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Single sign-on settings.
#[derive(Debug, Clone)]
pub struct OidcConfig {
    /// Exactly as the provider names itself in discovery and tokens.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: SecretString,
    /// Scopes asked for besides `openid`.
    pub scopes: Vec<String>,
    /// The ID token or userinfo claim that lists the person's groups.
    pub groups_claim: String,
}

/// Requests allowed per minute and client address, per area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    pub signin_per_minute: u32,
    pub api_per_minute: u32,
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    pub database_url: String,
    pub runbooks_dir: PathBuf,
    pub index_dir: PathBuf,
    /// Template catalog: one directory per template.
    pub catalog_dir: PathBuf,
    /// Rego policies (and their tests).
    pub policies_dir: PathBuf,
    /// Pending-request expiry and sandbox quotas.
    pub request_limits: crate::requests::desk::Limits,
    pub public_url: Url,
    /// Where the WASM bundle (`pkg/`) is served from.
    pub site_root: PathBuf,
    pub log_format: LogFormat,
    pub session_ttl: chrono::Duration,
    pub session_idle: chrono::Duration,
    /// API tokens stop when their owner has not signed in for this long (None: never).
    pub token_owner_inactive: Option<chrono::Duration>,
    pub oidc: Option<OidcConfig>,
    pub roles: crate::auth::roles::RoleMap,
    /// The ed25519 key that signs audit checkpoints.
    pub audit_key_file: PathBuf,
    pub rate_limits: RateLimits,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy that sets it).
    pub trust_forwarded_for: bool,
    /// The bearer token `/metrics` asks for; without one it answers loopback clients only.
    pub metrics_token: Option<SecretString>,
    /// Services that may report deployments although no runbook names them yet.
    pub services: Vec<crate::runbooks::names::ServiceName>,
    /// Sanitizer settings, already checked to compile.
    pub sanitizer: crate::sanitizer::Options,
    /// The optional model-backed drafter; without it drafts are deterministic.
    pub drafter: Option<crate::drafts::llm::LlmConfig>,
    /// Outbound request notifications; none without configured URLs.
    pub webhooks: Option<crate::webhooks::WebhookConfig>,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/gatehouse.db?mode=rwc";

impl Config {
    /// Reads defaults, the file named by `GATEHOUSE_CONFIG` (if any) and the environment.
    pub fn load() -> Result<Self, ConfigError> {
        let mut figment = Figment::new();
        if let Ok(path) = std::env::var("GATEHOUSE_CONFIG") {
            if !std::path::Path::new(&path).is_file() {
                return Err(invalid(
                    "GATEHOUSE_CONFIG",
                    format!("`{path}` is not a readable file"),
                ));
            }
            let file = Figment::from(Toml::file_exact(&path));
            if file.find_value("drafter_api_key").is_ok() {
                return Err(invalid(
                    "drafter_api_key",
                    format!(
                        "`{path}` holds the drafter's API key; config files end up in repositories. \
                         Remove it and set GATEHOUSE_DRAFTER_API_KEY"
                    ),
                ));
            }
            if file.find_value("pseudonym_key").is_ok() {
                return Err(invalid(
                    "pseudonym_key",
                    format!(
                        "`{path}` holds the pseudonym key; config files end up in repositories. \
                         Remove it and set GATEHOUSE_PSEUDONYM_KEY"
                    ),
                ));
            }
            if file.find_value("metrics_token").is_ok() {
                return Err(invalid(
                    "metrics_token",
                    format!(
                        "`{path}` holds the metrics token; config files end up in repositories. \
                         Remove it and set GATEHOUSE_METRICS_TOKEN"
                    ),
                ));
            }
            if file.find_value("webhook_secret").is_ok() {
                return Err(invalid(
                    "webhook_secret",
                    format!(
                        "`{path}` holds the webhook signing secret; config files end up in repositories. \
                         Remove it and set GATEHOUSE_WEBHOOK_SECRET or GATEHOUSE_WEBHOOK_SECRET_FILE"
                    ),
                ));
            }
            if file.find_value("webhook_urls").is_ok() {
                return Err(invalid(
                    "webhook_urls",
                    format!(
                        "`{path}` lists webhook URLs, which often carry a token; config files end up in repositories. \
                         Remove them and set GATEHOUSE_WEBHOOK_URLS"
                    ),
                ));
            }
            if file.find_value("oidc_client_secret").is_ok() {
                return Err(invalid(
                    "oidc_client_secret",
                    format!(
                        "`{path}` holds the client secret; config files end up in repositories. \
                         Remove it and set GATEHOUSE_OIDC_CLIENT_SECRET or GATEHOUSE_OIDC_CLIENT_SECRET_FILE"
                    ),
                ));
            }
            figment = figment.merge(file);
        }
        figment = figment
            .merge(Env::prefixed("GATEHOUSE_").only(ENV_KEYS))
            .merge(
                Env::raw()
                    .only(&["DATABASE_URL"])
                    .map(|_| "database_url".into()),
            );
        let raw: RawConfig = figment
            .extract()
            .map_err(|e| ConfigError::Source(e.to_string()))?;
        Self::from_raw(raw)
    }

    /// Defaults only, with overrides applied by the caller (tests).
    pub fn defaults() -> Self {
        Self::from_raw(RawConfig::default()).expect("the defaults are valid")
    }

    fn from_raw(raw: RawConfig) -> Result<Self, ConfigError> {
        let bind: SocketAddr = match raw.bind.as_deref() {
            None => SocketAddr::from(([127, 0, 0, 1], 3000)),
            Some(s) => s.trim().parse().map_err(|_| {
                invalid(
                    "GATEHOUSE_BIND",
                    format!("`{s}` is not an address:port, like 127.0.0.1:3000"),
                )
            })?,
        };
        let database_url = raw
            .database_url
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(invalid(
                "DATABASE_URL",
                "use sqlite://path/to/file.db?mode=rwc or postgres://user@host:5432/db",
            ));
        }
        let public_url = match raw.public_url.as_deref() {
            None => Url::parse(&format!("http://{bind}/"))
                .map_err(|e| invalid("GATEHOUSE_BIND", e.to_string()))?,
            Some(s) => {
                let url = Url::parse(s.trim()).map_err(|e| {
                    invalid("GATEHOUSE_PUBLIC_URL", format!("`{s}` is not a URL: {e}"))
                })?;
                if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
                    return Err(invalid(
                        "GATEHOUSE_PUBLIC_URL",
                        "use an http(s) URL with a host, like https://gatehouse.example.com",
                    ));
                }
                url
            }
        };
        let log_format = match raw.log_format.as_deref().map(str::trim) {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(invalid(
                    "GATEHOUSE_LOG_FORMAT",
                    format!("`{other}` is not `text` or `json`"),
                ));
            }
        };
        let hours = parse_number(
            raw.session_ttl_hours.as_deref(),
            "GATEHOUSE_SESSION_TTL_HOURS",
            12,
            1..=24 * 30,
        )?;
        let idle = parse_number(
            raw.session_idle_minutes.as_deref(),
            "GATEHOUSE_SESSION_IDLE_MINUTES",
            120,
            1..=24 * 60,
        )?;
        let inactive_days = parse_number(
            raw.token_owner_inactive_days.as_deref(),
            "GATEHOUSE_TOKEN_OWNER_INACTIVE_DAYS",
            30,
            0..=3660,
        )?;
        let oidc = oidc_config(
            raw.oidc_issuer,
            raw.oidc_client_id,
            raw.oidc_client_secret,
            raw.oidc_client_secret_file,
            raw.oidc_scopes,
            raw.oidc_groups_claim,
        )?;
        let roles = role_map(raw.roles.unwrap_or_default())?;
        let rate_limits = RateLimits {
            signin_per_minute: parse_number(
                raw.rate_limit_signin_per_minute.as_deref(),
                "GATEHOUSE_RATE_LIMIT_SIGNIN_PER_MINUTE",
                30,
                1..=100_000,
            )? as u32,
            api_per_minute: parse_number(
                raw.rate_limit_api_per_minute.as_deref(),
                "GATEHOUSE_RATE_LIMIT_API_PER_MINUTE",
                600,
                1..=1_000_000,
            )? as u32,
        };
        let services = raw
            .deployments
            .unwrap_or_default()
            .services
            .iter()
            .map(|s| {
                crate::runbooks::names::ServiceName::parse(s)
                    .map_err(|e| invalid("deployments.services", format!("`{s}`: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let trust_forwarded_for = parse_bool(
            raw.trust_forwarded_for.as_deref(),
            "GATEHOUSE_TRUST_FORWARDED_FOR",
        )?;
        let audit_key_file = match raw.audit_key_file {
            Some(path) => PathBuf::from(path),
            None => default_audit_key_file(&database_url),
        };
        let sanitizer = sanitizer_options(raw.sanitizer.unwrap_or_default(), raw.pseudonym_key)?;
        let drafter = drafter_config(
            raw.drafter_url,
            raw.drafter_model,
            raw.drafter_api_key,
            raw.drafter_timeout_seconds,
            parse_bool(
                raw.drafter_send_restricted.as_deref(),
                "GATEHOUSE_DRAFTER_SEND_RESTRICTED",
            )?,
        )?;
        let webhooks = webhook_config(RawWebhooks {
            urls: raw.webhook_urls,
            secret: raw.webhook_secret,
            secret_file: raw.webhook_secret_file,
            max_attempts: raw.webhook_max_attempts,
            retry_seconds: raw.webhook_retry_seconds,
            timeout_seconds: raw.webhook_timeout_seconds,
            retention_days: raw.webhook_retention_days,
        })?;
        let request_limits = crate::requests::desk::Limits {
            pending_ttl: chrono::Duration::hours(parse_number(
                raw.request_pending_hours.as_deref(),
                "GATEHOUSE_REQUEST_PENDING_HOURS",
                168,
                1..=24 * 90,
            )?),
            user_active: parse_number(
                raw.sandbox_quota_user.as_deref(),
                "GATEHOUSE_SANDBOX_QUOTA_USER",
                3,
                0..=1000,
            )? as u32,
            user_units: parse_number(
                raw.sandbox_quota_user_units.as_deref(),
                "GATEHOUSE_SANDBOX_QUOTA_USER_UNITS",
                8,
                0..=100_000,
            )? as u32,
            team_active: parse_number(
                raw.sandbox_quota_team.as_deref(),
                "GATEHOUSE_SANDBOX_QUOTA_TEAM",
                10,
                0..=10_000,
            )? as u32,
            team_units: parse_number(
                raw.sandbox_quota_team_units.as_deref(),
                "GATEHOUSE_SANDBOX_QUOTA_TEAM_UNITS",
                24,
                0..=1_000_000,
            )? as u32,
        };
        let dir = |value: Option<String>, default: &str| {
            PathBuf::from(value.unwrap_or_else(|| default.to_string()))
        };
        Ok(Self {
            bind,
            database_url,
            runbooks_dir: dir(raw.runbooks_dir, "runbooks"),
            index_dir: dir(raw.index_dir, "data/index"),
            catalog_dir: dir(raw.catalog_dir, "server/catalog"),
            policies_dir: dir(raw.policies_dir, "server/policies"),
            request_limits,
            public_url,
            site_root: dir(raw.site_root, "target/site"),
            log_format,
            session_ttl: chrono::Duration::hours(hours),
            session_idle: chrono::Duration::minutes(idle),
            token_owner_inactive: (inactive_days > 0)
                .then(|| chrono::Duration::days(inactive_days)),
            oidc,
            roles,
            audit_key_file,
            rate_limits,
            trust_forwarded_for,
            metrics_token: raw
                .metrics_token
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .map(SecretString::from),
            services,
            sanitizer,
            drafter,
            webhooks,
        })
    }

    /// The development sign-in is offered only without an identity provider, and only when
    /// nothing says the portal is reachable from another machine.
    pub fn dev_login_enabled(&self) -> bool {
        self.oidc.is_none() && self.reachable_from_elsewhere().is_none()
    }

    /// The setting that says the portal is reached from other machines, and why: a bind
    /// address off loopback, a public URL whose host is not loopback, or trusted forwarded
    /// headers (there is a proxy in front, so the bind address says nothing).
    fn reachable_from_elsewhere(&self) -> Option<(&'static str, String)> {
        if !self.bind.ip().is_loopback() {
            return Some((
                "GATEHOUSE_BIND",
                format!("{} is not a loopback address", self.bind),
            ));
        }
        if !host_is_loopback(&self.public_url) {
            return Some((
                "GATEHOUSE_PUBLIC_URL",
                format!("{} is not a loopback URL", self.public_url),
            ));
        }
        if self.trust_forwarded_for {
            return Some((
                "GATEHOUSE_TRUST_FORWARDED_FOR",
                "trusting forwarded headers means a proxy in front".to_string(),
            ));
        }
        None
    }

    /// Whether a request's `Host` names this portal: the public URL's host or a loopback
    /// name. Anything else is a name someone else pointed here (DNS rebinding).
    pub fn accepts_host(&self, host: &str) -> bool {
        let name = match host.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(""),
            None => host.rsplit_once(':').map_or(host, |(name, _)| name),
        };
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        let ours = self.public_url.host_str().unwrap_or("");
        let ours = ours.trim_start_matches('[').trim_end_matches(']');
        name == ours.to_ascii_lowercase()
            || name == "localhost"
            || name.ends_with(".localhost")
            || name
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }

    /// Checks what `serve` needs beyond well-formed values.
    pub fn check_serve(&self) -> Result<(), ConfigError> {
        if self.oidc.is_none()
            && let Some((setting, why)) = self.reachable_from_elsewhere()
        {
            return Err(invalid(
                setting,
                format!(
                    "{why} and no identity provider is configured; the development sign-in \
                     would let anyone in. Serve on loopback only (127.0.0.1, a loopback public URL, no proxy), \
                     or set GATEHOUSE_OIDC_ISSUER, GATEHOUSE_OIDC_CLIENT_ID and GATEHOUSE_OIDC_CLIENT_SECRET"
                ),
            ));
        }
        if !self.runbooks_dir.is_dir() {
            return Err(invalid(
                "GATEHOUSE_RUNBOOKS_DIR",
                format!("`{}` is not a directory", self.runbooks_dir.display()),
            ));
        }
        for (setting, dir) in [
            ("GATEHOUSE_CATALOG_DIR", &self.catalog_dir),
            ("GATEHOUSE_POLICIES_DIR", &self.policies_dir),
        ] {
            if !dir.is_dir() {
                return Err(invalid(
                    setting,
                    format!(
                        "`{}` is not a directory (run from the repository root, or set {setting})",
                        dir.display()
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Cookies get `Secure` when the portal is served over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }
}

/// `localhost`, a `.localhost` name or a loopback address.
fn host_is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost" || d.ends_with(".localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Beside the SQLite file (backed up with it), else `data/audit-signing.key`.
fn default_audit_key_file(database_url: &str) -> PathBuf {
    crate::db::sqlite_path(database_url)
        .and_then(|db| {
            std::path::Path::new(&db)
                .parent()
                .map(|dir| dir.join("audit-signing.key"))
        })
        .unwrap_or_else(|| PathBuf::from("data/audit-signing.key"))
}

fn oidc_config(
    issuer: Option<String>,
    client_id: Option<String>,
    secret: Option<String>,
    secret_file: Option<String>,
    scopes: Option<String>,
    groups_claim: Option<String>,
) -> Result<Option<OidcConfig>, ConfigError> {
    let secret = match (secret, secret_file) {
        (Some(_), Some(_)) => {
            return Err(invalid(
                "GATEHOUSE_OIDC_CLIENT_SECRET",
                "set GATEHOUSE_OIDC_CLIENT_SECRET or GATEHOUSE_OIDC_CLIENT_SECRET_FILE, not both",
            ));
        }
        (Some(s), None) => Some(s),
        (None, Some(path)) => Some(
            std::fs::read_to_string(path.trim())
                .map_err(|e| {
                    invalid(
                        "GATEHOUSE_OIDC_CLIENT_SECRET_FILE",
                        format!("cannot read `{path}`: {e}"),
                    )
                })?
                .trim()
                .to_string(),
        ),
        (None, None) => None,
    };
    let (issuer, client_id, secret) = match (issuer, client_id, secret) {
        (None, None, None) => return Ok(None),
        (Some(i), Some(c), Some(s)) => (i.trim().to_string(), c.trim().to_string(), s),
        _ => {
            return Err(invalid(
                "GATEHOUSE_OIDC_ISSUER",
                "single sign-on needs all of GATEHOUSE_OIDC_ISSUER, GATEHOUSE_OIDC_CLIENT_ID and GATEHOUSE_OIDC_CLIENT_SECRET (or _FILE)",
            ));
        }
    };
    match Url::parse(&issuer) {
        Ok(url) if matches!(url.scheme(), "https" | "http") && url.host().is_some() => {}
        _ => {
            return Err(invalid(
                "GATEHOUSE_OIDC_ISSUER",
                format!(
                    "`{issuer}` is not an http(s) URL, like https://login.example.com/realms/main"
                ),
            ));
        }
    }
    if client_id.is_empty() || secret.is_empty() {
        return Err(invalid(
            "GATEHOUSE_OIDC_CLIENT_ID",
            "the client id and secret must not be empty",
        ));
    }
    let scopes: Vec<String> = scopes
        .as_deref()
        .unwrap_or("profile email")
        .split([' ', ','])
        .filter(|s| !s.is_empty() && *s != "openid")
        .map(str::to_string)
        .collect();
    let groups_claim = groups_claim
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "groups".into());
    Ok(Some(OidcConfig {
        issuer,
        client_id,
        client_secret: SecretString::from(secret),
        scopes,
        groups_claim,
    }))
}

/// The webhook settings as given.
struct RawWebhooks {
    urls: Option<String>,
    secret: Option<String>,
    secret_file: Option<String>,
    max_attempts: Option<String>,
    retry_seconds: Option<String>,
    timeout_seconds: Option<String>,
    retention_days: Option<String>,
}

/// The shortest signing secret accepted, in characters.
pub const MIN_WEBHOOK_SECRET: usize = 32;

/// Webhooks: URLs turn them on, and then a signing secret is required (nothing goes out
/// unsigned). Plain http is accepted only for a receiver on this machine.
fn webhook_config(raw: RawWebhooks) -> Result<Option<crate::webhooks::WebhookConfig>, ConfigError> {
    use crate::webhooks::{Target, WebhookConfig};
    let secret = match (raw.secret, raw.secret_file) {
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
    let max_attempts = parse_number(
        raw.max_attempts.as_deref(),
        "GATEHOUSE_WEBHOOK_MAX_ATTEMPTS",
        8,
        1..=30,
    )? as u32;
    let retry = parse_number(
        raw.retry_seconds.as_deref(),
        "GATEHOUSE_WEBHOOK_RETRY_SECONDS",
        30,
        1..=3600,
    )?;
    let timeout = parse_number(
        raw.timeout_seconds.as_deref(),
        "GATEHOUSE_WEBHOOK_TIMEOUT_SECONDS",
        10,
        1..=120,
    )?;
    let retention = parse_number(
        raw.retention_days.as_deref(),
        "GATEHOUSE_WEBHOOK_RETENTION_DAYS",
        90,
        1..=3650,
    )?;
    let mut targets: Vec<Target> = Vec::new();
    for (n, item) in raw
        .urls
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
    if secret.chars().count() < MIN_WEBHOOK_SECRET {
        return Err(invalid(
            "GATEHOUSE_WEBHOOK_SECRET",
            format!(
                "too short to sign with: use at least {MIN_WEBHOOK_SECRET} characters, like the output of `openssl rand -hex 32`"
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

fn role_map(raw: RawRoles) -> Result<crate::auth::roles::RoleMap, ConfigError> {
    use crate::auth::roles::RoleMap;
    use crate::runbooks::names::GroupName;
    let groups = |setting: &'static str, names: Vec<String>| {
        names
            .iter()
            .map(|n| GroupName::parse(n).map_err(|e| invalid(setting, format!("group `{n}`: {e}"))))
            .collect::<Result<Vec<_>, _>>()
    };
    let defaults = RoleMap::default();
    let mut runbook_owners = std::collections::BTreeMap::new();
    for (team, names) in raw.runbook_owners {
        if GroupName::parse(&team).is_err() {
            return Err(invalid(
                "roles.runbook_owners",
                format!("`{team}` is not a team name like team-payments"),
            ));
        }
        runbook_owners.insert(team, groups("roles.runbook_owners", names)?);
    }
    Ok(RoleMap {
        approver: match raw.approver {
            Some(n) => groups("roles.approver", n)?,
            None => defaults.approver,
        },
        security_reviewer: match raw.security_reviewer {
            Some(n) => groups("roles.security_reviewer", n)?,
            None => defaults.security_reviewer,
        },
        admin: match raw.admin {
            Some(n) => groups("roles.admin", n)?,
            None => defaults.admin,
        },
        runbook_owners,
    })
}

fn sanitizer_options(
    raw: RawSanitizer,
    key: Option<String>,
) -> Result<crate::sanitizer::Options, ConfigError> {
    use crate::sanitizer::pseudonym::{PseudonymKey, Pseudonyms};
    use crate::sanitizer::{Category, CustomPattern, Options};
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

/// `true` or `false`; unset is `false`.
fn parse_bool(value: Option<&str>, setting: &'static str) -> Result<bool, ConfigError> {
    match value.map(str::trim) {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(other) => Err(invalid(
            setting,
            format!("`{other}` is not `true` or `false`"),
        )),
    }
}

fn parse_number(
    value: Option<&str>,
    setting: &'static str,
    default: i64,
    range: std::ops::RangeInclusive<i64>,
) -> Result<i64, ConfigError> {
    match value {
        None => Ok(default),
        Some(s) => match s.trim().parse::<i64>() {
            Ok(n) if range.contains(&n) => Ok(n),
            _ => Err(invalid(
                setting,
                format!(
                    "`{s}` is not a whole number from {} to {}",
                    range.start(),
                    range.end()
                ),
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawConfig {
        RawConfig::default()
    }

    #[test]
    fn defaults_bind_to_loopback_with_sqlite() {
        let c = Config::from_raw(raw()).expect("defaults");
        assert_eq!(c.bind.to_string(), "127.0.0.1:3000");
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert!(c.dev_login_enabled());
        assert_eq!(c.public_url.as_str(), "http://127.0.0.1:3000/");
    }

    #[test]
    fn a_bad_bind_names_the_setting() {
        let err = Config::from_raw(RawConfig {
            bind: Some("localhost".into()),
            ..raw()
        })
        .unwrap_err();
        assert!(err.to_string().contains("GATEHOUSE_BIND"), "{err}");
    }

    #[test]
    fn a_bad_database_url_names_the_setting() {
        let err = Config::from_raw(RawConfig {
            database_url: Some("mysql://x".into()),
            ..raw()
        })
        .unwrap_err();
        assert!(err.to_string().contains("DATABASE_URL"), "{err}");
    }

    #[test]
    fn serving_on_a_public_address_without_sso_is_refused() {
        let c = Config::from_raw(RawConfig {
            bind: Some("0.0.0.0:3000".into()),
            ..raw()
        })
        .expect("parses");
        assert!(!c.dev_login_enabled());
        let err = c.check_serve().unwrap_err().to_string();
        assert!(err.contains("not a loopback address"), "{err}");
    }

    #[test]
    fn the_dev_sign_in_is_off_and_refused_whenever_the_portal_is_reachable_from_elsewhere() {
        let behind_https = Config::from_raw(RawConfig {
            public_url: Some("https://portal.acme.io".into()),
            ..raw()
        })
        .expect("parses");
        assert!(!behind_https.dev_login_enabled());
        let err = behind_https.check_serve().unwrap_err().to_string();
        assert!(err.contains("GATEHOUSE_PUBLIC_URL"), "{err}");
        let proxied = Config::from_raw(RawConfig {
            trust_forwarded_for: Some("true".into()),
            ..raw()
        })
        .expect("parses");
        assert!(!proxied.dev_login_enabled());
        let err = proxied.check_serve().unwrap_err().to_string();
        assert!(err.contains("GATEHOUSE_TRUST_FORWARDED_FOR"), "{err}");
        let laptop = Config::from_raw(RawConfig {
            public_url: Some("http://localhost:3000".into()),
            ..raw()
        })
        .expect("parses");
        assert!(laptop.dev_login_enabled());
    }

    #[test]
    fn only_our_own_and_loopback_host_names_are_accepted() {
        let c = Config::from_raw(RawConfig {
            public_url: Some("https://portal.acme.io".into()),
            ..raw()
        })
        .expect("parses");
        for ok in [
            "portal.acme.io",
            "PORTAL.acme.io:443",
            "portal.acme.io.",
            "127.0.0.1:3000",
            "localhost:3000",
            "[::1]:3000",
            "app.localhost",
        ] {
            assert!(c.accepts_host(ok), "{ok}");
        }
        for refused in [
            "evil.example",
            "portal.acme.io.evil.example",
            "10.0.0.5:3000",
            "[2001:db8::1]",
            "",
        ] {
            assert!(!c.accepts_host(refused), "{refused}");
        }
    }

    #[test]
    fn partial_sso_settings_are_rejected() {
        let err = Config::from_raw(RawConfig {
            oidc_issuer: Some("https://idp".into()),
            ..raw()
        })
        .unwrap_err();
        assert!(
            err.to_string().contains("GATEHOUSE_OIDC_CLIENT_ID"),
            "{err}"
        );
    }

    #[test]
    fn the_secret_never_prints() {
        let c = Config::from_raw(RawConfig {
            oidc_issuer: Some("https://idp.example.com".into()),
            oidc_client_id: Some("gatehouse".into()),
            oidc_client_secret: Some("s3cr3t-value".into()),
            ..raw()
        })
        .expect("parses");
        assert!(!format!("{c:?}").contains("s3cr3t-value"));
    }

    #[test]
    fn the_client_secret_comes_from_a_file_and_never_from_the_config_file() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("secret");
        std::fs::write(&secret, "from-a-file\n").unwrap();
        let c = Config::from_raw(RawConfig {
            oidc_issuer: Some("https://idp.example.com/realms/main".into()),
            oidc_client_id: Some("gatehouse".into()),
            oidc_client_secret_file: Some(secret.display().to_string()),
            ..raw()
        })
        .expect("parses");
        let oidc = c.oidc.expect("sso");
        use secrecy::ExposeSecret;
        assert_eq!(oidc.client_secret.expose_secret(), "from-a-file");
        assert_eq!(oidc.scopes, ["profile", "email"]);
        assert_eq!(oidc.groups_claim, "groups");

        let err = Config::from_raw(RawConfig {
            oidc_issuer: Some("idp.example.com".into()),
            oidc_client_id: Some("gatehouse".into()),
            oidc_client_secret: Some("x".into()),
            ..raw()
        })
        .unwrap_err()
        .to_string();
        assert!(err.contains("GATEHOUSE_OIDC_ISSUER"), "{err}");
    }

    #[test]
    fn roles_come_from_the_config_file_with_checked_group_names() {
        let roles = role_map(RawRoles {
            approver: Some(vec!["release-managers".into()]),
            runbook_owners: [(
                "team-payments".to_string(),
                vec!["payments-oncall".to_string()],
            )]
            .into(),
            ..RawRoles::default()
        })
        .expect("valid");
        assert_eq!(roles.approver[0].as_ref(), "release-managers");
        assert_eq!(roles.admin[0].as_ref(), "gatehouse-admins", "defaults stay");
        let err = role_map(RawRoles {
            admin: Some(vec!["Bad Group".into()]),
            ..RawRoles::default()
        })
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("roles.admin") && err.contains("Bad Group"),
            "{err}"
        );
    }

    #[test]
    fn the_audit_key_lives_beside_the_sqlite_database_by_default() {
        let c = Config::from_raw(RawConfig {
            database_url: Some("sqlite:///var/lib/gatehouse/g.db?mode=rwc".into()),
            ..raw()
        })
        .unwrap();
        assert_eq!(
            c.audit_key_file,
            PathBuf::from("/var/lib/gatehouse/audit-signing.key")
        );
    }

    #[test]
    fn webhooks_need_a_long_secret_and_https_off_loopback() {
        let with = |urls: &str, secret: Option<&str>| {
            Config::from_raw(RawConfig {
                webhook_urls: Some(urls.into()),
                webhook_secret: secret.map(str::to_string),
                ..raw()
            })
        };
        let long = "x".repeat(MIN_WEBHOOK_SECRET);
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
        let err = Config::from_raw(RawConfig {
            webhook_secret: Some(long.clone()),
            ..raw()
        })
        .unwrap_err()
        .to_string();
        assert!(err.contains("GATEHOUSE_WEBHOOK_URLS"), "{err}");

        let c = with(
            "https://hooks.example.com/T0/tok3n,http://127.0.0.1:9000/hook",
            Some(&long),
        )
        .expect("valid");
        let hooks = c.webhooks.expect("on");
        let labels: Vec<&str> = hooks.targets.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(
            labels,
            ["https://hooks.example.com", "http://127.0.0.1:9000"]
        );
        assert_eq!((hooks.max_attempts, hooks.retry_base.as_secs()), (8, 30));
        assert_eq!(hooks.retention.as_secs(), 90 * 86_400);
        let err = Config::from_raw(RawConfig {
            webhook_retention_days: Some("0".into()),
            ..raw()
        })
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("GATEHOUSE_WEBHOOK_RETENTION_DAYS") && err.contains("from 1 to 3650"),
            "{err}"
        );
        assert!(
            !format!("{:?}", hooks).contains("tok3n") && !format!("{:?}", hooks).contains(&long)
        );
        assert!(Config::from_raw(raw()).unwrap().webhooks.is_none());
    }
}
