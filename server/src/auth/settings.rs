//! The sign-in section of the configuration: single sign-on, how long sessions and tokens
//! live, and which groups grant which role.

use std::collections::BTreeMap;

use secrecy::SecretString;
use serde::Deserialize;
use url::Url;

use super::roles::RoleMap;
use crate::runbooks::names::GroupName;
use crate::settings::{ConfigError, Settings, invalid};

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

impl OidcConfig {
    /// Single sign-on is off with none of issuer, client id and secret, and refused with
    /// only some of them. The secret comes from the environment or a file, never the config.
    pub fn read(s: &mut Settings) -> Result<Option<Self>, ConfigError> {
        let issuer = s.text("oidc_issuer")?;
        let client_id = s.text("oidc_client_id")?;
        let secret = s.secret(
            "oidc_client_secret",
            "holds the client secret",
            "Remove it and set GATEHOUSE_OIDC_CLIENT_SECRET or GATEHOUSE_OIDC_CLIENT_SECRET_FILE",
        )?;
        let secret_file = s.text("oidc_client_secret_file")?;
        let scopes = s.text("oidc_scopes")?;
        let groups_claim = s.text("oidc_groups_claim")?;
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
        Ok(Some(Self {
            issuer,
            client_id,
            client_secret: SecretString::from(secret),
            scopes,
            groups_claim,
        }))
    }
}

/// How long a sign-in lasts, and when an absent owner's tokens stop.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    pub session_ttl: chrono::Duration,
    pub session_idle: chrono::Duration,
    /// API tokens stop when their owner has not signed in for this long (None: never).
    pub token_owner_inactive: Option<chrono::Duration>,
}

impl Lifetimes {
    pub fn read(s: &mut Settings) -> Result<Self, ConfigError> {
        let hours = s.number("session_ttl_hours", 12, 1..=24 * 30)?;
        let idle = s.number("session_idle_minutes", 120, 1..=24 * 60)?;
        let inactive_days = s.number("token_owner_inactive_days", 30, 0..=3660)?;
        Ok(Self {
            session_ttl: chrono::Duration::hours(hours),
            session_idle: chrono::Duration::minutes(idle),
            token_owner_inactive: (inactive_days > 0)
                .then(|| chrono::Duration::days(inactive_days)),
        })
    }
}

/// `[roles]` as written: `approver`, `security_reviewer`, `admin` (lists of groups) and
/// `[roles.runbook_owners]` (team = [groups]).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoles {
    approver: Option<Vec<String>>,
    security_reviewer: Option<Vec<String>>,
    admin: Option<Vec<String>>,
    #[serde(default)]
    runbook_owners: BTreeMap<String, Vec<String>>,
}

impl RoleMap {
    /// The `[roles]` table, with every group name checked; a role left out keeps its
    /// default groups.
    pub fn read(s: &mut Settings) -> Result<Self, ConfigError> {
        role_map(s.table("roles")?)
    }
}

fn role_map(raw: RawRoles) -> Result<RoleMap, ConfigError> {
    let groups = |setting: &'static str, names: Vec<String>| {
        names
            .iter()
            .map(|n| GroupName::parse(n).map_err(|e| invalid(setting, format!("group `{n}`: {e}"))))
            .collect::<Result<Vec<_>, _>>()
    };
    let defaults = RoleMap::default();
    let mut runbook_owners = BTreeMap::new();
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

#[cfg(test)]
mod tests {
    use super::*;

    fn oidc(env: &[(&str, &str)]) -> Result<Option<OidcConfig>, ConfigError> {
        OidcConfig::read(&mut Settings::from_parts(env, "").unwrap())
    }

    #[test]
    fn partial_sso_settings_are_rejected() {
        let err = oidc(&[("oidc_issuer", "https://idp")]).unwrap_err();
        assert!(
            err.to_string().contains("GATEHOUSE_OIDC_CLIENT_ID"),
            "{err}"
        );
    }

    #[test]
    fn the_secret_never_prints() {
        let c = oidc(&[
            ("oidc_issuer", "https://idp.example.com"),
            ("oidc_client_id", "gatehouse"),
            ("oidc_client_secret", "s3cr3t-value"),
        ])
        .expect("parses");
        assert!(!format!("{c:?}").contains("s3cr3t-value"));
    }

    #[test]
    fn the_client_secret_comes_from_a_file_and_never_from_the_config_file() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("secret");
        std::fs::write(&secret, "from-a-file\n").unwrap();
        let path = secret.display().to_string();
        let c = oidc(&[
            ("oidc_issuer", "https://idp.example.com/realms/main"),
            ("oidc_client_id", "gatehouse"),
            ("oidc_client_secret_file", &path),
        ])
        .expect("parses")
        .expect("sso");
        use secrecy::ExposeSecret;
        assert_eq!(c.client_secret.expose_secret(), "from-a-file");
        assert_eq!(c.scopes, ["profile", "email"]);
        assert_eq!(c.groups_claim, "groups");

        let err = oidc(&[
            ("oidc_issuer", "idp.example.com"),
            ("oidc_client_id", "gatehouse"),
            ("oidc_client_secret", "x"),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("GATEHOUSE_OIDC_ISSUER"), "{err}");

        let mut s = Settings::from_parts(&[], "oidc_client_secret = \"hunter2\"\n").unwrap();
        let err = OidcConfig::read(&mut s).unwrap_err().to_string();
        assert!(
            err.contains("holds the client secret") && !err.contains("hunter2"),
            "{err}"
        );
    }

    #[test]
    fn roles_come_from_the_config_file_with_checked_group_names() {
        let mut s = Settings::from_parts(
            &[],
            "[roles]\napprover = [\"release-managers\"]\n[roles.runbook_owners]\nteam-payments = [\"payments-oncall\"]\n",
        )
        .unwrap();
        let roles = RoleMap::read(&mut s).expect("valid");
        assert_eq!(roles.approver[0].as_ref(), "release-managers");
        assert_eq!(roles.admin[0].as_ref(), "gatehouse-admins", "defaults stay");
        assert_eq!(
            roles.runbook_owners["team-payments"][0].as_ref(),
            "payments-oncall"
        );
        let mut s = Settings::from_parts(&[], "[roles]\nadmin = [\"Bad Group\"]\n").unwrap();
        let err = RoleMap::read(&mut s).unwrap_err().to_string();
        assert!(
            err.contains("roles.admin") && err.contains("Bad Group"),
            "{err}"
        );
        let mut s = Settings::from_parts(&[], "[roles]\napprovers = [\"x\"]\n").unwrap();
        let err = RoleMap::read(&mut s).unwrap_err().to_string();
        assert!(err.contains("approvers"), "a misspelt role is named: {err}");
    }
}
