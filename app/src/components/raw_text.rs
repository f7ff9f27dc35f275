//! Text for elements whose content the renderer writes without escaping.
//!
//! Leptos renders the children of `<textarea>` (like `<script>` and `<style>`) verbatim on the
//! server, so a value holding `</textarea><form …>` would close the element and inject markup.
//! Every textarea's content goes through [`textarea`], which escapes it for the server's HTML;
//! the browser decodes the entities, so the field shows the text as typed. In the browser the
//! text becomes a text node, which needs no escaping.

/// `text` ready to be a `<textarea>`'s child.
pub fn textarea(text: &str) -> String {
    if cfg!(feature = "ssr") {
        escape(text)
    } else {
        text.to_string()
    }
}

/// `&`, `<` and `>` as entities: nothing in the result can end the element or start a tag.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_escaped_can_close_the_element() {
        let hostile = "</textarea><form action=/requests/1/approve>&amp;";
        let safe = escape(hostile);
        assert_eq!(
            safe,
            "&lt;/textarea&gt;&lt;form action=/requests/1/approve&gt;&amp;amp;"
        );
        assert!(!safe.contains('<'));
    }
}
