//! The reference from the OpenAPI document, as JSON: what clients download
//! is what the page shows.

use serde_json::Value;

use super::schema_text::{description, fields, rules, type_parts};
use super::{
    ApiReference, BodyDoc, FieldDoc, OperationDoc, OperationGroup, ResponseDoc, SchemaDoc,
};

/// The methods an operation may have, in the order a resource lists them.
const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];
/// The group of operations the document gives no tag.
const UNTAGGED: &str = "other";

pub fn from_openapi(doc: &Value) -> ApiReference {
    let text = |v: &Value, key: &str| {
        v.get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let info = &doc["info"];
    let mut groups: Vec<OperationGroup> = doc["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|tag| OperationGroup {
            name: text(tag, "name"),
            description: text(tag, "description"),
            operations: Vec::new(),
        })
        .collect();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let tag = op["tags"][0].as_str().unwrap_or(UNTAGGED);
            let group = match groups.iter().position(|g| g.name == tag) {
                Some(i) => i,
                None => {
                    groups.push(OperationGroup {
                        name: tag.to_owned(),
                        description: String::new(),
                        operations: Vec::new(),
                    });
                    groups.len() - 1
                }
            };
            groups[group].operations.push(operation(method, path, op));
        }
    }
    groups.retain(|g| !g.operations.is_empty());
    let schemas = doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, schema)| {
            let mut listed = Vec::new();
            fields(schema, "", &mut listed);
            SchemaDoc {
                name: name.clone(),
                description: description(schema),
                ty: type_parts(schema),
                fields: listed,
                closed: schema.get("additionalProperties") == Some(&Value::Bool(false)),
            }
        })
        .collect();
    ApiReference {
        title: text(info, "title"),
        version: text(info, "version"),
        description: text(info, "description"),
        groups,
        schemas,
    }
}

fn operation(method: &str, path: &str, op: &Value) -> OperationDoc {
    let text = |key: &str| {
        op.get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let parameters = op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| FieldDoc {
            name: p["name"].as_str().unwrap_or_default().to_owned(),
            location: p["in"].as_str().unwrap_or_default().to_owned(),
            required: p["required"].as_bool().unwrap_or(false),
            ty: type_parts(&p["schema"]),
            description: p["description"].as_str().unwrap_or_default().to_owned(),
            rules: rules(&p["schema"]),
        })
        .collect();
    let body = op.get("requestBody").and_then(|b| {
        let (content_type, media) = b["content"].as_object()?.iter().next()?;
        Some(BodyDoc {
            content_type: content_type.clone(),
            required: b["required"].as_bool().unwrap_or(false),
            ty: type_parts(&media["schema"]),
        })
    });
    let responses = op["responses"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(status, r)| ResponseDoc {
            status: status.clone(),
            description: r["description"].as_str().unwrap_or_default().to_owned(),
            ty: r["content"]
                .as_object()
                .and_then(|c| c.values().next())
                .map(|media| type_parts(&media["schema"])),
            headers: r["headers"]
                .as_object()
                .map(|h| h.keys().cloned().collect())
                .unwrap_or_default(),
        })
        .collect();
    let needs_token = op["security"].as_array().is_some_and(|s| {
        s.iter()
            .any(|req| req.as_object().is_some_and(|o| !o.is_empty()))
    });
    OperationDoc {
        anchor: anchor(method, path),
        method: method.to_uppercase(),
        path: path.to_owned(),
        summary: text("summary"),
        description: text("description"),
        needs_token,
        parameters,
        body,
        responses,
    }
}

/// `get-api-v1-clinics-slug-patients-id` for `GET /api/v1/clinics/{slug}/patients/{id}`.
fn anchor(method: &str, path: &str) -> String {
    let mut out = method.to_owned();
    for word in path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        out.push('-');
        out.push_str(&word.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::domain::api::reference::Part;

    fn doc() -> Value {
        json!({
            "openapi": "3.1.0",
            "info": {"title": "HMS API", "version": "1", "description": "Read me"},
            "tags": [{"name": "auth", "description": "Tokens"}, {"name": "patients", "description": "Records"}, {"name": "unused"}],
            "paths": {
                "/api/v1/clinics/{slug}/patients/{id}": {
                    "patch": {"tags": ["patients"], "summary": "Change", "operationId": "update",
                              "security": [{"bearer": []}], "responses": {"412": {"description": "Stale"}},
                              "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PatientFields"}}}}},
                    "get": {"tags": ["patients"], "summary": "Read", "operationId": "get",
                            "security": [{"bearer": []}],
                            "parameters": [{"name": "slug", "in": "path", "required": true, "schema": {"type": "string"}}],
                            "responses": {"200": {"description": "The record",
                                                   "headers": {"ETag": {"schema": {"type": "string"}}},
                                                   "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PatientDetails"}}}}}}
                },
                "/api/v1/auth/token": {
                    "post": {"tags": ["auth"], "summary": "Sign in", "operationId": "token", "responses": {"200": {"description": "Tokens"}}}
                },
                "/healthz": {"get": {"summary": "Alive", "responses": {}}}
            },
            "components": {"schemas": {
                "PatientFields": {"type": "object", "additionalProperties": false, "properties": {"phone": {"type": "string"}}},
                "PatientDetails": {"type": "object", "description": "A record", "properties": {}}
            }}
        })
    }

    #[test]
    fn operations_are_grouped_by_tag_in_the_documents_order() {
        let r = from_openapi(&doc());
        assert_eq!((r.title.as_str(), r.version.as_str()), ("HMS API", "1"));
        let groups: Vec<(&str, Vec<&str>)> = r
            .groups
            .iter()
            .map(|g| {
                (
                    g.name.as_str(),
                    g.operations.iter().map(|o| o.summary.as_str()).collect(),
                )
            })
            .collect();
        // The tag with no operation is left out; an untagged one is "other".
        assert_eq!(
            groups,
            [
                ("auth", vec!["Sign in"]),
                ("patients", vec!["Read", "Change"]),
                ("other", vec!["Alive"])
            ]
        );
    }

    #[test]
    fn an_operation_says_its_token_parameters_body_and_answers() {
        let r = from_openapi(&doc());
        let read = &r.groups[1].operations[0];
        assert_eq!(read.anchor, "get-api-v1-clinics-slug-patients-id");
        assert_eq!((read.method.as_str(), read.needs_token), ("GET", true));
        assert_eq!(read.parameters[0].location, "path");
        assert!(read.parameters[0].required);
        assert_eq!(read.responses[0].headers, ["ETag"]);
        assert_eq!(
            read.responses[0].ty,
            Some(vec![Part::Schema("PatientDetails".into())])
        );
        let change = &r.groups[1].operations[1];
        let body = change.body.as_ref().unwrap();
        assert!(body.required);
        assert_eq!(body.content_type, "application/json");
        assert_eq!(change.responses[0].ty, None);
        assert!(!r.groups[0].operations[0].needs_token);
    }

    #[test]
    fn schemas_say_whether_they_refuse_unknown_fields() {
        let r = from_openapi(&doc());
        let names: Vec<(&str, bool)> = r
            .schemas
            .iter()
            .map(|s| (s.name.as_str(), s.closed))
            .collect();
        assert_eq!(names, [("PatientDetails", false), ("PatientFields", true)]);
        assert_eq!(r.schemas[1].fields[0].name, "phone");
    }

    #[test]
    fn a_document_that_is_not_one_gives_an_empty_reference() {
        let r = from_openapi(&json!("nonsense"));
        assert!(r.groups.is_empty() && r.schemas.is_empty());
    }
}
