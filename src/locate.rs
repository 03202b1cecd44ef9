//! JSON Pointer ⇄ position in the source text, and duplicate keys.
//!
//! The parser builds a `serde_json::Value`, which has no positions; keeping them for every node
//! would tax every valid payload. Instead, only when there are findings, this module walks the
//! text again with a small scanner that follows a pointer to the member or value it names.
//! The scanner is iterative (no recursion, whatever the nesting), never indexes out of bounds,
//! and gives up (`None`) on text that is not well-formed rather than guessing.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::message::{pointer_tokens, push_token};

/// What in the text a pointer should resolve to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// The first character of the value.
    Value,
    /// The opening quote of the member's key (the value when the parent is an array).
    Key,
}

/// A 1-based line and a 1-based column counted in characters (the reference [`line_cols`]
/// is tested against).
#[cfg(test)]
pub(crate) fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (saturate(line), saturate(column))
}

/// The byte offset of a 1-based line and a 1-based byte column (as serde_json reports them),
/// clamped to the text.
pub(crate) fn offset_of(text: &str, line: usize, byte_column: usize) -> usize {
    let mut start = 0;
    if line > 1 {
        match text
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .nth(line - 2)
        {
            Some((i, _)) => start = i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    floor_char_boundary(text, (start + byte_column.saturating_sub(1)).min(line_end))
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The byte offset of what `pointer` names in `text`, or `None` when the text has no such place.
/// Of duplicate keys the last one counts, as it does for the parsed value; when the text is
/// known to have no duplicate key (`unique_keys`), the search stops at the first match.
pub(crate) fn find(text: &str, pointer: &str, target: Target, unique_keys: bool) -> Option<usize> {
    let tokens = pointer_tokens(pointer);
    let mut s = Scanner::new(text);
    s.skip_ws();
    for (i, token) in tokens.iter().enumerate() {
        let last = i + 1 == tokens.len();
        match s.peek()? {
            b'{' => {
                s.pos += 1;
                let mut found = None;
                s.skip_ws();
                if s.peek()? == b'}' {
                    return None;
                }
                loop {
                    s.skip_ws();
                    let key_start = s.pos;
                    let key = s.string()?;
                    s.skip_ws();
                    s.expect(b':')?;
                    s.skip_ws();
                    if key == *token {
                        found = Some((key_start, s.pos));
                        if unique_keys {
                            break;
                        }
                    }
                    s.skip_value()?;
                    s.skip_ws();
                    match s.next()? {
                        b',' => continue,
                        b'}' => break,
                        _ => return None,
                    }
                }
                let (key_start, value_start) = found?;
                if last && target == Target::Key {
                    return Some(key_start);
                }
                s.pos = value_start;
            }
            b'[' => {
                let index: usize = token.parse().ok()?;
                s.pos += 1;
                s.skip_ws();
                if s.peek()? == b']' {
                    return None;
                }
                for _ in 0..index {
                    s.skip_value()?;
                    s.skip_ws();
                    s.expect(b',')?;
                    s.skip_ws();
                }
            }
            _ => return None,
        }
    }
    s.skip_ws();
    Some(s.pos)
}

/// Lines and columns of many byte offsets, in one pass over the text however many there are.
pub(crate) fn line_cols(text: &str, offsets: &[usize]) -> Vec<(u32, u32)> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let bytes = text.as_bytes();
    let mut out = vec![(1, 1); offsets.len()];
    // Up to `scanned`: the line number, and the characters since the line's start.
    let (mut line, mut chars, mut scanned) = (1usize, 0usize, 0usize);
    for i in order {
        let offset = floor_char_boundary(text, offsets[i].min(text.len()));
        if offset > scanned {
            for &b in &bytes[scanned..offset] {
                if b == b'\n' {
                    line += 1;
                    chars = 0;
                } else if b & 0xC0 != 0x80 {
                    // Not a UTF-8 continuation byte: a character starts here.
                    chars += 1;
                }
            }
            scanned = offset;
        }
        out[i] = (saturate(line), saturate(chars + 1));
    }
    out
}

/// A member whose key repeats an earlier key of the same object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Duplicate {
    /// Pointer of the member.
    pub pointer: String,
    /// Byte offset of the repeated key's opening quote.
    pub offset: usize,
}

/// What one walk over the text found.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// For each request, what [`find`] gives for it.
    pub offsets: Vec<Option<usize>>,
    /// Every repeated key, in text order (only when asked for).
    pub duplicates: Vec<Duplicate>,
}

/// One walk over the text that resolves many pointers (what [`find`] gives for each) and, when
/// `want_duplicates`, finds every repeated key. Without duplicates to find, subtrees that no
/// pointer goes into are skipped unread, and the walk stops once every pointer is resolved
/// (when the keys are known to be unique). Iterative: an explicit stack, not recursion.
pub(crate) fn scan<'t>(
    text: &'t str,
    requests: &[(&str, Target)],
    unique_keys: bool,
    want_duplicates: bool,
) -> Scan {
    struct Frame<'t> {
        object: bool,
        base: usize,
        index: usize,
        alive: Vec<usize>,
        keys: KeySet<'t>,
    }

    let mut out = Scan {
        offsets: vec![None; requests.len()],
        duplicates: Vec::new(),
    };
    let mut remaining = requests.len();
    let everything: Vec<usize> = (0..requests.len()).collect();
    type Index<'r> = (HashMap<&'r str, Vec<usize>>, HashSet<&'r str>);
    let index: Option<Index<'_>> = (requests.len() > 32).then(|| {
        let mut exact: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut ancestors = HashSet::new();
        for (i, (wanted, _)) in requests.iter().enumerate() {
            exact.entry(*wanted).or_default().push(i);
            for (at, _) in wanted.match_indices('/') {
                ancestors.insert(&wanted[..at]);
            }
        }
        (exact, ancestors)
    });
    let mut stack: Vec<Frame<'t>> = Vec::new();
    let mut pointer = String::new();
    let mut key_offset: Option<usize> = None;
    let mut s = Scanner::new(text);

    // Reads the next member's key into `pointer`, recording it if it repeats.
    let member = |s: &mut Scanner<'t>,
                  frame: &mut Frame<'t>,
                  pointer: &mut String,
                  key_offset: &mut Option<usize>,
                  duplicates: &mut Vec<Duplicate>|
     -> Option<()> {
        s.skip_ws();
        let offset = s.pos;
        let key = s.string()?;
        s.skip_ws();
        s.expect(b':')?;
        push_token(pointer, &key);
        *key_offset = Some(offset);
        if want_duplicates && !frame.keys.insert(key) {
            duplicates.push(Duplicate {
                pointer: pointer.clone(),
                offset,
            });
        }
        Some(())
    };

    'values: loop {
        s.skip_ws();
        let value_start = s.pos;
        let mut record = |i: usize| {
            if out.offsets[i].is_none() {
                remaining -= 1;
            }
            out.offsets[i] = Some(match (requests[i].1, key_offset) {
                (Target::Key, Some(key)) => key,
                _ => value_start,
            });
        };
        let mut descend = Vec::new();
        let go_in = match &index {
            // Few requests: each container keeps the ones that go into it.
            None => {
                let alive = stack.last().map_or(&everything, |f| &f.alive);
                for &i in alive {
                    let wanted = requests[i].0;
                    if wanted == pointer {
                        record(i);
                    } else if wanted.len() > pointer.len()
                        && wanted.starts_with(pointer.as_str())
                        && wanted.as_bytes()[pointer.len()] == b'/'
                    {
                        descend.push(i);
                    }
                }
                !descend.is_empty()
            }
            // Many requests (a report of thousands of findings): hash lookups, not a scan per value.
            Some((exact, ancestors)) => {
                for &i in exact.get(pointer.as_str()).into_iter().flatten() {
                    record(i);
                }
                ancestors.contains(pointer.as_str())
            }
        };
        if unique_keys && remaining == 0 && !want_duplicates {
            break;
        }
        match s.peek() {
            Some(open @ (b'{' | b'[')) if want_duplicates || go_in => {
                s.pos += 1;
                s.skip_ws();
                let object = open == b'{';
                let mut frame = Frame {
                    object,
                    base: pointer.len(),
                    index: 0,
                    alive: descend,
                    keys: KeySet::default(),
                };
                let close = if object { b'}' } else { b']' };
                let empty = s.peek() == Some(close);
                if !empty {
                    if object {
                        let read = member(
                            &mut s,
                            &mut frame,
                            &mut pointer,
                            &mut key_offset,
                            &mut out.duplicates,
                        );
                        if read.is_none() {
                            break;
                        }
                    } else {
                        pointer.push_str("/0");
                        key_offset = None;
                    }
                }
                stack.push(frame);
                if !empty {
                    continue 'values;
                }
            }
            Some(_) => {
                if s.skip_value().is_none() {
                    break;
                }
            }
            None => break,
        }
        // After a value (or at an empty container's closing bracket): `,` or a close.
        loop {
            s.skip_ws();
            let Some(top) = stack.last_mut() else {
                break 'values;
            };
            pointer.truncate(top.base);
            match s.next() {
                Some(b',') if top.object => {
                    if member(
                        &mut s,
                        top,
                        &mut pointer,
                        &mut key_offset,
                        &mut out.duplicates,
                    )
                    .is_none()
                    {
                        break 'values;
                    }
                    continue 'values;
                }
                Some(b',') => {
                    top.index += 1;
                    pointer.push('/');
                    pointer.push_str(&top.index.to_string());
                    key_offset = None;
                    continue 'values;
                }
                Some(b'}' | b']') => {
                    stack.pop();
                }
                _ => break 'values,
            }
        }
    }
    out
}

/// The keys seen in one object: a list while small (most objects are), a hash set beyond.
#[derive(Default)]
struct KeySet<'t> {
    few: Vec<std::borrow::Cow<'t, str>>,
    many: std::collections::HashSet<std::borrow::Cow<'t, str>>,
}

impl<'t> KeySet<'t> {
    const FEW: usize = 16;

    /// False when the key was already there.
    fn insert(&mut self, key: std::borrow::Cow<'t, str>) -> bool {
        if self.many.is_empty() {
            if self.few.contains(&key) {
                return false;
            }
            if self.few.len() < Self::FEW {
                self.few.push(key);
                return true;
            }
            self.many.extend(self.few.drain(..));
        }
        self.many.insert(key)
    }
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Scanner {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    fn expect(&mut self, c: u8) -> Option<()> {
        (self.next()? == c).then_some(())
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Skips a string starting at its opening quote; returns the raw contents' byte range.
    fn skip_string(&mut self) -> Option<(usize, usize, bool)> {
        self.expect(b'"')?;
        let start = self.pos;
        let mut escaped = false;
        loop {
            match self.next()? {
                b'"' => return Some((start, self.pos - 1, escaped)),
                b'\\' => {
                    escaped = true;
                    self.next()?;
                }
                _ => {}
            }
        }
    }

    /// Reads a string and returns it unescaped.
    fn string(&mut self) -> Option<std::borrow::Cow<'a, str>> {
        let (start, end, escaped) = self.skip_string()?;
        let raw = self.text.get(start..end)?;
        if !escaped {
            return Some(std::borrow::Cow::Borrowed(raw));
        }
        // The quoted text is a JSON string literal: let serde_json unescape it.
        let quoted = self.text.get(start - 1..end + 1)?;
        serde_json::from_str::<String>(quoted)
            .ok()
            .map(std::borrow::Cow::Owned)
    }

    /// Skips one value of any kind, nested containers included, without recursion.
    fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.skip_string().map(|_| ()),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.skip_string()?;
                        }
                        b'{' | b'[' => {
                            depth += 1;
                            self.pos += 1;
                        }
                        b'}' | b']' => {
                            depth -= 1;
                            self.pos += 1;
                            if depth == 0 {
                                return Some(());
                            }
                        }
                        _ => self.pos += 1,
                    }
                }
            }
            _ => {
                let start = self.pos;
                while let Some(c) = self.peek() {
                    if matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                        break;
                    }
                    self.pos += 1;
                }
                (self.pos > start).then_some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "{\n  \"name\": \"koi\",\n  \"values\": {\"a\": [1, {\"b\": \"é\"}], \"a/b\": 2},\n  \"x\": 1, \"x\": 2\n}";

    fn at(pointer: &str, target: Target) -> Option<(u32, u32)> {
        find(TEXT, pointer, target, false).map(|o| line_col(TEXT, o))
    }

    #[test]
    fn finds_values_and_keys() {
        assert_eq!(at("", Target::Value), Some((1, 1)));
        assert_eq!(at("/name", Target::Value), Some((2, 11)));
        assert_eq!(at("/name", Target::Key), Some((2, 3)));
        assert_eq!(at("/values/a/1/b", Target::Value), Some((3, 29)));
        assert_eq!(at("/values/a/0", Target::Key), Some((3, 20)));
        assert_eq!(at("/values/a~1b", Target::Key), Some((3, 36)));
        assert_eq!(
            at("/x", Target::Key),
            Some((4, 11)),
            "the last of duplicates"
        );
        assert_eq!(at("/nope", Target::Value), None);
        assert_eq!(at("/values/a/9", Target::Value), None);
        assert_eq!(at("/name/0", Target::Value), None);
    }

    #[test]
    fn scan_agrees_with_find() {
        let pointers = [
            "",
            "/name",
            "/values",
            "/values/a",
            "/values/a/0",
            "/values/a/1/b",
            "/values/a~1b",
            "/x",
            "/nope",
            "/values/a/9",
            "/name/0",
            "/values/a/1",
        ];
        let mut requests = Vec::new();
        for p in pointers {
            requests.push((p, Target::Value));
            requests.push((p, Target::Key));
        }
        for unique in [false, true] {
            let all = scan(TEXT, &requests, unique, false).offsets;
            for ((p, target), got) in requests.iter().zip(all) {
                if unique && *p == "/x" {
                    continue; // TEXT repeats `x`: with `unique` the first one is found
                }
                assert_eq!(got, find(TEXT, p, *target, unique), "{p} {target:?}");
            }
        }
    }

    #[test]
    fn scan_with_many_requests_agrees_with_find() {
        let members: Vec<String> = (0..100)
            .map(|i| format!("\"k{i}\": [{i}, {{\"x\": {i}}}]"))
            .collect();
        let text = format!("{{{}}}", members.join(", "));
        let pointers: Vec<String> = (0..100)
            .flat_map(|i| [format!("/k{i}"), format!("/k{i}/1/x"), format!("/k{i}/7")])
            .collect();
        let requests: Vec<(&str, Target)> = pointers
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    p.as_str(),
                    if i % 2 == 0 {
                        Target::Key
                    } else {
                        Target::Value
                    },
                )
            })
            .collect();
        let all = scan(&text, &requests, true, false).offsets;
        for ((p, target), got) in requests.iter().zip(all) {
            assert_eq!(got, find(&text, p, *target, true), "{p}");
        }
    }

    #[test]
    fn line_cols_agree_with_line_col() {
        let offsets: Vec<usize> = vec![40, 0, 7, TEXT.len(), 12, 12, 1000];
        let expected: Vec<(u32, u32)> = offsets.iter().map(|&o| line_col(TEXT, o)).collect();
        assert_eq!(line_cols(TEXT, &offsets), expected);
    }

    #[test]
    fn columns_count_characters() {
        let text = "{\"é\": \"ü\", \"k\": 1}";
        assert_eq!(
            find(text, "/k", Target::Value, true).map(|o| line_col(text, o)),
            Some((1, 17))
        );
    }

    #[test]
    fn finds_every_duplicate() {
        let text =
            r#"{"a": 1, "b": {"c": [ {"d": 1, "d": 2} ], "c": 3}, "a": {}, "e\u0061": 0, "ea": 1}"#;
        let found = scan(text, &[("/b/c", Target::Key)], false, true);
        let pointers: Vec<String> = found.duplicates.into_iter().map(|d| d.pointer).collect();
        assert_eq!(pointers, ["/b/c/0/d", "/b/c", "/a", "/ea"]);
        assert_eq!(found.offsets, [find(text, "/b/c", Target::Key, false)]);
    }

    #[test]
    fn survives_malformed_text() {
        for text in [
            "",
            "{",
            "{\"a\"",
            "[1,",
            "{\"a\":}",
            "\"",
            "}",
            "[[[[",
            "{\"a\":1,}",
        ] {
            let _ = scan(text, &[("/a/0", Target::Key)], false, true);
            let _ = find(text, "/a/0", Target::Key, false);
            let _ = find(text, "/a/0", Target::Key, true);
        }
    }

    #[test]
    fn offsets_from_byte_columns() {
        let text = "{\n  \"é\": x\n}";
        assert_eq!(offset_of(text, 2, 9), 10);
        assert_eq!(line_col(text, offset_of(text, 2, 9)), (2, 8));
        assert_eq!(offset_of(text, 9, 1), text.len());
    }
}
