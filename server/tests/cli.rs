//! The `gatehouse` command line, run as a process the way scripts run it.

use std::process::Command;

fn gatehouse() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gatehouse"));
    cmd.env_remove("GATEHOUSE_CONFIG")
        .env_remove("DATABASE_URL");
    cmd
}

fn runbooks() -> String {
    format!("{}/../runbooks", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn search_prints_the_documented_json() {
    let out = gatehouse()
        .args([
            "search",
            "--runbooks",
            &runbooks(),
            "--limit",
            "3",
            "--json",
            "CheckoutApiHighLatency",
        ])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json on stdout");
    assert_eq!(v["hits"][0]["runbook"], "checkout-api-high-latency");
    assert_eq!(v["hits"][0]["section"], "checkoutapihighlatency");
    assert_eq!(
        v["hits"][0]["url"],
        "/runbooks/checkout-api-high-latency#checkoutapihighlatency"
    );
    assert!(v["hits"].as_array().expect("hits").len() <= 3);
    assert!(v["total"].as_u64().is_some());
}

#[test]
fn search_respects_groups() {
    let run = |groups: &str| {
        let out = gatehouse()
            .args([
                "search",
                "--runbooks",
                &runbooks(),
                "--groups",
                groups,
                "--json",
                "VaultSealed",
            ])
            .output()
            .expect("run");
        serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("json")
    };
    assert!(!run("developers").to_string().contains("vault-sealed"));
    assert_eq!(
        run("developers,security-oncall")["hits"][0]["runbook"],
        "vault-sealed-or-unavailable"
    );
}

#[test]
fn odd_queries_exit_zero_with_valid_json() {
    let long = "x".repeat(10_000);
    for q in ["\"unbalanced", "AND", "-", "\u{7}", long.as_str()] {
        let out = gatehouse()
            .args(["search", "--runbooks", &runbooks(), "--json", q])
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "exit code for {:?}",
            &q[..q.len().min(20)]
        );
        let _: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid json");
    }
}

#[test]
fn a_missing_runbooks_dir_is_a_clear_error() {
    let out = gatehouse()
        .args(["search", "--runbooks", "/nonexistent", "--json", "x"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
}

#[test]
fn a_bad_setting_stops_with_its_name() {
    let out = gatehouse()
        .env("GATEHOUSE_BIND", "nonsense")
        .args(["search", "x"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("GATEHOUSE_BIND"));
}

#[test]
fn serve_refuses_a_public_address_without_single_sign_on() {
    let out = gatehouse()
        .env("GATEHOUSE_BIND", "0.0.0.0:0")
        .env("GATEHOUSE_RUNBOOKS_DIR", runbooks())
        .args(["serve"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not a loopback address") && err.contains("GATEHOUSE_BIND"),
        "{err}"
    );
}

#[test]
fn check_runbooks_lists_problems_with_file_and_line() {
    let out = gatehouse()
        .args([
            "check-runbooks",
            "--runbooks",
            &format!("{}/tests/fixtures/runbooks", env!("CARGO_MANIFEST_DIR")),
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown-visibility.md:5: unknown visibility `secret`"),
        "{err}"
    );
    assert!(
        err.contains("1 runbook(s) OK, 4 file(s) with problems"),
        "{err}"
    );
}

#[test]
fn serve_stops_cleanly_on_sigterm() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = gatehouse()
        .env("GATEHOUSE_BIND", "127.0.0.1:0")
        .env("GATEHOUSE_RUNBOOKS_DIR", runbooks())
        .env("GATEHOUSE_INDEX_DIR", dir.path().join("index"))
        .env(
            "DATABASE_URL",
            format!("sqlite://{}?mode=rwc", dir.path().join("g.db").display()),
        )
        .env("GATEHOUSE_LOG_FORMAT", "json")
        .args(["serve"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let listening = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|l| l.contains("Gatehouse is listening"));
    assert!(listening.is_some(), "the server started");
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let exit = child.wait().expect("wait");
    assert!(exit.success(), "exit status after SIGTERM: {exit:?}");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(
        rest.iter().any(|l| l.contains("Gatehouse stopped")),
        "{rest:?}"
    );
}
