//! One runbook: metadata, table of contents, and the sanitized rendered Markdown.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::{MarkReviewed, get_runbook};
use crate::components::notice::ErrorNotice;
use crate::dto::RunbookView;
use crate::error::PortalError;
use crate::pages::not_found::NotFound;

#[component]
pub fn RunbookPage() -> impl IntoView {
    let params = use_params_map();
    let stem = move || params.with(|p| p.get("stem").unwrap_or_default());
    let runbook = Resource::new(stem, get_runbook);
    view! {
        <Suspense fallback=|| view! { <p class="loading"><span class="spinner"></span>" Loading runbook…"</p> }>
            {move || Suspend::new(async move {
                match runbook.await {
                    Ok(view) => view! { <Runbook view /> }.into_any(),
                    Err(PortalError::NotFound) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Runbook(view: RunbookView) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| crate::components::enhance::add_copy_buttons());
    let reviewed = if view.stale {
        format!(
            "{} ({} days ago — review overdue)",
            view.last_reviewed, view.days_since_review
        )
    } else {
        format!(
            "{} ({} days ago)",
            view.last_reviewed, view.days_since_review
        )
    };
    let mark = ServerAction::<MarkReviewed>::new();
    let stem = view.stem.clone();
    let can_review = view.can_review;
    let drift = view.drift.clone().map(|d| view! {
        <div class="notice warn drift-notice" role="status">
            <strong>{format!("Drifting: {} changed in deployments since {}, after this runbook was last reviewed.", d.kinds.join(", "), d.since)}</strong>
            <p>"Check the drafts made from those deployments, or mark the runbook reviewed once it is current."</p>
            {can_review.then(|| view! {
                <ActionForm action=mark>
                    <input type="hidden" name="stem" value=stem.clone() />
                    <a class="btn" href="/drafts">"Open drafts"</a>" "
                    <button class="btn" type="submit">"Mark reviewed"</button>
                </ActionForm>
            })}
        </div>
    }.into_any());
    view! {
        <Title text=view.title.clone() />
        <div class="runbook-layout">
            <aside class="toc">
                <h2>"On this page"</h2>
                <nav aria-label="Table of contents">
                    <ol>
                        {view.toc.into_iter().map(|entry| view! {
                            <li class=format!("toc-l{}", entry.level)>
                                <a href=format!("#{}", entry.anchor)>{entry.text}</a>
                            </li>
                        }).collect_view()}
                    </ol>
                </nav>
            </aside>
            <article class="runbook">
                <header class="runbook-header">
                    <div class="row">
                        <a class="chip" href=format!("/?service={}", view.service)>{view.service.clone()}</a>
                        {view.tags.iter().map(|tag| view! {
                            <a class="chip" href=format!("/?tag={tag}")>{tag.clone()}</a>
                        }).collect_view()}
                        {view.restricted.then(|| view! {
                            <span class="badge restricted" title=format!("Visible to: {}", view.groups.join(", "))>"restricted"</span>
                        })}
                        {view.stale.then(|| view! { <span class="badge stale">"review overdue"</span> })}
                        {view.drift.is_some().then(|| view! { <span class="badge drift">"drifting"</span> })}
                    </div>
                    <dl class="meta">
                        <dt>"Owners"</dt><dd>{view.owners.join(", ")}</dd>
                        <dt>"Last reviewed"</dt><dd>{reviewed}</dd>
                        {(!view.alerts.is_empty()).then(|| view! {
                            <dt>"Alerts"</dt><dd>{view.alerts.join(", ")}</dd>
                        })}
                        <dt>"History"</dt><dd><a href=format!("/runbooks/{}/history", view.stem)>"Revisions accepted in Gatehouse"</a></dd>
                    </dl>
                    {drift}
                    {view.stale.then(|| view! {
                        <div class="notice warn"><strong>"This runbook has not been reviewed for over 90 days."</strong>
                        <p>"Steps may be out of date; check with the owners after the incident."</p></div>
                    })}
                </header>
                <div class="prose" inner_html=view.html></div>
            </article>
        </div>
    }
}
