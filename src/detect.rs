//! Which kind a payload is, from its members (`cce-release-lint --kind auto`, the default when
//! neither the command line nor the configuration names a kind). Public, so that servers and
//! editors can tell kinds apart the way the linter does.
//!
//! The rules, in order:
//!
//! 1. An array is a `release-list`; a string is a `delete-response`. A number, a boolean or
//!    null fits no kind.
//! 2. In an object, members **mark** a family:
//!    - an error body: `errorCode`, `errorMessage`, `error_code`, `error_msg`;
//!    - a request: `chart_id`, `action`;
//!    - a release (an answer): `status`, `status_description`, `chart_name`, `chart_version`,
//!      `chart_public`, `cluster_name`, `create_at`, `update_at`, `resources`.
//!
//!    When no member marks a family, the types of three members do: `version` as a string,
//!    `values` or `parameters` as an object mark a request; `version` as a number, `values` or
//!    `parameters` as a string (the answer's JSON text) mark a release. `name`, `namespace`,
//!    `description` and `cluster_id` are in several kinds and mark nothing.
//! 3. One family marked: an error body is `error`, a release `release`, and a request is an
//!    `update-request` when it has `action`, else a `create-request`. No family, or several: no
//!    kind is chosen, and the report has one `kind_not_detected` finding naming what was found.
//!
//! ```
//! use cce_release::detect::{self, Detection};
//! use cce_release::Kind;
//!
//! let update = br#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "action": "upgrade",
//!                   "parameters": {}, "values": {}}"#;
//! assert_eq!(detect::detect_json(update), Some(Detection::Kind(Kind::UpdateRequest)));
//! assert_eq!(detect::detect_json(b"[]"), Some(Detection::Kind(Kind::ReleaseList)));
//! let both = br#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "status": "DEPLOYED"}"#;
//! assert_eq!(
//!     detect::detect_json(both),
//!     Some(Detection::Ambiguous(vec![Kind::CreateRequest, Kind::Release]))
//! );
//!
//! // Validation with the kind detected, or the finding that says why none was:
//! let report = detect::validate_bytes(&cce_release::Options::default(), both);
//! assert_eq!(report.diagnostics()[0].code.as_str(), "kind_not_detected");
//! ```

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::diagnostic::message::{Evidence, Problem};
use crate::validate::{Anchor, Finding};
use crate::{Kind, Options, Report, Validator, locate};

/// What the rules decided.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Detection {
    /// One kind fits.
    Kind(Kind),
    /// Members of several kinds (in the order of [`Kind::ALL`]).
    Ambiguous(Vec<Kind>),
    /// Nothing marks a kind.
    NoFit,
}

/// The JSON type of a member's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ValueType {
    Object,
    Array,
    String,
    Number,
    Boolean,
    Null,
}

/// A top-level member, as the rules see it.
pub(crate) struct Member<'a> {
    pub name: &'a str,
    pub value: ValueType,
}

/// The top of a document.
pub(crate) enum Top<'a> {
    Array,
    String,
    Object(Vec<Member<'a>>),
    Other,
}

/// A document the rules can look at (a parsed JSON top, a YAML document).
pub(crate) trait Shape {
    fn top(&self) -> Top<'_>;
}

/// Members that mark a family, and the family.
const MARKERS: &[(&str, Family)] = &[
    ("errorCode", Family::Error),
    ("errorMessage", Family::Error),
    ("error_code", Family::Error),
    ("error_msg", Family::Error),
    ("chart_id", Family::Request),
    ("action", Family::Request),
    ("status", Family::Release),
    ("status_description", Family::Release),
    ("chart_name", Family::Release),
    ("chart_version", Family::Release),
    ("chart_public", Family::Release),
    ("cluster_name", Family::Release),
    ("create_at", Family::Release),
    ("update_at", Family::Release),
    ("resources", Family::Release),
];

/// Members whose type marks a family when no member does.
const TYPED: &[&str] = &["version", "values", "parameters"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Request,
    Release,
    Error,
}

/// The kind of `shape`, or the evidence that no single kind fits (empty: nothing marks one).
pub(crate) fn decide(shape: &dyn Shape) -> Result<Kind, Vec<Evidence>> {
    let members = match shape.top() {
        Top::Array => return Ok(Kind::ReleaseList),
        Top::String => return Ok(Kind::DeleteResponse),
        Top::Other => return Err(Vec::new()),
        Top::Object(members) => members,
    };
    let update = members.iter().any(|m| m.name == "action");
    let request = if update {
        Kind::UpdateRequest
    } else {
        Kind::CreateRequest
    };
    let kind_of = |family: Family| match family {
        Family::Request => request,
        Family::Release => Kind::Release,
        Family::Error => Kind::Error,
    };
    let mut evidence: Vec<(Family, &'static str)> = Vec::new();
    for member in &members {
        if let Some(&(name, family)) = MARKERS.iter().find(|(name, _)| *name == member.name) {
            evidence.push((family, name));
        }
    }
    if evidence.is_empty() {
        for member in &members {
            let Some(&name) = TYPED.iter().find(|&&name| name == member.name) else {
                continue;
            };
            let family = match (name, member.value) {
                ("version", ValueType::String) => Family::Request,
                ("version", ValueType::Number) => Family::Release,
                (_, ValueType::Object) => Family::Request,
                (_, ValueType::String) => Family::Release,
                _ => continue,
            };
            evidence.push((family, name));
        }
    }
    let mut families: Vec<Family> = Vec::new();
    for &(family, _) in &evidence {
        if !families.contains(&family) {
            families.push(family);
        }
    }
    match families.as_slice() {
        [one] => Ok(kind_of(*one)),
        _ => {
            let mut found: Vec<Evidence> = evidence
                .into_iter()
                .map(|(family, marker)| Evidence {
                    kind: kind_of(family),
                    marker,
                })
                .collect();
            found.sort_by_key(|e| Kind::ALL.iter().position(|&k| k == e.kind));
            Err(found)
        }
    }
}

fn detection(decided: Result<Kind, Vec<Evidence>>) -> Detection {
    match decided {
        Ok(kind) => Detection::Kind(kind),
        Err(evidence) if evidence.is_empty() => Detection::NoFit,
        Err(evidence) => {
            let mut kinds: Vec<Kind> = evidence.iter().map(|e| e.kind).collect();
            kinds.dedup();
            Detection::Ambiguous(kinds)
        }
    }
}

/// The kind of a JSON payload; `None` when the bytes are not one JSON value (after an optional
/// byte-order mark).
pub fn detect_json(input: &[u8]) -> Option<Detection> {
    json_top(input).map(|top| detection(decide(&top)))
}

/// The kind of a parsed value.
pub fn detect_value(value: &Value) -> Detection {
    detection(decide(&value))
}

/// Validates a JSON payload as the kind the rules decide (see the module's documentation);
/// when they decide none, the report is one `kind_not_detected` finding. Input that is not one
/// JSON value gets the findings any kind would (`invalid_json`, `input_too_large`).
pub fn validate_bytes(options: &Options, input: &[u8]) -> Report {
    if input.len() > options.max_input_size_limit() {
        return Validator::with_options(Kind::CreateRequest, options.clone()).validate_bytes(input);
    }
    let Some(top) = json_top(input) else {
        return Validator::with_options(Kind::CreateRequest, options.clone()).validate_bytes(input);
    };
    match decide(&top) {
        Ok(kind) => Validator::with_options(kind, options.clone()).validate_bytes(input),
        Err(evidence) => {
            let text = std::str::from_utf8(input).unwrap_or_default();
            let body = text.strip_prefix('\u{feff}').unwrap_or(text);
            let start = body.len() - body.trim_start().len();
            let at = locate::line_cols(body, &[start]).first().copied();
            let finding = Finding::body(
                Problem::KindNotDetected { evidence },
                "",
                Anchor::Offset(start),
            );
            let mut diagnostics = vec![options.diagnostic(finding, at)];
            if body.len() < text.len() {
                let bom = Finding::body(Problem::ByteOrderMark, "", Anchor::Offset(0));
                diagnostics.insert(0, options.diagnostic(bom, Some((1, 1))));
            }
            options.report_of(diagnostics, 0)
        }
    }
}

/// Validates a YAML payload, each document as the kind the rules decide for it.
#[cfg(feature = "yaml")]
pub fn validate_yaml(options: &Options, input: &[u8]) -> Report {
    crate::yaml::validate(options, crate::PathContext::default(), input, &decide)
}

impl Shape for &Value {
    fn top(&self) -> Top<'_> {
        match self {
            Value::Array(_) => Top::Array,
            Value::String(_) => Top::String,
            Value::Object(map) => Top::Object(
                map.iter()
                    .map(|(name, value)| Member {
                        name,
                        value: value_type(value),
                    })
                    .collect(),
            ),
            _ => Top::Other,
        }
    }
}

fn value_type(value: &Value) -> ValueType {
    match value {
        Value::Object(_) => ValueType::Object,
        Value::Array(_) => ValueType::Array,
        Value::String(_) => ValueType::String,
        Value::Number(_) => ValueType::Number,
        Value::Bool(_) => ValueType::Boolean,
        Value::Null => ValueType::Null,
    }
}

/// The top of a JSON document: its type and, for an object, the members the rules look at.
enum JsonTop {
    Array,
    String,
    Object(Vec<(&'static str, ValueType)>),
    Other,
}

impl Shape for JsonTop {
    fn top(&self) -> Top<'_> {
        match self {
            JsonTop::Array => Top::Array,
            JsonTop::String => Top::String,
            JsonTop::Other => Top::Other,
            JsonTop::Object(members) => Top::Object(
                members
                    .iter()
                    .map(|&(name, value)| Member { name, value })
                    .collect(),
            ),
        }
    }
}

/// Reads the top of a JSON document without building it.
fn json_top(input: &[u8]) -> Option<JsonTop> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let mut de = serde_json::Deserializer::from_slice(input);
    let top = de::Deserializer::deserialize_any(&mut de, TopVisitor).ok()?;
    de.end().ok()?;
    Some(top)
}

struct TopVisitor;

impl<'de> Visitor<'de> for TopVisitor {
    type Value = JsonTop;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<JsonTop, E> {
        Ok(JsonTop::Other)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<JsonTop, E> {
        Ok(JsonTop::Other)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<JsonTop, E> {
        Ok(JsonTop::Other)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<JsonTop, E> {
        Ok(JsonTop::Other)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<JsonTop, E> {
        Ok(JsonTop::String)
    }

    fn visit_unit<E: de::Error>(self) -> Result<JsonTop, E> {
        Ok(JsonTop::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonTop, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(JsonTop::Array)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonTop, A::Error> {
        let mut members = Vec::new();
        while let Some(name) = map.next_key_seed(NameSeed)? {
            match name {
                Some(name) => members.push((name, map.next_value_seed(TypeSeed)?)),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(JsonTop::Object(members))
    }
}

/// A member name, kept only when the rules look at it.
struct NameSeed;

impl<'de> DeserializeSeed<'de> for NameSeed {
    type Value = Option<&'static str>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for NameSeed {
    type Value = Option<&'static str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(MARKERS
            .iter()
            .map(|(name, _)| *name)
            .chain(TYPED.iter().copied())
            .find(|&name| name == v))
    }
}

/// The type of a value, which is read and not kept.
struct TypeSeed;

impl<'de> DeserializeSeed<'de> for TypeSeed {
    type Value = ValueType;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TypeSeed {
    type Value = ValueType;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<ValueType, E> {
        Ok(ValueType::Boolean)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<ValueType, E> {
        Ok(ValueType::Number)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<ValueType, E> {
        Ok(ValueType::Number)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<ValueType, E> {
        Ok(ValueType::Number)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<ValueType, E> {
        Ok(ValueType::String)
    }

    fn visit_unit<E: de::Error>(self) -> Result<ValueType, E> {
        Ok(ValueType::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ValueType, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(ValueType::Array)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ValueType, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(ValueType::Object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(json: &str) -> Detection {
        detect_json(json.as_bytes()).unwrap_or(Detection::NoFit)
    }

    #[test]
    fn the_documented_rules() {
        use Kind::*;
        let cases: &[(&str, Detection)] = &[
            ("[]", Detection::Kind(ReleaseList)),
            (r#""deleted""#, Detection::Kind(DeleteResponse)),
            ("3", Detection::NoFit),
            ("{}", Detection::NoFit),
            (r#"{"name": "koi"}"#, Detection::NoFit),
            (
                r#"{"errorCode": "CCE.01400001", "errorMessage": "x"}"#,
                Detection::Kind(Error),
            ),
            (r#"{"error_code": "x"}"#, Detection::Kind(Error)),
            (
                r#"{"chart_id": "x", "name": "koi"}"#,
                Detection::Kind(CreateRequest),
            ),
            (
                r#"{"chart_id": "x", "action": "upgrade", "name": "stray"}"#,
                Detection::Kind(UpdateRequest),
            ),
            (
                r#"{"name": "koi", "status": "DEPLOYED"}"#,
                Detection::Kind(Release),
            ),
            (
                r#"{"name": "koi", "version": "3.0.1"}"#,
                Detection::Kind(CreateRequest),
            ),
            (r#"{"name": "koi", "version": 3}"#, Detection::Kind(Release)),
            (
                r#"{"name": "koi", "values": "{}"}"#,
                Detection::Kind(Release),
            ),
            (
                r#"{"values": {}, "parameters": {}}"#,
                Detection::Kind(CreateRequest),
            ),
            (
                r#"{"values": {}, "version": 3}"#,
                Detection::Ambiguous(vec![CreateRequest, Release]),
            ),
            (
                r#"{"chart_id": "x", "errorCode": "y"}"#,
                Detection::Ambiguous(vec![CreateRequest, Error]),
            ),
            // Members below the top do not count.
            (
                r#"{"values": {"status": "x", "errorCode": 1}, "chart_id": "x"}"#,
                Detection::Kind(CreateRequest),
            ),
        ];
        for (json, expected) in cases {
            assert_eq!(&kind(json), expected, "{json}");
            let value: Value = serde_json::from_str(json).unwrap_or(Value::Null);
            assert_eq!(&detect_value(&value), expected, "{json} as a value");
        }
        assert_eq!(detect_json(b"{"), None);
        assert_eq!(
            detect_json(b"\xEF\xBB\xBF[]"),
            Some(Detection::Kind(ReleaseList))
        );
    }
}
