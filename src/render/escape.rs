//! One escaping function per output channel. Everything the linter prints that it did not write
//! itself (file names, keys and values quoted in messages, a chart schema's text inside an
//! error, source lines) passes through exactly one of these on its way out:
//!
//! | channel | function | what it must prevent |
//! |---|---|---|
//! | a terminal: `human` headers, messages, file names, source lines | [`terminal`] | escape sequences driving the terminal, a line break forging a finding, bidi controls reordering what is shown |
//! | standard error: every message of the command line | [`stderr`] | the same, and a line that a CI log reads as a command (`::error …`) |
//! | GitHub workflow commands: data and properties | [`github_data`], [`github_property`] | a second command in one line, a property ending early, escapes in the job log |
//! | JSON and SARIF strings | [`JsonFormatter`] | raw C1 and bidi controls in strings that viewers show |
//!
//! Unsafe characters are C0 and C1 controls and DEL ([`char::is_control`]), the bidi controls
//! (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) and the line and paragraph
//! separators U+2028 and U+2029. Text channels show them as Rust-style escapes (`\n`, `\u{1b}`),
//! which are visible and take the same room on every terminal; JSON shows them as `\uXXXX`,
//! which every JSON reader turns back into the character.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;

/// Whether `c` may not reach an output channel as it is.
pub fn is_unsafe(c: char) -> bool {
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

/// Appends the visible form of an unsafe character: `\n`, `\r`, `\t`, or `\u{…}`.
fn push_visible(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
}

/// Whether `text` may hold an unsafe character: a byte below space, DEL, or any non-ASCII
/// byte (one pass over bytes, which the compiler vectorizes; chars are decoded only then).
fn may_be_unsafe(text: &str) -> bool {
    text.bytes().any(|b| !(0x20..0x7f).contains(&b)) && text.chars().any(is_unsafe)
}

/// `text` with every unsafe character replaced by its visible escape; borrowed when there is none.
fn visible(text: &str) -> Cow<'_, str> {
    if !may_be_unsafe(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            push_visible(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text for a terminal (the `human` format): a header's file name and message, or one character
/// of a source line. Never contains a control character, so it cannot move the cursor, clear
/// the screen, ring the bell, start a new line or reorder what follows.
pub fn terminal(text: &str) -> Cow<'_, str> {
    visible(text)
}

/// A message for standard error: the same escapes as [`terminal`], so that a file name or a
/// schema's text quoted in an error neither drives the terminal nor starts a line of its own in
/// a CI log (where a line starting with `::` is a workflow command).
pub fn stderr(text: &str) -> Cow<'_, str> {
    visible(text)
}

/// The data (message) of a GitHub workflow command: `%`, CR and LF percent-encoded as the
/// runner decodes them; any other unsafe character as a visible escape (the runner would pass
/// ESC and BEL into the job log, and bidi controls into the annotation).
pub fn github_data(text: &str) -> Cow<'_, str> {
    if !text.contains('%') && !may_be_unsafe(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if is_unsafe(c) => push_visible(&mut out, c),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A property value of a GitHub workflow command (`file=…`, `title=…`): as
/// [`github_data`], and `:` and `,`, which would end the property, percent-encoded too.
pub fn github_property(text: &str) -> Cow<'_, str> {
    let data = github_data(text);
    if !data.contains([':', ',']) {
        return data;
    }
    Cow::Owned(data.replace(':', "%3A").replace(',', "%2C"))
}

/// A `serde_json` formatter for the `json` and `sarif` formats: pretty-printed as
/// `serde_json::to_writer_pretty` does (two spaces a level), starting at any indentation level
/// (so that a document can be written a piece at a time), and with DEL, C1 controls, bidi
/// controls and the line separators written as `\uXXXX` (serde_json already escapes C0).
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonFormatter {
    level: usize,
    has_value: bool,
}

impl JsonFormatter {
    /// A formatter whose first line break indents `level` levels.
    pub fn at_level(level: usize) -> Self {
        JsonFormatter {
            level,
            has_value: false,
        }
    }
}

fn indent<W: ?Sized + io::Write>(writer: &mut W, level: usize) -> io::Result<()> {
    for _ in 0..level {
        writer.write_all(b"  ")?;
    }
    Ok(())
}

impl serde_json::ser::Formatter for JsonFormatter {
    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        writer.write_all(b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            writer.write_all(b"\n")?;
            indent(writer, self.level)?;
        }
        writer.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        indent(writer, self.level)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        writer.write_all(b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            writer.write_all(b"\n")?;
            indent(writer, self.level)?;
        }
        writer.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        indent(writer, self.level)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // serde_json has escaped C0 already; what is left to escape is DEL or not ASCII.
        if !fragment.bytes().any(|b| b >= 0x7f) {
            return writer.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (at, c) in fragment.char_indices() {
            if is_unsafe(c) {
                writer.write_all(&fragment.as_bytes()[start..at])?;
                // Every unsafe character is in the Basic Multilingual Plane: one `\uXXXX`.
                write!(writer, "\\u{:04x}", u32::from(c))?;
                start = at + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

/// Writes `value` with a [`JsonFormatter`] at `level`.
pub fn write_json<T: serde::Serialize + ?Sized>(
    out: &mut dyn io::Write,
    level: usize,
    value: &T,
) -> io::Result<()> {
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut *out, JsonFormatter::at_level(level));
    value.serialize(&mut serializer).map_err(io::Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every hostile character the channels are tested against, and how text channels show it.
    const HOSTILE: &[(char, &str)] = &[
        ('\u{1b}', "\\u{1b}"),
        ('\u{7}', "\\u{7}"),
        ('\r', "\\r"),
        ('\n', "\\n"),
        ('\u{7f}', "\\u{7f}"),
        ('\u{85}', "\\u{85}"),
        ('\u{9b}', "\\u{9b}"),
        ('\u{202a}', "\\u{202a}"),
        ('\u{202b}', "\\u{202b}"),
        ('\u{202c}', "\\u{202c}"),
        ('\u{202d}', "\\u{202d}"),
        ('\u{202e}', "\\u{202e}"),
        ('\u{2066}', "\\u{2066}"),
        ('\u{2067}', "\\u{2067}"),
        ('\u{2068}', "\\u{2068}"),
        ('\u{2069}', "\\u{2069}"),
        ('\u{200e}', "\\u{200e}"),
        ('\u{200f}', "\\u{200f}"),
        ('\u{61c}', "\\u{61c}"),
        ('\u{2028}', "\\u{2028}"),
    ];

    #[test]
    fn terminal_and_stderr_show_every_hostile_character_as_an_escape() {
        for &(c, shown) in HOSTILE {
            let text = format!("a{c}b");
            assert_eq!(terminal(&text), format!("a{shown}b"), "{c:?}");
            assert_eq!(stderr(&text), format!("a{shown}b"), "{c:?}");
        }
        assert!(matches!(terminal("plain `é` 名前"), Cow::Borrowed(_)));
        assert_eq!(terminal("\u{1b}[2J\u{7}"), "\\u{1b}[2J\\u{7}");
        assert_eq!(
            stderr("x\n::error file=x::forged"),
            "x\\n::error file=x::forged"
        );
    }

    #[test]
    fn github_data_percent_encodes_line_breaks_and_escapes_the_rest() {
        for &(c, shown) in HOSTILE {
            let expected = match c {
                '\r' => "%0D",
                '\n' => "%0A",
                _ => shown,
            };
            assert_eq!(
                github_data(&format!("a{c}b")),
                format!("a{expected}b"),
                "{c:?}"
            );
        }
        assert_eq!(
            github_data("100% sure\r\nnext: a,b"),
            "100%25 sure%0D%0Anext: a,b"
        );
        assert_eq!(github_data("%0A stays literal"), "%250A stays literal");
    }

    #[test]
    fn github_properties_also_encode_colon_and_comma() {
        assert_eq!(
            github_property("C:\\payloads\\a,b%\n.json"),
            "C%3A\\payloads\\a%2Cb%25%0A.json"
        );
        let forged = github_property("a.json\n::error file=x::forged");
        assert!(!forged.contains('\n') && !forged.contains("::"), "{forged}");
        assert_eq!(github_property("\u{1b}\u{7}"), "\\u{1b}\\u{7}");
    }

    #[test]
    fn no_output_of_the_text_channels_has_an_unsafe_character() {
        let all: String = HOSTILE.iter().map(|&(c, _)| c).collect();
        for out in [
            terminal(&all),
            stderr(&all),
            github_data(&all),
            github_property(&all),
        ] {
            assert!(!out.chars().any(is_unsafe), "{out:?}");
        }
    }

    #[test]
    fn json_strings_escape_c1_del_and_bidi_and_read_back_the_same() {
        for &(c, _) in HOSTILE {
            let text = format!("a{c}b");
            let mut out = Vec::new();
            write_json(&mut out, 0, &text).unwrap();
            let written = String::from_utf8(out).unwrap();
            assert!(!written.chars().any(is_unsafe), "{c:?}: {written}");
            assert!(written.contains("\\u") || written.contains("\\r") || written.contains("\\n"));
            assert_eq!(serde_json::from_str::<String>(&written).unwrap(), text);
        }
    }

    #[test]
    fn json_is_pretty_printed_as_serde_json_does_at_any_level() {
        let value = serde_json::json!({"a": [1, {"b": []}, {}], "c": {"d": "e\u{202e}"}, "f": []});
        let mut ours = Vec::new();
        write_json(&mut ours, 0, &value).unwrap();
        let theirs = serde_json::to_string_pretty(&value)
            .unwrap()
            .replace('\u{202e}', "\\u202e");
        assert_eq!(String::from_utf8(ours).unwrap(), theirs);
        let mut nested = Vec::new();
        write_json(&mut nested, 2, &serde_json::json!({"x": 1})).unwrap();
        assert_eq!(
            String::from_utf8(nested).unwrap(),
            "{\n      \"x\": 1\n    }"
        );
    }
}
