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
use crate::model::constraints;
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

/// A committed pattern the crate checks with code rather than a regex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OwnCheck {
    Uuid,
    ChartVersion,
    ReleaseName,
    Namespace,
    ImageTag,
}

impl OwnCheck {
    const ALL: [OwnCheck; 5] = [
        OwnCheck::Uuid,
        OwnCheck::ChartVersion,
        OwnCheck::ReleaseName,
        OwnCheck::Namespace,
        OwnCheck::ImageTag,
    ];

    /// The pattern, as the committed schemas spell it.
    fn pattern(self) -> &'static str {
        match self {
            OwnCheck::Uuid => constraints::UUID_PATTERN,
            OwnCheck::ChartVersion => constraints::CHART_VERSION_PATTERN.as_str(),
            OwnCheck::ReleaseName => constraints::RELEASE_NAME_PATTERN,
            OwnCheck::Namespace => constraints::NAMESPACE_PATTERN,
            OwnCheck::ImageTag => constraints::IMAGE_TAG_PATTERN,
        }
    }

    /// The `format` that stands for the pattern in the compiled schema.
    pub(crate) fn format(self) -> &'static str {
        match self {
            OwnCheck::Uuid => "cce-release:uuid",
            OwnCheck::ChartVersion => "cce-release:chart-version",
            OwnCheck::ReleaseName => "cce-release:release-name",
            OwnCheck::Namespace => "cce-release:namespace",
            OwnCheck::ImageTag => "cce-release:image-tag",
        }
    }

    fn check(self) -> fn(&str) -> bool {
        match self {
            OwnCheck::Uuid => constraints::is_uuid,
            OwnCheck::ChartVersion => |s| constraints::chart_version_is_strict(s).is_some(),
            OwnCheck::ReleaseName => constraints::is_release_name,
            OwnCheck::Namespace => constraints::is_namespace,
            OwnCheck::ImageTag => constraints::is_image_tag,
        }
    }

    /// The check a compiled schema's `format` stands for, if it is one of ours.
    pub(crate) fn from_format(format: &str) -> Option<OwnCheck> {
        OwnCheck::ALL.into_iter().find(|c| c.format() == format)
    }
}

/// The schema as the crate runs it, which accepts exactly what the committed one does:
/// - the committed patterns the crate has code for become `format`s run by that code (the
///   property tests pin each check to its pattern), so that starting a linter does not compile
///   five regexes, one of them hundreds of alternatives long;
/// - any other pattern loses its Python guard (see [`engine_pattern`]).
fn runnable(node: &mut Value) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(pattern)) = map.get_mut("pattern") {
                match OwnCheck::ALL.into_iter().find(|c| c.pattern() == pattern) {
                    Some(own) => {
                        map.shift_remove("pattern");
                        map.insert("format".to_owned(), Value::from(own.format()));
                    }
                    None => *pattern = engine_pattern(pattern).to_owned(),
                }
            }
            for (key, value) in map.iter_mut() {
                if key != "pattern" && key != "format" {
                    runnable(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(runnable),
        _ => {}
    }
}

fn compile(schema: &Value) -> jsonschema::Validator {
    let mut schema = schema.clone();
    runnable(&mut schema);
    let mut options = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .with_pattern_options(jsonschema::PatternOptions::regex())
        .should_validate_formats(true);
    for own in OwnCheck::ALL {
        options = options.with_format(own.format(), own.check());
    }
    // The schemas are generated from this crate's own types and compiled in its tests; failing
    // here is a bug in the crate, never a property of any input.
    #[allow(clippy::expect_used)]
    options
        .build(&schema)
        .expect("the generated schemas compile")
}

/// Compiles a kind's schema as the validator runs it, bypassing the once-per-process cache: what
/// the first validation of a kind in a process pays. For the benchmarks.
#[doc(hidden)]
pub fn compile_uncached(kind: Kind) -> jsonschema::Validator {
    compile(schema(kind))
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
