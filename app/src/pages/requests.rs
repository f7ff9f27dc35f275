//! Requests: mine, the approver's inbox, and one request with its evidence, timeline and
//! the decisions the caller may take. Every form is a plain post that works without
//! JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::{DecideRequest, ResendNotification, get_inbox, get_my_requests, get_request};
use crate::components::loaded::loaded;
use crate::components::notice::{Empty, ErrorNotice};
use crate::dto::{RequestList, RequestSummary, RequestView};
use crate::pages::templates::{PolicyItem, TierBadge};

const LOADING: &str = " Loading…";

#[component]
pub fn RequestsPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| get_my_requests());
    view! {
        <Title text="My requests" />
        <h1 class="page-title">"My requests"</h1>
        <p class="lede">"Everything you asked for, newest first. Low-risk requests are approved at once; others wait for their approvers."</p>
        {loaded(LOADING, list, |list| if list.requests.is_empty() {
            view! {
                <Empty title="No requests yet".into() hint="Pick a template, preview it and request it: it shows up here.".into() />
                <p><a class="btn primary" href="/templates">"Browse templates"</a></p>
            }.into_any()
        } else {
            view! { <RequestTable list inbox=false /> }.into_any()
        })}
    }
}

#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| get_inbox());
    view! {
        <Title text="Approvals" />
        <h1 class="page-title">"Waiting for your decision"</h1>
        <p class="lede">"Requests you may approve, oldest first. Tier 1 needs two people, one of them a security reviewer; tier 2 one owner of the template or an approver."</p>
        {loaded(LOADING, list, |list| if list.requests.is_empty() {
            view! {
                <Empty title="Nothing waits for you".into() hint="Requests that need your approval appear here, oldest first.".into() />
            }.into_any()
        } else {
            view! { <RequestTable list inbox=true /> }.into_any()
        })}
    }
}

#[component]
fn RequestTable(list: RequestList, inbox: bool) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table requests-table">
                <thead><tr>
                    <th>"Request"</th><th>"Tier"</th><th>"Status"</th>
                    <th>{if inbox { "Requested by" } else { "Template" }}</th>
                    <th>"Age"</th><th>{if inbox { "Still needed" } else { "Created" }}</th>
                </tr></thead>
                <tbody>
                    {list.requests.into_iter().map(|r: RequestSummary| view! {
                        <tr>
                            <td><a href=format!("/requests/{}", r.id)>{r.title}</a></td>
                            <td><TierBadge tier=r.tier /></td>
                            <td><span class=format!("badge status-{}", r.status)>{r.status.clone()}</span></td>
                            <td>{if inbox { r.requester_name } else { r.template_id }}</td>
                            <td>{r.age}</td>
                            <td>{if inbox { r.missing.unwrap_or_default() } else { r.created_at }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn RequestPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let decide = ServerAction::<DecideRequest>::new();
    let resend = ServerAction::<ResendNotification>::new();
    // Reloaded after each action taken here (the redirect stays on this page).
    let request = Resource::new(
        move || (id(), decide.version().get(), resend.version().get()),
        |(id, _, _)| get_request(id),
    );
    view! {
        <Title text="Request" />
        {loaded(LOADING, request, move |r| view! { <Request r decide resend /> })}
    }
}

#[component]
fn Request(
    r: RequestView,
    decide: ServerAction<DecideRequest>,
    resend: ServerAction<ResendNotification>,
) -> impl IntoView {
    let pending = decide.pending();
    let parameters: Vec<(String, String)> = r
        .parameters
        .as_object()
        .map(|o| {
            o.iter()
                .map(|(k, v)| {
                    let text = match v {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Array(items) => items
                            .iter()
                            .map(|i| {
                                i.as_str()
                                    .map(str::to_string)
                                    .unwrap_or_else(|| i.to_string())
                            })
                            .collect::<Vec<_>>()
                            .join(", "),
                        other => other.to_string(),
                    };
                    (k.clone(), text)
                })
                .collect()
        })
        .unwrap_or_default();
    let id = r.id.clone();
    let decisions = (r.can_approve || r.can_reject || r.can_cancel).then(|| {
        let (id_a, id_r, id_c) = (id.clone(), id.clone(), id.clone());
        view! {
            <section class="card stack decisions" aria-label="Decision">
                {move || decide.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
                {r.can_approve.then(|| view! {
                    <ActionForm action=decide>
                        <input type="hidden" name="decision[id]" value=id_a.clone() />
                        <input type="hidden" name="decision[action]" value="approve" />
                        <button class="btn primary" type="submit" disabled=move || pending.get()>"Approve"</button>
                    </ActionForm>
                })}
                {r.can_reject.then(|| view! {
                    <ActionForm action=decide attr:class="stack">
                        <input type="hidden" name="decision[id]" value=id_r.clone() />
                        <input type="hidden" name="decision[action]" value="reject" />
                        <label><span>"Reason for rejecting (the requester reads it)"</span>
                            <textarea name="decision[reason]" rows="3" required maxlength="2000"></textarea></label>
                        <p><button class="btn danger" type="submit" disabled=move || pending.get()>"Reject"</button></p>
                    </ActionForm>
                })}
                {r.can_cancel.then(|| view! {
                    <ActionForm action=decide>
                        <input type="hidden" name="decision[id]" value=id_c.clone() />
                        <input type="hidden" name="decision[action]" value="cancel" />
                        <button class="btn" type="submit" disabled=move || pending.get()>"Cancel this request"</button>
                    </ActionForm>
                })}
            </section>
        }
    });
    view! {
        <Title text=r.title.clone() />
        <p class="muted"><a href="/requests">"← My requests"</a></p>
        <h1 class="page-title">{r.title.clone()}</h1>
        <p class="result-meta">
            <span class=format!("badge status-{}", r.status)>{r.status.clone()}</span>" "
            <TierBadge tier=r.tier />" "
            <code>{format!("{} {}", r.template_id, r.template_version)}</code>
            " · requested by "{r.requester_name.clone()}" on "{r.created_at.clone()}
        </p>
        <div class="notice info request-rule">
            <strong>{r.approval_rule.clone()}</strong>
            {r.missing.clone().map(|m| view! { <p>"Still needed: "{m}"."</p> })}
            {r.reason.clone().map(|m| view! { <p>"Reason: "{m}</p> })}
            {(r.status == "pending").then(|| view! { <p class="muted">"Expires if undecided by "{r.pending_until.clone()}"."</p> })}
            {r.sandbox_expires_at.clone().map(|at| view! { <p>"Sandbox lives until "{at}"."</p> })}
            {r.sandbox_expired_at.clone().map(|at| view! { <p>"Sandbox expired "{at}"."</p> })}
        </div>
        {r.changed_since_judged.clone().map(|m| view! {
            <div class="notice warn judged-earlier" role="status"><strong>"Judged under earlier rules. "</strong>{m}</div>
        })}
        {r.bundle_url.clone().map(|url| view! {
            <p class="bundle">
                <a class="btn primary" href=url download="">"Download the signed bundle"</a>
                " "<span class="muted">"Files, provenance (in-toto, SLSA) and signature; check it with "<code>"gatehouse bundle verify FILE"</code>"."</span>
            </p>
        })}
        {decisions}
        <h2>"Timeline"</h2>
        <ol class="timeline">
            {r.timeline.into_iter().map(|e| view! {
                <li class=format!("timeline-{}", e.kind)>
                    <strong>{e.kind.replace('_', " ")}</strong>" · "{e.actor}" · "<span class="muted">{e.at}</span>
                    {e.detail.map(|d| view! { <p>{d}</p> })}
                </li>
            }).collect_view()}
        </ol>
        {(!r.approvals.is_empty()).then(|| view! {
            <h2>"Approvals"</h2>
            <ul>{r.approvals.into_iter().map(|a| view! {
                <li>{a.name}" as "<strong>{a.role}</strong>" · "<span class="muted">{a.at}</span></li>
            }).collect_view()}</ul>
        })}
        {(!r.deliveries.is_empty()).then(|| view! { <Deliveries request=r.id.clone() deliveries=r.deliveries.clone() resend /> })}
        <h2>"Evidence"</h2>
        <h3>"Parameters"</h3>
        <div class="table-wrap">
            <table class="table">
                <tbody>{parameters.into_iter().map(|(k, v)| view! { <tr><th scope="row"><code>{k}</code></th><td>{v}</td></tr> }).collect_view()}</tbody>
            </table>
        </div>
        <h3>"Policy results"</h3>
        {if r.policy.is_empty() {
            view! { <p class="muted">"Every policy passed without a note."</p> }.into_any()
        } else {
            view! { <ul class="policy-results">{r.policy.into_iter().map(|p| view! { <PolicyItem r=p /> }).collect_view()}</ul> }.into_any()
        }}
        <h3>{format!("Files ({})", r.files.len())}</h3>
        {r.files.into_iter().map(|f| view! {
            <details class="rendered-file">
                <summary><code>{f.path}</code></summary>
                <pre class="codeblock"><code>{f.content}</code></pre>
            </details>
        }).collect_view()}
        <p class="muted small">{format!("Template sha256:{} · policies sha256:{}", r.template_digest, r.policy_digest)}</p>
    }
}

/// The webhook notifications about a request, with the state of each delivery.
#[component]
fn Deliveries(
    request: String,
    deliveries: Vec<crate::dto::DeliveryView>,
    resend: ServerAction<ResendNotification>,
) -> impl IntoView {
    let pending = resend.pending();
    view! {
        <h2>"Notifications"</h2>
        <p class="muted">"Each event is sent to the configured webhook receivers, signed, and retried with backoff until they answer 2xx."</p>
        {move || resend.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
        <div class="table-wrap">
            <table class="table deliveries">
                <thead><tr><th scope="col">"Event"</th><th scope="col">"Receiver"</th><th scope="col">"Status"</th><th scope="col">"Attempts"</th><th scope="col">"Last result"</th></tr></thead>
                <tbody>{deliveries.into_iter().map(|d| {
                    let when = match (&d.delivered_at, &d.next_attempt_at) {
                        (Some(at), _) => format!("delivered {at}"),
                        (None, Some(at)) if d.attempts > 0 => format!("next attempt {at}"),
                        (None, Some(_)) => "queued".to_string(),
                        (None, None) => "no attempts left".to_string(),
                    };
                    let result = match (d.last_status_code, d.last_error) {
                        (_, Some(error)) => error,
                        (Some(code), None) => format!("HTTP {code}"),
                        (None, None) => "—".to_string(),
                    };
                    let row_class = format!("delivery-{}", d.status);
                    let badge_class = format!("badge delivery-{}", d.status);
                    let again = d.can_resend.then(|| {
                        let (request, delivery) = (request.clone(), d.id.clone());
                        view! {
                            <ActionForm action=resend attr:class="inline-form">
                                <input type="hidden" name="resend[id]" value=request />
                                <input type="hidden" name="resend[delivery]" value=delivery />
                                <button class="btn small" type="submit" disabled=move || pending.get()>"Send again"</button>
                            </ActionForm>
                        }
                    });
                    view! {
                        <tr class=row_class>
                            <td><code>{d.event}</code></td>
                            <td>{d.target}</td>
                            <td><span class=badge_class>{d.status}</span>" "<span class="muted small">{when}</span></td>
                            <td>{d.attempts}</td>
                            <td>{result}{again}</td>
                        </tr>
                    }
                }).collect_view()}</tbody>
            </table>
        </div>
    }
}
