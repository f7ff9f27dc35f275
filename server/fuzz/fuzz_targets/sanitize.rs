//! Any text: the sanitizer never panics, its findings are ordered, disjoint and on char
//! boundaries, the text outside them is kept byte for byte, and a second pass changes nothing.
#![no_main]

mod invariants;
#[allow(dead_code, unused_imports)]
#[path = "../../src/sanitizer/mod.rs"]
mod sanitizer;

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

static SANITIZER: LazyLock<sanitizer::Sanitizer> = LazyLock::new(sanitizer::Sanitizer::new);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    invariants::check(&SANITIZER, text);
});
