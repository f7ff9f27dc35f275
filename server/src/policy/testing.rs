//! Runs the policies' own tests: every rule named `test_*` in the `*_test.rego` files must
//! evaluate to `true`, as `opa test` expects.

use std::path::Path;

use super::{PolicyError, add_file, engine, rego_files};

/// One test's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub file: String,
    pub name: String,
    /// `None` when it passed; else what it evaluated to or the error.
    pub failure: Option<String>,
}

/// Loads every file of `dir` (policies and tests) and runs each test rule.
pub fn run(dir: &Path) -> Result<Vec<Outcome>, PolicyError> {
    let mut engine = engine();
    let mut tests = Vec::new();
    for path in rego_files(dir, true)? {
        let (name, _) = add_file(&mut engine, dir, &path)?;
        if !name.ends_with("_test.rego") {
            continue;
        }
        let text = std::fs::read_to_string(&path).map_err(|e| PolicyError::File {
            file: name.clone(),
            reason: e.to_string(),
        })?;
        let package = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("package "))
            .map(|p| p.trim().to_string())
            .ok_or_else(|| PolicyError::File {
                file: name.clone(),
                reason: "no package line".into(),
            })?;
        let mut seen = std::collections::BTreeSet::new();
        for line in text.lines() {
            let Some(rest) = line.strip_prefix("test_") else {
                continue;
            };
            let rule: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if seen.insert(rule.clone()) {
                tests.push((name.clone(), package.clone(), format!("test_{rule}")));
            }
        }
    }
    engine.set_input(regorus::Value::new_object());
    let mut outcomes = Vec::with_capacity(tests.len());
    for (file, package, name) in tests {
        let failure = match engine.eval_rule(format!("data.{package}.{name}")) {
            Ok(v) if v == regorus::Value::from(true) => None,
            Ok(regorus::Value::Undefined) => {
                Some("undefined (a condition did not hold)".to_string())
            }
            Ok(v) => Some(format!("evaluated to {v}")),
            Err(e) => Some(e.to_string()),
        };
        outcomes.push(Outcome {
            file,
            name,
            failure,
        });
    }
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_policies_pass_their_own_tests() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
        let outcomes = run(&dir).unwrap();
        assert!(
            outcomes.len() >= 20,
            "only {} policy tests found",
            outcomes.len()
        );
        let failed: Vec<_> = outcomes.iter().filter(|o| o.failure.is_some()).collect();
        assert!(failed.is_empty(), "{failed:#?}");
    }

    #[test]
    fn a_failing_policy_test_is_reported_by_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("p.rego"),
            "package gatehouse.policy.p\ndeny contains \"no\" if input.x == 1\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("p_test.rego"),
            "package gatehouse.test.p\nimport data.gatehouse.policy.p\n\ntest_denies if {\n  \"no\" in p.deny with input as {\"x\": 1}\n}\n\ntest_wrong if {\n  \"no\" in p.deny with input as {\"x\": 2}\n}\n",
        )
        .unwrap();
        let outcomes = run(dir.path()).unwrap();
        assert_eq!(outcomes.len(), 2);
        assert_eq!(outcomes[0].failure, None, "{outcomes:?}");
        assert_eq!(outcomes[1].name, "test_wrong");
        assert!(outcomes[1].failure.is_some());
    }
}
