//! From candidates to findings: overlaps, priorities, placeholders from earlier passes, and
//! the masked text.

use regex::Regex;

use super::{Finding, Sanitized};

const PLACEHOLDER_OPEN: &str = "[REDACTED:";

/// The length of the placeholder written for `category` (with a pseudonym tag or not).
pub(super) fn placeholder_len(category: &str, tagged: bool) -> usize {
    PLACEHOLDER_OPEN.len() + category.len() + 1 + if tagged { super::pseudonym::TAG_LEN } else { 0 }
}

/// Placeholders from an earlier pass are never masked again, even in part: sanitizing
/// sanitized text changes nothing.
pub(super) fn drop_inside_placeholders(text: &str, candidates: &mut Vec<Candidate>) {
    static PLACEHOLDER: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
        Regex::new(r"\[REDACTED:[a-z0-9-]+(?:#[0-9a-f]{4})?\]").expect("valid")
    });
    if memchr::memmem::find(text.as_bytes(), PLACEHOLDER_OPEN.as_bytes()).is_none() {
        return;
    }
    // Placeholders are disjoint and in order: the first one ending after a candidate's start
    // is the only one that can overlap it (one binary search, not a scan of all of them).
    let spans: Vec<(usize, usize)> = PLACEHOLDER
        .find_iter(text)
        .map(|m| (m.start(), m.end()))
        .collect();
    candidates.retain(|c| {
        let i = spans.partition_point(|(_, e)| *e <= c.start);
        spans.get(i).is_none_or(|(s, _)| c.end <= *s)
    });
}

/// A match that passed its check; lower priority numbers win at the same start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Candidate {
    pub start: usize,
    pub priority: usize,
    pub end: usize,
    pub category: &'static str,
}

/// Masks candidates left to right. At the same start the higher priority, then the longer,
/// names the finding; one that starts inside an earlier finding extends it.
pub(super) fn resolve(
    text: &str,
    mut candidates: Vec<Candidate>,
    tags: Option<&super::pseudonym::DocumentKey>,
) -> Sanitized {
    candidates.sort_by(|a, b| {
        (a.start, a.priority, std::cmp::Reverse(a.end)).cmp(&(
            b.start,
            b.priority,
            std::cmp::Reverse(b.end),
        ))
    });
    let mut findings: Vec<Finding> = Vec::new();
    for c in candidates {
        match findings.last_mut() {
            // At the same start, the first (by priority) won: skip the rest.
            Some(last) if c.start == last.start => {}
            // Starting inside: the earlier finding grows, so no tail of a value is left
            // behind for a second pass to find.
            Some(last) if c.start < last.end => last.end = last.end.max(c.end),
            _ => findings.push(Finding {
                start: c.start,
                end: c.end,
                category: c.category,
            }),
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for f in &findings {
        out.push_str(&text[at..f.start]);
        out.push_str(PLACEHOLDER_OPEN);
        out.push_str(f.category);
        if let Some(key) = tags {
            out.push_str(&key.tag(f.category, &text[f.start..f.end]));
        }
        out.push(']');
        at = f.end;
    }
    out.push_str(&text[at..]);
    Sanitized {
        text: out,
        findings,
    }
}
