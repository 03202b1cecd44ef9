//! JSON Pointer ⇄ position in the source text, and duplicate keys.
//!
//! The parser builds a `serde_json::Value`, which has no positions; keeping them for every node
//! would tax every valid payload. Instead, only when there are findings, this module walks the
//! text again with a small scanner that follows a pointer to the member or value it names.
//! The scanner is iterative (no recursion, whatever the nesting), never indexes out of bounds,
//! and gives up (`None`) on text that is not well-formed rather than guessing.

use crate::diagnostic::message::{pointer_tokens, push_token};

/// What in the text a pointer should resolve to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// The first character of the value.
    Value,
    /// The opening quote of the member's key (the value when the parent is an array).
    Key,
}

/// A 1-based line and a 1-based column counted in characters.
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
/// Of duplicate keys the last one counts, as it does for the parsed value.
pub(crate) fn find(text: &str, pointer: &str, target: Target) -> Option<usize> {
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

/// A member whose key repeats an earlier key of the same object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Duplicate {
    /// Pointer of the member.
    pub pointer: String,
    /// Byte offset of the repeated key's opening quote.
    pub offset: usize,
}

/// Every repeated key in `text`, in text order. Iterative: an explicit stack, not recursion.
pub(crate) fn duplicates(text: &str) -> Vec<Duplicate> {
    enum Frame {
        Object {
            base: usize,
            keys: std::collections::HashSet<String>,
        },
        Array {
            base: usize,
            index: usize,
        },
    }

    let mut found = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut pointer = String::new();
    let mut s = Scanner::new(text);

    // Reads `"key" :` inside the object on top of the stack and records a repeat.
    let member = |s: &mut Scanner<'_>,
                  stack: &mut Vec<Frame>,
                  pointer: &mut String,
                  found: &mut Vec<Duplicate>|
     -> Option<()> {
        s.skip_ws();
        let offset = s.pos;
        let key = s.string()?;
        s.skip_ws();
        s.expect(b':')?;
        if let Some(Frame::Object { base, keys }) = stack.last_mut() {
            pointer.truncate(*base);
            push_token(pointer, &key);
            if !keys.insert(key.into_owned()) {
                found.push(Duplicate {
                    pointer: pointer.clone(),
                    offset,
                });
            }
        }
        Some(())
    };

    'values: loop {
        s.skip_ws();
        let Some(c) = s.peek() else { break };
        match c {
            b'{' => {
                s.pos += 1;
                s.skip_ws();
                stack.push(Frame::Object {
                    base: pointer.len(),
                    keys: Default::default(),
                });
                if s.peek() != Some(b'}') {
                    if member(&mut s, &mut stack, &mut pointer, &mut found).is_none() {
                        break;
                    }
                    continue 'values;
                }
            }
            b'[' => {
                s.pos += 1;
                s.skip_ws();
                stack.push(Frame::Array {
                    base: pointer.len(),
                    index: 0,
                });
                if s.peek() != Some(b']') {
                    pointer.push_str("/0");
                    continue 'values;
                }
            }
            _ => {
                if s.skip_value().is_none() {
                    break;
                }
            }
        }
        // After a value (or at an empty container's closing bracket): `,` or a close.
        loop {
            s.skip_ws();
            let Some(top) = stack.last_mut() else {
                break 'values;
            };
            match s.next() {
                Some(b',') => match top {
                    Frame::Object { .. } => {
                        if member(&mut s, &mut stack, &mut pointer, &mut found).is_none() {
                            break 'values;
                        }
                        continue 'values;
                    }
                    Frame::Array { base, index } => {
                        *index += 1;
                        pointer.truncate(*base);
                        pointer.push('/');
                        pointer.push_str(&index.to_string());
                        continue 'values;
                    }
                },
                Some(b'}' | b']') => {
                    let base = match top {
                        Frame::Object { base, .. } | Frame::Array { base, .. } => *base,
                    };
                    pointer.truncate(base);
                    stack.pop();
                }
                _ => break 'values,
            }
        }
    }
    found
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
        find(TEXT, pointer, target).map(|o| line_col(TEXT, o))
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
    fn columns_count_characters() {
        let text = "{\"é\": \"ü\", \"k\": 1}";
        assert_eq!(
            find(text, "/k", Target::Value).map(|o| line_col(text, o)),
            Some((1, 17))
        );
    }

    #[test]
    fn finds_every_duplicate() {
        let text =
            r#"{"a": 1, "b": {"c": [ {"d": 1, "d": 2} ], "c": 3}, "a": {}, "e\u0061": 0, "ea": 1}"#;
        let found: Vec<String> = duplicates(text).into_iter().map(|d| d.pointer).collect();
        assert_eq!(found, ["/b/c/0/d", "/b/c", "/a", "/ea"]);
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
            let _ = duplicates(text);
            let _ = find(text, "/a/0", Target::Key);
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
