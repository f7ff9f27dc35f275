use leptos::prelude::*;
use leptos_meta::Title;

/// Fallback page; answers with HTTP 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found" />
        <div class="empty">
            <h2>"Page not found"</h2>
            <p>"There is nothing at this address. Try a "<a href="/">"runbook search"</a>"."</p>
        </div>
    }
}
