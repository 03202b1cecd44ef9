//! An OpenAPI 3.1 description of the release API, generated from the same models and route table
//! as the validator, committed as `schemas/openapi.json` (a test fails when it drifts;
//! `UPDATE_SCHEMAS=1 cargo test` rewrites it).
//!
//! Its component schemas are the committed JSON Schemas of the kinds, less their `$schema`
//! (OpenAPI 3.1 schemas are JSON Schema 2020-12 already). `Content-Type` is each request body's
//! `application/json` media type, and the two ways to authenticate are security schemes (OpenAPI
//! ignores `Content-Type` and `Authorization` header parameters).
//!
//! ```
//! use cce_release::openapi;
//!
//! let doc = openapi::document();
//! assert_eq!(doc["openapi"], "3.1.0");
//! assert!(doc["paths"]["/clusters/{cluster_id}/releases"]["post"].is_object());
//! ```

use once_cell::sync::Lazy;
use serde_json::{Map, Value, json};

use crate::Kind;
use crate::http::Operation;
use crate::model::constraints::{
    NAMESPACE_MAX, NAMESPACE_PATTERN, RELEASE_NAME_MAX, RELEASE_NAME_PATTERN, UUID_PATTERN,
};

/// The name of a kind's schema under `components/schemas` (`create-response` and `release`
/// share `Release`).
pub const fn component_name(kind: Kind) -> &'static str {
    kind.descriptor().component
}

/// The `X-Sdk-Date` format, `YYYYMMDDTHHMMSSZ`, as a real UTC date and time: the day exists in
/// its month (29 February in Gregorian leap years only), hours 00 to 23, minutes and seconds 00 to
/// 59. The validator checks the same in code (`http::headers::is_sdk_date`; a test compares them).
pub(crate) const SDK_DATE_PATTERN: &str = concat!(
    "^(?:[0-9]{4}(?:(?:0[13578]|1[02])(?:0[1-9]|[12][0-9]|3[01])",
    "|(?:0[469]|11)(?:0[1-9]|[12][0-9]|30)|02(?:0[1-9]|1[0-9]|2[0-8]))",
    "|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)0229)",
    "T(?:[01][0-9]|2[0-3])[0-5][0-9][0-5][0-9]Z$(?!\\n)"
);

const fn operation_id(op: Operation) -> &'static str {
    match op {
        Operation::Create => "createRelease",
        Operation::List => "listReleases",
        Operation::Show => "showRelease",
        Operation::Update => "updateRelease",
        Operation::Delete => "deleteRelease",
        Operation::History => "listReleaseHistory",
    }
}

const fn summary(op: Operation) -> &'static str {
    match op {
        Operation::Create => "Install a chart as a release",
        Operation::List => "List the cluster's releases",
        Operation::Show => "Show a release",
        Operation::Update => "Upgrade or roll back a release",
        Operation::Delete => "Delete a release",
        Operation::History => "List a release's revisions",
    }
}

fn reference(kind: Kind) -> Value {
    json!({"$ref": format!("#/components/schemas/{}", component_name(kind))})
}

fn parameter_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/parameters/{name}")})
}

/// The component parameters a path or query parameter name refers to.
fn parameter_key(op: Operation, name: &str) -> String {
    match (op, name) {
        (Operation::List, "namespace") => "namespace_filter".to_owned(),
        (Operation::List, "chart_id") => "chart_id_filter".to_owned(),
        _ => name.to_owned(),
    }
}

fn operation(op: Operation) -> Value {
    let mut parameters: Vec<Value> = op
        .query_parameters()
        .iter()
        .map(|name| parameter_ref(&parameter_key(op, name)))
        .collect();
    parameters.push(parameter_ref("X-Sdk-Date"));
    parameters.push(parameter_ref("X-Project-Id"));
    let success = json!({
        "description": format!("Success: {}.", match op.response_kind() {
            Kind::ReleaseList => "an array of releases",
            Kind::DeleteResponse => "a string",
            _ => "the release",
        }),
        "content": {"application/json": {"schema": reference(op.response_kind())}},
    });
    let mut responses = Map::new();
    responses.insert(op.success_status().to_string(), success);
    responses.insert(
        "4XX".into(),
        json!({"$ref": "#/components/responses/Error"}),
    );
    responses.insert(
        "5XX".into(),
        json!({"$ref": "#/components/responses/Error"}),
    );
    let mut out = json!({
        "operationId": operation_id(op),
        "summary": summary(op),
        "parameters": parameters,
        "responses": responses,
    });
    if let Some(kind) = op.request_kind() {
        out["requestBody"] = json!({
            "required": true,
            "content": {"application/json": {"schema": reference(kind)}},
        });
    }
    out
}

/// A committed pattern that also takes the empty string (a query filter left empty).
fn empty_or(pattern: &str) -> String {
    let inner = pattern
        .strip_prefix('^')
        .and_then(|p| p.strip_suffix(crate::schema::PYTHON_END_GUARD))
        .unwrap_or(pattern);
    format!("^(?:{inner})?{}", crate::schema::PYTHON_END_GUARD)
}

fn path_parameter(name: &str, description: &str, schema: Value) -> Value {
    json!({"name": name, "in": "path", "required": true, "description": description, "schema": schema})
}

fn generate() -> Value {
    let mut paths = Map::new();
    for &op in Operation::ALL {
        let template = op.path_template();
        let entry = paths.entry(template.to_owned()).or_insert_with(|| {
            let mut params = vec![parameter_ref("cluster_id")];
            if template.contains("{namespace}") {
                params.push(parameter_ref("namespace"));
                params.push(parameter_ref("name"));
            }
            json!({"parameters": params})
        });
        entry[op.method().to_ascii_lowercase()] = operation(op);
    }
    let mut schemas = Map::new();
    for &kind in Kind::ALL {
        let mut schema = crate::schema::schema(kind).clone();
        if let Some(map) = schema.as_object_mut() {
            map.shift_remove("$schema");
        }
        schemas.insert(component_name(kind).to_owned(), schema);
    }
    let uuid = json!({"type": "string", "pattern": UUID_PATTERN});
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "CCE Helm release API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The provider's Helm release API as the `cce-release` crate reads it (see \
                            its docs/api.md for the sources of every rule), generated from the same \
                            models as its validator. The same paths and bodies serve Autopilot \
                            clusters (`/autopilot/cam/v3`) and classic CCE clusters (`/cce/cam/v3`).",
        },
        "servers": [
            {"url": "/autopilot/cam/v3", "description": "Autopilot clusters"},
            {"url": "/cce/cam/v3", "description": "Classic CCE clusters"},
        ],
        // A token alone, or a signature together with the date it signed: the schemes of one
        // requirement object are all required.
        "security": [{"token": []}, {"aksk": [], "sdk_date": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "parameters": {
                "cluster_id": path_parameter("cluster_id", "The cluster's id, a UUID (either case).", uuid.clone()),
                "namespace": path_parameter(
                    "namespace",
                    "The release's namespace: a DNS-1123 label of 1 to 63 characters.",
                    json!({"type": "string", "minLength": 1, "maxLength": NAMESPACE_MAX, "pattern": NAMESPACE_PATTERN}),
                ),
                "name": path_parameter(
                    "name",
                    "The release's name: 1 to 53 characters, a lowercase letter first, then lowercase \
                     letters, digits or `-`, ending in a letter or digit.",
                    json!({"type": "string", "minLength": 1, "maxLength": RELEASE_NAME_MAX, "pattern": RELEASE_NAME_PATTERN}),
                ),
                "chart_id_filter": {
                    "name": "chart_id", "in": "query", "required": false,
                    "description": "Only the releases of this chart (a UUID); empty for no filter.",
                    "schema": {"type": "string", "pattern": empty_or(UUID_PATTERN)},
                },
                "namespace_filter": {
                    "name": "namespace", "in": "query", "required": false,
                    "description": "Only the releases in this namespace (a DNS-1123 label); empty for no filter.",
                    "schema": {"type": "string", "maxLength": NAMESPACE_MAX, "pattern": empty_or(NAMESPACE_PATTERN)},
                },
                "show_resources": {
                    "name": "show_resources", "in": "query", "required": false,
                    "description": "`true` lists the release's resources in the answer; `false`, or an empty \
                                    value (no value, as for the list's filters), does not. The provider's \
                                    SDKs send it as a string (Go `ShowResources *string`).",
                    "schema": {"type": "string", "enum": ["true", "false", ""]},
                },
                "X-Sdk-Date": {
                    "name": "X-Sdk-Date", "in": "header", "required": false,
                    "description": "The UTC time an AK/SK signature signed, `YYYYMMDDTHHMMSSZ`, a real date \
                                    and time. Required with a signature (the `aksk` security requirement \
                                    names the `sdk_date` scheme beside it); checked whenever it is sent, \
                                    with a token too.",
                    "schema": {"type": "string", "pattern": SDK_DATE_PATTERN},
                },
                "X-Project-Id": {
                    "name": "X-Project-Id", "in": "header", "required": false,
                    "description": "The project, as the provider's SDKs send it with an AK/SK signature.",
                    "schema": {"type": "string"},
                },
            },
            "responses": {
                "Error": {
                    "description": "An error, in the Autopilot or the classic spelling.",
                    "content": {"application/json": {"schema": reference(Kind::Error)}},
                },
            },
            "securitySchemes": {
                "token": {
                    "type": "apiKey", "in": "header", "name": "X-Auth-Token",
                    "description": "An IAM token.",
                },
                "aksk": {
                    "type": "apiKey", "in": "header", "name": "Authorization",
                    "description": "An AK/SK signature as the provider's SDKs compute it: \
                                    `SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…`, sent with \
                                    `X-Sdk-Date`.",
                },
                "sdk_date": {
                    "type": "apiKey", "in": "header", "name": "X-Sdk-Date",
                    "description": "The date an AK/SK signature signed, `YYYYMMDDTHHMMSSZ` (see the \
                                    `X-Sdk-Date` parameter for its shape): a signature without it is \
                                    refused.",
                },
            },
        },
    })
}

static DOCUMENT: Lazy<Value> = Lazy::new(generate);

/// The OpenAPI 3.1 document, as committed in `schemas/openapi.json`.
pub fn document() -> &'static Value {
    &DOCUMENT
}

/// The document as the committed file spells it: pretty-printed, with a final newline.
pub fn text() -> String {
    let mut text = serde_json::to_string_pretty(document()).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::is_sdk_date;

    /// The document's `X-Sdk-Date` pattern and the validator's check agree on every date of
    /// several years (leap, common, centuries), every field one past its range, and broken shapes.
    #[test]
    fn the_sdk_date_pattern_is_the_validators_check() {
        let schema = json!({"type": "string", "pattern": SDK_DATE_PATTERN});
        let Ok(pattern) = jsonschema::validator_for(&schema) else {
            panic!("the pattern compiles");
        };
        let mut values: Vec<String> = Vec::new();
        for year in [
            "0000", "0004", "0400", "1900", "1999", "2000", "2023", "2024", "2100", "9999",
        ] {
            for month in 0..=13 {
                for day in 0..=32 {
                    values.push(format!("{year}{month:02}{day:02}T120000Z"));
                }
            }
        }
        for hour in 0..=24 {
            for minute in [0, 59, 60] {
                for second in [0, 30, 59, 60, 61] {
                    values.push(format!("20210512T{hour:02}{minute:02}{second:02}Z"));
                }
            }
        }
        for broken in [
            "",
            "20210512T071142",
            "20210512T071142Z\n",
            "2021-05-12T07:11:42Z",
            "20210512t071142z",
            "2021051xT071142Z",
            "202105120T71142Z",
            "x20210512T071142Z",
            "not-a-date",
        ] {
            values.push(broken.to_owned());
        }
        let mut accepted = 0;
        for value in &values {
            let by_code = is_sdk_date(value.as_bytes());
            assert_eq!(pattern.is_valid(&json!(value)), by_code, "{value:?}");
            accepted += usize::from(by_code);
        }
        // 10 years, 365 or 366 days each (0000, 0004, 0400, 2000, 2024 are leap years), and the
        // 24 × 2 × 3 times of 12 May 2021.
        assert_eq!(accepted, 10 * 365 + 5 + 24 * 2 * 3);
    }
}
