//! A chart schema's errors (from the `jsonschema` crate) as typed problems under
//! `values_schema`. Data only: the words are in the message module.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{JsonType, ValidationError};
use serde_json::Value;

use super::Anchor;
use super::rules::Sink;
use crate::diagnostic::Code;
use crate::diagnostic::message::{Allowed, Bound, Hint, Owner, Problem, Rule, Shape, Types};
use crate::pointer::push_token;
use crate::redact::{Quoted, found_value, quote_str, quote_value};

/// Offers the findings of one error of a chart's schema applied at `base` (an
/// `additionalProperties` error names several members). Nothing is quoted unless the collector
/// keeps the finding.
pub(crate) fn chart_error(base: &str, error: &ValidationError<'_>, out: &mut Sink<'_>) {
    let pointer = format!("{base}{}", error.instance_path().as_str());
    let instance: &Value = error.instance();
    let mut offer = |pointer: String, anchor: Anchor, make: &dyn Fn(&str) -> Problem| {
        out.offer(Code::ValuesSchema, pointer, anchor, |p| {
            Problem::ValuesSchema {
                inner: Box::new(make(p)),
            }
        });
    };
    let chars = || instance.as_str().map_or(0, |s| s.chars().count());
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let mut member = pointer;
            match property {
                Value::String(name) => push_token(&mut member, name),
                other => push_token(&mut member, &other.to_string()),
            }
            offer(member, Anchor::Parent, &|_| Problem::MissingField);
        }
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            for name in unexpected {
                let mut member = pointer.clone();
                push_token(&mut member, name);
                offer(member, Anchor::Key, &|_| Problem::UnknownField {
                    owner: Owner::Parent,
                    hint: Hint::None,
                });
            }
        }
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => types(*t),
                TypeKind::Multiple(set) => set
                    .iter()
                    .fold(Types::default(), |all, t| all.with(types(t))),
            };
            offer(pointer, Anchor::Value, &|p| Problem::TypeMismatch {
                expected,
                found: found_value(p, instance),
            });
        }
        ValidationErrorKind::MinLength { limit } => {
            offer(pointer, Anchor::Value, &|_| Problem::TooShort {
                min: *limit,
                actual: chars(),
            })
        }
        ValidationErrorKind::MaxLength { limit } => {
            offer(pointer, Anchor::Value, &|_| Problem::TooLong {
                max: *limit,
                actual: chars(),
            })
        }
        ValidationErrorKind::Pattern { pattern } => {
            offer(pointer, Anchor::Value, &|p| Problem::PatternMismatch {
                shape: Shape::Pattern(quote_str(p, pattern)),
                found: quote_value(p, instance),
            });
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
            offer(pointer, Anchor::Value, &|p| Problem::OutOfRange {
                bound,
                limit: limit.to_string(),
                found: quote_value(p, instance),
            });
        }
        ValidationErrorKind::Enum { options } => {
            offer(pointer, Anchor::Value, &|p| Problem::NotAllowed {
                allowed: Allowed::Quoted(
                    options
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter(|o| !o.is_null())
                        .map(|o| quote_value(p, o))
                        .collect(),
                ),
                found: quote_value(p, instance),
            });
        }
        ValidationErrorKind::Constant { expected_value } => {
            offer(pointer, Anchor::Value, &|p| Problem::NotAllowed {
                allowed: Allowed::Quoted(vec![quote_value(p, expected_value)]),
                found: quote_value(p, instance),
            });
        }
        other => offer(pointer, Anchor::Value, &|p| Problem::SchemaRule {
            rule: rule(p, other),
        }),
    }
}

fn types(t: JsonType) -> Types {
    match t {
        JsonType::Array => Types::ARRAY,
        JsonType::Boolean => Types::BOOLEAN,
        JsonType::Integer => Types::INTEGER,
        JsonType::Null => Types::NULL,
        JsonType::Number => Types::NUMBER,
        JsonType::Object => Types::OBJECT,
        JsonType::String => Types::STRING,
    }
}

/// The keywords that have no code of their own, as data.
fn rule(pointer: &str, kind: &ValidationErrorKind) -> Rule {
    let text = |t: &str| -> Quoted { quote_str(pointer, t) };
    match kind {
        ValidationErrorKind::MinItems { limit } => Rule::MinItems(*limit),
        ValidationErrorKind::MaxItems { limit } => Rule::MaxItems(*limit),
        ValidationErrorKind::UniqueItems => Rule::UniqueItems,
        ValidationErrorKind::Contains => Rule::Contains,
        ValidationErrorKind::MinProperties { limit } => Rule::MinProperties(*limit),
        ValidationErrorKind::MaxProperties { limit } => Rule::MaxProperties(*limit),
        ValidationErrorKind::MultipleOf { multiple_of } => {
            Rule::MultipleOf(multiple_of.to_string())
        }
        ValidationErrorKind::Format { format } => Rule::Format(text(format)),
        ValidationErrorKind::AnyOf { .. } => Rule::AnyOf,
        ValidationErrorKind::OneOfNotValid { .. } => Rule::OneOfNone,
        ValidationErrorKind::OneOfMultipleValid { .. } => Rule::OneOfMany,
        ValidationErrorKind::Not { .. } => Rule::Not,
        ValidationErrorKind::FalseSchema => Rule::FalseSchema,
        ValidationErrorKind::PropertyNames { .. } => Rule::PropertyNames,
        ValidationErrorKind::AdditionalItems { limit } => Rule::AdditionalItems(*limit as u64),
        ValidationErrorKind::UnevaluatedItems { .. } => Rule::UnevaluatedItems,
        ValidationErrorKind::ContentEncoding { content_encoding } => {
            Rule::ContentEncoding(text(content_encoding))
        }
        ValidationErrorKind::ContentMediaType { content_media_type } => {
            Rule::ContentMediaType(text(content_media_type))
        }
        other => Rule::Keyword(text(other.keyword())),
    }
}
