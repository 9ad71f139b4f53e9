//! A JSON schema (OpenAPI 3.1's dialect, as `utoipa` writes it) said in
//! words: its type as parts, its limits as rules, its inline fields.

use serde_json::Value;

use super::{FieldDoc, Part, Parts};

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// The schema's type: a named schema, `string (date)`, `array of X`,
/// `X or null`, `string: "a" | "b"`.
pub fn type_parts(schema: &Value) -> Parts {
    if let Some(name) = referenced(schema) {
        return vec![Part::Schema(name)];
    }
    for (key, joiner) in [("oneOf", " or "), ("anyOf", " or "), ("allOf", " + ")] {
        if let Some(members) = schema.get(key).and_then(Value::as_array) {
            return joined(members.iter().map(type_parts), joiner);
        }
    }
    let format = schema.get("format").and_then(Value::as_str);
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if types.is_empty() {
        return vec![Part::Text("any value".into())];
    }
    let mut parts = joined(types.iter().map(|t| one_type(schema, t, format)), " or ");
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        parts.push(Part::Text(": ".into()));
        let shown = values.iter().map(|v| vec![Part::Code(v.to_string())]);
        parts.extend(joined(shown, " | "));
    }
    merge_text(parts)
}

fn one_type(schema: &Value, ty: &str, format: Option<&str>) -> Parts {
    match ty {
        "array" => {
            let mut parts = vec![Part::Text("array of ".into())];
            match schema.get("items") {
                Some(items) => parts.extend(type_parts(items)),
                None => parts.push(Part::Text("any value".into())),
            }
            parts
        }
        "object" => match schema.get("additionalProperties") {
            Some(values @ Value::Object(_)) => {
                let mut parts = vec![Part::Text("map of string to ".into())];
                parts.extend(type_parts(values));
                parts
            }
            _ => vec![Part::Text("object".into())],
        },
        "null" => vec![Part::Text("null".into())],
        other => match format {
            Some(f) => vec![Part::Text(format!("{other} ({f})"))],
            None => vec![Part::Text(other.to_owned())],
        },
    }
}

fn joined(runs: impl Iterator<Item = Parts>, joiner: &str) -> Parts {
    let mut parts: Parts = Vec::new();
    for (i, run) in runs.enumerate() {
        if i > 0 {
            parts.push(Part::Text(joiner.to_owned()));
        }
        parts.extend(run);
    }
    merge_text(parts)
}

/// Neighbouring words as one piece, so the page renders "string or null",
/// not three pieces of it.
fn merge_text(parts: Parts) -> Parts {
    let mut merged: Parts = Vec::with_capacity(parts.len());
    for part in parts {
        match (merged.last_mut(), part) {
            (Some(Part::Text(before)), Part::Text(t)) => before.push_str(&t),
            (_, part) => merged.push(part),
        }
    }
    merged
}

/// The named schema this one points at, if it is a `$ref`.
pub fn referenced(schema: &Value) -> Option<String> {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix(SCHEMA_PREFIX))
        .map(str::to_owned)
}

/// Its limits and example, each a short phrase.
pub fn rules(schema: &Value) -> Vec<Parts> {
    let num = |key: &str| schema.get(key).and_then(Value::as_f64);
    let mut rules = Vec::new();
    match (num("minLength"), num("maxLength")) {
        (Some(lo), Some(hi)) => rules.push(words(format!("{lo} to {hi} characters"))),
        (Some(lo), None) => rules.push(words(format!("at least {lo} characters"))),
        (None, Some(hi)) => rules.push(words(format!("at most {hi} characters"))),
        (None, None) => {}
    }
    match (num("minimum"), num("maximum")) {
        (Some(lo), Some(hi)) => rules.push(words(format!("from {lo} to {hi}"))),
        // An unsigned number's minimum of 0 says nothing a reader needs.
        (Some(lo), None) if lo != 0.0 => rules.push(words(format!("at least {lo}"))),
        (None, Some(hi)) => rules.push(words(format!("at most {hi}"))),
        _ => {}
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        rules.push(vec![
            Part::Text("matches ".into()),
            Part::Code(pattern.to_owned()),
        ]);
    }
    if let Some(example) = schema.get("example") {
        let shown = match example {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        rules.push(vec![Part::Text("e.g. ".into()), Part::Code(shown)]);
    }
    rules
}

fn words(text: String) -> Parts {
    vec![Part::Text(text)]
}

/// A schema's own description, or the one its first member carries (for
/// `X or null` written as `oneOf`), or its items' (for a list of inline
/// objects).
pub fn description(schema: &Value) -> String {
    let text = |s: &Value| {
        s.get("description")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let member = || {
        ["oneOf", "anyOf", "allOf"]
            .iter()
            .filter_map(|k| schema.get(*k).and_then(Value::as_array))
            .flatten()
            .find_map(text)
    };
    text(schema)
        .or_else(member)
        .or_else(|| schema.get("items").and_then(text))
        .unwrap_or_default()
}

/// The fields an object schema lists, and those of the objects written
/// inline inside it (`data.id`, `data[].given_name`); a named schema's
/// fields are described where it is, and linked.
pub fn fields(schema: &Value, prefix: &str, out: &mut Vec<FieldDoc>) {
    if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
        for member in members {
            fields(member, prefix, out);
        }
        return;
    }
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for (name, prop) in props {
        let path = format!("{prefix}{name}");
        out.push(FieldDoc {
            name: path.clone(),
            location: String::new(),
            required: required.contains(&name.as_str()),
            ty: type_parts(prop),
            description: description(prop),
            rules: rules(prop),
        });
        match prop.get("items") {
            Some(items) => fields(items, &format!("{path}[]."), out),
            None => fields(prop, &format!("{path}."), out),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn text(s: &str) -> Part {
        Part::Text(s.into())
    }

    #[test]
    fn a_reference_is_the_schema_it_names() {
        let s = json!({"$ref": "#/components/schemas/ErrorBody"});
        assert_eq!(type_parts(&s), vec![Part::Schema("ErrorBody".into())]);
    }

    #[test]
    fn nullable_types_and_formats_read_as_words() {
        let s = json!({"type": ["string", "null"], "format": "uuid"});
        assert_eq!(type_parts(&s), vec![text("string (uuid) or null")]);
        assert_eq!(type_parts(&json!({})), vec![text("any value")]);
    }

    #[test]
    fn arrays_maps_and_choices_name_what_they_hold() {
        let array = json!({"type": "array", "items": {"$ref": "#/components/schemas/Department"}});
        assert_eq!(
            type_parts(&array),
            vec![text("array of "), Part::Schema("Department".into())]
        );
        let map = json!({"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}});
        assert_eq!(
            type_parts(&map),
            vec![text("map of string to array of string")]
        );
        let choice = json!({"oneOf": [{"$ref": "#/components/schemas/Vitals"}, {"type": "null"}]});
        assert_eq!(
            type_parts(&choice),
            vec![Part::Schema("Vitals".into()), text(" or null")]
        );
    }

    #[test]
    fn an_enumeration_lists_its_values_as_code() {
        let s = json!({"type": "string", "enum": ["active", "all"]});
        assert_eq!(
            type_parts(&s),
            vec![
                text("string: "),
                Part::Code("\"active\"".into()),
                text(" | "),
                Part::Code("\"all\"".into())
            ]
        );
    }

    #[test]
    fn limits_patterns_and_examples_become_rules() {
        let s = json!({"type": "integer", "minimum": 1, "maximum": 100});
        assert_eq!(rules(&s), vec![vec![text("from 1 to 100")]]);
        let s = json!({"type": "string", "maxLength": 100, "pattern": "^a$", "example": "Asha"});
        assert_eq!(
            rules(&s),
            vec![
                vec![text("at most 100 characters")],
                vec![text("matches "), Part::Code("^a$".into())],
                vec![text("e.g. "), Part::Code("Asha".into())],
            ]
        );
        assert!(rules(&json!({"type": "integer", "minimum": 0})).is_empty());
    }

    #[test]
    fn inline_objects_are_listed_by_their_path() {
        let s = json!({
            "type": "object",
            "required": ["data"],
            "properties": {
                "data": {"type": "array", "items": {
                    "type": "object", "required": ["id"],
                    "properties": {"id": {"type": "string"}, "note": {"type": "string", "description": "Free text"}}
                }},
                "meta": {"$ref": "#/components/schemas/ListMeta"}
            }
        });
        let mut out = Vec::new();
        fields(&s, "", &mut out);
        let listed: Vec<(&str, bool)> = out.iter().map(|f| (f.name.as_str(), f.required)).collect();
        assert_eq!(
            listed,
            [
                ("data", true),
                ("data[].id", true),
                ("data[].note", false),
                ("meta", false)
            ]
        );
        assert_eq!(out[2].description, "Free text");
    }

    #[test]
    fn all_of_lists_the_inline_members_fields_and_a_choice_its_members_description() {
        let s = json!({"allOf": [
            {"$ref": "#/components/schemas/RecordedVitals"},
            {"type": "object", "properties": {"id": {"type": "string"}}}
        ]});
        let mut out = Vec::new();
        fields(&s, "", &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].name, "id");
        let choice = json!({"oneOf": [{"$ref": "#/components/schemas/Vitals", "description": "Latest"}, {"type": "null"}]});
        assert_eq!(description(&choice), "Latest");
        let list = json!({"type": "array", "items": {"type": "object", "description": "A line"}});
        assert_eq!(description(&list), "A line");
    }
}
