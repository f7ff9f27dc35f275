//! Top bar, navigation, the development sign-in banner, and the footer.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::get_session;
use crate::dto::SessionInfo;

/// Areas of the portal; those still to come are shown muted. The last field names the
/// roles that see the entry (empty: everyone; `runbook-owner` means of any team); the
/// server checks access regardless.
const NAV: &[(&str, &str, bool, &[&str])] = &[
    ("/", "Runbooks", true, &[]),
    ("/templates", "Templates", true, &[]),
    ("/requests", "Requests", true, &[]),
    (
        "/approvals",
        "Approvals",
        true,
        &["approver", "security-reviewer"],
    ),
    ("/deployments/new", "Deployments", true, &[]),
    ("/drafts", "Drafts", true, &["admin", "runbook-owner"]),
    ("/audit", "Audit", true, &["admin", "security-reviewer"]),
    ("/status", "Status", true, &[]),
];

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let session = Resource::new(|| (), |_| get_session());
    // The session is read in exactly one <Suspense>: a resource shared by two boundaries can
    // stall server rendering (leptos-rs/leptos#4851).
    view! {
        <div class="app">
            <a class="skip-link" href="#content">"Skip to content"</a>
            <Suspense fallback=|| view! { <TopBar info=SessionInfo::default() /> }>
                {move || Suspend::new(async move {
                    let info = session.await.unwrap_or_default();
                    view! { <TopBar info /> }
                })}
            </Suspense>
            <main id="content" class="content">{children()}</main>
            <footer class="footer">
                "Gatehouse — runbooks, templates and approvals with guardrails. Press "
                <kbd>"/"</kbd>" to search."
            </footer>
        </div>
    }
}

/// The development banner (when active) and the top bar with navigation and the user.
#[component]
fn TopBar(info: SessionInfo) -> impl IntoView {
    let held: Vec<String> = info
        .user
        .as_ref()
        .map(|u| u.roles.clone())
        .unwrap_or_default();
    let banner = info.dev_login.then(|| view! {
        <div class="devbanner" role="note">
            <strong>"Development sign-in"</strong>
            " — no identity provider is configured; anyone on this machine can pick a persona. Never expose this server."
        </div>
    });
    view! {
        {banner}
        <header class="topbar">
            <a class="brand" href="/"><span class="brand-mark" aria-hidden="true">"G"</span>" Gatehouse"</a>
            <nav class="mainnav" aria-label="Main">
                {NAV.iter().filter(|(_, _, _, roles)| {
                    // `runbook-owner` matches `runbook-owner:<team>`.
                    roles.is_empty()
                        || held.iter().any(|r| {
                            let role = r.split(':').next().unwrap_or(r);
                            roles.contains(&role)
                        })
                }).map(|(href, label, ready, _)| {
                    if *ready {
                        view! { <A href=*href exact=true>{*label}</A> }.into_any()
                    } else {
                        view! {
                            <a class="soon" aria-disabled="true" title="Coming soon">
                                {*label}<span class="soon-tag">"soon"</span>
                            </a>
                        }.into_any()
                    }
                }).collect_view()}
            </nav>
            <UserBox info />
        </header>
    }
}

#[component]
fn UserBox(info: SessionInfo) -> impl IntoView {
    match info.user {
        Some(user) => view! {
            <div class="user">
                <span class="user-name" title=user.groups.join(", ")>{user.name}</span>
                <span class="badge role">{user.role_label}</span>
                <a class="btn link tokens-link" href="/tokens">"API tokens"</a>
                <form class="signout" method="post" action="/auth/signout">
                    <button class="btn link" type="submit">"Sign out"</button>
                </form>
            </div>
        }
        .into_any(),
        None => {
            view! { <div class="user"><a class="btn" href="/signin">"Sign in"</a></div> }.into_any()
        }
    }
}
