//! Stable heading anchors: the same text always gives the same id, and repeated headings in
//! one document get `-1`, `-2`… so links from search, alerts and the table of contents agree.

use std::collections::HashMap;

/// Assigns unique slugs within one document, in document order.
#[derive(Default)]
pub struct Slugger {
    seen: HashMap<String, usize>,
}

impl Slugger {
    pub fn slug(&mut self, text: &str) -> String {
        let base = slugify(text);
        let count = self.seen.entry(base.clone()).or_insert(0);
        let slug = if *count == 0 {
            base.clone()
        } else {
            format!("{base}-{count}")
        };
        *count += 1;
        if slug != base {
            // Reserve the suffixed form too, so a later heading literally named "x-1" differs.
            self.seen.entry(slug.clone()).or_insert(1);
        }
        slug
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
}
