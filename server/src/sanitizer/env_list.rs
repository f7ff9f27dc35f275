//! Secrets whose name and value sit on different lines, which no per-line detector sees
//! together: environment lists in manifests and Helm output (`- name: DB_PASSWORD`, then
//! `value: …`), and what a command that decodes a Kubernetes Secret printed (`kubectl get
//! secret … | base64 -d`, then the password on the next line).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::category::Category;
use super::lines::{line_around, lines_holding};
use super::{checks, detectors};

/// Values under secret-sounding names, with the category each is masked as: a strong name
/// (password, token) masks any real value, a weak one (key, auth) only a random-looking one.
pub fn secret_values(text: &str) -> Vec<(Range<usize>, Category)> {
    static VALUE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"^[ \t]*value:[ \t]*(.*?)[ \t]*$"#).expect("valid"));
    static NAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"^[ \t]*-?[ \t]*name:[ \t]*["']?([A-Za-z0-9_.-]+)["']?[ \t]*$"#)
            .expect("valid")
    });
    let mut out = Vec::new();
    for (start, end) in lines_holding(text, b"value:") {
        let Some(value) = VALUE.captures(&text[start..end]).and_then(|c| c.get(1)) else {
            continue;
        };
        if start == 0 {
            continue;
        }
        let (ps, pe, _) = line_around(text, start - 1);
        let Some(name) = NAME.captures(&text[ps..pe]).and_then(|c| c.get(1)) else {
            continue;
        };
        let raw = value.as_str();
        let v = raw.trim_matches(|c| c == '"' || c == '\'');
        if v.is_empty() || checks::is_placeholder(v) || checks::is_path(v) {
            continue;
        }
        let category = match detectors::secret_word(name.as_str()) {
            Some(detectors::Strength::Strong) => Category::GenericSecret,
            Some(detectors::Strength::Weak) if checks::high_entropy(v) => {
                Category::HighEntropySecret
            }
            _ => continue,
        };
        let at = start + value.start() + raw.find(v).unwrap_or(0);
        out.push((at..at + v.len(), category));
    }
    out.extend(decoded_output(text));
    out
}

/// The line printed by a command that decodes a Secret's value to the terminal (nothing
/// piped after the decoding but `; echo`): one word, the secret itself.
fn decoded_output(text: &str) -> Vec<(Range<usize>, Category)> {
    static DECODE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)get[ \t]+secrets?(?-u:\b)[^\n]*\|[ \t]*base64[ \t]+(?:-d|--decode|-D)[ \t]*(?:;[ \t]*echo[ \t]*)?\)?[ \t]*$")
            .expect("valid")
    });
    let mut out = Vec::new();
    for (start, end) in lines_holding(text, b"base64") {
        if end >= text.len() || !DECODE.is_match(&text[start..end]) {
            continue;
        }
        let (ns, ne, _) = line_around(text, end + 1);
        let line = &text[ns..ne];
        let word = line.trim();
        if word.is_empty()
            || word.contains(char::is_whitespace)
            || word.len() > 256
            || checks::is_placeholder(word)
        {
            continue;
        }
        let at = ns + line.find(word).unwrap_or(0);
        out.push((at..at + word.len(), Category::GenericSecret));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_under_a_secret_name_on_the_line_before() {
        let yaml = "env:\n  - name: DB_PASSWORD\n    value: \"hunter2-prod\"\n  - name: LOG_LEVEL\n    value: info\n  - name: SIGNING_KEY\n    value: 9fQ2xL7mZr4TbW8kVn3pYc6D\n  - name: CACHE_KEY\n    value: sessions\n  - name: DB_PASSWORD_FILE\n    value: /run/secrets/db\n";
        let found: Vec<(&str, Category)> = secret_values(yaml)
            .into_iter()
            .map(|(r, c)| (&yaml[r], c))
            .collect();
        assert_eq!(
            found,
            [
                ("hunter2-prod", Category::GenericSecret),
                ("9fQ2xL7mZr4TbW8kVn3pYc6D", Category::HighEntropySecret)
            ]
        );
    }

    #[test]
    fn what_a_decoded_secret_printed() {
        let shell = "$ kubectl get secret db -o jsonpath='{.data.password}' | base64 -d; echo
Quartz-77-otter
$ kubectl get secret db -o jsonpath='{.data.password}' | base64 -d | wc -c
15
";
        let found: Vec<&str> = secret_values(shell)
            .into_iter()
            .map(|(r, _)| &shell[r])
            .collect();
        assert_eq!(found, ["Quartz-77-otter"]);
    }
}
