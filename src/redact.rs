//! Masks secrets in source text before any of it is shown (the source lines under findings).
//!
//! Messages never quote a value under a key that names a secret; a source line would, so every
//! scalar under such a key, at any depth, is replaced by `*`, one per character, which keeps
//! every column where it was. The scan is a tolerant tokenizer, not a parser: it works on text
//! that is not valid JSON too (a syntax error's line is shown as well), never indexes out of
//! bounds, and keeps only a stack of open brackets.

use std::borrow::Cow;

use crate::diagnostic::message::is_secret_key;

/// `text` with every value under a secret-looking key masked; borrowed when nothing is.
pub(crate) fn secrets(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    // Open containers: (is an object, everything inside is secret).
    let mut stack: Vec<(bool, bool)> = Vec::new();
    // In an object: the next string is a key.
    let mut expecting_key = false;
    // In an object: the key just read names a secret.
    let mut secret_key = false;
    let mut masks: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let (in_object, inherited) = stack.last().copied().unwrap_or((false, false));
        let value_is_secret = inherited || (in_object && secret_key);
        match bytes[i] {
            open @ (b'{' | b'[') => {
                stack.push((open == b'{', value_is_secret));
                expecting_key = open == b'{';
                secret_key = false;
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                expecting_key = false;
                secret_key = false;
                i += 1;
            }
            b',' => {
                expecting_key = in_object;
                secret_key = false;
                i += 1;
            }
            b':' => {
                expecting_key = false;
                i += 1;
            }
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'"' => {
                let (end, closed) = string_end(bytes, i);
                let inner_end = if closed { end - 1 } else { end };
                if expecting_key && in_object {
                    let raw = text.get(i + 1..inner_end).unwrap_or_default();
                    secret_key = if raw.contains('\\') {
                        serde_json::from_str::<String>(text.get(i..end).unwrap_or_default())
                            .map_or(true, |key| is_secret_key(&key))
                    } else {
                        is_secret_key(raw)
                    };
                } else if value_is_secret {
                    masks.push((i + 1, inner_end));
                }
                i = end;
            }
            _ => {
                let start = i;
                while i < bytes.len()
                    && !matches!(
                        bytes[i],
                        b',' | b'}'
                            | b']'
                            | b':'
                            | b'"'
                            | b'{'
                            | b'['
                            | b' '
                            | b'\t'
                            | b'\n'
                            | b'\r'
                    )
                {
                    i += 1;
                }
                if value_is_secret {
                    masks.push((start, i));
                }
            }
        }
    }
    if masks.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in masks {
        let (Some(keep), Some(hide)) = (text.get(at..start), text.get(start..end)) else {
            continue;
        };
        out.push_str(keep);
        out.extend(hide.chars().map(|c| if c == '\n' { c } else { '*' }));
        at = end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    Cow::Owned(out)
}

/// The offset just past the string starting at `start`, and whether it has its closing quote
/// (an unterminated string runs to the end of the text).
fn string_end(bytes: &[u8], start: usize) -> (usize, bool) {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return (i + 1, true),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    (bytes.len(), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_values_under_secret_keys_and_keeps_columns() {
        let text = r#"{"name": "koi", "values": {"db": {"password": "hünter2", "port": 5432},
  "apiKey": 12345, "credentials": {"user": "admin", "list": ["a", {"x": true}]}, "ok": "shown"}}"#;
        let masked = secrets(text);
        assert_eq!(
            masked,
            r#"{"name": "koi", "values": {"db": {"password": "*******", "port": 5432},
  "apiKey": *****, "credentials": {"user": "*****", "list": ["*", {"x": ****}]}, "ok": "shown"}}"#
        );
        assert_eq!(masked.chars().count(), text.chars().count());
    }

    #[test]
    fn leaves_text_without_secrets_alone_and_survives_broken_text() {
        assert!(matches!(secrets(r#"{"a": "b"}"#), Cow::Borrowed(_)));
        assert_eq!(secrets(r#"{"token": "abc"#), r#"{"token": "***"#);
        assert_eq!(
            secrets(r#"{"pass\u0077ord": "x"}"#),
            r#"{"pass\u0077ord": "*"}"#
        );
        for broken in [
            "",
            "}",
            "]]]",
            "\"",
            "{\"token\"",
            "{\"token\":",
            "[\"a\\",
            "{\"k\":1,,}",
        ] {
            let _ = secrets(broken);
        }
    }
}
