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
fn node_at<'d>(doc: &'d Doc<'_>, pointer: &str, maps: &mut Maps<'d>) -> Option<Id> {
    let mut id = doc.root;
    for token in pointer::tokens(pointer) {
        id = match &doc.node(id)?.kind {
            NodeKind::Seq(items) => *items.get(token.parse::<usize>().ok()?)?,
            NodeKind::Map(_) => {
                let info = map_info(doc, id, maps)?;
                let member = info
                    .members
                    .get(*info.by_key.get(token.as_ref())?.last()?)?;
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

/// What fixes need of a mapping, worked out once however many findings it has: a mapping of a
/// million members with a thousand findings is read once, not a thousand times.
struct MapInfo<'d> {
    members: Vec<&'d Member>,
    /// By key, the indices of its members.
    by_key: HashMap<&'d str, Vec<usize>>,
    /// No merged members and no keys that are not strings: members may be edited.
    editable: bool,
    /// Where each member's key starts and its value ends (on the first removal; `None` inside
    /// when a node is missing).
    spans: Option<Option<(Vec<usize>, Vec<usize>)>>,
}

/// The mappings fixes were looked up in.
type Maps<'d> = HashMap<Id, MapInfo<'d>>;

/// The [`MapInfo`] of the mapping `id`.
fn map_info<'d, 'm>(
    doc: &'d Doc<'_>,
    id: Id,
    maps: &'m mut Maps<'d>,
) -> Option<&'m mut MapInfo<'d>> {
    let NodeKind::Map(map) = &doc.node(id)?.kind else {
        return None;
    };
    Some(maps.entry(id).or_insert_with(|| {
        #[cfg(test)]
        tests::BUILT.with(|n| n.set(n.get() + 1));
        let members: Vec<&Member> = map.members.iter().collect();
        let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, m) in members.iter().enumerate() {
            by_key.entry(doc.key(m.key)).or_default().push(i);
        }
        MapInfo {
            editable: !members.iter().any(|m| m.merged) && map.extras.is_empty(),
            members,
            by_key,
            spans: None,
        }
    }))
}

fn edits<'d>(
    text: &str,
    doc: &'d Doc<'_>,
    f: &Finding,
    intent: &Intent,
    maps: &mut Maps<'d>,
) -> Option<Vec<(Range<usize>, String)>> {
    let parent = node_at(doc, pointer::parent(&f.pointer), maps)?;
    let token = pointer::tokens(&f.pointer).last()?;
    if let NodeKind::Seq(items) = &doc.node(parent)?.kind {
        // An item: only its value can be rewritten.
        let id = *items.get(token.parse::<usize>().ok()?)?;
        return rewrite(text, doc, id, intent);
    }
    let info = map_info(doc, parent, maps)?;
    // A mapping with merged members or keys that are not strings is left alone.
    if !info.editable {
        return None;
    }
    let same = info.by_key.get(token.as_ref())?;
    let index = *same.last()?;
    match intent {
        Intent::RemoveMember => Some(vec![remove(text, doc, parent, info, index)?]),
        Intent::RemoveEarlier(arena) => {
            // Keys are in the arena in the order of the members.
            let members = &info.members;
            let at = same
                .binary_search_by_key(arena, |&i| {
                    members
                        .get(i)
                        .map_or(0, |m| (m.key.start as usize).saturating_sub(1))
                })
                .ok()?;
            let earlier = *same.get(at.checked_sub(1)?)?;
            Some(vec![remove(text, doc, parent, info, earlier)?])
        }
        Intent::Version | Intent::Word(_) => {
            rewrite(text, doc, info.members.get(index)?.value, intent)
        }
        Intent::Rename(to) => {
            if info.by_key.contains_key(to) {
                return None;
            }
            let key = doc.node(info.members.get(index)?.key_node)?;
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
    info: &mut MapInfo<'_>,
    index: usize,
) -> Option<(Range<usize>, String)> {
    let members = &info.members;
    let spans = info.spans.get_or_insert_with(|| {
        #[cfg(test)]
        tests::BUILT.with(|n| n.set(n.get() + 1));
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
        Some((starts, ends))
    });
    let (starts, ends) = spans.as_ref()?;
    let map_node = doc.node(map)?;
    let head = text.get(map_node.at..)?.trim_start();
    if head.starts_with('{') {
        let open = map_node.at + (text.get(map_node.at..)?.len() - head.len()) + 1;
        return Some((comma_removal(open, starts, ends, index)?, String::new()));
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

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use crate::{Code, Kind, Validator};

    thread_local! {
        /// How many mapping indexes and span lists were built on this thread.
        pub(super) static BUILT: Cell<usize> = const { Cell::new(0) };
    }

    #[test]
    fn a_mapping_is_indexed_once_for_all_its_fixes() {
        let mut text = String::from("name: koi\nvalues:\n");
        for i in 0..3000 {
            text.push_str(&format!("  k: {i}\n  u{i}: 1\n"));
        }
        BUILT.with(|n| n.set(0));
        let report = Validator::new(Kind::CreateRequest).validate_yaml(text.as_bytes());
        let repeats: Vec<_> = report
            .iter()
            .filter(|d| d.code == Code::DuplicateKey)
            .collect();
        assert!(repeats.len() > 900, "{}", repeats.len());
        // Each repeat's fix removes the line of the `k` before it.
        for d in &repeats {
            let fix = d.fix.as_ref().expect("a fix");
            let edit = &fix.edits[0];
            let removed = &text[edit.range.clone()];
            assert!(removed.starts_with("  k: "), "{removed:?}");
            let line = text[..edit.range.start].matches('\n').count() + 1;
            assert_eq!(Some(line as u32 + 2), d.line, "{removed:?}");
        }
        // The root and `values`: an index each, and `values`' spans once.
        assert!(BUILT.with(Cell::get) <= 3, "{}", BUILT.with(Cell::get));
    }
}
