//! Reading a key-value match: where the key is, whether its name says it holds a secret,
//! and the value after it.

use super::{ENTROPY_WORDS, SECRET_WORDS};

/// Whether a key-value match is a URL query parameter (`?token=…&…`): its value ends at
/// `&` or `#`.
pub fn in_query(matched: &str) -> bool {
    matched.starts_with(['?', '&'])
}

/// Where the key is in a key-value match: after the one character of context the pattern
/// starts with (none at a line start), up to the first character that cannot be in a key.
pub fn key_in(matched: &str) -> std::ops::Range<usize> {
    let is_key = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-');
    let start = match matched.chars().next() {
        Some(c) if !(c.is_ascii() && is_key(c as u8)) => c.len_utf8(),
        _ => 0,
    };
    let len = matched.as_bytes()[start..]
        .iter()
        .position(|b| !is_key(*b))
        .unwrap_or(matched.len() - start);
    start..start + len
}

/// The rest of the line from `at` up to a quote or line end, or `None` if that is empty.
pub fn read_line_value(hay: &str, at: usize) -> Option<(std::ops::Range<usize>, usize)> {
    let rest = &hay.as_bytes()[at..];
    let len = rest
        .iter()
        .position(|b| matches!(b, b'\r' | b'\n' | b'"' | b'\''))
        .unwrap_or(rest.len());
    (len > 0).then_some((at..at + len, at + len))
}

/// The text of element `name` from `at` up to its closing tag on the same line, or `None` if
/// the line ends or another tag comes first, or the text is empty.
pub fn read_element_value(
    hay: &str,
    at: usize,
    name: &str,
) -> Option<(std::ops::Range<usize>, usize)> {
    let rest = &hay.as_bytes()[at..];
    let len = memchr::memchr2(b'<', b'\n', rest)?;
    let closes = rest[len..].starts_with(b"</")
        && rest[len + 2..].starts_with(name.as_bytes())
        && rest.get(len + 2 + name.len()) == Some(&b'>');
    (len > 0 && closes).then_some((at..at + len, at + len))
}

/// The value that starts at `hay[at..]`: double-quoted or single-quoted up to the closing
/// quote on the same line, or bare up to a space, quote, `,`, `;`, brace or bracket. Returns
/// the value's range and where the match ends (after a closing quote), or `None` when there is
/// no value (an empty bare value, an unclosed quote).
pub fn read_value(hay: &str, at: usize, query: bool) -> Option<(std::ops::Range<usize>, usize)> {
    let bytes = hay.as_bytes();
    match bytes.get(at)? {
        q @ (b'"' | b'\'' | b'`') => {
            let rest = &bytes[at + 1..];
            // A JSON document in quotes is not one value: the detectors look inside it.
            if matches!(rest.first(), Some(b'{' | b'[')) {
                return None;
            }
            let len = memchr::memchr2(*q, b'\n', rest)?;
            (rest[len] == *q).then_some((at + 1..at + 1 + len, at + len + 2))
        }
        // `(sensitive value)`, `$(vault read …)`: a value in parentheses is read whole, so
        // the placeholder check sees all of it.
        b'(' => read_through(bytes, at, b')'),
        // A SOPS ciphertext (`ENC[AES256_GCM,data:…]`) is read whole, brackets and commas
        // included, so the placeholder check sees what it is.
        _ if bytes[at..].starts_with(b"ENC[") => read_through(bytes, at, b']'),
        _ => {
            let len = bytes[at..]
                .iter()
                .position(|b| {
                    b.is_ascii_whitespace()
                        || matches!(
                            b,
                            b'"' | b'\'' | b'`' | b',' | b';' | b'{' | b'}' | b'[' | b']'
                        )
                        || (query && matches!(b, b'&' | b'#'))
                })
                .unwrap_or(bytes.len() - at);
            // A closing parenthesis without an opening one ends the text around the value
            // (`(key=v)`), not the value.
            let value = &bytes[at..at + len];
            let len = if value.ends_with(b")") && !value.contains(&b'(') {
                len - 1
            } else {
                len
            };
            (len > 0).then_some((at..at + len, at + len))
        }
    }
}

/// From `at` through the first `close` on the same line, or `None` if the line ends first.
fn read_through(bytes: &[u8], at: usize, close: u8) -> Option<(std::ops::Range<usize>, usize)> {
    let rest = &bytes[at..];
    let len = memchr::memchr2(close, b'\n', rest)?;
    (rest[len] == close).then_some((at..at + len + 1, at + len + 1))
}

/// How strongly a key's name says it holds a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strength {
    /// password, secret, token, api_key…: any real value is a secret.
    Strong,
    /// key, auth, signature, session…: a random-looking value is.
    Weak,
}

/// Whether `key` names a secret, and how strongly (`None` for names that only mention one,
/// like `token_url`).
pub fn secret_word(key: &str) -> Option<Strength> {
    static STRONG: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(&format!("(?i){SECRET_WORDS}")).expect("valid")
    });
    static WEAK: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(&format!("(?i){ENTROPY_WORDS}")).expect("valid")
    });
    if !key_names_a_secret(key) {
        return None;
    }
    if STRONG.is_match(key) {
        Some(Strength::Strong)
    } else if WEAK.is_match(key) && !key_names_a_digest(key) {
        Some(Strength::Weak)
    } else {
        None
    }
}

/// Keys whose random-looking values are ids, digests or public material, not secrets.
pub fn key_names_a_digest(key: &str) -> bool {
    const WORDS: &[&str] = &[
        "public",
        "cache",
        "hash",
        "digest",
        "checksum",
        "commit",
        "etag",
        "idempot",
        "partition",
        "sort",
        "primary",
        "foreign",
        "fingerprint",
        "kid",
        "request",
        "trace",
        "correlation",
        "object",
        "bucket",
        "revision",
        "author",
        "design",
        "assign",
    ];
    let k = key.to_ascii_lowercase();
    // `sha` as a name's part or before its size (`git_sha`, `sha256`), not inside `preshared`.
    let sha = k.match_indices("sha").any(|(at, _)| {
        let before = k[..at].bytes().next_back();
        let after = k[at + 3..].bytes().next();
        !before.is_some_and(|b| b.is_ascii_lowercase())
            || !after.is_some_and(|b| b.is_ascii_lowercase())
    });
    sha || WORDS.iter().any(|w| k.contains(w))
}

/// Key names that contain a secret word but name something else (`token_url`,
/// `secret_name`, `password_file`, `api_key_id`).
pub fn key_names_a_secret(key: &str) -> bool {
    const NOT_SECRET_SUFFIXES: &[&str] = &[
        "name",
        "url",
        "uri",
        "file",
        "path",
        "ref",
        "id",
        "type",
        "length",
        "ttl",
        "expiry",
        "expires",
        "expiration",
        "count",
        "endpoint",
        "header",
        "_at",
        "policy",
        "usage",
        "size",
        "format",
        "mode",
        "enabled",
        "required",
        "provider",
        "version",
        "keys",
        "source",
        "dir",
        "env",
        "field",
        "label",
        "hint",
        "prompt",
        "rotation",
        "manager",
        "store",
        "class",
        "arn",
        // A presigned URL's key id, date and region; the key id has its own detector.
        "amz-credential",
    ];
    let k = key.trim_start_matches('-').to_ascii_lowercase();
    // A session id is the credential itself, whatever its suffix says.
    let session = ["session_id", "sessionid", "session-id", "session.id"]
        .iter()
        .any(|s| k.ends_with(s));
    session || !NOT_SECRET_SUFFIXES.iter().any(|s| k.ends_with(s))
}
