//! Running a [`ParsedQuery`] against the index, as a given reader.
//!
//! Ranking: BM25 per field with boosts (title, headings and alert names above body text),
//! an extra boost when the whole query is exactly a title, heading or alert name, plural
//! variants, one-typo tolerance for words the index does not know, and prefix matching for
//! the word still being typed. Access control is part of the query itself, so restricted
//! runbooks never reach hits, counts or snippets of readers outside their groups.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    Bm25StatisticsProvider, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur,
    PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, Searcher, Term};

use super::catalog::{Catalog, Runbook};
use super::index::{Fields, IndexError, RunbookIndex};
use super::names::GroupName;
use super::query::ParsedQuery;
use super::reader_stats::ReaderStats;
use super::snippets::{SnippetText, Snippets};
use super::terms::{analyze, term_query, version_key};

/// Sections looked at when grouping by runbook.
const GROUPING_WINDOW: usize = 200;

/// One matching section.
#[derive(Debug, Clone)]
pub struct Hit {
    pub runbook: Arc<Runbook>,
    pub anchor: String,
    pub heading: String,
    pub path: Vec<String>,
    pub snippet: SnippetText,
    pub score: f32,
}

impl Hit {
    /// Where the section lives in the portal.
    pub fn url(&self) -> String {
        if self.anchor.is_empty() {
            format!("/runbooks/{}", self.runbook.stem)
        } else {
            format!("/runbooks/{}#{}", self.runbook.stem, self.anchor)
        }
    }
}

/// A runbook with its best sections.
#[derive(Debug, Clone)]
pub struct HitGroup {
    pub runbook: Arc<Runbook>,
    pub hits: Vec<Hit>,
    /// Further matching sections not in `hits`.
    pub more: usize,
}

/// Sections in score order.
#[derive(Debug, Clone, Default)]
pub struct FlatResults {
    pub hits: Vec<Hit>,
    pub total: usize,
    pub notices: Vec<String>,
}

/// Runbooks in order of their best section.
#[derive(Debug, Clone, Default)]
pub struct GroupedResults {
    pub groups: Vec<HitGroup>,
    pub total: usize,
    pub notices: Vec<String>,
}

/// Total matches, the best (score, address) pairs, and notices.
type Ranked = (usize, Vec<(f32, DocAddress)>, Vec<String>);

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

/// Fast-field columns of one segment.
struct Columns {
    runbook: tantivy::columnar::Column<u64>,
    version: tantivy::columnar::Column<u64>,
    section: tantivy::columnar::Column<u64>,
}

/// Where a hit points: runbook key, file version key, section position.
type HitKey = (u64, u64, u64);

/// Runs searches over one index and the catalog it was built from.
pub struct RunbookSearch<'a> {
    index: &'a RunbookIndex,
    catalog: &'a Catalog,
    searcher: Searcher,
    columns: std::cell::RefCell<HashMap<u32, Columns>>,
    /// Whether the reader's documents hold a token, worked out once per query for both the
    /// query and the snippets.
    known: std::cell::RefCell<HashMap<String, bool>>,
    /// Statistics over what the current reader may read, and whose they are.
    reader: std::cell::RefCell<Option<(Vec<GroupName>, Arc<ReaderStats>)>>,
}

impl<'a> RunbookSearch<'a> {
    pub fn new(index: &'a RunbookIndex, catalog: &'a Catalog) -> Self {
        Self {
            index,
            catalog,
            searcher: index.searcher(),
            columns: Default::default(),
            known: Default::default(),
            reader: Default::default(),
        }
    }

    /// Makes every later statistic (counts, ranks, whether a word is known) about what a
    /// member of `groups` may read.
    fn read_as(&self, groups: &[GroupName]) -> Result<Arc<ReaderStats>, IndexError> {
        if let Some((who, stats)) = self.reader.borrow().as_ref()
            && who.as_slice() == groups
        {
            return Ok(stats.clone());
        }
        let stats = self.index.reader_stats.get(&self.searcher, groups, || {
            access_query(self.fields(), groups)
        })?;
        self.known.borrow_mut().clear();
        *self.reader.borrow_mut() = Some((groups.to_vec(), stats.clone()));
        Ok(stats)
    }

    /// How many documents the current reader may read hold `term`.
    fn doc_freq(&self, term: &Term) -> u64 {
        match self.reader.borrow().as_ref() {
            Some((_, stats)) => stats.doc_freq(term).unwrap_or(0),
            None => 0,
        }
    }

    fn fields(&self) -> &Fields {
        self.index.fields()
    }

    /// The best `limit` sections, each with a snippet.
    pub fn flat(
        &self,
        q: &ParsedQuery,
        groups: &[GroupName],
        limit: usize,
    ) -> Result<FlatResults, IndexError> {
        let Some((total, top, notices)) = self.run(q, groups, limit)? else {
            return Ok(FlatResults {
                notices: self.empty_notices(q),
                ..Default::default()
            });
        };
        let snippets = self.snippets(q)?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            if let Some(hit) = self.load_hit(addr, score, groups, &snippets)? {
                hits.push(hit);
            }
        }
        Ok(FlatResults {
            hits,
            total,
            notices,
        })
    }

    /// Up to `limit` runbooks with up to `per_group` sections each.
    pub fn grouped(
        &self,
        q: &ParsedQuery,
        groups: &[GroupName],
        limit: usize,
        per_group: usize,
    ) -> Result<GroupedResults, IndexError> {
        let Some((total, top, notices)) = self.run(q, groups, GROUPING_WINDOW)? else {
            return Ok(GroupedResults {
                notices: self.empty_notices(q),
                ..Default::default()
            });
        };
        let snippets = self.snippets(q)?;
        // Group addresses by runbook first, from a fast field; load documents only for
        // what is shown.
        let mut order: Vec<u64> = Vec::new();
        let mut by_runbook: HashMap<u64, Vec<(f32, DocAddress)>> = HashMap::new();
        for (score, addr) in top {
            let (key, _, _) = self.key_of(addr)?;
            let entry = by_runbook.entry(key).or_default();
            if entry.is_empty() {
                order.push(key);
            }
            entry.push((score, addr));
        }
        let mut out = Vec::new();
        for key in order.into_iter().take(limit) {
            let found = by_runbook.remove(&key).unwrap_or_default();
            let mut hits = Vec::new();
            for (score, addr) in found.iter().take(per_group) {
                if let Some(hit) = self.load_hit(*addr, *score, groups, &snippets)? {
                    hits.push(hit);
                }
            }
            if let Some(first) = hits.first() {
                let runbook = first.runbook.clone();
                out.push(HitGroup {
                    runbook,
                    more: found.len().saturating_sub(hits.len()),
                    hits,
                });
            }
        }
        Ok(GroupedResults {
            groups: out,
            total,
            notices,
        })
    }

    fn empty_notices(&self, q: &ParsedQuery) -> Vec<String> {
        let mut notices = q.notices.clone();
        if !q.is_empty() {
            notices.push("The query has no searchable words; type a word, a \"phrase\" or a filter like service:checkout-api.".into());
        }
        notices
    }

    /// Builds and runs the query: the total, the best `limit` sections and the notices;
    /// `None` when there is nothing to search for.
    fn run(
        &self,
        q: &ParsedQuery,
        groups: &[GroupName],
        limit: usize,
    ) -> Result<Option<Ranked>, IndexError> {
        let mut notices = q.notices.clone();
        let stats = self.read_as(groups)?;
        let Some(query) = self.build(q, groups, true) else {
            return Ok(None);
        };
        let collector = (TopDocs::with_limit(limit.max(1)).order_by_score(), Count);
        let (mut top, mut total) =
            self.searcher
                .search_with_statistics_provider(&query, &collector, stats.as_ref())?;
        let several = q.words.len() + q.phrases.len() > 1;
        if total == 0
            && several
            && let Some(any) = self.build(q, groups, false)
        {
            let (t, n) =
                self.searcher
                    .search_with_statistics_provider(&any, &collector, stats.as_ref())?;
            if n > 0 {
                notices.push(
                    "No section matched every word; showing sections that match some of them."
                        .into(),
                );
                top = t;
                total = n;
            }
        }
        Ok(Some((total, top, notices)))
    }

    /// The runbook, version and section a document stands for, from fast fields.
    fn key_of(&self, addr: DocAddress) -> Result<HitKey, IndexError> {
        let mut columns = self.columns.borrow_mut();
        let cols = match columns.entry(addr.segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let fast = self.searcher.segment_reader(addr.segment_ord).fast_fields();
                e.insert(Columns {
                    runbook: fast.u64("runbook_key")?,
                    version: fast.u64("version_key")?,
                    section: fast.u64("section_ord")?,
                })
            }
        };
        let get = |c: &tantivy::columnar::Column<u64>| c.first(addr.doc_id).unwrap_or_default();
        Ok((get(&cols.runbook), get(&cols.version), get(&cols.section)))
    }

    /// A hit read from the in-memory catalog; `None` if the reader may not see it or the
    /// index is a moment ahead of the catalog.
    fn load_hit(
        &self,
        addr: DocAddress,
        score: f32,
        groups: &[GroupName],
        snippets: &Snippets,
    ) -> Result<Option<Hit>, IndexError> {
        let (key, version, ord) = self.key_of(addr)?;
        // The catalog is the source of truth for access; the index query already filtered,
        // this guards against an index that lags a permission change.
        let Some(runbook) = self
            .catalog
            .keys
            .get(&key)
            .filter(|rb| rb.readable_by(groups))
        else {
            return Ok(None);
        };
        if version_key(&runbook.hash) != version {
            return Ok(None);
        }
        let Some(section) = usize::try_from(ord)
            .ok()
            .and_then(|i| runbook.sections.get(i))
        else {
            return Ok(None);
        };
        Ok(Some(Hit {
            runbook: runbook.clone(),
            anchor: section.anchor.clone(),
            heading: section.heading.clone(),
            path: section.path.clone(),
            snippet: snippets.for_section(&section.text, &section.code),
            score,
        }))
    }

    /// The whole query, or `None` if there is nothing to search for.
    fn build(
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
    fn is_known(&self, token: &str) -> bool {
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

    /// Snippet generators for this query; words the index does not know are highlighted
    /// where a close spelling appears.
    fn snippets(&self, q: &ParsedQuery) -> Result<Snippets, IndexError> {
        let mut tokens: Vec<String> = Vec::new();
        let mut unknown = Vec::new();
        let mut prefix = None;
        let last = q.words.len().saturating_sub(1);
        for (i, text) in q.words.iter().chain(q.phrases.iter()).enumerate() {
            for t in analyze(text) {
                let known = self.is_known(&t);
                if let Some(d) = typo_distance(&t).filter(|_| !known) {
                    unknown.push((t.clone(), d));
                }
                if !known
                    && i == last
                    && q.last_word_open
                    && q.phrases.is_empty()
                    && t.chars().count() >= 2
                {
                    prefix = Some(t.clone());
                }
                tokens.extend(plural_variants(&t));
            }
        }
        Snippets::new(&self.searcher, self.fields(), tokens, unknown, prefix)
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
fn access_query(f: &Fields, groups: &[GroupName]) -> Box<dyn Query> {
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
