//! The tantivy index of runbook sections: schema, analyzers, and incremental updates.
//!
//! One [`RunbookIndex`] per process holds the only `IndexWriter` and `IndexReader`; searches
//! take a fresh `Searcher` each. A manifest beside the index records the hash of every
//! indexed file, so a restart re-indexes only what changed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use super::catalog::{Catalog, Runbook};
use super::front_matter::Visibility;
use super::terms::{TEXT_ANALYZER, runbook_key, split_camel, text_analyzer, version_key};

/// Bump when the schema or analyzers change: the index is then rebuilt at start.
const SCHEMA_VERSION: u32 = 3;
const MANIFEST: &str = "gatehouse-manifest.json";

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("cannot use the index directory {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the index writer lock is poisoned")]
    Poisoned,
}

/// Handles of every field, resolved once.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub runbook: Field,
    /// [`runbook_key`] of the runbook, as a fast field for cheap grouping.
    pub runbook_key: Field,
    /// [`version_key`] of the file the section came from.
    pub version_key: Field,
    /// Position of the section in its runbook: hits are read from the in-memory catalog,
    /// never from the document store.
    pub section_ord: Field,
    pub title: Field,
    pub heading: Field,
    pub path: Field,
    pub body: Field,
    pub code: Field,
    pub service: Field,
    pub service_text: Field,
    pub tags: Field,
    pub tags_text: Field,
    pub alerts: Field,
    pub alerts_text: Field,
    pub owners_text: Field,
    pub visibility: Field,
    pub groups: Field,
    pub title_exact: Field,
    pub heading_exact: Field,
}

fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(TEXT_ANALYZER)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let text = TextOptions::default().set_indexing_options(indexing.clone());
    let fields = Fields {
        runbook: b.add_text_field("runbook", STRING),
        runbook_key: b.add_u64_field("runbook_key", FAST),
        version_key: b.add_u64_field("version_key", FAST),
        section_ord: b.add_u64_field("section_ord", FAST),
        title: b.add_text_field("title", text.clone()),
        heading: b.add_text_field("heading", text.clone()),
        path: b.add_text_field("path", text.clone()),
        body: b.add_text_field("body", text.clone()),
        code: b.add_text_field("code", text.clone()),
        service: b.add_text_field("service", STRING),
        service_text: b.add_text_field("service_text", text.clone()),
        tags: b.add_text_field("tags", STRING),
        tags_text: b.add_text_field("tags_text", text.clone()),
        alerts: b.add_text_field("alerts", STRING),
        alerts_text: b.add_text_field("alerts_text", text.clone()),
        owners_text: b.add_text_field("owners_text", text),
        visibility: b.add_text_field("visibility", STRING),
        groups: b.add_text_field("groups", STRING),
        title_exact: b.add_text_field("title_exact", STRING),
        heading_exact: b.add_text_field("heading_exact", STRING),
    };
    (b.build(), fields)
}

#[derive(Serialize, Deserialize, Default)]
struct Manifest {
    schema: u32,
    files: BTreeMap<String, String>,
}

/// What one synchronisation changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SyncStats {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
}

impl SyncStats {
    pub fn changed(&self) -> bool {
        self.added + self.updated + self.removed > 0
    }
}

struct WriterState {
    writer: IndexWriter,
    manifest: Manifest,
}

/// The section index.
pub struct RunbookIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    state: Mutex<WriterState>,
    dir: Option<PathBuf>,
    /// Search statistics per reader (see [`super::reader_stats`]).
    pub(super) reader_stats: super::reader_stats::ReaderStatsCache,
}

const WRITER_HEAP: usize = 64 * 1024 * 1024;

impl RunbookIndex {
    /// Opens the index in `dir`, creating or rebuilding it when missing, unreadable or of an
    /// older schema.
    pub fn open(dir: &Path) -> Result<Self, IndexError> {
        let io = |source| IndexError::Io {
            path: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let (schema, fields) = build_schema();
        let manifest: Option<Manifest> = std::fs::read(dir.join(MANIFEST))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .filter(|m: &Manifest| m.schema == SCHEMA_VERSION);
        let existing = match &manifest {
            Some(_) => Index::open_in_dir(dir)
                .ok()
                .filter(|i| i.schema() == schema),
            None => None,
        };
        let (index, manifest) = match existing {
            Some(index) => (index, manifest.unwrap_or_default()),
            None => {
                tracing::info!(dir = %dir.display(), "creating a fresh runbook index");
                for entry in std::fs::read_dir(dir).map_err(io)? {
                    let path = entry.map_err(io)?.path();
                    if path.is_file() {
                        std::fs::remove_file(&path).map_err(io)?;
                    }
                }
                (
                    Index::create_in_dir(dir, schema)?,
                    Manifest {
                        schema: SCHEMA_VERSION,
                        ..Default::default()
                    },
                )
            }
        };
        Self::from_index(index, fields, manifest, Some(dir.to_path_buf()))
    }

    /// An index in memory, for the command line, tests and benchmarks.
    pub fn in_ram() -> Result<Self, IndexError> {
        let (schema, fields) = build_schema();
        let index = Index::create_in_ram(schema);
        Self::from_index(
            index,
            fields,
            Manifest {
                schema: SCHEMA_VERSION,
                ..Default::default()
            },
            None,
        )
    }

    fn from_index(
        index: Index,
        fields: Fields,
        manifest: Manifest,
        dir: Option<PathBuf>,
    ) -> Result<Self, IndexError> {
        index.tokenizers().register(TEXT_ANALYZER, text_analyzer());
        let writer = index.writer(WRITER_HEAP)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            index,
            reader,
            fields,
            state: Mutex::new(WriterState { writer, manifest }),
            dir,
            reader_stats: Default::default(),
        })
    }

    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    pub fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// Number of indexed sections.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Bytes the index occupies on disk (0 in memory).
    pub fn size_bytes(&self) -> u64 {
        let Some(dir) = &self.dir else { return 0 };
        std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .flatten()
                    .filter_map(|e| e.metadata().ok())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
    }

    /// Brings the index in line with `catalog`: removes runbooks that are gone, re-indexes
    /// those whose file hash changed, adds new ones. Blocking; call on a blocking thread.
    pub fn sync(&self, catalog: &Catalog) -> Result<SyncStats, IndexError> {
        let mut state = self.state.lock().map_err(|_| IndexError::Poisoned)?;
        let mut stats = SyncStats::default();
        let stale: Vec<String> = state
            .manifest
            .files
            .keys()
            .filter(|stem| catalog.get(stem).is_none())
            .cloned()
            .collect();
        for stem in stale {
            state
                .writer
                .delete_term(Term::from_field_text(self.fields.runbook, &stem));
            state.manifest.files.remove(&stem);
            stats.removed += 1;
        }
        for runbook in catalog.runbooks.values() {
            let stem = runbook.stem.as_ref();
            match state.manifest.files.get(stem) {
                Some(hash) if *hash == runbook.hash => continue,
                Some(_) => {
                    state
                        .writer
                        .delete_term(Term::from_field_text(self.fields.runbook, stem));
                    stats.updated += 1;
                }
                None => stats.added += 1,
            }
            for doc in self.documents(runbook) {
                state.writer.add_document(doc)?;
            }
            state
                .manifest
                .files
                .insert(stem.to_string(), runbook.hash.clone());
        }
        if stats.changed() {
            state.writer.commit()?;
            self.reader.reload()?;
            if let Some(dir) = &self.dir {
                let tmp = dir.join(format!("{MANIFEST}.tmp"));
                let io = |source| IndexError::Io {
                    path: dir.clone(),
                    source,
                };
                let bytes = serde_json::to_vec(&state.manifest).unwrap_or_default();
                std::fs::write(&tmp, bytes).map_err(io)?;
                std::fs::rename(&tmp, dir.join(MANIFEST)).map_err(io)?;
            }
        }
        Ok(stats)
    }

    fn documents(&self, rb: &Runbook) -> Vec<TantivyDocument> {
        let f = &self.fields;
        let meta = &rb.meta;
        let alerts_text: Vec<String> = meta
            .alerts
            .iter()
            .map(|a| split_camel(a.as_ref()))
            .collect();
        let alerts_text = alerts_text.join(" ");
        let owners: Vec<&str> = meta.owners.iter().map(|o| o.as_ref()).collect();
        let owners = owners.join(" ");
        let version = version_key(&rb.hash);
        rb.sections
            .iter()
            .enumerate()
            .map(|(ord, section)| {
                let mut d = TantivyDocument::new();
                d.add_text(f.runbook, rb.stem.as_ref());
                d.add_u64(f.runbook_key, runbook_key(rb.stem.as_ref()));
                d.add_u64(f.version_key, version);
                d.add_u64(f.section_ord, ord as u64);
                d.add_text(f.title, &meta.title);
                d.add_text(f.title_exact, meta.title.to_lowercase());
                d.add_text(f.heading, &section.heading);
                d.add_text(f.heading_exact, section.heading.to_lowercase());
                d.add_text(f.path, section.path.join(" "));
                d.add_text(f.body, &section.text);
                d.add_text(f.code, &section.code);
                d.add_text(f.service, meta.service.as_ref());
                d.add_text(f.service_text, meta.service.as_ref());
                for tag in &meta.tags {
                    d.add_text(f.tags, tag);
                }
                d.add_text(f.tags_text, meta.tags.join(" "));
                for alert in &meta.alerts {
                    d.add_text(f.alerts, alert.key());
                }
                d.add_text(f.alerts_text, &alerts_text);
                d.add_text(f.owners_text, &owners);
                match &meta.visibility {
                    Visibility::Internal => d.add_text(f.visibility, "internal"),
                    Visibility::Restricted(groups) => {
                        d.add_text(f.visibility, "restricted");
                        for g in groups {
                            d.add_text(f.groups, g.as_ref());
                        }
                    }
                }
                d
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbooks::names::RunbookStem;

    fn runbook(stem: &str, title: &str) -> Runbook {
        let text = format!(
            "---\ntitle: {title}\nservice: svc\nowners: [team-a]\nvisibility: internal\nlast_reviewed: 2026-01-01\n---\n# {title}\n## One\nbody\n"
        );
        Runbook::parse(RunbookStem::parse(stem).expect("stem"), stem, &text).expect("parses")
    }

    #[test]
    fn a_restart_reindexes_only_what_changed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = Catalog::from_runbooks([runbook("a", "Alpha"), runbook("b", "Beta")]);
        let index = RunbookIndex::open(dir.path()).expect("open");
        assert_eq!(
            index.sync(&first).expect("sync"),
            SyncStats {
                added: 2,
                updated: 0,
                removed: 0
            }
        );
        assert_eq!(index.num_docs(), 4);
        drop(index);

        let reopened = RunbookIndex::open(dir.path()).expect("reopen");
        assert_eq!(reopened.num_docs(), 4, "the index survives a restart");
        assert_eq!(
            reopened.sync(&first).expect("sync"),
            SyncStats::default(),
            "nothing changed"
        );
        let second = Catalog::from_runbooks([runbook("a", "Alpha two"), runbook("c", "Gamma")]);
        assert_eq!(
            reopened.sync(&second).expect("sync"),
            SyncStats {
                added: 1,
                updated: 1,
                removed: 1
            }
        );
        assert_eq!(reopened.num_docs(), 4);
    }

    #[test]
    fn camel_case_alert_names_split_into_words() {
        assert_eq!(
            split_camel("CheckoutApiHighLatency"),
            "CheckoutApiHighLatency Checkout Api High Latency"
        );
        assert_eq!(
            split_camel("CheckoutApi5xxRate"),
            "CheckoutApi5xxRate Checkout Api5xx Rate"
        );
        assert_eq!(
            split_camel("TLSCertExpiring"),
            "TLSCertExpiring TLS Cert Expiring"
        );
    }
}
