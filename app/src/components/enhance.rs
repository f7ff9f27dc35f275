//! Progressive enhancements installed once the WASM bundle has hydrated the page:
//! the `/` shortcut that focuses search, and copy buttons on code blocks.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, KeyboardEvent};

/// Registers document-wide handlers. Called once from `App` in the browser.
pub fn install_global_handlers() {
    let handle = window_event_listener(ev::keydown, on_keydown);
    // The app lives as long as the page: keep the listener.
    std::mem::forget(handle);
    let handle = window_event_listener(ev::click, on_click);
    std::mem::forget(handle);
}

/// `/` focuses the search box from anywhere, unless the user is typing in a field.
fn on_keydown(event: KeyboardEvent) {
    if event.key() != "/" || event.ctrl_key() || event.meta_key() || event.alt_key() {
        return;
    }
    let document = document();
    if let Some(active) = document.active_element() {
        let tag = active.tag_name().to_ascii_lowercase();
        let editable = active
            .dyn_ref::<HtmlElement>()
            .map(|el| el.is_content_editable())
            .unwrap_or(false);
        if tag == "input" || tag == "textarea" || tag == "select" || editable {
            return;
        }
    }
    event.prevent_default();
    match document
        .get_element_by_id("q")
        .and_then(|el| el.dyn_into::<HtmlInputElement>().ok())
    {
        Some(input) => {
            let _ = input.focus();
            input.select();
        }
        None => {
            let _ = window().location().set_href("/");
        }
    }
}

/// A click on a code block's copy button copies the code and confirms it.
fn on_click(event: ev::MouseEvent) {
    let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return;
    };
    let Ok(Some(button)) = target.closest("button.copy") else {
        return;
    };
    let Some(code) = button
        .parent_element()
        .and_then(|block| block.query_selector("pre code").ok().flatten())
    else {
        return;
    };
    let text = code.text_content().unwrap_or_default();
    let clipboard = window().navigator().clipboard();
    let promise = clipboard.write_text(&text);
    leptos::task::spawn_local(async move {
        let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        button.set_text_content(Some(if ok { "Copied" } else { "Copy failed" }));
        let _ = button.class_list().toggle_with_force("copied", ok);
        set_timeout(
            move || {
                button.set_text_content(Some("Copy"));
                let _ = button.class_list().remove_1("copied");
            },
            std::time::Duration::from_secs(2),
        );
    });
}

/// Gives each code block its copy button. The server renders none (a runbook's HTML may
/// hold no buttons, and copying needs JavaScript), so they appear once the page hydrates.
pub fn add_copy_buttons() {
    let Ok(blocks) = document().query_selector_all("div.codeblock") else {
        return;
    };
    for i in 0..blocks.length() {
        let Some(block) = blocks.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        if block.query_selector("button.copy").ok().flatten().is_some() {
            continue;
        }
        let Ok(button) = document().create_element("button") else {
            continue;
        };
        let _ = button.set_attribute("type", "button");
        let _ = button.set_attribute("class", "copy");
        button.set_text_content(Some("Copy"));
        let _ = block.prepend_with_node_1(&button);
    }
}
