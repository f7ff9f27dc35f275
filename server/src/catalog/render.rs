//! Rendering a template's files with minijinja. Values reach the templates already
//! validated; free text should pass through `tojson`, whose output is valid YAML too.

use minijinja::value::Serde;
use minijinja::{Environment, UndefinedBehavior};

use super::Template;
use super::params::Values;

/// One rendered file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RenderedFile {
    pub path: String,
    pub content: String,
}

/// The environment every template renders in: undefined names are errors, nothing is
/// HTML-escaped (the output is YAML, HCL and Dockerfiles, shown escaped by the UI).
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .build()
            .expect("the default delimiters are valid"),
    );
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env
}

/// Renders every file of `template` with `values`. Output paths are templates too and
/// must stay relative and inside the bundle.
pub fn render(template: &Template, values: &Values) -> Result<Vec<RenderedFile>, String> {
    let mut env = environment();
    for file in &template.files {
        env.add_template_owned(file.source.clone(), file.text.clone())
            .map_err(|e| format!("{}: {e}", file.source))?;
    }
    let mut out: Vec<RenderedFile> = Vec::with_capacity(template.files.len());
    for file in &template.files {
        let path = env
            .render_str(&file.path, Serde(values))
            .map_err(|e| format!("output path `{}`: {e}", file.path))?;
        let path = safe_path(&path).ok_or_else(|| {
            format!("output path `{path}` is not a relative path inside the bundle")
        })?;
        if out.iter().any(|f| f.path == path) {
            return Err(format!("two files render to `{path}`"));
        }
        let content = env
            .get_template(&file.source)
            .and_then(|t| t.render(Serde(values)))
            .map_err(|e| describe(&file.source, &e))?;
        out.push(RenderedFile { path, content });
    }
    Ok(out)
}

/// A relative path of plain components (no `..`, no leading `/`, no backslashes).
fn safe_path(path: &str) -> Option<String> {
    let path = path.trim();
    if path.is_empty() || path.starts_with('/') || path.contains('\\') || path.len() > 200 {
        return None;
    }
    let ok = path.split('/').all(|part| {
        !part.is_empty()
            && part != "."
            && part != ".."
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    });
    ok.then(|| path.to_string())
}

/// A render error with the template file and line.
fn describe(source: &str, err: &minijinja::Error) -> String {
    match err.line() {
        Some(line) => format!(
            "{source}, line {line}: {}",
            err.detail().unwrap_or(&err.to_string())
        ),
        None => format!("{source}: {err}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_stay_inside_the_bundle() {
        assert_eq!(
            safe_path(".github/workflows/ci.yml").as_deref(),
            Some(".github/workflows/ci.yml")
        );
        for bad in [
            "../etc/passwd",
            "/etc/passwd",
            "a//b",
            "a/./b",
            "a\\b",
            "a b",
            "",
        ] {
            assert_eq!(safe_path(bad), None, "{bad}");
        }
    }
}
