//! Hostile input on every route, against the real `gatehouse serve` with debug logging: long
//! paths, queries and headers, bodies over every limit, deep JSON and floods of form fields,
//! as anonymous and as an admin. Every answer must be a 4xx or a success, never a 5xx, and no
//! log line may carry more than a bounded piece of what the client sent.

mod common;
#[path = "support/routes.rs"]
mod routes;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::{repo_root, run, runbooks_copy};
use server::sanitizer::log_guard::{MAX_EVENT, MAX_FIELD};

/// The client's filler: a byte no detector masks, so a logged run of it is easy to measure.
const FILL: char = 'Z';
/// Longer than any field may be logged, well inside hyper's header limits.
const LONG: usize = 6_000;

/// `gatehouse serve` on a free port with its stderr collected on a thread.
struct Served {
    child: Child,
    base: String,
    log: std::thread::JoinHandle<Vec<String>>,
    _dir: tempfile::TempDir,
}

impl Served {
    fn start() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let runbooks = runbooks_copy(dir.path());
        let mut child = Command::new(env!("CARGO_BIN_EXE_gatehouse"))
            .env_remove("GATEHOUSE_CONFIG")
            .env("GATEHOUSE_BIND", "127.0.0.1:0")
            .env("GATEHOUSE_RUNBOOKS_DIR", runbooks)
            .env("GATEHOUSE_INDEX_DIR", dir.path().join("index"))
            .env("GATEHOUSE_SITE_ROOT", dir.path().join("site"))
            .env("GATEHOUSE_AUDIT_KEY_FILE", dir.path().join("audit.key"))
            .env("GATEHOUSE_CATALOG_DIR", repo_root().join("server/catalog"))
            .env(
                "GATEHOUSE_POLICIES_DIR",
                repo_root().join("server/policies"),
            )
            .env(
                "DATABASE_URL",
                format!("sqlite://{}?mode=rwc", dir.path().join("g.db").display()),
            )
            .env("GATEHOUSE_RATE_LIMIT_API_PER_MINUTE", "100000")
            .env("GATEHOUSE_RATE_LIMIT_SIGNIN_PER_MINUTE", "100000")
            .env("GATEHOUSE_LOG_FORMAT", "json")
            // Every level, so no debug line that echoes input escapes the check.
            .env("RUST_LOG", "debug")
            .args(["serve"])
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn gatehouse serve");
        let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
        let mut early = Vec::new();
        let addr = loop {
            let Some(Ok(line)) = lines.next() else {
                panic!(
                    "the server stopped before it listened:\n{}",
                    early.join("\n")
                );
            };
            if line.contains("Gatehouse is listening") {
                let value: serde_json::Value = serde_json::from_str(&line).expect("json log");
                break value["addr"]
                    .as_str()
                    .expect("the address is logged")
                    .to_string();
            }
            early.push(line);
        };
        let log = std::thread::spawn(move || {
            early.extend(lines.map_while(Result::ok));
            early
        });
        Self {
            child,
            base: format!("http://{addr}"),
            log,
            _dir: dir,
        }
    }

    /// Stops the server and returns everything it logged.
    fn stop(mut self) -> Vec<String> {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let exit = loop {
            if let Some(exit) = self.child.try_wait().expect("wait") {
                break exit;
            }
            if std::time::Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not stop within 30 s of SIGTERM");
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        };
        assert!(exit.success(), "the server stopped cleanly: {exit:?}");
        self.log.join().expect("the log reader")
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(25))
        .build()
        .expect("client")
}

/// The ways one route is attacked: a name and the request to send.
fn attacks(
    client: &reqwest::Client,
    base: &str,
    case: &routes::Case,
    anonymous: bool,
) -> Vec<(&'static str, reqwest::RequestBuilder)> {
    let long = FILL.to_string().repeat(LONG);
    let join = if case.path.contains('?') { '&' } else { '?' };
    let url = format!("{base}{}", case.path);
    let method: reqwest::Method = case.method.parse().expect("method");
    let send = |url: &str| client.request(method.clone(), url);
    let mut out = vec![
        (
            "a long path",
            send(&format!(
                "{url}{}{long}",
                if join == '?' { "/" } else { "" }
            )),
        ),
        (
            "a long query with thousands of parameters",
            send(&format!("{url}{join}q={long}&{}", "k=v&".repeat(LONG / 4))),
        ),
        (
            "long headers",
            send(&url)
                .header("user-agent", &long)
                .header("x-request-id", &long)
                .header("accept-language", &long)
                .header("x-forwarded-for", &long),
        ),
    ];
    if anonymous {
        out.push((
            "a long bearer token",
            send(&url).header("authorization", format!("Bearer gh_{long}")),
        ));
        out.push((
            "a long cookie",
            send(&url).header("cookie", format!("gatehouse_session={long}; other={long}")),
        ));
    }
    if case.method == "POST" {
        let big = FILL.to_string().repeat(3 * 1024 * 1024);
        for content_type in ["application/json", "application/x-www-form-urlencoded"] {
            out.push((
                "a 3 MB body",
                send(&url)
                    .header("content-type", content_type)
                    .body(big.clone()),
            ));
        }
        out.push((
            "JSON nested 100,000 deep",
            send(&url)
                .header("content-type", "application/json")
                .body("[".repeat(100_000)),
        ));
        out.push((
            "a JSON string of the whole limit",
            send(&url)
                .header("content-type", "application/json")
                .body(format!(
                    "{{\"q\":\"{}\"}}",
                    FILL.to_string().repeat(900_000)
                )),
        ));
        out.push((
            "50,000 form fields",
            send(&url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("q={long}&{}", "a=1&".repeat(50_000))),
        ));
    }
    out
}

#[test]
fn hostile_input_on_every_route_gets_a_4xx_and_bounded_logs() {
    let served = Served::start();
    let base = served.base.clone();
    let mut wrong = run(async {
        let mut wrong = Vec::new();
        for anonymous in [true, false] {
            let client = client();
            // The pooled connection may be one the server just closed after answering an
            // attack early; a POST is not retried by the client, so sign-in tries again.
            let sign_in = || async {
                for attempt in 1.. {
                    match client
                        .post(format!("{base}/auth/dev"))
                        .form(&[("persona", "admin")])
                        .send()
                        .await
                    {
                        Ok(resp) => {
                            assert_eq!(resp.status(), 303, "signed in as admin");
                            return;
                        }
                        Err(e) if attempt < 3 && !e.is_timeout() => continue,
                        Err(e) => panic!("sign in: {e}"),
                    }
                }
            };
            if !anonymous {
                sign_in().await;
            }
            for case in routes::cases() {
                for (attack, request) in attacks(&client, &base, &case, anonymous) {
                    let who = if anonymous { "anonymous" } else { "admin" };
                    let started = std::time::Instant::now();
                    let answer = request.send().await;
                    if std::env::var_os("HOSTILE_TRACE").is_some() {
                        eprintln!(
                            "{} {} {attack} {who}: {:?}",
                            case.method,
                            case.path,
                            started.elapsed()
                        );
                    }
                    match answer {
                        Ok(resp) if resp.status().is_server_error() => wrong.push(format!(
                            "{} {} as {who} with {attack}: {}",
                            case.method,
                            case.path,
                            resp.status()
                        )),
                        Ok(_) => {}
                        // The server may answer before it reads a body it will not use and
                        // close the connection while the client still sends: HTTP allows it.
                        // A panic would close it too; the log check below catches those.
                        Err(e) if !e.is_timeout() => {}
                        Err(e) => wrong.push(format!(
                            "{} {} as {who} with {attack}: no answer ({e})",
                            case.method, case.path
                        )),
                    }
                    if !anonymous && case.route.starts_with("/auth/") {
                        sign_in().await;
                    }
                }
            }
        }
        wrong
    });
    let log = served.stop();
    let run_of_fill = FILL.to_string().repeat(MAX_FIELD + 1);
    // A cut value ends in a marker saying how much was cut: allow it, and the newline.
    let most = MAX_EVENT + 64;
    for (n, line) in log.iter().enumerate() {
        if line.contains("panicked at") {
            wrong.push(format!("log line {n}: {}", head(line, 300)));
        } else if line.len() > most {
            wrong.push(format!(
                "log line {n} is {} bytes (most {most}): {}…",
                line.len(),
                head(line, 200)
            ));
        } else if line.contains(&run_of_fill) {
            let at = line.find(&run_of_fill).unwrap_or(0);
            wrong.push(format!(
                "log line {n} carries over {MAX_FIELD} bytes of client input: {}…",
                head(line, at.min(300))
            ));
        }
    }
    assert!(
        log.iter().any(|l| l.contains("more bytes]")),
        "the long paths reached the log, cut to their bound"
    );
    assert!(
        log.len() > 100,
        "the server logged the requests ({} lines)",
        log.len()
    );
    wrong.dedup();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The first `n` bytes of `line`, backed off to a character boundary.
fn head(line: &str, mut n: usize) -> &str {
    n = n.min(line.len());
    while !line.is_char_boundary(n) {
        n -= 1;
    }
    &line[..n]
}
