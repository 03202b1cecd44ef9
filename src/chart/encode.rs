//! The size of a revision as Helm stores it.
//!
//! Helm 3's Secret driver (`pkg/storage/driver/util.go`, `encodeRelease`; `secrets.go`) writes
//! each revision as `base64(gzip(json.Marshal(release)))`, gzip at `BestCompression`, into the
//! `release` key of one Secret; Kubernetes refuses a Secret whose data exceed 1 MiB
//! (1,048,576 bytes, counted on the stored base64 text). The JSON is Go's `encoding/json` of
//! `release.Release`: the user's values under `config` (decoded from the API's JSON into Go
//! values, so numbers are `float64`), the chart's own parts under `chart` (metadata, lock,
//! templates, default values, schema, files; file contents as base64; subcharts are not
//! stored), the rendered manifests, and a few fields of metadata. Go writes maps with sorted
//! keys and escapes `<`, `>`, `&`, U+2028 and U+2029.
//!
//! This module writes the same JSON (less the manifests, which only rendering the templates
//! would give) into a gzip encoder at level 9 and counts the bytes, never holding the
//! compressed text. The deflate implementation is not Go's, so the count is Helm's within a few
//! per cent (see `docs/chart-aware.md`); the verdicts leave room for that.

use std::io::{self, Write};

use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::Value;

use super::Chart;

/// Counts what is written through it.
struct Count<W> {
    inner: W,
    bytes: usize,
}

impl<W: Write> Write for Count<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// What the stored revision measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Measured {
    /// The JSON, in bytes.
    pub json: usize,
    /// The gzipped JSON, in bytes.
    pub gzip: usize,
    /// The base64 text of the gzipped JSON: what counts against the Secret's limit.
    pub stored: usize,
}

/// The length of the base64 text of `n` bytes (with padding).
pub(crate) const fn base64_len(n: usize) -> usize {
    n.div_ceil(3) * 4
}

/// The most a gzip stream of `n` bytes of input can take at level 9: deflate falls back to
/// stored blocks (5 bytes per 65,535) when compressing does not pay, plus the gzip header and
/// trailer. Used to skip measuring what cannot reach the limit.
pub(crate) const fn gzip_bound(n: usize) -> usize {
    n + 5 * n.div_ceil(16_000) + 64
}

/// The release's values, as the size check has them.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Config<'a> {
    /// Built (an object).
    Value(&'a Value),
    /// Already written as Go writes them ([`go_json_member`]).
    Go(&'a [u8]),
}

/// The stored size of a revision with these `values` (the release's, an object) and, when
/// given, the chart's stored parts (`chart_values`: the default values Helm stores with it).
pub(crate) fn measure(values: Config<'_>, chart: Option<(&Chart, &Value)>) -> Measured {
    let sink = Count {
        inner: io::sink(),
        bytes: 0,
    };
    let gz = GzEncoder::new(sink, Compression::best());
    let mut json = Count {
        inner: gz,
        bytes: 0,
    };
    // Writing to a sink through a counting encoder cannot fail.
    let _ = write_release(&mut json, values, chart);
    let raw = json.bytes;
    let gzip = match json.inner.finish() {
        Ok(count) => count.bytes,
        Err(_) => 0,
    };
    Measured {
        json: raw,
        gzip,
        stored: base64_len(gzip),
    }
}

/// The JSON of the release record, as Go's `encoding/json` writes `release.Release` (fields in
/// struct order), less the manifests.
fn write_release(
    out: &mut impl Write,
    values: Config<'_>,
    chart: Option<(&Chart, &Value)>,
) -> io::Result<()> {
    out.write_all(br#"{"name":"release-name","info":{"first_deployed":"2006-01-02T15:04:05.999999999Z","last_deployed":"2006-01-02T15:04:05.999999999Z","deleted":"0001-01-01T00:00:00Z","description":"Install complete","status":"deployed"}"#)?;
    if let Some((chart, defaults)) = chart {
        let stored = chart.stored();
        out.write_all(br#","chart":{"metadata":"#)?;
        go_json(out, &stored.metadata)?;
        out.write_all(br#","lock":"#)?;
        match &stored.lock {
            Some(lock) => go_json(out, lock)?,
            None => out.write_all(b"null")?,
        }
        out.write_all(br#","templates":"#)?;
        files(out, &stored.templates)?;
        out.write_all(br#","values":"#)?;
        go_json(out, defaults)?;
        out.write_all(br#","schema":"#)?;
        match &stored.schema {
            Some(bytes) => {
                out.write_all(b"\"")?;
                base64(out, bytes)?;
                out.write_all(b"\"")?;
            }
            None => out.write_all(b"null")?,
        }
        out.write_all(br#","files":"#)?;
        files(out, &stored.files)?;
        out.write_all(b"}")?;
    }
    match values {
        Config::Value(values) if values.as_object().is_some_and(|m| !m.is_empty()) => {
            out.write_all(br#","config":"#)?;
            go_json(out, values)?;
        }
        Config::Go(text) if text.starts_with(b"{") && text != b"{}" => {
            out.write_all(br#","config":"#)?;
            out.write_all(text)?;
        }
        _ => {}
    }
    out.write_all(br#","version":1,"namespace":"default"}"#)
}

fn files(out: &mut impl Write, files: &[(String, Vec<u8>)]) -> io::Result<()> {
    if files.is_empty() {
        return out.write_all(b"null");
    }
    out.write_all(b"[")?;
    for (i, (name, data)) in files.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(br#"{"name":"#)?;
        go_string(out, name)?;
        out.write_all(br#","data":""#)?;
        base64(out, data)?;
        out.write_all(b"\"}")?;
    }
    out.write_all(b"]")
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding, as Go writes a `[]byte` in JSON.
fn base64(out: &mut impl Write, data: &[u8]) -> io::Result<()> {
    let mut buf = Vec::with_capacity(base64_len(data.len().min(48 << 10)));
    for chunk in data.chunks(48 << 10) {
        buf.clear();
        for group in chunk.chunks(3) {
            let b = [
                group[0],
                group.get(1).copied().unwrap_or(0),
                group.get(2).copied().unwrap_or(0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
                if i <= group.len() {
                    buf.push(ALPHABET[((n >> shift) & 63) as usize]);
                } else {
                    buf.push(b'=');
                }
            }
        }
        out.write_all(&buf)?;
    }
    Ok(())
}

/// A value as Go's `encoding/json` writes the `interface{}` it decoded from JSON: maps with
/// sorted keys, numbers as `float64`, HTML-safe strings. Iterative, so any depth is safe.
pub(crate) fn go_json(out: &mut impl Write, value: &Value) -> io::Result<()> {
    /// An array or object being written: what is left of it (an object's members sorted by
    /// key, one pointer pair each, never a step per member).
    enum Frame<'v> {
        Array(std::slice::Iter<'v, Value>, bool),
        Object(std::vec::IntoIter<(&'v String, &'v Value)>, bool),
    }
    let mut stack: Vec<Frame<'_>> = Vec::new();
    let mut next = Some(value);
    loop {
        if let Some(value) = next.take() {
            match value {
                Value::Null => out.write_all(b"null")?,
                Value::Bool(b) => out.write_all(if *b { b"true" } else { b"false" })?,
                Value::Number(n) => go_number(out, n.as_f64().unwrap_or(0.0))?,
                Value::String(s) => go_string(out, s)?,
                Value::Array(items) => {
                    out.write_all(b"[")?;
                    stack.push(Frame::Array(items.iter(), true));
                }
                Value::Object(map) => {
                    out.write_all(b"{")?;
                    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
                    stack.push(Frame::Object(entries.into_iter(), true));
                }
            }
        }
        let Some(top) = stack.last_mut() else {
            return Ok(());
        };
        match top {
            Frame::Array(items, first) => match items.next() {
                Some(item) => {
                    if !std::mem::take(first) {
                        out.write_all(b",")?;
                    }
                    next = Some(item);
                }
                None => {
                    out.write_all(b"]")?;
                    stack.pop();
                }
            },
            Frame::Object(members, first) => match members.next() {
                Some((key, item)) => {
                    if !std::mem::take(first) {
                        out.write_all(b",")?;
                    }
                    go_string(out, key)?;
                    out.write_all(b":")?;
                    next = Some(item);
                }
                None => {
                    out.write_all(b"}")?;
                    stack.pop();
                }
            },
        }
    }
}

/// Go's JSON of the member `member` of the object `text` is a document of (a repeated key: the
/// last), written without building it: the size check's way to `values` the walk did not build.
/// Keys are sorted object by object, as Go sorts them; each object's members are noted as
/// offsets into the output (12 bytes a member) and put in order once the object is read, so
/// the memory taken is about twice the text written and never a `serde_json::Value` a value.
/// `None` when the text is not such a document (the walk has reported it) or nests deeper than
/// `serde_json` reads (128 levels).
pub(crate) fn go_json_member(text: &str, member: &str) -> Option<Vec<u8>> {
    let mut de = serde_json::Deserializer::from_str(text);
    let mut out = Vec::new();
    let found = de::DeserializeSeed::deserialize(
        Find {
            member,
            out: &mut out,
        },
        &mut de,
    )
    .ok()?;
    found.then_some(out)
}

use serde::de;

/// Finds the member of the root object and writes it with [`Go`].
struct Find<'m, 'o> {
    member: &'m str,
    out: &'o mut Vec<u8>,
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
                self.out.clear();
                map.next_value_seed(Go { out: self.out })?;
                found = true;
            } else {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// Writes the value read as Go's `encoding/json` writes it (see [`go_json`]).
struct Go<'o> {
    out: &'o mut Vec<u8>,
}

impl<'de> de::DeserializeSeed<'de> for Go<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> de::Visitor<'de> for Go<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        // As Go decodes any JSON number: a float64.
        #[allow(clippy::cast_precision_loss)]
        let _ = go_number(self.out, v as f64);
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        #[allow(clippy::cast_precision_loss)]
        let _ = go_number(self.out, v as f64);
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        let _ = go_number(self.out, v);
        Ok(())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        let _ = go_string(self.out, v);
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.out.push(b'[');
        let mut first = true;
        loop {
            if !first {
                self.out.push(b',');
            }
            if seq.next_element_seed(Go { out: self.out })?.is_none() {
                if !first {
                    self.out.pop();
                }
                break;
            }
            first = false;
        }
        self.out.push(b']');
        Ok(())
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // Each member as it is read: its key (decoded) and then its value (written), in place;
        // `(key, value, end)` offsets into `out`. Put in Go's order at the end.
        let start = self.out.len();
        let mut members: Vec<[u32; 3]> = Vec::new();
        let offset =
            |n: usize| u32::try_from(n - start).map_err(|_| de::Error::custom("too large"));
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let k = offset(self.out.len())?;
            self.out.extend_from_slice(key.as_bytes());
            let v = offset(self.out.len())?;
            map.next_value_seed(Go { out: self.out })?;
            let end = offset(self.out.len())?;
            members.push([k, v, end]);
        }
        let region = self.out.split_off(start);
        let slice = |from: u32, to: u32| &region[from as usize..to as usize];
        // Sorted by key; of a repeated key, the last (the sort is stable).
        members.sort_by(|a, b| slice(a[0], a[1]).cmp(slice(b[0], b[1])));
        let mut kept: Vec<[u32; 3]> = Vec::with_capacity(members.len());
        for m in members {
            match kept.last_mut() {
                Some(last) if slice(last[0], last[1]) == slice(m[0], m[1]) => *last = m,
                _ => kept.push(m),
            }
        }
        self.out.push(b'{');
        for (i, [k, v, end]) in kept.into_iter().enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            let key = std::str::from_utf8(slice(k, v)).unwrap_or_default();
            let _ = go_string(self.out, key);
            self.out.push(b':');
            self.out.extend_from_slice(slice(v, end));
        }
        self.out.push(b'}');
        Ok(())
    }
}

/// A `float64` as Go writes it: the shortest decimal, in exponent form below 1e-6 and from 1e21,
/// with the exponent's sign and no leading zero (`1e+21`, `1e-7`).
fn go_number(out: &mut impl Write, f: f64) -> io::Result<()> {
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let text = format!("{f:e}");
        match text.split_once('e') {
            Some((mantissa, exp)) if !exp.starts_with('-') => write!(out, "{mantissa}e+{exp}"),
            _ => out.write_all(text.as_bytes()),
        }
    } else {
        write!(out, "{f}")
    }
}

/// A string as Go writes it with HTML escaping on.
fn go_string(out: &mut impl Write, s: &str) -> io::Result<()> {
    out.write_all(b"\"")?;
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let escape: Option<&[u8]> = match b {
            b'"' => Some(b"\\\""),
            b'\\' => Some(b"\\\\"),
            b'\n' => Some(b"\\n"),
            b'\r' => Some(b"\\r"),
            b'\t' => Some(b"\\t"),
            0x08 => Some(b"\\b"),
            0x0c => Some(b"\\f"),
            b'<' => Some(b"\\u003c"),
            b'>' => Some(b"\\u003e"),
            b'&' => Some(b"\\u0026"),
            0xE2 if bytes.get(i + 1) == Some(&0x80)
                && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)) =>
            {
                Some(if bytes[i + 2] == 0xA8 {
                    b"\\u2028"
                } else {
                    b"\\u2029"
                })
            }
            _ => None,
        };
        if let Some(escape) = escape {
            out.write_all(&bytes[start..i])?;
            out.write_all(escape)?;
            i += if b == 0xE2 { 3 } else { 1 };
            start = i;
        } else if b < 0x20 {
            out.write_all(&bytes[start..i])?;
            write!(out, "\\u{:04x}", b)?;
            i += 1;
            start = i;
        } else {
            i += 1;
        }
    }
    out.write_all(&bytes[start..])?;
    out.write_all(b"\"")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text(v: &Value) -> String {
        let mut out = Vec::new();
        let _ = go_json(&mut out, v);
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn writes_json_as_go_does() {
        assert_eq!(
            text(&json!({"b": [1, 2.5, "<a&b>"], "a": {"z": null, "y": true}})),
            r#"{"a":{"y":true,"z":null},"b":[1,2.5,"\u003ca\u0026b\u003e"]}"#
        );
        assert_eq!(text(&json!(1e21)), "1e+21");
        assert_eq!(text(&json!(1e20)), "100000000000000000000");
        assert_eq!(text(&json!(0.0000001)), "1e-7");
        assert_eq!(text(&json!(0.000001)), "0.000001");
        assert_eq!(text(&json!(-1.5e-9)), "-1.5e-9");
        assert_eq!(text(&json!(9007199254740993u64)), "9007199254740992");
        assert_eq!(
            text(&json!("a\u{2028}b\u{1}\u{7f}é")),
            "\"a\\u2028b\\u0001\u{7f}é\""
        );
    }

    #[test]
    fn from_text_as_from_the_value() {
        let doc = r#"{"a": 1, "values": {"b": [1, 2.5e-7, "<a&b>", {"z": null, "y": true}],
            "a": {"k": 1, "é": 2, "k": 3, "<": 4}, "\u0041": "\u2028"}, "z": [{"values": 1}]}"#;
        let parsed: Value = serde_json::from_str(doc).unwrap_or_default();
        let from_value = text(&parsed["values"]);
        let from_text = go_json_member(doc, "values").unwrap_or_default();
        assert_eq!(String::from_utf8(from_text).unwrap_or_default(), from_value);
        assert!(
            from_value.contains(r#""a":{"\u003c":4,"k":3,"é":2}"#),
            "{from_value}"
        );
        // The last of a repeated member; none, or no object.
        let twice = r#"{"values": {"a": 1}, "values": {"b": 2}}"#;
        assert_eq!(
            go_json_member(twice, "values"),
            Some(br#"{"b":2}"#.to_vec())
        );
        assert_eq!(go_json_member(r#"{"v": 1}"#, "values"), None);
        assert_eq!(go_json_member("[1]", "values"), None);
        assert_eq!(go_json_member(r#"{"values": {"a": }"#, "values"), None);
    }

    #[test]
    fn base64_as_go_writes_bytes() {
        for (data, expected) in [
            (&b""[..], ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
        ] {
            let mut out = Vec::new();
            let _ = base64(&mut out, data);
            assert_eq!(out, expected.as_bytes());
            assert_eq!(base64_len(data.len()), expected.len());
        }
    }

    #[test]
    fn the_bound_holds_for_incompressible_data() {
        // A deterministic pseudo-random string: gzip cannot shrink it.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let text: String = (0..200_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                char::from(b'!' + (x % 90) as u8)
            })
            .collect();
        let m = measure(Config::Value(&json!({ "blob": text })), None);
        assert!(m.gzip <= gzip_bound(m.json), "{m:?}");
        assert!(m.gzip > m.json * 7 / 10, "{m:?}");
        assert_eq!(m.stored, base64_len(m.gzip));
    }
}
