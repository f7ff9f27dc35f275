//! A line diff as a table: removed lines red, added green, with both line numbers.

use leptos::prelude::*;

use crate::dto::DiffLine;

#[component]
pub fn Diff(lines: Vec<DiffLine>, #[prop(into)] label: String) -> impl IntoView {
    if lines.is_empty() {
        return view! { <p class="muted">"No changes."</p> }.into_any();
    }
    view! {
        <div class="diff-wrap">
            <table class="diff" aria-label=label>
                <tbody>
                    {lines.into_iter().map(|l| {
                        let sign = match l.kind.as_str() {
                            "add" => "+",
                            "del" => "−",
                            "gap" => "⋯",
                            _ => " ",
                        };
                        view! {
                            <tr class=format!("diff-{}", l.kind)>
                                <td class="ln">{l.old.map(|n| n.to_string())}</td>
                                <td class="ln">{l.new.map(|n| n.to_string())}</td>
                                <td class="sign" aria-hidden="true">{sign}</td>
                                <td class="code"><code>{l.text}</code></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
