//! Gatehouse UI crate.
//!
//! Compiles twice: with `ssr` into the server (pages render to HTML, `#[server]` functions run
//! there) and with `hydrate` into the WASM bundle that makes those pages interactive.
//! It defines the contract with the server — the DTOs in [`dto`], the error in [`error`] and,
//! on the server side only, the [`port::Portal`] trait — and never depends on the server crate.

pub mod api;
pub mod app;
mod components;
pub mod dto;
pub mod error;
mod pages;
#[cfg(feature = "ssr")]
pub mod port;

pub use app::{App, shell};

/// WASM entry point: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
    // Lets browser tests (and curious humans) know the page is interactive now.
    let _ = js_sys::Reflect::set(
        &leptos::prelude::window(),
        &wasm_bindgen::JsValue::from_str("__gatehouse_hydrated"),
        &wasm_bindgen::JsValue::TRUE,
    );
}
