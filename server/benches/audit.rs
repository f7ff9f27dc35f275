//! Audit log benchmark: how fast events append (one writer, and several writers on their
//! own connection pools contending for the chain head), and how fast `verify` walks the chain.
//!
//! `cargo bench -p server --bench audit` runs on SQLite in a temp dir;
//! `GATEHOUSE_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres` adds a run on a
//! fresh PostgreSQL database. `GATEHOUSE_BENCH_EVENTS` sets the count (default 5,000).
//! Prints a Markdown table for the README.

use std::time::Instant;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use server::audit::signing::AuditKey;
use server::audit::verify::verify;
use server::audit::{AuditLog, Event, Origin};

const WRITERS: usize = 8;

fn event(i: usize) -> Event {
    Event::by_name(
        &format!("bench-{}", i % 97),
        "bench",
        "bench.append",
        format!("n:{i}"),
    )
    .origin(&Origin::cli())
    .details(serde_json::json!({ "i": i, "note": "a typical small details object" }))
}

async fn connect(url: &str) -> DatabaseConnection {
    server::db::connect_and_migrate(url)
        .await
        .expect("database")
}

/// Returns rows of (measure, value) for one database.
async fn run(label: &str, url: &str, events: usize) -> Vec<(String, String)> {
    let log = AuditLog::new(AuditKey::generate());
    let public = log.key().public();
    let db = connect(url).await;
    let mut rows = Vec::new();

    let started = Instant::now();
    for i in 0..events {
        log.record(&db, &event(i)).await.expect("append");
    }
    let one = started.elapsed();
    rows.push((
        format!("{label}: one writer, {events} appends"),
        format!(
            "{:.0} events/s ({:.2} ms each)",
            events as f64 / one.as_secs_f64(),
            one.as_secs_f64() * 1e3 / events as f64
        ),
    ));

    let each = events / WRITERS;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..WRITERS {
        let db = connect(url).await;
        let log = log.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..each {
                log.record(&db, &event(w * each + i)).await.expect("append");
            }
        }));
    }
    for t in tasks {
        t.await.expect("writer");
    }
    let many = started.elapsed();
    rows.push((
        format!(
            "{label}: {WRITERS} writers on their own pools, {} appends",
            each * WRITERS
        ),
        format!(
            "{:.0} events/s",
            (each * WRITERS) as f64 / many.as_secs_f64()
        ),
    ));

    let total = events + each * WRITERS;
    let started = Instant::now();
    let report = verify(&db, &public, &Default::default(), chrono::Utc::now())
        .await
        .expect("verify");
    let walked = started.elapsed();
    assert!(report.failure.is_none(), "{report:?}");
    assert_eq!(report.events as usize, total);
    rows.push((
        format!(
            "{label}: `audit verify` over {total} events, {} checkpoints",
            report.checkpoints
        ),
        format!(
            "{:.0} ms ({:.0} events/s)",
            walked.as_secs_f64() * 1e3,
            total as f64 / walked.as_secs_f64()
        ),
    ));
    rows
}

fn main() {
    let events: usize = std::env::var("GATEHOUSE_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut rows = runtime.block_on(run(
        "SQLite",
        &format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("audit.db").display()
        ),
        events,
    ));
    if let Ok(admin) = std::env::var("GATEHOUSE_BENCH_POSTGRES_URL") {
        rows.extend(runtime.block_on(async {
            let name = format!("gh_bench_{}", std::process::id());
            let conn = Database::connect(&admin).await.expect("postgres");
            conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create database");
            let base = admin
                .rsplit_once('/')
                .map(|(b, _)| b.to_string())
                .unwrap_or(admin.clone());
            let rows = run("PostgreSQL", &format!("{base}/{name}"), events).await;
            let _ = conn
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
            rows
        }));
    }
    println!("| measure | value |\n|---|---|");
    for (measure, value) in rows {
        println!("| {measure} | {value} |");
    }
}
