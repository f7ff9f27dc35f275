//! A parameter as `template.yaml` declares it, checked against its type when the catalog loads.

use serde::Deserialize;

use super::{MAX_ITEMS, MAX_TEXT, Param, ParamKind, Pattern};

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
