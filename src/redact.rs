//! Secrets never leave: the one path by which anything from a payload, a request or a chart
//! schema is echoed.
//!
//! - [`is_secret_key`]: the one list of names that mark a secret, in [`SECRET_NAMES`].
//! - [`Quoted`]: a value as a message may show it. Its only constructors are here, so every
//!   quoted value in every message has been through this module: shortened, control characters
//!   escaped, and masked when a key on the way to it names a secret. Composite values are masked
//!   member by member, and a string that holds JSON text is masked as JSON.
//! - [`mask_pointer`]: keys *below* a secret-looking key may be secrets themselves (a map of
//!   tokens keyed by the token): they are masked in pointers and in the labels built from them.
//! - [`masked_lines`]: source lines as a renderer may show them, masked by a tolerant reading of
//!   the text ([`crate::syntax`]) that also copes with broken syntax (an unquoted key, single
//!   quotes, a missing colon): when in doubt, it masks the rest of the line.
//!
//! This module decides what is hidden; it does not word messages.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

use crate::diagnostic::message::Found;
use crate::syntax::{Lexer, Token, TokenKind};

/// How a name is matched against a key (after lowercasing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Match {
    /// Anywhere in the key, with `_`, `-`, `.` and spaces removed (`connection_string`).
    Anywhere,
    /// As a whole word of the key (words split at case changes, digits and separators: `dbPass`,
    /// `PASS`, `ssh_priv`, `tls.pem`), or at the end of a lowercase compound (`apikey`,
    /// `dbpass`).
    Word,
}

/// Every name that marks a key as holding a secret. Matching is case-insensitive.
pub(crate) const SECRET_NAMES: &[(&str, Match)] = &[
    ("password", Match::Anywhere),
    ("passwd", Match::Anywhere),
    ("passphrase", Match::Anywhere),
    ("secret", Match::Anywhere),
    ("token", Match::Anywhere),
    ("credential", Match::Anywhere),
    ("signature", Match::Anywhere),
    ("private", Match::Anywhere),
    ("kubeconfig", Match::Anywhere),
    ("dockerconfig", Match::Anywhere),
    ("connectionstring", Match::Anywhere),
    ("cookie", Match::Anywhere),
    ("bearer", Match::Anywhere),
    ("apikey", Match::Anywhere),
    ("accesskey", Match::Anywhere),
    ("certificate", Match::Anywhere),
    ("key", Match::Word),
    ("pass", Match::Word),
    ("pwd", Match::Word),
    ("auth", Match::Word),
    ("cert", Match::Word),
    ("creds", Match::Word),
    ("priv", Match::Word),
    ("salt", Match::Word),
    ("otp", Match::Word),
    ("pem", Match::Word),
    ("dsn", Match::Word),
    ("jwt", Match::Word),
    ("hmac", Match::Word),
    ("pin", Match::Word),
];

/// The names matched anywhere, by their first letter (`a` to `z`).
static ANYWHERE_BY_FIRST_LETTER: once_cell::sync::Lazy<Vec<Vec<&'static str>>> =
    once_cell::sync::Lazy::new(|| {
        (b'a'..=b'z')
            .map(|letter| {
                SECRET_NAMES
                    .iter()
                    .filter(|(name, how)| *how == Match::Anywhere && name.as_bytes()[0] == letter)
                    .map(|(name, _)| *name)
                    .collect()
            })
            .collect()
    });

/// True when a key names a secret (see [`SECRET_NAMES`]).
///
/// The same keys come back again and again (every finding under the same object masks the same
/// pointer), so each thread remembers its last few thousand answers.
pub(crate) fn is_secret_key(key: &str) -> bool {
    const REMEMBERED: usize = 4096;
    const LONGEST: usize = 4096;
    thread_local! {
        static KNOWN: std::cell::RefCell<std::collections::HashMap<Box<str>, bool>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    if key.len() > LONGEST {
        return judge_key(key);
    }
    if let Some(known) = KNOWN.with(|k| k.borrow().get(key).copied()) {
        return known;
    }
    let secret = judge_key(key);
    KNOWN.with(|k| {
        let mut k = k.borrow_mut();
        if k.len() >= REMEMBERED {
            k.clear();
        }
        k.insert(key.into(), secret);
    });
    secret
}

/// [`is_secret_key`], without remembering.
fn judge_key(key: &str) -> bool {
    // Keys are short; a key of many kilobytes is judged by its start and its end.
    if key.len() > 256 {
        let start = floor_boundary(key, 128);
        let end = ceil_boundary(key, key.len() - 128);
        return judge_key(&key[..start]) || judge_key(&key[end..]);
    }
    if !key.is_ascii() {
        return is_secret_key_unicode(key);
    }
    // The ASCII case, without allocating: the key lowercased with separators removed...
    let mut squashed = [0u8; 256];
    let mut len = 0;
    for b in key.bytes() {
        if !matches!(b, b'_' | b'-' | b'.' | b' ') {
            squashed[len] = b.to_ascii_lowercase();
            len += 1;
        }
    }
    let squashed = &squashed[..len];
    // A name matches anywhere only where its first letter is: most positions start none.
    let by_first = &*ANYWHERE_BY_FIRST_LETTER;
    let anywhere = (0..squashed.len()).any(|i| {
        let rest = &squashed[i..];
        let Some(names) = rest[0]
            .checked_sub(b'a')
            .and_then(|l| by_first.get(usize::from(l)))
        else {
            return false;
        };
        names.iter().any(|name| rest.starts_with(name.as_bytes()))
    });
    if anywhere {
        return true;
    }
    let lowercase = !key.bytes().any(|b| b.is_ascii_uppercase());
    // ...and whole words: split at anything but a letter, and where a lowercase letter is
    // followed by an uppercase one; or the end of an all-lowercase compound.
    let words = || SECRET_NAMES.iter().filter(|(_, how)| *how == Match::Word);
    words().any(|(name, _)| lowercase && squashed.ends_with(name.as_bytes()))
        || ascii_words(key.as_bytes())
            .any(|w| words().any(|(name, _)| w.eq_ignore_ascii_case(name.as_bytes())))
}

/// The words of an ASCII key (see [`words`]).
fn ascii_words(key: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = None;
    let mut i = 0;
    std::iter::from_fn(move || {
        while i <= key.len() {
            let b = key.get(i).copied();
            let letter = b.is_some_and(|b| b.is_ascii_alphabetic());
            let split_case = i > 0
                && b.is_some_and(|b| b.is_ascii_uppercase())
                && key[i - 1].is_ascii_lowercase();
            match start {
                Some(s) if !letter || split_case => {
                    start = if letter { Some(i) } else { None };
                    i += 1;
                    return Some(&key[s..i - 1]);
                }
                None if letter => start = Some(i),
                _ => {}
            }
            i += 1;
        }
        None
    })
}

/// [`is_secret_key`] for keys with non-ASCII characters.
fn is_secret_key_unicode(key: &str) -> bool {
    let squashed: String = key
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | '.' | ' '))
        .flat_map(char::to_lowercase)
        .collect();
    let words = words(key);
    let lowercase = !key.chars().any(char::is_uppercase);
    SECRET_NAMES.iter().any(|&(name, how)| match how {
        Match::Anywhere => squashed.contains(name),
        Match::Word => words.iter().any(|w| w == name) || (lowercase && squashed.ends_with(name)),
    })
}

/// The lowercase words of a key: split at separators, digits and lower-to-upper case changes
/// (`dbPassword` → `db`, `password`; `PASS` → `pass`; `ssh_priv2` → `ssh`, `priv`).
fn words(key: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    for c in key.chars() {
        if !c.is_alphabetic() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        previous_lower = c.is_lowercase();
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// True when some key on the way to `pointer` names a secret. (Escaping, `~0` and `~1`, never
/// turns a secret-looking key into an innocent one or back.)
pub(crate) fn is_secret_pointer(pointer: &str) -> bool {
    crate::pointer::tokens(pointer).any(|t| is_secret_key(&t))
}

/// What stands for a masked key in a pointer.
pub(crate) const MASKED_KEY: &str = "***";

/// `pointer` with every token below a secret-looking key replaced by `***`: such keys may be
/// secrets themselves. Borrowed when nothing is masked. Every pointer a report carries has been
/// through it; code that shows a pointer of its own (the Python bindings' errors) uses it too.
///
/// ```
/// assert_eq!(cce_release::mask_pointer("/values/password/hunter2"), "/values/password/***");
/// assert_eq!(cce_release::mask_pointer("/values/image/tag"), "/values/image/tag");
/// ```
pub fn mask_pointer(pointer: &str) -> Cow<'_, str> {
    let mut secret_from = None;
    let mut at = 0;
    for token in pointer.split('/').skip(1) {
        at += 1 + token.len();
        let unescaped = if token.contains('~') {
            Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
        } else {
            Cow::Borrowed(token)
        };
        if is_secret_key(&unescaped) {
            secret_from = Some(at);
            break;
        }
    }
    let Some(end) = secret_from else {
        return Cow::Borrowed(pointer);
    };
    let rest = &pointer[end..];
    if rest.is_empty() {
        return Cow::Borrowed(pointer);
    }
    let mut out = String::with_capacity(end + rest.len());
    out.push_str(&pointer[..end]);
    for _ in rest.split('/').skip(1) {
        out.push('/');
        out.push_str(MASKED_KEY);
    }
    Cow::Owned(out)
}

/// A pointer cut down to at most about `max` bytes, masked first (so that cutting never reveals
/// what masking hides): each token cut to 64 characters and marked `…`, then, if still too long,
/// the tokens in the middle replaced by one `…`. Such a pointer no longer resolves: it is for
/// reading.
pub(crate) fn abbreviate_pointer(pointer: &str, max: usize) -> String {
    const TOKEN_MAX: usize = 64;
    let masked = mask_pointer(pointer);
    let tokens: Vec<String> = masked
        .split('/')
        .skip(1)
        .map(|t| match t.char_indices().nth(TOKEN_MAX) {
            Some((cut, _)) => format!("{}…", &t[..cut]),
            None => t.to_owned(),
        })
        .collect();
    let total: usize = tokens.iter().map(|t| t.len() + 1).sum();
    if total <= max {
        return tokens.iter().fold(String::new(), |mut out, t| {
            out.push('/');
            out.push_str(t);
            out
        });
    }
    // Keep the first and the last tokens that fit in half the room each.
    let half = max / 2;
    let mut head = String::new();
    for t in &tokens {
        if head.len() + t.len() + 1 > half {
            break;
        }
        head.push('/');
        head.push_str(t);
    }
    let mut tail: Vec<&str> = Vec::new();
    let mut tail_len = 0;
    for t in tokens.iter().rev() {
        if tail_len + t.len() + 1 > half {
            break;
        }
        tail_len += t.len() + 1;
        tail.push(t);
    }
    head.push_str("/…");
    for t in tail.iter().rev() {
        head.push('/');
        head.push_str(t);
    }
    head
}

/// Longest quote of a value, in characters.
const QUOTE_MAX: usize = 64;

/// A value as a message may show it, in backticks: shortened to 64 characters, control
/// characters escaped, secrets masked. Only this module makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Quoted(String);

impl Quoted {
    /// The quote, backticks included.
    #[cfg(test)]
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// Quotes text that is not from the payload but may still be hostile (a chart schema's
    /// pattern, a method name): shortened and escaped, masked under a secret-looking key.
    pub(crate) fn text(pointer: &str, text: &str) -> Quoted {
        quote_str(pointer, text)
    }

    /// Whether the quote is the mask rather than the value.
    #[cfg(test)]
    pub(crate) fn is_masked(&self) -> bool {
        self.0 == MASKED
    }
}

impl fmt::Display for Quoted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How a masked value reads.
const MASKED: &str = "`***` (masked: the key names a secret)";

/// A string at `pointer`, as a message quotes it. A string holding JSON text (an object or an
/// array, as a release's `values` are) is masked as JSON.
pub(crate) fn quote_str(pointer: &str, value: &str) -> Quoted {
    if is_secret_pointer(pointer) {
        return Quoted(MASKED.to_owned());
    }
    let head = value.trim_start();
    if head.starts_with('{') || head.starts_with('[') {
        // Only the part that can be shown is masked (a quote shows at most 64 characters, and
        // masking a character never makes it longer).
        let cut = value
            .char_indices()
            .nth(QUOTE_MAX * 8)
            .map_or(value.len(), |(i, _)| i);
        let masks = mask_ranges(&value[..cut]);
        return Quoted(backticks(&masked(&value[..cut], 0, &masks)));
    }
    Quoted(backticks(value))
}

/// Any value at `pointer`, as a message quotes it: a string as [`quote_str`] does, anything
/// else as compact JSON with every member under a secret-looking key masked.
pub(crate) fn quote_value(pointer: &str, value: &Value) -> Quoted {
    match value {
        Value::String(s) => quote_str(pointer, s),
        _ if is_secret_pointer(pointer) => Quoted(MASKED.to_owned()),
        Value::Object(_) | Value::Array(_) => {
            let mut out = Limited::new(QUOTE_MAX * 4);
            // Stops early once the quote is long enough: the error only says "full".
            let _ = serde_json::to_writer(
                &mut out,
                &Masked {
                    value,
                    secret: false,
                },
            );
            Quoted(backticks(&out.text))
        }
        other => Quoted(backticks(&other.to_string())),
    }
}

/// A number from a payload, as a message quotes it.
pub(crate) fn quote_number(pointer: &str, number: &serde_json::Number) -> Quoted {
    if is_secret_pointer(pointer) {
        return Quoted(MASKED.to_owned());
    }
    Quoted(backticks(&number.to_string()))
}

/// A short piece of a payload shown as it is, without backticks (a number in "found the
/// number 3"). Only this module makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shown(String);

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A number as "found …" shows it (numbers are short: serde_json writes any of them in at most
/// a few dozen characters).
pub(crate) fn shown_number(number: &serde_json::Number) -> Shown {
    Shown(number.to_string())
}

/// What a number at `pointer` was, for "found …", hidden under a secret-looking key.
pub(crate) fn found_number(pointer: &str, number: &serde_json::Number) -> Found {
    if is_secret_pointer(pointer) {
        return Found::HiddenNumber;
    }
    let fractional =
        number.as_f64().is_some_and(|f| f.fract() != 0.0) && !number.is_i64() && !number.is_u64();
    Found::Number {
        shown: shown_number(number),
        fractional,
    }
}

/// What a boolean at `pointer` was, hidden under a secret-looking key.
pub(crate) fn found_bool(pointer: &str, value: bool) -> Found {
    if is_secret_pointer(pointer) {
        Found::HiddenBool
    } else {
        Found::Bool(value)
    }
}

/// What any value at `pointer` was, for "found …".
pub(crate) fn found_value(pointer: &str, value: &Value) -> Found {
    match value {
        Value::Null => Found::Null,
        Value::Bool(b) => found_bool(pointer, *b),
        Value::Number(n) => found_number(pointer, n),
        Value::String(s) => Found::String(quote_str(pointer, s)),
        Value::Array(_) => Found::Array,
        Value::Object(_) => Found::Object,
    }
}

/// `` `text` ``: shortened to [`QUOTE_MAX`] characters, control characters escaped.
fn backticks(text: &str) -> String {
    let mut out = String::from("`");
    for (i, c) in text.chars().enumerate() {
        if i == QUOTE_MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            let _ = write!(out, "{}", c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('`');
    out
}

/// A value serialized with its secrets masked: values under a secret-looking key, and every
/// key and value inside such a member, become `***`.
struct Masked<'a> {
    value: &'a Value,
    secret: bool,
}

impl Serialize for Masked<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.value {
            Value::Object(map) => {
                let mut out = s.serialize_map(Some(map.len()))?;
                for (key, value) in map {
                    let secret = self.secret || is_secret_key(key);
                    let shown_key = if self.secret {
                        MASKED_KEY
                    } else {
                        key.as_str()
                    };
                    out.serialize_entry(shown_key, &Masked { value, secret })?;
                }
                out.end()
            }
            Value::Array(items) => {
                let mut out = s.serialize_seq(Some(items.len()))?;
                for value in items {
                    out.serialize_element(&Masked {
                        value,
                        secret: self.secret,
                    })?;
                }
                out.end()
            }
            _ if self.secret => s.serialize_str(MASKED_KEY),
            other => other.serialize(s),
        }
    }
}

/// A writer that takes up to `limit` bytes and then fails, which stops a serializer early.
struct Limited {
    text: String,
    limit: usize,
}

impl Limited {
    fn new(limit: usize) -> Self {
        Limited {
            text: String::new(),
            limit,
        }
    }
}

impl std::io::Write for Limited {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let room = self.limit.saturating_sub(self.text.len());
        if room == 0 {
            return Err(std::io::Error::other("full"));
        }
        let take = &buf[..buf.len().min(room)];
        // serde_json writes whole UTF-8 sequences at most split at this cut; keep what decodes.
        self.text.push_str(&String::from_utf8_lossy(take));
        Ok(take.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The lines of `source` numbered in `lines` (1-based, ascending), with every secret masked:
/// what a renderer may show of a payload. A line past the end of the text is left out.
#[cfg(any(feature = "render", test))]
pub(crate) fn masked_lines(source: &str, lines: &[usize]) -> Vec<(usize, String)> {
    cut_lines(source, lines, mask_ranges)
}

/// [`masked_lines`] for a text whose secrets were found otherwise (a YAML document's, by its
/// parser's spans): `masks` gives the byte ranges to hide in the text up to the last wanted line.
#[cfg_attr(not(feature = "yaml"), allow(dead_code))]
pub(crate) fn masked_lines_with(
    source: &str,
    lines: &[usize],
    masks: impl FnOnce(&str) -> Vec<(usize, usize)>,
) -> Vec<(usize, String)> {
    cut_lines(source, lines, |text| merge(masks(text)))
}

/// The wanted lines of `source`, masked by the ranges `masks` finds in the text up to the last
/// of them.
fn cut_lines(
    source: &str,
    lines: &[usize],
    masks: impl FnOnce(&str) -> Vec<(usize, usize)>,
) -> Vec<(usize, String)> {
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
    let masks = masks(&source[..until.min(source.len())]);
    starts
        .into_iter()
        .map(|(number, start, text)| (number, masked(text, start, &masks).into_owned()))
        .collect()
}

/// Ranges sorted and merged where they overlap.
#[cfg_attr(not(feature = "yaml"), allow(dead_code))]
fn merge(mut masks: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    masks.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(masks.len());
    for (start, end) in masks {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// A number at `pointer` as a message may show it: `None` under a secret-looking key.
#[cfg_attr(not(feature = "yaml"), allow(dead_code))]
pub(crate) fn shown_unless_secret(pointer: &str, number: &serde_json::Number) -> Option<Shown> {
    (!is_secret_pointer(pointer)).then(|| shown_number(number))
}

/// `text` with every secret masked; borrowed when nothing is.
#[cfg(test)]
pub(crate) fn secrets(text: &str) -> Cow<'_, str> {
    masked(text, 0, &mask_ranges(text))
}

/// How deep strings holding JSON text that holds strings holding JSON text are looked into.
const NESTED_JSON_DEPTH: usize = 4;

/// The byte ranges of `text` to mask, sorted and disjoint.
fn mask_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut masks = Vec::new();
    mask_into(text, 0, NESTED_JSON_DEPTH, &mut masks);
    masks.sort_unstable();
    // Merge overlaps (a range masked as a whole and again inside).
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(masks.len());
    for (start, end) in masks {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// Adds to `out` the ranges of `text` (which starts at `base` in the text the ranges index)
/// that hold secrets.
fn mask_into(text: &str, base: usize, depth: usize, out: &mut Vec<(usize, usize)>) {
    // Open containers: (is an object, everything inside is secret).
    let mut stack: Vec<(bool, bool)> = Vec::new();
    // In an object, the next token is a key.
    let mut expecting_key = false;
    // The key just read names a secret.
    let mut secret_key = false;
    // A value just ended: a comma or a closing bracket should come next.
    let mut after_value = false;
    // The text broke JSON's grammar somewhere before: its structure is in doubt from there on,
    // and any word that names a secret hides the rest of its line.
    let mut doubt = false;
    let mut lexer = Lexer::new(text);
    let mut pending: Option<Token> = None;
    while let Some(token) = pending.take().or_else(|| lexer.next()) {
        let (in_object, inherited) = stack.last().copied().unwrap_or((false, false));
        let starts_value = matches!(
            token.kind,
            TokenKind::OpenObject | TokenKind::OpenArray | TokenKind::Str { .. } | TokenKind::Word
        );
        doubt |= after_value && starts_value;
        after_value = false;
        match token.kind {
            TokenKind::OpenObject | TokenKind::OpenArray => {
                let object = token.kind == TokenKind::OpenObject;
                stack.push((object, inherited || secret_key));
                expecting_key = object;
                secret_key = false;
            }
            TokenKind::CloseObject | TokenKind::CloseArray => {
                stack.pop();
                expecting_key = false;
                secret_key = false;
                after_value = true;
            }
            TokenKind::Comma => {
                expecting_key = in_object;
                secret_key = false;
            }
            TokenKind::Colon => expecting_key = false,
            TokenKind::Str { .. } | TokenKind::Word => {
                doubt |= !well_formed(text, &token);
                let name = key_text(text, &token);
                if doubt && is_secret_key(&name) {
                    push(out, base, (token.end, line_end(text, token.end)));
                }
                // A key is what a colon follows, or what stands where a key is expected.
                let next = lexer.next();
                let colon = next.is_some_and(|t| t.kind == TokenKind::Colon);
                if colon || expecting_key {
                    if inherited {
                        push(out, base, token.inner(text));
                    }
                    secret_key = inherited || is_secret_key(&name);
                    expecting_key = false;
                    if !colon {
                        doubt = true;
                        if secret_key {
                            // A secret key without its colon: the rest of the line is in doubt.
                            push(out, base, (token.end, line_end(text, token.end)));
                        }
                    }
                    pending = next.filter(|t| t.kind != TokenKind::Colon);
                    continue;
                }
                pending = next;
                after_value = true;
                if inherited || secret_key {
                    push(out, base, token.inner(text));
                    if !matches!(
                        token.kind,
                        TokenKind::Str {
                            single: false,
                            closed: true,
                            ..
                        }
                    ) && token.kind != TokenKind::Word
                    {
                        // A value that is not a plain string or word may run on.
                        push(out, base, (token.end, line_end(text, token.end)));
                    }
                } else if depth > 0 && matches!(token.kind, TokenKind::Str { single: false, .. }) {
                    nested_json(text, &token, base, depth - 1, out);
                }
                secret_key = false;
            }
        }
    }
}

/// A string in double quotes that is closed, or a word JSON has (`true`, `false`, `null`, a
/// number).
fn well_formed(text: &str, token: &Token) -> bool {
    match token.kind {
        TokenKind::Str { single, closed, .. } => !single && closed,
        _ => {
            let word = text.get(token.start..token.end).unwrap_or_default();
            matches!(word, "true" | "false" | "null")
                || word
                    .bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_digit() || b == b'-')
        }
    }
}

/// A key token's name: unescaped when it is a JSON string, as written otherwise.
fn key_text<'t>(text: &'t str, token: &Token) -> Cow<'t, str> {
    let (start, end) = token.inner(text);
    let raw = text.get(start..end).unwrap_or_default();
    match token.kind {
        TokenKind::Str {
            single: false,
            closed: true,
            escaped: true,
        } => serde_json::from_str::<String>(text.get(token.start..token.end).unwrap_or(""))
            .map_or(Cow::Borrowed(raw), Cow::Owned),
        _ => Cow::Borrowed(raw),
    }
}

/// Masks the secrets of JSON text held in the string `token` (as a release's `values` are).
fn nested_json(
    text: &str,
    token: &Token,
    base: usize,
    depth: usize,
    out: &mut Vec<(usize, usize)>,
) {
    let (start, end) = token.inner(text);
    let raw = text.get(start..end).unwrap_or_default();
    let head = raw.trim_start();
    if !(head.starts_with('{') || head.starts_with('[') || head.starts_with("\\n")) {
        return;
    }
    let inner = unescape(raw);
    let mut inner_masks = Vec::new();
    mask_into(&inner, 0, depth, &mut inner_masks);
    if inner_masks.is_empty() {
        return;
    }
    let mut ends: Vec<usize> = inner_masks.iter().flat_map(|&(a, b)| [a, b]).collect();
    ends.sort_unstable();
    ends.dedup();
    let from = raw_offsets(raw, &ends);
    let at = |offset: usize| {
        ends.binary_search(&offset)
            .ok()
            .and_then(|i| from.get(i).copied())
    };
    for (a, b) in inner_masks {
        if let (Some(ra), Some(rb)) = (at(a), at(b)) {
            out.push((base + start + ra, base + start + rb));
        }
    }
}

/// The next character of the string content `raw` at `i`, and the bytes it takes there.
fn char_at(raw: &str, i: usize) -> (char, usize) {
    if raw.as_bytes().get(i) == Some(&b'\\') {
        escape(raw, i)
    } else {
        let c = raw
            .get(i..)
            .and_then(|r| r.chars().next())
            .unwrap_or('\u{fffd}');
        (c, c.len_utf8())
    }
}

/// The string content `raw` (without quotes) unescaped. Invalid escapes are kept as written.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let (c, len) = char_at(raw, i);
        out.push(c);
        i += len;
    }
    out
}

/// For each offset in `targets` (ascending) into [`unescape`]`(raw)`, the offset in `raw` of the
/// character it falls in (the end of `raw` for the end of the text): one pass, and memory by the
/// number of targets, not of bytes.
fn raw_offsets(raw: &str, targets: &[usize]) -> Vec<usize> {
    let mut found = Vec::with_capacity(targets.len());
    let (mut i, mut o) = (0, 0);
    let mut targets = targets.iter().copied().peekable();
    while let Some(&target) = targets.peek() {
        if i >= raw.len() {
            found.push(raw.len());
            targets.next();
            continue;
        }
        let (c, len) = char_at(raw, i);
        if target < o + c.len_utf8() {
            found.push(i);
            targets.next();
            continue;
        }
        i += len;
        o += c.len_utf8();
    }
    found
}

/// The character an escape at `at` stands for, and how many bytes it takes.
fn escape(raw: &str, at: usize) -> (char, usize) {
    let b = raw.as_bytes();
    let simple = match b.get(at + 1) {
        Some(b'n') => '\n',
        Some(b't') => '\t',
        Some(b'r') => '\r',
        Some(b'b') => '\u{8}',
        Some(b'f') => '\u{c}',
        Some(b'/') => '/',
        Some(b'\\') => '\\',
        Some(b'"') => '"',
        Some(b'u') => {
            let hex = |from: usize| {
                raw.get(from..from + 4)
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
            };
            return match hex(at + 2) {
                Some(hi @ 0xD800..=0xDBFF) if b.get(at + 6) == Some(&b'\\') => match hex(at + 8) {
                    Some(lo @ 0xDC00..=0xDFFF) => {
                        let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                        (char::from_u32(c).unwrap_or('\u{fffd}'), 12)
                    }
                    _ => ('\u{fffd}', 6),
                },
                Some(c) => (char::from_u32(c).unwrap_or('\u{fffd}'), 6),
                None => ('\\', 1),
            };
        }
        _ => return ('\\', 1),
    };
    (simple, 2)
}

fn push(out: &mut Vec<(usize, usize)>, base: usize, (start, end): (usize, usize)) {
    if start < end {
        out.push((base + start, base + end));
    }
}

/// The offset of the end of the line `at` is on.
fn line_end(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|rest| rest.find('\n'))
        .map_or(text.len(), |i| at + i)
}

/// `part`, which starts at byte `offset` of the text `masks` were found in, with the masked
/// ranges replaced by one `*` per character (so that columns stay where they were).
fn masked<'a>(part: &'a str, offset: usize, masks: &[(usize, usize)]) -> Cow<'a, str> {
    let end = offset + part.len();
    // The first mask that ends inside or after the part.
    let first = masks.partition_point(|&(_, mask_end)| mask_end <= offset);
    let overlapping = masks[first..].iter().take_while(|&&(start, _)| start < end);
    let mut out: Option<String> = None;
    let mut at = 0;
    for &(start, stop) in overlapping {
        let start = floor_boundary(part, start.max(offset) - offset).max(at);
        let stop = ceil_boundary(part, stop.min(end) - offset);
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

#[cfg(test)]
mod tests {

    #[test]
    fn offsets_in_unescaped_text_go_back_to_the_escapes() {
        for raw in [
            r#"{\"a\": \"\u00e9\ud83d\ude00x\", \"b\": \"\\\"}\n"#,
            "plain é text",
            r#"\u12"#,
            r#"\q\"#,
            "",
        ] {
            let inner = unescape(raw);
            // Naively: every byte of the unescaped text, with where its character came from.
            let mut naive = Vec::new();
            let mut i = 0;
            while i < raw.len() {
                let (c, len) = char_at(raw, i);
                naive.extend(std::iter::repeat_n(i, c.len_utf8()));
                i += len;
            }
            naive.push(raw.len());
            assert_eq!(naive.len(), inner.len() + 1, "{raw}");
            let targets: Vec<usize> = (0..=inner.len()).collect();
            assert_eq!(raw_offsets(raw, &targets), naive, "{raw}");
        }
    }
    use super::*;

    /// The one list, as a table: every name the issue tracker and real charts use, and the
    /// innocent keys that must stay readable.
    #[test]
    fn secret_names() {
        for key in [
            "password",
            "dbPassword",
            "PASSWD",
            "pwd",
            "dbPwd",
            "secret",
            "clientSecret",
            "existingSecret",
            "token",
            "AUTH_TOKEN",
            "apiKey",
            "api_key",
            "apikey",
            "accessKey",
            "privateKey",
            "private_key",
            "ssh_priv",
            "sshPrivateKey",
            "credentials",
            "creds",
            "tls.key",
            "caCert",
            "tls.crt.pem",
            "certificate",
            "signature",
            "basicAuth",
            "auth",
            "passphrase",
            "kubeconfig",
            "KUBECONFIG",
            ".dockerconfigjson",
            "dbPass",
            "PASS",
            "db_pass",
            "jwt",
            "jwtSecret",
            "bearer",
            "bearerToken",
            "dsn",
            "sentryDsn",
            "connectionString",
            "connection_string",
            "sessionCookie",
            "salt",
            "passwordSalt",
            "otp",
            "totp",
            "pem",
            "hmac",
            "pin",
            "key",
        ] {
            assert!(is_secret_key(key), "{key} should be secret");
        }
        for key in [
            "name",
            "imageTag",
            "imagePullPolicy",
            "replicas",
            "replicaCount",
            "chart_id",
            "namespace",
            "values",
            "description",
            "passive",
            "compassion",
            "keyboard",
            "hostname",
            "enabled",
            "spinner",
            "pinned",
            "salty_snack_count",
            "persistence",
            "service",
            "ingress",
            "resources",
            "port",
            "",
        ] {
            assert!(!is_secret_key(key), "{key} should not be secret");
        }
        // The ASCII fast path and the general one agree.
        for key in [
            "dbPassword",
            "monkey",
            "passive",
            "ssh_priv",
            "totp",
            "apiKey",
            "name",
        ] {
            assert_eq!(judge_key(key), is_secret_key_unicode(key), "{key}");
        }
        assert!(is_secret_key("clé_password"));
        assert!(is_secret_key("mötleyToken"));
        // Very long keys are judged by their ends, without scanning megabytes.
        assert!(is_secret_key(&format!("{}password", "x".repeat(100_000))));
        assert!(!is_secret_key(&"x".repeat(100_000)));
    }

    proptest::proptest! {
        #[test]
        fn the_ascii_path_agrees_with_the_general_one(key in "[a-zA-Z0-9_.\\- ]{0,40}") {
            proptest::prop_assert_eq!(judge_key(&key), is_secret_key_unicode(&key), "{}", key);
        }
    }

    fn planted() -> impl proptest::strategy::Strategy<Value = (String, usize)> {
        use proptest::prelude::*;
        let names: Vec<&str> = SECRET_NAMES.iter().map(|(n, _)| *n).collect();
        (
            prop::sample::select(names),
            prop::collection::vec(("[a-z]{1,8}", "[a-z0-9 ]{0,8}"), 0..4),
            any::<bool>(),
            0usize..7,
            any::<usize>(),
        )
            .prop_map(|(name, others, pretty, mutation, at)| {
                let mut members: Vec<(String, serde_json::Value)> = others
                    .into_iter()
                    .map(|(k, v)| (k, serde_json::Value::from(v)))
                    .collect();
                let place = at % (members.len() + 1);
                members.insert(place, (name.to_owned(), "S3CRETVALUE".into()));
                let object: serde_json::Map<String, Value> = members.into_iter().collect();
                let doc = serde_json::json!({"values": {"nested": object}});
                let text = if pretty {
                    serde_json::to_string_pretty(&doc).unwrap_or_default()
                } else {
                    doc.to_string()
                };
                // Break the text where the secret's member is: its key's quotes, its colon,
                // its value's quotes, or the quotes turned to single ones.
                let key = text.find(&format!("\"{name}\"")).unwrap_or(0);
                let mut broken: Vec<char> = text.chars().collect();
                let remove = |b: &mut Vec<char>, i: usize| {
                    if i < b.len() {
                        b.remove(i);
                    }
                };
                match mutation {
                    0 => remove(&mut broken, key),
                    1 => remove(&mut broken, key + name.len() + 1),
                    2 => remove(&mut broken, key + name.len() + 2),
                    3 => {
                        let value = text.find("S3CRETVALUE").unwrap_or(1) - 1;
                        remove(&mut broken, value);
                    }
                    4 => broken = text.replace('"', "'").chars().collect(),
                    // JSON text in a string, its quotes not escaped.
                    5 => broken = format!("{{\"values\": \"{doc}\"}}").chars().collect(),
                    _ => {}
                }
                (broken.into_iter().collect(), mutation)
            })
    }

    proptest::proptest! {
        #[test]
        fn planted_secrets_never_survive_masking_even_in_broken_text((text, _) in planted()) {
            let masked = secrets(&text);
            proptest::prop_assert!(!masked.contains("S3CRETVALUE"), "{}\n{}", text, masked);
        }
    }

    #[test]
    fn quotes_mask_shorten_and_escape() {
        assert_eq!(quote_str("/name", "Koi").as_str(), "`Koi`");
        assert!(quote_str("/values/db/Password", "hunter2").is_masked());
        let long = "x".repeat(100);
        assert_eq!(
            quote_str("/name", &long).as_str().chars().count(),
            QUOTE_MAX + 3
        );
        assert_eq!(quote_str("/name", "a\nb").as_str(), "`a\\nb`");
        assert!(quote_number("/values/pin", &serde_json::Number::from(1234)).is_masked());
    }

    #[test]
    fn composite_quotes_are_masked_member_by_member() {
        let v = serde_json::json!({"user": "bob", "password": "hunter2", "nested": [{"apiKey": "k-123"}],
            "tokens": {"t0k3n-value": "alice"}});
        let q = quote_value("/cluster_id", &v);
        for secret in ["hunter2", "k-123", "t0k3n-value"] {
            assert!(!q.as_str().contains(secret), "{q}");
        }
        assert!(q.as_str().contains("bob"), "{q}");
        // A huge composite costs a bounded quote.
        let big = Value::Array(vec![Value::from("x"); 1_000_000]);
        assert!(quote_value("/x", &big).as_str().len() < 400);
    }

    #[test]
    fn json_text_in_strings_is_masked_as_json() {
        let s = r#"{"db": {"password": "hunter2", "host": "db"}}"#;
        let q = quote_str("/values", s);
        assert!(!q.as_str().contains("hunter2"), "{q}");
        assert!(q.as_str().contains("host"), "{q}");
        // In a source line: the string's escaped JSON text.
        let line =
            r#"{"name": "koi", "values": "{\"db\":{\"password\":\"hunter2\",\"port\":5432}}"}"#;
        let masked = secrets(line);
        assert!(!masked.contains("hunter2"), "{masked}");
        assert!(masked.contains("5432"), "{masked}");
        assert_eq!(masked.chars().count(), line.chars().count());
    }

    #[test]
    fn long_pointers_are_abbreviated_after_masking() {
        let key = "k".repeat(1000);
        let pointer = format!("/values{}", format!("/{key}").repeat(100));
        let short = abbreviate_pointer(&pointer, 1024);
        assert!(short.len() <= 1024 + 8, "{}", short.len());
        assert!(short.starts_with("/values/kkkk"), "{short}");
        assert!(short.contains("/…/"), "{short}");
        let secret = format!("/values/tokens/{}", "s".repeat(5000));
        assert_eq!(abbreviate_pointer(&secret, 1024), "/values/tokens/***");
    }

    #[test]
    fn pointers_mask_keys_below_a_secret_key() {
        assert_eq!(mask_pointer("/values/tokens/abc123"), "/values/tokens/***");
        assert_eq!(mask_pointer("/values/db/password"), "/values/db/password");
        assert_eq!(mask_pointer("/values/a/b"), "/values/a/b");
        assert_eq!(mask_pointer("/values/apiKey/0/x"), "/values/apiKey/***/***");
    }

    #[test]
    fn masks_values_under_secret_keys_and_keeps_columns() {
        let text = r#"{"name": "koi", "values": {"db": {"password": "hünter2", "port": 5432},
  "apiKey": 12345, "credentials": {"user": "admin", "list": ["a", {"x": true}]}, "ok": "shown"}}"#;
        let masked = secrets(text);
        assert_eq!(
            masked,
            r#"{"name": "koi", "values": {"db": {"password": "*******", "port": 5432},
  "apiKey": *****, "credentials": {"****": "*****", "****": ["*", {"*": ****}]}, "ok": "shown"}}"#
        );
        assert_eq!(masked.chars().count(), text.chars().count());
    }

    #[test]
    fn masks_broken_syntax_too() {
        for (text, secret) in [
            (r#"{password: "hunter2", "a": 1}"#, "hunter2"),
            ("{'password': 'hunter2'}", "hunter2"),
            (r#"{"password" "hunter2"}"#, "hunter2"),
            (r#"{"password": hunter2 x}"#, "hunter2"),
            ("{\"token\": \"unterminated\n\"b\": 1}", "unterminated"),
            (r#"{"a": 1 "apiKey": "k-9"}"#, "k-9"),
            ("password: hunter2\n", "hunter2"),
            (r#"{"password": 'hunter2 and more'}"#, "hunter2"),
        ] {
            let masked = secrets(text);
            assert!(!masked.contains(secret), "{text:?} -> {masked:?}");
        }
    }

    #[test]
    fn masks_a_line_of_the_text_alone() {
        let text = "{\"a\": 1,\n \"token\": \"abcdef\", \"b\": 2}";
        assert_eq!(
            masked_lines(text, &[2]),
            [(2, r#" "token": "******", "b": 2}"#.to_owned())]
        );
        assert_eq!(masked_lines(text, &[1, 3]), [(1, r#"{"a": 1,"#.to_owned())]);
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
            "'",
            "\\u",
            "\"{\\\"a\\u12",
            "\"[\\ud800\\u\"",
        ] {
            let _ = secrets(broken);
            let _ = quote_str("/x", broken);
        }
    }
}
