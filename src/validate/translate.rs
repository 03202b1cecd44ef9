//! A chart schema's errors (from the `jsonschema` crate) as typed problems under
//! `values_schema`. Data only: the words are in the message module.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{JsonType, ValidationError};
use serde_json::Value;

use super::{Anchor, Finding};
use crate::diagnostic::message::{Allowed, Bound, Owner, Problem, Rule, Shape, Types};
use crate::pointer::push_token;
use crate::redact::{Quoted, found_value, quote_str, quote_value};

/// The findings of one error of a chart's schema applied at `base` (an `additionalProperties`
/// error names several members).
pub(crate) fn chart_error(base: &str, error: &ValidationError<'_>, out: &mut Vec<Finding>) {
    let pointer = format!("{base}{}", error.instance_path().as_str());
    let instance: &Value = error.instance();
    let mut push = |problem: Problem, pointer: String, anchor: Anchor| {
        let problem = Problem::ValuesSchema {
            inner: Box::new(problem),
        };
        out.push(Finding::body(problem, pointer, anchor));
    };
    let chars = || instance.as_str().map_or(0, |s| s.chars().count());
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let mut member = pointer;
            match property {
                Value::String(name) => push_token(&mut member, name),
                other => push_token(&mut member, &other.to_string()),
            }
            push(Problem::MissingField, member, Anchor::Parent);
        }
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            for name in unexpected {
                let mut member = pointer.clone();
                push_token(&mut member, name);
                push(
                    Problem::UnknownField {
                        owner: Owner::Parent,
                        hint: crate::diagnostic::message::Hint::None,
                    },
                    member,
                    Anchor::Key,
                );
            }
        }
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => types(*t),
                TypeKind::Multiple(set) => set
                    .iter()
                    .fold(Types::default(), |all, t| all.with(types(t))),
            };
            let found = found_value(&pointer, instance);
            push(
                Problem::TypeMismatch { expected, found },
                pointer,
                Anchor::Value,
            );
        }
        ValidationErrorKind::MinLength { limit } => push(
            Problem::TooShort {
                min: *limit,
                actual: chars(),
            },
            pointer,
            Anchor::Value,
        ),
        ValidationErrorKind::MaxLength { limit } => push(
            Problem::TooLong {
                max: *limit,
                actual: chars(),
            },
            pointer,
            Anchor::Value,
        ),
        ValidationErrorKind::Pattern { pattern } => {
            let shape = Shape::Pattern(quote_str(&pointer, pattern));
            let found = quote_value(&pointer, instance);
            push(
                Problem::PatternMismatch { shape, found },
                pointer,
                Anchor::Value,
            );
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
            let found = quote_value(&pointer, instance);
            push(
                Problem::OutOfRange {
                    bound,
                    limit: limit.to_string(),
                    found,
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
                        .map(|o| quote_value(&pointer, o))
                        .collect()
                })
                .unwrap_or_default();
            let found = quote_value(&pointer, instance);
            push(
                Problem::NotAllowed {
                    allowed: Allowed::Quoted(allowed),
                    found,
                },
                pointer,
                Anchor::Value,
            );
        }
        ValidationErrorKind::Constant { expected_value } => {
            let allowed = Allowed::Quoted(vec![quote_value(&pointer, expected_value)]);
            let found = quote_value(&pointer, instance);
            push(
                Problem::NotAllowed { allowed, found },
                pointer,
                Anchor::Value,
            );
        }
        other => {
            let rule = rule(&pointer, other);
            push(Problem::SchemaRule { rule }, pointer, Anchor::Value);
        }
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
