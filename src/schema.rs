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
use crate::model::Release;
use crate::model::constraints;

/// The schema of a model type, with the crate's settings.
pub(crate) fn generate<T: JsonSchema>() -> Value {
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
pub(crate) fn release_list() -> Value {
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

/// Every kind's schema, in the order of [`Kind::ALL`], generated once per process.
static SCHEMAS: Lazy<Vec<Value>> = Lazy::new(|| {
    Kind::ALL
        .iter()
        .map(|k| (k.descriptor().schema)())
        .collect()
});

/// The JSON Schema (draft 2020-12) of a kind, as committed under `schemas/`.
///
/// ```
/// use cce_release::{Kind, schema};
///
/// let s = schema::schema(Kind::CreateRequest);
/// assert_eq!(s["required"], serde_json::json!(["chart_id", "name", "namespace", "version", "values"]));
/// ```
pub fn schema(kind: Kind) -> &'static Value {
    static NOTHING: Value = Value::Null;
    SCHEMAS.get(kind as usize).unwrap_or(&NOTHING)
}

/// The schema of a kind as the committed file spells it: pretty-printed, with a final newline.
pub fn schema_text(kind: Kind) -> String {
    let mut text = serde_json::to_string_pretty(schema(kind)).unwrap_or_default();
    text.push('\n');
    text
}

/// The ending every committed pattern has for Python's sake (see `model::constraints`).
pub(crate) const PYTHON_END_GUARD: &str = "$(?!\\n)";

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
            OwnCheck::ChartVersion => constraints::chart_version_pattern(),
            OwnCheck::ReleaseName => constraints::RELEASE_NAME_PATTERN,
            OwnCheck::Namespace => constraints::NAMESPACE_PATTERN,
            OwnCheck::ImageTag => constraints::IMAGE_TAG_PATTERN,
        }
    }

    /// The code that stands for the pattern.
    pub(crate) fn check(self) -> fn(&str) -> bool {
        match self {
            OwnCheck::Uuid => constraints::is_uuid,
            OwnCheck::ChartVersion => {
                |s| constraints::check_chart_version(s) != constraints::ChartVersionVerdict::Invalid
            }
            OwnCheck::ReleaseName => constraints::is_release_name,
            OwnCheck::Namespace => constraints::is_namespace,
            OwnCheck::ImageTag => constraints::is_image_tag,
        }
    }

    /// The check a committed pattern stands for, if the crate has code for it.
    pub(crate) fn from_pattern(pattern: &str) -> Option<OwnCheck> {
        OwnCheck::ALL.into_iter().find(|c| c.pattern() == pattern)
    }
}
