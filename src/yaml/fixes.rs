//! Fixes in YAML text, from the loader's nodes and their byte offsets: a block mapping's member
//! is removed with its lines (a comment at the end of them included), a flow mapping's with its
//! comma; a scalar is rewritten in the style it was written in (plain when the new text reads
//! as the same string in YAML 1.1 and 1.2, else double-quoted).

use std::collections::HashMap;
use std::ops::Range;

use super::load::{Doc, Id, Kind as NodeKind, Member};
use super::scalar::{self, Reading};
use crate::fix::{Fix, Intent, comma_removal, make};
use crate::pointer;
use crate::validate::Finding;

/// The fix of each finding of a document (`None` for findings without one); `shift` is the
/// length of a byte-order mark before `text`.
pub(crate) fn fixes(
    text: &str,
    shift: usize,
    doc: &Doc<'_>,
    findings: &[Finding],
) -> Vec<Option<Fix>> {
    let mut maps = Maps::default();
    findings
        .iter()
        .map(|f| {
            let (intent, applicability) = Intent::of(f)?;
            let edits = edits(text, doc, f, &intent, &mut maps)?;
            Some(make(&intent, applicability, shift, edits))
        })
        .collect()
}

/// The node `pointer` names, written where it stands (no alias on the way: an edit there would
/// change every place the alias is used).
fn node_at(doc: &Doc<'_>, pointer: &str) -> Option<Id> {
    let mut id = doc.root;
    for token in pointer::tokens(pointer) {
        id = match &doc.node(id)?.kind {
            NodeKind::Seq(items) => *items.get(token.parse::<usize>().ok()?)?,
            NodeKind::Map(map) => {
                let member = map
                    .members
                    .iter()
                    .rev()
                    .find(|m| doc.key(m.key) == token.as_ref())?;
                if member.merged {
                    return None;
                }
                member.value
            }
            _ => return None,
        };
    }
    Some(id)
}

/// The mappings fixes were looked up in: their members and, by key, the indices of each (built
/// once per mapping, however many findings it has).
type Maps<'d> = HashMap<Id, (Vec<&'d Member>, HashMap<&'d str, Vec<usize>>)>;

fn edits<'d>(
    text: &str,
    doc: &'d Doc<'_>,
    f: &Finding,
    intent: &Intent,
    maps: &mut Maps<'d>,
) -> Option<Vec<(Range<usize>, String)>> {
    let parent = node_at(doc, pointer::parent(&f.pointer))?;
    let token = pointer::tokens(&f.pointer).last()?;
    let parent_node = doc.node(parent)?;
    if let NodeKind::Seq(items) = &parent_node.kind {
        // An item: only its value can be rewritten.
        let id = *items.get(token.parse::<usize>().ok()?)?;
        return rewrite(text, doc, id, intent);
    }
    let NodeKind::Map(map) = &parent_node.kind else {
        return None;
    };
    // A mapping with merged members or keys that are not strings is left alone.
    if map.members.iter().any(|m| m.merged) || !map.extras.is_empty() {
        return None;
    }
    let (members, by_key) = maps.entry(parent).or_insert_with(|| {
        let members: Vec<&Member> = map.members.iter().collect();
        let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, m) in members.iter().enumerate() {
            by_key.entry(doc.key(m.key)).or_default().push(i);
        }
        (members, by_key)
    });
    let members: &[&Member] = members;
    let same = by_key.get(token.as_ref())?;
    let index = *same.last()?;
    match intent {
        Intent::RemoveMember => Some(vec![remove(text, doc, parent, members, index)?]),
        Intent::RemoveEarlier(arena) => {
            // Keys are in the arena in the order of the members.
            let at = same
                .binary_search_by_key(arena, |&i| {
                    members
                        .get(i)
                        .map_or(0, |m| (m.key.start as usize).saturating_sub(1))
                })
                .ok()?;
            let earlier = *same.get(at.checked_sub(1)?)?;
            Some(vec![remove(text, doc, parent, members, earlier)?])
        }
        Intent::Version | Intent::Word(_) => rewrite(text, doc, members.get(index)?.value, intent),
        Intent::Rename(to) => {
            if by_key.contains_key(to) {
                return None;
            }
            let key = doc.node(members.get(index)?.key_node)?;
            let span = trimmed(text, key.at, key.end)?;
            let written = text.get(span.clone())?;
            Some(vec![(span, styled(written, to)?)])
        }
        Intent::StripBom => None,
    }
}

/// The new text of a string scalar, in its style.
fn rewrite(
    text: &str,
    doc: &Doc<'_>,
    id: Id,
    intent: &Intent,
) -> Option<Vec<(Range<usize>, String)>> {
    let node = doc.node(id)?;
    let NodeKind::Scalar { text: value, .. } = &node.kind else {
        return None;
    };
    let new = intent.new_string(value)?;
    let span = trimmed(text, node.at, node.end)?;
    let written = text.get(span.clone())?;
    Some(vec![(span, styled(written, &new)?)])
}

/// `new` written as `written` is: quoted the same way, or plain when that reads as the same
/// string in both YAML versions; `None` for block scalars, tags and anchors.
fn styled(written: &str, new: &str) -> Option<String> {
    match written.as_bytes().first()? {
        b'"' => serde_json::to_string(new).ok(),
        b'\'' => Some(format!("'{}'", new.replace('\'', "''"))),
        b'|' | b'>' | b'!' | b'&' | b'*' => None,
        _ => {
            let plain = !new.is_empty()
                && new
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'+'))
                && scalar::yaml12(new) == Reading::Str
                && scalar::yaml11(new) == Reading::Str;
            if plain {
                Some(new.to_owned())
            } else {
                serde_json::to_string(new).ok()
            }
        }
    }
}

/// `at..end` without the whitespace (and, for a plain scalar, a comment) that a node's span may
/// run on into.
fn trimmed(text: &str, at: usize, end: usize) -> Option<Range<usize>> {
    let inside = text.get(at..end)?;
    Some(at..at + inside.trim_end().len())
}

/// The edit that removes member `index` of a mapping.
fn remove(
    text: &str,
    doc: &Doc<'_>,
    map: Id,
    members: &[&Member],
    index: usize,
) -> Option<(Range<usize>, String)> {
    let starts: Vec<usize> = members
        .iter()
        .map(|m| doc.node(m.key_node).map(|k| k.at))
        .collect::<Option<_>>()?;
    let ends: Vec<usize> = members
        .iter()
        .map(|m| {
            let key = doc.node(m.key_node)?;
            let value = doc.node(m.value)?;
            // An empty value (`key:`) may sit before its key's end.
            let value_end = trimmed(text, value.at, value.end)?.end;
            Some(value_end.max(key.end))
        })
        .collect::<Option<_>>()?;
    let map_node = doc.node(map)?;
    let head = text.get(map_node.at..)?.trim_start();
    if head.starts_with('{') {
        let open = map_node.at + (text.get(map_node.at..)?.len() - head.len()) + 1;
        return Some((comma_removal(open, &starts, &ends, index)?, String::new()));
    }
    if head.starts_with(['&', '!', '[']) {
        return None;
    }
    let start = *starts.get(index)?;
    let end = *ends.get(index)?;
    if members.len() == 1 {
        // The mapping becomes empty: `{}` in the member's place.
        return Some((start..end, "{}".to_owned()));
    }
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    let before = text.get(line_start..start)?;
    if before.bytes().all(|b| b == b' ' || b == b'\t') {
        // Whole lines: from the key's line to the end of the value's last one.
        let line_end = text
            .get(end..)?
            .find('\n')
            .map_or(text.len(), |i| end + i + 1);
        return Some((line_start..line_end, String::new()));
    }
    // The first member after `- ` or `--- `: the next member moves up into its place.
    let next = *starts.get(index + 1)?;
    Some((start..next, String::new()))
}
