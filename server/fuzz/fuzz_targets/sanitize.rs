//! Any text: the sanitizer never panics, its findings are ordered, disjoint and on char
//! boundaries, the text outside them is kept byte for byte, and a second pass changes nothing.
#![no_main]

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
    let out = SANITIZER.sanitize(text);
    let mut rebuilt = String::new();
    let mut at = 0;
    for f in &out.findings {
        assert!(at <= f.start && f.start < f.end && f.end <= text.len(), "{f:?}");
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        rebuilt.push_str(&text[at..f.start]);
        rebuilt.push_str(&format!("[REDACTED:{}]", f.category));
        at = f.end;
    }
    rebuilt.push_str(&text[at..]);
    assert_eq!(rebuilt, out.text, "text outside the findings changed");
    let again = SANITIZER.sanitize(&out.text);
    assert_eq!(again.text, out.text, "a second pass changed the text");
});
