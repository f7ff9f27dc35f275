//! The template catalog: versioned templates the server loads from files at start
//! (`server/catalog/<id>/template.yaml` and the files it renders). A template that fails
//! to load is reported with its file and reason; the others still load.

pub mod params;
pub mod render;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use params::{Param, RawParam};

/// The manifest's file name in each template directory.
pub const MANIFEST: &str = "template.yaml";

/// What a template produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// CI/CD pipeline files for a repository.
    Pipeline,
    /// A non-production sandbox environment (quota, TTL, expiry).
    Sandbox,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Pipeline => "pipeline",
            Kind::Sandbox => "sandbox",
        }
    }
}

/// How a sandbox template's parameters map onto quotas: which parameter holds the size
/// (and how many units each size counts) and which holds the time to live in hours.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SandboxSpec {
    pub size_param: String,
    pub ttl_param: String,
    pub units: BTreeMap<String, u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    id: String,
    version: String,
    title: String,
    description: String,
    kind: Kind,
    owners: Vec<String>,
    tier: u8,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    parameters: Vec<RawParam>,
    files: Vec<RawFile>,
    sandbox: Option<SandboxSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    /// The output path (may use parameters).
    path: String,
    /// The template source, relative to the template's directory.
    source: String,
}

/// One file a template renders.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    pub path: String,
    pub source: String,
    pub text: String,
}

/// A loaded, checked template.
#[derive(Debug, Clone)]
pub struct Template {
    pub id: String,
    pub version: String,
    pub title: String,
    pub description: String,
    pub kind: Kind,
    pub owners: Vec<String>,
    /// The base risk tier: 3 low, 2, 1 high. Policy may escalate it.
    pub tier: u8,
    pub tags: Vec<String>,
    pub params: Vec<Param>,
    pub files: Vec<TemplateFile>,
    pub sandbox: Option<SandboxSpec>,
    /// SHA-256 over the manifest and every source, recorded in provenance.
    pub digest: String,
}

/// A template that did not load, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LoadProblem {
    pub file: String,
    pub reason: String,
}

/// Every template that loaded, by id, and what did not.
#[derive(Debug, Default)]
pub struct Catalog {
    pub templates: BTreeMap<String, Arc<Template>>,
    pub problems: Vec<LoadProblem>,
}

impl Catalog {
    /// Loads every `<dir>/*/template.yaml`. A missing directory is an error (the setting is
    /// wrong); a bad template is a problem and the rest load.
    pub fn load(dir: &Path) -> std::io::Result<Self> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect();
        entries.sort();
        let mut catalog = Catalog::default();
        for template_dir in entries {
            let manifest = template_dir.join(MANIFEST);
            if !manifest.is_file() {
                continue;
            }
            // Shown to everyone: relative to the catalog, not the server's file system.
            let shown = manifest
                .strip_prefix(dir)
                .unwrap_or(&manifest)
                .display()
                .to_string();
            match load_template(&template_dir) {
                Ok(t) if catalog.templates.contains_key(&t.id) => {
                    catalog.problems.push(LoadProblem {
                        file: shown,
                        reason: format!(
                            "template id `{}` is already used by another template",
                            t.id
                        ),
                    })
                }
                Ok(t) => {
                    catalog.templates.insert(t.id.clone(), Arc::new(t));
                }
                Err(reason) => catalog.problems.push(LoadProblem {
                    file: shown,
                    reason,
                }),
            }
        }
        for problem in &catalog.problems {
            tracing::warn!(file = %problem.file, reason = %problem.reason, "template not loaded");
        }
        Ok(catalog)
    }

    pub fn get(&self, id: &str) -> Option<&Arc<Template>> {
        self.templates.get(id)
    }
}

fn load_template(dir: &Path) -> Result<Template, String> {
    let manifest_text = std::fs::read_to_string(dir.join(MANIFEST)).map_err(|e| e.to_string())?;
    let raw: RawManifest =
        serde_yaml_ng::from_str(&manifest_text).map_err(|e| match e.location() {
            Some(at) => format!("line {}: {e}", at.line()),
            None => e.to_string(),
        })?;
    let id_ok = (3..=60).contains(&raw.id.len())
        && raw.id.starts_with(|c: char| c.is_ascii_lowercase())
        && raw
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !id_ok {
        return Err(format!(
            "id `{}` must be 3 to 60 lowercase letters, digits and dashes, starting with a letter",
            raw.id
        ));
    }
    if !is_semver(&raw.version) {
        return Err(format!(
            "version `{}` must be MAJOR.MINOR.PATCH, like 1.2.0",
            raw.version
        ));
    }
    if !(1..=3).contains(&raw.tier) {
        return Err(format!(
            "tier {} must be 1 (high risk), 2 or 3 (low risk)",
            raw.tier
        ));
    }
    if raw.owners.is_empty() {
        return Err("owners must name at least one team (group), like [team-platform]".into());
    }
    if raw.title.trim().is_empty() || raw.description.trim().is_empty() {
        return Err("title and description must not be empty".into());
    }
    let mut params = Vec::with_capacity(raw.parameters.len());
    for p in raw.parameters {
        let p = p.check()?;
        if params.iter().any(|q: &Param| q.name == p.name) {
            return Err(format!("parameter `{}` is declared twice", p.name));
        }
        params.push(p);
    }
    match (&raw.kind, &raw.sandbox) {
        (Kind::Sandbox, None) => {
            return Err(
                "a sandbox template needs `sandbox: {size_param, ttl_param, units}`".into(),
            );
        }
        (Kind::Pipeline, Some(_)) => return Err("`sandbox` applies only to kind: sandbox".into()),
        (Kind::Sandbox, Some(spec)) => check_sandbox(spec, &params)?,
        (Kind::Pipeline, None) => {}
    }
    if raw.files.is_empty() {
        return Err("files must list at least one file to render".into());
    }
    let env = render::environment();
    let mut hasher = Sha256::new();
    hasher.update(manifest_text.as_bytes());
    let mut files = Vec::with_capacity(raw.files.len());
    for f in raw.files {
        if f.source.contains("..") || f.source.starts_with('/') {
            return Err(format!(
                "source `{}` must be a path inside the template's directory",
                f.source
            ));
        }
        let text = std::fs::read_to_string(dir.join(&f.source))
            .map_err(|e| format!("source `{}`: {e}", f.source))?;
        // Syntax errors are found now, with their line, not at someone's first request.
        env.template_from_named_str(&f.source, &text)
            .map_err(|e| match e.line() {
                Some(line) => format!(
                    "{}, line {line}: {}",
                    f.source,
                    e.detail().unwrap_or(&e.to_string())
                ),
                None => format!("{}: {e}", f.source),
            })?;
        hasher.update([0]);
        hasher.update(f.source.as_bytes());
        hasher.update([0]);
        hasher.update(text.as_bytes());
        files.push(TemplateFile {
            path: f.path,
            source: f.source,
            text,
        });
    }
    let template = Template {
        id: raw.id,
        version: raw.version,
        title: raw.title.trim().to_string(),
        description: raw.description.trim().to_string(),
        kind: raw.kind,
        owners: raw.owners,
        tier: raw.tier,
        tags: raw.tags,
        params,
        files,
        sandbox: raw.sandbox,
        digest: hex::encode(hasher.finalize()),
    };
    // The defaults (and examples for required values) must render, so a template that
    // cannot work is caught at load.
    let sample: params::Values = template
        .params
        .iter()
        .map(|p| {
            let v = p
                .default
                .clone()
                .or_else(|| p.example.clone().map(serde_json::Value::String))
                .unwrap_or(serde_json::Value::Null);
            (p.name.clone(), v)
        })
        .collect();
    render::render(&template, &sample)
        .map_err(|e| format!("rendering with the defaults and examples: {e}"))?;
    Ok(template)
}

fn check_sandbox(spec: &SandboxSpec, params: &[Param]) -> Result<(), String> {
    let size = params.iter().find(|p| p.name == spec.size_param);
    let Some(Param {
        kind: params::ParamKind::Enum { values },
        ..
    }) = size
    else {
        return Err(format!(
            "sandbox.size_param `{}` must name an enum parameter",
            spec.size_param
        ));
    };
    if let Some(missing) = values.iter().find(|v| !spec.units.contains_key(*v)) {
        return Err(format!("sandbox.units has no entry for size `{missing}`"));
    }
    match params.iter().find(|p| p.name == spec.ttl_param) {
        Some(Param {
            kind: params::ParamKind::Integer { .. },
            ..
        }) => Ok(()),
        _ => Err(format!(
            "sandbox.ttl_param `{}` must name an integer parameter",
            spec.ttl_param
        )),
    }
}

fn is_semver(v: &str) -> bool {
    let parts: Vec<&str> = v.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 6 && p.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Catalog {
        Catalog::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog")).unwrap()
    }

    #[test]
    fn the_shipped_catalog_loads_completely() {
        let catalog = shipped();
        assert!(catalog.problems.is_empty(), "{:?}", catalog.problems);
        assert!(catalog.templates.len() >= 6, "{}", catalog.templates.len());
        assert!(catalog.templates.values().any(|t| t.kind == Kind::Sandbox));
    }

    #[test]
    fn a_broken_template_is_reported_and_the_others_load() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good");
        std::fs::create_dir(&good).unwrap();
        std::fs::write(
            good.join(MANIFEST),
            "id: good-one\nversion: 1.0.0\ntitle: Good\ndescription: Works\nkind: pipeline\nowners: [team-platform]\ntier: 3\nparameters:\n  - {name: service, type: string, example: api}\nfiles:\n  - {path: 'ci/{{ service }}.yml', source: ci.yml.j2}\n",
        )
        .unwrap();
        std::fs::write(good.join("ci.yml.j2"), "name: {{ service }}\n").unwrap();
        let bad = dir.path().join("bad");
        std::fs::create_dir(&bad).unwrap();
        std::fs::write(
            bad.join(MANIFEST),
            "id: bad-one\nversion: 1.0.0\ntitle: Bad\ndescription: Broken\nkind: pipeline\nowners: [team-platform]\ntier: 3\nfiles:\n  - {path: ci.yml, source: ci.yml.j2}\n",
        )
        .unwrap();
        std::fs::write(bad.join("ci.yml.j2"), "a: b\nname: {{ service \n").unwrap();
        let catalog = Catalog::load(dir.path()).unwrap();
        assert_eq!(
            catalog.templates.keys().collect::<Vec<_>>(),
            vec!["good-one"]
        );
        assert_eq!(catalog.problems.len(), 1);
        assert!(catalog.problems[0].file.ends_with("bad/template.yaml"));
        assert!(
            catalog.problems[0].reason.contains("ci.yml.j2, line 2"),
            "{:?}",
            catalog.problems
        );
    }
}
