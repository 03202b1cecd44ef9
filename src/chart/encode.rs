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
    /// Compressing stopped once `stored` passed the size asked for: the revision is larger
    /// (`json` is still the whole JSON's length).
    pub stopped: bool,
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
    /// Read from the text, to be written as Go writes them ([`super::go_text`]).
    Go(&'a super::go_text::GoText),
}

/// Compresses what is written to it until the compressed text passes `stop` bytes, then only
/// takes it in: the size is known to be over, and compressing at level 9 is the slow part.
struct Until {
    gz: GzEncoder<Count<io::Sink>>,
    stop: usize,
    stopped: bool,
}

impl Write for Until {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // In pieces, so that one long string does not go through whole.
        for piece in buf.chunks(64 << 10) {
            if self.stopped {
                break;
            }
            self.gz.write_all(piece)?;
            self.stopped = self.gz.get_ref().bytes > self.stop;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The stored size of a revision with these `values` (the release's, an object) and, when
/// given, the chart's stored parts (`chart_values`: the default values Helm stores with it).
/// Compressing stops once the stored text is over `stop` bytes (see [`Measured::stopped`]).
pub(crate) fn measure(
    values: Config<'_>,
    chart: Option<(&Chart, &Value)>,
    stop: usize,
) -> Measured {
    let sink = Count {
        inner: io::sink(),
        bytes: 0,
    };
    let until = Until {
        gz: GzEncoder::new(sink, Compression::best()),
        // The gzip bytes whose base64 text is over `stop`.
        stop: stop / 4 * 3 + 3,
        stopped: false,
    };
    // Buffered: the encoder costs as much for a write of one byte as for one of 32 KiB.
    let mut json = Count {
        inner: io::BufWriter::with_capacity(64 << 10, until),
        bytes: 0,
    };
    // Writing to a sink through a counting encoder cannot fail.
    let _ = write_release(&mut json, values, chart);
    let raw = json.bytes;
    let (gzip, stopped) = match json.inner.into_inner() {
        Ok(until) => {
            let stopped = until.stopped;
            (until.gz.finish().map_or(0, |count| count.bytes), stopped)
        }
        Err(_) => (0, false),
    };
    Measured {
        json: raw,
        gzip,
        stored: base64_len(gzip),
        stopped,
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
        Config::Go(held) if held.is_filled_object() => {
            out.write_all(br#","config":"#)?;
            held.write(out)?;
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

/// A `float64` as Go writes it: the shortest decimal, in exponent form below 1e-6 and from 1e21,
/// with the exponent's sign and no leading zero (`1e+21`, `1e-7`).
pub(super) fn go_number(out: &mut impl Write, f: f64) -> io::Result<()> {
    let abs = f.abs();
    // Integers (not -0) print the same as integers, without the float formatter.
    if f.fract() == 0.0 && abs < 1e15 && !(f == 0.0 && f.is_sign_negative()) {
        #[allow(clippy::cast_possible_truncation)]
        return write!(out, "{}", f as i64);
    }
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
pub(super) fn go_string(out: &mut impl Write, s: &str) -> io::Result<()> {
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
        let value = json!({ "blob": text });
        let m = measure(Config::Value(&value), None, usize::MAX);
        assert!(m.gzip <= gzip_bound(m.json), "{m:?}");
        assert!(m.gzip > m.json * 7 / 10, "{m:?}");
        assert_eq!(m.stored, base64_len(m.gzip));
        assert!(!m.stopped);
        // Told to stop at 20,000 stored bytes: over it, short of the whole (the encoder holds
        // some input back), the same JSON.
        let part = measure(Config::Value(&value), None, 20_000);
        assert!(part.stopped, "{part:?}");
        assert!(
            part.stored > 20_000 && part.stored < m.stored * 3 / 4,
            "{part:?} of {m:?}"
        );
        assert_eq!(part.json, m.json);
    }
}
