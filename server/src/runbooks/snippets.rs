//! Snippets: the best fragment of a section's text for a query, with the matched words
//! marked — also close spellings of a mistyped word and completions of the word being typed.

use std::ops::Range;

use tantivy::Searcher;
use tantivy::query::{BooleanQuery, Occur};
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;

use super::index::{Fields, IndexError};
use super::terms::{analyze, term_query};

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 180;

/// Matched text with the byte ranges to highlight.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SnippetText {
    pub text: String,
    pub highlights: Vec<Range<usize>>,
}

impl SnippetText {
    /// The text cut into (piece, highlighted) parts.
    pub fn parts(&self) -> Vec<(&str, bool)> {
        let mut parts = Vec::new();
        let mut at = 0;
        for r in &self.highlights {
            if r.start < at || r.end > self.text.len() {
                continue;
            }
            if r.start > at {
                parts.push((&self.text[at..r.start], false));
            }
            parts.push((&self.text[r.clone()], true));
            at = r.end;
        }
        if at < self.text.len() {
            parts.push((&self.text[at..], false));
        }
        parts
    }
}

/// Whether `a` and `b` are at most `max` edits apart (insert, delete, substitute, or swap
/// two neighbours).
fn within_edits(a: &str, b: &str, max: u8) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let max = max as usize;
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    let mut prev2: Vec<usize> = Vec::new();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        if cur.iter().min().is_some_and(|m| *m > max) {
            return false;
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()] <= max
}

/// Snippet generators for the body and the code of a section.
pub(super) struct Snippets {
    searcher: Searcher,
    fields: Fields,
    tokens: Vec<String>,
    /// Query words the index does not know, with the edits tolerated.
    unknown: Vec<(String, u8)>,
    /// The unfinished last word, matched as a prefix.
    prefix: Option<String>,
    body: SnippetGenerator,
    code: SnippetGenerator,
}

fn snippet_generator(
    searcher: &Searcher,
    field: Field,
    tokens: &[String],
) -> Result<SnippetGenerator, IndexError> {
    let terms = tokens
        .iter()
        .map(|t| (Occur::Should, term_query(field, t)))
        .collect();
    let mut generator = SnippetGenerator::create(searcher, &BooleanQuery::new(terms), field)?;
    generator.set_max_num_chars(SNIPPET_CHARS);
    Ok(generator)
}

impl Snippets {
    pub(super) fn new(
        searcher: &Searcher,
        f: &Fields,
        tokens: Vec<String>,
        unknown: Vec<(String, u8)>,
        prefix: Option<String>,
    ) -> Result<Self, IndexError> {
        Ok(Self {
            body: snippet_generator(searcher, f.body, &tokens)?,
            code: snippet_generator(searcher, f.code, &tokens)?,
            searcher: searcher.clone(),
            fields: *f,
            tokens,
            unknown,
            prefix,
        })
    }

    pub(super) fn for_section(&self, body: &str, code: &str) -> SnippetText {
        let corrected = self.with_corrections(body, code);
        let (body_gen, code_gen) = match &corrected {
            Some((b, c)) => (b, c),
            None => (&self.body, &self.code),
        };
        for (generator, text) in [(body_gen, body), (code_gen, code)] {
            let s = generator.snippet(text);
            if !s.highlighted().is_empty() {
                return SnippetText {
                    text: s.fragment().to_string(),
                    highlights: s.highlighted().to_vec(),
                };
            }
        }
        let source = if body.trim().is_empty() { code } else { body };
        SnippetText {
            text: truncate_chars(source.trim(), SNIPPET_CHARS),
            highlights: Vec::new(),
        }
    }

    /// Generators that also mark this section's close spellings of unknown query words and
    /// completions of the word being typed.
    fn with_corrections(
        &self,
        body: &str,
        code: &str,
    ) -> Option<(SnippetGenerator, SnippetGenerator)> {
        if self.unknown.is_empty() && self.prefix.is_none() {
            return None;
        }
        let mut extra: Vec<String> = Vec::new();
        for word in analyze(body).into_iter().chain(analyze(code)) {
            let completes = self.prefix.as_deref().is_some_and(|p| word.starts_with(p));
            if !extra.contains(&word)
                && (completes
                    || self
                        .unknown
                        .iter()
                        .any(|(typo, d)| within_edits(typo, &word, *d)))
            {
                extra.push(word);
            }
        }
        if extra.is_empty() {
            return None;
        }
        extra.extend(self.tokens.iter().cloned());
        let body_gen = snippet_generator(&self.searcher, self.fields.body, &extra).ok()?;
        let code_gen = snippet_generator(&self.searcher, self.fields.code, &extra).ok()?;
        Some((body_gen, code_gen))
    }
}

fn truncate_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_swaps_as_one() {
        assert!(within_edits("latncy", "latency", 1));
        assert!(within_edits("evictoins", "evictions", 1));
        assert!(!within_edits("latency", "lantern", 1));
        assert!(within_edits("replcation", "replication", 2));
        assert!(!within_edits("abcd", "wxyz", 2));
    }

    #[test]
    fn snippet_parts_follow_highlights() {
        let s = SnippetText {
            text: "high latency on checkout".into(),
            highlights: std::iter::once(5..12).collect(),
        };
        assert_eq!(
            s.parts(),
            [("high ", false), ("latency", true), (" on checkout", false)]
        );
    }
}
