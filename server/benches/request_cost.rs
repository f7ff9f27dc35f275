//! What one input costs, against its size: every parser that takes text a user or a file
//! sends (runbook Markdown and front matter, search queries, deployment notes, template
//! parameters), each on ordinary and adversarial shapes, at a size and at 8× that size.
//! "growth per byte" is (time at 8×) / (time at 1×) / 8: about 1 is linear, 8 quadratic.
//! Refused inputs count too: the cost of saying no must be linear as well.
//!
//! `cargo bench -p server --bench request_cost`; `GATEHOUSE_BENCH_KB` sets the smaller size
//! (default 32). Prints a Markdown table for the README. `GATEHOUSE_BENCH_PARTS=1` splits a
//! runbook body's time into Markdown, the nesting gauge and ammonia alone, for the shapes
//! named like `GATEHOUSE_BENCH_SHAPE` (use a small `GATEHOUSE_BENCH_KB`: ammonia alone is
//! quadratic on the deep shapes, which is why the gauge exists, or set
//! `GATEHOUSE_BENCH_NO_AMMONIA=1`).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;
use server::catalog::Catalog;
use server::catalog::params;
use server::deployments::notes;
use server::runbooks::catalog::Runbook;
use server::runbooks::names::RunbookStem;
use server::runbooks::query;

/// Shapes of a runbook body; each is repeated to the size.
const MARKDOWN: &[(&str, &str)] = &[
    (
        "prose",
        "Check the pool, then roll back if p99 stays high. ",
    ),
    ("headings, all alike", "## Steps\n\nText.\n\n"),
    ("open brackets", "["),
    ("unclosed links", "[a]("),
    ("emphasis runs", "*a**b"),
    ("backtick runs", "`a``b"),
    ("link reference definitions", "[a]: http://x\n"),
    ("table cells", "| a "),
    ("footnote references", "[^a]"),
    ("quotes in lists, one line", "> - "),
    ("raw HTML, never closed", "<div><span a=\"b\">"),
    ("stray end tags", "</b><i>"),
    ("misnested formatting", "<b><i><u>x</b>"),
    ("unclosed tables", "<table><div>"),
    ("lone <", "<"),
];

/// Search queries, each repeated to the size (the parser cuts long ones; the cut is measured).
const QUERIES: &[(&str, &str)] = &[
    ("words", "latency pool "),
    ("quotes", "\"a "),
    ("filters", "service:x "),
    ("operators", "-(+"),
];

fn time<T>(f: impl Fn() -> T) -> Duration {
    // The best of a few runs: what the input costs, not what the machine was doing.
    let runs = 3;
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(f());
            started.elapsed()
        })
        .min()
        .expect("runs")
}

fn repeat_to(unit: &str, bytes: usize) -> String {
    unit.repeat(bytes.div_ceil(unit.len()))
}

fn row(input: &str, shape: &str, small: usize, f: impl Fn(usize) -> Duration) {
    let t1 = f(small);
    let t8 = f(small * 8);
    let growth = t8.as_secs_f64() / t1.as_secs_f64().max(1e-9) / 8.0;
    println!(
        "| {input} | {shape} | {:.2} ms | {:.2} ms | {growth:.2} |",
        t1.as_secs_f64() * 1e3,
        t8.as_secs_f64() * 1e3
    );
}

fn main() {
    let kb: usize = std::env::var("GATEHOUSE_BENCH_KB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32);
    let small = kb * 1024;
    println!(
        "| input | shape | {kb} KB | {} KB | growth per byte |",
        kb * 8
    );
    println!("|---|---|---:|---:|---:|");

    let front = "---\ntitle: T\nservice: checkout-api\nowners: [sre]\nvisibility: internal\nlast_reviewed: 2026-11-01\n---\n";
    let stem = RunbookStem::parse("bench").expect("stem");
    if std::env::var_os("GATEHOUSE_BENCH_PARTS").is_some() {
        markdown_parts(small);
        return;
    }
    for (shape, unit) in MARKDOWN {
        row("runbook body", shape, small, |bytes| {
            let text = format!("{front}{}", repeat_to(unit, bytes));
            time(|| Runbook::parse(stem.clone(), "bench.md", &text).is_ok())
        });
    }
    row("front matter", "a long list", small, |bytes| {
        let list = repeat_to("  - sre\n", bytes.min(60 * 1024));
        let text = format!(
            "---\ntitle: T\nservice: s\nowners:\n{list}visibility: internal\nlast_reviewed: 2026-11-01\n---\nbody\n"
        );
        time(|| Runbook::parse(stem.clone(), "bench.md", &text).is_ok())
    });
    row(
        "front matter",
        "brackets nested (refused)",
        small,
        |bytes| {
            let text = format!("---\ntitle: {}\n---\nbody\n", repeat_to("[", bytes));
            time(|| Runbook::parse(stem.clone(), "bench.md", &text).is_ok())
        },
    );
    for (shape, unit) in QUERIES {
        row("search query", shape, small, |bytes| {
            let q = repeat_to(unit, bytes);
            time(|| query::parse(&q).words.len())
        });
    }
    row("deployment notes", "header-like lines", small, |bytes| {
        let text = repeat_to("Service: checkout-api\nVersion: 1.2.3\n", bytes);
        time(|| notes::from_plain_text(&text, None).body.map(|b| b.len()))
    });
    row("deployment notes", "one long line", small, |bytes| {
        let text = repeat_to("rolled back 1.2.3 after p99 rose; ", bytes);
        time(|| notes::from_plain_text(&text, None).body.map(|b| b.len()))
    });

    let catalog =
        Catalog::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog")).expect("catalog");
    let template = catalog.templates.values().next().expect("a template");
    for (shape, unit) in [("a long value", "a"), ("a long value of quotes", "\"'")] {
        row("template parameters", shape, small, |bytes| {
            let submitted: BTreeMap<String, Value> = template
                .params
                .iter()
                .map(|p| (p.name.clone(), Value::String(repeat_to(unit, bytes))))
                .collect();
            time(|| params::validate(&template.params, &submitted).is_ok())
        });
    }
}

/// Where a runbook body's time goes: Markdown parsing and rendering, the nesting gauge, and
/// ammonia (`GATEHOUSE_BENCH_PARTS=1`).
fn markdown_parts(small: usize) {
    let only = std::env::var("GATEHOUSE_BENCH_SHAPE").unwrap_or_default();
    for (shape, unit) in MARKDOWN.iter().filter(|(s, _)| s.contains(only.as_str())) {
        let mut line = format!("{shape}:");
        for bytes in [small, small * 8] {
            let md = repeat_to(unit, bytes);
            let mut html = String::new();
            let render = time(|| {
                let parser =
                    pulldown_cmark::Parser::new_ext(&md, server::runbooks::document::options());
                let mut out = String::new();
                pulldown_cmark::html::push_html(&mut out, parser);
                out
            });
            let parser =
                pulldown_cmark::Parser::new_ext(&md, server::runbooks::document::options());
            pulldown_cmark::html::push_html(&mut html, parser);
            let gauge = time(|| server::runbooks::nesting::too_deep_at(&html));
            let clean = if std::env::var_os("GATEHOUSE_BENCH_NO_AMMONIA").is_some() {
                Duration::ZERO
            } else {
                time(|| ammonia::clean(&html))
            };
            line += &format!(
                " {} KB: markdown {:.2} ms, gauge {:.2} ms, ammonia {:.2} ms;",
                bytes / 1024,
                render.as_secs_f64() * 1e3,
                gauge.as_secs_f64() * 1e3,
                clean.as_secs_f64() * 1e3
            );
        }
        println!("{line}");
    }
}
