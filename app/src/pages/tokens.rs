//! API tokens: create one (shown once), see when each was last used, revoke. Forms post to
//! the server and come back here, so everything works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::get_tokens;
use crate::components::loaded::loaded;

/// Notices the server sends back after a form post (`/tokens?notice=`).
fn notice_text(code: &str) -> Option<&'static str> {
    match code {
        "revoked" => Some("The token was revoked; it stops working at once."),
        _ => None,
    }
}

#[component]
pub fn TokensPage() -> impl IntoView {
    let params = use_query_map();
    let error = move || params.with(|p| p.get("error"));
    let notice = move || params.with(|p| p.get("notice"));
    let tokens = Resource::new(|| (), |_| get_tokens());
    view! {
        <Title text="API tokens" />
        <h1 class="page-title">"API tokens"</h1>
        <p class="lede">"Tokens let scripts and CI call the Gatehouse API as you, limited to the scopes you pick. Send one as "<code>"Authorization: Bearer <token>"</code>"."</p>
        {move || error().map(|e| view! { <div class="notice error" role="alert"><strong>"Not created"</strong><p>{e}</p></div> })}
        {move || notice().and_then(|n| notice_text(&n)).map(|t| view! { <div class="notice success" role="status"><p>{t}</p></div> })}
        {loaded(" Loading tokens…", tokens, move |(page, new_token)| view! {
                        {new_token.map(|t| view! {
                            <div class="notice success new-token" role="status">
                                <strong>"Your new token — copy it now, it is not shown again:"</strong>
                                <pre><code class="token-secret">{t}</code></pre>
                            </div>
                        })}
                        <form class="card token-form stack" method="post" action="/tokens/create">
                            <h2>"New token"</h2>
                            <label><span>"Name"</span>
                                <input type="text" name="name" required maxlength="100" placeholder="ci-deploy" /></label>
                            <fieldset><legend>"Scopes"</legend>
                                {page.scopes.into_iter().map(|s| view! {
                                    <label class="check">
                                        <input type="checkbox" name="scopes" value=s.name.clone() />
                                        <code>{s.name.clone()}</code>" — "{s.description}
                                    </label>
                                }).collect_view()}
                            </fieldset>
                            <label><span>"Expires after"</span>
                                <select name="ttl">
                                    <option value="1d">"1 day"</option>
                                    <option value="7d">"7 days"</option>
                                    <option value="30d" selected>"30 days"</option>
                                    <option value="90d">"90 days"</option>
                                    <option value="366d">"1 year"</option>
                                </select></label>
                            <p><button class="btn primary" type="submit">"Create token"</button></p>
                        </form>
                        {if page.tokens.is_empty() {
                            view! { <div class="notice empty"><strong>"No tokens yet."</strong><p>"Create one above when a script needs the API."</p></div> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap">
                                    <table class="table tokens">
                                        <thead><tr>
                                            <th>"Name"</th><th>"Id"</th>{page.all.then(|| view! { <th>"Owner"</th> })}
                                            <th>"Scopes"</th><th>"Created"</th><th>"Expires"</th><th>"Last used"</th><th>"Status"</th><th></th>
                                        </tr></thead>
                                        <tbody>
                                            {page.tokens.into_iter().map(|t| {
                                                let active = t.status == "active";
                                                view! {
                                                    <tr data-token=t.id.clone()>
                                                        <td>{t.name}</td>
                                                        <td><code>{t.id.clone()}</code></td>
                                                        {page.all.then(|| view! { <td>{t.owner.clone()}</td> })}
                                                        <td>{t.scopes.join(", ")}</td>
                                                        <td>{t.created_at}</td>
                                                        <td>{t.expires_at}</td>
                                                        <td>{t.last_used_at.unwrap_or_else(|| "never".into())}</td>
                                                        <td><span class=format!("badge {}", t.status)>{t.status.clone()}</span></td>
                                                        <td>{active.then(|| view! {
                                                            <form method="post" action="/tokens/revoke">
                                                                <input type="hidden" name="id" value=t.id.clone() />
                                                                <button class="btn danger" type="submit">"Revoke"</button>
                                                            </form>
                                                        })}</td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                    })}
    }
}
