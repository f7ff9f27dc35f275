//! Search benchmark: generates runbook-like sections, builds the index through the real
//! start-up path, and measures query latency in-process and through HTTP on loopback.
//!
//! `cargo bench -p server --bench search` (100,000 sections). `GATEHOUSE_BENCH_SECTIONS`
//! changes the size. Prints a Markdown table for the README.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::Arc;

use server::config::Config;
use server::runbooks::RunbookLibrary;
use server::runbooks::library::LibraryError;
use server::runbooks::names::GroupName;
use server::startup::Application;

const SECTIONS_PER_RUNBOOK: usize = 10;

const WORDS: &[&str] = &[
    "latency",
    "error",
    "timeout",
    "connection",
    "pool",
    "database",
    "replica",
    "primary",
    "lag",
    "disk",
    "memory",
    "cpu",
    "throttling",
    "pod",
    "deployment",
    "rollback",
    "restart",
    "certificate",
    "expired",
    "queue",
    "consumer",
    "producer",
    "partition",
    "broker",
    "leader",
    "election",
    "cache",
    "eviction",
    "ingress",
    "upstream",
    "gateway",
    "dns",
    "resolution",
    "token",
    "jwks",
    "rotation",
    "login",
    "rate",
    "limit",
    "saturation",
    "backlog",
    "runner",
    "job",
    "pipeline",
    "artifact",
    "registry",
    "image",
    "pull",
    "node",
    "drain",
    "cordon",
    "autoscaler",
    "quota",
    "tls",
    "handshake",
    "socket",
    "retry",
    "backoff",
    "circuit",
    "breaker",
    "failover",
    "snapshot",
    "backup",
    "restore",
    "vacuum",
    "index",
    "bloat",
    "deadlock",
    "transaction",
    "checkpoint",
    "wal",
    "archive",
    "alert",
    "threshold",
    "dashboard",
    "escalate",
    "page",
    "incident",
    "mitigation",
    "diagnosis",
    "symptom",
    "traffic",
    "spike",
    "regression",
    "release",
    "canary",
    "feature",
    "flag",
    "config",
    "secret",
    "vault",
    "seal",
    "kubernetes",
    "helm",
    "terraform",
    "network",
    "packet",
    "loss",
    "firewall",
];

const SERVICES: &[&str] = &[
    "checkout-api",
    "payments-api",
    "auth-service",
    "orders-pipeline",
    "kafka",
    "postgres-primary",
    "ingress-nginx",
    "ci-runners",
    "redis-cache",
    "coredns",
    "vault",
    "search-api",
    "billing-worker",
    "inventory-api",
    "notification-service",
    "ledger",
    "fraud-scoring",
    "email-gateway",
];

/// Words ranked by frequency, drawn with Zipf's law (s = 1.07) as in real prose: glue words
/// first, then the operations vocabulary, then a long tail of rare terms (hostnames, metric
/// names, flags). A technical word lands in a few percent of sections, as in real runbooks.
struct Vocabulary {
    ranked: Vec<String>,
    cumulative: Vec<f64>,
}

const GLUE: &[&str] = &[
    "the", "and", "to", "of", "a", "in", "is", "for", "on", "if", "with", "check", "this", "that",
    "it", "be", "are", "or", "from", "then", "when", "by", "not", "at", "as", "run", "use", "than",
    "all", "an", "one", "no", "can", "more", "after", "before", "until", "each", "its", "into",
];

impl Vocabulary {
    fn new() -> Self {
        let mut ranked: Vec<String> = GLUE.iter().map(|w| w.to_string()).collect();
        ranked.extend(WORDS.iter().map(|w| w.to_string()));
        ranked.extend((0..40_000).map(|i| format!("{}{}", WORDS[i % WORDS.len()], i)));
        let mut total = 0.0;
        let cumulative = (1..=ranked.len())
            .map(|r| {
                total += 1.0 / (r as f64).powf(1.07);
                total
            })
            .collect();
        Self { ranked, cumulative }
    }

    fn word(&self, rng: &mut StdRng) -> &str {
        let total = *self.cumulative.last().unwrap_or(&1.0);
        let x = rng.random_range(0.0..total);
        let i = self
            .cumulative
            .partition_point(|c| *c < x)
            .min(self.ranked.len() - 1);
        &self.ranked[i]
    }
}

fn sentence(rng: &mut StdRng, words: usize, vocab: &Vocabulary) -> String {
    (0..words)
        .map(|_| vocab.word(rng).to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

fn camel(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// Writes `n_runbooks` runbook files; returns the alert names used.
fn generate(dir: &std::path::Path, n_runbooks: usize) -> Vec<String> {
    let mut rng = StdRng::seed_from_u64(7);
    let vocab = Vocabulary::new();
    let mut alerts = Vec::new();
    for i in 0..n_runbooks {
        let service = SERVICES[i % SERVICES.len()];
        let a = WORDS[rng.random_range(0..WORDS.len())];
        let b = WORDS[rng.random_range(0..WORDS.len())];
        let alert = format!(
            "{}{}{}",
            camel(&[service.split('-').next().unwrap_or("svc")]),
            camel(&[a, b]),
            i
        );
        alerts.push(alert.clone());
        let restricted = i % 10 == 0;
        let mut text = format!(
            "---\ntitle: {} {} {} runbook {i}\nservice: {service}\nowners: [team-{}]\ntags: [{a}, {b}]\nalerts: [{alert}]\nvisibility: {}\n{}last_reviewed: 2026-0{}-1{}\n---\n# {} {a} {b}\n\n{}\n",
            service,
            a,
            b,
            service.split('-').next().unwrap_or("x"),
            if restricted { "restricted" } else { "internal" },
            if restricted {
                "groups: [payments-oncall]\n"
            } else {
                ""
            },
            1 + i % 9,
            i % 10,
            service,
            sentence(&mut rng, 40, &vocab),
        );
        for s in 1..SECTIONS_PER_RUNBOOK - 2 {
            let heading = sentence(&mut rng, 3, &vocab);
            let _ = write!(
                text,
                "\n## {heading} {s}\n\n{}\n\n```bash\nkubectl -n {service} get pods -l app={service} # {}\n```\n",
                sentence(&mut rng, 60, &vocab),
                sentence(&mut rng, 4, &vocab)
            );
        }
        let _ = write!(
            text,
            "\n## Alerts\n\n### {alert}\n\nFires when {}.\n",
            sentence(&mut rng, 12, &vocab)
        );
        std::fs::write(dir.join(format!("rb-{i:06}.md")), text).expect("write runbook");
    }
    alerts
}

fn queries(alerts: &[String]) -> Vec<String> {
    let mut rng = StdRng::seed_from_u64(11);
    let mut q = Vec::new();
    for i in 0..250 {
        let w = |rng: &mut StdRng| WORDS[rng.random_range(0..WORDS.len())].to_string();
        q.push(match i % 10 {
            0 | 1 => w(&mut rng),
            2 => format!("{} {}", w(&mut rng), w(&mut rng)),
            3 => format!("\"{} {}\"", w(&mut rng), w(&mut rng)),
            4 => {
                // One typo: swap two letters.
                let mut c: Vec<char> = w(&mut rng).chars().collect();
                let j = rng.random_range(0..c.len() - 1);
                c.swap(j, j + 1);
                c.into_iter().collect()
            }
            5 => format!(
                "{} service:{}",
                w(&mut rng),
                SERVICES[rng.random_range(0..SERVICES.len())]
            ),
            6 => format!("{} tag:{}", w(&mut rng), w(&mut rng)),
            7 => alerts[rng.random_range(0..alerts.len())].clone(),
            8 => SERVICES[rng.random_range(0..SERVICES.len())].to_string(),
            _ => {
                let word = w(&mut rng);
                word[..word.len().min(4)].to_string()
            }
        });
    }
    q
}

/// Runs every query four times on the blocking pool (the first round warms caches and is not
/// counted); returns the sorted latencies and the number of results seen.
async fn time_in_process(
    library: &Arc<RunbookLibrary>,
    queries: &[String],
    search: fn(&RunbookLibrary, &str, &[GroupName]) -> Result<usize, LibraryError>,
) -> (Vec<Duration>, usize) {
    let groups = vec![GroupName::parse("developers").expect("group")];
    let mut times = Vec::new();
    let mut results = 0;
    for round in 0..4 {
        for q in queries {
            let (lib, q, groups) = (library.clone(), q.clone(), groups.clone());
            let t = Instant::now();
            let n = tokio::task::spawn_blocking(move || search(&lib, &q, &groups))
                .await
                .expect("join")
                .expect("search");
            if round > 0 {
                times.push(t.elapsed());
                results += n;
            }
        }
    }
    times.sort();
    (times, results)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.to_string())
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn main() {
    let sections: usize = std::env::var("GATEHOUSE_BENCH_SECTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let n_runbooks = sections / SECTIONS_PER_RUNBOOK;
    let dir = tempfile::tempdir().expect("tempdir");
    let runbooks = dir.path().join("runbooks");
    std::fs::create_dir_all(&runbooks).expect("dir");
    eprintln!("generating {n_runbooks} runbooks ({sections} sections)…");
    let alerts = generate(&runbooks, n_runbooks);
    let queries = queries(&alerts);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let mut config = Config::defaults();
        config.bind = "127.0.0.1:0".parse().expect("addr");
        config.database_url = format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display());
        config.runbooks_dir = runbooks.clone();
        config.index_dir = dir.path().join("index");
        config.audit_key_file = dir.path().join("audit.key");
        config.site_root = dir.path().join("site");
        config.catalog_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog");
        config.policies_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
        // The bench sends 1,000 requests in well under a minute: past the per-client limit.
        config.rate_limits.api_per_minute = 1_000_000;
        eprintln!("building the index…");
        let started = Instant::now();
        let app = Application::build(config).await.expect("app");
        let build = started.elapsed();
        let library = app.state().library.clone();
        let indexed = library.index().num_docs();
        let index_mb = library.index().size_bytes() as f64 / 1e6;
        let base = format!("http://{}", app.local_addr());
        tokio::spawn(app.run_until_stopped());

        // In-process: the portal's grouped search, and the API's flat one (to tell search time
        // from HTTP overhead), both with snippets, as a member of one group.
        let (inproc, hits) = time_in_process(&library, &queries, |lib, q, g| lib.search_grouped(q, g, 20).map(|r| r.groups.len())).await;
        let (flat, _) = time_in_process(&library, &queries, |lib, q, g| lib.search_flat(q, g, 20).map(|r| r.hits.len())).await;

        // Through HTTP on loopback: the JSON API, with snippets, one client, keep-alive.
        let client = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client");
        client.post(format!("{base}/auth/dev")).form(&[("persona", "developer")]).send().await.expect("sign in");
        let mut http = Vec::new();
        for round in 0..4 {
            for q in &queries {
                let t = Instant::now();
                let resp = client.get(format!("{base}/api/v1/runbooks/search")).query(&[("q", q.as_str()), ("limit", "20")]).send().await.expect("search");
                assert_eq!(resp.status(), 200);
                let _ = resp.bytes().await.expect("body");
                if round > 0 {
                    http.push(t.elapsed());
                }
            }
        }
        http.sort();

        // The floor: a request that does no work, through the same client and middleware.
        let mut floor = Vec::new();
        for _ in 0..750 {
            let t = Instant::now();
            let resp = client.get(format!("{base}/healthz")).send().await.expect("healthz");
            let _ = resp.bytes().await.expect("body");
            floor.push(t.elapsed());
        }
        floor.sort();

        println!("| measure | value |");
        println!("|---|---|");
        println!("| sections indexed | {indexed} |");
        println!("| index build (parse + index + commit, {n_runbooks} files) | {:.1} s |", build.as_secs_f64());
        println!("| index size on disk | {index_mb:.0} MB |");
        println!("| queries (mixed: words, phrases, typos, filters, alert names, prefixes) | {} × 3 rounds |", queries.len());
        println!("| in-process grouped search with snippets, p50 / p99 | {:.2} ms / {:.2} ms |", percentile(&inproc, 0.5), percentile(&inproc, 0.99));
        println!("| in-process flat search (the API's), 20 hits with snippets, p50 / p99 | {:.2} ms / {:.2} ms |", percentile(&flat, 0.5), percentile(&flat, 0.99));
        println!("| HTTP `GET /api/v1/runbooks/search` on loopback, p50 / p99 | {:.2} ms / {:.2} ms |", percentile(&http, 0.5), percentile(&http, 0.99));
        println!("| HTTP `GET /healthz` (request floor: client, loopback, middleware), p50 / p99 | {:.2} ms / {:.2} ms |", percentile(&floor, 0.5), percentile(&floor, 0.99));
        println!("| peak resident memory (whole process) | {:.0} MB |", peak_rss_mb());
        eprintln!("average runbooks per result page: {:.1}", hits as f64 / inproc.len() as f64);
    });
}
