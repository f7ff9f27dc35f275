//! The one scaffold every page uses for data from the server: a spinner with a label until it
//! arrives (on the server the page waits for it, so it works before the WASM loads), the
//! error notice if it failed, and the page's own view of the value otherwise.

use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::notice::ErrorNotice;
use crate::error::PortalError;

/// Shows `data` with `show` once it is there; `label` says what is loading.
pub fn loaded<T, V>(
    label: &'static str,
    data: Resource<Result<T, PortalError>>,
    show: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=move || view! { <p class="loading"><span class="spinner"></span>{label}</p> }>
            {move || {
                let show = show.clone();
                Suspend::new(async move {
                    match data.await {
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        Ok(value) => show(value).into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
