//! Fixes in JSON text: the members and items of the containers the fixes are about, read in one
//! walk over the text with the shared tokenizer, then each fix as edits of their spans.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::ops::Range;

use super::{Applicability, Fix, Intent, make};
use crate::pointer;
use crate::syntax::{Lexer, TokenKind};
use crate::validate::Finding;

/// A member of an object or an item of an array, as written.
#[derive(Debug, Clone)]
struct Child {
    /// Its place among the container's members or items.
    index: usize,
    /// The key's string token (members only).
    key: Option<Range<usize>>,
    /// The value, from its first byte to just past its last.
    value: Range<usize>,
    /// The value is a string token.
    string: bool,
    /// Where the value of the member before it ends.
    prev_end: Option<usize>,
    /// Where the key of the member after it starts.
    next_start: Option<usize>,
}

/// What the fixes ask of one container.
#[derive(Debug, Default)]
struct Want {
    /// Member names (the last member of each is kept).
    names: HashSet<String>,
    /// Key offsets of repeated members: the member of the same name before each is kept.
    earlier: HashSet<usize>,
    /// Item indices.
    items: HashSet<usize>,
}

/// What was read of an object or array the fixes are about: only the members and items they
/// name, so memory follows the number of fixes, not of members.
#[derive(Debug, Default)]
struct Container {
    /// Just past its opening bracket.
    open: usize,
    object: bool,
    /// The last member of each wanted name.
    last: HashMap<String, Child>,
    /// By the key offset of a repeated member: the member of its name before it.
    earlier: HashMap<usize, Child>,
    /// The wanted items.
    items: HashMap<usize, Child>,
    /// The child whose `next_start` the next member gives: a name in `last`.
    pending: Option<String>,
}

/// The fix of each finding (`None` for findings without one), in `text` (the input after a
/// byte-order mark of `shift` bytes).
pub(crate) fn fixes(text: &str, shift: usize, findings: &[Finding]) -> Vec<Option<Fix>> {
    let intents: Vec<Option<(Intent, Applicability)>> = findings.iter().map(Intent::of).collect();
    if intents.iter().all(Option::is_none) {
        return vec![None; findings.len()];
    }
    let mut wanted: HashMap<String, Want> = HashMap::new();
    for (f, intent) in findings.iter().zip(&intents) {
        let Some((intent, _)) = intent else { continue };
        if *intent == Intent::StripBom {
            continue;
        }
        let want = wanted
            .entry(pointer::parent(&f.pointer).to_owned())
            .or_default();
        let Some(last) = pointer::tokens(&f.pointer).last() else {
            continue;
        };
        if let Ok(index) = last.parse::<usize>() {
            want.items.insert(index);
        }
        match intent {
            Intent::RemoveEarlier(at) => {
                want.earlier.insert(*at);
            }
            Intent::Rename(to) => {
                want.names.insert((*to).to_owned());
            }
            _ => {}
        }
        want.names.insert(last.into_owned());
    }
    let containers = if wanted.is_empty() {
        HashMap::new()
    } else {
        read(text, &wanted)
    };
    findings
        .iter()
        .zip(intents)
        .map(|(f, intent)| {
            let (intent, applicability) = intent?;
            if intent == Intent::StripBom {
                return (shift > 0)
                    .then(|| make(&intent, applicability, 0, vec![(0..shift, String::new())]));
            }
            let edits = edits(text, &containers, f, &intent)?;
            Some(make(&intent, applicability, shift, edits))
        })
        .collect()
}

/// The edits of one fix.
fn edits(
    text: &str,
    containers: &HashMap<String, Container>,
    f: &Finding,
    intent: &Intent,
) -> Option<Vec<(Range<usize>, String)>> {
    let container = containers.get(pointer::parent(&f.pointer))?;
    let token = pointer::tokens(&f.pointer).last()?;
    let child = if container.object {
        container.last.get(token.as_ref())?
    } else {
        container.items.get(&token.parse::<usize>().ok()?)?
    };
    match intent {
        Intent::RemoveMember if container.object => {
            Some(vec![(remove(container, child), String::new())])
        }
        Intent::RemoveEarlier(at) if container.object => {
            let earlier = container.earlier.get(at)?;
            Some(vec![(remove(container, earlier), String::new())])
        }
        Intent::Version | Intent::Word(_) => {
            if !child.string {
                return None;
            }
            let found: String = serde_json::from_str(text.get(child.value.clone())?).ok()?;
            let new = intent.new_string(&found)?;
            Some(vec![(
                child.value.clone(),
                serde_json::to_string(&new).ok()?,
            )])
        }
        Intent::Rename(to) if container.object => {
            if container.last.contains_key(*to) {
                return None;
            }
            Some(vec![(child.key.clone()?, serde_json::to_string(to).ok()?)])
        }
        _ => None,
    }
}

/// The bytes to delete to remove a member (see [`comma_removal`]).
fn remove(container: &Container, child: &Child) -> Range<usize> {
    let start = child.key.as_ref().map_or(child.value.start, |k| k.start);
    match (child.next_start, child.prev_end) {
        (Some(next), _) => start..next,
        (None, Some(prev)) if child.index > 0 => prev..child.value.end,
        _ => container.open..child.value.end,
    }
}

/// One open container during the walk.
struct Frame<'w> {
    pointer: Option<String>,
    /// What the fixes ask of this container, when they ask anything.
    want: Option<&'w Want>,
    /// The member tokens (or item indices) that lead to a wanted container below.
    route: Option<&'w HashSet<String>>,
    /// The container's entry in the results when it is wanted.
    slot: Option<usize>,
    object: bool,
    index: usize,
    /// Where the value of the member or item before ends.
    prev_end: Option<usize>,
    /// Where this container sits in its parent: key, name, start.
    at: (Option<Range<usize>>, Option<String>, usize),
}

/// What the walk knows of the value it is about to read.
#[derive(Default)]
struct Next {
    pointer: Option<String>,
    key: Option<Range<usize>>,
    /// Its key, when that is a name wanted in its container.
    name: Option<String>,
}

/// The walk looks up its maps once per container, not once per member: a container with
/// millions of members under a long pointer costs no more than the members themselves.
struct Walk<'w> {
    text: &'w str,
    wanted: &'w HashMap<String, Want>,
    /// For each container the walk goes into: the member tokens that lead further.
    routes: &'w HashMap<&'w str, HashSet<String>>,
    found: Vec<(String, Container)>,
    stack: Vec<Frame<'w>>,
    next: Next,
    /// An item's index as a pointer token (reused, not allocated per item).
    scratch: String,
}

/// Reads the wanted containers (the last of each pointer, as a parser keeps it) in one walk.
/// Text that is not well-formed stops the walk: what was read so far is returned.
fn read(text: &str, wanted: &HashMap<String, Want>) -> HashMap<String, Container> {
    let mut routes: HashMap<&str, HashSet<String>> = HashMap::new();
    for p in wanted.keys() {
        let mut p = p.as_str();
        routes.entry(p).or_default();
        while !p.is_empty() {
            let parent = pointer::parent(p);
            let token = pointer::tokens(p).last().unwrap_or_default().into_owned();
            routes.entry(parent).or_default().insert(token);
            p = parent;
        }
    }
    let mut w = Walk {
        text,
        wanted,
        routes: &routes,
        scratch: String::new(),
        found: Vec::new(),
        stack: Vec::new(),
        next: Next {
            pointer: Some(String::new()),
            ..Next::default()
        },
    };
    let mut lexer = Lexer::new(text);
    while let Some(token) = lexer.next() {
        match token.kind {
            TokenKind::OpenObject | TokenKind::OpenArray => {
                let object = token.kind == TokenKind::OpenObject;
                let next = std::mem::take(&mut w.next);
                let Some(pointer) = next.pointer.filter(|p| w.routes.contains_key(p.as_str()))
                else {
                    if !lexer.skip_container() {
                        break;
                    }
                    w.record(next.key, next.name, token.start..lexer.offset(), false);
                    if !w.after(&mut lexer) {
                        break;
                    }
                    continue;
                };
                let slot = w.wanted.contains_key(&pointer).then(|| {
                    w.found.push((
                        pointer.clone(),
                        Container {
                            open: token.end,
                            object,
                            ..Container::default()
                        },
                    ));
                    w.found.len() - 1
                });
                let want = w.wanted.get(&pointer);
                let route = w.routes.get(pointer.as_str()).filter(|r| !r.is_empty());
                w.stack.push(Frame {
                    pointer: Some(pointer),
                    want,
                    route,
                    slot,
                    object,
                    index: 0,
                    prev_end: None,
                    at: (next.key, next.name, token.start),
                });
                if lexer.close_if_empty(object) {
                    if !w.close(lexer.offset()) || !w.after(&mut lexer) {
                        break;
                    }
                } else if object {
                    if !w.member(&mut lexer) {
                        break;
                    }
                } else {
                    w.item();
                }
            }
            TokenKind::Str {
                single: false,
                closed: true,
                ..
            }
            | TokenKind::Word => {
                let next = std::mem::take(&mut w.next);
                let string = matches!(token.kind, TokenKind::Str { .. });
                w.record(next.key, next.name, token.start..token.end, string);
                if !w.after(&mut lexer) {
                    break;
                }
            }
            _ => break,
        }
    }
    w.found.into_iter().collect()
}

impl Walk<'_> {
    fn container(&mut self, slot: Option<usize>) -> Option<&mut Container> {
        self.found.get_mut(slot?).map(|(_, c)| c)
    }

    /// Notes a value just read in the container on top of the stack.
    fn record(
        &mut self,
        key: Option<Range<usize>>,
        name: Option<String>,
        value: Range<usize>,
        string: bool,
    ) {
        let Some(top) = self.stack.last_mut() else {
            return;
        };
        let (slot, index, prev_end, object) = (top.slot, top.index, top.prev_end, top.object);
        top.prev_end = Some(value.end);
        let wanted_item = !object && top.want.is_some_and(|w| w.items.contains(&index));
        let Some(container) = self.container(slot) else {
            return;
        };
        let child = Child {
            index,
            key,
            value,
            string,
            prev_end,
            next_start: None,
        };
        if object {
            if let Some(name) = name {
                match container.last.get_mut(&name) {
                    Some(before) => *before = child,
                    None => {
                        container.last.insert(name.clone(), child);
                    }
                }
                container.pending = Some(name);
            }
        } else if wanted_item {
            container.items.insert(index, child);
        }
    }

    /// Closes the container on top of the stack, which ends at `end`.
    fn close(&mut self, end: usize) -> bool {
        let Some(frame) = self.stack.pop() else {
            return false;
        };
        let (key, name, start) = frame.at;
        self.record(key, name, start..end, false);
        true
    }

    /// After a value: `,` and the next member or item (true, ready for its value), or the end
    /// of containers. False at the end of the document or of well-formed text.
    fn after(&mut self, lexer: &mut Lexer<'_>) -> bool {
        loop {
            let Some(top) = self.stack.last_mut() else {
                return false;
            };
            let object = top.object;
            match lexer.next().map(|t| t.kind) {
                Some(TokenKind::Comma) => {
                    top.index += 1;
                    if object {
                        return self.member(lexer);
                    }
                    self.item();
                    return true;
                }
                Some(TokenKind::CloseObject) if object => {
                    if !self.close(lexer.offset()) {
                        return false;
                    }
                }
                Some(TokenKind::CloseArray) if !object => {
                    if !self.close(lexer.offset()) {
                        return false;
                    }
                }
                _ => return false,
            }
        }
    }

    /// Reads `"key":` of the object on top of the stack.
    fn member(&mut self, lexer: &mut Lexer<'_>) -> bool {
        let Some(token) = lexer.next() else {
            return false;
        };
        let TokenKind::Str {
            single: false,
            closed: true,
            escaped,
        } = token.kind
        else {
            return false;
        };
        if lexer.next().map(|t| t.kind) != Some(TokenKind::Colon) {
            return false;
        }
        let Some(top) = self.stack.last() else {
            return false;
        };
        let (slot, want, route) = (top.slot, top.want, top.route);
        self.next = Next {
            key: Some(token.start..token.end),
            ..Next::default()
        };
        // The member before ends here; its name's buffer is reused for this member's.
        let mut buffer = None;
        if let Some(container) = self.container(slot)
            && let Some(name) = container.pending.take()
        {
            if let Some(child) = container.last.get_mut(&name) {
                child.next_start = Some(token.start);
            }
            buffer = Some(name);
        }
        if want.is_none() && route.is_none() {
            return true;
        }
        let raw = self.text.get(token.start..token.end).unwrap_or_default();
        let name: Option<std::borrow::Cow<'_, str>> = if escaped {
            serde_json::from_str::<String>(raw).ok().map(Into::into)
        } else {
            raw.get(1..raw.len().saturating_sub(1)).map(Into::into)
        };
        let Some(name) = name else { return true };
        if route.is_some_and(|r| r.contains(name.as_ref()))
            && let Some(pointer) = self.stack.last().and_then(|top| top.pointer.as_ref())
        {
            let mut p = pointer.clone();
            pointer::push_token(&mut p, &name);
            self.next.pointer = Some(p);
        }
        if let Some(want) = want {
            if want.earlier.contains(&token.start)
                && let Some(container) = self.container(slot)
                && let Some(before) = container.last.get(name.as_ref()).cloned()
            {
                container.earlier.insert(token.start, before);
            }
            if want.names.contains(name.as_ref()) {
                let mut owned = buffer.unwrap_or_default();
                owned.clear();
                owned.push_str(&name);
                self.next.name = Some(owned);
            }
        }
        true
    }

    /// Sets what is known of the next item of the array on top of the stack.
    fn item(&mut self) {
        self.next = Next::default();
        let Some(top) = self.stack.last() else { return };
        let (Some(parent), Some(route)) = (top.pointer.as_deref(), top.route) else {
            return;
        };
        self.scratch.clear();
        let _ = write!(self.scratch, "{}", top.index);
        if route.contains(self.scratch.as_str()) {
            let mut p = parent.to_owned();
            pointer::push_index(&mut p, top.index);
            self.next.pointer = Some(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn containers(text: &str, pointers: &[&str]) -> HashMap<String, Container> {
        let wanted = pointers
            .iter()
            .map(|p| {
                let want = Want {
                    names: ["a", "b", "x"].iter().map(|s| (*s).to_owned()).collect(),
                    items: [0, 1].into_iter().collect(),
                    ..Want::default()
                };
                ((*p).to_owned(), want)
            })
            .collect();
        read(text, &wanted)
    }

    #[test]
    fn reads_members_with_their_spans() {
        let text = r#"{"a": [1, {"x": "y"}], "b": {"x": 2}, "b": {"x": 3, "a": {}}}"#;
        let found = containers(text, &["", "/b", "/a/1", "/a"]);
        let root = &found[""];
        assert!(root.object);
        assert_eq!(&text[root.last["a"].value.clone()], r#"[1, {"x": "y"}]"#);
        // The last of repeated members is the one kept.
        assert_eq!(&text[root.last["b"].value.clone()], r#"{"x": 3, "a": {}}"#);
        assert_eq!(root.last["a"].next_start, Some(23));
        let b = &found["/b"];
        assert_eq!(&text[b.last["a"].value.clone()], "{}");
        assert_eq!(b.last["a"].prev_end, Some(50));
        let item = &found["/a/1"];
        assert_eq!(&text[item.last["x"].value.clone()], r#""y""#);
        assert!(item.last["x"].string);
        assert_eq!(&text[found["/a"].items[&0].value.clone()], "1");
    }

    #[test]
    fn survives_broken_text() {
        for text in [
            "",
            "{",
            "{\"a\"",
            "{\"a\": [1,",
            "[[[",
            "{\"a\":1,}",
            "}",
            "{'a': 1}",
        ] {
            let _ = containers(text, &["", "/a"]);
        }
    }
}
