//! A runbook's Markdown body, split into sections (one search document each) and rendered
//! to sanitized HTML with the same heading anchors.

use std::cell::Cell;
use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};

use super::anchors::Slugger;
use super::nesting;

/// One heading and the text up to the next heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Id of the heading in the rendered page; empty for text before the first heading.
    pub anchor: String,
    pub level: u8,
    pub heading: String,
    /// Headings above and including this one, without the document title.
    pub path: Vec<String>,
    /// Prose of the section (code blocks excluded).
    pub text: String,
    /// Contents of the section's code blocks.
    pub code: String,
}

/// The result of parsing a runbook body once.
#[derive(Debug, Clone)]
pub struct Document {
    pub sections: Vec<Section>,
    /// Sanitized HTML: safe to insert into a page as is.
    pub html: String,
}

/// The Markdown extensions runbooks use (also what the request-cost bench parses with).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
}

/// A body that nests deeper than the sanitizer's parser can take in linear time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "lists, quotes or HTML elements are nested more than {max} levels deep, or raw HTML is so \
     tangled (unclosed tables, misnested tags) that rendering it would take too long; close \
     the HTML tags you open and flatten deep lists",
    max = nesting::MAX_DEPTH
)]
pub struct TooDeep {
    /// Line in the Markdown body (1 is its first line) near which the limit is passed.
    pub line: usize,
}

/// Parses and renders `markdown`. `title` names text before the first heading.
pub fn parse(markdown: &str, title: &str) -> Result<Document, TooDeep> {
    let mut slugger = Slugger::default();
    let mut sections: Vec<Section> = Vec::new();
    let mut stack: Vec<(u8, String)> = Vec::new();
    let mut out: Vec<Event<'_>> = Vec::new();

    let (events, offsets): (Vec<Event<'_>>, Vec<usize>) = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .map(|(event, range)| (event, range.start))
        .unzip();
    // Where in the Markdown each output event comes from, for the line in a TooDeep.
    let mut sources: Vec<usize> = Vec::new();
    let mut i = 0;
    let mut in_code = false;
    let mut current = Section {
        anchor: String::new(),
        level: 1,
        heading: title.to_string(),
        path: vec![title.to_string()],
        text: String::new(),
        code: String::new(),
    };
    while i < events.len() {
        let source = offsets[i];
        match &events[i] {
            Event::Start(Tag::Heading { level, .. }) => {
                let level = *level as u8;
                let mut j = i + 1;
                let mut heading = String::new();
                while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                    if let Event::Text(t) | Event::Code(t) = &events[j] {
                        heading.push_str(t);
                    }
                    j += 1;
                }
                let heading = heading.trim().to_string();
                let anchor = slugger.slug(&heading);
                let finished = std::mem::replace(
                    &mut current,
                    Section {
                        anchor: anchor.clone(),
                        level,
                        heading: heading.clone(),
                        path: Vec::new(),
                        text: String::new(),
                        code: String::new(),
                    },
                );
                if !finished.anchor.is_empty()
                    || !finished.text.trim().is_empty()
                    || !finished.code.is_empty()
                {
                    sections.push(finished);
                }
                while stack.last().is_some_and(|(l, _)| *l >= level) {
                    stack.pop();
                }
                stack.push((level, heading.clone()));
                current.path = stack
                    .iter()
                    .filter(|(l, _)| *l > 1)
                    .map(|(_, h)| h.clone())
                    .collect();
                if current.path.is_empty() {
                    current.path.push(heading.clone());
                }
                out.push(Event::Html(CowStr::from(format!(
                    "<h{level} id=\"{}{anchor}\">",
                    *ID_MARKER
                ))));
                out.extend(events[i + 1..j].iter().cloned());
                out.push(Event::Html(CowStr::from(format!(
                    "<a class=\"anchor\" href=\"#{anchor}\" aria-label=\"Link to this section\"></a></h{level}>\n"
                ))));
                sources.resize(out.len(), source);
                i = j + 1;
                continue;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code = true;
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => language_class(info),
                    CodeBlockKind::Indented => String::new(),
                };
                // The copy button is added in the browser (it needs JavaScript anyway), so no
                // button ever comes from a runbook's HTML.
                out.push(Event::Html(CowStr::from(format!(
                    "<div class=\"codeblock\"><pre><code{lang}>"
                ))));
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                current.code.push('\n');
                out.push(Event::Html(CowStr::from("</code></pre></div>\n")));
            }
            Event::Text(t) if in_code => {
                current.code.push_str(t);
                out.push(events[i].clone());
            }
            Event::Text(t) | Event::Code(t) => {
                current.text.push_str(t);
                out.push(events[i].clone());
            }
            Event::SoftBreak | Event::HardBreak => {
                current.text.push(' ');
                out.push(events[i].clone());
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::BlockQuote(_),
            ) => {
                current.text.push('\n');
                out.push(events[i].clone());
            }
            // A check mark, not a form control: runbooks hold no inputs.
            Event::TaskListMarker(done) => {
                current.text.push_str(if *done { "[x] " } else { "[ ] " });
                out.push(Event::Html(CowStr::from(if *done {
                    "<span class=\"task done\" aria-label=\"done\">☑</span> "
                } else {
                    "<span class=\"task\" aria-label=\"to do\">☐</span> "
                })));
            }
            other => out.push(other.clone()),
        }
        sources.resize(out.len(), source);
        i += 1;
    }
    if !current.anchor.is_empty() || !current.text.trim().is_empty() || !current.code.is_empty() {
        sections.push(current);
    }
    for s in &mut sections {
        s.text = s.text.split_whitespace().collect::<Vec<_>>().join(" ");
    }

    let (raw, starts) = render(out, &sources);
    if let Some(at) = nesting::too_deep_at(&raw) {
        let event = starts.partition_point(|(written, _)| *written <= at);
        let source = starts[event.saturating_sub(1)].1;
        let line = markdown[..source].matches('\n').count() + 1;
        return Err(TooDeep { line });
    }
    Ok(Document {
        sections,
        html: sanitize(&raw),
    })
}

/// Renders the events to HTML, noting where each event's HTML starts and the Markdown offset
/// it came from.
fn render(events: Vec<Event<'_>>, sources: &[usize]) -> (String, Vec<(usize, usize)>) {
    struct Counting<'a> {
        html: &'a mut String,
        written: &'a Cell<usize>,
    }
    impl std::fmt::Write for Counting<'_> {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.html.push_str(s);
            self.written.set(self.html.len());
            Ok(())
        }
    }
    let mut html = String::new();
    let written = Cell::new(0);
    let mut starts = Vec::with_capacity(events.len());
    let noted = events.into_iter().zip(sources).map(|(event, source)| {
        starts.push((written.get(), *source));
        event
    });
    let writer = Counting {
        html: &mut html,
        written: &written,
    };
    html::write_html_fmt(writer, noted).expect("writing to a String cannot fail");
    (html, starts)
}

/// The `class` attribute for a fenced block's language, if it is one we know.
fn language_class(info: &str) -> String {
    let lang = info
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if KNOWN_LANGUAGES.contains(&lang.as_str()) {
        format!(" class=\"language-{lang}\"")
    } else {
        String::new()
    }
}

const KNOWN_LANGUAGES: &[&str] = &[
    "bash",
    "sh",
    "shell",
    "console",
    "sql",
    "promql",
    "yaml",
    "yml",
    "json",
    "toml",
    "text",
    "hcl",
    "python",
    "go",
    "rust",
    "javascript",
    "ini",
    "logql",
    "diff",
    "dockerfile",
];

/// Marks the heading ids Gatehouse generates, so the sanitizer keeps those and drops every id
/// a runbook's own HTML sets. Random per process: a runbook cannot forge it. Without this an
/// author could name an element after a global the page's scripts read (DOM clobbering);
/// generated ids are slugs of the heading text, unique in the page, and stay unprefixed so
/// `/runbooks/<stem>#<anchor>` scrolls without JavaScript.
static ID_MARKER: LazyLock<String> =
    LazyLock::new(|| format!("gatehouse-{:016x}-", rand::random::<u64>()));

/// The HTML sanitizer: what Markdown produces, plus our anchors, code blocks and task
/// marks; no scripts, no event handlers, no `javascript:` or `data:` links, no styles, no
/// ids but ours, and no form controls (a runbook's `<button>` or `<input>` could pose as the
/// portal's own).
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.attribute_filter(|_, attribute, value| {
        if attribute == "id" {
            value.strip_prefix(ID_MARKER.as_str()).map(Into::into)
        } else {
            Some(value.into())
        }
    });
    b.add_tags(["div"])
        .rm_tags(["button", "input", "form", "select", "textarea", "label"])
        .add_tag_attributes("h1", ["id"])
        .add_tag_attributes("h2", ["id"])
        .add_tag_attributes("h3", ["id"])
        .add_tag_attributes("h4", ["id"])
        .add_tag_attributes("h5", ["id"])
        .add_tag_attributes("h6", ["id"])
        .add_tag_attributes("a", ["aria-label"])
        .add_tag_attributes("span", ["aria-label"])
        .add_allowed_classes("div", ["codeblock"])
        .add_allowed_classes("span", ["task", "done"])
        .add_allowed_classes("a", ["anchor"])
        .add_allowed_classes(
            "code",
            KNOWN_LANGUAGES
                .iter()
                .map(|l| format!("language-{l}").leak() as &'static str),
        )
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"));
    b
});

fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MD: &str = "# Checkout API\n\nIntro text.\n\n## Symptoms\n\nLatency *high*.\n\n## Diagnosis\n\n### Check pool\n\nRun this:\n\n```bash\nkubectl get pods\n```\n\n## Alerts\n\n### CheckoutApiHighLatency\n\nFires when p95 > 800ms.\n";

    #[test]
    fn every_heading_starts_a_section_with_its_path() {
        let doc = parse(MD, "Checkout API").expect("parses");
        let anchors: Vec<_> = doc.sections.iter().map(|s| s.anchor.as_str()).collect();
        assert_eq!(
            anchors,
            [
                "checkout-api",
                "symptoms",
                "diagnosis",
                "check-pool",
                "alerts",
                "checkoutapihighlatency"
            ]
        );
        let pool = &doc.sections[3];
        assert_eq!(pool.path, ["Diagnosis", "Check pool"]);
        assert_eq!(pool.text, "Run this:");
        assert_eq!(pool.code.trim(), "kubectl get pods");
        assert_eq!(doc.sections[0].text, "Intro text.");
    }

    #[test]
    fn headings_get_ids_and_code_blocks_a_wrapper_for_their_copy_button() {
        let doc = parse(MD, "Checkout API").expect("parses");
        assert!(doc.html.contains("<h3 id=\"check-pool\">"), "{}", doc.html);
        assert!(doc.html.contains("class=\"anchor\" href=\"#check-pool\""));
        // The browser adds the button to the wrapper once the page hydrates.
        assert!(doc.html.contains("<div class=\"codeblock\"><pre>"));
        assert!(
            doc.html
                .contains("<code class=\"language-bash\">kubectl get pods")
        );
    }

    #[test]
    fn hostile_html_is_made_inert() {
        let md = "# T\n\n<script>alert(1)</script>\n\n<img src=x onerror=\"alert(2)\">\n\n[click](javascript:alert(3))\n\n<a href=\"javascript:alert(4)\">x</a>\n\n<iframe src=\"https://evil\"></iframe>\n\n<div style=\"background:url(x)\" onclick=\"alert(5)\">d</div>\n";
        let html = parse(md, "T").expect("parses").html;
        for bad in [
            "<script",
            "onerror",
            "javascript:",
            "<iframe",
            "onclick",
            "style=",
        ] {
            assert!(
                !html.to_lowercase().contains(bad),
                "{bad} survived in {html}"
            );
        }
    }

    #[test]
    fn text_before_the_first_heading_is_a_section_named_by_the_title() {
        let doc = parse("Just text\n\n## Next\n\nmore", "Title").expect("parses");
        assert_eq!(doc.sections[0].anchor, "");
        assert_eq!(doc.sections[0].heading, "Title");
        assert_eq!(doc.sections[1].anchor, "next");
    }

    #[test]
    fn runbooks_hold_no_form_controls() {
        let md = "## Steps\n\n- [x] drained\n- [ ] restarted\n\n<button onclick=\"x()\">Approve</button>\n<input type=\"text\" name=\"q\">\n<form action=\"/requests/1/approve\" method=\"post\"><input type=\"submit\"></form>\n\n```bash\nkubectl get pods\n```\n";
        let html = parse(md, "T").expect("parses").html;
        for control in ["<button", "<input", "<form", "onclick"] {
            assert!(!html.contains(control), "{control} in {html}");
        }
        assert!(
            html.contains("☑") && html.contains("☐"),
            "task marks stay: {html}"
        );
        assert!(
            html.contains("<div class=\"codeblock\"><pre><code class=\"language-bash\">"),
            "{html}"
        );
    }

    #[test]
    fn only_generated_heading_ids_survive() {
        let md = "## Config\n\n<h2 id=\"location\">Raw</h2>\n\n<img id=\"settings\" name=\"settings\" src=\"https://x.example/a.png\">\n\n<a id=\"hydrate\" name=\"hydrate\" href=\"https://x.example\">x</a>\n\n## Config\n";
        let html = parse(md, "T").expect("parses").html;
        let ids: Vec<&str> = html
            .split("id=\"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap_or(""))
            .collect();
        assert_eq!(ids, ["config", "config-1"], "{html}");
        assert!(!html.contains("name=\""), "{html}");
        assert!(
            !html.contains(ID_MARKER.as_str()),
            "the marker never reaches a page"
        );
    }

    #[test]
    fn deep_nesting_is_refused_with_its_line_and_ordinary_depth_renders() {
        // Quotes in lists in quotes on one line: the rendering nests two elements per `> - `.
        let md = format!("# T\n\nFine so far.\n\n{}deep\n", "> - ".repeat(200));
        let err = parse(&md, "T").expect_err("too deep");
        assert_eq!(err.line, 5, "{err}");
        assert!(err.to_string().contains("nested more than"), "{err}");
        // Raw HTML nests the same way.
        let md = format!("text\n\n{}\n", "<div><span a=\"b\">".repeat(100));
        assert_eq!(parse(&md, "T").expect_err("too deep").line, 3);
        // A realistic depth renders.
        let md = format!("{}three levels\n", "> - ".repeat(3));
        assert!(parse(&md, "T").is_ok());
    }
}
