//! Deployment notes in the portal: a form to paste them (the same intake as the API, so they
//! are sanitized before they are stored) and the stored note with its redaction report.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::{SubmitNotes, get_deployment, get_deployment_services};
use crate::components::loaded::loaded;
use crate::components::notice::ErrorNotice;

/// The largest notes body accepted (the server says the same).
const MAX_BODY: usize = 64 * 1024;

#[component]
pub fn NewNotesPage() -> impl IntoView {
    let services = Resource::new(|| (), |_| get_deployment_services());
    let submit = ServerAction::<SubmitNotes>::new();
    let pending = submit.pending();
    view! {
        <Title text="Deployment notes" />
        <h1 class="page-title">"Deployment notes"</h1>
        <p class="lede">"Paste what a deployment changed. Secrets, personal data and internal addresses are masked before anything is stored; you will see what was masked. CI can post the same to "<code>"POST /api/v1/deployments"</code>" with a "<code>"notes:write"</code>" token."</p>
        {move || submit.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
        {loaded(" Loading…", services, move |list| view! {
                        <ActionForm action=submit attr:class="card notes-form stack">
                            <label><span>"Service"</span>
                                <select name="form[service]" required>
                                    <option value="">"Choose the service…"</option>
                                    {list.into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
                                </select></label>
                            <div class="row">
                                <label><span>"Environment"</span>
                                    <input type="text" name="form[environment]" maxlength="64" placeholder="production" /></label>
                                <label><span>"Version"</span>
                                    <input type="text" name="form[version]" maxlength="128" placeholder="v2.14.0" /></label>
                            </div>
                            <label><span>"Notes (Markdown or plain text)"</span>
                                <textarea name="form[body]" required rows="14" maxlength=MAX_BODY.to_string()
                                    placeholder="## Changes\n- …\n## Configuration\n- …\n## Rollback\n- …"></textarea></label>
                            <p>
                                <button class="btn primary" type="submit" disabled=move || pending.get()>
                                    {move || if pending.get() { "Sanitizing and saving…" } else { "Submit notes" }}
                                </button>
                            </p>
                        </ActionForm>
                    })}
    }
}

#[component]
pub fn DeploymentPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let note = Resource::new(id, get_deployment);
    view! {
        <Title text="Deployment" />
        {loaded(" Loading…", note, move |d| {
                        let masked: usize = d.redactions.iter().map(|r| r.count).sum();
                        view! {
                            <h1 class="page-title">{format!("{} {}", d.service, d.version.clone().unwrap_or_default())}</h1>
                            <dl class="meta">
                                <dt>"Environment"</dt><dd>{d.environment.unwrap_or_else(|| "—".into())}</dd>
                                <dt>"Deployed"</dt><dd>{d.deployed_at}</dd>
                                <dt>"Deployed by"</dt><dd>{d.deployed_by.unwrap_or_else(|| "—".into())}</dd>
                                <dt>"Commit"</dt><dd>{d.commit.unwrap_or_else(|| "—".into())}</dd>
                                <dt>"Submitted by"</dt><dd>{d.submitted_by}</dd>
                            </dl>
                            {if masked == 0 {
                                view! { <div class="notice success redaction-report"><strong>"Nothing needed masking."</strong></div> }.into_any()
                            } else {
                                view! {
                                    <div class="notice warn redaction-report" role="status">
                                        <strong>{format!("{masked} value(s) were masked before storing:")}</strong>
                                        <ul>{d.redactions.into_iter().map(|r| view! {
                                            <li><code>{r.category}</code>" × "{r.count}</li>
                                        }).collect_view()}</ul>
                                        <p class="muted">{format!("Only the masked text is kept (sanitizer version {}).", d.sanitizer_version)}</p>
                                    </div>
                                }.into_any()
                            }}
                            <h2>"Runbook drafts"</h2>
                            {if d.drafts.is_empty() {
                                view! { <p class="muted">"These notes gave nothing to add to a runbook."</p> }.into_any()
                            } else {
                                view! {
                                    <p>"The runbooks' owners review these in their drafts queue."</p>
                                    <ul class="draft-links">{d.drafts.into_iter().map(|x| view! {
                                        <li><a href=format!("/drafts/{}", x.id)>{x.runbook.clone()}</a>
                                            {x.is_new.then_some(" (new runbook)")}" — "{x.status}</li>
                                    }).collect_view()}</ul>
                                }.into_any()
                            }}
                            <h2>"Notes as stored"</h2>
                            <pre class="notes-body">{d.body}</pre>
                            {(!d.links.is_empty()).then(|| view! {
                                <h2>"Links"</h2>
                                <ul>{d.links.into_iter().map(|l| view! { <li><code>{l}</code></li> }).collect_view()}</ul>
                            })}
                        }.into_any()
        })}
    }
}
