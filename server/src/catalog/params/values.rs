//! What a person typed or a script sent, checked and normalized against the declared parameters.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{FieldErrors, Param, ParamKind, Pattern, Values};

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
