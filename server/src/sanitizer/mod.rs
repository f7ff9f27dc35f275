//! The sanitizer: finds secrets, personal data and internal topology in free text and masks
//! them with typed placeholders (`[REDACTED:aws-access-key]`), keeping the text around them.
//!
//! Used before anything is stored, indexed, logged or sent to a model, and by
//! `gatehouse redact`. Findings carry byte offsets into the input and a category from
//! [`Category`] — never the value. Sanitizing sanitized text changes nothing.

pub mod category;
mod checks;
mod detectors;
mod kubernetes;
mod lines;
pub mod log_guard;
pub mod redact;
mod resolve;

use std::collections::{BTreeMap, HashSet};
use std::net::IpAddr;

use regex::Regex;

pub use category::Category;
use detectors::{Check, Spec};
use lines::line_around;
use resolve::{Candidate, drop_inside_placeholders, glued_before, placeholder_len, resolve};

/// Bump when detection changes; recorded with what was sanitized.
pub const VERSION: &str = "2";

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
    per_line: bool,
}

/// A compiled sanitizer. Build once, share (it is `Send + Sync`), call [`Sanitizer::sanitize`].
pub struct Sanitizer {
    /// All detectors, in priority order.
    detectors: Vec<Detector>,
    /// Indices of the detectors run over the whole text.
    whole_text: Vec<usize>,
    /// The per-line detectors, if any.
    trigger: Option<LineTrigger>,
    cidrs: Vec<(IpAddr, u8)>,
    kubernetes: bool,
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
struct Checked {
    domains: Vec<String>,
    cidrs: Vec<(IpAddr, u8)>,
    patterns: Vec<(String, Regex)>,
}

impl Options {
    /// Checks the options without building a sanitizer (config loading does this).
    pub fn validate(&self) -> Result<(), OptionsError> {
        self.checked().map(|_| ())
    }

    fn checked(&self) -> Result<Checked, OptionsError> {
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

impl Sanitizer {
    /// The built-in detectors with default settings.
    pub fn new() -> Self {
        Self::with_options(&Options::default()).expect("the built-in patterns compile")
    }

    pub fn with_options(options: &Options) -> Result<Self, OptionsError> {
        let Checked {
            domains,
            cidrs,
            patterns,
        } = options.checked()?;
        let mut detectors: Vec<Detector> = patterns
            .into_iter()
            .map(|(name, regex)| Detector {
                name: Box::leak(name.into_boxed_str()),
                regex,
                groups: &[0],
                check: Check::NotPlaceholder,
                per_line: false,
            })
            .collect();
        let disabled: HashSet<Category> = options.disabled.iter().copied().collect();
        for Spec {
            category,
            pattern,
            groups,
            check,
            per_line,
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
                per_line,
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
                per_line: true,
            });
        }
        let (per_line, whole_text): (Vec<usize>, Vec<usize>) =
            (0..detectors.len()).partition(|i| detectors[*i].per_line);
        let trigger = if per_line.is_empty() {
            None
        } else {
            Some(LineTrigger::new(&detectors, per_line)?)
        };
        Ok(Self {
            detectors,
            whole_text,
            trigger,
            cidrs,
            kubernetes: !disabled.contains(&Category::KubernetesSecret),
        })
    }

    /// Masks everything found in `text`.
    pub fn sanitize(&self, text: &str) -> Sanitized {
        let mut candidates = self.candidates(text);
        let mut result = resolve(text, candidates.clone());
        // Masking changes what surrounds a value (a key's value gets shorter, a boundary
        // appears), and a check that failed may then pass. Look again at the lines that
        // changed until nothing more turns up, so a second `sanitize` changes nothing. This
        // ends: a candidate found again never overlaps a placeholder, so each round masks
        // bytes that were clear (one mask can free the next: `+44 20 4+44 20 4…`).
        loop {
            let more = self.look_again(&result);
            if more.is_empty() {
                break;
            }
            candidates.extend(more);
            result = resolve(text, candidates.clone());
        }
        result
    }

    /// Candidates in the lines of `done.text` that hold a placeholder, in input offsets.
    fn look_again(&self, done: &Sanitized) -> Vec<Candidate> {
        let out = done.text.as_bytes();
        // Each placeholder in the output: (start, end, how much the output has grown by its
        // end), so an output offset maps back to the input with one binary search.
        let mut placeholders = Vec::with_capacity(done.findings.len());
        let mut grown = 0isize;
        for f in &done.findings {
            let start = (f.start as isize + grown) as usize;
            let len = placeholder_len(f.category);
            grown += len as isize - (f.end - f.start) as isize;
            placeholders.push((start, start + len, grown));
        }
        let to_input = |p: usize| -> usize {
            let before = placeholders.partition_point(|(_, end, _)| *end <= p);
            let grown = before.checked_sub(1).map_or(0, |i| placeholders[i].2);
            (p as isize - grown) as usize
        };
        let mut more = Vec::new();
        let mut line_end = 0;
        for &(start, end, _) in &placeholders {
            let glued = glued_before(&out[..start])
                || out.get(end).is_some_and(|c| !c.is_ascii_whitespace());
            if start < line_end || !glued {
                continue;
            }
            let (ls, end, _) = line_around(&done.text, start);
            line_end = end;
            for c in self.candidates(&done.text[ls..line_end]) {
                more.push(Candidate {
                    start: to_input(ls + c.start),
                    end: to_input(ls + c.end),
                    ..c
                });
            }
        }
        more
    }

    /// Every match that passed its check, overlapping ones included.
    fn candidates(&self, text: &str) -> Vec<Candidate> {
        // Manifests first (priority 0), since they mask whole values.
        let mut candidates = Vec::new();
        if self.kubernetes {
            for r in kubernetes::secret_values(text) {
                candidates.push(Candidate {
                    start: r.start,
                    priority: 0,
                    end: r.end,
                    category: Category::KubernetesSecret.name(),
                });
            }
        }
        for &i in &self.whole_text {
            self.run(i, text, 0, &mut candidates);
        }
        if let Some(trigger) = &self.trigger {
            trigger.for_each_line(text, |start, end, i| {
                self.run(i, &text[start..end], start, &mut candidates);
            });
        }
        drop_inside_placeholders(text, &mut candidates);
        candidates
    }

    /// Runs detector `i` over `hay`, which starts at byte `offset` of the text.
    fn run(&self, i: usize, hay: &str, offset: usize, out: &mut Vec<Candidate>) {
        let d = &self.detectors[i];
        let mut at = 0;
        while at <= hay.len() {
            let Some(caps) = d.regex.captures_at(hay, at) else {
                break;
            };
            let whole = caps.get(0).expect("group 0 always takes part");
            let value = d
                .groups
                .iter()
                .find_map(|g| caps.get(*g))
                .filter(|m| m.start() < m.end() && self.passes(d, &caps, m.as_str()));
            match value {
                Some(m) => {
                    out.push(Candidate {
                        start: offset + m.start(),
                        priority: i + 1,
                        end: offset + m.end(),
                        category: d.name,
                    });
                    at = whole.end().max(next_char(hay, whole.start()));
                }
                // A match that fails its check must not hide one that starts inside it
                // (`3 4111 1111 1111 1111`): search again from the next character.
                None => at = next_char(hay, whole.start()),
            }
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
            Check::Nino => checks::nino(value),
            Check::Sin => checks::sin(value),
            Check::Aadhaar => checks::aadhaar(value),
            Check::Dni => checks::dni(value),
            Check::Nir => checks::nir(value),
            Check::BasicAuth => checks::basic_credentials(value),
            Check::HighEntropyKeyValue => {
                let key = caps.get(1).map(|k| k.as_str()).unwrap_or("");
                detectors::key_names_a_secret(key)
                    && !detectors::key_names_a_digest(key)
                    && checks::high_entropy(value)
            }
            Check::HighEntropyCookie => value
                .split(';')
                .filter_map(|pair| pair.split_once('=').map(|(_, v)| v))
                .any(checks::high_entropy),
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

/// The per-line detectors as one automaton: one pass over the text finds the lines worth a
/// closer look, instead of one pass per pattern; a second automaton with overlapping
/// semantics says which of them match on such a line.
struct LineTrigger {
    first: regex_automata::meta::Regex,
    all: regex_automata::meta::Regex,
    /// Pattern `p` of both automata is detector `detectors[p]`.
    detectors: Vec<usize>,
}

impl LineTrigger {
    fn new(all_detectors: &[Detector], detectors: Vec<usize>) -> Result<Self, OptionsError> {
        let patterns: Vec<&str> = detectors
            .iter()
            .map(|i| all_detectors[*i].regex.as_str())
            .collect();
        let build = |kind| {
            regex_automata::meta::Regex::builder()
                .configure(
                    regex_automata::meta::Config::new()
                        .match_kind(kind)
                        .nfa_size_limit(Some(64 << 20))
                        .hybrid_cache_capacity(2 << 20),
                )
                .build_many(&patterns)
                .map_err(|e| OptionsError::Pattern {
                    name: "per-line detectors".into(),
                    reason: e.to_string(),
                })
        };
        Ok(Self {
            first: build(regex_automata::MatchKind::LeftmostFirst)?,
            all: build(regex_automata::MatchKind::All)?,
            detectors,
        })
    }

    /// Calls `f(line start, line end, detector)` for each detector matching on each line.
    fn for_each_line(&self, text: &str, mut f: impl FnMut(usize, usize, usize)) {
        let mut hits = regex_automata::PatternSet::new(self.detectors.len());
        let input = regex_automata::Input::new(text);
        let mut at = 0;
        while at < text.len() {
            let Some(m) = self.first.search(&input.clone().range(at..)) else {
                break;
            };
            let (start, end, next) = line_around(text, m.start());
            hits.clear();
            self.all
                .which_overlapping_matches(&input.clone().range(start..end), &mut hits);
            for pattern in hits.iter() {
                f(start, end, self.detectors[pattern.as_usize()]);
            }
            at = next;
        }
    }
}

/// The offset of the character after the one at `at`.
fn next_char(hay: &str, at: usize) -> usize {
    at + hay[at..].chars().next().map_or(1, char::len_utf8)
}

impl Default for Sanitizer {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests;
