//! The text channels of the Python package: what `str()` of a finding, a report or an exception
//! shows, and the JSON text of `to_json()`.
//!
//! The library's reports are masked (`cce_release::mask_pointer`, quoted values) but not escaped:
//! escaping belongs to the channel that prints. A Python program prints `str(error)` to a
//! terminal or a log, so a pointer made of a payload's keys could carry an escape sequence, a line
//! break that forges a log line, or a bidi control that reorders what is shown. These two
//! functions are the package's only escaping, with the linter's policy (`render::escape`): the
//! same unsafe characters, shown the same way.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` may not reach a text channel as it is: C0 and C1 controls and DEL, the bidi
/// controls, and the line and paragraph separators.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// Whether `text` may hold an unsafe character (a byte pass first: plain ASCII needs no decoding).
fn may_be_unsafe(text: &str) -> bool {
    text.bytes().any(|b| !(0x20..0x7f).contains(&b)) && text.chars().any(is_unsafe)
}

/// Text for `str()`: every unsafe character as a visible Rust-style escape (`\n`, `\u{1b}`), as
/// the linter shows it on a terminal. Borrowed when there is none.
pub(crate) fn visible(text: &str) -> Cow<'_, str> {
    if !may_be_unsafe(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// JSON text from `serde_json` (which escapes C0 inside strings already) with DEL, C1 controls,
/// bidi controls and the separators written as `\uXXXX` too, as the linter's `json` format writes
/// them. Such characters appear only inside strings, where `\uXXXX` reads back as the same
/// character; a raw C0 character is the indentation's whitespace, and stays.
pub(crate) fn json(text: String) -> String {
    if !text.bytes().any(|b| b >= 0x7f) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if c >= ' ' && is_unsafe(c) {
            // Every unsafe character is in the Basic Multilingual Plane: one `\uXXXX`.
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}
