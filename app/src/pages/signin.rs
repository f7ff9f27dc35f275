//! Sign-in: single sign-on when an identity provider is configured; otherwise, on loopback
//! only, a development sign-in with demo personas. Both are plain links and form posts, so
//! they work without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::{get_personas, get_session};
use crate::pages::urlencode;

/// What went wrong, for the error codes the server puts on `/signin?error=`.
fn error_text(code: &str) -> &'static str {
    match code {
        "sso_unavailable" => {
            "The identity provider cannot be reached right now. People already signed in are not affected; try again in a minute, and tell the platform team if it persists."
        }
        "sso_state" => {
            "That sign-in could not be matched to this browser (it expired or was not started here). Please start again."
        }
        "sso_refused" => "The identity provider did not sign you in. Please try again.",
        "sso_invalid" => {
            "The identity provider's answer could not be verified. Please start again; if it persists, tell the platform team."
        }
        "deactivated" => {
            "Your Gatehouse account was deactivated by an administrator. Ask the platform team to reactivate it if that is a mistake."
        }
        _ => "Sign-in did not complete. Please try again.",
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next").unwrap_or_else(|| "/".to_string()));
    let error = move || query.with(|q| q.get("error"));
    let signed_out = move || query.with(|q| q.get("signed_out").is_some());
    let personas = Resource::new(|| (), |_| get_personas());
    let session = Resource::new(|| (), |_| get_session());
    view! {
        <Title text="Sign in" />
        <section class="signin card">
            <h1>"Sign in to Gatehouse"</h1>
            {move || error().map(|code| view! {
                <div class="notice error" role="alert" data-error=code.clone()>
                    <strong>"Sign-in failed"</strong>
                    <p>{error_text(&code)}</p>
                </div>
            })}
            {move || signed_out().then(|| view! {
                <div class="notice" role="status"><p>"You are signed out."</p></div>
            })}
            <Suspense fallback=|| view! { <p class="loading"><span class="spinner"></span>" Loading…"</p> }>
                {move || Suspend::new(async move {
                    let next = next();
                    let sso = session.await.map(|s| s.sso).unwrap_or(false);
                    let sso_link = sso.then(|| {
                        let href = format!("/auth/login?next={}", urlencode(&next));
                        view! {
                            <p>"Use your company account."</p>
                            <p><a class="btn primary sso" rel="external" href=href>"Sign in with single sign-on"</a></p>
                        }
                    });
                    let dev = match personas.await {
                        Ok(Some(list)) => Some(view! {
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
                        }),
                        _ => None,
                    };
                    let none = (!sso && dev.is_none()).then(|| view! {
                        <p>"No sign-in method is configured on this server. Ask an administrator."</p>
                    });
                    view! { {sso_link} {dev} {none} }
                })}
            </Suspense>
        </section>
    }
}
