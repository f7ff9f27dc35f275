//! Typed template parameters: the schema a template declares, and validation of what a
//! person typed (form strings) or a script sent (JSON values) into normalized values.
//! Every problem is reported on its field, with what is expected.

use std::collections::BTreeMap;

use serde_json::Value;

/// Parameter values by name, normalized to their type (string, bool, integer, list).
pub type Values = BTreeMap<String, Value>;

/// What went wrong, per field (parameter name → message).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FieldErrors(pub BTreeMap<String, String>);

impl FieldErrors {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_string())
            .or_insert_with(|| message.into());
    }
}

/// The longest text any parameter accepts, whatever its schema says.
const MAX_TEXT: usize = 4096;
/// The most items any list parameter accepts.
const MAX_ITEMS: usize = 100;

/// One parameter as a template declares it.
#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub label: String,
    pub description: Option<String>,
    pub required: bool,
    pub default: Option<Value>,
    pub example: Option<String>,
    pub kind: ParamKind,
}

#[derive(Debug, Clone)]
pub enum ParamKind {
    String {
        pattern: Option<Pattern>,
        min_length: usize,
        max_length: usize,
    },
    Enum {
        values: Vec<String>,
    },
    Bool,
    Integer {
        min: i64,
        max: i64,
    },
    List {
        item_pattern: Option<Pattern>,
        item_max_length: usize,
        min_items: usize,
        max_items: usize,
    },
}

/// A regular expression as written in the template (shown to people and used by the
/// browser's `pattern` attribute) and compiled (used by the server).
#[derive(Debug, Clone)]
pub struct Pattern {
    pub source: String,
    regex: regex::Regex,
}

impl Pattern {
    fn new(source: &str) -> Result<Self, String> {
        if !(source.starts_with('^') && source.ends_with('$')) {
            return Err(format!(
                "pattern `{source}` must be anchored with ^ and $ so that it checks the whole value"
            ));
        }
        // `^a|b$` is anchored only in appearance: the body is grouped so that the
        // anchors hold for every alternative.
        let body = &source[1..source.len() - 1];
        let regex = regex::Regex::new(&format!("^(?:{body})$"))
            .map_err(|e| format!("pattern `{source}` does not compile: {e}"))?;
        Ok(Self {
            source: source.to_string(),
            regex,
        })
    }

    pub fn matches(&self, value: &str) -> bool {
        self.regex.is_match(value)
    }
}

mod declaration;
mod values;

pub use declaration::RawParam;
pub use values::validate;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn param(yaml: &str) -> Param {
        serde_yaml_ng::from_str::<RawParam>(yaml)
            .unwrap()
            .check()
            .unwrap()
    }

    fn submit(pairs: &[(&str, Value)]) -> BTreeMap<String, Value> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn each_type_accepts_form_text_and_json_alike() {
        let params = vec![
            param("{name: service, type: string, pattern: '^[a-z][a-z0-9\\-]*$', max_length: 20}"),
            param("{name: size, type: enum, values: [small, large], default: small}"),
            param("{name: sign, type: bool, default: true}"),
            param("{name: ttl_hours, type: integer, min: 1, max: 168, default: 24}"),
            param(
                "{name: features, type: list, item_pattern: '^[a-z]+$', max_items: 3, default: []}",
            ),
        ];
        let from_form = validate(
            &params,
            &submit(&[
                ("service", json!(" checkout-api ")),
                ("size", json!("large")),
                ("sign", json!("")),
                ("ttl_hours", json!("48")),
                ("features", json!("tls\nmetrics\n")),
            ]),
        )
        .unwrap();
        let from_json = validate(
            &params,
            &submit(&[
                ("service", json!("checkout-api")),
                ("size", json!("large")),
                ("sign", json!(false)),
                ("ttl_hours", json!(48)),
                ("features", json!(["tls", "metrics"])),
            ]),
        )
        .unwrap();
        assert_eq!(from_form, from_json);
        assert_eq!(from_form["features"], json!(["tls", "metrics"]));
        let defaults = validate(&params, &submit(&[("service", json!("api"))])).unwrap();
        assert_eq!(defaults["sign"], json!(true));
        assert_eq!(defaults["ttl_hours"], json!(24));
    }

    #[test]
    fn every_bad_field_is_reported_on_its_own() {
        let params = vec![
            param("{name: service, type: string, pattern: '^[a-z]+$', max_length: 10}"),
            param("{name: ttl_hours, type: integer, min: 1, max: 168}"),
            param("{name: size, type: enum, values: [small, large]}"),
            param("{name: tags, type: list, item_pattern: '^[a-z]+$', max_items: 2}"),
        ];
        let errors = validate(
            &params,
            &submit(&[
                ("service", json!("Checkout!")),
                ("ttl_hours", json!("1000")),
                ("tags", json!("a\nB\nc")),
                ("colour", json!("red")),
            ]),
        )
        .unwrap_err();
        assert_eq!(errors.0["service"], "must match ^[a-z]+$");
        assert_eq!(errors.0["ttl_hours"], "must be from 1 to 168");
        assert_eq!(errors.0["size"], "is required");
        assert!(
            errors.0["tags"].contains("needs 0 to 2 items; 3 given"),
            "{errors:?}"
        );
        assert!(
            errors.0["colour"].starts_with("unknown parameter"),
            "{errors:?}"
        );
    }

    #[test]
    fn declarations_are_checked_when_the_catalog_loads() {
        let bad = |yaml: &str| {
            serde_yaml_ng::from_str::<RawParam>(yaml)
                .unwrap()
                .check()
                .unwrap_err()
        };
        assert!(bad("{name: x, type: string, pattern: '[a-z]+'}").contains("anchored"));
        assert!(bad("{name: x, type: integer, values: [a]}").contains("applies only to enum"));
        assert!(bad("{name: x, type: float}").contains("unknown type"));
        assert!(bad("{name: Bad-Name, type: bool}").contains("lowercase"));
        assert!(bad("{name: n, type: integer, min: 1, max: 5, default: 9}").contains("default"));
        assert!(
            bad("{name: s, type: string, pattern: '^[a-z]+$', default: 'A'}").contains("default")
        );
        // Each alternative is anchored, not just the first and the last.
        let p = param("{name: p, type: string, pattern: '^ab|cd$'}");
        assert!(p.normalize(&json!("ab")).is_ok());
        assert!(p.normalize(&json!("abX")).is_err());
        assert!(p.normalize(&json!("Xcd")).is_err());
    }

    #[test]
    fn text_with_line_breaks_never_reaches_a_template() {
        let p = param("{name: command, type: string, max_length: 100}");
        assert!(
            p.normalize(&json!("echo ok\nrm -rf /"))
                .unwrap_err()
                .contains("line breaks")
        );
    }
}
