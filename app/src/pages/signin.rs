//! Sign-in. Until single sign-on is configured, a loopback-only development sign-in
//! offers demo personas; each is a plain form post, so it works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::get_personas;

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next").unwrap_or_else(|| "/".to_string()));
    let personas = Resource::new(|| (), |_| get_personas());
    view! {
        <Title text="Sign in" />
        <section class="signin card">
            <h1>"Sign in to Gatehouse"</h1>
            <Suspense fallback=|| view! { <p class="loading"><span class="spinner"></span>" Loading…"</p> }>
                {move || Suspend::new(async move {
                    let next = next();
                    match personas.await {
                        Ok(Some(list)) => view! {
                            <p>"Development sign-in: pick a persona. Each has the groups a real account in that role would have."</p>
                            <ul class="personas">
                                {list.into_iter().map(|p| {
                                    let next = next.clone();
                                    view! {
                                        <li>
                                            <form method="post" action="/auth/dev">
                                                <input type="hidden" name="persona" value=p.id.clone() />
                                                <input type="hidden" name="next" value=next />
                                                <button class="persona" type="submit" data-persona=p.id.clone()>
                                                    <span class="persona-name">{p.name}</span>
                                                    <span class="persona-role">{p.role_label}</span>
                                                    <span class="persona-groups">{p.groups.join(", ")}</span>
                                                </button>
                                            </form>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        _ => view! {
                            <p>"Single sign-on is not available on this server yet. Ask an administrator."</p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
