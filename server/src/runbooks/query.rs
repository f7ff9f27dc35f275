//! The search box's little language, parsed leniently: any input gives a query and, where
//! something was ignored or cut, a notice that says so. Never an error.
//!
//! `words`, `"exact phrases"`, `-excluded`, and filters `service:x`, `tag:x`, `alert:x`
//! (values may be quoted).

/// Longest query text considered; the rest is ignored with a notice.
pub const MAX_QUERY_CHARS: usize = 512;
/// Most words and phrases considered.
pub const MAX_TERMS: usize = 24;

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// Free words, as typed (analyzed later).
    pub words: Vec<String>,
    /// Quoted phrases.
    pub phrases: Vec<String>,
    /// Words prefixed with `-`.
    pub excluded: Vec<String>,
    pub services: Vec<String>,
    pub tags: Vec<String>,
    pub alerts: Vec<String>,
    /// The last word may be unfinished (the text does not end with a space).
    pub last_word_open: bool,
    /// What was ignored or changed, in words for the user.
    pub notices: Vec<String>,
}

impl ParsedQuery {
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
            && self.phrases.is_empty()
            && self.services.is_empty()
            && self.tags.is_empty()
            && self.alerts.is_empty()
    }

    /// The free text (words and phrases) as one lower-cased string, for exact-name boosts.
    pub fn free_text(&self) -> String {
        let mut parts: Vec<&str> = self.words.iter().map(String::as_str).collect();
        parts.extend(self.phrases.iter().map(String::as_str));
        parts.join(" ").to_lowercase()
    }
}

/// Parses the query text.
pub fn parse(input: &str) -> ParsedQuery {
    let mut q = ParsedQuery::default();
    let cleaned: String = input
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if input.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        q.notices
            .push("Control characters in the query were ignored.".into());
    }
    let text: String = if cleaned.chars().count() > MAX_QUERY_CHARS {
        q.notices.push(format!(
            "The query was shortened to its first {MAX_QUERY_CHARS} characters."
        ));
        cleaned.chars().take(MAX_QUERY_CHARS).collect()
    } else {
        cleaned
    };
    q.last_word_open = !text.ends_with(char::is_whitespace);

    let quotes = text.matches('"').count();
    let balanced = quotes.is_multiple_of(2);
    if !balanced {
        q.notices
            .push("An unmatched quote (\") was ignored.".into());
    }
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut terms = 0;
    let mut dropped = false;
    // Index of the last quote, which is ignored when unbalanced.
    let unmatched = if balanced {
        None
    } else {
        chars.iter().rposition(|c| *c == '"')
    };
    while i < chars.len() {
        if chars[i].is_whitespace() || Some(i) == unmatched {
            i += 1;
            continue;
        }
        if terms >= MAX_TERMS {
            dropped = true;
            break;
        }
        if chars[i] == '"' {
            let end = (i + 1..chars.len())
                .find(|&j| chars[j] == '"' && Some(j) != unmatched)
                .unwrap_or(chars.len());
            let phrase: String = chars[i + 1..end].iter().collect();
            if !phrase.trim().is_empty() {
                q.phrases.push(phrase.trim().to_string());
                terms += 1;
            }
            i = end + 1;
            q.last_word_open = false;
            continue;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '"' {
            i += 1;
        }
        let mut token: String = chars[start..i].iter().collect();
        // A filter value may be quoted: service:"checkout-api".
        if token.ends_with(':') && i < chars.len() && chars[i] == '"' && Some(i) != unmatched {
            let end = (i + 1..chars.len())
                .find(|&j| chars[j] == '"')
                .unwrap_or(chars.len());
            token.push_str(&chars[i + 1..end].iter().collect::<String>());
            i = end + 1;
        }
        terms += 1;
        if let Some((key, value)) = token.split_once(':') {
            let value = value.trim();
            let list = match key.to_ascii_lowercase().as_str() {
                "service" => Some(&mut q.services),
                "tag" => Some(&mut q.tags),
                "alert" => Some(&mut q.alerts),
                _ => None,
            };
            if let Some(list) = list {
                if value.is_empty() {
                    q.notices.push(format!(
                        "`{key}:` needs a value, like {key}:checkout-api; it was ignored."
                    ));
                } else {
                    list.push(value.to_string());
                }
                continue;
            }
        }
        if let Some(rest) = token
            .strip_prefix('-')
            .filter(|r| !r.is_empty() && !r.starts_with('-'))
        {
            q.excluded.push(rest.to_string());
        } else {
            q.words.push(token);
        }
    }
    if dropped {
        q.notices.push(format!(
            "Only the first {MAX_TERMS} words of the query were used."
        ));
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn words_phrases_filters_and_exclusions() {
        let q = parse(
            r#"latency "connection pool" service:checkout-api tag:postgres alert:"X" -redis"#,
        );
        assert_eq!(q.words, ["latency"]);
        assert_eq!(q.phrases, ["connection pool"]);
        assert_eq!(q.services, ["checkout-api"]);
        assert_eq!(q.tags, ["postgres"]);
        assert_eq!(q.alerts, ["X"]);
        assert_eq!(q.excluded, ["redis"]);
        assert!(q.notices.is_empty());
    }

    #[test]
    fn an_unbalanced_quote_is_ignored_with_a_notice() {
        let q = parse(r#"checkout "latency"#);
        assert_eq!(q.words, ["checkout", "latency"]);
        assert!(q.phrases.is_empty());
        assert_eq!(q.notices.len(), 1);
    }

    #[test]
    fn lone_operators_are_just_words() {
        let q = parse("AND OR - : * +");
        assert!(q.words.contains(&"AND".to_string()));
        assert!(q.excluded.is_empty());
    }

    #[test]
    fn unknown_keys_are_words() {
        assert_eq!(parse("foo:bar").words, ["foo:bar"]);
    }

    #[test]
    fn long_queries_are_cut_with_a_notice() {
        let q = parse(&"word ".repeat(2000));
        assert_eq!(q.words.len(), MAX_TERMS.min(MAX_QUERY_CHARS / 5));
        assert!(!q.notices.is_empty());
    }

    #[test]
    fn control_characters_are_ignored() {
        let q = parse("check\u{0}out\u{7}");
        assert_eq!(q.words, ["check", "out"]);
        assert_eq!(q.notices.len(), 1);
    }

    #[test]
    fn the_last_word_is_open_while_typing() {
        assert!(parse("checkou").last_word_open);
        assert!(!parse("checkout ").last_word_open);
    }

    proptest! {
        #[test]
        fn any_input_parses_within_limits(s in ".{0,3000}") {
            let q = parse(&s);
            prop_assert!(q.words.len() + q.phrases.len() + q.excluded.len()
                + q.services.len() + q.tags.len() + q.alerts.len() <= MAX_TERMS);
            for w in &q.words {
                prop_assert!(!w.chars().any(char::is_control));
            }
        }
    }
}
