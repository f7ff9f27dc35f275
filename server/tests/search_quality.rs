//! Search as on-call engineers use it, over the shipped sample runbooks: the right runbook
//! and section come first for exact names, typos, phrases, filters and half-typed words.

use std::sync::OnceLock;

use server::runbooks::RunbookLibrary;
use server::runbooks::names::GroupName;

fn library() -> &'static RunbookLibrary {
    static LIB: OnceLock<RunbookLibrary> = OnceLock::new();
    LIB.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runbooks");
        RunbookLibrary::open(&dir, None).expect("the sample runbooks load")
    })
}

fn top(query: &str) -> Vec<(String, String)> {
    let found = library().search_flat(query, &[], 10).expect("search");
    found
        .hits
        .iter()
        .map(|h| (h.runbook.stem.to_string(), h.anchor.clone()))
        .collect()
}

fn top_runbook(query: &str) -> String {
    top(query)
        .first()
        .map(|(r, _)| r.clone())
        .unwrap_or_default()
}

#[test]
fn an_exact_alert_name_ranks_its_section_first() {
    assert_eq!(
        top("CheckoutApiP99Slow")[0],
        (
            "checkout-api-high-latency".to_string(),
            "checkoutapip99slow".to_string()
        )
    );
    assert_eq!(
        top("kafkaconsumerlaghigh")[0].1,
        "kafkaconsumerlaghigh",
        "case does not matter"
    );
}

#[test]
fn an_exact_title_ranks_first() {
    assert_eq!(
        top_runbook("PostgreSQL disk almost full"),
        "postgres-disk-almost-full"
    );
}

#[test]
fn a_word_with_one_typo_still_finds_its_runbook() {
    assert_eq!(
        top_runbook("replcation lag"),
        "postgres-primary-replication-lag"
    );
    assert_eq!(
        top_runbook("evictoins redis"),
        "redis-cache-evictions-memory-pressure"
    );
    assert_eq!(
        top_runbook("certficate expiring"),
        "cert-manager-certificate-expiring"
    );
}

#[test]
fn hyphenated_service_names_match_as_typed() {
    assert_eq!(
        top_runbook("checkout-api latency"),
        "checkout-api-high-latency"
    );
    assert_eq!(top_runbook("ci-runners disk"), "ci-runners-disk-pressure");
    assert_eq!(
        top_runbook("service:ingress-nginx"),
        "ingress-nginx-502-503-spike"
    );
}

#[test]
fn the_word_being_typed_matches_as_a_prefix() {
    assert_eq!(top_runbook("pgbounc"), "postgres-connection-exhaustion");
    assert_eq!(top_runbook("coredn"), "coredns-resolution-failures");
}

#[test]
fn the_word_being_typed_is_highlighted_where_it_is_completed() {
    let found = library().search_flat("pgbounc", &[], 3).expect("search");
    let marked: Vec<String> = found.hits[0]
        .snippet
        .parts()
        .iter()
        .filter(|(_, hit)| *hit)
        .map(|(t, _)| t.to_lowercase())
        .collect();
    assert!(
        !marked.is_empty() && marked.iter().all(|t| t.starts_with("pgbounc")),
        "{marked:?}"
    );
}

#[test]
fn quoted_phrases_match_words_in_order() {
    let hits = top("\"consumer lag\"");
    assert!(!hits.is_empty());
    assert_eq!(hits[0].0, "orders-pipeline-kafka-consumer-lag");
    assert!(top("\"lag consumer\"").is_empty() || top("\"lag consumer\"")[0].0 != "zzz");
}

#[test]
fn filters_narrow_results() {
    let found = library()
        .search_flat("rollback tag:kafka", &[], 20)
        .expect("search");
    assert!(!found.hits.is_empty());
    assert!(
        found
            .hits
            .iter()
            .all(|h| h.runbook.meta.tags.contains(&"kafka".to_string()))
    );
    let alert = library()
        .search_flat("alert:VaultSealed", &[], 20)
        .expect("search");
    assert_eq!(
        alert.total, 0,
        "restricted runbook not visible without its group"
    );
    let security = [GroupName::parse("security-oncall").expect("group")];
    let alert = library()
        .search_flat("alert:VaultSealed", &security, 20)
        .expect("search");
    assert!(alert.total > 0);
}

#[test]
fn excluded_words_remove_sections() {
    let found = library()
        .search_flat("latency -checkout", &[], 50)
        .expect("search");
    assert!(
        found
            .hits
            .iter()
            .all(|h| !h.runbook.stem.as_ref().starts_with("checkout"))
    );
}

#[test]
fn results_are_grouped_so_one_runbook_does_not_flood() {
    let grouped = library()
        .search_grouped("latency", &[], 20)
        .expect("search");
    assert!(grouped.groups.len() > 2);
    for g in &grouped.groups {
        assert!(g.hits.len() <= 3);
    }
    let stems: Vec<_> = grouped
        .groups
        .iter()
        .map(|g| g.runbook.stem.to_string())
        .collect();
    let mut unique = stems.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), stems.len(), "each runbook once");
}

#[test]
fn snippets_highlight_the_matched_words() {
    let found = library()
        .search_flat("pgbouncer pool", &[], 5)
        .expect("search");
    let parts = found.hits[0].snippet.parts();
    let marked: Vec<String> = parts
        .iter()
        .filter(|(_, hit)| *hit)
        .map(|(t, _)| t.to_lowercase())
        .collect();
    assert!(!marked.is_empty(), "{parts:?}");
    assert!(
        marked.iter().all(|t| t == "pgbouncer" || t == "pool"),
        "only query words are marked: {marked:?}"
    );
}

#[test]
fn words_the_index_cannot_use_give_a_notice_not_an_error() {
    let found = library().search_flat("- : *", &[], 5).expect("search");
    assert!(found.hits.is_empty());
    assert!(!found.notices.is_empty());
}

#[test]
fn a_typo_is_highlighted_where_the_right_spelling_appears() {
    let found = library().search_flat("replcation", &[], 5).expect("search");
    let marked: Vec<String> = found
        .hits
        .iter()
        .flat_map(|h| {
            h.snippet
                .parts()
                .into_iter()
                .filter(|(_, hit)| *hit)
                .map(|(t, _)| t.to_lowercase())
        })
        .collect();
    assert!(
        marked.iter().any(|t| t == "replication"),
        "{:?}",
        found.hits
    );
    assert!(
        marked.iter().all(|t| t == "replication"),
        "only close spellings are marked: {marked:?}"
    );
}

/// Search must tell a reader nothing about runbooks they may not read: every query gives
/// the same hits, counts, notices and (up to rounding of stored lengths) scores as the same
/// query over a library that never held those runbooks. Words found only in restricted
/// runbooks, their prefixes and their misspellings are the probes an attacker would use.
#[test]
fn search_answers_a_reader_as_if_unreadable_runbooks_did_not_exist() {
    let reader = [GroupName::parse("developers").expect("group")];
    let all = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runbooks");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut hidden = Vec::new();
    for rb in library().catalog().runbooks.values() {
        if rb.readable_by(&reader) {
            std::fs::copy(all.join(&rb.file), dir.path().join(&rb.file)).expect("copy");
        } else {
            hidden.push(rb.clone());
        }
    }
    assert!(!hidden.is_empty(), "the samples hold restricted runbooks");
    let readable_only = RunbookLibrary::open(dir.path(), None).expect("load");
    let readable_words: std::collections::HashSet<String> = readable_only
        .catalog()
        .runbooks
        .values()
        .flat_map(|rb| rb.sections.iter())
        .flat_map(|s| {
            server::runbooks::terms::analyze(&format!("{} {} {}", s.heading, s.text, s.code))
        })
        .collect();
    let mut probes: Vec<String> = Vec::new();
    for rb in &hidden {
        let text = rb
            .sections
            .iter()
            .map(|s| format!("{} {} {}", s.heading, s.text, s.code))
            .collect::<Vec<_>>()
            .join(" ");
        let only_here: Vec<String> = server::runbooks::terms::analyze(&text)
            .into_iter()
            .filter(|w| w.is_ascii() && w.len() >= 5 && !readable_words.contains(w))
            .collect();
        for word in only_here.iter().take(12) {
            probes.push(word.clone());
            probes.push(word[..4].to_string());
            probes.push(format!("{}x{}", &word[..2], &word[3..]));
        }
        probes.push(rb.meta.title.clone());
        probes.push(format!("\"{}\"", rb.meta.title));
    }
    probes.extend(["database", "rollback", "timeouts", "latency high"].map(String::from));
    assert!(probes.len() > 20, "{probes:?}");
    for probe in &probes {
        // Every match, so ties at a cut-off (prefix matches score alike) cannot differ.
        let got = library().search_flat(probe, &reader, 1000).expect("search");
        let want = readable_only
            .search_flat(probe, &reader, 1000)
            .expect("search");
        assert_eq!(got.hits.len(), got.total, "all of {probe:?}");
        assert_eq!(got.total, want.total, "count for {probe:?}");
        assert_eq!(got.notices, want.notices, "notices for {probe:?}");
        let key = |r: &server::runbooks::search::FlatResults| {
            let mut v: Vec<(String, String)> = r
                .hits
                .iter()
                .map(|h| (h.runbook.stem.to_string(), h.anchor.clone()))
                .collect();
            v.sort();
            v
        };
        assert_eq!(key(&got), key(&want), "hits for {probe:?}");
        for g in &got.hits {
            let w = want
                .hits
                .iter()
                .find(|w| w.runbook.stem == g.runbook.stem && w.anchor == g.anchor)
                .expect("the same hit");
            let close = (g.score - w.score).abs() <= 0.03 * w.score.abs().max(1.0);
            assert!(close, "score for {probe:?}: {} vs {}", g.score, w.score);
        }
    }
}
