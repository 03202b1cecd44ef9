//! Decode and parse: bytes to one `serde_json::Value`, noticing repeated keys on the way.

use std::cell::Cell;
use std::fmt;

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::{Anchor, Finding};
use crate::diagnostic::message::Problem;
use crate::locate;

/// The deepest nesting the parser can take: serde_json stops at 127 levels of arrays and
/// objects (an `invalid_json` finding, never a stack overflow), so a configured limit can lower
/// this but not raise it.
pub(crate) const DEPTH_LIMIT: usize = 127;

/// What a seed says when the configured nesting limit is crossed.
const TOO_DEEP: &str = "nesting deeper than the configured limit";

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
    /// Some object probably named a key twice (the value kept the last one). A hint: the
    /// locate pass confirms each repeat exactly.
    pub has_duplicates: bool,
    /// When `values` was skimmed: the length of its compact JSON.
    pub values_size: Option<usize>,
}

/// How much of the document to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Depth {
    /// The whole document as a `Value`.
    Full,
    /// Everything but the inside of the root's `values` object, of which only the keys the schema
    /// looks at (`imagePullPolicy`, `imageTag`) are built; the rest is read, checked for repeated
    /// keys and measured, never stored. Valid payloads then cost one read of the bytes and memory
    /// in proportion to everything but their values.
    SkimValues,
}

/// The members of `values` the committed schemas constrain. Skimming keeps exactly these, so
/// the schema pass sees the same verdicts on a skimmed document as on a full one (a property
/// test compares the two).
const VALUES_KEYS_KEPT: [&str; 2] = ["imagePullPolicy", "imageTag"];

/// Exactly one JSON value, nothing but whitespace after it, nested at most `max_depth` levels
/// (and never more than [`DEPTH_LIMIT`]).
pub(crate) fn parse(text: &str, depth: Depth, max_depth: usize) -> Result<Parsed, Finding> {
    let max_depth = max_depth.min(DEPTH_LIMIT);
    let cx = Context {
        duplicates: Cell::new(false),
        values_size: Cell::new(None),
        skim_values: depth == Depth::SkimValues,
        max_depth,
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let value = ValueSeed {
        cx: &cx,
        root: true,
        depth: 0,
    }
    .deserialize(&mut de)
    .and_then(|value| de.end().map(|()| value))
    .map_err(|e| syntax_finding(text, &e, max_depth))?;
    Ok(Parsed {
        value,
        has_duplicates: cx.duplicates.get(),
        values_size: cx.values_size.get(),
    })
}

fn syntax_finding(text: &str, e: &serde_json::Error, max_depth: usize) -> Finding {
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
    } else if detail == "recursion limit exceeded" || detail == TOO_DEEP {
        Problem::TooDeep { limit: max_depth }
    } else {
        Problem::InvalidJson {
            detail: crate::diagnostic::message::syntax_detail(detail),
        }
    };
    Finding::body(problem, "", Anchor::Offset(offset))
}

/// What the seeds share while one document is parsed.
struct Context {
    duplicates: Cell<bool>,
    values_size: Cell<Option<usize>>,
    skim_values: bool,
    max_depth: usize,
}

impl Context {
    /// The nesting level of a container opened inside one at `depth`, or the error that stops
    /// the parse when it is too deep.
    fn enter<E: serde::de::Error>(&self, depth: usize) -> Result<usize, E> {
        if depth >= self.max_depth {
            return Err(E::custom(TOO_DEEP));
        }
        Ok(depth + 1)
    }
}

/// Builds a `Value` like serde_json's own visitor, and flags a repeated key instead of dropping
/// it in silence. Recursion is bounded by serde_json's depth limit.
#[derive(Clone, Copy)]
struct ValueSeed<'a> {
    cx: &'a Context,
    /// The document's root: its `values` member may be skimmed.
    root: bool,
    /// Nesting level of the value being read (0 for the root).
    depth: usize,
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

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = ValueSeed {
            root: false,
            depth: self.cx.enter(self.depth)?,
            ..self
        };
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(inner)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = ValueSeed {
            root: false,
            depth: self.cx.enter(self.depth)?,
            ..self
        };
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = if self.root && self.cx.skim_values && key == "values" {
                map.next_value_seed(SkimSeed {
                    cx: self.cx,
                    depth: inner.depth,
                })?
            } else {
                map.next_value_seed(inner)?
            };
            if object.insert(key, value).is_some() {
                self.cx.duplicates.set(true);
            }
        }
        Ok(Value::Object(object))
    }
}

/// Reads the root's `values`: keeps the members the schema looks at, measures the rest.
/// Anything but an object is built as it is (it is a `type_mismatch` anyway), except that an
/// array is kept empty: the message only says "an array".
#[derive(Clone, Copy)]
struct SkimSeed<'a> {
    cx: &'a Context,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for SkimSeed<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'a> SkimSeed<'a> {
    fn full(self) -> ValueSeed<'a> {
        ValueSeed {
            cx: self.cx,
            root: false,
            depth: self.depth,
        }
    }
}

impl<'de> Visitor<'de> for SkimSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the chart's values")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
        self.full().visit_bool(v)
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        self.full().visit_i64(v)
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        self.full().visit_u64(v)
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        self.full().visit_f64(v)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        self.full().visit_str(v)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Value, A::Error> {
        let size = SizeSeed {
            cx: self.cx,
            depth: self.depth,
        }
        .visit_seq(seq)?;
        self.cx.values_size.set(Some(size));
        Ok(Value::Array(Vec::new()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let depth = self.cx.enter(self.depth)?;
        let kept = ValueSeed {
            cx: self.cx,
            root: false,
            depth,
        };
        let skipped = SizeSeed { cx: self.cx, depth };
        let mut object = Map::new();
        let mut keys = KeyHashes::default();
        let mut size = 1; // `{`
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if !keys.insert(key.hash) {
                self.cx.duplicates.set(true);
            }
            size += usize::from(size > 1) + key.size + 1; // `,` key `:`
            match VALUES_KEYS_KEPT
                .iter()
                .find(|k| **k == key.text.as_deref().unwrap_or(""))
            {
                Some(name) => {
                    let value = map.next_value_seed(kept)?;
                    size += compact_size(&value);
                    object.insert((*name).to_owned(), value);
                }
                None => size += map.next_value_seed(skipped)?,
            }
        }
        self.cx.values_size.set(Some(size + 1)); // `}`
        Ok(Value::Object(object))
    }
}

/// A key of a skimmed object: its hash (for repeated-key hints), its compact size, and its text
/// when it is one of the kept keys.
struct Key {
    hash: u64,
    size: usize,
    text: Option<String>,
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key, E> {
        // FNV-1a: the hash is only a hint (the locate pass confirms every repeat exactly), so a
        // fast one beats a collision-resistant one.
        let hash = v.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        let text = VALUES_KEYS_KEPT.contains(&v).then(|| v.to_owned());
        Ok(Key {
            hash,
            size: string_size(v),
            text,
        })
    }
}

/// Key hashes of one object: a list while small, a set beyond.
#[derive(Default)]
struct KeyHashes {
    few: Vec<u64>,
    many: std::collections::HashSet<u64>,
}

impl KeyHashes {
    /// False when an equal hash was there (a probable repeat).
    fn insert(&mut self, hash: u64) -> bool {
        if self.many.is_empty() {
            if self.few.contains(&hash) {
                return false;
            }
            if self.few.len() < 16 {
                self.few.push(hash);
                return true;
            }
            self.many.extend(self.few.drain(..));
        }
        self.many.insert(hash)
    }
}

/// Reads any value without building it; returns the length of its compact JSON (what
/// `serde_json::to_vec` would write).
#[derive(Clone, Copy)]
struct SizeSeed<'a> {
    cx: &'a Context,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for SizeSeed<'_> {
    type Value = usize;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for SizeSeed<'_> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<usize, E> {
        Ok(if v { 4 } else { 5 })
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<usize, E> {
        Ok(compact_size(&Value::from(v)))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<usize, E> {
        Ok(compact_size(&Value::from(v)))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<usize, E> {
        Ok(compact_size(&Value::from(v)))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<usize, E> {
        Ok(string_size(v))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<usize, E> {
        Ok(4)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let inner = SizeSeed {
            depth: self.cx.enter(self.depth)?,
            ..self
        };
        let mut size = 1;
        let mut first = true;
        while let Some(item) = seq.next_element_seed(inner)? {
            size += usize::from(!first) + item;
            first = false;
        }
        Ok(size + 1)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<usize, A::Error> {
        let inner = SizeSeed {
            depth: self.cx.enter(self.depth)?,
            ..self
        };
        let mut keys = KeyHashes::default();
        let mut size = 1;
        let mut first = true;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if !keys.insert(key.hash) {
                self.cx.duplicates.set(true);
            }
            size += usize::from(!first) + key.size + 1 + map.next_value_seed(inner)?;
            first = false;
        }
        Ok(size + 1)
    }
}

/// Length of a string as compact JSON writes it, quotes and escapes included.
fn string_size(s: &str) -> usize {
    2 + s.len()
        + s.bytes()
            .map(|b| match b {
                b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 1,
                0..0x20 => 5,
                _ => 0,
            })
            .sum::<usize>()
}

/// Length of the compact JSON of `value`, without building it.
pub(crate) fn compact_size(value: &Value) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // Writing a `Value` to a sink that cannot fail cannot fail.
    let _ = serde_json::to_writer(&mut count, value);
    count.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn skimming_keeps_the_schema_keys_and_measures_the_rest() {
        let text = r#"{"name": "a", "values": {"imageTag": "1.0", "big": [1, 2.5, "x\ny", {"k": null}], "imagePullPolicy": 5}}"#;
        let parsed = parse(text, Depth::SkimValues, DEPTH_LIMIT).unwrap();
        assert_eq!(
            parsed.value["values"],
            serde_json::json!({"imageTag": "1.0", "imagePullPolicy": 5})
        );
        let full: Value = serde_json::from_str(text).unwrap();
        assert_eq!(parsed.values_size, Some(compact_size(&full["values"])));
        assert_eq!(parse(text, Depth::Full, DEPTH_LIMIT).unwrap().value, full);
        let not_an_object =
            parse(r#"{"values": [1, [2]]}"#, Depth::SkimValues, DEPTH_LIMIT).unwrap();
        assert_eq!(not_an_object.value["values"], serde_json::json!([]));
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            "\\PC{0,8}|[\u{0}-\u{7f}]{0,8}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 40, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map("[\u{0}-\u{7f}]{0,6}|imageTag", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn skimmed_size_is_the_compact_size(
            members in prop::collection::btree_map("[\\u{0}-\\u{7f}]{0,6}|imageTag|imagePullPolicy", json_value(), 0..8),
        ) {
            let values = Value::Object(members.into_iter().collect());
            let text = serde_json::to_string_pretty(&serde_json::json!({"values": values})).unwrap();
            let parsed = parse(&text, Depth::SkimValues, DEPTH_LIMIT).unwrap();
            prop_assert_eq!(parsed.values_size, Some(compact_size(&values)));
        }
    }

    #[test]
    fn flags_duplicates_and_keeps_the_last() {
        for depth in [Depth::Full, Depth::SkimValues] {
            let parsed = parse(r#"{"a": 1, "b": {"c": 1, "c": 2}}"#, depth, DEPTH_LIMIT).unwrap();
            assert!(parsed.has_duplicates);
            assert_eq!(parsed.value["b"]["c"], 2);
            assert!(
                !parse(r#"{"a": {"a": 1}}"#, depth, DEPTH_LIMIT)
                    .unwrap()
                    .has_duplicates
            );
            let inside_values = r#"{"values": {"x": {"k": 1, "k": 2}}}"#;
            assert!(
                parse(inside_values, depth, DEPTH_LIMIT)
                    .unwrap()
                    .has_duplicates
            );
        }
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
            let Err(finding) = parse(text, Depth::SkimValues, DEPTH_LIMIT) else {
                panic!("{text:?} parsed")
            };
            assert_eq!(finding.problem, problem, "{text:?}");
        }
    }

    #[test]
    fn syntax_error_positions() {
        let text = "{\n  \"a\": 1,\n}";
        let Err(finding) = parse(text, Depth::SkimValues, DEPTH_LIMIT) else {
            panic!()
        };
        let Anchor::Offset(offset) = finding.anchor else {
            panic!()
        };
        assert_eq!(locate::line_col(text, offset), (3, 1));
    }
}
