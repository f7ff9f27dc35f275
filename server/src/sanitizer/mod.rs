//! The sanitizer: finds secrets, personal data and internal topology in free text and masks
//! them with typed placeholders (`[REDACTED:aws-access-key]`), keeping the text around them.
//!
//! Used before anything is stored, indexed, logged or sent to a model, and by
//! `gatehouse redact`. Findings carry byte offsets into the input and a category from
//! [`Category`] — never the value. Sanitizing sanitized text changes nothing.

pub mod adversarial;
pub mod category;
mod checks;
mod detectors;
mod env_list;
mod kubernetes;
mod lines;
pub mod log_guard;
pub mod pseudonym;
pub mod redact;
mod resolve;
/// Reading the `[sanitizer]` section needs the server's settings reader; the fuzz targets,
/// which build this module alone, leave it out.
#[cfg(not(fuzzing))]
pub mod settings;

use std::collections::{BTreeMap, HashSet};
use std::net::IpAddr;

use regex::Regex;

pub use category::Category;
use detectors::{Check, Reads, Spec};
use lines::line_around;
use resolve::{Candidate, drop_inside_placeholders, placeholder_len, resolve};

/// Bump when detection changes; recorded with what was sanitized.
pub const VERSION: &str = "3";

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

struct Detector {
    name: &'static str,
    regex: Regex,
    groups: &'static [usize],
    check: Check,
    per_line: bool,
    reads: Reads,
}

/// At most this many extra looks at the lines a mask changed. Each costs one pass over those
/// lines, so the whole stays linear; the detectors are written so that one mask cannot free
/// an unbounded chain of others (glued phone numbers are one finding), and the fuzzer checks
/// that a second `sanitize` changes nothing.
const MAX_LOOKS_AGAIN: usize = 3;

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
    /// Categories the environment-list pass must not report (disabled ones).
    disabled_env_list: Vec<Category>,
    /// Hands out per-document pseudonym keys; `None` when pseudonyms are off.
    tagger: Option<pseudonym::Tagger>,
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
                reads: Reads::Groups,
            })
            .collect();
        let disabled: HashSet<Category> = options.disabled.iter().copied().collect();
        for Spec {
            category,
            pattern,
            groups,
            check,
            per_line,
            reads,
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
                reads,
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
                reads: Reads::Groups,
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
            disabled_env_list: [Category::GenericSecret, Category::HighEntropySecret]
                .into_iter()
                .filter(|c| disabled.contains(c))
                .collect(),
            tagger: pseudonym::Tagger::new(options.pseudonyms, options.pseudonym_key.clone()),
        })
    }

    /// Masks everything found in `text`, in time linear in its length.
    pub fn sanitize(&self, text: &str) -> Sanitized {
        let key = self.tagger.as_ref().map(pseudonym::Tagger::document);
        let mut candidates = self.candidates(text);
        let mut result = resolve(text, candidates.clone(), key.as_ref());
        // Masking changes what surrounds a value (a key's value gets shorter, a boundary
        // appears), and a check that failed may then pass. Look again at the lines that
        // changed, so a second `sanitize` changes nothing. A candidate found again never
        // overlaps a placeholder, so each round masks bytes that were clear.
        for _ in 0..MAX_LOOKS_AGAIN {
            let more = self.look_again(&result);
            if more.is_empty() {
                break;
            }
            candidates.extend(more);
            result = resolve(text, candidates.clone(), key.as_ref());
        }
        result
    }

    /// Candidates in the lines of `done.text` that hold a placeholder, in input offsets.
    fn look_again(&self, done: &Sanitized) -> Vec<Candidate> {
        // Each placeholder in the output: (start, end, how much the output has grown by its
        // end), so an output offset maps back to the input with one binary search.
        let mut placeholders = Vec::with_capacity(done.findings.len());
        let mut grown = 0isize;
        for f in &done.findings {
            let start = (f.start as isize + grown) as usize;
            let len = placeholder_len(f.category, self.tagger.is_some());
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
        // Every line with a placeholder, glued to its neighbours or not: a mask can change how
        // a detector reads the rest of the line (a key's value no longer runs on to the next
        // `key:`), as the fuzzer found with `Secret…:key: tp://….p_key: #q8Xz…`.
        for &(start, _, _) in &placeholders {
            if start < line_end {
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
        for (r, category) in env_list::secret_values(text) {
            if !self.disabled_env_list.contains(&category) {
                candidates.push(Candidate {
                    start: r.start,
                    priority: 0,
                    end: r.end,
                    category: category.name(),
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

    /// Runs detector `i` over `hay`, which starts at byte `offset` of the text. Each search
    /// resumes after the last match (or, for short patterns, one character into a failed
    /// one), so no stretch of `hay` is scanned more than a bounded number of times.
    fn run(&self, i: usize, hay: &str, offset: usize, out: &mut Vec<Candidate>) {
        let d = &self.detectors[i];
        let whole_only = d.reads == Reads::Groups && d.groups == [0];
        let mut at = 0;
        while at <= hay.len() {
            // The value, and where the search goes on if the value fails its check.
            let (whole, value, end) = if d.reads == Reads::Groups && !whole_only {
                let Some(caps) = d.regex.captures_at(hay, at) else {
                    break;
                };
                let whole = caps.get(0).expect("group 0 always takes part").range();
                let value = d
                    .groups
                    .iter()
                    .find_map(|g| caps.get(*g))
                    .map(|m| m.range());
                (whole.clone(), value, whole.end)
            } else {
                let Some(m) = d.regex.find_at(hay, at) else {
                    break;
                };
                let whole = m.range();
                match d.reads {
                    Reads::Groups => (whole.clone(), Some(whole.clone()), whole.end),
                    Reads::Token | Reads::Line => {
                        let key = detectors::key_in(m.as_str());
                        let key_end = whole.start + key.end;
                        let key = &m.as_str()[key];
                        let query = detectors::in_query(m.as_str());
                        let read = |at| match d.reads {
                            Reads::Token => detectors::read_value(hay, at, query),
                            _ => detectors::read_line_value(hay, at),
                        };
                        match self.key_passes(d, key).then(|| read(whole.end)).flatten() {
                            Some((range, end)) => (whole, Some(range), end),
                            // The key failed: the search goes on after it, where the next
                            // key may be.
                            None => (whole, None, key_end),
                        }
                    }
                }
            };
            let value = value.filter(|r| {
                r.start < r.end && self.passes(d, &hay[r.start..r.end], &hay[..r.start])
            });
            at = match value {
                Some(r) => {
                    out.push(Candidate {
                        start: offset + r.start,
                        priority: i + 1,
                        end: offset + r.end,
                        category: d.name,
                    });
                    end.max(next_char(hay, whole.start))
                }
                None if d.check.rescans_inside() => next_char(hay, whole.start),
                None => end.max(next_char(hay, whole.start)),
            };
        }
    }

    /// The part of a key-value check that needs only the key.
    fn key_passes(&self, d: &Detector, key: &str) -> bool {
        match d.check {
            Check::SecretKeyValue => detectors::key_names_a_secret(key),
            Check::HighEntropyKeyValue => {
                detectors::key_names_a_secret(key) && !detectors::key_names_a_digest(key)
            }
            _ => true,
        }
    }

    /// Whether `value` (after the text `before` it) passes detector `d`'s check.
    fn passes(&self, d: &Detector, value: &str, before: &str) -> bool {
        match d.check {
            Check::None => true,
            Check::NotPlaceholder => !checks::is_placeholder(value),
            // The key passed in `key_passes`, before the value was read.
            Check::SecretKeyValue => {
                !checks::is_placeholder(value)
                    && value.chars().count() >= 3
                    && !checks::is_path(value)
            }
            Check::Phone => {
                !glued_to_a_word(before) && value.bytes().filter(u8::is_ascii_digit).count() >= 8
            }
            Check::InternalUrl => {
                let host = checks::url_host(value);
                match host.parse::<std::net::Ipv4Addr>() {
                    Ok(ip) => checks::private_v4(ip) || self.in_cidrs(IpAddr::V4(ip)),
                    Err(_) => true,
                }
            }
            Check::SlackWebhook => !checks::is_placeholder(
                value
                    .rsplit_once("/services/")
                    .map_or(value, |(_, path)| path),
            ),
            Check::HighEntropy => checks::high_entropy(value),
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
            Check::HighEntropyKeyValue => checks::high_entropy(value),
            Check::HighEntropyCookie => value
                .split(';')
                .filter_map(|pair| pair.split_once('=').map(|(_, v)| v))
                .any(checks::high_entropy),
            Check::Email => {
                let (local, domain) = value
                    .rsplit_once('@')
                    .or_else(|| value.rsplit_once("%40"))
                    .unwrap_or(("", ""));
                // `scheme://user:password@host` is no address: the credentials detectors
                // mask the password and the host stays.
                // Within the same token, and no further back than a URL's user part can be.
                let near = &before[floor_char_boundary(before, before.len().saturating_sub(256))..];
                let token = near.rsplit(char::is_whitespace).next().unwrap_or("");
                !token.contains("://")
                    && !checks::documentation_domain(domain)
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
/// semantics says which of them may match on such a line, and only those run.
///
/// The automata hold a relaxed form of each pattern ([`relaxed`]): counted repetitions like
/// `[A-Za-z0-9]{32,64}` multiply the states of a union of forty patterns, and the lazy DFA
/// then spends most of its time building states it throws away. The relaxed form matches
/// wherever the pattern does, so no line or detector is missed; the exact pattern decides.
struct LineTrigger {
    first: regex_automata::meta::Regex,
    all: regex_automata::meta::Regex,
    /// Pattern `p` of both automata is detector `detectors[p]`.
    detectors: Vec<usize>,
}

/// Counted repetitions up to this stay as written: they add few states, and opening them
/// (`(?:[0-9]{1,3}\.){3}` as `(?:[0-9]+\.)+`) would wake the detectors on far more lines.
const SMALL_COUNT: u32 = 4;

/// `pattern` with every larger counted repetition made open (`X{m,n}` as `X+`, or `X*` when
/// `m` is 0) and no capture groups: it matches at least wherever `pattern` matches.
fn relaxed(pattern: &str) -> Result<regex_syntax::hir::Hir, String> {
    fn relax(hir: &regex_syntax::hir::Hir) -> regex_syntax::hir::Hir {
        use regex_syntax::hir::{Hir, HirKind};
        match hir.kind() {
            HirKind::Repetition(r) => {
                let mut r = r.clone();
                r.sub = Box::new(relax(&r.sub));
                if r.min > SMALL_COUNT || r.max.is_some_and(|m| m > SMALL_COUNT) {
                    r.min = r.min.min(1);
                    r.max = None;
                }
                Hir::repetition(r)
            }
            HirKind::Capture(c) => relax(&c.sub),
            HirKind::Concat(subs) => Hir::concat(subs.iter().map(relax).collect()),
            HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(relax).collect()),
            _ => hir.clone(),
        }
    }
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .map_err(|e| e.to_string())?;
    Ok(relax(&hir))
}

impl LineTrigger {
    fn new(all_detectors: &[Detector], detectors: Vec<usize>) -> Result<Self, OptionsError> {
        let failed = |reason: String| OptionsError::Pattern {
            name: "per-line detectors".into(),
            reason,
        };
        let patterns = detectors
            .iter()
            .map(|i| relaxed(all_detectors[*i].regex.as_str()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(failed)?;
        let build = |kind| {
            regex_automata::meta::Regex::builder()
                .configure(
                    regex_automata::meta::Config::new()
                        .match_kind(kind)
                        .nfa_size_limit(Some(64 << 20))
                        .hybrid_cache_capacity(16 << 20),
                )
                .build_many_from_hir(&patterns)
                .map_err(|e| failed(e.to_string()))
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

/// Whether `before` ends in a letter, digit, `_` or `+`: a `+` there is not a phone number's.
fn glued_to_a_word(before: &str) -> bool {
    before
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '+')
}

/// The largest char boundary of `s` at or before `at`.
fn floor_char_boundary(s: &str, mut at: usize) -> usize {
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
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
