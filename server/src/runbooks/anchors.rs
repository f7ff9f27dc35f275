//! Stable heading anchors: the same text always gives the same id, and repeated headings in
//! one document get `-1`, `-2`… so links from search, alerts and the table of contents agree.

use std::collections::HashMap;

/// Assigns unique slugs within one document, in document order.
#[derive(Default)]
pub struct Slugger {
    seen: HashMap<String, usize>,
}

impl Slugger {
    /// A slug no earlier heading of this document got. Each base remembers the next number
    /// to try, so the numbers tried over a whole document add up to at most the number of
    /// headings twice: linear, however the headings repeat.
    pub fn slug(&mut self, text: &str) -> String {
        let base = slugify(text);
        if !self.seen.contains_key(&base) {
            self.seen.insert(base.clone(), 1);
            return base;
        }
        loop {
            let next = self.seen.get_mut(&base).expect("present");
            let candidate = format!("{base}-{next}");
            *next += 1;
            if !self.seen.contains_key(&candidate) {
                // Reserved too, so a later heading literally named "x-1" differs.
                self.seen.insert(candidate.clone(), 1);
                return candidate;
            }
        }
    }
}

/// Lowercase words joined by `-`; GitHub-like so anchors look familiar.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else if c.is_whitespace() || c == '-' || c == '_' {
            dash = true;
        }
    }
    if out.is_empty() {
        "section".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words_joined_by_dashes() {
        assert_eq!(
            slugify("Check PgBouncer pool (primary)"),
            "check-pgbouncer-pool-primary"
        );
        assert_eq!(slugify("CheckoutApiHighLatency"), "checkoutapihighlatency");
        assert_eq!(slugify("  Roll back / undo  "), "roll-back-undo");
        assert_eq!(slugify("!!!"), "section");
    }

    #[test]
    fn repeated_headings_get_numbered() {
        let mut s = Slugger::default();
        assert_eq!(s.slug("Rollback"), "rollback");
        assert_eq!(s.slug("Rollback"), "rollback-1");
        assert_eq!(s.slug("Rollback 1"), "rollback-1-1");
        assert_eq!(s.slug("Rollback"), "rollback-2");
    }

    #[test]
    fn a_heading_named_like_a_numbered_one_still_gets_a_unique_slug() {
        let mut s = Slugger::default();
        let slugs: Vec<String> = ["x-1", "x", "x", "x", "x-1"]
            .iter()
            .map(|h| s.slug(h))
            .collect();
        assert_eq!(slugs, ["x-1", "x", "x-2", "x-3", "x-1-1"]);
    }
}
