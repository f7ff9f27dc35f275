//! Loading the runbook directory: every `*.md` file parsed into a [`Runbook`], every file
//! that cannot be used reported as a [`FileProblem`] (file, line, reason) and skipped.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use super::document::{self, Section};
use super::front_matter::{self, FrontMatter};
use super::names::{GroupName, RunbookStem};

/// Runbooks not reviewed for this many days are flagged.
pub const STALE_AFTER_DAYS: i64 = 90;

/// Largest runbook file accepted, so one runaway file cannot exhaust memory.
pub const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;

/// One parsed runbook, ready to index and render.
#[derive(Debug)]
pub struct Runbook {
    pub stem: RunbookStem,
    /// Path relative to the runbooks directory, for messages.
    pub file: String,
    pub meta: FrontMatter,
    pub sections: Vec<Section>,
    pub html: String,
    /// SHA-256 of the file's bytes; what "changed since the last run" compares.
    pub hash: String,
}

impl Runbook {
    /// Builds a runbook from a file's text. `file` is only used in messages.
    pub fn parse(stem: RunbookStem, file: &str, text: &str) -> Result<Self, FileProblem> {
        let (meta, body, body_line) = front_matter::split(text).map_err(|e| FileProblem {
            file: file.to_string(),
            line: e.line,
            reason: e.reason,
        })?;
        let doc = document::parse(body, &meta.title).map_err(|e| FileProblem {
            file: file.to_string(),
            line: Some(body_line + e.line - 1),
            reason: e.to_string(),
        })?;
        Ok(Self {
            stem,
            file: file.to_string(),
            sections: doc.sections,
            html: doc.html,
            hash: content_hash(text.as_bytes()),
            meta,
        })
    }

    /// Whether members of `groups` may read this runbook (any signed-in user may read internal ones).
    pub fn readable_by(&self, groups: &[GroupName]) -> bool {
        crate::auth::authz::runbook_visible(groups, &self.meta.visibility)
    }

    pub fn days_since_review(&self, today: NaiveDate) -> i64 {
        (today - self.meta.last_reviewed).num_days()
    }

    pub fn is_stale(&self, today: NaiveDate) -> bool {
        self.days_since_review(today) > STALE_AFTER_DAYS
    }

    /// The section an alert should land on: the heading named like the alert, else the
    /// `Alerts` section, else the top of the runbook.
    pub fn section_for_alert(&self, alert_key: &str) -> &str {
        let by_heading = self
            .sections
            .iter()
            .find(|s| s.heading.to_ascii_lowercase() == alert_key);
        let mentions = || {
            self.sections
                .iter()
                .filter(|s| s.level > 1)
                .find(|s| s.heading.to_ascii_lowercase().contains(alert_key))
        };
        let alerts = || {
            self.sections
                .iter()
                .find(|s| s.heading.eq_ignore_ascii_case("alerts"))
        };
        by_heading
            .or_else(mentions)
            .or_else(alerts)
            .map(|s| s.anchor.as_str())
            .unwrap_or("")
    }
}

/// A runbook file that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub file: String,
    pub line: Option<usize>,
    pub reason: String,
}

/// SHA-256 hex of a file's bytes.
pub fn content_hash(bytes: &[u8]) -> String {
    crate::hashing::sha256_hex(bytes)
}

/// Every runbook in a directory, and the files that failed.
#[derive(Debug, Default)]
pub struct Catalog {
    pub runbooks: BTreeMap<RunbookStem, Arc<Runbook>>,
    pub problems: Vec<FileProblem>,
    /// Lower-cased alert name → runbooks that list it.
    pub alerts: HashMap<String, Vec<RunbookStem>>,
    /// [`runbook_key`](super::terms::runbook_key) → runbook, to resolve search hits.
    pub keys: HashMap<u64, Arc<Runbook>>,
}

impl Catalog {
    /// Reads `dir` recursively (hidden entries skipped). Reuses runbooks from `previous` whose
    /// file did not change, so a reload after one edit parses one file.
    pub fn load(dir: &Path, previous: Option<&Catalog>) -> std::io::Result<Self> {
        let mut files = Vec::new();
        collect_markdown(dir, &mut files)?;
        files.sort();
        let mut catalog = Catalog::default();
        let mut paths: HashMap<RunbookStem, String> = HashMap::new();
        for path in files {
            let rel = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .into_owned();
            match load_file(&path, &rel, previous) {
                Ok(runbook) => {
                    if let Some(first) = paths.get(&runbook.stem) {
                        catalog.problems.push(FileProblem {
                            file: rel,
                            line: None,
                            reason: format!("another file, {first}, already uses the id `{}`: rename one of them", runbook.stem),
                        });
                        continue;
                    }
                    paths.insert(runbook.stem.clone(), rel);
                    catalog.runbooks.insert(runbook.stem.clone(), runbook);
                }
                Err(problem) => catalog.problems.push(problem),
            }
        }
        catalog.index_lookups();
        Ok(catalog)
    }

    /// Builds a catalog from runbooks already in memory (tests, benchmarks).
    pub fn from_runbooks(runbooks: impl IntoIterator<Item = Runbook>) -> Self {
        let mut catalog = Catalog::default();
        for rb in runbooks {
            catalog.runbooks.insert(rb.stem.clone(), Arc::new(rb));
        }
        catalog.index_lookups();
        catalog
    }

    fn index_lookups(&mut self) {
        self.alerts.clear();
        self.keys.clear();
        for rb in self.runbooks.values() {
            self.keys
                .insert(super::terms::runbook_key(rb.stem.as_ref()), rb.clone());
            for alert in &rb.meta.alerts {
                self.alerts
                    .entry(alert.key())
                    .or_default()
                    .push(rb.stem.clone());
            }
        }
    }

    pub fn get(&self, stem: &str) -> Option<&Arc<Runbook>> {
        let stem = RunbookStem::parse(stem).ok()?;
        self.runbooks.get(&stem)
    }

    pub fn section_count(&self) -> usize {
        self.runbooks.values().map(|r| r.sections.len()).sum()
    }
}

fn collect_markdown(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect_markdown(&path, out)?;
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    Ok(())
}

fn load_file(
    path: &Path,
    rel: &str,
    previous: Option<&Catalog>,
) -> Result<Arc<Runbook>, FileProblem> {
    let problem = |line: Option<usize>, reason: String| FileProblem {
        file: rel.to_string(),
        line,
        reason,
    };
    let stem_text = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = RunbookStem::parse(&stem_text).map_err(|e| problem(None, e.to_string()))?;
    let size = std::fs::metadata(path)
        .map_err(|e| problem(None, format!("cannot read the file: {e}")))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(problem(
            None,
            format!("file is {size} bytes; the limit is {MAX_FILE_BYTES}: split the runbook"),
        ));
    }
    let bytes =
        std::fs::read(path).map_err(|e| problem(None, format!("cannot read the file: {e}")))?;
    let hash = content_hash(&bytes);
    if let Some(old) = previous
        .and_then(|p| p.runbooks.get(&stem))
        .filter(|r| r.hash == hash && r.file == rel)
    {
        return Ok(old.clone());
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        problem(
            Some(line),
            "the file is not valid UTF-8: save it as UTF-8".to_string(),
        )
    })?;
    Runbook::parse(stem, rel, &text).map(Arc::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, body: &[u8]) {
        std::fs::write(dir.join(name), body).expect("write");
    }

    const OK: &str = "---\ntitle: Good\nservice: svc\nowners: [team-a]\nalerts: [SvcDown]\nvisibility: internal\nlast_reviewed: 2026-01-01\n---\n# Good\n## Alerts\n### SvcDown\nx\n";

    #[test]
    fn bad_files_are_reported_and_the_rest_loaded() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "good.md", OK.as_bytes());
        write(
            dir.path(),
            "broken.md",
            b"---\ntitle: [unclosed\n---\n# x\n",
        );
        write(dir.path(), "latin1.md", b"---\ntitle: ok\n\xe9t\xe9\n---\n");
        write(dir.path(), "notes.txt", b"ignored");
        // Nesting that would make the HTML sanitizer's parser slow: refused with its file line.
        let deep = OK.replace("\nx\n", &format!("\nx\n\n{}deep\n", "> - ".repeat(300)));
        write(dir.path(), "deep.md", deep.as_bytes());
        let catalog = Catalog::load(dir.path(), None).expect("load");
        assert_eq!(catalog.runbooks.len(), 1);
        let mut files: Vec<_> = catalog.problems.iter().map(|p| p.file.as_str()).collect();
        files.sort();
        assert_eq!(files, ["broken.md", "deep.md", "latin1.md"]);
        let deep = catalog.problems.iter().find(|p| p.file == "deep.md");
        let deep = deep.expect("deep");
        assert_eq!(deep.line, Some(14), "{deep:?}");
        assert!(deep.reason.contains("nested more than 128"), "{deep:?}");
        let latin = catalog
            .problems
            .iter()
            .find(|p| p.file == "latin1.md")
            .expect("latin1");
        assert_eq!(latin.line, Some(3));
        assert!(latin.reason.contains("UTF-8"));
    }

    #[test]
    fn alerts_map_to_their_own_heading() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "good.md", OK.as_bytes());
        let catalog = Catalog::load(dir.path(), None).expect("load");
        let rb = catalog.get("good").expect("good");
        assert_eq!(rb.section_for_alert("svcdown"), "svcdown");
        assert_eq!(catalog.alerts["svcdown"][0].as_ref(), "good");
    }

    #[test]
    fn unchanged_files_are_reused_on_reload() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "good.md", OK.as_bytes());
        let first = Catalog::load(dir.path(), None).expect("load");
        let second = Catalog::load(dir.path(), Some(&first)).expect("reload");
        assert!(Arc::ptr_eq(
            first.get("good").expect("a"),
            second.get("good").expect("b")
        ));
    }
}
