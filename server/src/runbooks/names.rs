//! Names with rules, parsed once at the edge so the rest of the domain can trust them.

use std::fmt;

use serde::Serialize;

/// Why a name was rejected; the text says what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidName(String);

macro_rules! name_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

name_type!(
    /// A service slug such as `checkout-api`: lowercase letters, digits and `-`, 1–63 chars.
    ServiceName
);
name_type!(
    /// A Prometheus alert name such as `CheckoutApiHighLatency`.
    AlertName
);
name_type!(
    /// A group or team name such as `payments-oncall`.
    GroupName
);
name_type!(
    /// A runbook's file stem, its identity in URLs: `checkout-api-high-latency`.
    RunbookStem
);

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

impl ServiceName {
    pub fn parse(s: &str) -> Result<Self, InvalidName> {
        let s = s.trim();
        if is_slug(s) {
            Ok(Self(s.to_string()))
        } else {
            Err(InvalidName(format!(
                "service `{s}` is not a valid service name: use 1–63 lowercase letters, digits and `-`, like `checkout-api`"
            )))
        }
    }
}

impl AlertName {
    pub fn parse(s: &str) -> Result<Self, InvalidName> {
        let s = s.trim();
        let ok = !s.is_empty()
            && s.len() <= 200
            && s.as_bytes()[0].is_ascii_alphabetic()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':');
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err(InvalidName(format!(
                "alert `{s}` is not a valid alert name: use letters, digits, `_` and `:`, starting with a letter, like `CheckoutApiHighLatency`"
            )))
        }
    }

    /// The case-insensitive key alerts are looked up by.
    pub fn key(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

impl GroupName {
    pub fn parse(s: &str) -> Result<Self, InvalidName> {
        let s = s.trim();
        let ok = !s.is_empty()
            && s.len() <= 128
            && s.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':' | b'/')
            });
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err(InvalidName(format!(
                "group `{s}` is not a valid group name: use letters, digits and `-_.:/`, like `payments-oncall`"
            )))
        }
    }
}

impl RunbookStem {
    pub fn parse(s: &str) -> Result<Self, InvalidName> {
        let ok = !s.is_empty()
            && s.len() <= 128
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            && !s.starts_with('-');
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err(InvalidName(format!(
                "file name `{s}` cannot be a runbook id: use letters, digits, `-` and `_` before `.md`"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_names_are_lowercase_slugs() {
        assert!(ServiceName::parse("checkout-api").is_ok());
        assert!(ServiceName::parse("Checkout-API").is_err());
        assert!(ServiceName::parse("-api").is_err());
        assert!(ServiceName::parse("").is_err());
    }

    #[test]
    fn alert_names_follow_prometheus_rules() {
        assert!(AlertName::parse("CheckoutApiHighLatency").is_ok());
        assert!(AlertName::parse("job:up:sum").is_ok());
        assert!(AlertName::parse("1Bad").is_err());
        assert!(AlertName::parse("has space").is_err());
        assert_eq!(
            AlertName::parse("VaultSealed").map(|a| a.key()),
            Ok("vaultsealed".into())
        );
    }

    #[test]
    fn stems_reject_path_tricks() {
        assert!(RunbookStem::parse("../etc/passwd").is_err());
        assert!(RunbookStem::parse("vault-sealed").is_ok());
    }
}
