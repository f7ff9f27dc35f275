//! Commits an accepted runbook revision when the runbooks directory is a git repository,
//! with the reviewer as author, so the repository's history matches the portal's.

use std::path::Path;
use std::process::Command;

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("cannot run git: {0}")]
    Spawn(#[from] std::io::Error),
    #[error("git {step} failed: {stderr}")]
    Failed { step: &'static str, stderr: String },
}

/// Whether `dir` is the top of a git work tree (a runbooks directory inside a larger
/// repository is left to that repository's own process).
pub fn is_repository(dir: &Path) -> bool {
    dir.join(".git").exists()
}

/// Characters git refuses in identities.
fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '<' | '>' | '\n' | '\r'))
        .collect::<String>()
        .trim()
        .to_string()
}

fn run(
    dir: &Path,
    step: &'static str,
    args: &[&str],
    env: &[(&str, &str)],
) -> Result<String, GitError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .envs(env.iter().copied())
        .output()?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        Err(GitError::Failed {
            step,
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        })
    }
}

/// Commits `file` (relative to `dir`) alone; returns the commit id.
pub fn commit(
    dir: &Path,
    file: &str,
    author_name: &str,
    author_email: &str,
    message: &str,
) -> Result<String, GitError> {
    let name = clean(author_name);
    let email = clean(author_email);
    let env = [
        ("GIT_AUTHOR_NAME", name.as_str()),
        ("GIT_AUTHOR_EMAIL", email.as_str()),
        ("GIT_COMMITTER_NAME", "Gatehouse"),
        ("GIT_COMMITTER_EMAIL", "gatehouse@localhost"),
    ];
    run(dir, "add", &["add", "--", file], &env)?;
    run(
        dir,
        "commit",
        &[
            "commit",
            "--quiet",
            "--no-verify",
            "-m",
            message,
            "--",
            file,
        ],
        &env,
    )?;
    run(dir, "rev-parse", &["rev-parse", "HEAD"], &env)
}
