//! A property pass over every parser that takes user input: runbook front matter and
//! Markdown, search queries, deployment notes (JSON and plain text), template parameters and
//! their rendering, the single sign-on cookie, session cookies, token lifetimes, audit anchors
//! and exported checkpoints. Arbitrary and near-valid text never panics; each parser answers
//! with a value or an error. `PROPTEST_CASES` raises the 256 cases per property.

use std::collections::BTreeMap;

use proptest::prelude::*;
use server::runbooks::catalog::Runbook;
use server::runbooks::names::RunbookStem;

/// Text that looks like a runbook: front matter of known and unknown keys with odd values,
/// then Markdown with headings, raw HTML, code fences and tables.
fn runbookish() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "title",
        "service",
        "owners",
        "tags",
        "alerts",
        "visibility",
        "last_reviewed",
        "extra",
        "",
    ]);
    let value = prop::sample::select(vec![
        "x",
        "[a, b]",
        "[]",
        "restricted",
        "internal",
        "2026-13-40",
        "\"quoted",
        "{a: 1}",
        "- a\n- b",
        "&anchor x",
        "*anchor",
        "!!binary AAAA",
        "[payments-oncall]",
        "null",
        "~",
        "'",
    ]);
    let line = (key, value).prop_map(|(k, v)| format!("{k}: {v}"));
    let md = prop::sample::select(vec![
        "# T",
        "## Symptoms",
        "### Alert",
        "```bash",
        "```",
        "<details><summary>s</summary>",
        "</details>",
        "<h2 id=\"x\">raw</h2>",
        "| a | b |",
        "|---|---|",
        "- [x] done",
        "> quote",
        "[l](javascript:x)",
        "<script>x</script>",
        "text with `code`",
        "#",
        "---",
        "    indented",
        "<!-- c -->",
        "\u{0}",
    ]);
    (
        prop::collection::vec(line, 0..12),
        prop::collection::vec(prop_oneof![md.prop_map(String::from), ".{0,40}"], 0..40),
        any::<bool>(),
    )
        .prop_map(|(meta, body, fenced)| {
            let fence = if fenced { "---\n" } else { "" };
            format!("{fence}{}\n{fence}{}", meta.join("\n"), body.join("\n"))
        })
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        ".{0,80}".prop_map(serde_json::Value::from),
        "[a-z0-9-]{1,30}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn runbook_files_parse_or_name_a_problem(text in prop_oneof![runbookish(), ".{0,2000}"]) {
        let _ = server::runbooks::front_matter::split(&text);
        let stem = RunbookStem::parse("fuzzed-runbook").expect("stem");
        if let Ok(rb) = Runbook::parse(stem, "fuzzed-runbook.md", &text) {
            prop_assert!(!rb.html.contains("<script"));
        }
    }

    #[test]
    fn queries_parse(text in prop_oneof![
        ".{0,600}",
        "(alertname|service|tag|alert)[=:][\"{}a-zA-Z, ]{0,40}",
        "[\"{}=,:a-z -]{0,200}",
    ]) {
        let _ = server::runbooks::query::parse(&text);
    }

    #[test]
    fn deployment_notes_validate_or_say_what_is_wrong(
        plain in ".{0,3000}",
        json in json_value(),
        service in prop::option::of("[a-z0-9-]{0,70}"),
    ) {
        use server::deployments::notes::{NotesJson, from_plain_text, validate};
        let now = chrono::Utc::now();
        let raw = from_plain_text(&plain, service.as_deref());
        let _ = validate(raw, |_| true, now);
        if let Ok(raw) = serde_json::from_value::<NotesJson>(json) {
            let _ = validate(raw, |_| true, now);
        }
        let _ = server::drafts::facts::extract(&plain);
    }

    #[test]
    fn template_parameters_validate_and_render(
        values in prop::collection::btree_map(
            prop_oneof![
                Just("service_name".to_string()),
                Just("name".to_string()),
                Just("ttl_hours".to_string()),
                "[a-z_]{1,20}",
            ],
            json_value(),
            0..6,
        ),
        which in any::<prop::sample::Index>(),
        replacement in prop_oneof![json_value(), "[ -~]{0,300}".prop_map(serde_json::Value::from)],
    ) {
        for template in catalog().templates.values() {
            // Arbitrary values, mostly refused.
            if let Ok(checked) = server::catalog::params::validate(&template.params, &values) {
                let _ = server::catalog::render::render(template, &checked);
            }
            // A valid form with one field changed, so rendering sees hostile values too.
            let mut near = valid_values(template);
            let name = template.params[which.index(template.params.len())].name.clone();
            near.insert(name, replacement.clone());
            if let Ok(checked) = server::catalog::params::validate(&template.params, &near) {
                let _ = server::catalog::render::render(template, &checked);
            }
        }
    }

    #[test]
    fn cookies_tokens_and_audit_inputs_are_checked(text in ".{0,400}", bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = server::auth::oidc::PendingLogin::decode(&text);
        let _ = server::auth::tokens::parse_ttl(&text);
        let _ = text.parse::<server::audit::verify::Anchor>();
        let _ = serde_json::from_str::<server::audit::checkpoint::SignedCheckpoint>(&text);
        if let Ok(value) = http::HeaderValue::from_bytes(&bytes) {
            let mut headers = http::HeaderMap::new();
            headers.insert(http::header::COOKIE, value);
            let _ = server::routes::caller::session_token(&headers);
            let _ = server::routes::caller::cookie_value(&headers, "gatehouse_oidc");
        }
    }
}

fn catalog() -> &'static server::catalog::Catalog {
    static CATALOG: std::sync::OnceLock<server::catalog::Catalog> = std::sync::OnceLock::new();
    CATALOG.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog");
        server::catalog::Catalog::load(&dir).expect("the shipped catalog loads")
    })
}

/// Values every parameter accepts: its default, else its example, else the first choice;
/// optional parameters with neither are left out.
fn valid_values(template: &server::catalog::Template) -> BTreeMap<String, serde_json::Value> {
    use server::catalog::params::ParamKind;
    template
        .params
        .iter()
        .filter(|p| p.required || p.default.is_some() || p.example.is_some())
        .map(|p| {
            let value = p.default.clone().unwrap_or_else(|| match &p.kind {
                ParamKind::Enum { values } => values[0].clone().into(),
                ParamKind::Bool => true.into(),
                ParamKind::Integer { min, .. } => (*min).into(),
                ParamKind::List { .. } => serde_json::json!([]),
                ParamKind::String { .. } => p
                    .example
                    .clone()
                    .unwrap_or_else(|| "checkout-api".into())
                    .into(),
            });
            (p.name.clone(), value)
        })
        .collect()
}

/// The near-valid inputs above start from a form that passes, for every shipped template.
#[test]
fn every_template_accepts_its_defaults_and_examples() {
    for template in catalog().templates.values() {
        let checked = server::catalog::params::validate(&template.params, &valid_values(template))
            .unwrap_or_else(|e| panic!("{}: {e:?}", template.id));
        server::catalog::render::render(template, &checked)
            .unwrap_or_else(|e| panic!("{}: {e}", template.id));
    }
}
