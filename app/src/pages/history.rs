//! A runbook's history: every revision accepted in the portal, who accepted it, from which
//! deployment, and its diff.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::get_runbook_history;
use crate::components::diff::Diff;
use crate::components::loaded::loaded;

#[component]
pub fn HistoryPage() -> impl IntoView {
    let params = use_params_map();
    let stem = move || params.with(|p| p.get("stem").unwrap_or_default());
    let history = Resource::new(stem, get_runbook_history);
    view! {
        <Title text="History" />
        {loaded(" Loading…", history, move |h| view! {
                        <h1 class="page-title">"History: "<a href=format!("/runbooks/{}", h.runbook)>{h.title}</a></h1>
                        {if h.revisions.is_empty() {
                            view! { <p class="muted">"No revision was accepted in Gatehouse yet; earlier changes are in the runbooks repository."</p> }.into_any()
                        } else {
                            view! {
                                <ol class="revisions">
                                    {h.revisions.into_iter().map(|r| view! {
                                        <li class="card revision" id=format!("r{}", r.seq)>
                                            <h2>{format!("Revision {}", r.seq)}</h2>
                                            <p>
                                                "Accepted by "<strong>{r.accepted_by}</strong>" on "{r.at}
                                                {r.deployment_id.map(|d| view! { ", from "<a href=format!("/deployments/{d}")>"deployment notes"</a> })}
                                                {r.draft_id.map(|d| view! { " ("<a href=format!("/drafts/{d}")>"draft"</a>")" })}
                                            </p>
                                            <p class="muted">{r.message}</p>
                                            <details>
                                                <summary>"Diff"</summary>
                                                <Diff lines=r.diff label="Changes in this revision" />
                                            </details>
                                        </li>
                                    }).collect_view()}
                                </ol>
                            }.into_any()
                        }}
                    })}
    }
}
