//! Runbook search: a plain GET form that works without JavaScript, and results that
//! follow the query as you type once hydrated.

use leptos::prelude::*;
use leptos::web_sys;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{get_facets, search_runbooks};
use crate::components::notice::{Empty, ErrorNotice};
use crate::dto::{ResultGroup, SearchQuery, SearchResults, SectionHit};
use crate::pages::urlencode;

/// Delay after the last keystroke before the results follow.
const TYPING_DEBOUNCE_MS: u64 = 150;

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let param =
        move |name: &'static str| query.with(|q| q.get(name).filter(|v| !v.trim().is_empty()));
    let current = Memo::new(move |_| SearchQuery {
        q: param("q").unwrap_or_default(),
        service: param("service"),
        tag: param("tag"),
        limit: None,
    });
    let results = Resource::new(
        move || current.get(),
        |query| async move {
            if query.q.trim().is_empty() && query.service.is_none() && query.tag.is_none() {
                None
            } else {
                Some(search_runbooks(query).await)
            }
        },
    );
    let facets = Resource::new(|| (), |_| get_facets());
    let searching = RwSignal::new(false);

    view! {
        <Title text="Runbook search" />
        <h1 class="page-title">"Runbooks"</h1>
        <p class="lede">"Search every runbook section you may read. Filters: "
            <code>"service:"</code>", "<code>"tag:"</code>", "<code>"alert:"</code>
            "; \"quoted phrases\"; "<code>"-word"</code>" to exclude."</p>
        <SearchForm current facets searching />
        <Transition
            fallback=|| view! { <p class="loading"><span class="spinner"></span>" Searching…"</p> }
            set_pending=searching.write_only()
        >
            {move || Suspend::new(async move {
                match results.await {
                    None => view! {
                        <Empty title="Search the runbooks".into()
                            hint="Type a symptom, a service or an alert name — for example checkout latency or CheckoutApiHighLatency.".into() />
                    }.into_any(),
                    Some(Err(err)) => view! { <ErrorNotice error=err /> }.into_any(),
                    Some(Ok(found)) => view! { <Results found /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SearchForm(
    current: Memo<SearchQuery>,
    facets: Resource<Result<crate::dto::Facets, crate::error::PortalError>>,
    /// True while new results are on their way (shown next to the box).
    searching: RwSignal<bool>,
) -> impl IntoView {
    let navigate = use_navigate();
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let form_ref = NodeRef::<leptos::html::Form>::new();

    // Rebuilds the URL from the form's current values and follows it.
    let follow = move || {
        let Some(form) = form_ref.get_untracked() else {
            return;
        };
        let mut params = Vec::new();
        for name in ["q", "service", "tag"] {
            let value = form_value(&form, name);
            if !value.is_empty() {
                params.push(format!("{name}={}", urlencode(&value)));
            }
        }
        let url = if params.is_empty() {
            "/".to_string()
        } else {
            format!("/?{}", params.join("&"))
        };
        navigate(
            &url,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    let follow_soon = {
        let follow = follow.clone();
        move || {
            if let Some(handle) = pending.get_value() {
                handle.clear();
            }
            let follow = follow.clone();
            let handle = set_timeout_with_handle(
                follow,
                std::time::Duration::from_millis(TYPING_DEBOUNCE_MS),
            )
            .ok();
            pending.set_value(handle);
        }
    };
    let on_submit = {
        let follow = follow.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            follow();
        }
    };
    let follow_on_change = follow.clone();

    view! {
        <form class="searchbar stack" method="get" action="/" role="search" node_ref=form_ref on:submit=on_submit>
            <div class="row">
                <label class="visually-hidden" for="q">"Search runbooks"</label>
                <input id="q" class="search-input" type="search" name="q" autofocus autocomplete="off"
                    spellcheck="false" maxlength="2000"
                    placeholder="Search runbooks — symptom, service, alert…"
                    prop:value=move || current.with(|c| c.q.clone())
                    on:input=move |_| follow_soon() />
                <button class="btn primary" type="submit">"Search"</button>
                <span class="loading" role="status" aria-live="polite">
                    {move || searching.get().then(|| view! { <span class="spinner"></span>" Updating…" })}
                </span>
            </div>
            <div class="filters row">
                <Transition fallback=|| ()>
                    {move || {
                        let follow_on_change = follow_on_change.clone();
                        Suspend::new(async move {
                            let facets = facets.await.unwrap_or_default();
                            let f1 = follow_on_change.clone();
                            let f2 = follow_on_change.clone();
                            view! {
                                <FilterSelect name="service" caption="Service" options=facets.services
                                    selected=Signal::derive(move || current.with(|c| c.service.clone()))
                                    on_change=move || f1() />
                                <FilterSelect name="tag" caption="Tag" options=facets.tags
                                    selected=Signal::derive(move || current.with(|c| c.tag.clone()))
                                    on_change=move || f2() />
                            }
                        })
                    }}
                </Transition>
            </div>
            <p class="hint">"Press "<kbd>"/"</kbd>" anywhere to jump here. Results update as you type."</p>
        </form>
    }
}

#[component]
fn FilterSelect(
    name: &'static str,
    caption: &'static str,
    options: Vec<String>,
    selected: Signal<Option<String>>,
    on_change: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <label>
            <span>{caption}</span>
            <select name=name on:change=move |_| on_change()>
                <option value="" selected=move || selected.get().is_none()>"Any"</option>
                {options.into_iter().map(|opt| {
                    let value = opt.clone();
                    let is_selected = move || selected.get().as_deref() == Some(value.as_str());
                    view! { <option value=opt.clone() selected=is_selected>{opt.clone()}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

#[component]
fn Results(found: SearchResults) -> impl IntoView {
    let runbooks = found.groups.len();
    let notices = found.notices.clone();
    if found.groups.is_empty() {
        return view! {
            {notices.into_iter().map(|n| view! { <p class="notice info">{n}</p> }).collect_view()}
            <Empty title="No matching runbook".into()
                hint="Check the spelling, drop a filter, or search for the alert name. Runbooks you may not read are not shown.".into() />
        }
        .into_any();
    }
    view! {
        {notices.into_iter().map(|n| view! { <p class="notice info">{n}</p> }).collect_view()}
        <p class="results-meta" aria-live="polite">
            {format!("{} matching section{} in {} runbook{}",
                found.total_sections, plural(found.total_sections), runbooks, plural(runbooks))}
        </p>
        <ol class="results">
            {found.groups.into_iter().map(|group| view! { <Group group /> }).collect_view()}
        </ol>
    }
    .into_any()
}

#[component]
fn Group(group: ResultGroup) -> impl IntoView {
    let href = format!("/runbooks/{}", group.runbook);
    let more = group.more_sections;
    view! {
        <li class="result-group card">
            <div class="result-head">
                <h2 class="result-title"><a href=href rel="external">{group.title}</a></h2>
                <div class="result-meta row">
                    <span class="chip">{group.service}</span>
                    {group.restricted.then(|| view! { <span class="badge restricted">"restricted"</span> })}
                    {group.stale.then(|| view! { <span class="badge stale" title="Not reviewed in the last 90 days">"review overdue"</span> })}
                    {group.drifting.then(|| view! { <span class="badge drift" title="Its service changed alerts, configuration or rollback since the last review">"drifting"</span> })}
                    <span class="muted">"Owners: "{group.owners.join(", ")}</span>
                </div>
            </div>
            <ul class="result-sections">
                {group.sections.into_iter().map(|hit| view! { <Section hit /> }).collect_view()}
            </ul>
            {(more > 0).then(|| view! {
                <p class="more">{format!("and {more} more matching section{}", plural(more))}</p>
            })}
        </li>
    }
}

#[component]
fn Section(hit: SectionHit) -> impl IntoView {
    view! {
        <li class="result-section">
            <a class="section-link" href=hit.url rel="external">
                <span class="heading-path">{hit.heading_path.join(" › ")}</span>
                <p class="snippet">
                    {hit.snippet.into_iter().map(|part| {
                        if part.hit { view! { <b>{part.text}</b> }.into_any() } else { part.text.into_any() }
                    }).collect_view()}
                </p>
            </a>
        </li>
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Reads a named control's value from the form (browser only; empty on the server).
fn form_value(form: &web_sys::HtmlFormElement, name: &str) -> String {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(el) = form.elements().named_item(name) {
            if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
                return input.value();
            }
            if let Some(select) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
                return select.value();
            }
        }
        String::new()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (form, name);
        String::new()
    }
}
