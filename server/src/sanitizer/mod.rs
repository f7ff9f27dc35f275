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
mod options;
pub mod pseudonym;
pub mod redact;
mod resolve;
/// Reading the `[sanitizer]` section needs the server's settings reader; the fuzz targets,
/// which build this module alone, leave it out.
#[cfg(not(fuzzing))]
pub mod settings;
mod trigger;

use std::collections::{BTreeMap, HashSet};
use std::net::IpAddr;

use regex::Regex;

pub use category::Category;
use detectors::{Check, Reads, Spec};
use lines::line_around;
use options::Checked;
pub use options::{CustomPattern, Options, OptionsError};
use resolve::{Candidate, drop_inside_placeholders, placeholder_len, resolve};
use trigger::LineTrigger;

/// Bump when detection changes; recorded with what was sanitized.
pub const VERSION: &str = "4";

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
                    Reads::Token | Reads::Line | Reads::Element => {
                        let key = detectors::key_in(m.as_str());
                        let key_end = whole.start + key.end;
                        let key = &m.as_str()[key];
                        let query = detectors::in_query(m.as_str());
                        let read = |at| match d.reads {
                            Reads::Token => detectors::read_value(hay, at, query),
                            Reads::Element => detectors::read_element_value(hay, at, key),
                            Reads::Line => detectors::read_line_value(hay, at),
                            Reads::Groups => None,
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
            Check::SecretKeyValue => checks::could_be_secret(value) && !checks::in_arn(before),
            Check::Phone => {
                !glued(before, &['_', '+']) && value.bytes().filter(u8::is_ascii_digit).count() >= 8
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
            Check::QuotedPassword => checks::password_like(value),
            Check::PrivateKeyBody => checks::has_key_body(value),
            Check::Luhn => {
                let digits: String = value.chars().filter(char::is_ascii_digit).collect();
                checks::card_prefix(&digits) && checks::luhn(&digits)
            }
            Check::Iban => checks::iban(value),
            Check::Ssn => !glued(before, ID_GLUE) && checks::ssn(value),
            Check::Nino => checks::nino(value),
            Check::Sin => !glued(before, ID_GLUE) && checks::sin(value),
            Check::Aadhaar => !glued(before, ID_GLUE) && checks::aadhaar(value),
            Check::Dni => checks::dni(value),
            Check::Nir => checks::nir(value),
            Check::BasicAuth => checks::basic_credentials(value),
            Check::HighEntropyKeyValue => checks::high_entropy(value) && !checks::in_arn(before),
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

/// Whether `before` ends in a letter, a digit or one of `also`: what comes next is then part
/// of a longer word or id, not a value of its own (`a+44…` is no phone number,
/// `f1cadf14-8713-4498-9473-…` no Aadhaar number).
fn glued(before: &str, also: &[char]) -> bool {
    before
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || also.contains(&c))
}

/// What may stand before national ids: `-`, `.` and `_` join the groups of longer ids.
const ID_GLUE: &[char] = &['-', '.', '_'];

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
