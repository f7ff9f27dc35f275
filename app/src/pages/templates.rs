//! The template catalog: a filterable list, and each template's form generated from its
//! parameter schema with a dry-run preview (rendered files, policy results, tier and who
//! must approve). Both are plain GET forms that work without JavaScript; the browser checks
//! each field from the schema's constraints before sending.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::{SubmitRequest, get_catalog, get_template, preview_request};
use crate::components::loaded::loaded;
use crate::components::notice::{Empty, ErrorNotice};
use crate::dto::{
    CatalogPage, CatalogQuery, ParamView, PolicyResult, PreviewForm, PreviewView, TemplateCard,
    TemplateView,
};

#[component]
pub fn TemplatesPage() -> impl IntoView {
    let query = use_query_map();
    let current = Memo::new(move |_| {
        query.with(|q| CatalogQuery {
            q: q.get("q").unwrap_or_default(),
            kind: q.get("kind").unwrap_or_default(),
            tag: q.get("tag").unwrap_or_default(),
        })
    });
    let catalog = Resource::new(move || current.get(), get_catalog);
    view! {
        <Title text="Templates" />
        <h1 class="page-title">"Templates"</h1>
        <p class="lede">"Pipelines and sandboxes, ready to use. Fill in a form, see at once what policy says and who must approve, then request it."</p>
        {loaded(" Loading…", catalog, move |page| view! { <Catalog page current=current.get_untracked() /> })}
    }
}

#[component]
fn Catalog(page: CatalogPage, current: CatalogQuery) -> impl IntoView {
    let filtered = !(current.q.is_empty() && current.kind.is_empty() && current.tag.is_empty());
    let shown = page.templates.len();
    view! {
        <form class="filters catalog-filters" method="get" action="/templates" role="search">
            <label class="grow"><span>"Find"</span>
                <input type="search" name="q" value=current.q.clone() placeholder="terraform, sandbox, rust…" /></label>
            <label><span>"Kind"</span>
                <select name="kind">
                    <option value="">"Any"</option>
                    {page.kinds.iter().map(|k| view! {
                        <option value=k.clone() selected=current.kind == *k>{k.clone()}</option>
                    }).collect_view()}
                </select></label>
            <label><span>"Tag"</span>
                <select name="tag">
                    <option value="">"Any"</option>
                    {page.tags.iter().map(|t| view! {
                        <option value=t.clone() selected=current.tag == *t>{t.clone()}</option>
                    }).collect_view()}
                </select></label>
            <div class="filter-actions">
                <button class="btn primary" type="submit">"Filter"</button>
                {filtered.then(|| view! { <a class="btn link" href="/templates">"Clear"</a> })}
            </div>
        </form>
        {(!page.problems.is_empty()).then(|| view! {
            <div class="notice warn" role="status">
                <strong>{format!("{} template(s) could not be loaded", page.problems.len())}</strong>
                <ul>{page.problems.into_iter().map(|p| view! { <li><code>{p.file}</code>": "{p.reason}</li> }).collect_view()}</ul>
            </div>
        })}
        <p class="results-meta">{format!("{shown} of {} template(s)", page.total)}</p>
        {if page.templates.is_empty() {
            view! { <Empty title="No template matches".into() hint="Try fewer words, or clear the filters.".into() /> }.into_any()
        } else {
            view! {
                <ul class="template-list">
                    {page.templates.into_iter().map(|t| view! { <li><Card t /></li> }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

#[component]
fn Card(t: TemplateCard) -> impl IntoView {
    view! {
        <article class="card template-card">
            <h2 class="result-title"><a href=format!("/templates/{}", t.id)>{t.title}</a></h2>
            <p class="result-meta">
                <TierBadge tier=t.tier />" "
                <span class="badge">{t.kind}</span>" "
                <code>{format!("{} {}", t.id, t.version)}</code>
            </p>
            <p>{t.description}</p>
            <p class="row">
                <span class="muted">"Owners: "{t.owners.join(", ")}</span>
                {t.tags.into_iter().map(|tag| view! {
                    <a class="chip" href=format!("/templates?tag={tag}")>{tag.clone()}</a>
                }).collect_view()}
            </p>
        </article>
    }
}

#[component]
pub(crate) fn TierBadge(tier: u8) -> impl IntoView {
    let (class, label) = match tier {
        3 => ("badge tier tier-3", "Tier 3 · low risk"),
        2 => ("badge tier tier-2", "Tier 2"),
        _ => ("badge tier tier-1", "Tier 1 · high risk"),
    };
    view! { <span class=class>{label}</span> }
}

#[component]
pub fn TemplatePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let template = Resource::new(id, get_template);
    // The preview runs when the form was sent (`preview=1`), with every field as typed.
    let form = Memo::new(move |_| {
        query.with(|q| {
            q.get("preview").map(|_| PreviewForm {
                template: id(),
                values: q
                    .clone()
                    .into_iter()
                    .filter(|(k, _)| k != "preview")
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            })
        })
    });
    let preview = Resource::new(
        move || form.get(),
        |form| async move {
            match form {
                None => None,
                Some(form) => Some(preview_request(form).await),
            }
        },
    );
    view! {
        <Title text="Template" />
        <p class="muted"><a href="/templates">"← All templates"</a></p>
        <Suspense fallback=|| view! { <p class="loading"><span class="spinner"></span>" Loading…"</p> }>
            {move || Suspend::new(async move {
                let t = match template.await {
                    Err(error) => return view! { <ErrorNotice error /> }.into_any(),
                    Ok(t) => t,
                };
                let shown = preview.await;
                let (values, errors) = match &shown {
                    Some(Ok(p)) => (p.values.clone(), p.field_errors.clone()),
                    _ => (BTreeMap::new(), BTreeMap::new()),
                };
                let sent = shown.is_some();
                view! {
                    <TemplateHeader t=t.clone() />
                    <div class="template-layout">
                        <ParamForm t values errors sent />
                        <section class="preview-pane" aria-live="polite">
                            {match shown {
                                None => view! {
                                    <Empty title="Preview".into()
                                        hint="Fill in the form and choose Preview: you will see the files, every policy result, the risk tier and who must approve. Nothing is submitted.".into() />
                                }.into_any(),
                                Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
                                Some(Ok(p)) => view! { <Preview p /> }.into_any(),
                            }}
                        </section>
                    </div>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn TemplateHeader(t: TemplateView) -> impl IntoView {
    view! {
        <Title text=t.card.title.clone() />
        <h1 class="page-title">{t.card.title.clone()}</h1>
        <p class="result-meta">
            <TierBadge tier=t.card.tier />" "
            <span class="badge">{t.card.kind.clone()}</span>" "
            <code>{format!("{} {}", t.card.id, t.card.version)}</code>
            " · owners "{t.card.owners.join(", ")}
        </p>
        <p class="lede">{t.card.description.clone()}</p>
    }
}

#[component]
fn ParamForm(
    t: TemplateView,
    values: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
    sent: bool,
) -> impl IntoView {
    let action = format!("/templates/{}", t.card.id);
    let fields = t
        .parameters
        .into_iter()
        .map(|p| {
            let value = values
                .get(&p.name)
                .cloned()
                .or_else(|| if sent { None } else { p.default.clone() });
            let error = errors.get(&p.name).cloned();
            view! { <Field p value error sent /> }
        })
        .collect_view();
    view! {
        <form class="card stack param-form" method="get" action=action>
            <input type="hidden" name="preview" value="1" />
            {(!errors.is_empty()).then(|| view! {
                <div class="notice error" role="alert">
                    <strong>"Some fields need attention"</strong>
                    <p>"Each is marked below with what is expected."</p>
                </div>
            })}
            {fields}
            <p><button class="btn primary" type="submit">"Preview"</button></p>
        </form>
    }
}

/// The HTML `pattern` attribute is anchored by the browser; the schema's `^…$` is dropped.
fn html_pattern(pattern: &Option<String>) -> Option<String> {
    pattern.as_ref().map(|p| {
        p.strip_prefix('^')
            .unwrap_or(p)
            .strip_suffix('$')
            .unwrap_or(p)
            .to_string()
    })
}

#[component]
fn Field(p: ParamView, value: Option<String>, error: Option<String>, sent: bool) -> impl IntoView {
    let id = format!("param-{}", p.name);
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-error");
    let describedby = if error.is_some() {
        format!("{hint_id} {err_id}")
    } else {
        hint_id.clone()
    };
    let invalid = error.is_some().then_some("true");
    let value = value.unwrap_or_default();
    let hint = {
        let mut parts: Vec<String> = Vec::new();
        if let Some(d) = &p.description {
            parts.push(d.clone());
        }
        match p.kind.as_str() {
            "integer" => parts.push(format!(
                "From {} to {}.",
                p.min.unwrap_or_default(),
                p.max.unwrap_or_default()
            )),
            "list" => parts.push(format!(
                "One per line, at most {}.",
                p.max_items.unwrap_or_default()
            )),
            _ => {}
        }
        if let Some(e) = &p.example {
            parts.push(format!("Example: {e}"));
        }
        parts.join(" ")
    };
    let control = match p.kind.as_str() {
        "enum" => view! {
            <select id=id.clone() name=p.name.clone() aria-describedby=describedby.clone() aria-invalid=invalid>
                {p.values.iter().map(|v| view! { <option value=v.clone() selected=*v == value>{v.clone()}</option> }).collect_view()}
            </select>
        }.into_any(),
        "bool" => {
            let checked = if sent { value == "true" } else { p.default.as_deref() == Some("true") };
            view! {
                <input id=id.clone() type="checkbox" name=p.name.clone() value="true" checked=checked
                    aria-describedby=describedby.clone() />
            }.into_any()
        }
        "integer" => view! {
            <input id=id.clone() type="number" name=p.name.clone() value=value.clone() required=p.required
                min=p.min.map(|m| m.to_string()) max=p.max.map(|m| m.to_string()) step="1"
                aria-describedby=describedby.clone() aria-invalid=invalid />
        }.into_any(),
        "list" => {
            let required = p.min_items.unwrap_or(0) > 0;
            view! {
                <textarea id=id.clone() name=p.name.clone() rows="3" aria-describedby=describedby.clone()
                    aria-invalid=invalid required=required>{crate::components::raw_text::textarea(&value)}</textarea>
            }.into_any()
        }
        _ => view! {
            <input id=id.clone() type="text" name=p.name.clone() value=value.clone() required=p.required
                pattern=html_pattern(&p.pattern) minlength=p.min_length.filter(|m| *m > 0).map(|m| m.to_string())
                maxlength=p.max_length.map(|m| m.to_string()) placeholder=p.example.clone().unwrap_or_default()
                spellcheck="false" autocomplete="off"
                aria-describedby=describedby.clone() aria-invalid=invalid />
        }.into_any(),
    };
    let class = if error.is_some() {
        "field has-error"
    } else {
        "field"
    };
    view! {
        <div class=class>
            <label for=id.clone()>{p.label.clone()}{p.required.then_some(" *")}</label>
            {control}
            <small id=hint_id class="muted">{hint}</small>
            {error.map(|e| view! { <small id=err_id class="field-error">{e}</small> })}
        </div>
    }
}

#[component]
fn Preview(p: PreviewView) -> impl IntoView {
    if !p.field_errors.is_empty() {
        return view! {
            <div class="notice error" role="alert">
                <strong>"Nothing was rendered yet"</strong>
                <p>"Fix the marked fields and preview again."</p>
            </div>
        }
        .into_any();
    }
    if let Some(error) = p.error {
        return view! {
            <div class="notice error" role="alert"><strong>"This request cannot go ahead"</strong><p>{error}</p></div>
        }
        .into_any();
    }
    let denials: Vec<PolicyResult> = p
        .policy
        .iter()
        .filter(|r| r.level == "deny")
        .cloned()
        .collect();
    let others: Vec<PolicyResult> = p
        .policy
        .iter()
        .filter(|r| r.level != "deny")
        .cloned()
        .collect();
    let tier = p.tier.unwrap_or(1);
    view! {
        {if p.blocked {
            view! {
                <div class="notice error verdict" role="alert">
                    <strong>{format!("Blocked by policy: {} rule(s) must be fixed before this can be requested", denials.len())}</strong>
                    <ul class="policy-results">{denials.into_iter().map(|r| view! { <PolicyItem r /> }).collect_view()}</ul>
                </div>
            }.into_any()
        } else {
            view! {
                <div class="notice success verdict" role="status">
                    <strong>"Policy passes."</strong>
                    <p><TierBadge tier />" "{p.approval.clone().unwrap_or_default()}</p>
                </div>
            }.into_any()
        }}
        {(!others.is_empty()).then(|| view! {
            <h2>"Policy notes"</h2>
            <ul class="policy-results">{others.into_iter().map(|r| view! { <PolicyItem r /> }).collect_view()}</ul>
        })}
        {(!p.blocked).then(|| view! { <SubmitForm p=p.clone() /> })}
        <h2>{format!("Files ({})", p.files.len())}</h2>
        {p.files.into_iter().map(|f| view! {
            <details class="rendered-file" open>
                <summary><code>{f.path}</code></summary>
                <pre class="codeblock"><code>{f.content}</code></pre>
            </details>
        }).collect_view()}
        <p class="muted small">{format!("Policies {} · template {}", short(&p.policy_digest), short(&p.template.digest))}</p>
    }
    .into_any()
}

/// Requests what was previewed: every value, normalized, goes back to the server, which
/// validates and evaluates it again.
#[component]
fn SubmitForm(p: PreviewView) -> impl IntoView {
    let submit = ServerAction::<SubmitRequest>::new();
    let pending = submit.pending();
    let label = if p.tier == Some(3) {
        "Request it (approved at once)"
    } else {
        "Submit for approval"
    };
    view! {
        <ActionForm action=submit attr:class="submit-request">
            <input type="hidden" name="form[template]" value=p.template.card.id.clone() />
            {p.values.into_iter().enumerate().map(|(i, (k, v))| view! {
                <input type="hidden" name=format!("form[values][{i}][0]") value=k />
                <input type="hidden" name=format!("form[values][{i}][1]") value=v />
            }).collect_view()}
            {move || submit.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
            <button class="btn primary" type="submit" disabled=move || pending.get()>
                {move || if pending.get() { "Submitting…" } else { label }}
            </button>
        </ActionForm>
    }
}

fn short(digest: &str) -> String {
    format!("sha256:{}", digest.chars().take(12).collect::<String>())
}

#[component]
pub(crate) fn PolicyItem(r: PolicyResult) -> impl IntoView {
    let label = match (r.level.as_str(), r.tier) {
        ("deny", _) => "Denied".to_string(),
        ("escalate", Some(t)) => format!("Tier {t}"),
        ("escalate", None) => "Escalated".to_string(),
        _ => "Warning".to_string(),
    };
    view! {
        <li class=format!("policy-result {}", r.level)>
            <span class="badge">{label}</span>" "
            <code class="rule">{format!("{}/{}", r.policy, r.rule)}</code>
            <p>{r.message}</p>
            {r.fix.map(|fix| view! { <p class="fix"><strong>"How to fix: "</strong>{fix}</p> })}
        </li>
    }
}
