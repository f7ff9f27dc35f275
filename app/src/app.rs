//! The HTML shell, the router and the page layout.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

use crate::components::layout::Layout;
use crate::pages::{
    audit::AuditPage,
    deployments::{DeploymentPage, NewNotesPage},
    drafts::{DraftPage, ReviewQueuePage},
    history::HistoryPage,
    not_found::NotFound,
    requests::{ApprovalsPage, RequestPage, RequestsPage},
    runbook::RunbookPage,
    search::SearchPage,
    signin::SignInPage,
    status::StatusPage,
    templates::{TemplatePage, TemplatesPage},
    tokens::TokensPage,
};

/// Server-side settings for the document shell.
#[derive(Clone, Debug)]
pub struct ShellOptions {
    /// Load the WASM bundle; off when the server runs without one (pages stay plain HTML).
    pub hydrate: bool,
    /// URL of the stylesheet, versioned by content so browsers can cache it for long.
    pub stylesheet: String,
}

/// The whole HTML document, rendered on the server around [`App`].
pub fn shell(options: LeptosOptions, shell: ShellOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="data:," />
                <link rel="stylesheet" href=shell.stylesheet />
                {shell.hydrate.then(|| view! { <HydrationScripts options /> })}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: layout around the routed pages.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    #[cfg(feature = "hydrate")]
    crate::components::enhance::install_global_handlers();

    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "Gatehouse".to_string() } else { format!("{page} · Gatehouse") }
        } />
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=SearchPage ssr=SsrMode::Async />
                    <Route path=path!("/runbooks/:stem") view=RunbookPage ssr=SsrMode::Async />
                    <Route path=path!("/runbooks/:stem/history") view=HistoryPage ssr=SsrMode::Async />
                    <Route path=path!("/signin") view=SignInPage ssr=SsrMode::Async />
                    <Route path=path!("/status") view=StatusPage ssr=SsrMode::Async />
                    <Route path=path!("/audit") view=AuditPage ssr=SsrMode::Async />
                    <Route path=path!("/tokens") view=TokensPage ssr=SsrMode::Async />
                    <Route path=path!("/deployments/new") view=NewNotesPage ssr=SsrMode::Async />
                    <Route path=path!("/deployments/:id") view=DeploymentPage ssr=SsrMode::Async />
                    <Route path=path!("/drafts") view=ReviewQueuePage ssr=SsrMode::Async />
                    <Route path=path!("/drafts/:id") view=DraftPage ssr=SsrMode::Async />
                    <Route path=path!("/templates") view=TemplatesPage ssr=SsrMode::Async />
                    <Route path=path!("/templates/:id") view=TemplatePage ssr=SsrMode::Async />
                    <Route path=path!("/requests") view=RequestsPage ssr=SsrMode::Async />
                    <Route path=path!("/requests/:id") view=RequestPage ssr=SsrMode::Async />
                    <Route path=path!("/approvals") view=ApprovalsPage ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}
