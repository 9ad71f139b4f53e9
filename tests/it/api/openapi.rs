//! The OpenAPI document: served, complete, and matching the routes.

use serde_json::Value;

use super::json;
use crate::common;

pub fn documented_operations(doc: &Value) -> Vec<(String, String)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                ops.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    ops.sort();
    ops
}

#[tokio::test]
async fn the_document_is_served_and_lists_every_route_with_its_errors() {
    let app = common::app(common::unreachable_pool());
    let res = common::get(&app, "/api/v1/openapi.json").await;
    assert_eq!(res.status, 200, "{}", res.body);
    let doc = json(&res);
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    let ops = documented_operations(&doc);
    assert_eq!(
        ops,
        [
            ("GET", "/api/v1/clinics/{slug}/appointments"),
            ("GET", "/api/v1/clinics/{slug}/appointments/{id}"),
            ("GET", "/api/v1/clinics/{slug}/audit-events"),
            ("GET", "/api/v1/clinics/{slug}/departments"),
            ("GET", "/api/v1/clinics/{slug}/doctors/{id}/schedule"),
            ("GET", "/api/v1/clinics/{slug}/follow-ups"),
            ("GET", "/api/v1/clinics/{slug}/patients"),
            ("GET", "/api/v1/clinics/{slug}/patients/{id}"),
            ("GET", "/api/v1/clinics/{slug}/patients/{id}/follow-ups"),
            ("GET", "/api/v1/clinics/{slug}/patients/{id}/vitals"),
            ("GET", "/api/v1/clinics/{slug}/slots"),
            ("GET", "/api/v1/clinics/{slug}/staff"),
            ("GET", "/api/v1/clinics/{slug}/visits"),
            ("GET", "/api/v1/clinics/{slug}/visits/{id}"),
            ("GET", "/api/v1/me"),
            ("PATCH", "/api/v1/clinics/{slug}/patients/{id}"),
            ("POST", "/api/v1/auth/device"),
            ("POST", "/api/v1/auth/device/token"),
            ("POST", "/api/v1/auth/refresh"),
            ("POST", "/api/v1/auth/revoke"),
            ("POST", "/api/v1/auth/token"),
            ("POST", "/api/v1/clinics/{slug}/appointments"),
            ("POST", "/api/v1/clinics/{slug}/appointments/{id}/cancel"),
            ("POST", "/api/v1/clinics/{slug}/appointments/{id}/check-in"),
            (
                "POST",
                "/api/v1/clinics/{slug}/appointments/{id}/reschedule"
            ),
            ("POST", "/api/v1/clinics/{slug}/follow-ups/{id}/missed"),
            ("POST", "/api/v1/clinics/{slug}/patients"),
            ("POST", "/api/v1/clinics/{slug}/patients/{id}/follow-ups"),
            ("POST", "/api/v1/clinics/{slug}/patients/{id}/vitals"),
            ("POST", "/api/v1/clinics/{slug}/visits"),
            ("POST", "/api/v1/clinics/{slug}/visits/call-next"),
            ("POST", "/api/v1/clinics/{slug}/visits/{id}/transitions"),
        ]
        .map(|(m, p)| (m.to_owned(), p.to_owned()))
    );
    for (method, path) in &ops {
        let op = &doc["paths"][path][method.to_lowercase()];
        let responses = op["responses"].as_object().unwrap();
        assert!(
            responses.keys().any(|s| s.starts_with('4')),
            "{method} {path} documents no error"
        );
        // Every documented route answers here (no database: 401 or 503,
        // never the API's 404 or 405 for a route that is not there).
        let uri = path
            .replace("{slug}", "riverside")
            .replace("{id}", "00000000-0000-0000-0000-000000000000");
        let req = axum::http::Request::builder()
            .method(method.as_str())
            .uri(&uri)
            .header("content-type", "application/json")
            .body(axum::body::Body::from("{}"))
            .unwrap();
        let answer = common::send(&app, req).await;
        assert!(
            ![404, 405].contains(&answer.status),
            "{method} {uri}: {}",
            answer.body
        );
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
}

/// The reference page is HMS's own server-rendered page (no script or
/// file from elsewhere), and it shows every operation and schema the
/// document has: it is read from the document, so it cannot fall behind.
#[tokio::test]
async fn the_reference_page_shows_every_operation_and_schema() {
    let app = common::app(common::unreachable_pool());
    let doc = json(&common::get(&app, "/api/v1/openapi.json").await);
    let res = common::get(&app, "/api/docs").await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(!res.body.contains("https://"), "no CDN: {}", res.body);
    for (method, path) in documented_operations(&doc) {
        let anchor = format!(
            "id=\"{}\"",
            std::iter::once(method.to_lowercase())
                .chain(
                    path.split(|c: char| !c.is_ascii_alphanumeric())
                        .filter(|w| !w.is_empty())
                        .map(str::to_lowercase)
                )
                .collect::<Vec<_>>()
                .join("-")
        );
        assert!(
            res.body.contains(&anchor),
            "{method} {path} ({anchor}) is not on the page"
        );
        let summary = doc["paths"][&path][method.to_lowercase()]["summary"]
            .as_str()
            .unwrap();
        assert!(res.body.contains(summary), "{summary}");
    }
    for name in doc["components"]["schemas"].as_object().unwrap().keys() {
        assert!(
            res.body.contains(&format!("id=\"schema-{name}\"")),
            "schema {name} is not on the page"
        );
    }
}

/// Routes may be added only through `routes!` (which documents them): a
/// plain `.route(` in the API's code would be a route the document lacks.
#[test]
fn the_api_adds_no_route_outside_the_document() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/server/api");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            // The catch-all 404 and the document itself are the two routes
            // the document does not describe.
            let allowed =
                code.contains("\"/api/v1/{*rest}\"") || code.contains(".route(OPENAPI_PATH,");
            assert!(
                allowed
                    || !(code.contains(".route(")
                        || code.contains(".nest_service(")
                        || code.contains(".route_service(")),
                "{}:{}: route outside routes!(): {line}",
                path.display(),
                n + 1
            );
        }
    }
}

/// Every `$ref` names a schema the document holds (a missing one leaves
/// clients, and schemathesis, unable to read that part).
#[test]
fn every_reference_resolves() {
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    match (k.as_str(), v) {
                        ("$ref", Value::String(r)) => out.push(r.clone()),
                        _ => refs(v, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let doc = serde_json::to_value(hms::server::api::openapi()).unwrap();
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(!found.is_empty());
    for r in found {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{r}"));
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{r} does not resolve"
        );
    }
}
