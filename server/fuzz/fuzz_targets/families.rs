//! Adversarial shapes: the fuzzer's bytes are one unit, repeated to 64 KB on one line, as the
//! bench's families are. Besides the invariants every target checks, libFuzzer's `-timeout` (set in
//! `.ci/fuzz`) fails the run when a unit makes the sanitizer superlinear.
#![no_main]

mod invariants;
#[allow(dead_code, unused_imports)]
#[path = "../../src/sanitizer/mod.rs"]
mod sanitizer;

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

static SANITIZER: LazyLock<sanitizer::Sanitizer> = LazyLock::new(sanitizer::Sanitizer::new);

fuzz_target!(|data: &[u8]| {
    let Ok(unit) = std::str::from_utf8(data) else {
        return;
    };
    if unit.len() > 64 {
        return;
    }
    let text = sanitizer::adversarial::Family::from_unit(unit, 64 * 1024);
    invariants::check(&SANITIZER, &text);
});
