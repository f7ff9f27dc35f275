//! Kubernetes Secret manifests: every value under `data:` and `stringData:` is a secret,
//! whatever its key is called (`tls.key`, `config.json`, `username`). A line-oriented pass,
//! since a regular expression cannot tell which YAML document or JSON object it is in.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::lines::{line_around, lines_holding};

/// Byte ranges of the values in the Secret manifests inside `text` (YAML and JSON).
pub fn secret_values(text: &str) -> Vec<Range<usize>> {
    let mut out = yaml_values(text);
    out.extend(json_values(text));
    out.extend(escaped_json_values(text));
    out
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// Literal scans find the few lines that matter (`Secret`, `data:`), so text without
/// manifests costs two memchr passes, not a walk over every line.
fn yaml_values(text: &str) -> Vec<Range<usize>> {
    static KIND: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"^[ \t]*kind:[ \t]*["']?Secret["']?[ \t]*(?:#.*)?$"#).expect("valid")
    });
    // Documents end at `---` and at Markdown code fences, where notes usually put manifests.
    static BOUNDARY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?m)^[ \t]*(?:---|\.\.\.|```|~~~)").expect("valid"));
    static SECTION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^([ \t]*)(?:data|stringData):[ \t]*(?:#.*)?$").expect("valid")
    });
    static ENTRY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"^[ \t]*["']?[A-Za-z0-9._-]+["']?:[ \t]*(.*?)[ \t]*$"#).expect("valid")
    });
    let kinds: Vec<usize> = lines_holding(text, b"Secret")
        .filter(|(s, e)| KIND.is_match(&text[*s..*e]))
        .map(|(s, _)| s)
        .collect();
    if kinds.is_empty() {
        return Vec::new();
    }
    // A section belongs to a Secret when no document boundary lies between it and a
    // `kind: Secret` line (the nearest one before or after it): one scan finds the
    // boundaries, a binary search answers each question.
    let boundaries: Vec<usize> = BOUNDARY.find_iter(text).map(|m| m.start()).collect();
    let same_document = |a: usize, b: usize| {
        let (from, to) = (a.min(b), a.max(b));
        let i = boundaries.partition_point(|p| *p < from);
        boundaries.get(i).is_none_or(|p| *p >= to)
    };
    let sections = lines_holding(text, b"ata:").filter_map(|(s, e)| {
        let indent = SECTION.captures(&text[s..e])?.get(1).map_or(0, |m| m.len());
        let after = kinds.partition_point(|k| *k < s);
        let near = [after.checked_sub(1), Some(after)];
        near.into_iter()
            .flatten()
            .filter_map(|i| kinds.get(i))
            .any(|k| same_document(*k, s))
            .then_some((s, indent))
    });
    let mut out = Vec::new();
    let mut done = 0;
    for (section_start, section_indent) in sections {
        if section_start < done {
            continue;
        }
        let (_, _, mut at) = line_around(text, section_start);
        // The entries: every following line indented deeper than `data:` (blank lines too).
        while at < text.len() {
            let (start, end, next) = line_around(text, at);
            let line = &text[start..end];
            let blank = line.trim().is_empty();
            if !blank && indent(line) <= section_indent {
                break;
            }
            at = next;
            let Some(value) = ENTRY.captures(line).and_then(|c| c.get(1)) else {
                continue;
            };
            let v = value.as_str();
            if v.starts_with('|') || v.starts_with('>') {
                // A block scalar: the value is every following line indented deeper.
                let key_indent = indent(line);
                let (mut first, mut last) = (None, None);
                while at < text.len() {
                    let (s, e, n) = line_around(text, at);
                    let l = &text[s..e];
                    if !l.trim().is_empty() && indent(l) <= key_indent {
                        break;
                    }
                    if !l.trim().is_empty() {
                        first.get_or_insert(s + indent(l));
                        last = Some(e);
                    }
                    at = n;
                }
                if let (Some(f), Some(l)) = (first, last) {
                    out.push(f..l);
                }
            } else {
                let v = v.trim_matches(|c| c == '"' || c == '\'');
                let offset = start + value.start() + value.as_str().find(v).unwrap_or(0);
                if !v.is_empty() && !super::checks::is_placeholder(v) {
                    out.push(offset..offset + v.len());
                }
            }
        }
        done = at;
    }
    out
}

fn json_values(text: &str) -> Vec<Range<usize>> {
    static KIND: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#""kind"\s*:\s*"Secret""#).expect("valid"));
    static SECTION: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#""(?:data|stringData)"\s*:\s*\{"#).expect("valid"));
    static ENTRY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#""(?:[^"\\]|\\.)*"\s*:\s*"((?:[^"\\]|\\.)*)""#).expect("valid")
    });
    if !KIND.is_match(text) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut done = 0;
    for section in SECTION.find_iter(text) {
        // A section inside the previous one's body was read with it.
        if section.start() < done {
            continue;
        }
        // Secret data maps hold only strings: the object ends at the first `}` outside one.
        let body = &text[section.end()..];
        let mut end = body.len();
        let mut in_string = false;
        let mut escaped = false;
        for (i, b) in body.bytes().enumerate() {
            match (in_string, escaped, b) {
                (true, true, _) => escaped = false,
                (true, false, b'\\') => escaped = true,
                (_, false, b'"') => in_string = !in_string,
                (false, _, b'}') => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        done = section.end() + end;
        push_entries(&ENTRY, &body[..end], section.end(), &mut out);
    }
    out
}

/// The values `entry` (group 1) finds in a data map's `body`, which starts at byte `base` of
/// the text; placeholders stay.
fn push_entries(entry: &Regex, body: &str, base: usize, out: &mut Vec<Range<usize>>) {
    for caps in entry.captures_iter(body) {
        let value = caps.get(1).expect("group 1 always takes part");
        if !value.is_empty() && !super::checks::is_placeholder(value.as_str()) {
            out.push(base + value.start()..base + value.end());
        }
    }
}

/// A manifest as a JSON string inside another document, with its quotes escaped: the
/// `kubectl.kubernetes.io/last-applied-configuration` annotation of `kubectl get -o json`.
/// Its data map holds only base64 or plain strings, so it ends at the first `}`.
fn escaped_json_values(text: &str) -> Vec<Range<usize>> {
    static KIND: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"\\"kind\\"\s*:\s*\\"Secret\\""#).expect("valid"));
    static SECTION: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"\\"(?:data|stringData)\\"\s*:\s*\{"#).expect("valid"));
    static ENTRY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"\\"[^"\\]*\\"\s*:\s*\\"([^"\\]*)\\""#).expect("valid"));
    if !KIND.is_match(text) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for section in SECTION.find_iter(text) {
        let body = &text[section.end()..];
        let body = &body[..memchr::memchr(b'}', body.as_bytes()).unwrap_or(body.len())];
        push_entries(&ENTRY, body, section.end(), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str) -> Vec<&str> {
        secret_values(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn yaml_data_and_string_data_values_whatever_the_key() {
        let yaml = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  labels:\n    app: checkout\ntype: Opaque\ndata:\n  username: YWRtaW4=\n  tls.key: \"LS0tLS1CRUdJTg==\"\nstringData:\n  config.yaml: |\n    user: app\n    pass: hunter2\n  plain: s3cret-value\n";
        assert_eq!(
            masked(yaml),
            [
                "YWRtaW4=",
                "LS0tLS1CRUdJTg==",
                "user: app\n    pass: hunter2",
                "s3cret-value"
            ]
        );
    }

    #[test]
    fn only_secrets_and_only_their_data() {
        let config_map = "kind: ConfigMap\ndata:\n  level: debug\n";
        assert!(masked(config_map).is_empty());
        let two_docs =
            "kind: Secret\ndata:\n  a: c2VjcmV0\n---\nkind: ConfigMap\ndata:\n  b: visible\n";
        assert_eq!(masked(two_docs), ["c2VjcmV0"]);
        let metadata = "kind: Secret\nmetadata:\n  name: db-credentials\ndata:\n  p: eA==\n";
        assert_eq!(masked(metadata), ["eA=="]);
    }

    #[test]
    fn the_last_applied_annotation_with_escaped_quotes() {
        let json = r#""kubectl.kubernetes.io/last-applied-configuration": "{\"apiVersion\":\"v1\",\"data\":{\"api-key\":\"c2VjcmV0\"},\"kind\":\"Secret\"}""#;
        assert_eq!(masked(json), ["c2VjcmV0"]);
    }

    #[test]
    fn json_from_kubectl_get_o_json() {
        let json = r#"{"apiVersion":"v1","data":{"password":"aHVudGVyMg==","user":"YXBw"},"kind":"Secret","metadata":{"name":"db"}}"#;
        assert_eq!(masked(json), ["aHVudGVyMg==", "YXBw"]);
    }
}
