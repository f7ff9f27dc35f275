//! The sanitizer: finds secrets, personal data and internal topology in free text and masks
//! them with typed placeholders (`[REDACTED:aws-access-key]`), keeping the text around them.
//!
//! Used before anything is stored, indexed, logged or sent to a model, and by
//! `gatehouse redact`. Findings carry byte offsets into the input and a category from
//! [`Category`] — never the value. Sanitizing sanitized text changes nothing.

pub mod category;
mod checks;
mod detectors;
pub mod log_guard;
pub mod redact;

use std::collections::{BTreeMap, HashSet};
use std::net::IpAddr;

use regex::Regex;

pub use category::Category;
use detectors::{Check, Spec};

/// Bump when detection changes; recorded with what was sanitized.
pub const VERSION: &str = "1";

/// One masked value: where it was in the input (bytes, on char boundaries) and what it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub start: usize,
    pub end: usize,
    pub category: &'static str,
}

/// The masked text and what was masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sanitized {
    pub text: String,
    pub findings: Vec<Finding>,
}

impl Sanitized {
    /// Counts per category.
    pub fn report(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for f in &self.findings {
            *counts.entry(f.category).or_insert(0) += 1;
        }
        counts
    }
}

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

struct Detector {
    name: &'static str,
    regex: Regex,
    groups: &'static [usize],
    check: Check,
}

/// A compiled sanitizer. Build once, share (it is `Send + Sync`), call [`Sanitizer::sanitize`].
pub struct Sanitizer {
    detectors: Vec<Detector>,
    cidrs: Vec<(IpAddr, u8)>,
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

impl Sanitizer {
    /// The built-in detectors with default settings.
    pub fn new() -> Self {
        Self::with_options(&Options::default()).expect("the built-in patterns compile")
    }

    pub fn with_options(options: &Options) -> Result<Self, OptionsError> {
        let mut domains: Vec<String> = DEFAULT_DOMAINS.iter().map(|d| d.to_string()).collect();
        for d in &options.internal_domains {
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
        for c in &options.internal_cidrs {
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
        let mut detectors = Vec::new();
        for p in &options.patterns {
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
            detectors.push(Detector {
                name: Box::leak(p.name.clone().into_boxed_str()),
                regex,
                groups: &[0],
                check: Check::NotPlaceholder,
            });
        }
        let disabled: HashSet<Category> = options.disabled.iter().copied().collect();
        for Spec {
            category,
            pattern,
            groups,
            check,
        } in detectors::builtin(&domains.join("|"))
        {
            if disabled.contains(&category) {
                continue;
            }
            let regex = Regex::new(&pattern).map_err(|e| OptionsError::Pattern {
                name: category.name().into(),
                reason: e.to_string(),
            })?;
            detectors.push(Detector {
                name: category.name(),
                regex,
                groups,
                check,
            });
        }
        if !disabled.contains(&Category::PrivateIp) && !cidrs.is_empty() {
            // Configured networks may be public ranges: look at every address.
            let any_v4 = r"\b(?:[0-9]{1,3}\.){3}[0-9]{1,3}\b";
            let regex = Regex::new(any_v4).map_err(|e| OptionsError::Pattern {
                name: "private-ip".into(),
                reason: e.to_string(),
            })?;
            detectors.push(Detector {
                name: Category::PrivateIp.name(),
                regex,
                groups: &[0],
                check: Check::PrivateIpv4,
            });
        }
        Ok(Self { detectors, cidrs })
    }

    /// Masks everything found in `text`.
    pub fn sanitize(&self, text: &str) -> Sanitized {
        let mut candidates: Vec<(usize, usize, usize)> = Vec::new(); // (start, priority, end)
        for (priority, d) in self.detectors.iter().enumerate() {
            for caps in d.regex.captures_iter(text) {
                let Some(m) = d.groups.iter().find_map(|g| caps.get(*g)) else {
                    continue;
                };
                if m.start() == m.end() || !self.passes(d, &caps, m.as_str()) {
                    continue;
                }
                candidates.push((m.start(), priority, m.end()));
            }
        }
        candidates.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(b.2.cmp(&a.2)));
        let mut findings = Vec::new();
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (start, priority, end) in candidates {
            if start < at {
                continue;
            }
            let name = self.detectors[priority].name;
            out.push_str(&text[at..start]);
            out.push_str("[REDACTED:");
            out.push_str(name);
            out.push(']');
            findings.push(Finding {
                start,
                end,
                category: name,
            });
            at = end;
        }
        out.push_str(&text[at..]);
        Sanitized {
            text: out,
            findings,
        }
    }

    fn passes(&self, d: &Detector, caps: &regex::Captures<'_>, value: &str) -> bool {
        match d.check {
            Check::None => true,
            Check::NotPlaceholder => !checks::is_placeholder(value),
            Check::SecretKeyValue => {
                let key = caps.get(1).map(|k| k.as_str()).unwrap_or("");
                detectors::key_names_a_secret(key)
                    && !checks::is_placeholder(value)
                    && value.chars().count() >= 3
            }
            Check::Luhn => {
                let digits: String = value.chars().filter(char::is_ascii_digit).collect();
                checks::card_prefix(&digits) && checks::luhn(&digits)
            }
            Check::Iban => checks::iban(value),
            Check::Ssn => checks::ssn(value),
            Check::Email => {
                let (local, domain) = value.rsplit_once('@').unwrap_or(("", ""));
                !checks::documentation_domain(domain)
                    && local != "git"
                    && !local.ends_with("noreply")
            }
            Check::PrivateIpv4 => match value.parse::<std::net::Ipv4Addr>() {
                Ok(ip) => checks::private_v4(ip) || self.in_cidrs(IpAddr::V4(ip)),
                Err(_) => false,
            },
            Check::PrivateIpv6 => match value.parse::<std::net::Ipv6Addr>() {
                Ok(ip) => checks::private_v6(ip) || self.in_cidrs(IpAddr::V6(ip)),
                Err(_) => false,
            },
        }
    }

    fn in_cidrs(&self, ip: IpAddr) -> bool {
        self.cidrs.iter().any(|(net, len)| match (net, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = if *len == 0 { 0 } else { u32::MAX << (32 - len) };
                u32::from(*n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = if *len == 0 {
                    0
                } else {
                    u128::MAX << (128 - len)
                };
                u128::from(*n) & mask == u128::from(a) & mask
            }
            _ => false,
        })
    }
}

impl Default for Sanitizer {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests;
