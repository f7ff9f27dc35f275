//! Preview benchmark: how long the dry run behind every preview and submission takes for each
//! shipped template (validate, render, run the sanitizer's detectors, evaluate every Rego
//! policy with regorus), and how much of it is policy evaluation alone.
//!
//! `cargo bench -p server --bench policy`; `GATEHOUSE_BENCH_ROUNDS` sets the rounds per
//! template (default 200). Prints a Markdown table for the README.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use server::auth::dev_login;
use server::auth::roles::RoleMap;
use server::catalog::Catalog;
use server::policy::PolicySet;
use server::requests::preview::Planner;
use server::sanitizer::Sanitizer;

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1e3
}

fn main() {
    let rounds: usize = std::env::var("GATEHOUSE_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let started = Instant::now();
    let catalog = Catalog::load(&root.join("catalog")).expect("the catalog");
    let policies = PolicySet::load(&root.join("policies")).expect("the policies");
    let load = started.elapsed();
    let planner = Planner {
        catalog: Arc::new(catalog),
        policies: Arc::new(policies),
        sanitizer: Arc::new(Sanitizer::new()),
    };
    let who = dev_login::persona("developer")
        .expect("the developer persona")
        .identity(&RoleMap::default());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");

    println!(
        "| template | files | policy results | dry run p50 / p99 | policy evaluation alone p50 / p99 |"
    );
    println!("|---|---|---|---|---|");
    for template in planner.catalog.templates.values() {
        // What a person fills in: the examples for required values, defaults for the rest.
        let submitted: BTreeMap<String, Value> = template
            .params
            .iter()
            .filter(|p| p.default.is_none())
            .filter_map(|p| Some((p.name.clone(), Value::String(p.example.clone()?))))
            .collect();
        let mut dry_runs = Vec::with_capacity(rounds);
        let mut last = None;
        for _ in 0..rounds {
            let t = Instant::now();
            let preview = runtime
                .block_on(planner.preview(&who, &template.id, &submitted))
                .unwrap_or_else(|e| panic!("{}: {e}", template.id));
            dry_runs.push(t.elapsed());
            last = Some(preview);
        }
        let preview = last.expect("at least one round");
        // The same input document, evaluated on its own.
        let doc = server::policy::input::build(
            &preview.template,
            &preview.values,
            &preview.files,
            &preview.secrets,
            &server::policy::input::Requester {
                subject: &who.subject,
                groups: who.groups.iter().map(|g| g.to_string()).collect(),
                roles: who.roles.names(),
            },
        );
        let mut evals = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let t = Instant::now();
            planner.policies.evaluate(&doc).expect("evaluates");
            evals.push(t.elapsed());
        }
        dry_runs.sort();
        evals.sort();
        println!(
            "| `{}` | {} | {} | {:.2} ms / {:.2} ms | {:.2} ms / {:.2} ms |",
            template.id,
            preview.files.len(),
            preview.findings.len(),
            percentile(&dry_runs, 0.5),
            percentile(&dry_runs, 0.99),
            percentile(&evals, 0.5),
            percentile(&evals, 0.99),
        );
    }
    println!(
        "\nLoading the catalog and compiling the policies: {:.0} ms ({rounds} rounds per template).",
        load.as_secs_f64() * 1e3
    );
}
