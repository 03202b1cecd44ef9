//! One tolerant tokenizer for JSON-like text, shared by `locate` (pointers to positions) and
//! `redact` (masking source lines).
//!
//! It never fails and never indexes out of bounds: any byte sequence is a sequence of tokens.
//! Beyond JSON it knows what people type by mistake (single-quoted strings, unquoted words,
//! unterminated strings), so that masking can reason about broken text too; `locate` only
//! trusts well-formed JSON and gives up on the rest. It knows nothing of pointers, keys,
//! secrets or positions in lines.

/// One token and the byte range it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset just past the last byte.
    pub end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// `{`
    OpenObject,
    /// `[`
    OpenArray,
    /// `}`
    CloseObject,
    /// `]`
    CloseArray,
    /// `:`
    Colon,
    /// `,`
    Comma,
    /// A string in double quotes (`single: false`) or single quotes; `closed` is false when
    /// the text ends inside it. `escaped` is true when it holds a backslash.
    Str {
        single: bool,
        closed: bool,
        escaped: bool,
    },
    /// Anything else up to whitespace, a quote or a structural character: a number, `true`,
    /// `false`, `null`, or an unquoted word.
    Word,
}

impl Token {
    /// The inside of a string token (without its quotes), as raw text.
    pub(crate) fn inner(&self, text: &str) -> (usize, usize) {
        match self.kind {
            TokenKind::Str { closed, .. } => {
                let end = if closed { self.end - 1 } else { self.end };
                ((self.start + 1).min(end), end)
            }
            _ => (self.start, self.end),
        }
        .clamp_to(text.len())
    }
}

trait ClampTo {
    fn clamp_to(self, len: usize) -> Self;
}

impl ClampTo for (usize, usize) {
    fn clamp_to(self, len: usize) -> Self {
        (self.0.min(len), self.1.min(len))
    }
}

/// The tokens of `text`, from byte `from` on.
#[derive(Debug, Clone)]
pub(crate) struct Lexer<'t> {
    bytes: &'t [u8],
    pos: usize,
}

impl<'t> Lexer<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        Lexer {
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    /// The byte offset the next token is looked for from.
    pub(crate) fn offset(&self) -> usize {
        self.pos
    }

    /// Skips whitespace; true when something follows.
    fn skip_ws(&mut self) -> bool {
        while let Some(b) = self.bytes.get(self.pos) {
            if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                return true;
            }
            self.pos += 1;
        }
        false
    }

    /// After the opening bracket of an object (`object`) or array: reads its closing bracket
    /// when it comes next, that is when the container is empty (true); else reads nothing.
    pub(crate) fn close_if_empty(&mut self, object: bool) -> bool {
        let close = if object {
            TokenKind::CloseObject
        } else {
            TokenKind::CloseArray
        };
        let mut peek = self.clone();
        if peek.next().map(|t| t.kind) == Some(close) {
            *self = peek;
            return true;
        }
        false
    }

    /// Skips the rest of the container whose opening bracket was just read, nested ones
    /// included, up to and including its closing bracket; returns false at the end of the text.
    /// Strings are skipped as strings, so brackets inside them do not count.
    pub(crate) fn skip_container(&mut self) -> bool {
        // Byte by byte: the same tokens as `next` would give (a word ends at any bracket or
        // quote, so every bracket outside a string is a token and every quote starts a string),
        // without making them. The fix engine and locator skip whole `values` this way.
        let bytes = self.bytes;
        let mut depth = 1usize;
        let mut i = self.pos;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'"' | b'\'' => {
                    i = string_end(bytes, i, b).0;
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        self.pos = i + 1;
                        return true;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        self.pos = bytes.len();
        false
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        if !self.skip_ws() {
            return None;
        }
        let start = self.pos;
        let b = self.bytes[start];
        let kind = match b {
            b'{' => TokenKind::OpenObject,
            b'[' => TokenKind::OpenArray,
            b'}' => TokenKind::CloseObject,
            b']' => TokenKind::CloseArray,
            b':' => TokenKind::Colon,
            b',' => TokenKind::Comma,
            b'"' | b'\'' => {
                let (end, closed, escaped) = string_end(self.bytes, start, b);
                self.pos = end;
                return Some(Token {
                    kind: TokenKind::Str {
                        single: b == b'\'',
                        closed,
                        escaped,
                    },
                    start,
                    end,
                });
            }
            _ => {
                let mut end = start + 1;
                while let Some(c) = self.bytes.get(end) {
                    if matches!(
                        c,
                        b' ' | b'\t'
                            | b'\n'
                            | b'\r'
                            | b'{'
                            | b'['
                            | b'}'
                            | b']'
                            | b':'
                            | b','
                            | b'"'
                            | b'\''
                    ) {
                        break;
                    }
                    end += 1;
                }
                self.pos = end;
                return Some(Token {
                    kind: TokenKind::Word,
                    start,
                    end,
                });
            }
        };
        self.pos = start + 1;
        Some(Token {
            kind,
            start,
            end: start + 1,
        })
    }
}

/// The offset just past the string that starts with the quote `quote` at `start`, whether it is
/// closed, and whether it holds an escape. A string in double quotes ends at the text's end when
/// unterminated; one in single quotes also ends at the line's end (it is a mistake, and its
/// extent is a guess).
fn string_end(bytes: &[u8], start: usize, quote: u8) -> (usize, bool, bool) {
    let mut i = start + 1;
    let mut escaped = false;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => {
                escaped = true;
                i += 2;
            }
            b'\n' if quote == b'\'' => return (i, false, escaped),
            b if b == quote => return (i + 1, true, escaped),
            _ => i += 1,
        }
    }
    (bytes.len(), false, escaped)
}

#[cfg(test)]
mod tests {

    /// `skip_container` as tokens give it: the reference for the byte-by-byte one.
    fn skip_by_tokens(lexer: &mut Lexer<'_>) -> bool {
        let mut depth = 1usize;
        for token in lexer.by_ref() {
            match token.kind {
                TokenKind::OpenObject | TokenKind::OpenArray => depth += 1,
                TokenKind::CloseObject | TokenKind::CloseArray => {
                    depth -= 1;
                    if depth == 0 {
                        return true;
                    }
                }
                _ => {}
            }
        }
        false
    }

    proptest::proptest! {
        #[test]
        fn skipping_bytes_is_skipping_tokens(text in "[{}\\[\\]\"'\\\\a1:, \n]{0,40}") {
            let mut fast = Lexer::new(&text);
            let mut slow = Lexer::new(&text);
            // Into the first container, if any, then skip it both ways.
            while let (Some(a), Some(b)) = (fast.next(), slow.next()) {
                proptest::prop_assert_eq!(a.start, b.start);
                if matches!(a.kind, TokenKind::OpenObject | TokenKind::OpenArray) {
                    proptest::prop_assert_eq!(fast.skip_container(), skip_by_tokens(&mut slow));
                    proptest::prop_assert_eq!(fast.offset(), slow.offset(), "{:?}", text);
                }
            }
        }
    }
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        Lexer::new(text)
            .map(|t| (t.kind, &text[t.start..t.end.min(text.len())]))
            .collect()
    }

    #[test]
    fn json_tokens() {
        use TokenKind::*;
        let s = |escaped| Str {
            single: false,
            closed: true,
            escaped,
        };
        assert_eq!(
            kinds(r#"{"a\"b": [1, -2.5e3, true], "c": null}"#),
            [
                (OpenObject, "{"),
                (s(true), r#""a\"b""#),
                (Colon, ":"),
                (OpenArray, "["),
                (Word, "1"),
                (Comma, ","),
                (Word, "-2.5e3"),
                (Comma, ","),
                (Word, "true"),
                (CloseArray, "]"),
                (Comma, ","),
                (s(false), r#""c""#),
                (Colon, ":"),
                (Word, "null"),
                (CloseObject, "}"),
            ]
        );
    }

    #[test]
    fn mistakes_are_tokens_too() {
        use TokenKind::*;
        assert_eq!(
            kinds("{password: 'hunter 2'\n'x"),
            [
                (OpenObject, "{"),
                (Word, "password"),
                (Colon, ":"),
                (
                    Str {
                        single: true,
                        closed: true,
                        escaped: false
                    },
                    "'hunter 2'"
                ),
                (
                    Str {
                        single: true,
                        closed: false,
                        escaped: false
                    },
                    "'x"
                ),
            ]
        );
        // An escape at the very end, an unterminated string: no panic, the string runs out.
        for text in ["\"a\\", "\"", "'", "\\", "é\"é"] {
            let tokens: Vec<Token> = Lexer::new(text).collect();
            assert!(tokens.iter().all(|t| t.start < t.end), "{text:?}");
            for t in tokens {
                let (a, b) = t.inner(text);
                assert!(a <= b && b <= text.len());
            }
        }
    }

    #[test]
    fn containers_skip_as_a_whole() {
        let text = r#"[{"a": "]"}, [1, [2]]], 3"#;
        let mut lexer = Lexer::new(text);
        assert_eq!(lexer.next().map(|t| t.kind), Some(TokenKind::OpenArray));
        assert!(lexer.skip_container());
        assert_eq!(lexer.next().map(|t| t.kind), Some(TokenKind::Comma));
        let mut unclosed = Lexer::new("[[1,");
        unclosed.next();
        assert!(!unclosed.skip_container());
    }
}
