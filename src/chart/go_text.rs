//! The values of a payload as Helm would store them, read from the text without building them.
//!
//! The size check needs Go's JSON of `values` ([`super::encode`]): keys sorted object by object,
//! the last of a repeated key, numbers as `float64`, HTML-safe strings. Written out, that text
//! can be several times the input (`1e20` is 21 characters in Go's form, `<` is six), and
//! sorting an object needs its members held. So the value is held here in a compact form, in
//! input order, and Go's text is only ever written into the counting encoder:
//!
//! - scalars in few bytes (an integer below 2^53 as a varint, any other number as Go's text when
//!   that is short, else as its 8 bytes; a string as its decoded bytes);
//! - an object whose keys come in strictly increasing order (most objects: every object of one
//!   member) needs nothing more;
//! - any other object is marked, and the offsets of its members, sorted and with the last of a
//!   repeated key only, go to a side table (4 bytes a member). An object still open whose
//!   members repeat is sorted and cut down as it grows, so a million repeats of one key hold
//!   one offset, not a million.
//!
//! What is held is at most about twice the text read (see `tests/bounds.rs` and
//! `scripts/hostile/measure.sh`).

use std::io::{self, Write};

use serde::de;

use super::encode::{go_number, go_string};

const NULL: u8 = b'n';
const TRUE: u8 = b't';
const FALSE: u8 = b'f';
/// An integral `float64` below 2^53: a zigzag varint follows.
const INT: u8 = b'i';
/// Any other `float64` whose Go text is long: its 8 bytes, little-endian.
const FLOAT: u8 = b'd';
/// Any other `float64` whose Go text is short (`0.5`): a length byte and the text.
const FLOAT_TEXT: u8 = b'g';
/// The longest Go text held as text (shorter than the 8 bytes of the number).
const SHORT_FLOAT: usize = 6;
const OPEN_ARRAY: u8 = b'[';
const CLOSE_ARRAY: u8 = b']';
/// An object whose members are in Go's order as written.
const OPEN_OBJECT: u8 = b'{';
/// An object whose order is in the side table.
const OPEN_SORTED: u8 = b'S';
const CLOSE_OBJECT: u8 = b'}';
/// A string of fewer than 32 bytes: the low bits are its length.
const SHORT_STRING: u8 = 0xC0;
/// A longer string: a varint length follows.
const LONG_STRING: u8 = 0xE0;
/// A key of fewer than 32 bytes: the low bits are its length.
const SHORT_KEY: u8 = 0x80;
/// A longer key: a varint length follows.
const LONG_KEY: u8 = 0xA0;
/// Marks the last member offset of an object in [`GoText::order`].
const LAST: u32 = 1 << 31;
/// An open object's members are sorted and cut down once there are this many, then each time
/// their number doubles.
const COMPACT_AT: usize = 1024;

/// A value held for writing as Go writes it (see the module's documentation).
#[derive(Debug, Default)]
pub(crate) struct GoText {
    bytes: Vec<u8>,
    /// The member offsets of the marked objects, each object's in Go's order, its last marked.
    order: Vec<u32>,
    /// Marked objects: the offset of the object, where its members start in `order`; sorted.
    sorted: Vec<(u32, u32)>,
}

impl GoText {
    /// Whether the value is an object with members (Helm stores no `config` otherwise).
    pub(crate) fn is_filled_object(&self) -> bool {
        match self.bytes.first() {
            Some(&OPEN_SORTED) => true,
            Some(&OPEN_OBJECT) => self.bytes.get(1) != Some(&CLOSE_OBJECT),
            _ => false,
        }
    }

    /// Writes the value as Go's `encoding/json` writes it. Iterative: any depth is safe.
    pub(crate) fn write(&self, out: &mut impl Write) -> io::Result<()> {
        enum Frame {
            Array {
                first: bool,
            },
            Object {
                first: bool,
            },
            /// A marked object: the next index in `order` (`None` after its last member), and
            /// the furthest offset its members' values reached.
            Sorted {
                next: Option<usize>,
                furthest: usize,
            },
        }
        let b = &self.bytes;
        let mut stack: Vec<Frame> = Vec::new();
        let mut pos = 0;
        let mut value = true;
        loop {
            if value {
                let Some(&tag) = b.get(pos) else {
                    return Ok(());
                };
                pos += 1;
                match tag {
                    NULL => out.write_all(b"null")?,
                    TRUE => out.write_all(b"true")?,
                    FALSE => out.write_all(b"false")?,
                    INT => {
                        let (v, n) = varint(b, pos);
                        pos += n;
                        #[allow(clippy::cast_precision_loss)]
                        go_number(out, unzigzag(v) as f64)?;
                    }
                    FLOAT_TEXT => {
                        let len = usize::from(b.get(pos).copied().unwrap_or(0));
                        let text = b.get(pos + 1..pos + 1 + len).unwrap_or_default();
                        out.write_all(text)?;
                        pos += 1 + len;
                    }
                    FLOAT => {
                        let raw: [u8; 8] = b
                            .get(pos..pos + 8)
                            .and_then(|s| s.try_into().ok())
                            .unwrap_or_default();
                        pos += 8;
                        go_number(out, f64::from_le_bytes(raw))?;
                    }
                    OPEN_ARRAY => {
                        out.write_all(b"[")?;
                        stack.push(Frame::Array { first: true });
                    }
                    OPEN_OBJECT => {
                        out.write_all(b"{")?;
                        stack.push(Frame::Object { first: true });
                    }
                    OPEN_SORTED => {
                        out.write_all(b"{")?;
                        let at = u32::try_from(pos - 1).unwrap_or(u32::MAX);
                        let next = self
                            .sorted
                            .binary_search_by_key(&at, |&(offset, _)| offset)
                            .ok()
                            .map(|i| self.sorted[i].1 as usize);
                        stack.push(Frame::Sorted {
                            next,
                            furthest: pos,
                        });
                    }
                    _ => {
                        let (text, end) = string(b, pos - 1, SHORT_STRING, LONG_STRING);
                        pos = end;
                        go_string(out, text)?;
                    }
                }
            }
            // After a value or an opening: the next member or item, or the end of containers.
            let Some(top) = stack.last_mut() else {
                return Ok(());
            };
            value = true;
            match top {
                Frame::Array { first } => {
                    if b.get(pos) == Some(&CLOSE_ARRAY) {
                        out.write_all(b"]")?;
                        pos += 1;
                        stack.pop();
                        value = false;
                    } else if !std::mem::take(first) {
                        out.write_all(b",")?;
                    }
                }
                Frame::Object { first } => {
                    if b.get(pos) == Some(&CLOSE_OBJECT) {
                        out.write_all(b"}")?;
                        pos += 1;
                        stack.pop();
                        value = false;
                    } else {
                        if !std::mem::take(first) {
                            out.write_all(b",")?;
                        }
                        pos = self.key(out, pos)?;
                    }
                }
                Frame::Sorted { next, furthest } => {
                    *furthest = (*furthest).max(pos);
                    match next.take() {
                        Some(i) => {
                            let Some(&entry) = self.order.get(i) else {
                                return Ok(());
                            };
                            if entry & LAST == 0 {
                                *next = Some(i + 1);
                            }
                            if !self.member_is_first(i) {
                                out.write_all(b",")?;
                            }
                            pos = self.key(out, (entry & !LAST) as usize)?;
                        }
                        None => {
                            // The object's text ends just past its last member as written,
                            // which is always kept (the last of its key).
                            out.write_all(b"}")?;
                            pos = *furthest + 1;
                            stack.pop();
                            value = false;
                        }
                    }
                }
            }
        }
    }

    /// Whether `order[i]` is the first member of its object.
    fn member_is_first(&self, i: usize) -> bool {
        i == 0 || self.order[i - 1] & LAST != 0
    }

    /// Writes the key at `pos` and its colon; where its value starts.
    fn key(&self, out: &mut impl Write, pos: usize) -> io::Result<usize> {
        let (text, end) = string(&self.bytes, pos, SHORT_KEY, LONG_KEY);
        go_string(out, text)?;
        out.write_all(b":")?;
        Ok(end)
    }
}

/// The string or key at `pos` (tag included) and where it ends.
fn string(b: &[u8], pos: usize, short: u8, long: u8) -> (&str, usize) {
    let tag = b.get(pos).copied().unwrap_or(short);
    let (len, start) = if tag == long {
        let (len, n) = varint(b, pos + 1);
        (usize::try_from(len).unwrap_or(usize::MAX), pos + 1 + n)
    } else {
        (usize::from(tag & 0x1F), pos + 1)
    };
    let end = start.saturating_add(len).min(b.len());
    // What was written here was a `str`.
    let text = std::str::from_utf8(&b[start.min(end)..end]).unwrap_or_default();
    (text, end)
}

fn push_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// The varint at `pos` and its length in bytes.
fn varint(b: &[u8], pos: usize) -> (u64, usize) {
    let mut v = 0u64;
    for (i, &byte) in b.iter().skip(pos).take(10).enumerate() {
        v |= u64::from(byte & 0x7F) << (7 * i);
        if byte < 0x80 {
            return (v, i + 1);
        }
    }
    (v, 0)
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// The member `member` of the object `text` is a document of (a repeated member: the last),
/// held as [`GoText`]. `None` when the text is not such a document (the walk has reported it),
/// nests deeper than `serde_json` reads (128 levels), or holds 2 GiB or more.
pub(crate) fn read_member(text: &str, member: &str) -> Option<GoText> {
    let Builder {
        bytes,
        order,
        mut sorted,
        ..
    } = build(text, member)?;
    sorted.sort_unstable_by_key(|&(offset, _)| offset);
    Some(GoText {
        bytes,
        order,
        sorted,
    })
}

fn build(text: &str, member: &str) -> Option<Builder> {
    let mut de = serde_json::Deserializer::from_str(text);
    let mut held = Builder::default();
    let found = de::DeserializeSeed::deserialize(
        Find {
            member,
            held: &mut held,
        },
        &mut de,
    )
    .ok()?;
    found.then_some(held)
}

/// What is being read: the held form, and the member offsets of the objects still open.
#[derive(Default)]
struct Builder {
    bytes: Vec<u8>,
    order: Vec<u32>,
    sorted: Vec<(u32, u32)>,
    /// The member offsets of the open objects, innermost last.
    open: Vec<u32>,
    /// The most offsets `open` held at once.
    most_open: usize,
}

impl Builder {
    fn offset(&self) -> Result<u32, &'static str> {
        u32::try_from(self.bytes.len())
            .ok()
            .filter(|&n| n < LAST)
            .ok_or("the values are too large to measure")
    }

    fn key_of(&self, member: u32) -> &[u8] {
        let pos = member as usize;
        let (text, _) = string(&self.bytes, pos, SHORT_KEY, LONG_KEY);
        text.as_bytes()
    }

    /// Sorts the members from `from` in `open` by key, the last of a repeated key only.
    fn sort_members(&mut self, from: usize) {
        let mut members = std::mem::take(&mut self.open);
        let tail = &mut members[from..];
        // Later offsets first among equal keys, so that the first of each run is the last.
        tail.sort_unstable_by(|&a, &b| self.key_of(a).cmp(self.key_of(b)).then(b.cmp(&a)));
        let mut kept = from;
        for i in from..members.len() {
            if kept > from && self.key_of(members[kept - 1]) == self.key_of(members[i]) {
                continue;
            }
            members[kept] = members[i];
            kept += 1;
        }
        members.truncate(kept);
        self.open = members;
    }

    fn push_str(&mut self, s: &str, short: u8, long: u8) {
        match u8::try_from(s.len()) {
            Ok(len) if len < 32 => self.bytes.push(short | len),
            _ => {
                self.bytes.push(long);
                push_varint(&mut self.bytes, s.len() as u64);
            }
        }
        self.bytes.extend_from_slice(s.as_bytes());
    }

    fn push_number(&mut self, f: f64) {
        const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
        if f.fract() == 0.0 && f.abs() < EXACT && !(f == 0.0 && f.is_sign_negative()) {
            self.bytes.push(INT);
            #[allow(clippy::cast_possible_truncation)]
            push_varint(&mut self.bytes, zigzag(f as i64));
        } else {
            // Go's text, when short: `0.5` in 5 bytes rather than 9.
            let at = self.bytes.len();
            self.bytes.extend_from_slice(&[FLOAT_TEXT, 0]);
            let _ = go_number(&mut self.bytes, f);
            let len = self.bytes.len() - at - 2;
            match u8::try_from(len) {
                Ok(n) if len <= SHORT_FLOAT => self.bytes[at + 1] = n,
                _ => {
                    self.bytes.truncate(at);
                    self.bytes.push(FLOAT);
                    self.bytes.extend_from_slice(&f.to_le_bytes());
                }
            }
        }
    }
}

/// Finds the member of the root object and holds it with [`Hold`].
struct Find<'m, 'b> {
    member: &'m str,
    held: &'b mut Builder,
}

impl<'de> de::DeserializeSeed<'de> for Find<'_, '_> {
    type Value = bool;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> de::Visitor<'de> for Find<'_, '_> {
    type Value = bool;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut found = false;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == self.member {
                // A repeated member: the last counts.
                *self.held = Builder::default();
                map.next_value_seed(Hold { held: self.held })?;
                found = true;
            } else {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// Holds the value read (see [`GoText`]).
struct Hold<'b> {
    held: &'b mut Builder,
}

impl<'de> de::DeserializeSeed<'de> for Hold<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> de::Visitor<'de> for Hold<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.held.bytes.push(if v { TRUE } else { FALSE });
        Ok(())
    }
    // As Go decodes any JSON number: a float64.
    #[allow(clippy::cast_precision_loss)]
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.held.push_number(v as f64);
        Ok(())
    }
    #[allow(clippy::cast_precision_loss)]
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.held.push_number(v as f64);
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.held.push_number(v);
        Ok(())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.held.push_str(v, SHORT_STRING, LONG_STRING);
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.held.bytes.push(NULL);
        Ok(())
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.held.bytes.push(OPEN_ARRAY);
        while seq.next_element_seed(Hold { held: self.held })?.is_some() {}
        self.held.bytes.push(CLOSE_ARRAY);
        Ok(())
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let held = self.held;
        let start = held.offset().map_err(de::Error::custom)?;
        held.bytes.push(OPEN_OBJECT);
        let from = held.open.len();
        let mut in_order = true;
        let mut compact_at = COMPACT_AT;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let at = held.offset().map_err(de::Error::custom)?;
            if in_order
                && held.open.len() > from
                && let Some(&before) = held.open.last()
                && held.key_of(before) >= key.as_bytes()
            {
                in_order = false;
            }
            held.open.push(at);
            held.most_open = held.most_open.max(held.open.len());
            held.push_str(&key, SHORT_KEY, LONG_KEY);
            map.next_value_seed(Hold { held: &mut *held })?;
            if !in_order && held.open.len() - from >= compact_at {
                held.sort_members(from);
                compact_at = COMPACT_AT.max(2 * (held.open.len() - from));
            }
        }
        held.bytes.push(CLOSE_OBJECT);
        if !in_order {
            held.sort_members(from);
            let first = u32::try_from(held.order.len()).map_err(de::Error::custom)?;
            held.order.extend(held.open.drain(from..));
            if let Some(last) = held.order.last_mut() {
                *last |= LAST;
            }
            held.sorted.push((start, first));
            held.bytes[start as usize] = OPEN_SORTED;
        }
        held.open.truncate(from);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn written(doc: &str) -> Option<String> {
        let held = read_member(doc, "values")?;
        let mut out = Vec::new();
        held.write(&mut out).ok()?;
        String::from_utf8(out).ok()
    }

    fn go(v: &Value) -> String {
        let mut out = Vec::new();
        let _ = super::super::encode::go_json(&mut out, v);
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn writes_what_go_json_writes_of_the_value() {
        let docs = [
            r#"{"a": 1, "values": {"b": [1, 2.5e-7, "<a&b>", {"z": null, "y": true}],
                "a": {"k": 1, "é": 2, "k": 3, "<": 4}, "\u0041": "\u2028"}, "z": [{"values": 1}]}"#,
            r#"{"values": {"n": [0, -0.0, -1, 1e20, 1e21, 9007199254740993, -9007199254740992,
                1.5, 123456789012345678901234567890, 1e-7, false]}}"#,
            r#"{"values": {"z": {"b": {"d": 1, "c": 2}, "a": [{"y": 1, "x": 2}, {}]}, "y": {}}}"#,
            r#"{"values": {"a": {}, "b": [], "c": "", "d": [[]], "e": [{}]}}"#,
        ];
        for doc in docs {
            let parsed: Value = serde_json::from_str(doc).unwrap_or_default();
            assert_eq!(
                written(doc).as_deref(),
                Some(go(&parsed["values"]).as_str())
            );
        }
    }

    #[test]
    fn keys_and_strings_of_every_length() {
        for n in [0, 1, 31, 32, 127, 128, 300, 20_000] {
            let key = "k".repeat(n);
            let doc = format!(r#"{{"values": {{"{key}": "{key}", "a": "{key}<"}}}}"#);
            let parsed: Value = serde_json::from_str(&doc).unwrap_or_default();
            assert_eq!(written(&doc), Some(go(&parsed["values"])), "length {n}");
        }
    }

    #[test]
    fn repeated_keys_keep_the_last_and_are_cut_down_as_they_come() {
        let mut doc = String::from(r#"{"values": {"b": 0"#);
        for i in 0..10_000 {
            doc.push_str(&format!(r#", "k": {i}, "a": {i}"#));
        }
        doc.push_str("}}");
        assert_eq!(
            written(&doc).as_deref(),
            Some(r#"{"a":9999,"b":0,"k":9999}"#)
        );
        let held = read_member(&doc, "values").unwrap_or_default();
        assert_eq!(held.order.len(), 3);
        // 20,001 members, but the open object never held more than the compaction size.
        let built = build(&doc, "values").map_or(usize::MAX, |b| b.most_open);
        assert!(built <= COMPACT_AT, "{built}");
        let twice = r#"{"values": {"a": 1}, "values": {"b": 2}}"#;
        assert_eq!(written(twice).as_deref(), Some(r#"{"b":2}"#));
    }

    #[test]
    fn what_is_held_is_smaller_than_what_go_writes() {
        let many = |item: &str, n: usize| {
            format!(r#"{{"values": {{"x": [{}]}}}}"#, vec![item; n].join(","))
        };
        for item in [
            "1e20",
            r#""<<<<<<<<""#,
            "1",
            r#"{"b":1,"a":1}"#,
            "-0.5",
            "0.5",
            "1e-7",
            "0.1234567",
            r#"{"b":0.5,"a":0.5}"#,
        ] {
            let doc = many(item, 1000);
            let held = read_member(&doc, "values").unwrap_or_default();
            let size = held.bytes.len() + 4 * held.order.len() + 8 * held.sorted.len();
            assert!(
                size <= 2 * doc.len(),
                "{item}: {size} held for {}",
                doc.len()
            );
            let parsed: Value = serde_json::from_str(&doc).unwrap_or_default();
            assert_eq!(written(&doc), Some(go(&parsed["values"])), "{item}");
        }
    }

    #[test]
    fn no_values_no_object() {
        assert!(read_member(r#"{"v": 1}"#, "values").is_none());
        assert!(read_member("[1]", "values").is_none());
        assert!(read_member(r#"{"values": {"a": }"#, "values").is_none());
        let held = |doc: &str| read_member(doc, "values").unwrap_or_default();
        assert!(!held(r#"{"values": {}}"#).is_filled_object());
        assert!(!held(r#"{"values": [1]}"#).is_filled_object());
        assert!(held(r#"{"values": {"a": 1}}"#).is_filled_object());
        assert!(held(r#"{"values": {"b": 1, "a": 1}}"#).is_filled_object());
    }

    fn json() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            "[a-c<&\u{2028}é\\\"]{0,4}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                // Few distinct keys, so that members repeat and come out of order.
                prop::collection::vec(("[a-c]{0,2}", inner), 0..8).prop_map(|members| {
                    let text = members
                        .iter()
                        .map(|(k, v)| format!("{}:{}", Value::from(k.as_str()), text_of(v)))
                        .collect::<Vec<_>>()
                        .join(",");
                    Value::String(format!("{{{text}}}"))
                }),
            ]
        })
    }

    /// JSON text from the strategy: objects are generated as text (a `Value` cannot hold a
    /// repeated key), so the strings that stand for them are spliced back in unquoted.
    fn text_of(v: &Value) -> String {
        match v {
            Value::String(s) if s.starts_with('{') => s.clone(),
            Value::Array(items) => {
                format!(
                    "[{}]",
                    items.iter().map(text_of).collect::<Vec<_>>().join(",")
                )
            }
            other => other.to_string(),
        }
    }

    proptest::proptest! {
        #[test]
        fn any_document_is_written_as_go_writes_its_value(v in json()) {
            let doc = format!(r#"{{"values": {}}}"#, text_of(&v));
            // What a parser keeps of it (the last of repeated keys), written by `go_json`.
            let parsed: Value = serde_json::from_str(&doc).unwrap_or_default();
            proptest::prop_assert_eq!(written(&doc), Some(go(&parsed["values"])), "{}", doc);
        }
    }
}
