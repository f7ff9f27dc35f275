//! The auditor page: the audit log, newest first, filtered by actor, action, target and
//! time through a plain GET form (works without JavaScript), with a JSON Lines export of
//! the same filter.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::get_audit_events;
use crate::components::loaded::loaded;
use crate::dto::AuditQuery;
use crate::pages::urlencode;

const FIELDS: [(&str, &str, &str); 5] = [
    ("actor", "Actor", "dev:developer, a subject, anonymous"),
    ("action", "Action", "signin, access.denied, token.create"),
    ("target", "Target (or its start)", "user:, runbook:, token:"),
    ("since", "From", "2026-11-27"),
    ("until", "Before", "2026-11-28T00:00:00Z"),
];

#[component]
pub fn AuditPage() -> impl IntoView {
    let params = use_query_map();
    let query = move || {
        params.with(|p| {
            let get = |k: &str| p.get(k).filter(|v| !v.trim().is_empty());
            AuditQuery {
                actor: get("actor"),
                action: get("action"),
                target: get("target"),
                since: get("since"),
                until: get("until"),
                before: get("before").and_then(|b| b.parse().ok()),
            }
        })
    };
    let events = Resource::new(query, get_audit_events);
    view! {
        <Title text="Audit log" />
        <h1 class="page-title">"Audit log"</h1>
        <form class="card filters audit-filters" method="get" action="/audit" role="search">
            {move || {
                let q = query();
                let value = move |k: &str| match k {
                    "actor" => q.actor.clone(),
                    "action" => q.action.clone(),
                    "target" => q.target.clone(),
                    "since" => q.since.clone(),
                    _ => q.until.clone(),
                }.unwrap_or_default();
                FIELDS.iter().map(|(name, label, hint)| view! {
                    <label>
                        <span>{*label}</span>
                        <input type="text" name=*name value=value(name) placeholder=*hint />
                    </label>
                }).collect_view()
            }}
            <div class="filter-actions">
                <button class="btn primary" type="submit">"Filter"</button>
                <a class="btn" href="/audit">"Clear"</a>
                <a class="btn export" rel="external" href=move || export_href(&query()) download="gatehouse-audit.jsonl">
                    "Export JSON Lines"
                </a>
            </div>
        </form>
        {loaded(" Loading events…", events, move |page| {
            if page.events.is_empty() {
                return view! {
                        <div class="notice empty"><strong>"No events match these filters."</strong>
                            <p>"Clear a filter, or widen the time range."</p></div>
                }.into_any();
            }
                        let next = page.next_before.map(|before| {
                            let mut q = query();
                            q.before = Some(before);
                            view! { <p><a class="btn" href=page_href(&q)>"Older events →"</a></p> }
                        });
                        view! {
                            <div class="table-wrap">
                                <table class="table audit">
                                    <thead><tr>
                                        <th>"#"</th><th>"Time (UTC)"</th><th>"Actor"</th><th>"Action"</th>
                                        <th>"Target"</th><th>"Outcome"</th><th>"From"</th><th>"Details"</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.events.into_iter().map(|e| view! {
                                            <tr class=format!("outcome-{}", e.outcome)>
                                                <td>{e.seq}</td>
                                                <td><time>{e.at}</time></td>
                                                <td title=e.auth_method.clone()>{e.actor}<span class="muted">{format!(" ({})", e.auth_method)}</span></td>
                                                <td><code>{e.action}</code></td>
                                                <td><code>{e.target}</code></td>
                                                <td><span class=format!("badge {}", e.outcome)>{e.outcome.clone()}</span></td>
                                                <td title=e.request_id>{e.source}</td>
                                                <td><code class="details">{e.details}</code></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {next}
                        }.into_any()
        })}
    }
}

fn query_string(q: &AuditQuery) -> String {
    let pairs = [
        ("actor", q.actor.clone()),
        ("action", q.action.clone()),
        ("target", q.target.clone()),
        ("since", q.since.clone()),
        ("until", q.until.clone()),
        ("before", q.before.map(|b| b.to_string())),
    ];
    pairs
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}={}", urlencode(&v))))
        .collect::<Vec<_>>()
        .join("&")
}

fn page_href(q: &AuditQuery) -> String {
    format!("/audit?{}", query_string(q))
}

/// The export of everything the filter matches (all pages, oldest first).
fn export_href(q: &AuditQuery) -> String {
    let q = AuditQuery {
        before: None,
        ..q.clone()
    };
    format!("/api/v1/audit/export?{}", query_string(&q))
}
