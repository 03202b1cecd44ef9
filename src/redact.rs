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
#[cfg(test)]
pub(crate) fn secrets(text: &str) -> Cow<'_, str> {
    masked(text, 0, &mask_ranges(text, text.len()))
}

/// The lines of `source` numbered in `lines` (1-based, ascending), with every value under a
/// secret-looking key masked: what a renderer may show of a payload. A line past the end of the
/// text is left out.
pub(crate) fn masked_lines(source: &str, lines: &[usize]) -> Vec<(usize, String)> {
    let Some(&last) = lines.last() else {
        return Vec::new();
    };
    let mut starts = Vec::with_capacity(lines.len());
    let mut wanted = lines.iter().copied().peekable();
    let mut start = 0;
    for (index, text) in source.split('\n').enumerate().take(last) {
        let number = index + 1;
        while wanted.next_if(|&w| w < number).is_some() {}
        if wanted.next_if_eq(&number).is_some() {
            starts.push((number, start, text));
        }
        start += text.len() + 1;
    }
    let until = starts
        .last()
        .map_or(0, |&(_, start, text): &(usize, usize, &str)| {
            start + text.len()
        });
    let masks = mask_ranges(source, until);
    starts
        .into_iter()
        .map(|(number, start, text)| (number, masked(text, start, &masks).into_owned()))
        .collect()
}

/// The byte ranges of `text` that hold values under secret-looking keys, in order, for the text
/// up to `until` (the tokenizer must start at the beginning, but can stop early).
pub(crate) fn mask_ranges(text: &str, until: usize) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let until = until.min(bytes.len());
    // Open containers: (is an object, everything inside is secret).
    let mut stack: Vec<(bool, bool)> = Vec::new();
    // In an object: the next string is a key.
    let mut expecting_key = false;
    // In an object: the key just read names a secret.
    let mut secret_key = false;
    let mut masks: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < until {
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
    masks
}

/// `part`, which starts at byte `offset` of the text `masks` were found in, with the masked
/// ranges replaced by one `*` per character (so that columns stay where they were).
pub(crate) fn masked<'a>(part: &'a str, offset: usize, masks: &[(usize, usize)]) -> Cow<'a, str> {
    let end = offset + part.len();
    // The first mask that ends inside or after the part.
    let first = masks.partition_point(|&(_, mask_end)| mask_end <= offset);
    let overlapping = masks[first..].iter().take_while(|&&(start, _)| start < end);
    let mut out: Option<String> = None;
    let mut at = 0;
    for &(start, stop) in overlapping {
        let (start, stop) = (start.max(offset) - offset, stop.min(end) - offset);
        let (Some(keep), Some(hide)) = (part.get(at..start), part.get(start..stop)) else {
            continue;
        };
        let out = out.get_or_insert_with(|| String::with_capacity(part.len()));
        out.push_str(keep);
        out.extend(hide.chars().map(|c| if c == '\n' { c } else { '*' }));
        at = stop;
    }
    match out {
        None => Cow::Borrowed(part),
        Some(mut out) => {
            out.push_str(part.get(at..).unwrap_or_default());
            Cow::Owned(out)
        }
    }
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
    fn masks_a_line_of_the_text_alone() {
        let text = "{\"a\": 1,\n \"token\": \"abcdef\", \"b\": 2}";
        let masks = mask_ranges(text, text.len());
        let line_start = text.find('\n').unwrap() + 1;
        assert_eq!(
            masked(&text[line_start..], line_start, &masks),
            r#" "token": "******", "b": 2}"#
        );
        assert_eq!(masked(&text[..line_start - 1], 0, &masks), r#"{"a": 1,"#);
        // Stopping early finds the masks before the stop only.
        assert!(mask_ranges(text, line_start).is_empty());
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
