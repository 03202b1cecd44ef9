//! The schema pass: every violation of the kind's compiled schema, as coded findings.
//!
//! The same translation serves a chart's `values.schema.json` (see `rules::values`), whose
//! findings are wrapped as `values_schema`.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{JsonType, ValidationError};
use serde_json::Value;

use super::{Anchor, Finding};
use crate::Kind;
use crate::diagnostic::message::{
    Bound, Format, Problem, Shape, echo, echo_value, is_secret_pointer, label, push_token,
};
use crate::diagnostic::{Code, Location};
use crate::schema::OwnCheck;

/// Which schema an error came from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Source {
    /// The kind's own schema.
    Kind(Kind),
    /// A chart's `values.schema.json`, applied at `/values`.
    Chart,
}

pub(crate) fn check(kind: Kind, value: &Value, out: &mut Vec<Finding>) {
    let validator = crate::schema::compiled(kind);
    // The hot path: a valid payload costs one `is_valid`, which allocates nothing.
    if validator.is_valid(value) {
        return;
    }
    let start = out.len();
    for error in validator.iter_errors(value) {
        translate(Source::Kind(kind), "", &error, out);
    }
    drop_redundant(out, start);
}

/// Keeps one finding per cause: a value of the wrong type also breaks its `enum` (which lists
/// only values of the right type), and an empty string breaks both the minimum length and the
/// pattern; the type and the length say it better.
pub(crate) fn drop_redundant(out: &mut Vec<Finding>, start: usize) {
    let dominant: Vec<(String, Code)> = out[start..]
        .iter()
        .map(|f| (f.pointer.clone(), f.problem.code()))
        .filter(|(_, code)| matches!(code, Code::TypeMismatch | Code::TooShort))
        .collect();
    if dominant.is_empty() {
        return;
    }
    let mut i = start;
    while i < out.len() {
        let code = out[i].problem.code();
        let redundant = dominant.iter().any(|(pointer, by)| {
            *pointer == out[i].pointer
                && match by {
                    Code::TypeMismatch => code != Code::TypeMismatch,
                    _ => matches!(code, Code::PatternMismatch | Code::InvalidFormat),
                }
        });
        if redundant {
            out.remove(i);
        } else {
            i += 1;
        }
    }
}

/// One schema error as findings (an `additionalProperties` error names several members).
pub(crate) fn translate(
    source: Source,
    base: &str,
    error: &ValidationError<'_>,
    out: &mut Vec<Finding>,
) {
    let pointer = format!("{base}{}", error.instance_path().as_str());
    let instance: &Value = error.instance();
    let mut push = |problem: Problem, pointer: String, anchor: Anchor| {
        let problem = match source {
            Source::Kind(_) => problem,
            Source::Chart => Problem::ValuesSchema {
                inner: Box::new(problem),
            },
        };
        out.push(Finding::body(problem, pointer, anchor));
    };
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let mut member = pointer;
            push_token(&mut member, property.as_str().unwrap_or_default());
            push(Problem::MissingField, member, Anchor::Parent);
        }
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            for name in unexpected {
                let mut member = pointer.clone();
                push_token(&mut member, name);
                let (owner, hint) = match source {
                    Source::Kind(kind) => (
                        if pointer.is_empty() {
                            kind.noun().to_owned()
                        } else {
                            label(Location::Body, &pointer)
                        },
                        hint(kind, &pointer, name),
                    ),
                    Source::Chart => (label(Location::Body, &pointer), None),
                };
                push(Problem::UnknownField { owner, hint }, member, Anchor::Key);
            }
        }
        ValidationErrorKind::Type { kind } => {
            let expected = expected_types(kind);
            push(
                Problem::TypeMismatch {
                    expected,
                    found: found(&pointer, instance),
                },
                pointer,
                Anchor::Value,
            );
        }
        ValidationErrorKind::MinLength { limit } => push(
            Problem::TooShort {
                min: *limit,
                actual: chars(instance),
            },
            pointer,
            Anchor::Value,
        ),
        ValidationErrorKind::MaxLength { limit } => push(
            Problem::TooLong {
                max: *limit,
                actual: chars(instance),
            },
            pointer,
            Anchor::Value,
        ),
        ValidationErrorKind::Pattern { pattern } => {
            let shape = Shape::Other(pattern.clone());
            let found = echo_value(&pointer, instance);
            push(
                Problem::PatternMismatch { shape, found },
                pointer,
                Anchor::Value,
            );
        }
        // Our own schemas' patterns run as code, under a `format` of the crate's own.
        ValidationErrorKind::Format { format } if matches!(source, Source::Kind(_)) => {
            let found = echo_value(&pointer, instance);
            let problem = match OwnCheck::from_format(format) {
                Some(OwnCheck::Uuid) => Problem::InvalidFormat {
                    format: Format::Uuid,
                    found,
                },
                Some(OwnCheck::ChartVersion) => Problem::InvalidFormat {
                    format: Format::ChartVersion,
                    found,
                },
                Some(OwnCheck::ReleaseName) => Problem::PatternMismatch {
                    shape: Shape::ReleaseName,
                    found,
                },
                Some(OwnCheck::Namespace) => Problem::PatternMismatch {
                    shape: Shape::Namespace,
                    found,
                },
                Some(OwnCheck::ImageTag) => Problem::PatternMismatch {
                    shape: Shape::ImageTag,
                    found,
                },
                // Our schemas have no other format; worded like any schema rule if one comes.
                None => Problem::SchemaRule {
                    rule: describe_rule(error.kind()),
                },
            };
            push(problem, pointer, Anchor::Value);
        }
        ValidationErrorKind::Minimum { limit }
        | ValidationErrorKind::ExclusiveMinimum { limit }
        | ValidationErrorKind::Maximum { limit }
        | ValidationErrorKind::ExclusiveMaximum { limit } => {
            let bound = match error.kind() {
                ValidationErrorKind::Minimum { .. } => Bound::Min,
                ValidationErrorKind::ExclusiveMinimum { .. } => Bound::Above,
                ValidationErrorKind::Maximum { .. } => Bound::Max,
                _ => Bound::Below,
            };
            push(
                Problem::OutOfRange {
                    bound,
                    limit: limit.to_string(),
                    found: echo_value(&pointer, instance),
                },
                pointer,
                Anchor::Value,
            )
        }
        ValidationErrorKind::Enum { options } => {
            let allowed = options
                .as_array()
                .map(|opts| {
                    opts.iter()
                        .filter(|o| !o.is_null())
                        .map(|o| match o {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            push(
                Problem::NotAllowed {
                    allowed,
                    found: echo_value(&pointer, instance),
                },
                pointer,
                Anchor::Value,
            );
        }
        ValidationErrorKind::Constant { expected_value } => {
            let allowed = vec![match &**expected_value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            }];
            push(
                Problem::NotAllowed {
                    allowed,
                    found: echo_value(&pointer, instance),
                },
                pointer,
                Anchor::Value,
            );
        }
        other => {
            let rule = describe_rule(other);
            push(Problem::SchemaRule { rule }, pointer, Anchor::Value);
        }
    }
}

/// Words for the keywords that have no code of their own (only a chart's schema uses them).
fn describe_rule(kind: &ValidationErrorKind) -> String {
    match kind {
        ValidationErrorKind::MinItems { limit } => format!("must have at least {limit} items"),
        ValidationErrorKind::MaxItems { limit } => format!("must have at most {limit} items"),
        ValidationErrorKind::UniqueItems => "must not contain the same item twice".to_owned(),
        ValidationErrorKind::Contains => {
            "must contain an item that fits the `contains` schema".to_owned()
        }
        ValidationErrorKind::MinProperties { limit } => {
            format!("must have at least {limit} members")
        }
        ValidationErrorKind::MaxProperties { limit } => {
            format!("must have at most {limit} members")
        }
        ValidationErrorKind::MultipleOf { multiple_of } => {
            format!("must be a multiple of {multiple_of}")
        }
        ValidationErrorKind::Format { format } => format!("must be a valid `{format}`"),
        ValidationErrorKind::AnyOf { .. } => {
            "must fit at least one of the `anyOf` alternatives".to_owned()
        }
        ValidationErrorKind::OneOfNotValid { .. } => {
            "must fit one of the `oneOf` alternatives".to_owned()
        }
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            "must fit exactly one of the `oneOf` alternatives, but fits several".to_owned()
        }
        ValidationErrorKind::Not { .. } => "must not fit the `not` schema".to_owned(),
        ValidationErrorKind::FalseSchema => "is not allowed here".to_owned(),
        ValidationErrorKind::PropertyNames { .. } => {
            "has a member name that the schema does not allow".to_owned()
        }
        ValidationErrorKind::AdditionalItems { limit } => {
            format!("must have at most {limit} items")
        }
        ValidationErrorKind::UnevaluatedItems { .. } => {
            "has items the schema does not allow".to_owned()
        }
        ValidationErrorKind::ContentEncoding { content_encoding } => {
            format!("must be encoded as `{content_encoding}`")
        }
        ValidationErrorKind::ContentMediaType { content_media_type } => {
            format!("must be `{content_media_type}` content")
        }
        other => format!("breaks the schema's `{}` keyword", other.keyword()),
    }
}

/// "a string", "an integer or a string": the types a schema allows, `null` left out (null is
/// how a member says "absent"; nobody means to write it).
fn expected_types(kind: &TypeKind) -> String {
    let types: Vec<JsonType> = match kind {
        TypeKind::Single(t) => vec![*t],
        TypeKind::Multiple(set) => set.iter().collect(),
    };
    let words: Vec<&str> = types
        .iter()
        .filter(|t| **t != JsonType::Null || types.len() == 1)
        .map(|t| match t {
            JsonType::Array => "an array",
            JsonType::Boolean => "a boolean",
            JsonType::Integer => "an integer",
            JsonType::Null => "null",
            JsonType::Number => "a number",
            JsonType::Object => "an object",
            JsonType::String => "a string",
        })
        .collect();
    words.join(" or ")
}

/// What a value is, for "found …": `null`, the string `yes`, the number 1.5, an object.
/// Under a key that names a secret, only the type is told, never the value.
pub(crate) fn found(pointer: &str, value: &Value) -> String {
    let secret = is_secret_pointer(pointer);
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(_) if secret => "a boolean".to_owned(),
        Value::Number(_) if secret => "a number (not shown: the key names a secret)".to_owned(),
        Value::Bool(b) => format!("the boolean `{b}`"),
        Value::Number(n) if n.is_f64() && n.as_f64().is_some_and(|f| f.fract() != 0.0) => {
            format!("the fractional number {n}")
        }
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {}", echo(pointer, s)),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

fn chars(value: &Value) -> usize {
    value.as_str().map_or(0, |s| s.chars().count())
}

/// Where an unknown member belongs, or which known member it probably means.
fn hint(kind: Kind, parent: &str, name: &str) -> Option<String> {
    if matches!(kind, Kind::CreateRequest | Kind::UpdateRequest) && parent.is_empty() {
        match name {
            "cluster_id" => return Some("the cluster id goes in the request path".to_owned()),
            "project_id" => {
                return Some(
                    "the project comes from the token or the `X-Project-Id` header".to_owned(),
                );
            }
            "name" | "namespace" if kind == Kind::UpdateRequest => {
                return Some("an update names the release in the request path".to_owned());
            }
            _ => {}
        }
    }
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect()
    };
    let wanted = squash(name);
    crate::schema::known_members(kind, parent)
        .into_iter()
        .find(|known| squash(known) == wanted)
        .map(|known| format!("did you mean `{known}`?"))
}
