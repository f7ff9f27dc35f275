//! BM25 statistics over what one reader may read. With the index's own statistics, the rank
//! of a readable section (and whether a word counts as known, which decides typo and prefix
//! expansion) would depend on words in restricted runbooks: a reader could learn that a word
//! occurs in a runbook they cannot open. Everything search computes goes through these.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Query};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, DocSet, Searcher, TERMINATED, Term};

use super::names::GroupName;

/// Distinct readers (group sets) whose statistics are kept per index version.
const READERS_KEPT: usize = 64;
/// Term counts kept per reader; past this they are counted again each time.
const TERMS_KEPT: usize = 50_000;

/// Statistics of the documents `access` lets through.
pub struct ReaderStats {
    searcher: Searcher,
    /// Readable documents per segment; `None` when the reader may read every document and the
    /// index's own statistics are already theirs.
    readable: Option<Vec<BitSet>>,
    num_docs: u64,
    tokens: Mutex<HashMap<Field, u64>>,
    doc_freqs: Mutex<HashMap<Term, u64>>,
}

/// Statistics per reader for the index version they were computed on: building them costs a
/// pass over the readable documents, so it is done once per group set until the index changes.
#[derive(Default)]
pub struct ReaderStatsCache {
    inner: Mutex<Kept>,
}

/// The index version (searcher generation) and the statistics kept for it, by group set.
type Kept = (u64, HashMap<Vec<GroupName>, Arc<ReaderStats>>);

impl ReaderStatsCache {
    /// The statistics of a member of `groups` on `searcher`'s version of the index.
    pub fn get(
        &self,
        searcher: &Searcher,
        groups: &[GroupName],
        access: impl FnOnce() -> Box<dyn Query>,
    ) -> tantivy::Result<Arc<ReaderStats>> {
        let generation = searcher.generation().generation_id();
        let mut key = groups.to_vec();
        key.sort();
        key.dedup();
        if let Ok(guard) = self.inner.lock()
            && guard.0 == generation
            && let Some(stats) = guard.1.get(&key)
        {
            return Ok(stats.clone());
        }
        let stats = Arc::new(ReaderStats::new(searcher, access().as_ref())?);
        if let Ok(mut guard) = self.inner.lock() {
            if guard.0 != generation || guard.1.len() >= READERS_KEPT {
                *guard = (generation, HashMap::new());
            }
            guard.1.insert(key, stats.clone());
        }
        Ok(stats)
    }
}

impl ReaderStats {
    /// One pass over the documents `access` matches (linear in the index, once per search).
    pub fn new(searcher: &Searcher, access: &dyn Query) -> tantivy::Result<Self> {
        let weight = access.weight(EnableScoring::disabled_from_searcher(searcher))?;
        let mut readable = Vec::with_capacity(searcher.segment_readers().len());
        let mut num_docs = 0u64;
        for reader in searcher.segment_readers() {
            let mut set = BitSet::with_max_value(reader.max_doc());
            let alive = reader.alive_bitset();
            weight.for_each_no_score(reader, &mut |docs| {
                for &doc in docs {
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        set.insert(doc);
                        num_docs += 1;
                    }
                }
            })?;
            readable.push(set);
        }
        let everything = num_docs == searcher.num_docs();
        Ok(Self {
            searcher: searcher.clone(),
            readable: (!everything).then_some(readable),
            num_docs,
            tokens: Mutex::default(),
            doc_freqs: Mutex::default(),
        })
    }
}

impl Bm25StatisticsProvider for ReaderStats {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let Some(readable) = &self.readable else {
            return self.searcher.total_num_tokens(field);
        };
        if let Some(n) = self.tokens.lock().ok().and_then(|t| t.get(&field).copied()) {
            return Ok(n);
        }
        let mut total = 0u64;
        for (reader, set) in self.searcher.segment_readers().iter().zip(readable) {
            let norms = reader.get_fieldnorms_reader(field)?;
            for doc in 0..reader.max_doc() {
                if set.contains(doc) {
                    total += u64::from(norms.fieldnorm(doc));
                }
            }
        }
        if let Ok(mut tokens) = self.tokens.lock() {
            tokens.insert(field, total);
        }
        Ok(total)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.num_docs)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let Some(readable) = &self.readable else {
            return self.searcher.doc_freq(term);
        };
        if let Some(n) = self
            .doc_freqs
            .lock()
            .ok()
            .and_then(|d| d.get(term).copied())
        {
            return Ok(n);
        }
        let mut count = 0u64;
        for (reader, set) in self.searcher.segment_readers().iter().zip(readable) {
            let inverted = reader.inverted_index(term.field())?;
            if let Some(mut postings) = inverted.read_postings(term, IndexRecordOption::Basic)? {
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    count += u64::from(set.contains(doc));
                    doc = postings.advance();
                }
            }
        }
        if let Ok(mut counts) = self.doc_freqs.lock()
            && counts.len() < TERMS_KEPT
        {
            counts.insert(term.clone(), count);
        }
        Ok(count)
    }
}
