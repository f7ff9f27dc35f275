//! The tantivy query a [`ParsedQuery`] becomes: words in every weighted field with their
//! plural, typo-tolerant and prefix forms, phrases, filters, exclusions, the exact-name boost
//! and the reader's access clause.

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use super::RunbookSearch;
use crate::runbooks::index::Fields;
use crate::runbooks::names::GroupName;
use crate::runbooks::query::ParsedQuery;
use crate::runbooks::terms::{analyze, term_query};

/// Field boosts for free words.
fn weighted_fields(f: &Fields) -> [(Field, f32); 9] {
    [
        (f.title, 3.0),
        (f.alerts_text, 3.0),
        (f.heading, 2.5),
        (f.service_text, 2.0),
        (f.tags_text, 1.5),
        (f.body, 1.0),
        (f.path, 1.2),
        (f.code, 0.7),
        (f.owners_text, 0.5),
    ]
}

impl RunbookSearch<'_> {
    /// The whole query, or `None` if there is nothing to search for.
    pub(super) fn build(
        &self,
        q: &ParsedQuery,
        groups: &[GroupName],
        all_words: bool,
    ) -> Option<Box<dyn Query>> {
        let f = *self.fields();
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut words: Vec<Box<dyn Query>> = Vec::new();
        let last = q.words.len().saturating_sub(1);
        for (i, word) in q.words.iter().enumerate() {
            let open = q.last_word_open && i == last && q.phrases.is_empty();
            if let Some(clause) = self.word_query(word, open) {
                words.push(clause);
            }
        }
        for phrase in &q.phrases {
            if let Some(clause) = self.phrase_query(phrase) {
                words.push(clause);
            }
        }
        let has_filters = !(q.services.is_empty() && q.tags.is_empty() && q.alerts.is_empty());
        if words.is_empty() && !has_filters {
            return None;
        }
        if all_words {
            must.extend(words.into_iter().map(|w| (Occur::Must, w)));
        } else if !words.is_empty() {
            let any = BooleanQuery::new(words.into_iter().map(|w| (Occur::Should, w)).collect());
            must.push((Occur::Must, Box::new(any)));
        }
        for (values, field) in [
            (&q.services, f.service),
            (&q.tags, f.tags),
            (&q.alerts, f.alerts),
        ] {
            if !values.is_empty() {
                let any = values
                    .iter()
                    .map(|v| (Occur::Should, term_query(field, &v.to_lowercase())))
                    .collect();
                must.push((
                    Occur::Must,
                    Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(any)), 0.0)),
                ));
            }
        }
        for word in &q.excluded {
            for token in analyze(word) {
                for (field, _) in weighted_fields(&f) {
                    must.push((Occur::MustNot, term_query(field, &token)));
                }
            }
        }
        // Exact names rank first.
        let whole = q.free_text();
        if !whole.is_empty() {
            for (field, boost) in [
                (f.alerts, 25.0),
                (f.title_exact, 20.0),
                (f.heading_exact, 15.0),
                (f.service, 5.0),
            ] {
                if let Some(q) = self.present_term(field, &whole, boost) {
                    must.push((Occur::Should, q));
                }
            }
        }
        must.push((Occur::Must, access_query(&f, groups)));
        Some(Box::new(BooleanQuery::new(must)))
    }

    /// A boosted term query, or `None` when no document has the term.
    fn present_term(&self, field: Field, text: &str, boost: f32) -> Option<Box<dyn Query>> {
        let term = Term::from_field_text(field, text);
        (self.doc_freq(&term) > 0).then(|| {
            Box::new(BoostQuery::new(
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                boost,
            )) as Box<dyn Query>
        })
    }

    /// Whether the index holds the token or one of its plural forms in any searched field.
    pub(super) fn is_known(&self, token: &str) -> bool {
        if let Some(known) = self.known.borrow().get(token) {
            return *known;
        }
        let f = *self.fields();
        let known = plural_variants(token).iter().any(|variant| {
            weighted_fields(&f)
                .iter()
                .any(|(field, _)| self.doc_freq(&Term::from_field_text(*field, variant)) > 0)
        });
        self.known.borrow_mut().insert(token.to_string(), known);
        known
    }

    /// One typed word: exact and plural forms in every field, a typo-tolerant form when the
    /// index does not know the word, and a prefix form while the word is being typed.
    fn word_query(&self, word: &str, open: bool) -> Option<Box<dyn Query>> {
        let tokens = analyze(word);
        if tokens.len() > 1 {
            return self.tokens_phrase(&tokens);
        }
        let token = tokens.into_iter().next()?;
        let f = *self.fields();
        let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // Only terms the index holds become clauses: each clause costs statistics lookups
        // across segments, and most (variant, field) pairs are absent.
        for variant in plural_variants(&token) {
            for (field, boost) in weighted_fields(&f) {
                let boost = if variant == token { boost } else { boost * 0.8 };
                if let Some(q) = self.present_term(field, &variant, boost) {
                    any.push((Occur::Should, q));
                }
            }
        }
        let known = !any.is_empty();
        self.known.borrow_mut().insert(token.clone(), known);
        let chars = token.chars().count();
        if !known && let Some(distance) = typo_distance(&token) {
            for (field, boost) in weighted_fields(&f).into_iter().take(6) {
                let fuzzy =
                    FuzzyTermQuery::new(Term::from_field_text(field, &token), distance, true);
                any.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(fuzzy), boost * 0.5)),
                ));
            }
        }
        // A word the index knows is probably finished; only an unknown one is expanded as a
        // prefix (expanding `pg` or `latency` would union hundreds of terms for no gain).
        if open && !known && chars >= 2 {
            let fields = weighted_fields(&f);
            let take = if chars >= 4 { 6 } else { 4 };
            for (field, boost) in fields.into_iter().take(take) {
                let prefix =
                    FuzzyTermQuery::new_prefix(Term::from_field_text(field, &token), 0, true);
                any.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(prefix), boost * 0.4)),
                ));
            }
        }
        Some(Box::new(BooleanQuery::new(any)))
    }

    fn phrase_query(&self, phrase: &str) -> Option<Box<dyn Query>> {
        let tokens = analyze(phrase);
        match tokens.len() {
            0 => None,
            1 => self.word_query(phrase, false),
            _ => self.tokens_phrase(&tokens),
        }
    }

    fn tokens_phrase(&self, tokens: &[String]) -> Option<Box<dyn Query>> {
        let f = *self.fields();
        let any = weighted_fields(&f)
            .into_iter()
            .map(|(field, boost)| {
                let terms = tokens
                    .iter()
                    .map(|t| Term::from_field_text(field, t))
                    .collect();
                let q: Box<dyn Query> =
                    Box::new(BoostQuery::new(Box::new(PhraseQuery::new(terms)), boost));
                (Occur::Should, q)
            })
            .collect();
        Some(Box::new(BooleanQuery::new(any)))
    }
}

/// Readable sections: internal ones, and restricted ones shared with one of `groups`.
pub(super) fn access_query(f: &Fields, groups: &[GroupName]) -> Box<dyn Query> {
    let mut any: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Should, term_query(f.visibility, "internal"))];
    for g in groups {
        any.push((Occur::Should, term_query(f.groups, g.as_ref())));
    }
    Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(any)), 0.0))
}

/// `timeout` → timeout, timeouts; `timeouts` → timeouts, timeout; `caches` → caches, cache, cach.
pub(super) fn plural_variants(token: &str) -> Vec<String> {
    let mut v = vec![token.to_string()];
    if token.chars().count() < 3 || token.chars().any(|c| c.is_ascii_digit()) {
        return v;
    }
    if let Some(stem) = token.strip_suffix("es") {
        v.push(stem.to_string());
    }
    if let Some(stem) = token.strip_suffix('s').filter(|s| !s.ends_with('s')) {
        v.push(stem.to_string());
    } else if !token.ends_with('s') {
        v.push(format!("{token}s"));
    }
    v.dedup();
    v
}

/// Edits tolerated in a word the index does not know: none below 4 characters, one up to
/// 8, two beyond.
pub(super) fn typo_distance(token: &str) -> Option<u8> {
    match token.chars().count() {
        0..=3 => None,
        4..=8 => Some(1),
        _ => Some(2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_variants_cover_common_forms() {
        assert_eq!(plural_variants("timeout"), ["timeout", "timeouts"]);
        assert_eq!(plural_variants("timeouts"), ["timeouts", "timeout"]);
        assert_eq!(plural_variants("5xx"), ["5xx"]);
    }

    #[test]
    fn hyphenated_names_analyze_to_their_words() {
        assert_eq!(analyze("checkout-api"), ["checkout", "api"]);
        assert_eq!(analyze("Ça-Va"), ["ca", "va"]);
    }
}
