//! `docs/openapi.json` against the service: every route the router has is described, every
//! parameter the parsers take is documented, and every example in it answers as it says.

mod common;

use std::collections::BTreeSet;

use common::{get, router};
use indikator_server::{OEMBED_PARAMETERS, VIEW_PARAMETERS, route_paths};
use serde_json::Value;

fn description() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");
    let text = std::fs::read_to_string(path).expect("docs/openapi.json");
    serde_json::from_str(&text).expect("valid JSON")
}

#[test]
fn every_route_and_parameter_is_described() {
    let doc = description();
    assert_eq!(doc["openapi"], "3.1.0");
    let described: BTreeSet<&str> = doc["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .map(String::as_str)
        .collect();
    let routed: BTreeSet<&str> = route_paths().into_iter().collect();
    assert_eq!(described, routed, "the description and the router differ");
    let parameters = doc["components"]["parameters"]
        .as_object()
        .expect("parameters");
    for name in VIEW_PARAMETERS {
        assert!(
            parameters.values().any(|p| p["name"] == name),
            "view parameter `{name}` is not described"
        );
    }
    let oembed = doc["paths"]["/oembed"]["get"]["parameters"]
        .as_array()
        .expect("oEmbed parameters");
    for name in OEMBED_PARAMETERS {
        assert!(oembed.iter().any(|p| p["name"] == name), "{name}");
    }
}

/// The properties a schema requires, resolving `$ref`s into `components/schemas`.
fn required<'a>(doc: &'a Value, schema: &str) -> Vec<&'a str> {
    doc["components"]["schemas"][schema]["required"]
        .as_array()
        .map(|list| list.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn every_example_answers_as_described() {
    let doc = description();
    let (app, _) = router();
    let mut examples = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let operation = &item["get"];
        let listed = operation["x-examples"].as_array().expect("examples");
        assert!(!listed.is_empty(), "{path} has no example");
        for example in listed {
            let request = example["request"].as_str().expect("a request");
            let reply = get(&app, request).await;
            let status = example["status"].as_u64().expect("a status");
            assert_eq!(
                u64::from(reply.status.as_u16()),
                status,
                "{request}: {}",
                reply.text()
            );
            assert!(
                operation["responses"][status.to_string()].is_object(),
                "{path} does not describe {status}"
            );
            let content_type = example["content_type"].as_str().expect("a type");
            assert_eq!(reply.header("content-type"), content_type, "{request}");
            if let Some(schema) = example["schema"].as_str() {
                let body = reply.json();
                for property in required(&doc, schema) {
                    assert!(
                        body.get(property).is_some(),
                        "{request}: no `{property}` ({schema})"
                    );
                }
                if schema == "IndicatorList" {
                    for indicator in body["indicators"].as_array().expect("indicators") {
                        for property in required(&doc, "Indicator") {
                            assert!(indicator.get(property).is_some(), "{property}");
                        }
                    }
                }
            }
            examples += 1;
        }
    }
    assert!(examples >= 20, "{examples} examples");
}
