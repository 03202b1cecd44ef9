//! Decode and parse: bytes to one `serde_json::Value`, noticing repeated keys on the way.

use std::cell::Cell;
use std::fmt;

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::{Anchor, Finding};
use crate::diagnostic::message::Problem;
use crate::locate;

/// serde_json's nesting limit: deeper input is an `invalid_json` finding, never a stack overflow.
pub(crate) const DEPTH_LIMIT: usize = 128;

/// UTF-8 only (RFC 8259 §8.1). On failure, the finding and the valid text before the fault
/// (which positions the finding).
pub(crate) fn decode(input: &[u8]) -> Result<&str, (Finding, &str)> {
    std::str::from_utf8(input).map_err(|e| {
        let offset = e.valid_up_to();
        let prefix = std::str::from_utf8(&input[..offset]).unwrap_or_default();
        let finding = Finding::body(Problem::InvalidUtf8 { offset }, "", Anchor::Offset(offset));
        (finding, prefix)
    })
}

pub(crate) struct Parsed {
    pub value: Value,
    /// Some object named a key twice (the value kept the last one).
    pub has_duplicates: bool,
}

/// Exactly one JSON value, nothing but whitespace after it.
pub(crate) fn parse(text: &str) -> Result<Parsed, Finding> {
    let duplicates = Cell::new(false);
    let mut de = serde_json::Deserializer::from_str(text);
    let value = ValueSeed {
        duplicates: &duplicates,
    }
    .deserialize(&mut de)
    .and_then(|value| de.end().map(|()| value))
    .map_err(|e| syntax_finding(text, &e))?;
    Ok(Parsed {
        value,
        has_duplicates: duplicates.get(),
    })
}

fn syntax_finding(text: &str, e: &serde_json::Error) -> Finding {
    let offset = locate::offset_of(text, e.line(), e.column());
    let full = e.to_string();
    let detail = match full.rfind(" at line ") {
        Some(i) => &full[..i],
        None => full.as_str(),
    };
    let problem = if text.trim_matches([' ', '\t', '\n', '\r']).is_empty() {
        Problem::EmptyInput
    } else if detail == "trailing characters" {
        Problem::TrailingData
    } else if detail == "recursion limit exceeded" {
        Problem::TooDeep { limit: DEPTH_LIMIT }
    } else {
        Problem::InvalidJson {
            detail: crate::diagnostic::message::syntax_detail(detail),
        }
    };
    Finding::body(problem, "", Anchor::Offset(offset))
}

/// Builds a `Value` like serde_json's own visitor, and flags a repeated key instead of dropping
/// it in silence. Recursion is bounded by serde_json's depth limit.
#[derive(Clone, Copy)]
struct ValueSeed<'a> {
    duplicates: &'a Cell<bool>,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(self)?;
            if object.insert(key, value).is_some() {
                self.duplicates.set(true);
            }
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_duplicates_and_keeps_the_last() {
        let parsed = parse(r#"{"a": 1, "b": {"c": 1, "c": 2}}"#).unwrap();
        assert!(parsed.has_duplicates);
        assert_eq!(parsed.value["b"]["c"], 2);
        assert!(!parse(r#"{"a": {"a": 1}}"#).unwrap().has_duplicates);
    }

    #[test]
    fn syntax_errors_become_findings() {
        let cases = [
            ("", Problem::EmptyInput),
            ("  \n", Problem::EmptyInput),
            ("{} x", Problem::TrailingData),
            (&"[".repeat(200), Problem::TooDeep { limit: DEPTH_LIMIT }),
        ];
        for (text, problem) in cases {
            let Err(finding) = parse(text) else {
                panic!("{text:?} parsed")
            };
            assert_eq!(finding.problem, problem, "{text:?}");
        }
    }

    #[test]
    fn syntax_error_positions() {
        let text = "{\n  \"a\": 1,\n}";
        let Err(finding) = parse(text) else { panic!() };
        let Anchor::Offset(offset) = finding.anchor else {
            panic!()
        };
        assert_eq!(locate::line_col(text, offset), (3, 1));
    }
}
