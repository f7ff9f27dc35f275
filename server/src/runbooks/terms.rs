//! How runbook text becomes index terms, shared by indexing, search and snippets (so none of
//! them reaches into another for it): the analyzer, alert-name splitting, term queries and
//! the stable keys stored beside each section.

use tantivy::Term;
use tantivy::query::{Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};

/// Name of the analyzer for prose fields.
pub const TEXT_ANALYZER: &str = "gh_text";

/// Words as people type them: split on anything not alphanumeric (`checkout-api` is
/// `checkout` + `api`), lower-cased, accents folded. No stemming: it would defeat typo
/// tolerance (`latncy` is one edit from `latency` but two from the stem `latenc`); plurals
/// are handled at query time instead.
pub fn text_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// `CheckoutApiHighLatency` → `CheckoutApiHighLatency Checkout Api High Latency`, so an alert
/// is found by its full name and by its words.
pub fn split_camel(name: &str) -> String {
    let mut words = String::with_capacity(name.len() * 2);
    let chars: Vec<char> = name.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let boundary = i > 0
            && c.is_uppercase()
            && (chars[i - 1].is_lowercase()
                || chars[i - 1].is_ascii_digit()
                || chars.get(i + 1).is_some_and(|n| n.is_lowercase())
                    && chars[i - 1].is_uppercase());
        if boundary || (*c == '_' || *c == ':') {
            words.push(' ');
        }
        if *c != '_' && *c != ':' {
            words.push(*c);
        }
    }
    format!("{name} {words}")
}

/// A stable 64-bit key for a runbook id.
pub fn runbook_key(stem: &str) -> u64 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(stem.as_bytes());
    u64::from_le_bytes(digest[..8].try_into().unwrap_or_default())
}

/// A 64-bit key for a file version (from its SHA-256 hex), so a hit from an index that is a
/// moment ahead of the catalog is recognised and skipped.
pub fn version_key(hash: &str) -> u64 {
    u64::from_str_radix(hash.get(..16).unwrap_or("0"), 16).unwrap_or(0)
}

/// Tokens of `text` as the index stores them.
pub fn analyze(text: &str) -> Vec<String> {
    let mut analyzer = text_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

/// A query for one analyzed term of `field`, with frequencies for BM25.
pub(super) fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}
