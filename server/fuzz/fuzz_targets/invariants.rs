//! What every sanitizer fuzz target asserts of one input: findings ordered, disjoint and on
//! char boundaries, the text outside them kept byte for byte, and a second pass a no-op.

use super::sanitizer::Sanitizer;

pub fn check(sanitizer: &Sanitizer, text: &str) {
    let out = sanitizer.sanitize(text);
    let mut rebuilt = String::new();
    let mut at = 0;
    for f in &out.findings {
        assert!(
            at <= f.start && f.start < f.end && f.end <= text.len(),
            "{f:?}"
        );
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        rebuilt.push_str(&text[at..f.start]);
        rebuilt.push_str(&format!("[REDACTED:{}]", f.category));
        at = f.end;
    }
    rebuilt.push_str(&text[at..]);
    assert_eq!(rebuilt, out.text, "text outside the findings changed");
    let again = sanitizer.sanitize(&out.text);
    assert_eq!(again.text, out.text, "a second pass changed the text");
}
