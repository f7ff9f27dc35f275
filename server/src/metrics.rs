//! Prometheus metrics: request counts and latencies per route, the runbook index, and
//! webhook attempts.
//! One registry per application instance (no globals), rendered at `/metrics`.

use std::sync::atomic::AtomicU64;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::runbooks::RunbookLibrary;
use crate::runbooks::library::RefreshReport;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

fn latency_histogram() -> Histogram {
    // 100 µs … ~3.3 s
    Histogram::new(exponential_buckets(0.0001, 2.0, 16))
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    index_sections: Gauge,
    index_bytes: Gauge,
    index_runbooks: Gauge,
    index_problems: Gauge,
    last_reindex: Gauge<f64, AtomicU64>,
    reindex_seconds: Histogram,
    webhook_attempts: Family<OutcomeLabels, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("gatehouse");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram as fn() -> Histogram,
        );
        let index_sections = Gauge::default();
        let index_bytes = Gauge::default();
        let index_runbooks = Gauge::default();
        let index_problems = Gauge::default();
        let last_reindex = Gauge::<f64, AtomicU64>::default();
        let reindex_seconds = Histogram::new(exponential_buckets(0.001, 2.0, 14));
        let webhook_attempts = Family::<OutcomeLabels, Counter>::default();
        // Every outcome exists from the start at 0, so the first failure is an increase.
        for outcome in ["delivered", "retrying", "failed"] {
            drop(webhook_attempts.get_or_create(&OutcomeLabels { outcome }));
        }
        registry.register(
            "http_requests",
            "HTTP requests by method, route and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by route",
            latency.clone(),
        );
        registry.register(
            "index_sections",
            "Runbook sections in the search index",
            index_sections.clone(),
        );
        registry.register(
            "index_size_bytes",
            "Size of the search index on disk",
            index_bytes.clone(),
        );
        registry.register("index_runbooks", "Runbooks loaded", index_runbooks.clone());
        registry.register(
            "index_problem_files",
            "Runbook files skipped because of problems",
            index_problems.clone(),
        );
        registry.register(
            "index_last_reindex_timestamp_seconds",
            "Unix time of the last reindex",
            last_reindex.clone(),
        );
        registry.register(
            "index_reindex_duration_seconds",
            "Time to re-read and re-index the runbooks",
            reindex_seconds.clone(),
        );
        registry.register(
            "webhook_attempts",
            "Webhook delivery attempts on this replica by outcome: delivered, retrying (will be tried again) or failed (no attempts left)",
            webhook_attempts.clone(),
        );
        Self {
            registry,
            requests,
            latency,
            index_sections,
            index_bytes,
            index_runbooks,
            index_problems,
            last_reindex,
            reindex_seconds,
            webhook_attempts,
        }
    }

    /// Counts one webhook attempt by its outcome.
    pub fn observe_webhook_attempt(&self, outcome: &'static str) {
        self.webhook_attempts
            .get_or_create(&OutcomeLabels { outcome })
            .inc();
    }

    /// Records a refresh of the runbook library.
    pub fn observe_refresh(&self, report: &RefreshReport) {
        self.reindex_seconds.observe(report.took_ms / 1000.0);
    }

    /// The metrics in Prometheus text format.
    pub fn render(&self, library: &RunbookLibrary) -> String {
        let catalog = library.catalog();
        self.index_sections.set(library.index().num_docs() as i64);
        self.index_bytes.set(library.index().size_bytes() as i64);
        self.index_runbooks.set(catalog.runbooks.len() as i64);
        self.index_problems.set(catalog.problems.len() as i64);
        if let Some(at) = library.last_refresh() {
            self.last_reindex.set(at.timestamp_millis() as f64 / 1000.0);
        }
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            tracing::error!("encoding metrics failed");
        }
        out
    }
}

/// Middleware: counts every request and times it, labelled by a known method (or `other`),
/// the matched route template (never the raw path) and the status the server chose, so no
/// client can add series.
pub async fn track(
    State(metrics): State<std::sync::Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    // Label values come from closed sets: a client can make up methods, not series.
    let method = match *request.method() {
        http::Method::GET => "GET",
        http::Method::HEAD => "HEAD",
        http::Method::POST => "POST",
        http::Method::PUT => "PUT",
        http::Method::PATCH => "PATCH",
        http::Method::DELETE => "DELETE",
        http::Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
    .to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let response = next.run(request).await;
    let status = response.status().as_u16();
    metrics
        .requests
        .get_or_create(&RequestLabels {
            method: method.clone(),
            route: route.clone(),
            status,
        })
        .inc();
    metrics
        .latency
        .get_or_create(&RouteLabels { method, route })
        .observe(started.elapsed().as_secs_f64());
    response
}
