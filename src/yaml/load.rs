//! YAML text → documents: a tree of nodes with byte offsets, built from the parser's events in
//! one pass without recursion.
//!
//! What JSON cannot say is settled here, once per node where it is written: the typing of plain
//! scalars ([`super::scalar`]), tags, keys that are not strings, merge keys (`<<`), anchors and
//! aliases. An alias is a reference to the anchored node, never a copy; what aliases and merges
//! add to the document is counted against the input size limit (a "billion laughs" stops the
//! load with one finding), and so is the nesting they reach.
//!
//! Keys are copied into one arena per document, each after one separator byte, so that the walk
//! can tell which key a finding is at from the key's address (as it does for JSON text).

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Span, Tag};

use super::scalar::{self, Reading};

/// A node's index in its document.
pub(crate) type Id = u32;

/// One YAML document.
#[derive(Debug)]
pub(crate) struct Doc<'t> {
    pub nodes: Vec<Node<'t>>,
    pub root: Id,
    /// Every key as the walk reads it, each after one separator byte.
    pub keys: String,
    /// For each key in `keys`: the offset of its separator, and the byte offset in the text of
    /// the key as written (sorted by the first).
    pub key_at: Vec<(usize, usize)>,
    /// Where the document starts in the text.
    pub start: usize,
}

impl Doc<'_> {
    pub(crate) fn node(&self, id: Id) -> Option<&Node<'_>> {
        self.nodes.get(id as usize)
    }

    /// The node an alias stands for (aliases never point at aliases).
    pub(crate) fn target(&self, id: Id) -> Option<&Node<'_>> {
        match self.node(id)?.kind {
            Kind::Alias(target) => self.node(target),
            _ => self.node(id),
        }
    }

    /// A key's text, from its place in the arena.
    pub(crate) fn key(&self, key: KeyRef) -> &str {
        let start = key.start as usize;
        self.keys
            .get(start..start + key.len as usize)
            .unwrap_or_default()
    }

    /// The byte offset in the text of the key whose separator is at `arena` in `keys`.
    pub(crate) fn key_offset(&self, arena: usize) -> Option<usize> {
        let i = self.key_at.binary_search_by_key(&arena, |&(a, _)| a).ok()?;
        self.key_at.get(i).map(|&(_, offset)| offset)
    }
}

/// A node and where it is written.
#[derive(Debug)]
pub(crate) struct Node<'t> {
    pub kind: Kind<'t>,
    /// Byte offset of its start in the text (its tag or anchor included).
    pub at: usize,
    /// Byte offset of its end (for masking: the text of a value under a secret key).
    pub end: usize,
    /// What about it has no plain JSON meaning.
    pub hazard: Option<Box<Hazard>>,
}

#[derive(Debug)]
pub(crate) enum Kind<'t> {
    Scalar {
        text: Cow<'t, str>,
        value: Value,
        /// Plain (unquoted, not a block) and untagged: typed by its text.
        plain: bool,
    },
    Seq(Vec<Id>),
    Map(Box<Map>),
    /// Stands for the node it names.
    Alias(Id),
    /// A container whose end has not been read yet.
    Open,
}

/// A scalar as the walk reads it (YAML 1.2).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    /// The text.
    Str,
}

/// A mapping: its members as the walk reads them (merges applied, keys that have no JSON form
/// left out), and what it holds that the members do not show.
#[derive(Debug, Default)]
pub(crate) struct Map {
    pub members: Vec<Member>,
    /// Merge keys and keys with no JSON form, and the member index they stand at.
    pub extras: Vec<Extra>,
}

/// A key in the arena of its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeyRef {
    pub start: u32,
    pub len: u32,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Member {
    pub key: KeyRef,
    /// The key as written (a scalar, or an alias of one).
    pub key_node: Id,
    pub value: Id,
    /// The member comes from a merge (`<<`): it is written elsewhere.
    pub merged: bool,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Extra {
    /// The key node (`<<`, or the mapping or sequence used as a key).
    pub key_node: Id,
    pub value: Id,
    /// Index in `members` where it stands.
    pub index: usize,
    pub what: ExtraKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExtraKind {
    /// `<<`: the mappings of its value were merged in.
    Merge,
    /// A mapping or a sequence used as a key: the member was left out.
    ComplexKey,
}

/// What about a node has no plain JSON meaning (each is a finding).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Hazard {
    /// A plain scalar that YAML 1.1 readers read otherwise (or a timestamp).
    Ambiguous { yaml12: Reading, yaml11: Reading },
    /// A key that is not a string (as the walk reads it, converted).
    KeyNotString { reading: Reading },
    /// A tag; `fault` says what is wrong with it.
    Tag { tag: String, fault: TagFault },
    /// Infinity or NaN: no JSON number.
    NonFinite,
    /// An alias inside the node it names: an endless document.
    RecursiveAlias,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TagFault {
    /// A local or unknown tag (`!vault`): converters refuse it or drop it.
    Unknown,
    /// A YAML type JSON does not have (`!!binary`, `!!timestamp`, `!!set`).
    NotJsonType,
    /// A JSON type that does not fit the value (`!!int abc`).
    Misfit,
}

/// Why a stream could not be loaded.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum LoadError {
    /// The parser's message, at a byte offset.
    Syntax { message: String, at: usize },
    /// Nesting deeper than the limit, at the node that crosses it.
    TooDeep { at: usize },
    /// Aliases and merges expand the document by more than the budget, at the alias that
    /// crosses it.
    Expansion { at: usize },
    /// The parser read more than [`LOOKAHEAD`] indicator characters ahead, after the event that ends
    /// at `at`.
    Lookahead { at: usize },
}

/// The limits of a load.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub max_depth: usize,
    /// The most that aliases and merges may add to a document (in bytes of compact JSON,
    /// roughly).
    pub expansion: u64,
}

/// Character index → byte offset: the parser counts characters.
struct Offsets<'t> {
    text: &'t str,
    ascii: bool,
    /// Byte offset of every 1024th character.
    checkpoints: Vec<usize>,
}

impl<'t> Offsets<'t> {
    const STEP: usize = 1024;

    fn new(text: &'t str) -> Self {
        let ascii = text.is_ascii();
        let checkpoints = if ascii {
            Vec::new()
        } else {
            text.char_indices()
                .step_by(Self::STEP)
                .map(|(i, _)| i)
                .collect()
        };
        Offsets {
            text,
            ascii,
            checkpoints,
        }
    }

    fn byte(&self, mark: &Marker) -> usize {
        let index = mark.index();
        if self.ascii {
            return index.min(self.text.len());
        }
        let Some(&base) = self.checkpoints.get(index / Self::STEP) else {
            return self.text.len();
        };
        let rest = index % Self::STEP;
        self.text
            .get(base..)
            .and_then(|tail| tail.char_indices().nth(rest).map(|(i, _)| base + i))
            .unwrap_or(self.text.len())
    }
}

/// A container being read.
enum Frame {
    Seq {
        id: Id,
        items: Vec<Id>,
    },
    Map {
        id: Id,
        entries: Vec<(Id, Id)>,
        key: Option<Id>,
    },
}

impl Frame {
    fn id(&self) -> Id {
        match self {
            Frame::Seq { id, .. } | Frame::Map { id, .. } => *id,
        }
    }
}

/// A document being built.
struct Builder<'t> {
    nodes: Vec<Node<'t>>,
    /// Per node: the compact JSON size it stands for, roughly (aliases counted whole), and how
    /// deep it nests.
    weight: Vec<u64>,
    height: Vec<u16>,
    keys: String,
    key_at: Vec<(usize, usize)>,
    anchors: HashMap<usize, Id>,
    stack: Vec<Frame>,
    root: Option<Id>,
    /// What aliases and merges added so far.
    expanded: u64,
    limits: Limits,
}

/// The most indicator characters (`,` `:` `[` `]` `{` `}` `&` `!` `*`) the parser may read past
/// its last event.
///
/// The parser looks ahead over a whole flow collection that could be a key (`[…]: v`), holding a
/// token of some 100 bytes for each scalar, indicator, anchor, tag and alias in it: a one-line
/// list of a million items would cost 200 MB before the first event. Each token but a scalar is
/// one of these characters, and scalars are separated by them, so beyond this many the parser
/// holds at most some 120,000 tokens (13 MiB); it is stopped there and the document is one
/// finding. A single scalar with more of these characters than that (an embedded JSON text of
/// some 300 KB) trips it too: characters are counted as read, not as tokens.
pub(crate) const LOOKAHEAD: usize = 60_000;

/// The text's characters as the parser reads them, ending early once the parser has read more
/// than [`LOOKAHEAD`] indicator characters past its last event.
struct Fed<'a> {
    chars: std::str::Chars<'a>,
    /// Indicator characters read since the last event.
    ahead: Rc<Cell<usize>>,
    stopped: Rc<Cell<bool>>,
}

impl Iterator for Fed<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        if self.stopped.get() {
            return None;
        }
        let c = self.chars.next()?;
        if matches!(c, ',' | ':' | '[' | ']' | '{' | '}' | '&' | '!' | '*') {
            let ahead = self.ahead.get() + 1;
            self.ahead.set(ahead);
            if ahead > LOOKAHEAD {
                self.stopped.set(true);
                return None;
            }
        }
        Some(c)
    }
}

/// Loads every document of `text` (without a byte-order mark; any depth, any size: the limits
/// stop it).
pub(crate) fn load(text: &str, limits: Limits) -> Result<Vec<Doc<'_>>, LoadError> {
    let offsets = Offsets::new(text);
    let ahead = Rc::new(Cell::new(0));
    let stopped = Rc::new(Cell::new(false));
    let mut parser = Parser::new_from_iter(Fed {
        chars: text.chars(),
        ahead: Rc::clone(&ahead),
        stopped: Rc::clone(&stopped),
    });
    let mut docs = Vec::new();
    let mut builder: Option<Builder<'_>> = None;
    // Where the last event ended: a stopped look-ahead is reported there.
    let mut last = 0;
    while let Some(event) = parser.next_event() {
        if stopped.get() {
            return Err(LoadError::Lookahead { at: last });
        }
        let (event, span): (Event<'_>, Span) = match event {
            Ok(event) => event,
            Err(e) => {
                return Err(LoadError::Syntax {
                    message: e.info().to_owned(),
                    at: offsets.byte(e.marker()),
                });
            }
        };
        ahead.set(0);
        let at = offsets.byte(&span.start);
        let end = offsets.byte(&span.end);
        last = end;
        match event {
            Event::DocumentStart(_) => builder = Some(Builder::new(limits)),
            Event::DocumentEnd => {
                if let Some(b) = builder.take() {
                    docs.push(b.finish(at));
                }
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            other => {
                let b = builder.get_or_insert_with(|| Builder::new(limits));
                b.event(other, at, end)?;
            }
        }
    }
    if stopped.get() {
        return Err(LoadError::Lookahead { at: last });
    }
    if let Some(b) = builder.take() {
        docs.push(b.finish(text.len()));
    }
    Ok(docs)
}

impl<'t> Builder<'t> {
    fn new(limits: Limits) -> Self {
        Builder {
            nodes: Vec::new(),
            weight: Vec::new(),
            height: Vec::new(),
            keys: String::new(),
            key_at: Vec::new(),
            anchors: HashMap::new(),
            stack: Vec::new(),
            root: None,
            expanded: 0,
            limits,
        }
    }

    fn finish(mut self, end: usize) -> Doc<'t> {
        let root = match self.root {
            Some(root) => root,
            // An empty document is null.
            None => self.push(
                Kind::Scalar {
                    text: Cow::Borrowed(""),
                    value: Value::Null,
                    plain: false,
                },
                end,
                None,
                4,
                0,
            ),
        };
        let start = self.node_at(root);
        Doc {
            nodes: self.nodes,
            root,
            keys: self.keys,
            key_at: self.key_at,
            start,
        }
    }

    fn node_at(&self, id: Id) -> usize {
        self.nodes.get(id as usize).map_or(0, |n| n.at)
    }

    fn push(
        &mut self,
        kind: Kind<'t>,
        at: usize,
        hazard: Option<Hazard>,
        weight: u64,
        height: u16,
    ) -> Id {
        let id = Id::try_from(self.nodes.len()).unwrap_or(Id::MAX);
        self.nodes.push(Node {
            kind,
            at,
            end: at,
            hazard: hazard.map(Box::new),
        });
        self.weight.push(weight);
        self.height.push(height);
        id
    }

    fn weight_of(&self, id: Id) -> u64 {
        self.weight.get(id as usize).copied().unwrap_or(0)
    }

    fn height_of(&self, id: Id) -> u16 {
        self.height.get(id as usize).copied().unwrap_or(0)
    }

    fn event(&mut self, event: Event<'t>, at: usize, end: usize) -> Result<(), LoadError> {
        let is_map = matches!(event, Event::MappingStart(..));
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let (value, hazard, plain) = scalar_value(&text, style, tag.as_deref());
                let weight = text.len() as u64 + 2;
                let id = self.push(Kind::Scalar { text, value, plain }, at, hazard, weight, 0);
                self.set_end(id, end);
                self.anchor(anchor, id);
                self.complete(id)
            }
            Event::Alias(anchor) => {
                let target = self.anchors.get(&anchor).copied();
                let open = target.is_some_and(|t| self.stack.iter().any(|f| f.id() == t));
                let id = match target {
                    Some(target) if !open => {
                        let depth = self.stack.len() + usize::from(self.height_of(target));
                        if depth > self.limits.max_depth {
                            return Err(LoadError::TooDeep { at });
                        }
                        let weight = self.weight_of(target);
                        self.expand(weight, at)?;
                        let height = self.height_of(target);
                        self.push(Kind::Alias(target), at, None, weight, height)
                    }
                    // An alias inside its own anchor (or to an anchor the parser did not
                    // report): null, with a finding.
                    _ => self.push(
                        Kind::Scalar {
                            text: Cow::Borrowed(""),
                            value: Value::Null,
                            plain: false,
                        },
                        at,
                        Some(Hazard::RecursiveAlias),
                        4,
                        0,
                    ),
                };
                self.set_end(id, end);
                self.complete(id)
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                if self.stack.len() >= self.limits.max_depth {
                    return Err(LoadError::TooDeep { at });
                }
                let hazard = collection_tag(tag.as_deref(), is_map);
                let id = self.push(Kind::Open, at, hazard, 2, 1);
                self.anchor(anchor, id);
                self.stack.push(if is_map {
                    Frame::Map {
                        id,
                        entries: Vec::new(),
                        key: None,
                    }
                } else {
                    Frame::Seq {
                        id,
                        items: Vec::new(),
                    }
                });
                Ok(())
            }
            Event::SequenceEnd => {
                let Some(Frame::Seq { id, items }) = self.stack.pop() else {
                    return Ok(());
                };
                let weight = items
                    .iter()
                    .fold(2u64, |w, &i| w.saturating_add(self.weight_of(i) + 1));
                let height = 1 + items.iter().map(|&i| self.height_of(i)).max().unwrap_or(0);
                self.close(id, Kind::Seq(items), weight, height);
                self.set_end(id, end);
                self.complete(id)
            }
            Event::MappingEnd => {
                let Some(Frame::Map { id, entries, .. }) = self.stack.pop() else {
                    return Ok(());
                };
                let map = self.map(&entries)?;
                let weight = map.members.iter().fold(2u64, |w, m| {
                    w.saturating_add(u64::from(m.key.len) + 4)
                        .saturating_add(self.weight_of(m.value))
                });
                let height = 1 + map
                    .members
                    .iter()
                    .map(|m| self.height_of(m.value))
                    .max()
                    .unwrap_or(0);
                self.close(id, Kind::Map(Box::new(map)), weight, height);
                self.set_end(id, end);
                self.complete(id)
            }
            _ => Ok(()),
        }
    }

    fn set_end(&mut self, id: Id, end: usize) {
        if let Some(node) = self.nodes.get_mut(id as usize) {
            node.end = end.max(node.at);
        }
    }

    fn anchor(&mut self, anchor: usize, id: Id) {
        if anchor != 0 {
            self.anchors.insert(anchor, id);
        }
    }

    fn close(&mut self, id: Id, kind: Kind<'t>, weight: u64, height: u16) {
        if let Some(node) = self.nodes.get_mut(id as usize) {
            node.kind = kind;
        }
        if let Some(w) = self.weight.get_mut(id as usize) {
            *w = weight;
        }
        if let Some(h) = self.height.get_mut(id as usize) {
            *h = height;
        }
    }

    fn expand(&mut self, by: u64, at: usize) -> Result<(), LoadError> {
        self.expanded = self.expanded.saturating_add(by);
        if self.expanded > self.limits.expansion {
            return Err(LoadError::Expansion { at });
        }
        Ok(())
    }

    /// A node is read: it goes into the container being read, or is the root.
    fn complete(&mut self, id: Id) -> Result<(), LoadError> {
        match self.stack.last_mut() {
            None => self.root = Some(id),
            Some(Frame::Seq { items, .. }) => items.push(id),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => *key = Some(id),
                Some(k) => entries.push((k, id)),
            },
        }
        Ok(())
    }

    /// The members of a mapping from its entries: keys as strings in the arena, merges
    /// applied (explicit keys first, then each merged mapping in order, the first of a key
    /// counting), keys with no JSON form left out.
    fn map(&mut self, entries: &[(Id, Id)]) -> Result<Map, LoadError> {
        let mut map = Map::default();
        let mut merges: Vec<(Id, Id)> = Vec::new();
        for &(key_node, value) in entries {
            if self.is_merge_key(key_node) && self.merge_sources(value).is_some() {
                merges.push((key_node, value));
                continue;
            }
            match self.key_string(key_node) {
                Some(text) => {
                    let key = self.arena(&text, key_node);
                    map.members.push(Member {
                        key,
                        key_node,
                        value,
                        merged: false,
                    });
                }
                None => map.extras.push(Extra {
                    key_node,
                    value,
                    index: map.members.len(),
                    what: ExtraKind::ComplexKey,
                }),
            }
        }
        if merges.is_empty() {
            return Ok(map);
        }
        let mut seen: std::collections::HashSet<String> = map
            .members
            .iter()
            .map(|m| self.key_text(m.key).to_owned())
            .collect();
        for (key_node, value) in merges {
            map.extras.push(Extra {
                key_node,
                value,
                index: map.members.len(),
                what: ExtraKind::Merge,
            });
            for source in self.merge_sources(value).unwrap_or_default() {
                let members: Vec<Member> = match self.resolved(source).map(|n| &n.kind) {
                    Some(Kind::Map(m)) => m.members.clone(),
                    _ => continue,
                };
                for member in members {
                    if seen.insert(self.key_text(member.key).to_owned()) {
                        let weight = (u64::from(member.key.len) + 4)
                            .saturating_add(self.weight_of(member.value));
                        self.expand(weight, self.node_at(key_node))?;
                        map.members.push(Member {
                            merged: true,
                            ..member
                        });
                    }
                }
            }
        }
        Ok(map)
    }

    fn resolved(&self, id: Id) -> Option<&Node<'t>> {
        let node = self.nodes.get(id as usize)?;
        match node.kind {
            Kind::Alias(target) => self.nodes.get(target as usize),
            _ => Some(node),
        }
    }

    fn key_text(&self, key: KeyRef) -> &str {
        let start = key.start as usize;
        self.keys
            .get(start..start + key.len as usize)
            .unwrap_or_default()
    }

    /// A plain, untagged `<<`.
    fn is_merge_key(&self, id: Id) -> bool {
        matches!(
            self.nodes.get(id as usize),
            Some(Node { kind: Kind::Scalar { text, plain: true, .. }, .. }) if text == "<<"
        )
    }

    /// The mappings a merge key's value names: a mapping, or a sequence of mappings (either
    /// possibly aliases); `None` when it is anything else (then `<<` is an ordinary key).
    fn merge_sources(&self, value: Id) -> Option<Vec<Id>> {
        match &self.resolved(value)?.kind {
            Kind::Map(_) => Some(vec![value]),
            Kind::Seq(items) => items
                .iter()
                .map(|&i| matches!(self.resolved(i)?.kind, Kind::Map(_)).then_some(i))
                .collect(),
            _ => None,
        }
    }

    /// A key as the walk reads it: a string's text; a null, boolean or number as converters
    /// write it; `None` for a mapping or a sequence.
    fn key_string(&mut self, id: Id) -> Option<String> {
        let node = self.resolved(id)?;
        let Kind::Scalar { text, value, .. } = &node.kind else {
            return None;
        };
        let aliased = !std::ptr::eq(node, self.nodes.get(id as usize)?);
        let converted = match value {
            Value::Str => text.to_string(),
            Value::Null => "null".to_owned(),
            Value::Bool(b) => b.to_string(),
            Value::I64(n) => n.to_string(),
            Value::U64(n) => n.to_string(),
            Value::F64(f) => {
                serde_json::Number::from_f64(*f).map_or_else(|| text.to_string(), |n| n.to_string())
            }
        };
        let reading = match value {
            Value::Str => None,
            Value::Null => Some(Reading::Null),
            Value::Bool(b) => Some(Reading::Bool(*b)),
            Value::I64(n) => Some(Reading::Int(i128::from(*n))),
            Value::U64(n) => Some(Reading::Int(i128::from(*n))),
            Value::F64(f) => Some(Reading::Float(*f)),
        };
        if aliased {
            // An alias as a key copies the text it names.
            let len = converted.len() as u64;
            if self.expand(len, self.node_at(id)).is_err() {
                return None;
            }
        }
        // The finding is the key's own (not an alias's), unless it has one already.
        if let Some(reading) = reading
            && let Some(key) = self.nodes.get_mut(id as usize)
            && key.hazard.is_none()
            && matches!(key.kind, Kind::Scalar { .. })
        {
            key.hazard = Some(Box::new(Hazard::KeyNotString { reading }));
        }
        Some(converted)
    }

    /// Copies a key into the arena, after its separator.
    fn arena(&mut self, text: &str, key_node: Id) -> KeyRef {
        let separator = self.keys.len();
        self.keys.push('\0');
        let start = self.keys.len();
        self.keys.push_str(text);
        let at = self.node_at(key_node);
        self.key_at.push((separator, at));
        KeyRef {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            len: u32::try_from(text.len()).unwrap_or(u32::MAX),
        }
    }
}

/// A scalar's value as the walk reads it, what about it is a finding, and whether it is plain
/// and untagged.
fn scalar_value(
    text: &str,
    style: ScalarStyle,
    tag: Option<&Tag>,
) -> (Value, Option<Hazard>, bool) {
    let plain = style == ScalarStyle::Plain;
    let untagged = || {
        if plain {
            value_of(scalar::yaml12(text))
        } else {
            Value::Str
        }
    };
    let Some(tag) = tag else {
        if !plain {
            return (Value::Str, None, false);
        }
        let yaml12 = scalar::yaml12(text);
        let yaml11 = scalar::yaml11(text);
        let hazard = if !yaml12.same(yaml11) || yaml12 == Reading::Date {
            Some(Hazard::Ambiguous { yaml12, yaml11 })
        } else if matches!(yaml12, Reading::Float(f) if !f.is_finite()) {
            Some(Hazard::NonFinite)
        } else {
            None
        };
        return (value_of(yaml12), hazard, true);
    };
    let fault = |fault: TagFault| {
        let value = untagged();
        (
            value,
            Some(Hazard::Tag {
                tag: tag_name(tag),
                fault,
            }),
            false,
        )
    };
    if !tag.is_yaml_core_schema() {
        // `! text`: the non-specific tag, a string.
        if tag.handle == "!" && tag.suffix.is_empty() {
            return (Value::Str, None, false);
        }
        return fault(TagFault::Unknown);
    }
    let reading = scalar::yaml12(text);
    let value = match (tag.suffix.as_str(), reading) {
        ("str", _) => Value::Str,
        ("int", Reading::Int(_)) | ("bool", Reading::Bool(_)) | ("null", Reading::Null) => {
            value_of(reading)
        }
        ("float", Reading::Float(_)) => value_of(reading),
        ("float", Reading::Int(n)) => Value::F64(n as f64),
        ("int" | "float" | "bool" | "null" | "map" | "seq", _) => {
            return fault(TagFault::Misfit);
        }
        ("binary" | "timestamp" | "set" | "omap" | "pairs" | "merge" | "value" | "yaml", _) => {
            return fault(TagFault::NotJsonType);
        }
        _ => return fault(TagFault::Unknown),
    };
    let hazard = matches!(value, Value::F64(f) if !f.is_finite()).then_some(Hazard::NonFinite);
    (value, hazard, false)
}

/// What a collection's tag is a finding for, if anything.
fn collection_tag(tag: Option<&Tag>, is_map: bool) -> Option<Hazard> {
    let tag = tag?;
    let fault = if !tag.is_yaml_core_schema() {
        TagFault::Unknown
    } else {
        match (tag.suffix.as_str(), is_map) {
            ("map", true) | ("seq", false) => return None,
            ("set" | "omap" | "pairs", _) => TagFault::NotJsonType,
            ("str" | "int" | "float" | "bool" | "null" | "map" | "seq", _) => TagFault::Misfit,
            _ => TagFault::Unknown,
        }
    };
    Some(Hazard::Tag {
        tag: tag_name(tag),
        fault,
    })
}

/// A tag as it is usually written: `!!int` for the core schema's, `!name` for a local one.
fn tag_name(tag: &Tag) -> String {
    if tag.is_yaml_core_schema() {
        format!("!!{}", tag.suffix)
    } else if tag.handle == "!" {
        format!("!{}", tag.suffix)
    } else {
        format!("!<{}{}>", tag.handle, tag.suffix)
    }
}

/// A reading as the walk takes it: a timestamp is its text (JSON has no dates); an integer
/// beyond 64 bits a float (as serde_json reads one).
fn value_of(reading: Reading) -> Value {
    match reading {
        Reading::Null => Value::Null,
        Reading::Bool(b) => Value::Bool(b),
        Reading::Int(n) => i64::try_from(n)
            .map(Value::I64)
            .or_else(|_| u64::try_from(n).map(Value::U64))
            .unwrap_or(Value::F64(n as f64)),
        Reading::Float(f) => Value::F64(f),
        Reading::Str | Reading::Date | Reading::Unreadable => Value::Str,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        max_depth: 127,
        expansion: 1 << 20,
    };

    fn one(text: &str) -> Doc<'_> {
        let mut docs = load(text, LIMITS).unwrap();
        assert_eq!(docs.len(), 1);
        docs.remove(0)
    }

    fn members(doc: &Doc<'_>, id: Id) -> Vec<String> {
        match &doc.target(id).unwrap().kind {
            Kind::Map(m) => m
                .members
                .iter()
                .map(|m| doc.key(m.key).to_owned())
                .collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn nodes_stay_small() {
        // Memory of a YAML document is its nodes: keep them at a few words each.
        assert!(
            std::mem::size_of::<Node<'_>>() <= 72,
            "{}",
            std::mem::size_of::<Node<'_>>()
        );
    }

    #[test]
    fn offsets_are_bytes_even_after_wide_characters() {
        let doc = one("é: ü\nname: koi\n");
        let names = members(&doc, doc.root);
        assert_eq!(names, ["é", "name"]);
        let Kind::Map(m) = &doc.nodes[doc.root as usize].kind else {
            panic!()
        };
        let value = &doc.nodes[m.members[1].value as usize];
        assert_eq!(value.at, "é: ü\nname: ".len());
        assert_eq!(
            doc.key_offset(m.members[1].key.start as usize - 1),
            Some("é: ü\n".len())
        );
    }

    #[test]
    fn merges_keep_explicit_keys_and_the_first_source() {
        let doc = one("a: &a {x: 1, y: 2}\nb: &b {y: 3, z: 4}\nc:\n  <<: [*a, *b]\n  x: 0\n");
        let Kind::Map(root) = &doc.nodes[doc.root as usize].kind else {
            panic!()
        };
        let c = root.members[2].value;
        assert_eq!(members(&doc, c), ["x", "y", "z"]);
        let Kind::Map(cm) = &doc.target(c).unwrap().kind else {
            panic!()
        };
        assert!(!cm.members[0].merged && cm.members[1].merged);
        assert_eq!(cm.extras.len(), 1);
        assert_eq!(cm.extras[0].what, ExtraKind::Merge);
    }

    #[test]
    fn a_billion_laughs_stops_at_the_budget() {
        let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let error = load(&text, LIMITS).unwrap_err();
        assert!(matches!(error, LoadError::Expansion { .. }), "{error:?}");
    }

    #[test]
    fn recursion_depth_and_syntax() {
        let doc = one("a: &a [1, *a]\n");
        let Kind::Map(root) = &doc.nodes[doc.root as usize].kind else {
            panic!()
        };
        let Kind::Seq(items) = &doc.nodes[root.members[0].value as usize].kind else {
            panic!()
        };
        assert_eq!(
            doc.nodes[items[1] as usize].hazard.as_deref(),
            Some(&Hazard::RecursiveAlias)
        );
        let deep = "[".repeat(200);
        assert!(matches!(
            load(&deep, LIMITS),
            Err(LoadError::TooDeep { .. })
        ));
        assert!(matches!(
            load("a: [1,\n", LIMITS),
            Err(LoadError::Syntax { .. })
        ));
        // An alias cannot reach past the limit either.
        let nested = format!(
            "a: &a {}1{}\nb: [[[*a]]]\n",
            "[".repeat(125),
            "]".repeat(125)
        );
        assert!(matches!(
            load(&nested, LIMITS),
            Err(LoadError::TooDeep { .. })
        ));
    }

    #[test]
    fn hazards_of_scalars_keys_and_tags() {
        let doc =
            one("on: yes\n1: a\nx: !!str 1.10\ny: !vault s\nz: !!int abc\nw: .inf\n? [k]\n: v\n");
        let hazards: Vec<Option<Hazard>> = doc
            .nodes
            .iter()
            .map(|n| n.hazard.as_deref().cloned())
            .collect();
        assert!(hazards.iter().flatten().any(|h| matches!(
            h,
            Hazard::KeyNotString {
                reading: Reading::Int(1)
            }
        )));
        assert!(hazards.iter().flatten().any(|h| matches!(
            h,
            Hazard::Tag {
                fault: TagFault::Unknown,
                ..
            }
        )));
        assert!(hazards.iter().flatten().any(|h| matches!(
            h,
            Hazard::Tag {
                fault: TagFault::Misfit,
                ..
            }
        )));
        assert!(
            hazards
                .iter()
                .flatten()
                .any(|h| matches!(h, Hazard::NonFinite))
        );
        assert_eq!(
            hazards
                .iter()
                .flatten()
                .filter(|h| matches!(h, Hazard::Ambiguous { .. }))
                .count(),
            3,
            "on, yes and the key y"
        );
        let Kind::Map(root) = &doc.nodes[doc.root as usize].kind else {
            panic!()
        };
        assert_eq!(root.extras[0].what, ExtraKind::ComplexKey);
        assert_eq!(members(&doc, doc.root), ["on", "1", "x", "y", "z", "w"]);
    }
}
