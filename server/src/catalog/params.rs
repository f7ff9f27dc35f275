//! Typed template parameters: the schema a template declares, and validation of what a
//! person typed (form strings) or a script sent (JSON values) into normalized values.
//! Every problem is reported on its field, with what is expected.

use std::collections::BTreeMap;

use serde::Deserialize;
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

/// A parameter as written in `template.yaml`, before its fields are checked against its type.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParam {
    name: String,
    label: Option<String>,
    description: Option<String>,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    required: Option<bool>,
    default: Option<serde_yaml_ng::Value>,
    example: Option<String>,
    pattern: Option<String>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    values: Option<Vec<String>>,
    min: Option<i64>,
    max: Option<i64>,
    item_pattern: Option<String>,
    item_max_length: Option<usize>,
    min_items: Option<usize>,
    max_items: Option<usize>,
}

/// Names the catalog's forms use themselves.
const RESERVED: &[&str] = &["preview", "template", "reason"];

impl RawParam {
    /// Checks the declaration; the error names the parameter and what is wrong.
    pub fn check(self) -> Result<Param, String> {
        let name = self.name;
        let name_ok = name.len() <= 40
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !name_ok || RESERVED.contains(&name.as_str()) {
            return Err(format!(
                "parameter name `{name}` must be lowercase letters, digits and `_`, start with a letter, and not be one of {RESERVED:?}"
            ));
        }
        let bad = |what: &str| format!("parameter `{name}` ({}): {what}", self.kind);
        let for_types = |field: &str, present: bool, types: &[&str]| -> Result<(), String> {
            if present && !types.contains(&self.kind.as_str()) {
                Err(bad(&format!(
                    "`{field}` applies only to {}",
                    types.join(", ")
                )))
            } else {
                Ok(())
            }
        };
        for_types("pattern", self.pattern.is_some(), &["string"])?;
        for_types(
            "min_length/max_length",
            self.min_length.is_some() || self.max_length.is_some(),
            &["string"],
        )?;
        for_types("values", self.values.is_some(), &["enum"])?;
        for_types(
            "min/max",
            self.min.is_some() || self.max.is_some(),
            &["integer"],
        )?;
        for_types(
            "item_pattern/item_max_length/min_items/max_items",
            self.item_pattern.is_some()
                || self.item_max_length.is_some()
                || self.min_items.is_some()
                || self.max_items.is_some(),
            &["list"],
        )?;
        let kind = match self.kind.as_str() {
            "string" => {
                let min_length = self.min_length.unwrap_or(0);
                let max_length = self.max_length.unwrap_or(200).min(MAX_TEXT);
                if min_length > max_length {
                    return Err(bad("min_length is larger than max_length"));
                }
                ParamKind::String {
                    pattern: self
                        .pattern
                        .as_deref()
                        .map(Pattern::new)
                        .transpose()
                        .map_err(|e| bad(&e))?,
                    min_length,
                    max_length,
                }
            }
            "enum" => {
                let values = self.values.unwrap_or_default();
                if values.is_empty() {
                    return Err(bad("an enum needs `values`"));
                }
                ParamKind::Enum { values }
            }
            "bool" => ParamKind::Bool,
            "integer" => {
                let (min, max) = (self.min.unwrap_or(i64::MIN), self.max.unwrap_or(i64::MAX));
                if min > max {
                    return Err(bad("min is larger than max"));
                }
                ParamKind::Integer { min, max }
            }
            "list" => {
                let min_items = self.min_items.unwrap_or(0);
                let max_items = self.max_items.unwrap_or(20).min(MAX_ITEMS);
                if min_items > max_items {
                    return Err(bad("min_items is larger than max_items"));
                }
                ParamKind::List {
                    item_pattern: self
                        .item_pattern
                        .as_deref()
                        .map(Pattern::new)
                        .transpose()
                        .map_err(|e| bad(&e))?,
                    item_max_length: self.item_max_length.unwrap_or(200).min(MAX_TEXT),
                    min_items,
                    max_items,
                }
            }
            other => {
                return Err(format!(
                    "parameter `{name}`: unknown type `{other}`; use string, enum, bool, integer or list"
                ));
            }
        };
        let mut param = Param {
            label: self.label.unwrap_or_else(|| name.replace('_', " ")),
            name,
            description: self.description,
            required: self.required.unwrap_or(self.default.is_none()),
            default: None,
            example: self.example,
            kind,
        };
        if let Some(default) = self.default {
            let value = serde_json::to_value(&default)
                .map_err(|e| format!("parameter `{}`: default: {e}", param.name))?;
            let normalized = param.normalize(&value).map_err(|e| {
                format!(
                    "parameter `{}`: the default does not pass its own checks: {e}",
                    param.name
                )
            })?;
            param.default = Some(normalized);
        }
        Ok(param)
    }
}

impl Param {
    /// One value, checked and normalized; the error says what is expected.
    pub fn normalize(&self, value: &Value) -> Result<Value, String> {
        match &self.kind {
            ParamKind::String {
                pattern,
                min_length,
                max_length,
            } => {
                let text = scalar_text(value).ok_or("expected text")?;
                let text = text.trim();
                check_text(text, pattern.as_ref(), *min_length, *max_length)?;
                Ok(Value::String(text.to_string()))
            }
            ParamKind::Enum { values } => {
                let text = scalar_text(value).ok_or("expected one of the listed values")?;
                let text = text.trim();
                if values.iter().any(|v| v == text) {
                    Ok(Value::String(text.to_string()))
                } else {
                    Err(format!("must be one of: {}", values.join(", ")))
                }
            }
            ParamKind::Bool => match value {
                Value::Bool(b) => Ok(Value::Bool(*b)),
                Value::String(s) => match s.trim() {
                    "true" | "on" | "yes" | "1" => Ok(Value::Bool(true)),
                    "false" | "off" | "no" | "0" | "" => Ok(Value::Bool(false)),
                    _ => Err("expected true or false".into()),
                },
                _ => Err("expected true or false".into()),
            },
            ParamKind::Integer { min, max } => {
                let n = match value {
                    Value::Number(n) => n.as_i64(),
                    Value::String(s) => s.trim().parse::<i64>().ok(),
                    _ => None,
                }
                .ok_or("expected a whole number")?;
                if n < *min || n > *max {
                    return Err(format!("must be from {min} to {max}"));
                }
                Ok(Value::from(n))
            }
            ParamKind::List {
                item_pattern,
                item_max_length,
                min_items,
                max_items,
            } => {
                let items: Vec<String> = match value {
                    Value::Array(items) => items
                        .iter()
                        .map(|i| scalar_text(i).map(|t| t.trim().to_string()))
                        .collect::<Option<Vec<_>>>()
                        .ok_or("expected a list of text items")?,
                    // A form's textarea: one item per line (commas also separate).
                    Value::String(s) => {
                        s.split(['\n', ',']).map(|i| i.trim().to_string()).collect()
                    }
                    _ => return Err("expected a list of text items".into()),
                };
                let items: Vec<String> = items.into_iter().filter(|i| !i.is_empty()).collect();
                if items.len() < *min_items || items.len() > *max_items {
                    return Err(format!(
                        "needs {min_items} to {max_items} items; {} given",
                        items.len()
                    ));
                }
                for (n, item) in items.iter().enumerate() {
                    check_text(item, item_pattern.as_ref(), 1, *item_max_length)
                        .map_err(|e| format!("item {} (`{}`): {e}", n + 1, shorten(item)))?;
                }
                Ok(Value::from(items))
            }
        }
    }

    /// The value a form shows for this parameter (lists one item per line).
    pub fn form_text(value: &Value) -> String {
        match value {
            Value::String(s) => s.clone(),
            Value::Array(items) => items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("\n"),
            Value::Null => String::new(),
            other => other.to_string(),
        }
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn check_text(
    text: &str,
    pattern: Option<&Pattern>,
    min_length: usize,
    max_length: usize,
) -> Result<(), String> {
    let len = text.chars().count();
    if len < min_length || len > max_length {
        return Err(if min_length > 0 && len == 0 {
            "is required".to_string()
        } else {
            format!("must be {min_length} to {max_length} characters; it has {len}")
        });
    }
    if text.chars().any(char::is_control) {
        return Err("must not contain control characters or line breaks".into());
    }
    if let Some(pattern) = pattern
        && !pattern.matches(text)
    {
        return Err(format!("must match {}", pattern.source));
    }
    Ok(())
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= 40 {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(40).collect::<String>())
    }
}

/// Checks submitted values against the parameters: unknown names, missing required values
/// and bad values are all reported, each on its field. Absent optional values take their
/// default.
pub fn validate(
    params: &[Param],
    submitted: &BTreeMap<String, Value>,
) -> Result<Values, FieldErrors> {
    let mut errors = FieldErrors::default();
    for name in submitted.keys() {
        if !params.iter().any(|p| &p.name == name) {
            let known: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
            errors.add(
                name,
                format!(
                    "unknown parameter; this template takes {}",
                    known.join(", ")
                ),
            );
        }
    }
    let mut values = Values::new();
    for param in params {
        let given = submitted
            .get(&param.name)
            .filter(|v| !is_blank(v) || matches!(param.kind, ParamKind::Bool));
        match (given, &param.default) {
            (Some(value), _) => match param.normalize(value) {
                Ok(v) => {
                    values.insert(param.name.clone(), v);
                }
                Err(e) => errors.add(&param.name, e),
            },
            (None, Some(default)) => {
                values.insert(param.name.clone(), default.clone());
            }
            (None, None) if param.required => errors.add(&param.name, "is required"),
            (None, None) => {
                let empty = match param.kind {
                    ParamKind::List { .. } => Value::Array(vec![]),
                    ParamKind::Bool => Value::Bool(false),
                    _ => Value::Null,
                };
                values.insert(param.name.clone(), empty);
            }
        }
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(errors)
    }
}

fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

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
