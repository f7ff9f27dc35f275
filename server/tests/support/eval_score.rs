//! Scores the sanitizer on the labelled evaluation corpus (`eval_corpus.rs`), the way a user
//! would judge it: per class of sensitive value, how many were caught, judged by the findings
//! (span mode) and by what survives in the output text (text mode); how many masked characters
//! were really sensitive (character precision); how many look-alikes were damaged.

use std::collections::BTreeMap;

use super::eval_corpus::{Doc, Label};
use server::sanitizer::Sanitized;

/// A value counts as caught in span mode when at least this share of its characters is
/// inside findings.
pub const SPAN_CAUGHT: f64 = 0.9;
/// In text mode, when less than this share of its informative characters survives in the
/// output at its place.
pub const TEXT_SURVIVES: f64 = 0.1;

/// Counts for one class of values.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub total: usize,
    pub caught_span: usize,
    pub caught_text: usize,
    /// Negatives only: how many were damaged.
    pub damaged: usize,
}

/// The whole score of one run.
#[derive(Debug, Default, Clone)]
pub struct Score {
    pub documents: usize,
    pub bytes: usize,
    pub sensitive: BTreeMap<&'static str, Counts>,
    pub negative: BTreeMap<&'static str, Counts>,
    /// Masked characters inside sensitive spans, and all masked characters outside neutral ones.
    pub masked_sensitive: usize,
    pub masked_counted: usize,
    /// Per document kind: sensitive values and how many were caught (span mode).
    pub kinds: BTreeMap<&'static str, Counts>,
}

impl Score {
    pub fn recall_span(&self) -> f64 {
        ratio(self.sum(|c| c.caught_span), self.sum(|c| c.total))
    }

    pub fn recall_text(&self) -> f64 {
        ratio(self.sum(|c| c.caught_text), self.sum(|c| c.total))
    }

    pub fn precision(&self) -> f64 {
        ratio(self.masked_sensitive, self.masked_counted)
    }

    pub fn damaged(&self) -> f64 {
        let total: usize = self.negative.values().map(|c| c.total).sum();
        let damaged: usize = self.negative.values().map(|c| c.damaged).sum();
        ratio(damaged, total)
    }

    pub fn sensitive_values(&self) -> usize {
        self.sum(|c| c.total)
    }

    pub fn negative_values(&self) -> usize {
        self.negative.values().map(|c| c.total).sum()
    }

    fn sum(&self, f: impl Fn(&Counts) -> usize) -> usize {
        self.sensitive.values().map(f).sum()
    }

    /// Which values were missed or damaged, for a reader tuning the detectors (tune split
    /// only: the held-out split is judged by its figures alone).
    pub fn add(&mut self, doc: &Doc, out: &Sanitized) {
        self.documents += 1;
        self.bytes += doc.text.len();
        let findings: Vec<(usize, usize)> = out.findings.iter().map(|f| (f.start, f.end)).collect();
        let kind = self.kinds.entry(doc.kind).or_default();
        for span in &doc.spans {
            let masked = masked_in(&findings, span.start, span.end);
            let len = span.end - span.start;
            match span.label {
                Label::Sensitive => {
                    let c = self.sensitive.entry(span.class).or_default();
                    c.total += 1;
                    kind.total += 1;
                    if masked as f64 >= SPAN_CAUGHT * len as f64 {
                        c.caught_span += 1;
                        kind.caught_span += 1;
                    }
                    if survives(
                        &doc.text[span.start..span.end],
                        &text_at(out, span.start, span.end),
                    ) < TEXT_SURVIVES
                    {
                        c.caught_text += 1;
                        kind.caught_text += 1;
                    }
                }
                Label::Negative => {
                    let c = self.negative.entry(span.class).or_default();
                    c.total += 1;
                    if masked > 0 {
                        c.damaged += 1;
                    }
                }
                Label::Neutral => {}
            }
        }
        // Precision: every masked character, except those in neutral spans (either is fine).
        for &(s, e) in &findings {
            let neutral: usize = doc
                .spans
                .iter()
                .filter(|sp| sp.label == Label::Neutral)
                .map(|sp| overlap(s, e, sp.start, sp.end))
                .sum();
            let sensitive: usize = doc
                .spans
                .iter()
                .filter(|sp| sp.label == Label::Sensitive)
                .map(|sp| overlap(s, e, sp.start, sp.end))
                .sum();
            self.masked_counted += (e - s) - neutral;
            self.masked_sensitive += sensitive;
        }
    }
}

/// A value a run got wrong: its class, the value and the line it is on.
pub type Mistake = (&'static str, String, String);

/// The values a run missed and the negatives it damaged.
pub fn mistakes(doc: &Doc, out: &Sanitized) -> (Vec<Mistake>, Vec<Mistake>) {
    let findings: Vec<(usize, usize)> = out.findings.iter().map(|f| (f.start, f.end)).collect();
    let line = |start: usize, end: usize| {
        let from = doc.text[..start].rfind('\n').map_or(0, |p| p + 1);
        let to = doc.text[end..]
            .find('\n')
            .map_or(doc.text.len(), |p| end + p);
        doc.text[from..to].chars().take(200).collect::<String>()
    };
    let mut missed = Vec::new();
    let mut damaged = Vec::new();
    for span in &doc.spans {
        let masked = masked_in(&findings, span.start, span.end);
        let value = doc.text[span.start..span.end].to_string();
        match span.label {
            Label::Sensitive if (masked as f64) < SPAN_CAUGHT * (span.end - span.start) as f64 => {
                missed.push((span.class, value, line(span.start, span.end)))
            }
            Label::Negative if masked > 0 => {
                damaged.push((span.class, value, line(span.start, span.end)))
            }
            _ => {}
        }
    }
    (missed, damaged)
}

/// Findings that masked characters outside every sensitive and neutral span: (category,
/// how many such characters, the masked text).
pub fn over_masked(doc: &Doc, out: &Sanitized) -> Vec<(&'static str, usize, String)> {
    out.findings
        .iter()
        .filter_map(|f| {
            let labelled: usize = doc
                .spans
                .iter()
                .filter(|sp| sp.label != Label::Negative)
                .map(|sp| overlap(f.start, f.end, sp.start, sp.end))
                .sum();
            let extra = (f.end - f.start) - labelled;
            (extra > 0).then(|| {
                (
                    f.category,
                    extra,
                    doc.text[f.start..f.end].chars().take(120).collect(),
                )
            })
        })
        .collect()
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

fn overlap(a: usize, b: usize, c: usize, d: usize) -> usize {
    b.min(d).saturating_sub(a.max(c))
}

/// How many characters of `start..end` lie inside findings (sorted, disjoint).
fn masked_in(findings: &[(usize, usize)], start: usize, end: usize) -> usize {
    findings
        .iter()
        .map(|&(s, e)| overlap(s, e, start, end))
        .sum()
}

/// The output text standing where the input's `start..end` was: the text between the
/// output positions of `start` and `end`, a placeholder included when either falls inside one.
fn text_at(out: &Sanitized, start: usize, end: usize) -> String {
    let placeholder = |category: &str| format!("[REDACTED:{category}]").len() as isize;
    // The output offset of input offset `p`. Inside a finding (for a region's end: inside or
    // at its end) it is the start of the placeholder, or its end for a region's end.
    let map = |p: usize, is_end: bool| -> usize {
        let mut grown: isize = 0;
        for f in &out.findings {
            let (before, inside) = if is_end {
                (p <= f.start, p <= f.end)
            } else {
                (p < f.start, p < f.end)
            };
            if before {
                break;
            }
            if inside {
                let at = f.start as isize + grown;
                return (if is_end {
                    at + placeholder(f.category)
                } else {
                    at
                }) as usize;
            }
            grown += placeholder(f.category) - (f.end - f.start) as isize;
        }
        (p as isize + grown) as usize
    };
    let (s, e) = (map(start, false), map(end, true));
    out.text.get(s..e.max(s)).unwrap_or("").to_string()
}

/// `text` without placeholders: their letters are no survivors of a value.
fn without_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("[REDACTED:") {
        out.push_str(&rest[..at]);
        out.push(' ');
        rest = match rest[at..].find(']') {
            Some(close) => &rest[at + close + 1..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// Prefixes that name a token's kind and are public (`ghp_`, `AKIA`): not informative.
const PUBLIC_PREFIXES: &[&str] = &[
    "github_pat_",
    "sk_live_",
    "sk_test_",
    "rk_live_",
    "sk-proj-",
    "sk-ant-api03-",
    "dop_v1_",
    "lin_api_",
    "glpat-",
    "xoxb-",
    "xoxp-",
    "xoxa-",
    "xapp-",
    "shpat_",
    "glsa_",
    "NRAK-",
    "dapi",
    "pypi-",
    "hvs.",
    "ghp_",
    "gho_",
    "ghs_",
    "ghu_",
    "ghr_",
    "npm_",
    "AKIA",
    "ASIA",
    "AIza",
    "SG.",
    "eyJ",
    "dp.pt.",
];

/// The share of `value`'s informative characters (letters and digits after a public
/// prefix) that survive in `region`, as the longest common subsequence of the two.
fn survives(value: &str, region: &str) -> f64 {
    let value = PUBLIC_PREFIXES
        .iter()
        .find_map(|p| value.strip_prefix(p))
        .unwrap_or(value);
    let a: Vec<u8> = value.bytes().filter(u8::is_ascii_alphanumeric).collect();
    if a.is_empty() {
        return 0.0;
    }
    let region = without_placeholders(region);
    let b: Vec<u8> = region.bytes().filter(u8::is_ascii_alphanumeric).collect();
    let mut row = vec![0usize; b.len() + 1];
    for &x in &a {
        let mut diagonal = 0;
        for j in 0..b.len() {
            let up = row[j + 1];
            row[j + 1] = if x == b[j] {
                diagonal + 1
            } else {
                up.max(row[j])
            };
            diagonal = up;
        }
    }
    row[b.len()] as f64 / a.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn survival_counts_what_is_left_of_a_value() {
        assert_eq!(survives("hunter2", "[REDACTED:generic-secret]"), 0.0);
        assert_eq!(survives("ghp_abcd", "ghp_abcd"), 1.0);
        assert!(survives("+44 20 7946 0958", "+44 20 [REDACTED:phone]") > 0.3);
    }
}
