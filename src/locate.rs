//! JSON Pointer → position in the source text, for the findings a report keeps.
//!
//! The parser builds values without positions (keeping them for every node would tax every
//! valid payload). Only for the findings that are kept (at most the report's limit) does this
//! module walk the text once more, with the shared tokenizer ([`crate::syntax`]), to the members
//! and values their pointers name. The walk is iterative, skips subtrees no pointer goes into,
//! stops once everything is found, and gives up (no position) on text that is not well-formed
//! rather than guessing. It owns positions; it knows nothing of findings or messages.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::syntax::{Lexer, Token, TokenKind};

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

/// The byte offset of what each pointer names, in one walk over the text. Of repeated keys the
/// last one counts, as it does in a parsed value; `unique_keys` (the text is known to repeat no
/// key) lets the walk stop once every pointer is found. A pointer that names nothing in the text
/// gets the position of its nearest ancestor that does; `None` only when the text is not
/// well-formed before even the document's start could be found.
///
/// The pointers are arranged in a trie of their tokens, so the walk compares one key at a time
/// with the keys wanted at that depth (never a whole pointer, however long), and skips every
/// subtree no pointer goes into.
pub(crate) fn resolve(
    text: &str,
    requests: &[(&str, Target)],
    unique_keys: bool,
) -> Vec<Option<usize>> {
    let mut trie = Trie::default();
    let slots: Vec<usize> = requests.iter().map(|(p, _)| trie.insert(p)).collect();
    // For each trie node: the offsets of its key and its value, the last seen.
    let mut seen: Vec<Option<(Option<usize>, usize)>> = vec![None; trie.nodes.len()];
    let wanted: std::collections::HashSet<usize> = slots.iter().copied().collect();
    let mut remaining = wanted.len();
    walk(text, &trie, &mut |node, key, value| {
        if seen[node].is_none() && wanted.contains(&node) {
            remaining -= 1;
        }
        seen[node] = Some((key, value));
        if unique_keys && remaining == 0 {
            Visit::Stop
        } else if trie.nodes[node].children.is_empty() {
            Visit::Skip
        } else {
            Visit::Enter
        }
    });
    slots
        .iter()
        .zip(requests)
        .map(|(&slot, (_, target))| {
            if let Some((key, value)) = seen[slot] {
                return Some(match (target, key) {
                    (Target::Key, Some(key)) => key,
                    _ => value,
                });
            }
            let mut node = slot;
            while let Some(parent) = trie.nodes[node].parent {
                if let Some((_, value)) = seen[parent] {
                    return Some(value);
                }
                node = parent;
            }
            None
        })
        .collect()
}

/// The pointers to resolve, token by token; node 0 is the document.
struct Trie<'p> {
    nodes: Vec<TrieNode<'p>>,
}

struct TrieNode<'p> {
    parent: Option<usize>,
    children: HashMap<Cow<'p, str>, usize>,
}

impl Default for Trie<'_> {
    fn default() -> Self {
        Trie {
            nodes: vec![TrieNode {
                parent: None,
                children: HashMap::new(),
            }],
        }
    }
}

impl<'p> Trie<'p> {
    /// The node of `pointer`, made if need be.
    fn insert(&mut self, pointer: &'p str) -> usize {
        let mut node = 0;
        for token in crate::pointer::tokens(pointer) {
            let next = self.nodes.len();
            let child = *self.nodes[node].children.entry(token).or_insert(next);
            if child == next {
                self.nodes.push(TrieNode {
                    parent: Some(node),
                    children: HashMap::new(),
                });
            }
            node = child;
        }
        node
    }

    fn child(&self, node: usize, token: &str) -> Option<usize> {
        self.nodes[node].children.get(token).copied()
    }
}

/// What the walk does with the value it just reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Visit {
    /// Go into it (when it is an object or an array).
    Enter,
    /// Skip it whole.
    Skip,
    /// Stop walking.
    Stop,
}

/// Calls `visit(trie node, key offset, value offset)` for each value whose pointer is in the
/// trie, in document order, entering the containers `visit` asks for; skips every other value.
/// Stops at the first token that does not fit JSON.
fn walk(text: &str, trie: &Trie<'_>, visit: &mut dyn FnMut(usize, Option<usize>, usize) -> Visit) {
    struct Frame {
        object: bool,
        /// The container's trie node.
        node: usize,
        index: usize,
    }
    let mut lexer = Lexer::new(text);
    let mut stack: Vec<Frame> = Vec::new();
    // The trie node of the value about to be read (`None`: not wanted), and its key's offset.
    let mut current: Option<usize> = Some(0);
    let mut key: Option<usize> = None;
    let mut digits = String::new();
    'values: loop {
        let Some(token) = lexer.next() else {
            return;
        };
        let container = matches!(token.kind, TokenKind::OpenObject | TokenKind::OpenArray);
        match token.kind {
            TokenKind::OpenObject | TokenKind::OpenArray | TokenKind::Word => {}
            TokenKind::Str { single: false, .. } => {}
            _ => return,
        }
        let action = match current {
            Some(node) => visit(node, key, token.start),
            None => Visit::Skip,
        };
        match (action, current) {
            (Visit::Stop, _) => return,
            (Visit::Enter, Some(node)) if container => {
                let object = token.kind == TokenKind::OpenObject;
                if !lexer.close_if_empty(object) {
                    stack.push(Frame {
                        object,
                        node,
                        index: 0,
                    });
                    let entered = if object {
                        member(&mut lexer, text, trie, node, &mut current, &mut key)
                    } else {
                        item(trie, node, 0, &mut digits, &mut current, &mut key);
                        true
                    };
                    if !entered {
                        return;
                    }
                    continue 'values;
                }
            }
            _ if container && !lexer.skip_container() => return,
            _ => {}
        }
        // After a value: `,` and the next one, or the end of containers.
        loop {
            let Some(top) = stack.last_mut() else {
                return;
            };
            match lexer.next().map(|t| t.kind) {
                Some(TokenKind::Comma) if top.object => {
                    if !member(&mut lexer, text, trie, top.node, &mut current, &mut key) {
                        return;
                    }
                    continue 'values;
                }
                Some(TokenKind::Comma) => {
                    top.index += 1;
                    item(
                        trie,
                        top.node,
                        top.index,
                        &mut digits,
                        &mut current,
                        &mut key,
                    );
                    continue 'values;
                }
                Some(TokenKind::CloseObject) if top.object => {
                    stack.pop();
                }
                Some(TokenKind::CloseArray) if !top.object => {
                    stack.pop();
                }
                _ => return,
            }
        }
    }
}

/// Reads `"key":`, and sets the trie node of the member's value; false when the text does not
/// have a member here.
fn member(
    lexer: &mut Lexer<'_>,
    text: &str,
    trie: &Trie<'_>,
    parent: usize,
    current: &mut Option<usize>,
    key: &mut Option<usize>,
) -> bool {
    let Some(
        token @ Token {
            kind:
                TokenKind::Str {
                    single: false,
                    closed: true,
                    escaped,
                },
            ..
        },
    ) = lexer.next()
    else {
        return false;
    };
    if lexer.next().map(|t| t.kind) != Some(TokenKind::Colon) {
        return false;
    }
    *key = Some(token.start);
    let (start, end) = token.inner(text);
    *current = if escaped {
        // The quoted text is a JSON string literal: let serde_json unescape it.
        serde_json::from_str::<String>(text.get(token.start..token.end).unwrap_or(""))
            .ok()
            .and_then(|name| trie.child(parent, &name))
    } else {
        trie.child(parent, text.get(start..end).unwrap_or_default())
    };
    true
}

/// Sets the trie node of item `index` of an array.
fn item(
    trie: &Trie<'_>,
    parent: usize,
    index: usize,
    digits: &mut String,
    current: &mut Option<usize>,
    key: &mut Option<usize>,
) {
    use std::fmt::Write as _;
    digits.clear();
    let _ = write!(digits, "{index}");
    *current = trie.child(parent, digits);
    *key = None;
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "{\n  \"name\": \"koi\",\n  \"values\": {\"a\": [1, {\"b\": \"é\"}], \"a/b\": 2},\n  \"x\": 1, \"x\": 2\n}";

    fn at(pointer: &str, target: Target) -> Option<(u32, u32)> {
        resolve(TEXT, &[(pointer, target)], false)[0].map(|o| line_col(TEXT, o))
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
        // What names nothing takes its nearest ancestor's place.
        assert_eq!(at("/nope", Target::Value), Some((1, 1)));
        assert_eq!(at("/values/a/9", Target::Value), Some((3, 19)));
        assert_eq!(at("/name/0", Target::Value), Some((2, 11)));
    }

    #[test]
    fn many_requests_in_one_walk() {
        let members: Vec<String> = (0..100)
            .map(|i| format!("\"k{i}\": [{i}, {{\"x\": {i}}}]"))
            .collect();
        let text = format!("{{{}}}", members.join(", "));
        let pointers: Vec<String> = (0..100)
            .flat_map(|i| [format!("/k{i}"), format!("/k{i}/1/x")])
            .collect();
        let requests: Vec<(&str, Target)> = pointers
            .iter()
            .map(|p| (p.as_str(), Target::Value))
            .collect();
        let all = resolve(&text, &requests, true);
        for ((p, _), got) in requests.iter().zip(all) {
            let alone = resolve(&text, &[(p, Target::Value)], false)[0];
            assert_eq!(got, alone, "{p}");
            assert!(got.is_some(), "{p}");
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
            resolve(text, &[("/k", Target::Value)], true)[0].map(|o| line_col(text, o)),
            Some((1, 17))
        );
    }

    #[test]
    fn escaped_keys_are_unescaped() {
        let text = r#"{"e\u0061": 1}"#;
        assert_eq!(resolve(text, &[("/ea", Target::Key)], true)[0], Some(1));
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
            "{'a': 1}",
        ] {
            let _ = resolve(text, &[("/a/0", Target::Key), ("", Target::Value)], false);
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
