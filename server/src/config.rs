//! Configuration: one typed struct composed of the sections each module owns and reads
//! through [`Settings`] (defaults, then an optional TOML file named by `GATEHOUSE_CONFIG`,
//! then the environment). This module reads only the portal's own settings (where it
//! listens, its stores, its public URL); a bad value anywhere stops start-up with a message
//! that names the setting and says what is expected.

use std::net::SocketAddr;
use std::path::PathBuf;

use secrecy::SecretString;
use url::Url;

use crate::auth::roles::RoleMap;
use crate::auth::settings::{Lifetimes, OidcConfig};
use crate::drafts::llm::LlmConfig;
use crate::rate_limit::RateLimits;
use crate::requests::limits::Limits;
use crate::runbooks::names::ServiceName;
pub use crate::settings::ConfigError;
use crate::settings::{Settings, invalid};
use crate::telemetry::LogFormat;
use crate::webhooks::WebhookConfig;

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
    pub request_limits: Limits,
    pub public_url: Url,
    /// Where the WASM bundle (`pkg/`) is served from.
    pub site_root: PathBuf,
    pub log_format: LogFormat,
    pub session_ttl: chrono::Duration,
    pub session_idle: chrono::Duration,
    /// API tokens stop when their owner has not signed in for this long (None: never).
    pub token_owner_inactive: Option<chrono::Duration>,
    pub oidc: Option<OidcConfig>,
    pub roles: RoleMap,
    /// The ed25519 key that signs audit checkpoints.
    pub audit_key_file: PathBuf,
    pub rate_limits: RateLimits,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy that sets it).
    pub trust_forwarded_for: bool,
    /// The bearer token `/metrics` asks for; without one it answers loopback clients only.
    pub metrics_token: Option<SecretString>,
    /// Services that may report deployments although no runbook names them yet.
    pub services: Vec<ServiceName>,
    /// Sanitizer settings, already checked to compile.
    pub sanitizer: crate::sanitizer::Options,
    /// The optional model-backed drafter; without it drafts are deterministic.
    pub drafter: Option<LlmConfig>,
    /// Outbound request notifications; none without configured URLs.
    pub webhooks: Option<WebhookConfig>,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/gatehouse.db?mode=rwc";

impl Config {
    /// Reads defaults, the file named by `GATEHOUSE_CONFIG` (if any) and the environment.
    pub fn load() -> Result<Self, ConfigError> {
        Self::from_settings(Settings::from_process()?)
    }

    /// Defaults only, with overrides applied by the caller (tests).
    pub fn defaults() -> Self {
        Self::from_settings(Settings::empty()).expect("the defaults are valid")
    }

    /// Every section reads its own keys; then a file key none of them knows is refused.
    pub fn from_settings(mut s: Settings) -> Result<Self, ConfigError> {
        let bind: SocketAddr = match s.text("bind")? {
            None => SocketAddr::from(([127, 0, 0, 1], 3000)),
            Some(text) => text.trim().parse().map_err(|_| {
                invalid(
                    "GATEHOUSE_BIND",
                    format!("`{text}` is not an address:port, like 127.0.0.1:3000"),
                )
            })?,
        };
        let database_url = s
            .text("database_url")?
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
        let public_url = match s.text("public_url")? {
            None => Url::parse(&format!("http://{bind}/"))
                .map_err(|e| invalid("GATEHOUSE_BIND", e.to_string()))?,
            Some(text) => {
                let url = Url::parse(text.trim()).map_err(|e| {
                    invalid(
                        "GATEHOUSE_PUBLIC_URL",
                        format!("`{text}` is not a URL: {e}"),
                    )
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
        let mut dir = |key: &'static str, default: &str| -> Result<PathBuf, ConfigError> {
            Ok(PathBuf::from(
                s.text(key)?.unwrap_or_else(|| default.to_string()),
            ))
        };
        let runbooks_dir = dir("runbooks_dir", "runbooks")?;
        let index_dir = dir("index_dir", "data/index")?;
        let catalog_dir = dir("catalog_dir", "server/catalog")?;
        let policies_dir = dir("policies_dir", "server/policies")?;
        let site_root = dir("site_root", "target/site")?;
        let audit_key_file = match s.text("audit_key_file")? {
            Some(path) => PathBuf::from(path),
            None => default_audit_key_file(&database_url),
        };
        let trust_forwarded_for = s.flag("trust_forwarded_for")?;
        let metrics_token = s
            .secret(
                "metrics_token",
                "holds the metrics token",
                "Remove it and set GATEHOUSE_METRICS_TOKEN",
            )?
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .map(SecretString::from);
        let log_format = LogFormat::read(&mut s)?;
        let lifetimes = Lifetimes::read(&mut s)?;
        let oidc = OidcConfig::read(&mut s)?;
        let roles = RoleMap::read(&mut s)?;
        let rate_limits = RateLimits::read(&mut s)?;
        let services = crate::deployments::configured_services(&mut s)?;
        let sanitizer = crate::sanitizer::Options::read(&mut s)?;
        let drafter = LlmConfig::read(&mut s)?;
        let webhooks = WebhookConfig::read(&mut s)?;
        let request_limits = Limits::read(&mut s)?;
        s.finish()?;
        Ok(Self {
            bind,
            database_url,
            runbooks_dir,
            index_dir,
            catalog_dir,
            policies_dir,
            request_limits,
            public_url,
            site_root,
            log_format,
            session_ttl: lifetimes.session_ttl,
            session_idle: lifetimes.session_idle,
            token_owner_inactive: lifetimes.token_owner_inactive,
            oidc,
            roles,
            audit_key_file,
            rate_limits,
            trust_forwarded_for,
            metrics_token,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn config(env: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::from_settings(Settings::from_parts(env, "").expect("settings"))
    }

    #[test]
    fn defaults_bind_to_loopback_with_sqlite() {
        let c = config(&[]).expect("defaults");
        assert_eq!(c.bind.to_string(), "127.0.0.1:3000");
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert!(c.dev_login_enabled());
        assert_eq!(c.public_url.as_str(), "http://127.0.0.1:3000/");
    }

    #[test]
    fn a_bad_bind_names_the_setting() {
        let err = config(&[("bind", "localhost")]).unwrap_err();
        assert!(err.to_string().contains("GATEHOUSE_BIND"), "{err}");
    }

    #[test]
    fn a_bad_database_url_names_the_setting() {
        let err = config(&[("database_url", "mysql://x")]).unwrap_err();
        assert!(err.to_string().contains("DATABASE_URL"), "{err}");
    }

    #[test]
    fn serving_on_a_public_address_without_sso_is_refused() {
        let c = config(&[("bind", "0.0.0.0:3000")]).expect("parses");
        assert!(!c.dev_login_enabled());
        let err = c.check_serve().unwrap_err().to_string();
        assert!(err.contains("not a loopback address"), "{err}");
    }

    #[test]
    fn the_dev_sign_in_is_off_and_refused_whenever_the_portal_is_reachable_from_elsewhere() {
        let behind_https = config(&[("public_url", "https://portal.acme.io")]).expect("parses");
        assert!(!behind_https.dev_login_enabled());
        let err = behind_https.check_serve().unwrap_err().to_string();
        assert!(err.contains("GATEHOUSE_PUBLIC_URL"), "{err}");
        let proxied = config(&[("trust_forwarded_for", "true")]).expect("parses");
        assert!(!proxied.dev_login_enabled());
        let err = proxied.check_serve().unwrap_err().to_string();
        assert!(err.contains("GATEHOUSE_TRUST_FORWARDED_FOR"), "{err}");
        let laptop = config(&[("public_url", "http://localhost:3000")]).expect("parses");
        assert!(laptop.dev_login_enabled());
    }

    #[test]
    fn only_our_own_and_loopback_host_names_are_accepted() {
        let c = config(&[("public_url", "https://portal.acme.io")]).expect("parses");
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
    fn the_audit_key_lives_beside_the_sqlite_database_by_default() {
        let c = config(&[("database_url", "sqlite:///var/lib/gatehouse/g.db?mode=rwc")]).unwrap();
        assert_eq!(
            c.audit_key_file,
            PathBuf::from("/var/lib/gatehouse/audit-signing.key")
        );
    }

    #[test]
    fn the_file_composes_every_section_and_refuses_an_unknown_key() {
        let toml = "bind = \"127.0.0.1:4000\"\nsession_ttl_hours = 8\nrequest_pending_hours = 24\n\
                    [deployments]\nservices = [\"ledger\"]\n[roles]\nadmin = [\"ops\"]\n";
        let c = Config::from_settings(Settings::from_parts(&[], toml).unwrap()).expect("valid");
        assert_eq!(c.bind.to_string(), "127.0.0.1:4000");
        assert_eq!(c.session_ttl, chrono::Duration::hours(8));
        assert_eq!(c.request_limits.pending_ttl, chrono::Duration::hours(24));
        assert_eq!(c.services[0].as_ref(), "ledger");
        assert_eq!(c.roles.admin[0].as_ref(), "ops");
        let err =
            Config::from_settings(Settings::from_parts(&[], "sesion_ttl_hours = 8\n").unwrap())
                .unwrap_err()
                .to_string();
        assert!(
            err.contains("`sesion_ttl_hours`") && err.contains("session_ttl_hours"),
            "names the typo and the known keys: {err}"
        );
    }
}
