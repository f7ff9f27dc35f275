//! Test helpers: a real Gatehouse on a free loopback port, with a fresh database per test
//! (SQLite in a temp dir, or a new PostgreSQL database when GATEHOUSE_TEST_DB=postgres),
//! a private copy of the sample runbooks plus the fixtures, and its own index.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use sea_orm::{ConnectionTrait, Database};
use server::config::Config;
use server::startup::Application;

/// One runtime for every test in the binary, as in production (one process, one runtime).
/// Leptos' task spawner is process-global and spawns on the runtime of the calling thread,
/// so servers on several short-lived per-test runtimes can strand each other's tasks.
pub fn run<F: Future>(test: F) -> F::Output {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(4)
                .enable_all()
                .build()
                .expect("test runtime")
        })
        .block_on(test)
}

/// Held by each [`TestApp`] for its life: one server per process at a time, as in production.
/// Several Leptos servers in one process share Leptos' global state, and under parallel load
/// a page render then occasionally never completes; one server under heavy concurrent load
/// does not show it (checked with 16 concurrent clients × 10,000 page requests).
static ONE_SERVER_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub struct TestApp {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// `None` for a replica, which runs beside the app that holds the turn.
    _turn: Option<tokio::sync::MutexGuard<'static, ()>>,
    pub base: String,
    pub runbooks: PathBuf,
    /// The search index directory.
    pub index: PathBuf,
    pub database_url: String,
    /// The audit signing key file this server uses.
    pub audit_key: PathBuf,
    pub client: reqwest::Client,
    _dir: tempfile::TempDir,
}

/// Which database the suite runs against.
pub fn backend() -> &'static str {
    match std::env::var("GATEHOUSE_TEST_DB").as_deref() {
        Ok("postgres") => "postgres",
        _ => "sqlite",
    }
}

/// A fresh database URL for one test.
pub async fn fresh_database(dir: &Path) -> String {
    if backend() == "postgres" {
        let admin = std::env::var("GATEHOUSE_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string());
        // `.ci/test` gives each run its own prefix and drops only that run's databases.
        let prefix =
            std::env::var("GATEHOUSE_TEST_DB_PREFIX").unwrap_or_else(|_| "gh_test_".into());
        assert!(
            prefix
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "GATEHOUSE_TEST_DB_PREFIX `{prefix}` may hold only a-z, 0-9 and _"
        );
        let name = format!("{prefix}{}", uuid::Uuid::new_v4().simple());
        let conn = Database::connect(&admin).await.unwrap_or_else(|e| {
            panic!("GATEHOUSE_TEST_DB=postgres but {admin} is unreachable: {e}")
        });
        conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create test database");
        conn.close().await.ok();
        let base = admin
            .rsplit_once('/')
            .map(|(b, _)| b.to_string())
            .unwrap_or(admin);
        format!("{base}/{name}")
    } else {
        format!("sqlite://{}?mode=rwc", dir.join("gatehouse.db").display())
    }
}

/// Copies a directory tree (files and subdirectories) into `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let kind = entry.file_type().expect("type");
        if kind.is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else if kind.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
        }
    }
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// The sample runbooks plus the test fixtures (hostile and broken files), in a temp dir.
pub fn runbooks_copy(dir: &Path) -> PathBuf {
    let runbooks = dir.join("runbooks");
    copy_dir(&repo_root().join("runbooks"), &runbooks);
    copy_dir(
        &repo_root().join("server/tests/fixtures/runbooks"),
        &runbooks,
    );
    runbooks
}

impl Drop for TestApp {
    /// Stops this test's server before its folders go away.
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// A server whose configuration `adjust` changes first (rate limits, roles, SSO).
    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> Self {
        let turn = ONE_SERVER_AT_A_TIME.lock().await;
        let dir = tempfile::tempdir().expect("tempdir");
        let database_url = fresh_database(dir.path()).await;
        let audit_key = dir.path().join("audit.key");
        server::audit::signing::AuditKey::create_file(&audit_key).expect("an audit key");
        Self::start(dir, database_url, audit_key, Some(turn), adjust).await
    }

    /// A second portal process on the same database and audit key, with its own runbooks
    /// directory (a fresh copy of the samples) and index: a replica.
    pub async fn spawn_replica(&self) -> Self {
        self.spawn_replica_with(|_| {}).await
    }

    /// A replica whose configuration `adjust` changes first.
    pub async fn spawn_replica_with(&self, adjust: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        Self::start(
            dir,
            self.database_url.clone(),
            self.audit_key.clone(),
            None,
            adjust,
        )
        .await
    }

    async fn start(
        dir: tempfile::TempDir,
        database_url: String,
        audit_key: PathBuf,
        turn: Option<tokio::sync::MutexGuard<'static, ()>>,
        adjust: impl FnOnce(&mut Config),
    ) -> Self {
        let runbooks = runbooks_copy(dir.path());
        let mut config = Config::defaults();
        config.bind = "127.0.0.1:0".parse().expect("addr");
        config.database_url = database_url.clone();
        config.runbooks_dir = runbooks.clone();
        config.index_dir = dir.path().join("index");
        config.site_root = dir.path().join("site");
        config.audit_key_file = audit_key.clone();
        config.catalog_dir = repo_root().join("server/catalog");
        config.policies_dir = repo_root().join("server/policies");
        adjust(&mut config);
        let runbooks = config.runbooks_dir.clone();
        let index = config.index_dir.clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (ready_tx, ready) = tokio::sync::oneshot::channel();
        // The server runs as `gatehouse serve` does: on its own runtime and threads.
        let thread = std::thread::spawn(move || {
            let runtime = server::startup::runtime().expect("server runtime");
            runtime.block_on(async move {
                let app = Application::build(config).await.expect("the app starts");
                let _ = ready_tx.send(app.local_addr());
                tokio::select! {
                    _ = app.run_until_stopped() => {}
                    _ = stopped => {}
                }
            });
        });
        let base = format!("http://{}", ready.await.expect("the server started"));
        let client = browser_client();
        Self {
            stop: Some(stop),
            thread: Some(thread),
            _turn: turn,
            base,
            runbooks,
            index,
            database_url,
            audit_key,
            client,
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Signs in with the development sign-in as `persona`.
    pub async fn sign_in(&self, persona: &str) {
        let resp = self
            .client
            .post(self.url("/auth/dev"))
            .form(&[("persona", persona), ("next", "/")])
            .send()
            .await
            .expect("sign in");
        assert_eq!(resp.status(), 303, "sign-in redirects");
    }

    /// A separate browser-like client, signed in as `persona` (or anonymous with `None`).
    pub async fn client_as(&self, persona: Option<&str>) -> reqwest::Client {
        let client = browser_client();
        if let Some(persona) = persona {
            let resp = client
                .post(self.url("/auth/dev"))
                .form(&[("persona", persona), ("next", "/")])
                .send()
                .await
                .expect("sign in");
            assert_eq!(resp.status(), 303, "sign-in as {persona} redirects");
        }
        client
    }

    /// Runs `gatehouse` with this server's database and audit key; returns (code, stdout, stderr).
    pub fn gatehouse(&self, args: &[&str]) -> (i32, String, String) {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_gatehouse"))
            .args(args)
            .env("DATABASE_URL", &self.database_url)
            .env("GATEHOUSE_AUDIT_KEY_FILE", &self.audit_key)
            .env("GATEHOUSE_RUNBOOKS_DIR", &self.runbooks)
            .env("GATEHOUSE_CATALOG_DIR", repo_root().join("server/catalog"))
            .env(
                "GATEHOUSE_POLICIES_DIR",
                repo_root().join("server/policies"),
            )
            .env_remove("GATEHOUSE_CONFIG")
            .env("RUST_LOG", "error")
            .output()
            .expect("run gatehouse");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Creates an API token with `gatehouse token create` for `user` in `groups`; returns it.
    pub fn create_token(&self, user: &str, groups: &str, scopes: &str) -> String {
        let (code, token, err) = self.gatehouse(&[
            "token", "create", "--user", user, "--groups", groups, "--scopes", scopes,
        ]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("shown only this once"), "{err}");
        token.trim().to_string()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// Audit events matching `query` (`action=…&actor=…`), newest first, read by an auditor.
    pub async fn audit_events(&self, query: &str) -> Vec<serde_json::Value> {
        let auditor = self.client_as(Some("security")).await;
        let body: serde_json::Value = auditor
            .get(self.url(&format!("/api/v1/audit/events?{query}")))
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json");
        body["events"].as_array().expect("events").clone()
    }

    pub async fn search_json(&self, query: &str) -> serde_json::Value {
        let resp = self
            .client
            .get(self.url("/api/v1/runbooks/search"))
            .query(&[("q", query)])
            .send()
            .await
            .expect("search");
        assert_eq!(resp.status(), 200, "search answers 200 for {query:?}");
        resp.json().await.expect("json")
    }
}

/// Runbook stems of a JSON search answer.
pub fn stems(v: &serde_json::Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["runbook"].as_str().expect("runbook").to_string())
        .collect()
}

/// The status and `error.message` of an API error answer.
pub async fn api_error(resp: reqwest::Response) -> (u16, String) {
    let status = resp.status().as_u16();
    let body: serde_json::Value = resp.json().await.expect("a JSON error body");
    let message = body["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    (status, message)
}

/// The HTML of `path` as `client` sees it.
pub async fn page(client: &reqwest::Client, app: &TestApp, path: &str) -> String {
    client
        .get(app.url(path))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html")
}

/// Calls a server function as a form post; returns the status, the `Location` header (a
/// redirect after success) and the body.
pub async fn rpc(
    client: &reqwest::Client,
    app: &TestApp,
    endpoint: &str,
    form: &[(&str, &str)],
) -> (u16, String, String) {
    let resp = client
        .post(app.url(&format!("/rpc/{endpoint}")))
        .form(form)
        .send()
        .await
        .expect("rpc");
    let status = resp.status().as_u16();
    let location = resp
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, location, resp.text().await.expect("body"))
}

/// A server function's JSON answer; panics unless it is 200.
pub async fn rpc_json(
    client: &reqwest::Client,
    app: &TestApp,
    endpoint: &str,
    form: &[(&str, &str)],
) -> serde_json::Value {
    let (status, _, body) = rpc(client, app, endpoint, form).await;
    assert_eq!(status, 200, "{endpoint}: {body}");
    serde_json::from_str(&body).expect("JSON")
}

/// Every file's bytes under `dir`, as text (for "this value is nowhere" checks).
pub fn all_bytes(dir: &Path) -> String {
    let mut out = String::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.push_str(&all_bytes(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    out
}

/// A client that keeps cookies and shows redirects instead of following them, like a
/// browser seen from the server.
pub fn browser_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .expect("client")
}
