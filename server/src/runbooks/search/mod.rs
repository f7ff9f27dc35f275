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
use tantivy::query::Bm25StatisticsProvider;
use tantivy::{DocAddress, Searcher, Term};

use super::catalog::{Catalog, Runbook};
use super::index::{Fields, IndexError, RunbookIndex};
use super::names::GroupName;
use super::query::ParsedQuery;
use super::reader_stats::ReaderStats;
use super::snippets::{SnippetText, Snippets};

mod clauses;

use super::terms::{analyze, version_key};
use clauses::{access_query, plural_variants, typo_distance};

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
}
