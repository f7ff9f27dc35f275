//! Organization policy as code: Rego files evaluated in-process with regorus, so the same
//! files run unchanged in OPA or conftest (`conftest test --all-namespaces`).
//!
//! Conventions, in `server/policies/`:
//! - each policy is a package under `gatehouse.policy`, with any of the rules `deny`,
//!   `warn` and `escalate`, each a set of objects `{"msg", "rule", "fix"}` (`escalate` also
//!   has `"tier"`: 1 or 2); plain strings are accepted as messages;
//! - shared settings and helpers live in other packages (`gatehouse.config`, `gatehouse.lib`);
//! - `*_test.rego` files hold the policies' own tests (rules named `test_*`), which
//!   `gatehouse policy test` and the test suite run.
//!
//! A file that does not compile stops start-up with its file, line and reason.

pub mod input;
pub mod testing;

use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

/// Where policies put their results.
pub const ROOT: &str = "data.gatehouse.policy";
/// No policy evaluation may take longer than this; a runaway policy fails closed.
const EVAL_LIMIT: Duration = Duration::from_secs(2);

#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("{file}, line {line}: {reason}")]
    Compile {
        file: String,
        line: u32,
        reason: String,
    },
    #[error("{file}: {reason}")]
    File { file: String, reason: String },
    #[error("policy evaluation failed: {0}")]
    Eval(String),
}

/// How serious a result is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Blocks submission.
    Deny,
    /// Raises the risk tier.
    Escalate,
    /// Shown, does not block.
    Warn,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Deny => "deny",
            Level::Escalate => "escalate",
            Level::Warn => "warn",
        }
    }
}

/// One policy result.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Finding {
    pub level: Level,
    /// The policy package (`actions_pinned`).
    pub policy: String,
    /// The rule's name within the policy, as the policy reports it.
    pub rule: String,
    pub message: String,
    /// How to fix it, when the policy says.
    pub fix: Option<String>,
    /// For escalations: the tier this raises the request to.
    pub tier: Option<u8>,
}

/// The loaded policies: one engine, prepared once and cloned per evaluation.
pub struct PolicySet {
    engine: regorus::Engine,
    /// The policy files, relative to the directory, with their SHA-256.
    pub files: Vec<(String, String)>,
    /// SHA-256 over every file's name and digest: the policy bundle digest in provenance.
    pub digest: String,
}

impl std::fmt::Debug for PolicySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicySet")
            .field("files", &self.files)
            .field("digest", &self.digest)
            .finish()
    }
}

/// The `.rego` files of `dir` (recursively), sorted; tests (`*_test.rego`) only if asked.
pub fn rego_files(dir: &Path, tests: bool) -> Result<Vec<PathBuf>, PolicyError> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| PolicyError::File {
            file: d.display().to_string(),
            reason: format!("cannot read the policy directory: {e}"),
        })?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rego") {
                let is_test = path.to_string_lossy().ends_with("_test.rego");
                if tests || !is_test {
                    out.push(path);
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Adds one file to an engine, turning regorus's error into file, line and reason.
pub(crate) fn add_file(
    engine: &mut regorus::Engine,
    dir: &Path,
    path: &Path,
) -> Result<(String, String), PolicyError> {
    let name = path.strip_prefix(dir).unwrap_or(path).display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| PolicyError::File {
        file: name.clone(),
        reason: e.to_string(),
    })?;
    let digest = hex::encode(Sha256::digest(text.as_bytes()));
    if !name.ends_with("_test.rego") {
        check_package(&name, &text)?;
    }
    engine
        .add_policy(name.clone(), text)
        .map_err(|e| compile_error(&name, &e.to_string()))?;
    Ok((name, digest))
}

/// A policy in any other package would compile and never be applied: refuse it.
fn check_package(file: &str, text: &str) -> Result<(), PolicyError> {
    let package = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("package "))
        .map(str::trim)
        .unwrap_or("");
    let policy = package
        .strip_prefix("gatehouse.policy.")
        .is_some_and(|name| !name.is_empty() && !name.contains('.'));
    let helper = package == "gatehouse.config" || package.starts_with("gatehouse.lib.");
    if policy || helper {
        Ok(())
    } else {
        Err(PolicyError::File {
            file: file.to_string(),
            reason: format!(
                "package `{package}` would never be applied: name policies `gatehouse.policy.<name>`, helpers `gatehouse.lib.<name>` or `gatehouse.config`"
            ),
        })
    }
}

/// regorus reports `--> file:line:col`, the source line, then `error: reason`.
fn compile_error(file: &str, message: &str) -> PolicyError {
    let location = message
        .lines()
        .find_map(|l| l.trim().strip_prefix("--> "))
        .and_then(|loc| {
            let mut parts = loc.rsplitn(3, ':');
            let _col = parts.next()?;
            let line = parts.next()?.parse::<u32>().ok()?;
            Some((parts.next()?.to_string(), line))
        });
    let reason = message
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(message)
        .trim()
        .trim_start_matches("error: ")
        .to_string();
    match location {
        Some((f, line)) => PolicyError::Compile {
            file: f,
            line,
            reason,
        },
        None => PolicyError::Compile {
            file: file.to_string(),
            line: 0,
            reason,
        },
    }
}

/// A fresh engine with the portal's settings: Rego v1, a time limit per evaluation.
pub(crate) fn engine() -> regorus::Engine {
    let mut engine = regorus::Engine::new();
    engine.set_execution_timer_config(regorus::utils::limits::ExecutionTimerConfig {
        limit: EVAL_LIMIT,
        check_interval: std::num::NonZeroU32::new(64).expect("non-zero"),
    });
    engine
}

impl PolicySet {
    /// Compiles every non-test `.rego` file of `dir` and evaluates them once on an empty
    /// input, so that errors found only when rules are resolved also stop start-up.
    pub fn load(dir: &Path) -> Result<Self, PolicyError> {
        let paths = rego_files(dir, false)?;
        if paths.is_empty() {
            return Err(PolicyError::File {
                file: dir.display().to_string(),
                reason: "holds no .rego policy files; point GATEHOUSE_POLICIES_DIR at the policies"
                    .into(),
            });
        }
        let mut engine = engine();
        let mut files = Vec::with_capacity(paths.len());
        for path in &paths {
            files.push(add_file(&mut engine, dir, path)?);
        }
        let mut hasher = Sha256::new();
        for (name, digest) in &files {
            hasher.update(name.as_bytes());
            hasher.update([0]);
            hasher.update(digest.as_bytes());
            hasher.update([b'\n']);
        }
        let set = Self {
            engine,
            files,
            digest: hex::encode(hasher.finalize()),
        };
        set.evaluate(&serde_json::json!({}))?;
        Ok(set)
    }

    /// Every result of every policy for this input, denials first. Blocking: run it on the
    /// blocking pool.
    pub fn evaluate(&self, input: &serde_json::Value) -> Result<Vec<Finding>, PolicyError> {
        let mut engine = self.engine.clone();
        let input = regorus::Value::from_json_str(&input.to_string())
            .map_err(|e| PolicyError::Eval(e.to_string()))?;
        engine.set_input(input);
        let results = engine
            .eval_query(ROOT.to_string(), false)
            .map_err(|e| PolicyError::Eval(e.to_string()))?;
        // No policy results at all means no policy ran: fail closed.
        let value = match results.result.first().and_then(|r| r.expressions.first()) {
            Some(expr) => expr
                .value
                .to_json_str()
                .map_err(|e| PolicyError::Eval(e.to_string()))?,
            None => return Err(PolicyError::Eval(format!("{ROOT} is undefined"))),
        };
        let tree: serde_json::Value =
            serde_json::from_str(&value).map_err(|e| PolicyError::Eval(e.to_string()))?;
        let mut findings = Vec::new();
        if let Some(packages) = tree.as_object() {
            for (policy, rules) in packages {
                for (key, level) in [
                    ("deny", Level::Deny),
                    ("warn", Level::Warn),
                    ("escalate", Level::Escalate),
                ] {
                    match rules.get(key) {
                        None => {}
                        Some(serde_json::Value::Array(items)) => {
                            for item in items {
                                findings.push(finding(policy, level, item));
                            }
                        }
                        // `deny if …` (a boolean) or an object: a mistake that would
                        // otherwise pass everything.
                        Some(_) => {
                            return Err(PolicyError::Eval(format!(
                                "{policy}.{key} must be a set of results (`{key} contains {{…}} if …`)"
                            )));
                        }
                    }
                }
            }
        }
        findings.sort();
        Ok(findings)
    }
}

/// One result as a policy wrote it. An escalation without a valid tier counts as tier 1:
/// a mistake in a policy never lowers the bar.
fn finding(policy: &str, level: Level, item: &serde_json::Value) -> Finding {
    let text = |key: &str| item.get(key).and_then(|v| v.as_str()).map(str::to_string);
    let message = item
        .as_str()
        .map(str::to_string)
        .or_else(|| text("msg"))
        .unwrap_or_else(|| item.to_string());
    let tier = (level == Level::Escalate).then(|| {
        item.get("tier")
            .and_then(|t| t.as_u64())
            .filter(|t| (1..=2).contains(t))
            .unwrap_or(1) as u8
    });
    Finding {
        level,
        policy: policy.to_string(),
        rule: text("rule").unwrap_or_else(|| policy.to_string()),
        message,
        fix: text("fix"),
        tier,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    #[test]
    fn a_policy_that_does_not_compile_names_its_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "ok.rego",
            "package gatehouse.policy.ok\n\ndeny contains \"x\" if { input.bad }\n",
        );
        write(
            dir.path(),
            "broken.rego",
            "package gatehouse.policy.broken\n\ndeny contains msg if {\n  msg := input.x +\n}\n",
        );
        let err = PolicySet::load(dir.path()).unwrap_err();
        match err {
            PolicyError::Compile { file, line, reason } => {
                assert_eq!(file, "broken.rego");
                assert!((4..=5).contains(&line), "line {line}");
                assert!(!reason.is_empty());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn results_are_read_from_every_policy_package() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "a.rego",
            r#"package gatehouse.policy.a
deny contains {"msg": "no", "rule": "a_rule", "fix": "do this"} if input.block
warn contains "careful" if true
"#,
        );
        write(
            dir.path(),
            "b.rego",
            r#"package gatehouse.policy.b
escalate contains {"msg": "prod", "tier": 1} if input.prod
escalate contains {"msg": "bogus tier", "tier": 7} if input.prod
"#,
        );
        write(
            dir.path(),
            "b_test.rego",
            "package gatehouse.test.b\nthis does not even parse\n",
        );
        let set = PolicySet::load(dir.path()).unwrap();
        assert_eq!(set.files.len(), 2, "tests are not loaded for evaluation");
        let findings = set
            .evaluate(&serde_json::json!({"block": true, "prod": true}))
            .unwrap();
        let deny = &findings[0];
        assert_eq!(
            (deny.level, deny.rule.as_str(), deny.fix.as_deref()),
            (Level::Deny, "a_rule", Some("do this"))
        );
        assert!(
            findings
                .iter()
                .any(|f| f.level == Level::Warn && f.message == "careful")
        );
        let tiers: Vec<_> = findings.iter().filter_map(|f| f.tier).collect();
        assert_eq!(
            tiers,
            vec![1, 1],
            "an invalid tier counts as the highest risk"
        );
        let quiet = set.evaluate(&serde_json::json!({})).unwrap();
        assert_eq!(quiet.len(), 1);
    }

    #[test]
    fn misnamed_or_misshaped_policies_fail_closed() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "typo.rego",
            "package gatehouse.policies.typo\ndeny contains \"x\" if true\n",
        );
        let err = PolicySet::load(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("typo.rego") && err.contains("would never be applied"),
            "{err}"
        );
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "bool.rego",
            "package gatehouse.policy.bool\ndeny if input.x\n",
        );
        let set = PolicySet::load(dir.path()).unwrap();
        let err = set
            .evaluate(&serde_json::json!({"x": true}))
            .unwrap_err()
            .to_string();
        assert!(err.contains("bool.deny must be a set"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "config.rego",
            "package gatehouse.config\nlimit := 3\n",
        );
        let err = PolicySet::load(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("undefined"),
            "no policy at all fails closed: {err}"
        );
    }
}
