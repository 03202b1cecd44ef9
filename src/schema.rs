//! JSON Schemas generated from the models, and their compiled validators.
//!
//! The generated documents are what `schemas/*.schema.json` hold (a test fails when they drift;
//! `UPDATE_SCHEMAS=1 cargo test` rewrites them). They are the *strict* contract: draft 2020-12,
//! unknown members rejected everywhere but inside `values`, every subschema inlined (no `$ref`),
//! nullable members as `"type": [T, "null"]` (which Ajv's strict mode accepts, and which keeps
//! errors flat instead of collapsing into one `anyOf`), only standard keywords and no
//! non-standard `format`s, so Ajv 8 in strict mode and Python `jsonschema` take them as they are.

use once_cell::sync::Lazy;
use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use schemars::transform::RestrictFormats;
use serde_json::Value;

use crate::Kind;
use crate::model::{ApiError, CreateReleaseBody, DeleteResponse, Release, UpdateReleaseBody};

fn generate<T: JsonSchema>() -> Value {
    let mut settings = SchemaSettings::draft2020_12();
    settings.inline_subschemas = true;
    settings
        .transforms
        .push(Box::new(RestrictFormats::default()));
    settings
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}

/// The release list: an array of releases, whose `status` is any string (a history may show
/// statuses beyond the documented eight; the rule pass warns about them, `unknown_status`).
fn release_list() -> Value {
    let mut schema = generate::<Vec<Release>>();
    if let Some(status) = schema
        .pointer_mut("/items/properties/status")
        .and_then(Value::as_object_mut)
    {
        status.shift_remove("enum");
        status.insert(
            "description".into(),
            "Release status: one of `DEPLOYED`, `DELETED`, `FAILED`, `DELETING`, \
             `PENDING_INSTALL`, `PENDING_UPGRADE`, `PENDING_ROLLBACK`, `UNKNOWN` as documented; \
             a history may show others."
                .into(),
        );
    }
    if let Some(root) = schema.as_object_mut() {
        root.insert("title".into(), "ReleaseList".into());
        root.insert(
            "description".into(),
            "The 200 answer to list (`GET .../clusters/{cluster_id}/releases`) and history \
             (`GET .../namespace/{namespace}/releases/{name}/history`): an array of releases."
                .into(),
        );
    }
    schema
}

static CREATE_REQUEST: Lazy<Value> = Lazy::new(generate::<CreateReleaseBody>);
static UPDATE_REQUEST: Lazy<Value> = Lazy::new(generate::<UpdateReleaseBody>);
static RELEASE: Lazy<Value> = Lazy::new(generate::<Release>);
static RELEASE_LIST: Lazy<Value> = Lazy::new(release_list);
static DELETE_RESPONSE: Lazy<Value> = Lazy::new(generate::<DeleteResponse>);
static ERROR: Lazy<Value> = Lazy::new(generate::<ApiError>);

/// The JSON Schema (draft 2020-12) of a kind, as committed under `schemas/`.
///
/// ```
/// use cce_release::{Kind, schema};
///
/// let s = schema::schema(Kind::CreateRequest);
/// assert_eq!(s["required"], serde_json::json!(["chart_id", "name", "namespace", "version", "values"]));
/// ```
pub fn schema(kind: Kind) -> &'static Value {
    match kind {
        Kind::CreateRequest => &CREATE_REQUEST,
        Kind::UpdateRequest => &UPDATE_REQUEST,
        Kind::CreateResponse | Kind::Release => &RELEASE,
        Kind::ReleaseList => &RELEASE_LIST,
        Kind::DeleteResponse => &DELETE_RESPONSE,
        Kind::Error => &ERROR,
    }
}

/// The schema of a kind as the committed file spells it: pretty-printed, with a final newline.
pub fn schema_text(kind: Kind) -> String {
    let mut text = serde_json::to_string_pretty(schema(kind)).unwrap_or_default();
    text.push('\n');
    text
}

/// The ending every committed pattern has for Python's sake (see `model::constraints`).
pub(crate) const PYTHON_END_GUARD: &str = "$(?!\\n)";

/// A committed pattern as the crate runs it: in the `regex` crate `$` already matches only at the
/// very end, so the look-ahead guard is dropped, which lets the linear-time engine run it instead
/// of a backtracking one. The two spellings accept exactly the same strings (the property tests
/// run the committed file with a backtracking engine against this one).
pub(crate) fn engine_pattern(pattern: &str) -> &str {
    pattern
        .strip_suffix(PYTHON_END_GUARD)
        .map_or(pattern, |head| &pattern[..head.len() + 1])
}

fn strip_guards(node: &mut Value) {
    match node {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match value {
                    Value::String(p) if key == "pattern" => *p = engine_pattern(p).to_owned(),
                    other => strip_guards(other),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_guards),
        _ => {}
    }
}

fn compile(schema: &Value) -> jsonschema::Validator {
    let mut schema = schema.clone();
    strip_guards(&mut schema);
    // The schemas are generated from this crate's own types and compiled in its tests; failing
    // here is a bug in the crate, never a property of any input.
    #[allow(clippy::expect_used)]
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .with_pattern_options(jsonschema::PatternOptions::regex())
        .build(&schema)
        .expect("the generated schemas compile")
}

static CREATE_REQUEST_VALIDATOR: Lazy<jsonschema::Validator> =
    Lazy::new(|| compile(&CREATE_REQUEST));
static UPDATE_REQUEST_VALIDATOR: Lazy<jsonschema::Validator> =
    Lazy::new(|| compile(&UPDATE_REQUEST));
static RELEASE_VALIDATOR: Lazy<jsonschema::Validator> = Lazy::new(|| compile(&RELEASE));
static RELEASE_LIST_VALIDATOR: Lazy<jsonschema::Validator> = Lazy::new(|| compile(&RELEASE_LIST));
static DELETE_RESPONSE_VALIDATOR: Lazy<jsonschema::Validator> =
    Lazy::new(|| compile(&DELETE_RESPONSE));
static ERROR_VALIDATOR: Lazy<jsonschema::Validator> = Lazy::new(|| compile(&ERROR));

/// The compiled validator of a kind: built once per process, shared by every [`crate::Validator`].
pub(crate) fn compiled(kind: Kind) -> &'static jsonschema::Validator {
    match kind {
        Kind::CreateRequest => &CREATE_REQUEST_VALIDATOR,
        Kind::UpdateRequest => &UPDATE_REQUEST_VALIDATOR,
        Kind::CreateResponse | Kind::Release => &RELEASE_VALIDATOR,
        Kind::ReleaseList => &RELEASE_LIST_VALIDATOR,
        Kind::DeleteResponse => &DELETE_RESPONSE_VALIDATOR,
        Kind::Error => &ERROR_VALIDATOR,
    }
}

/// The member names the schema defines for the object at `pointer` (for "did you mean" hints).
pub(crate) fn known_members(kind: Kind, pointer: &str) -> Vec<&'static str> {
    let mut node = schema(kind);
    for token in crate::diagnostic::message::pointer_tokens(pointer) {
        let next = match node.get("items") {
            Some(items) if token.bytes().all(|b| b.is_ascii_digit()) => Some(items),
            _ => node.get("properties").and_then(|p| p.get(token.as_ref())),
        };
        match next {
            Some(next) => node = next,
            None => return Vec::new(),
        }
    }
    node.get("properties")
        .and_then(Value::as_object)
        .map(|props| props.keys().map(String::as_str).collect())
        .unwrap_or_default()
}
