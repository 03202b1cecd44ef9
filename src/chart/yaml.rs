//! `values.yaml` and `Chart.yaml` read as Helm 3 reads them, into JSON values.
//!
//! Helm reads YAML with `sigs.k8s.io/yaml`, which parses with go-yaml v2 (YAML 1.1 scalars)
//! and converts to JSON. So plain scalars resolve as go-yaml v2's table does (`resolve.go`):
//! `y`, `yes`, `on`, `true` (any of the three spellings of case) are `true`, `n`, `no`, `off`,
//! `false` are `false`, `~`, `null` and an empty value are `null`; integers in Go's syntax with
//! `_` removed (`0x1F`, `0o17`, `017` octal, `0b101`), then floats of the form
//! `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`; anything else (timestamps included)
//! is a string. Quoted and block scalars are strings; `!!str`, `!!int`, `!!float`, `!!bool`,
//! `!!null` tags are honoured. Keys become strings (`true`, `1`, `1.5`); a `null`, map or list
//! key is an error, as is `.inf` or `.nan` (JSON has no such number). Anchors and aliases are
//! expanded (within a node budget, so an alias bomb is an error, not a hang), and `<<` merges
//! maps as go-yaml v2 does (in order: later keys win). Only the first document is read.
//!
//! Events come from `saphyr-parser` (YAML 1.2 syntax, which for the documents charts hold reads
//! as 1.1 does); resolution is ours.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};
use serde_json::{Map, Number, Value};

/// The deepest nesting of maps and lists accepted.
const MAX_DEPTH: usize = 128;

/// What reading a document can refuse.
pub(super) type Result<T> = std::result::Result<T, String>;

enum Frame {
    Seq {
        items: Vec<Value>,
        anchor: usize,
    },
    Map {
        map: Map<String, Value>,
        key: Option<Key>,
        anchor: usize,
    },
}

/// A key waiting for its value.
enum Key {
    Text(String),
    /// `<<`: the value is merged.
    Merge,
}

/// The first document of `text` as a JSON value (`None` for an empty document). `budget` is the
/// most nodes the document may expand to (aliases included).
pub(super) fn document(text: &str, budget: usize) -> Result<Option<Value>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, (Value, usize)> = HashMap::new();
    let mut nodes: usize = 0;
    let mut root: Option<Value> = None;
    let mut started = false;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| format!("invalid YAML: {e}"))?;
        let line = span.start.line();
        let value = match event {
            Event::DocumentStart(_) => {
                if started {
                    break;
                }
                started = true;
                continue;
            }
            Event::DocumentEnd | Event::StreamEnd => {
                if root.is_some() || started && stack.is_empty() {
                    break;
                }
                continue;
            }
            Event::StreamStart | Event::Nothing => continue,
            Event::SequenceStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(format!(
                        "nesting deeper than {MAX_DEPTH} levels (line {line})"
                    ));
                }
                stack.push(Frame::Seq {
                    items: Vec::new(),
                    anchor,
                });
                continue;
            }
            Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(format!(
                        "nesting deeper than {MAX_DEPTH} levels (line {line})"
                    ));
                }
                stack.push(Frame::Map {
                    map: Map::new(),
                    key: None,
                    anchor,
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, anchor) = match stack.pop() {
                    Some(Frame::Seq { items, anchor }) => (Value::Array(items), anchor),
                    Some(Frame::Map { map, anchor, .. }) => (Value::Object(map), anchor),
                    None => return Err(format!("unbalanced YAML (line {line})")),
                };
                if anchor > 0 {
                    let weight = weight(&value);
                    anchors.insert(anchor, (value.clone(), weight));
                }
                value
            }
            Event::Alias(id) => {
                let Some((value, weight)) = anchors.get(&id) else {
                    return Err(format!("an alias to an unknown anchor (line {line})"));
                };
                nodes = nodes.saturating_add(*weight);
                if nodes > budget {
                    return Err(format!(
                        "aliases expand to more than {budget} values (line {line})"
                    ));
                }
                value.clone()
            }
            Event::Scalar(text, style, anchor, tag) => {
                let is_key = matches!(stack.last(), Some(Frame::Map { key: None, .. }));
                if is_key {
                    let key = key_of(&text, style, tag.as_deref())
                        .map_err(|e| format!("{e} (line {line})"))?;
                    if let Some(Frame::Map { key: slot, .. }) = stack.last_mut() {
                        *slot = Some(key);
                    }
                    nodes += 1;
                    continue;
                }
                let value = scalar(&text, style, tag.as_deref())
                    .map_err(|e| format!("{e} (line {line})"))?;
                if anchor > 0 {
                    anchors.insert(anchor, (value.clone(), 1));
                }
                value
            }
        };
        nodes += 1;
        if nodes > budget {
            return Err(format!("more than {budget} values (line {line})"));
        }
        // Place the finished value in its parent.
        match stack.last_mut() {
            None => {
                root = Some(value);
            }
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map { map, key, .. }) => match key.take() {
                None => {
                    return Err(format!(
                        "a map or a list as a key, which JSON cannot hold (line {line})"
                    ));
                }
                Some(Key::Text(k)) => {
                    map.insert(k, value);
                }
                Some(Key::Merge) => merge(map, value).map_err(|e| format!("{e} (line {line})"))?,
            },
        }
    }
    Ok(root)
}

/// The number of values in `value`.
fn weight(value: &Value) -> usize {
    let mut n = 0;
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        n += 1;
        match v {
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    n
}

/// go-yaml v2's `<<`: a map, or a list of maps (the first wins), set into `map`.
fn merge(map: &mut Map<String, Value>, value: Value) -> Result<()> {
    match value {
        Value::Object(source) => {
            for (k, v) in source {
                map.insert(k, v);
            }
            Ok(())
        }
        Value::Array(items) => {
            for item in items.into_iter().rev() {
                match item {
                    Value::Object(source) => {
                        for (k, v) in source {
                            map.insert(k, v);
                        }
                    }
                    _ => return Err("`<<` merges maps, or a list of maps".to_owned()),
                }
            }
            Ok(())
        }
        _ => Err("`<<` merges maps, or a list of maps".to_owned()),
    }
}

fn core_tag(tag: Option<&Tag>) -> Option<&str> {
    let tag = tag?;
    if tag.is_yaml_core_schema() || tag.handle == "!!" {
        Some(tag.suffix.as_str())
    } else {
        None
    }
}

/// A key: resolved as a value, then written as `sigs.k8s.io/yaml` writes keys.
fn key_of(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Result<Key> {
    if style == ScalarStyle::Plain && tag.is_none() && text == "<<" {
        return Ok(Key::Merge);
    }
    match scalar(text, style, tag)? {
        Value::String(s) => Ok(Key::Text(s)),
        Value::Bool(b) => Ok(Key::Text(b.to_string())),
        Value::Number(n) => Ok(Key::Text(match n.as_f64() {
            Some(f) if n.is_f64() => go_float_key(f),
            _ => n.to_string(),
        })),
        _ => Err("a `null` key, which JSON cannot hold".to_owned()),
    }
}

/// A float key as `strconv.FormatFloat(f, 'g', -1, 32)` writes it, for the common cases.
fn go_float_key(f: f64) -> String {
    #[allow(clippy::cast_possible_truncation)]
    let f = f as f32;
    let plain = format!("{f}");
    if (1e-4..1e21).contains(&f.abs()) || f == 0.0 {
        plain
    } else {
        format!("{f:e}")
    }
}

/// A scalar value, resolved as go-yaml v2 resolves it.
fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Result<Value> {
    if let Some(tag) = core_tag(tag) {
        return match tag {
            "str" | "binary" | "timestamp" => Ok(Value::String(text.to_owned())),
            "null" => Ok(Value::Null),
            "bool" => match plain(text)? {
                v @ Value::Bool(_) => Ok(v),
                _ => Err(format!("`{}` is not a boolean", short(text))),
            },
            "int" => match plain(text)? {
                v @ Value::Number(_) if !text.contains('.') => Ok(v),
                _ => Err(format!("`{}` is not an integer", short(text))),
            },
            "float" => match plain(text)? {
                Value::Number(n) => Ok(Value::Number(
                    Number::from_f64(n.as_f64().unwrap_or(0.0)).unwrap_or(n),
                )),
                _ => Err(format!("`{}` is not a number", short(text))),
            },
            _ => Ok(Value::String(text.to_owned())),
        };
    }
    if tag.is_some() || style != ScalarStyle::Plain {
        return Ok(Value::String(text.to_owned()));
    }
    plain(text)
}

fn short(text: &str) -> String {
    text.chars().take(32).collect()
}

/// A plain scalar, by go-yaml v2's resolve table.
fn plain(text: &str) -> Result<Value> {
    Ok(match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Value::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Value::Bool(false)
        }
        ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF"
        | "-.inf" | "-.Inf" | "-.INF" => {
            return Err(format!(
                "`{text}` is not a number JSON can hold (Helm cannot convert it either)"
            ));
        }
        _ => {
            let first = text.as_bytes()[0];
            if first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.') {
                number(text).unwrap_or_else(|| Value::String(text.to_owned()))
            } else {
                Value::String(text.to_owned())
            }
        }
    })
}

/// Go's `strconv.ParseInt(s, 0, 64)`, then `ParseUint`, then a YAML-style float, with `_`
/// removed first.
fn number(text: &str) -> Option<Value> {
    let plain: String = text.chars().filter(|&c| c != '_').collect();
    if let Some(v) = go_int(&plain) {
        return Some(v);
    }
    if is_yaml_float(&plain) {
        let f: f64 = plain.parse().ok()?;
        return Number::from_f64(f).map(Value::Number);
    }
    None
}

fn go_int(s: &str) -> Option<Value> {
    let (negative, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, body) = if let Some(rest) = digits.strip_prefix("0x").or(digits.strip_prefix("0X"))
    {
        (16, rest)
    } else if let Some(rest) = digits.strip_prefix("0o").or(digits.strip_prefix("0O")) {
        (8, rest)
    } else if let Some(rest) = digits.strip_prefix("0b").or(digits.strip_prefix("0B")) {
        (2, rest)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(body, radix).ok()?;
    if negative {
        if magnitude <= i64::MAX as u64 + 1 {
            Some(Value::from((magnitude as i128).wrapping_neg() as i64))
        } else {
            None
        }
    } else {
        Some(Value::from(magnitude))
    }
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(text: &str) -> Value {
        document(text, 10_000)
            .unwrap_or_else(|e| Some(json!({"error": e})))
            .unwrap_or(Value::Null)
    }

    #[test]
    fn scalars_resolve_as_go_yaml_v2() {
        let v = read(
            "a: yes\nb: No\nc: on\nd: ~\ne:\nf: 0x1F\ng: 017\nh: 08\ni: 1_000\nj: 1e3\nk: .5\n\
             l: '1'\nm: \"yes\"\nw: 2001-12-14\no: +12\np: -0b101\nq: !!str 12\nr: 1.0\ns: abc\n\
             t: 0o17\nu: 18446744073709551615\nv: 1.",
        );
        assert_eq!(
            v,
            json!({"a": true, "b": false, "c": true, "d": null, "e": null, "f": 31, "g": 15,
                   "h": 8.0, "i": 1000, "j": 1000.0, "k": 0.5, "l": "1", "m": "yes",
                   "w": "2001-12-14", "o": 12, "p": -5, "q": "12", "r": 1.0, "s": "abc",
                   "t": 15, "u": 18446744073709551615u64, "v": 1.0})
        );
    }

    #[test]
    fn keys_become_strings() {
        assert_eq!(
            read("on: 1\n2: b\n1.5: c\n"),
            json!({"true": 1, "2": "b", "1.5": "c"})
        );
        assert!(document("~: 1\n", 100).is_err());
        assert!(document("[a]: 1\n", 100).is_err());
    }

    #[test]
    fn anchors_aliases_and_merges() {
        let v = read("base: &b {x: 1, z: 2}\nuse:\n  <<: *b\n  z: 3\nlist: [*b]\n");
        assert_eq!(
            v,
            json!({"base": {"x": 1, "z": 2}, "use": {"x": 1, "z": 3}, "list": [{"x": 1, "z": 2}]})
        );
        // go-yaml v2 reads `y` and `n` as booleans, keys included (a Helm quirk).
        assert_eq!(read("y: 1\nn: 2\n"), json!({"true": 1, "false": 2}));
    }

    #[test]
    fn alias_bombs_stop_at_the_budget() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let err = document(&text, 100_000).err().unwrap_or_default();
        assert!(err.contains("expand"), "{err}");
    }

    #[test]
    fn infinities_deep_nesting_and_documents() {
        assert!(document("a: .inf\n", 100).is_err());
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(document(&deep, 100_000).is_err());
        assert_eq!(read("a: 1\n---\nb: 2\n"), json!({"a": 1}));
        assert_eq!(document("# nothing\n", 100), Ok(None));
        assert_eq!(read("\u{feff}a: 1"), json!({"a": 1}));
    }
}
