//! Index status: counts, last reindex, and runbook files that could not be indexed.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::get_index_status;
use crate::components::loaded::loaded;

#[component]
pub fn StatusPage() -> impl IntoView {
    let status = Resource::new(|| (), |_| get_index_status());
    view! {
        <Title text="Status" />
        <h1 class="page-title">"Runbook index status"</h1>
        <section class="status stack">
            {loaded(" Loading…", status, move |s| view! {
                            <dl class="meta">
                                <dt>"Runbooks you can read"</dt><dd>{s.runbooks}</dd>
                                <dt>"Sections indexed"</dt><dd>{s.sections}</dd>
                                <dt>"Last reindex"</dt><dd>{s.last_reindex.unwrap_or_else(|| "never".into())}</dd>
                            </dl>
                            {if s.problems.is_empty() {
                                view! { <div class="notice success"><strong>"All runbook files were indexed."</strong></div> }.into_any()
                            } else {
                                view! {
                                    <div class="notice warn"><strong>{format!("{} file(s) could not be indexed", s.problems.len())}</strong>
                                        <p>"They are skipped until fixed; every other runbook is searchable."</p></div>
                                    <div class="table-wrap">
                                        <table class="table">
                                            <thead><tr><th>"File"</th><th>"Line"</th><th>"Problem"</th></tr></thead>
                                            <tbody>
                                                {s.problems.into_iter().map(|p| view! {
                                                    <tr>
                                                        <td><code>{p.file}</code></td>
                                                        <td>{p.line.map(|l| l.to_string()).unwrap_or_else(|| "—".into())}</td>
                                                        <td>{p.reason}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                        })}
        </section>
    }
}
