//! Any bytes as `gatehouse redact` input: one output line per non-blank input line, each
//! valid JSON, and never a panic.
#![no_main]

#[allow(dead_code, unused_imports)]
#[path = "../../src/sanitizer/mod.rs"]
mod sanitizer;

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

static SANITIZER: LazyLock<sanitizer::Sanitizer> = LazyLock::new(sanitizer::Sanitizer::new);

fuzz_target!(|data: &[u8]| {
    let mut out = Vec::new();
    let stats = sanitizer::redact::json_lines(&SANITIZER, data, &mut out).expect("in-memory I/O");
    let lines: Vec<&[u8]> = out.split(|b| *b == b'\n').filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), stats.lines);
    for line in lines {
        serde_json::from_slice::<serde_json::Value>(line).expect("every output line is JSON");
    }
});
