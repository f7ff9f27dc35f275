//! Runbook drafts for their owners: the review queue (with drifting runbooks) and one
//! draft's page (provenance, diff, preview, edit, accept or reject). The forms are plain
//! HTML posts, enhanced once hydrated.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::{DecideDraft, get_draft, get_review_queue};
use crate::components::diff::Diff;
use crate::components::loaded::loaded;
use crate::components::notice::{Empty, ErrorNotice};
use crate::dto::{DraftView, ReviewQueue};

#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let queue = Resource::new(|| (), |_| get_review_queue());
    view! {
        <Title text="Drafts" />
        <h1 class="page-title">"Runbook drafts"</h1>
        <p class="lede">"Updates drafted from deployment notes for the runbooks you own. A draft is untrusted until you accept it: read the diff, edit what is wrong, then accept or reject it."</p>
        {loaded(" Loading…", queue, move |q| view! { <Queue q /> })}
    }
}

#[component]
fn Queue(q: ReviewQueue) -> impl IntoView {
    let drafts = if q.drafts.is_empty() {
        view! { <Empty title="Nothing to review".to_string() hint="Drafts appear here when a deployment of a service whose runbooks you own reports notes.".to_string() /> }.into_any()
    } else {
        view! {
            <ul class="draft-list">
                {q.drafts.into_iter().map(|d| view! {
                    <li class="card draft-item">
                        <a class="draft-title" href=format!("/drafts/{}", d.id)>{d.title}</a>
                        <div class="row">
                            <span class="chip">{d.service}</span>
                            {d.is_new.then(|| view! { <span class="badge new">"new runbook"</span> })}
                            {d.conflicted.then(|| view! { <span class="badge stale">"runbook changed since"</span> })}
                            <span class="muted">{d.created_at}</span>
                        </div>
                        <ul class="summary">{d.summary.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                    </li>
                }).collect_view()}
            </ul>
        }.into_any()
    };
    view! {
        <section>
            <h2>"Waiting for review"</h2>
            {drafts}
        </section>
        <section>
            <h2>"Drifting runbooks"</h2>
            {if q.drifting.is_empty() {
                view! { <p class="muted">"None of your runbooks is drifting."</p> }.into_any()
            } else {
                view! {
                    <ul class="drift-list">
                        {q.drifting.into_iter().map(|d| view! {
                            <li>
                                <a href=format!("/runbooks/{}", d.runbook)>{d.title}</a>
                                " — "{d.drift.kinds.join(", ")}" changed since "{d.drift.since}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn DraftPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let decide = ServerAction::<DecideDraft>::new();
    // Reload the draft after each decision (the server redirects without JavaScript).
    let draft = Resource::new(
        move || (id(), decide.version().get()),
        |(id, _)| get_draft(id),
    );
    view! {
        <Title text="Draft" />
        {move || decide.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
        {loaded(" Loading…", draft, move |d| view! { <Draft d decide /> })}
    }
}

#[component]
fn Draft(d: DraftView, decide: ServerAction<DecideDraft>) -> impl IntoView {
    let pending = decide.pending();
    let open = d.status == "pending";
    let id = d.id.clone();
    let status = match d.status.as_str() {
        "accepted" => view! { <span class="badge success">"accepted"</span> }.into_any(),
        "rejected" => view! { <span class="badge denied">"rejected"</span> }.into_any(),
        _ => view! { <span class="badge stale">"waiting for review"</span> }.into_any(),
    };
    let decided = d.decided_by.clone().map(|by| {
        view! {
            <div class=if d.status == "accepted" { "notice success" } else { "notice warn" }>
                <strong>{format!("{} by {by} on {}.", if d.status == "accepted" { "Accepted" } else { "Rejected" }, d.decided_at.clone().unwrap_or_default())}</strong>
                {d.reason.clone().map(|r| view! { <p>"Reason: "{r}</p> })}
                {d.revision.map(|_| view! { <p><a href=format!("/runbooks/{}/history", d.runbook)>"See the runbook's history"</a></p> })}
            </div>
        }.into_any()
    });
    let conflict = d.conflict.clone().filter(|_| open).map(|lines| {
        let id = id.clone();
        view! {
            <div class="notice warn conflict" role="alert">
                <strong>"The runbook changed after this draft was made."</strong>
                <p>"Accepting now would overwrite those changes, so it is refused. Here is what changed; redraft to apply the same notes to the current runbook."</p>
                <Diff lines label="Changes to the runbook since the draft" />
                <ActionForm action=decide>
                    <input type="hidden" name="decision[id]" value=id />
                    <input type="hidden" name="decision[decision]" value="redraft" />
                    <button class="btn" type="submit" disabled=move || pending.get()>"Redraft on the current runbook"</button>
                </ActionForm>
            </div>
        }.into_any()
    });
    let preview = match d.preview_html.clone() {
        Ok(html) => view! { <div class="prose preview" inner_html=html></div> }.into_any(),
        Err(reason) => view! { <div class="notice error"><strong>"The proposal is not a valid runbook"</strong><p>{reason}</p></div> }.into_any(),
    };
    let actions = open.then(|| {
        let (id_a, id_r) = (id.clone(), id.clone());
        let own = d.own_submission;
        view! {
            <section class="card stack decide">
                <h2>"Decide"</h2>
                {own.then(|| view! {
                    <p class="notice warn">"You submitted the notes behind this draft, so another owner must accept it. You can still reject it."</p>
                })}
                <ActionForm action=decide attr:class="stack">
                    <input type="hidden" name="decision[id]" value=id_a />
                    <input type="hidden" name="decision[decision]" value="accept" />
                    <label><span>"Proposed runbook (edit before accepting)"</span>
                        <textarea name="decision[text]" rows="24" spellcheck="false" class="mono">{crate::components::raw_text::textarea(&d.proposed)}</textarea></label>
                    <p class="muted">"Accepting stores a new revision, writes the file (and commits it when the runbooks directory is a git repository) and sets last_reviewed to today."</p>
                    <p><button class="btn primary" type="submit" disabled=move || own || pending.get()>
                        {move || if pending.get() { "Saving…" } else { "Accept" }}
                    </button></p>
                </ActionForm>
                <ActionForm action=decide attr:class="stack reject-form">
                    <input type="hidden" name="decision[id]" value=id_r />
                    <input type="hidden" name="decision[decision]" value="reject" />
                    <label><span>"Reason for rejecting"</span>
                        <input type="text" name="decision[reason]" required maxlength="2000" placeholder="Steps are wrong for our setup" /></label>
                    <p><button class="btn danger" type="submit" disabled=move || pending.get()>"Reject"</button></p>
                </ActionForm>
            </section>
        }.into_any()
    });
    view! {
        <h1 class="page-title">{d.title.clone()}" "{status}</h1>
        {decided}
        {conflict}
        <dl class="meta provenance">
            <dt>"Runbook"</dt><dd>{if d.is_new { format!("{} (new)", d.runbook) } else { d.runbook.clone() }}</dd>
            <dt>"Owners"</dt><dd>{d.owners.join(", ")}</dd>
            <dt>"Deployment"</dt><dd><a href=format!("/deployments/{}", d.deployment_id)>{d.deployment_label.clone()}</a>" (notes by "{d.submitted_by.clone()}")"</dd>
            <dt>"Drafter"</dt><dd>{d.drafter.clone()}{d.model.clone().map(|m| format!(" ({m})"))}</dd>
            {d.drafter_note.clone().map(|n| view! { <dt>"Drafter note"</dt><dd>{n}</dd> })}
            <dt>"Sanitizer"</dt><dd>{format!("version {}", d.sanitizer_version)}</dd>
            <dt>"Drafted against"</dt><dd>{d.base.clone().map(|b| format!("the file with SHA-256 {b}…")).unwrap_or_else(|| "nothing (new runbook)".into())}</dd>
            <dt>"Drafted"</dt><dd>{d.created_at.clone()}</dd>
        </dl>
        <section>
            <h2>"What it changes"</h2>
            <ul class="summary">{d.summary.clone().into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
            <Diff lines=d.diff.clone() label="Proposed changes" />
        </section>
        <section>
            <h2>"Preview"</h2>
            {preview}
        </section>
        {actions}
    }
}
