//! The committed OpenAPI document is exactly what the models and the route table generate
//! (`UPDATE_SCHEMAS=1` rewrites it), describes every operation, and agrees with the committed
//! schemas: each component schema is the kind's schema file less its `$schema`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use std::path::PathBuf;

use cce_release::http::Operation;
use cce_release::{Kind, openapi};
use serde_json::Value;

fn schemas_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

#[test]
fn committed_openapi_matches_the_models() {
    let path = schemas_dir().join("openapi.json");
    let generated = openapi::text();
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        if std::env::var_os("UPDATE_SCHEMAS").is_some_and(|v| v == "1") {
            std::fs::write(&path, &generated).unwrap();
        } else {
            panic!(
                "schemas/openapi.json differs from the models; run `UPDATE_SCHEMAS=1 cargo test --test openapi` and commit"
            );
        }
    }
}

#[test]
fn every_operation_is_described_with_its_bodies() {
    let doc = openapi::document();
    for &op in Operation::ALL {
        let entry = &doc["paths"][op.path_template()][op.method().to_ascii_lowercase()];
        assert!(entry.is_object(), "{op}");
        let success = &entry["responses"][op.success_status().to_string()];
        let schema_ref = success["content"]["application/json"]["schema"]["$ref"]
            .as_str()
            .unwrap();
        assert_eq!(
            schema_ref,
            format!(
                "#/components/schemas/{}",
                openapi::component_name(op.response_kind())
            )
        );
        for status in ["4XX", "5XX"] {
            assert!(entry["responses"][status].is_object(), "{op} {status}");
        }
        let body = &entry["requestBody"]["content"]["application/json"]["schema"]["$ref"];
        match op.request_kind() {
            Some(kind) => assert_eq!(
                body.as_str().unwrap(),
                format!("#/components/schemas/{}", openapi::component_name(kind))
            ),
            None => assert!(body.is_null(), "{op}"),
        }
        let query: Vec<String> = entry["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let key = p["$ref"].as_str().unwrap().rsplit('/').next().unwrap();
                doc["components"]["parameters"][key].clone()
            })
            .filter(|p| p["in"] == "query")
            .map(|p| p["name"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(query, op.query_parameters(), "{op}");
    }
    let documented = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().keys())
        .filter(|k| *k != "parameters")
        .count();
    assert_eq!(documented, Operation::ALL.len());
}

#[test]
fn component_schemas_are_the_committed_schema_files() {
    let doc = openapi::document();
    for &kind in Kind::ALL {
        let text = std::fs::read_to_string(schemas_dir().join(kind.schema_file())).unwrap();
        let mut file: Value = serde_json::from_str(&text).unwrap();
        file.as_object_mut().unwrap().shift_remove("$schema");
        assert_eq!(
            doc["components"]["schemas"][openapi::component_name(kind)],
            file,
            "{kind}"
        );
    }
}
