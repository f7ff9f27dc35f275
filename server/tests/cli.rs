//! The `gatehouse` command line, run as a process the way scripts run it.

use std::process::Command;

fn gatehouse() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gatehouse"));
    cmd.env_remove("GATEHOUSE_CONFIG")
        .env_remove("DATABASE_URL")
        .env(
            "GATEHOUSE_CATALOG_DIR",
            format!("{}/catalog", env!("CARGO_MANIFEST_DIR")),
        )
        .env("GATEHOUSE_POLICIES_DIR", policies());
    cmd
}

fn policies() -> String {
    format!("{}/policies", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_policy_that_does_not_compile_stops_start_up_with_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let copy = dir.path().join("policies");
    std::fs::create_dir_all(&copy).expect("dir");
    for entry in std::fs::read_dir(policies()).expect("policies") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::copy(&path, copy.join(path.file_name().unwrap())).expect("copy");
        }
    }
    std::fs::write(
        copy.join("broken.rego"),
        "package gatehouse.policy.broken\n\ndeny contains msg if {\n  msg := \n}\n",
    )
    .expect("write");
    let out = gatehouse()
        .env("GATEHOUSE_BIND", "127.0.0.1:0")
        .env("GATEHOUSE_RUNBOOKS_DIR", runbooks())
        .env("GATEHOUSE_POLICIES_DIR", &copy)
        .env("GATEHOUSE_INDEX_DIR", dir.path().join("index"))
        .env(
            "DATABASE_URL",
            format!("sqlite://{}?mode=rwc", dir.path().join("g.db").display()),
        )
        .env("GATEHOUSE_AUDIT_KEY_FILE", dir.path().join("audit.key"))
        .args(["serve"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("did not load"), "{stderr}");
    assert!(stderr.contains("broken.rego, line 4: "), "{stderr}");
}

#[test]
fn policy_test_and_check_catalog_report_and_set_the_exit_code() {
    let out = gatehouse().args(["policy", "test"]).output().expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("p.rego"),
        "package gatehouse.policy.p\ndeny contains \"no\" if input.x\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("p_test.rego"),
        "package gatehouse.test.p\nimport data.gatehouse.policy.p\ntest_quiet if count(p.deny) == 1\n",
    )
    .unwrap();
    let out = gatehouse()
        .args(["policy", "test", "--policies"])
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("FAIL p_test.rego: test_quiet"));
    let out = gatehouse().args(["check-catalog"]).output().expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("ok ")).count(),
        6,
        "{stdout}"
    );
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

#[test]
fn redact_masks_json_lines_and_reports_bad_lines() {
    use std::io::Write;
    let mut child = gatehouse()
        .args(["redact"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let input = b"{\"id\":\"a\",\"text\":\"token ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 ok\"}\n{broken\n{\"id\":7,\"text\":\"nothing here\"}\n";
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .expect("utf8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(
        untagged(lines[0]["text"].as_str().expect("text")),
        "token [REDACTED:github-token] ok"
    );
    assert_eq!(lines[0]["findings"][0]["category"], "github-token");
    assert_eq!(lines[0]["findings"][0]["start"], 6);
    assert!(
        lines[1]["error"]
            .as_str()
            .expect("error")
            .starts_with("line 2:")
    );
    assert_eq!(lines[2]["text"], "nothing here");
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("ghp_"),
        "the value never reaches stderr"
    );
}

#[test]
fn redact_plain_masks_stdin_to_stdout() {
    use std::io::Write;
    let mut child = gatehouse()
        .args(["redact", "--plain"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"DB_PASSWORD=hunter2\nhost pg-0.db.internal\n")
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    let text = String::from_utf8(out.stdout).expect("utf8");
    assert_eq!(
        untagged(&text),
        "DB_PASSWORD=[REDACTED:generic-secret]\nhost [REDACTED:internal-hostname]\n"
    );
    assert!(text.contains("[REDACTED:generic-secret#"), "tagged: {text}");
}

/// `text` without pseudonym tags (`[REDACTED:email#3fa2]` → `[REDACTED:email]`): tags are
/// random per run unless a key is configured.
fn untagged(text: &str) -> String {
    regex::Regex::new(r"#[0-9a-f]{4}\]")
        .expect("valid")
        .replace_all(text, "]")
        .into_owned()
}

#[test]
fn a_bad_sanitizer_pattern_in_the_config_file_stops_with_its_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("gatehouse.toml");
    std::fs::write(
        &file,
        "[sanitizer]\npatterns = [{ name = \"acme-key\", regex = \"(unclosed\" }]\n",
    )
    .expect("write");
    let out = gatehouse()
        .env("GATEHOUSE_CONFIG", &file)
        .args(["redact", "--list"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("sanitizer") && err.contains("`acme-key`"),
        "{err}"
    );
}

#[test]
fn logs_never_carry_a_value_the_sanitizer_masks() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A runbooks folder whose path holds an internal host name, which start-up logs.
    let runbooks = dir.path().join("pg-main-0.db.internal");
    std::fs::create_dir_all(&runbooks).expect("dir");
    let mut child = gatehouse()
        .env("GATEHOUSE_BIND", "127.0.0.1:0")
        .env("GATEHOUSE_RUNBOOKS_DIR", &runbooks)
        .env("GATEHOUSE_INDEX_DIR", runbooks.join("idx"))
        .env(
            "DATABASE_URL",
            format!("sqlite://{}?mode=rwc", dir.path().join("g.db").display()),
        )
        .args(["serve"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    use std::io::{BufRead, BufReader};
    let stderr = child.stderr.take().expect("stderr");
    let mut seen = Vec::new();
    for line in BufReader::new(stderr).lines().map_while(Result::ok) {
        let done = line.contains("Gatehouse is listening");
        seen.push(line);
        if done {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let all = seen.join("\n");
    assert!(all.contains("creating a fresh runbook index"), "{all}");
    assert!(!all.contains("pg-main-0.db.internal"), "{all}");
    assert!(all.contains("[REDACTED:internal-hostname#"), "{all}");
}

#[test]
fn a_client_secret_in_the_config_file_is_refused_with_the_fix() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("gatehouse.toml");
    std::fs::write(
        &file,
        "oidc_issuer = \"https://idp.example.com\"\noidc_client_id = \"gatehouse\"\noidc_client_secret = \"hunter2\"\n",
    )
    .expect("write");
    let out = gatehouse()
        .env("GATEHOUSE_CONFIG", &file)
        .args(["audit", "verify"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("holds the client secret")
            && err.contains("GATEHOUSE_OIDC_CLIENT_SECRET_FILE"),
        "{err}"
    );
    assert!(!err.contains("hunter2"), "never echo the secret: {err}");
}

#[test]
fn webhook_urls_and_their_secret_are_refused_in_the_config_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (text, expected, fix) in [
        (
            "webhook_urls = \"https://hooks.example.com/T0/tok3n\"\n",
            "often carry a token",
            "GATEHOUSE_WEBHOOK_URLS",
        ),
        (
            "webhook_secret = \"hunter2hunter2hunter2hunter2hunter2\"\n",
            "webhook signing secret",
            "GATEHOUSE_WEBHOOK_SECRET_FILE",
        ),
    ] {
        let file = dir.path().join("gatehouse.toml");
        std::fs::write(&file, text).expect("write");
        let out = gatehouse()
            .env("GATEHOUSE_CONFIG", &file)
            .args(["audit", "verify"])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected) && err.contains(fix), "{err}");
        assert!(
            !err.contains("tok3n") && !err.contains("hunter2"),
            "never echo it: {err}"
        );
    }
}

#[test]
fn audit_keygen_writes_a_private_key_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = dir.path().join("audit.key");
    let out = gatehouse()
        .args(["audit", "keygen", "--out"])
        .arg(&key)
        .output()
        .expect("run");
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("public key:"), "{said}");
    let secret = std::fs::read_to_string(&key).expect("key");
    assert!(
        !said.contains(secret.trim()),
        "the private key is never printed"
    );
    let again = gatehouse()
        .args(["audit", "keygen", "--out"])
        .arg(&key)
        .output()
        .expect("run");
    assert_eq!(again.status.code(), Some(2), "never overwrites a key");
}

#[test]
fn settings_that_are_not_utf8_get_a_message_and_other_programs_variables_are_ignored() {
    use std::os::unix::ffi::OsStrExt;
    let bad = std::ffi::OsStr::from_bytes(b"127.0.0.1:\xff");
    let out = gatehouse()
        .env("GATEHOUSE_BIND", bad)
        .args(["redact", "--list"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("GATEHOUSE_BIND") && err.contains("UTF-8"),
        "{err}"
    );
    let out = gatehouse()
        .env("SOME_OTHER_TOOL", bad)
        .args(["redact", "--list"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_misspelt_key_in_the_config_file_is_refused_with_the_known_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("gatehouse.toml");
    std::fs::write(&file, "sesion_ttl_hours = 8\n").expect("write");
    let out = gatehouse()
        .env("GATEHOUSE_CONFIG", &file)
        .args(["redact", "--list"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`sesion_ttl_hours`") && err.contains("session_ttl_hours"),
        "{err}"
    );
}
