//! The sanitizer's quality and speed, in four parts:
//!
//! 1. quality on the labelled evaluation corpus (`tests/support/eval_corpus.rs`, written
//!    apart from the detectors), per class, for the two tuning splits and the fresh one;
//! 2. throughput on 20 MB of that corpus's text, per document and as one `redact --plain`
//!    stream;
//! 3. throughput on the older synthetic mix of log lines (50 MB; `GATEHOUSE_BENCH_MB`);
//! 4. every adversarial family, at two sizes, against the rate of part 2.
//!
//! `cargo bench -p server --bench sanitizer`; `GATEHOUSE_BENCH_THROUGHPUT_ONLY=1` runs part 2 only
//! (for a profiler); `GATEHOUSE_EVAL_MISSES=1` runs part 1 only and lists
//! what the tuning splits missed and damaged (never the fresh split's: nobody tuning reads it).
//! When `detect-secrets` (PyPI) is on PATH, it runs on the same corpus in the same run, for
//! throughput, and on each kind of sensitive line alone, for coverage.

use std::time::Instant;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use server::sanitizer::Sanitizer;
use server::sanitizer::adversarial::FAMILIES;

#[allow(unused_imports)]
#[path = "../tests/support/eval_corpus.rs"]
mod eval_corpus;
#[allow(unused_imports, dead_code)]
#[path = "../tests/support/eval_score.rs"]
mod eval_score;

use eval_corpus::{SEED, Split, corpus};
use eval_score::Score;

const CLEAN: &[&str] = &[
    "2026-11-26T02:07:49.557Z INFO checkout-api request completed status=200 latency_ms=41 route=/v2/checkout\n",
    "kubectl -n payments rollout status deploy/checkout-api --timeout=120s\n",
    "Deployed image ghcr.io/acme/checkout@sha256:0f9ac4a31b8e7e8d1b2c3d4e5f60718293a4b5c6d7e8f90123456789abcdef01 (v1.27.3)\n",
    "commit 9fceb02d0ae598e95dc970b74767f19372d61af8 Merge pull request #4821 from acme/fix-pool\n",
    "  replicas: 3\n  resources:\n    limits:\n      cpu: 500m\n      memory: 512Mi\n",
    "If p99 latency stays above 2 s for ten minutes, roll back with helm rollback checkout 41 and page the owner.\n",
    "WARN pgbouncer pool saturated cl_waiting=12 sv_active=80 maxwait=3s\n",
    "See https://grafana.com/d/checkout-overview and https://github.com/acme/checkout/pull/4821\n",
    "request_id=123e4567-e89b-12d3-a456-426614174000 user_agent=\"Mozilla/5.0\" bytes=5120\n",
    "ERROR upstream connect error or disconnect/reset before headers. reset reason: connection timeout\n",
    "✅ Déploiement terminé — 3 pods prêts, latence médiane 41 ms 🚀\n",
];

const SECRETS: &[&str] = &[
    "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n",
    "DB_PASSWORD=hunter2-prod-2026\n",
    "DATABASE_URL=postgres://app:S3cr3tP4ss@pg-main-0.db.internal:5432/orders\n",
    "curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U' https://api.acme.io\n",
    "paged alice.smith@acme-corp.com and +44 20 7946 0958\n",
    "primary 10.42.7.19 replica 10.42.7.20\n",
    "GITHUB_TOKEN=ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789\n",
    "  password: correct-horse-battery\n",
    "curl -H 'Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l' https://nexus.acme.io/upload\n",
    "kind: Secret\ndata:\n  tls.key: LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0t\n",
    "Cookie: theme=dark; sessionid=7Hq2LxZp9RkV3mWc8TnB1yFd\n",
    "customer NI number AB 12 34 56 C, card 4111 1111 1111 1111\n",
];

fn main() {
    let sanitizer = Sanitizer::new();
    if std::env::var_os("GATEHOUSE_BENCH_THROUGHPUT_ONLY").is_some() {
        eval_throughput(&sanitizer);
        return;
    }
    for split in [Split::Tune, Split::HeldOut, Split::Fresh] {
        quality(&sanitizer, split);
    }
    if std::env::var_os("GATEHOUSE_EVAL_MISSES").is_some() {
        return;
    }
    let plain_rate = eval_throughput(&sanitizer);
    synthetic(&sanitizer);
    adversarial(&sanitizer, plain_rate);
}

/// Part 1: per-class recall (span and text mode), damaged negatives and character
/// precision on one split of the evaluation corpus.
fn quality(sanitizer: &Sanitizer, split: Split) {
    let docs = corpus(SEED, split, 40);
    let mut score = Score::default();
    let list_misses = split != Split::Fresh && std::env::var_os("GATEHOUSE_EVAL_MISSES").is_some();
    for doc in &docs {
        let out = sanitizer.sanitize(&doc.text);
        if list_misses {
            let (missed, damaged) = eval_score::mistakes(doc, &out);
            for (class, value, line) in missed {
                eprintln!(
                    "missed  {class:<28} {:<22} {value:?}\n        in {line:?}",
                    doc.kind
                );
            }
            for (category, extra, text) in eval_score::over_masked(doc, &out) {
                eprintln!("over    {category:<28} {:<22} {extra} {text:?}", doc.kind);
            }
            for (class, value, line) in damaged {
                eprintln!(
                    "damaged {class:<28} {:<22} {value:?}\n        in {line:?}",
                    doc.kind
                );
            }
        }
        score.add(doc, &out);
    }
    println!();
    println!(
        "### {split:?} split: {} documents, {:.1} KB, seed {SEED}",
        score.documents,
        score.bytes as f64 / 1024.0
    );
    println!();
    println!("| measure | value |");
    println!("|---|---:|");
    println!("| sensitive values | {} |", score.sensitive_values());
    println!(
        "| caught, span mode (≥ 90% of characters masked) | {:.3} |",
        score.recall_span()
    );
    println!(
        "| caught, text mode (< 10% of informative characters survive) | {:.3} |",
        score.recall_text()
    );
    println!("| character precision | {:.3} |", score.precision());
    println!("| look-alikes | {} |", score.negative_values());
    println!("| look-alikes damaged | {:.1}% |", 100.0 * score.damaged());
    println!();
    println!("| sensitive class | values | span | text |");
    println!("|---|---:|---:|---:|");
    for (class, c) in &score.sensitive {
        println!(
            "| {class} | {} | {:.3} | {:.3} |",
            c.total,
            c.caught_span as f64 / c.total as f64,
            c.caught_text as f64 / c.total as f64
        );
    }
    println!();
    println!("| look-alike class | values | damaged |");
    println!("|---|---:|---:|");
    for (class, c) in &score.negative {
        println!("| {class} | {} | {} |", c.total, c.damaged);
    }
}

/// Part 2: 20 MB of evaluation-corpus text, each document on its own and all of it as one
/// `gatehouse redact --plain` input. Returns the `--plain` rate.
fn eval_throughput(sanitizer: &Sanitizer) -> f64 {
    let target = 20 * 1024 * 1024;
    let mut docs = Vec::new();
    let mut bytes = 0;
    let mut seed = SEED;
    while bytes < target {
        for split in [Split::Tune, Split::HeldOut, Split::Fresh] {
            for doc in corpus(seed, split, 10) {
                bytes += doc.text.len() + 1;
                docs.push(doc.text);
            }
        }
        seed += 1;
    }
    let t = Instant::now();
    let mut findings = 0;
    for doc in &docs {
        findings += sanitizer.sanitize(doc).findings.len();
    }
    let per_document = bytes as f64 / 1e6 / t.elapsed().as_secs_f64();
    let stream = docs.join("\n");
    let mut out = Vec::with_capacity(stream.len() + stream.len() / 4);
    let t = Instant::now();
    server::sanitizer::redact::plain(sanitizer, stream.as_bytes(), &mut out).expect("in memory");
    let plain = stream.len() as f64 / 1e6 / t.elapsed().as_secs_f64();
    println!();
    println!("| evaluation-corpus text, one core | value |");
    println!("|---|---:|");
    println!(
        "| text | {:.1} MB in {} documents, {findings} findings |",
        bytes as f64 / 1e6,
        docs.len()
    );
    println!("| one document at a time | {per_document:.1} MB/s |");
    println!("| as one `redact --plain` input | {plain:.1} MB/s |");
    plain
}

/// Part 3: the older synthetic mix, and detect-secrets on it when installed.
fn synthetic(sanitizer: &Sanitizer) {
    let mb: usize = std::env::var("GATEHOUSE_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let target = mb * 1024 * 1024;
    let mut rng = StdRng::seed_from_u64(3);
    let mut text = String::with_capacity(target + 1024);
    let mut planted = 0usize;
    while text.len() < target {
        if rng.random_ratio(1, 20) {
            text.push_str(SECRETS[rng.random_range(0..SECRETS.len())]);
            planted += 1;
        } else {
            text.push_str(CLEAN[rng.random_range(0..CLEAN.len())]);
        }
    }
    // Documents are sanitized one at a time in practice: 64 KB chunks on line boundaries.
    let mut chunks = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let mut end = (start + 64 * 1024).min(text.len());
        while end < text.len() && !text.is_char_boundary(end) {
            end += 1;
        }
        if let Some(nl) = text[end..].find('\n') {
            end = (end + nl + 1).min(text.len());
        }
        chunks.push(&text[start..end]);
        start = end;
    }
    let t = Instant::now();
    let mut findings = 0;
    for chunk in &chunks {
        findings += sanitizer.sanitize(chunk).findings.len();
    }
    let secs = t.elapsed().as_secs_f64();
    println!();
    println!("| synthetic mix | value |");
    println!("|---|---|");
    println!(
        "| corpus | {:.1} MB, {planted} planted sensitive lines |",
        text.len() as f64 / 1e6
    );
    println!("| findings | {findings} |");
    println!("| time, one core | {secs:.2} s |");
    println!(
        "| Gatehouse throughput, one core | {:.1} MB/s |",
        text.len() as f64 / 1e6 / secs
    );

    // Not a hidden folder: detect-secrets skips paths that start with a dot.
    let dir = tempfile::Builder::new()
        .prefix("gatehouse-bench-")
        .tempdir()
        .expect("tempdir");
    let (ours, theirs) = coverage(sanitizer, dir.path());
    println!(
        "| kinds of planted sensitive lines found (of {}) | Gatehouse {ours} |",
        SECRETS.len()
    );
    let corpus = dir.path().join("corpus.txt");
    std::fs::write(&corpus, &text).expect("write corpus");
    match (theirs, detect_secrets(&corpus)) {
        (Some(kinds), Some((secs, n))) => {
            println!(
                "| detect-secrets {} on the same corpus | {:.2} s, {:.1} MB/s, {n} findings (deduplicated per secret) |",
                version(),
                secs,
                text.len() as f64 / 1e6 / secs
            );
            println!(
                "| kinds found by detect-secrets (of {}) | {kinds} |",
                SECRETS.len()
            );
        }
        _ => {
            eprintln!("detect-secrets is not installed (pip install detect-secrets): no comparison")
        }
    }
}

fn version() -> String {
    std::process::Command::new("detect-secrets")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

/// Runs `detect-secrets scan` on a file; returns (seconds, findings) or `None` if unavailable.
fn detect_secrets(path: &std::path::Path) -> Option<(f64, usize)> {
    let t = Instant::now();
    // Run from the file's folder: inside a git checkout detect-secrets only scans tracked files.
    let out = std::process::Command::new("detect-secrets")
        .arg("scan")
        .arg(path.file_name()?)
        .current_dir(path.parent()?)
        .output()
        .ok()?;
    let secs = t.elapsed().as_secs_f64();
    if !out.status.success() {
        return None;
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    let n = v["results"]
        .as_object()
        .map(|files| {
            files
                .values()
                .filter_map(|f| f.as_array())
                .map(|a| a.len())
                .sum()
        })
        .unwrap_or(0);
    Some((secs, n))
}

/// Part 4: each adversarial family as one document, at two sizes: the rate must not fall as
/// the input grows (linear time), and must stay within 3× of the realistic rate.
fn adversarial(sanitizer: &Sanitizer, realistic: f64) {
    let small = 256 * 1024;
    let large = 2 * 1024 * 1024;
    let rate = |text: &str| {
        let t = Instant::now();
        let out = sanitizer.sanitize(text);
        std::hint::black_box(out);
        text.len() as f64 / 1e6 / t.elapsed().as_secs_f64()
    };
    println!();
    println!(
        "| adversarial family (one document) | MB/s at 256 KB | MB/s at 2 MB | slower than realistic |"
    );
    println!("|---|---:|---:|---:|");
    let mut worst: f64 = 0.0;
    for family in FAMILIES {
        let a = rate(&family.build(small));
        let b = rate(&family.build(large));
        let slower = realistic / a.min(b);
        worst = worst.max(slower);
        println!("| {} | {a:.1} | {b:.1} | {slower:.1}× |", family.name);
    }
    println!("| worst family | | | {worst:.1}× |");
}

/// Kinds of planted sensitive lines each tool finds, each line scanned alone.
fn coverage(sanitizer: &Sanitizer, dir: &std::path::Path) -> (usize, Option<usize>) {
    let ours = SECRETS
        .iter()
        .filter(|line| !sanitizer.sanitize(line).findings.is_empty())
        .count();
    let mut theirs = Some(0);
    for (i, line) in SECRETS.iter().enumerate() {
        let path = dir.join(format!("kind-{i}.txt"));
        std::fs::write(&path, line).expect("write");
        theirs = match (theirs, detect_secrets(&path)) {
            (Some(n), Some((_, found))) => Some(n + usize::from(found > 0)),
            _ => None,
        };
    }
    (ours, theirs)
}
