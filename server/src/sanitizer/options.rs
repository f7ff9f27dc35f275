//! What a deployment can change about the sanitizer, and the checks that refuse bad settings
//! with what to write instead.

use std::net::IpAddr;

use regex::Regex;

use super::{Category, pseudonym};

/// A deployment's own pattern.
#[derive(Debug, Clone)]
pub struct CustomPattern {
    /// Category name in placeholders: lowercase letters, digits and `-`.
    pub name: String,
    pub regex: String,
}

/// What a deployment can change.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Categories to leave alone.
    pub disabled: Vec<Category>,
    /// More internal domain suffixes, like `corp.acme.net`.
    pub internal_domains: Vec<String>,
    /// More internal networks, like `203.0.113.0/24`.
    pub internal_cidrs: Vec<String>,
    pub patterns: Vec<CustomPattern>,
    /// Tags on placeholders: off, per document, or across the deployment.
    pub pseudonyms: pseudonym::Pseudonyms,
    /// The secret tags derive from; a random one per process when unset.
    pub pseudonym_key: Option<pseudonym::PseudonymKey>,
}

/// Why options were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OptionsError {
    #[error("sanitizer pattern `{name}` is invalid: {reason}")]
    Pattern { name: String, reason: String },
    #[error("internal domain `{0}` is invalid: use a domain suffix such as corp.acme.net")]
    Domain(String),
    #[error("internal CIDR `{0}` is invalid: use address/prefix such as 10.20.0.0/16")]
    Cidr(String),
}

const DEFAULT_DOMAINS: &[&str] = &[
    "internal",
    "corp",
    "local",
    "svc\\.cluster\\.local",
    "intranet",
    "lan",
];

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 48
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Options after checking: escaped domain suffixes, parsed networks, compiled patterns.
pub(super) struct Checked {
    pub(super) domains: Vec<String>,
    pub(super) cidrs: Vec<(IpAddr, u8)>,
    pub(super) patterns: Vec<(String, Regex)>,
}

impl Options {
    /// Checks the options without building a sanitizer (config loading does this).
    pub fn validate(&self) -> Result<(), OptionsError> {
        self.checked().map(|_| ())
    }

    pub(super) fn checked(&self) -> Result<Checked, OptionsError> {
        let mut domains: Vec<String> = DEFAULT_DOMAINS.iter().map(|d| d.to_string()).collect();
        for d in &self.internal_domains {
            let d = d.trim().trim_start_matches('.').to_ascii_lowercase();
            let ok = !d.is_empty()
                && d.split('.').all(|l| {
                    !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                });
            if !ok {
                return Err(OptionsError::Domain(d));
            }
            domains.push(regex::escape(&d));
        }
        let mut cidrs = Vec::new();
        for c in &self.internal_cidrs {
            let (ip, len) = c
                .trim()
                .split_once('/')
                .ok_or_else(|| OptionsError::Cidr(c.clone()))?;
            let ip: IpAddr = ip.parse().map_err(|_| OptionsError::Cidr(c.clone()))?;
            let len: u8 = len.parse().map_err(|_| OptionsError::Cidr(c.clone()))?;
            if len > if ip.is_ipv4() { 32 } else { 128 } {
                return Err(OptionsError::Cidr(c.clone()));
            }
            cidrs.push((ip, len));
        }
        let mut patterns = Vec::new();
        for p in &self.patterns {
            if !is_slug(&p.name) || Category::from_name(&p.name).is_some() {
                return Err(OptionsError::Pattern {
                    name: p.name.clone(),
                    reason: "the name must be lowercase letters, digits and `-`, and not a built-in category".into(),
                });
            }
            let regex = Regex::new(&p.regex).map_err(|e| OptionsError::Pattern {
                name: p.name.clone(),
                reason: e.to_string(),
            })?;
            patterns.push((p.name.clone(), regex));
        }
        Ok(Checked {
            domains,
            cidrs,
            patterns,
        })
    }
}
