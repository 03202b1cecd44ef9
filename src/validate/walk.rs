//! Parse and schema pass in one walk: the payload is read once, checked against its kind's
//! compiled schema ([`super::compiled`]) as it is read, and every finding goes to the bounded
//! collector at once. Repeated keys are found in the same walk (each object keeps the set of its
//! keys, borrowed from the text where it can).
//!
//! Only what the rules need is built as a value: the document's known members (the
//! "skeleton"), with the inside of an open object such as `values` read, measured and checked
//! for repeated keys but not kept (unless a chart's schema needs it), and unknown members read
//! and skipped. The items of a top-level list are built one at a time, handed to the item
//! rules and dropped. Memory stays near the size of the skeleton, whatever the payload holds.
//!
//! The walk works on any serde `Deserializer`: JSON text (with repeated-key detection) and an
//! already parsed `serde_json::Value`.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::{BuildHasher, Hasher, RandomState};

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::collect::{At, Collector, Mark};
use super::compiled::{Node, known_members};
use super::{Anchor, Finding};
use crate::Kind;
use crate::diagnostic::Code;
use crate::diagnostic::message::{Allowed, Bound, Found, Hint, Owner, Problem, Types};
use crate::pointer::{push_index, push_token};
use crate::redact;
use crate::schema::OwnCheck;

/// What a walk is asked to do.
pub(crate) struct Setup {
    pub kind: Kind,
    /// The deepest nesting accepted.
    pub max_depth: usize,
    /// Build the whole of the root's open members (`values`), for a chart's schema, up to this
    /// many values (`0`: build none of it); past them, stop building and say so in
    /// [`Walked::open_truncated`].
    pub build_open: usize,
    /// The root member whose compact size is measured (`values`).
    pub measure: Option<&'static str>,
    /// Unknown root members that are built all the same (a rule reads them).
    pub keep_unknown: &'static [&'static str],
    /// Check for repeated keys (text input; a parsed value has none).
    pub duplicates: bool,
    /// Build the skeleton (text input; a parsed value is its own).
    pub build: bool,
    /// The address and length of the text being walked, to tell where a key borrowed from it
    /// starts (`None` for a parsed value).
    pub text: Option<(usize, usize)>,
}

impl Setup {
    /// The anchor of the key being read: its byte offset when it was borrowed from the text
    /// (a key with an escape was not: it is then found by its pointer).
    fn key_anchor(&self, key: &str) -> Anchor {
        let Some((start, len)) = self.text else {
            return Anchor::Key;
        };
        let at = key.as_ptr() as usize;
        // The key's opening quote is the byte before it.
        match at.checked_sub(start + 1) {
            Some(offset) if offset < len => Anchor::KeyAt(offset),
            _ => Anchor::Key,
        }
    }
}

/// What the walk built.
#[derive(Debug, Default)]
pub(crate) struct Walked {
    /// The skeleton of the document (`None` for a list, whose items went to the item hook).
    pub root: Option<Value>,
    /// The compact size of the measured member, when there was one.
    pub measured: Option<usize>,
    /// Where each built member of the skeleton is in the text, as a document-order path.
    pub places: Places,
    /// Some object repeated a key.
    pub repeated_keys: bool,
    /// The open members were too large to build whole (see [`Setup::build_open`]).
    pub open_truncated: bool,
}

/// Document-order paths of the members the walk built (see [`super::collect::Place`]).
#[derive(Debug, Default, Clone)]
pub(crate) struct Places(Vec<(String, Box<[u32]>)>);

impl Places {
    /// The path of what `pointer` names: the recorded path of its longest recorded prefix, and
    /// below it the member indices in `root` (which kept the text's order there).
    pub(crate) fn path<'v>(
        &self,
        pointer: &str,
        root: Option<&'v Value>,
        out: &mut Vec<u32>,
        cache: &mut crate::pointer::IndexCache<'v>,
    ) {
        out.clear();
        let best = self
            .0
            .iter()
            .filter(|(p, _)| {
                pointer.starts_with(p.as_str())
                    && (pointer.len() == p.len() || pointer.as_bytes()[p.len()] == b'/')
            })
            .max_by_key(|(p, _)| p.len());
        let (prefix, path) = match best {
            Some((p, path)) => (p.as_str(), &path[..]),
            None => ("", &[][..]),
        };
        out.extend_from_slice(path);
        let Some(node) = root.and_then(|r| r.pointer(prefix)) else {
            return;
        };
        let mut rest = Vec::new();
        crate::pointer::index_path(node, &pointer[prefix.len()..], &mut rest, cache);
        out.extend(rest);
    }

    fn record(&mut self, pointer: &str, path: &[u32]) {
        self.0.push((pointer.to_owned(), path.into()));
    }

    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }
}

/// Called with each item of a top-level list: its index, the item as built, where its members
/// are, and the collector.
pub(crate) type ItemHook<'h> = &'h mut dyn FnMut(usize, &Value, &Places, &mut Collector);

/// The error a seed raises when the nesting limit is crossed.
pub(crate) const TOO_DEEP: &str = "nesting deeper than the configured limit";

struct State<'c> {
    collector: &'c mut Collector,
    pointer: String,
    path: Vec<u32>,
    places: Places,
    measured: Option<usize>,
    repeated_keys: bool,
    /// Values of open members built so far, and whether the limit stopped it.
    open_built: usize,
    open_truncated: bool,
    /// Values built outside the schema and outside open members (see [`KEPT_BUILT`]).
    kept_built: usize,
}

struct Ctx<'c, 'h> {
    setup: &'c Setup,
    st: RefCell<State<'c>>,
    hook: RefCell<Option<ItemHook<'h>>>,
}

impl Ctx<'_, '_> {
    fn enter<E: de::Error>(&self, depth: usize) -> Result<usize, E> {
        if depth >= self.setup.max_depth {
            return Err(E::custom(TOO_DEEP));
        }
        Ok(depth + 1)
    }

    /// Notes a repeated key at the current member and offers its finding.
    fn repeated(&self, anchor: Anchor) {
        self.st.borrow_mut().repeated_keys = true;
        self.offer(Code::DuplicateKey, anchor, |_| Problem::DuplicateKey);
    }

    /// Offers a finding of code `code` about the current node; `make` runs only if it is kept.
    fn offer(&self, code: Code, anchor: Anchor, make: impl FnOnce(&str) -> Problem) {
        let mut st = self.st.borrow_mut();
        let State {
            collector,
            pointer,
            path,
            ..
        } = &mut *st;
        collector.offer(code, At::of(path, anchor), || {
            Finding::body(make(pointer), pointer.as_str(), anchor)
        });
    }

    /// Enters member `key` (text-order index `index`) of the current object.
    fn push_key(&self, key: &str, index: usize) {
        let mut st = self.st.borrow_mut();
        push_token(&mut st.pointer, key);
        st.path.push(u32::try_from(index).unwrap_or(u32::MAX));
    }

    fn push_item(&self, index: usize) {
        let mut st = self.st.borrow_mut();
        push_index(&mut st.pointer, index);
        st.path.push(u32::try_from(index).unwrap_or(u32::MAX));
    }

    fn pop(&self, base: usize) {
        let mut st = self.st.borrow_mut();
        st.pointer.truncate(base);
        st.path.pop();
    }

    fn pointer_len(&self) -> usize {
        self.st.borrow().pointer.len()
    }

    fn record_place(&self) {
        let mut st = self.st.borrow_mut();
        let State {
            pointer,
            path,
            places,
            ..
        } = &mut *st;
        places.record(pointer, path);
    }
}

/// Walks JSON text. A syntax error (or the nesting limit) stops the walk: the error is
/// returned, and what the collector holds is to be discarded.
pub(crate) fn text(
    text: &str,
    setup: &Setup,
    collector: &mut Collector,
    hook: Option<ItemHook<'_>>,
) -> Result<Walked, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let walked = run(&mut de, setup, collector, hook)?;
    de.end()?;
    Ok(walked)
}

/// Walks any other deserializer (a YAML document's): its keys are borrowed from the text
/// `setup.text` names, when it names one.
#[cfg(feature = "yaml")]
pub(crate) fn deserializer<'de, D: de::Deserializer<'de>>(
    de: D,
    setup: &Setup,
    collector: &mut Collector,
    hook: Option<ItemHook<'_>>,
) -> Result<Walked, D::Error> {
    run(de, setup, collector, hook)
}

/// Walks a parsed value.
pub(crate) fn value(
    value: &Value,
    setup: &Setup,
    collector: &mut Collector,
    hook: Option<ItemHook<'_>>,
) -> Result<Walked, serde_json::Error> {
    run(value, setup, collector, hook)
}

fn run<'de, D: de::Deserializer<'de>>(
    de: D,
    setup: &Setup,
    collector: &mut Collector,
    hook: Option<ItemHook<'_>>,
) -> Result<Walked, D::Error> {
    let cx = Ctx {
        setup,
        st: RefCell::new(State {
            collector,
            pointer: String::new(),
            path: Vec::new(),
            places: Places::default(),
            measured: None,
            repeated_keys: false,
            open_built: 0,
            open_truncated: false,
            kept_built: 0,
        }),
        hook: RefCell::new(hook),
    };
    let out = Checked {
        cx: &cx,
        node: super::compiled::compiled(setup.kind),
        depth: 0,
        build: setup.build,
        measure: false,
        root: true,
    }
    .deserialize(de)?;
    let st = cx.st.into_inner();
    Ok(Walked {
        root: out.value,
        measured: st.measured,
        places: st.places,
        repeated_keys: st.repeated_keys,
        open_truncated: st.open_truncated,
    })
}

/// What a seed gives back: the value when it was built, and its compact size when measured.
struct Out {
    value: Option<Value>,
    size: usize,
}

impl Out {
    fn scalar(build: bool, measure: bool, value: impl FnOnce() -> Value) -> Out {
        if !build && !measure {
            return Out {
                value: None,
                size: 0,
            };
        }
        let value = value();
        Out {
            size: if measure { compact_size(&value) } else { 0 },
            value: build.then_some(value),
        }
    }

    fn string(build: bool, measure: bool, s: &str) -> Out {
        Out {
            size: if measure { string_size(s) } else { 0 },
            value: build.then(|| Value::String(s.to_owned())),
        }
    }
}

/// A value with a schema node: checked, and built when asked.
#[derive(Clone, Copy)]
struct Checked<'x, 'c, 'h> {
    cx: &'x Ctx<'c, 'h>,
    node: &'static Node,
    depth: usize,
    build: bool,
    measure: bool,
    /// The document's root (where `measure`, `keep_unknown` and list streaming apply).
    root: bool,
}

/// A value without a schema: read (nesting and repeated keys checked), built when asked.
#[derive(Clone, Copy)]
struct Free<'x, 'c, 'h> {
    cx: &'x Ctx<'c, 'h>,
    depth: usize,
    build: bool,
    measure: bool,
    /// Inside an open member (`values`): built within [`Setup::build_open`]; anything else
    /// built (an unknown member a rule reads) within [`KEPT_BUILT`].
    open: bool,
}

/// The most values built of members read by a rule but outside the schema (a body's
/// `cluster_id`, compared with the path's): enough to quote them, bounded whatever they hold.
const KEPT_BUILT: usize = 4096;

impl<'x, 'c, 'h> Checked<'x, 'c, 'h> {
    fn free(self) -> Free<'x, 'c, 'h> {
        Free {
            cx: self.cx,
            depth: self.depth,
            build: self.build,
            measure: self.measure,
            open: false,
        }
    }

    /// Checks the type; false (with the finding offered) when it is not allowed.
    fn typed(&self, actual: Types, found: impl FnOnce(&str) -> Found) -> bool {
        if self.node.types.contains(actual) {
            return true;
        }
        let expected = self.node.types;
        self.cx.offer(Code::TypeMismatch, Anchor::Value, |pointer| {
            Problem::TypeMismatch {
                expected,
                found: found(pointer),
            }
        });
        false
    }

    fn number(&self, number: Number) {
        let integral =
            number.is_i64() || number.is_u64() || number.as_f64().is_some_and(|f| f.fract() == 0.0);
        let actual = if integral {
            Types::INTEGER
        } else {
            Types::NUMBER
        };
        if !self.typed(actual, |pointer| redact::found_number(pointer, &number)) {
            return;
        }
        let out_of_range = |bound: Bound, limit: i64| {
            self.cx.offer(Code::OutOfRange, Anchor::Value, |pointer| {
                Problem::OutOfRange {
                    bound,
                    limit: limit.to_string(),
                    found: redact::quote_number(pointer, &number),
                }
            });
        };
        if let Some(max) = self.node.maximum
            && above(&number, max)
        {
            out_of_range(Bound::Max, max);
        }
        if let Some(min) = self.node.minimum
            && below(&number, min)
        {
            out_of_range(Bound::Min, min);
        }
    }

    fn string(&self, s: &str) {
        if !self.typed(Types::STRING, |pointer| {
            Found::String(redact::quote_str(pointer, s))
        }) {
            return;
        }
        let node = self.node;
        let length = if node.min_length.is_some() || node.max_length.is_some() {
            s.chars().count()
        } else {
            0
        };
        let mut too_short = false;
        if let Some(min) = node.min_length
            && (length as u64) < min
        {
            too_short = true;
            self.cx
                .offer(Code::TooShort, Anchor::Value, |_| Problem::TooShort {
                    min,
                    actual: length,
                });
        }
        if let Some(max) = node.max_length
            && (length as u64) > max
        {
            self.cx
                .offer(Code::TooLong, Anchor::Value, |_| Problem::TooLong {
                    max,
                    actual: length,
                });
        }
        // An empty string breaks its shape too; "must not be empty" says it better.
        if let Some(check) = node.check
            && !too_short
            && !(check.check())(s)
        {
            let code = match check {
                OwnCheck::Uuid | OwnCheck::ChartVersion => Code::InvalidFormat,
                _ => Code::PatternMismatch,
            };
            self.cx.offer(code, Anchor::Value, |pointer| {
                own_check_problem(check, pointer, s)
            });
        }
        if let Some(allowed) = &node.one_of
            && !allowed.contains(&s)
        {
            self.cx.offer(Code::NotAllowed, Anchor::Value, |pointer| {
                Problem::NotAllowed {
                    allowed: Allowed::Words(allowed.clone()),
                    found: redact::quote_str(pointer, s),
                }
            });
        }
    }
}

/// The finding of a committed pattern the crate checks as code.
fn own_check_problem(check: OwnCheck, pointer: &str, s: &str) -> Problem {
    use crate::diagnostic::message::{Shape, ValueFormat};
    let found = redact::quote_str(pointer, s);
    match check {
        OwnCheck::Uuid => Problem::InvalidFormat {
            format: ValueFormat::Uuid,
            found,
        },
        OwnCheck::ChartVersion => Problem::InvalidFormat {
            format: ValueFormat::ChartVersion,
            found,
        },
        OwnCheck::ReleaseName => Problem::PatternMismatch {
            shape: Shape::ReleaseName,
            found,
        },
        OwnCheck::Namespace => Problem::PatternMismatch {
            shape: Shape::Namespace,
            found,
        },
        OwnCheck::ImageTag => Problem::PatternMismatch {
            shape: Shape::ImageTag,
            found,
        },
    }
}

fn above(n: &Number, limit: i64) -> bool {
    match (n.as_i64(), n.as_u64(), n.as_f64()) {
        (Some(i), _, _) => i > limit,
        (_, Some(_), _) => true,
        (_, _, Some(f)) => f > limit as f64,
        _ => false,
    }
}

fn below(n: &Number, limit: i64) -> bool {
    match (n.as_i64(), n.as_u64(), n.as_f64()) {
        (Some(i), _, _) => i < limit,
        (_, Some(_), _) => false,
        (_, _, Some(f)) => f < limit as f64,
        _ => false,
    }
}

/// Where an unknown member belongs, or which known member it probably means.
fn hint(kind: Kind, parent: &str, name: &str) -> Hint {
    if matches!(kind, Kind::CreateRequest | Kind::UpdateRequest) && parent.is_empty() {
        match name {
            "cluster_id" => return Hint::ClusterInPath,
            "project_id" => return Hint::ProjectFromToken,
            "name" | "namespace" if kind == Kind::UpdateRequest => return Hint::ReleaseInPath,
            _ => {}
        }
    }
    // Compared character by character, nothing allocated: a key repeated a million times may
    // ask for its hint as often.
    fn squash(s: &str) -> impl Iterator<Item = char> + '_ {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
    }
    known_members(kind, parent)
        .find(|known| squash(known).eq(squash(name)))
        .map_or(Hint::None, Hint::DidYouMean)
}

impl<'de> DeserializeSeed<'de> for Checked<'_, '_, '_> {
    type Value = Out;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Out, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Checked<'_, '_, '_> {
    type Value = Out;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Out, E> {
        self.typed(Types::BOOLEAN, |pointer| redact::found_bool(pointer, v));
        Ok(Out::scalar(self.build, self.measure, || Value::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Out, E> {
        self.number(Number::from(v));
        Ok(Out::scalar(self.build, self.measure, || Value::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Out, E> {
        self.number(Number::from(v));
        Ok(Out::scalar(self.build, self.measure, || Value::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Out, E> {
        let number = Number::from_f64(v);
        if let Some(number) = &number {
            self.number(number.clone());
        }
        Ok(Out::scalar(self.build, self.measure, || {
            number.map_or(Value::Null, Value::Number)
        }))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Out, E> {
        self.string(v);
        Ok(Out::string(self.build, self.measure, v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Out, E> {
        self.string(&v);
        Ok(Out {
            size: if self.measure { string_size(&v) } else { 0 },
            value: self.build.then_some(Value::String(v)),
        })
    }

    fn visit_unit<E: de::Error>(self) -> Result<Out, E> {
        self.typed(Types::NULL, |_| Found::Null);
        Ok(Out::scalar(self.build, self.measure, || Value::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<Out, E> {
        self.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Out, A::Error> {
        if !self.typed(Types::ARRAY, |_| Found::Array) {
            return Free {
                build: false,
                ..self.free()
            }
            .visit_seq(seq);
        }
        let depth = self.cx.enter(self.depth)?;
        let items = self.node.items.as_deref();
        // A top-level list is streamed: each item is built, handed to the item rules, dropped.
        let stream = self.root && self.cx.hook.borrow().is_some();
        let mut built = Vec::new();
        let mut size = 1;
        let mut index = 0;
        let base = self.cx.pointer_len();
        loop {
            self.cx.push_item(index);
            let item = match items {
                Some(node) => seq.next_element_seed(Checked {
                    node,
                    depth,
                    build: self.build || stream,
                    root: false,
                    ..self
                })?,
                None => seq.next_element_seed(Free {
                    cx: self.cx,
                    depth,
                    build: self.build,
                    measure: self.measure,
                    open: false,
                })?,
            };
            let Some(item) = item else {
                self.cx.pop(base);
                break;
            };
            size += usize::from(index > 0) + item.size;
            if stream {
                if let Some(value) = &item.value {
                    let mut st = self.cx.st.borrow_mut();
                    let State {
                        collector, places, ..
                    } = &mut *st;
                    if let Some(hook) = self.cx.hook.borrow_mut().as_mut() {
                        hook(index, value, places, collector);
                    }
                    places.clear();
                }
            } else if let Some(value) = item.value {
                built.push(value);
            }
            self.cx.pop(base);
            index += 1;
        }
        Ok(Out {
            value: (self.build && !stream).then_some(Value::Array(built)),
            size: size + 1,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Out, A::Error> {
        if !self.typed(Types::OBJECT, |_| Found::Object) {
            return Free {
                build: false,
                ..self.free()
            }
            .visit_map(map);
        }
        let depth = self.cx.enter(self.depth)?;
        let node = self.node;
        let setup = self.cx.setup;
        let mut object = Map::new();
        let mut keys = Keys::default();
        let mut present = vec![false; node.properties.len()];
        // Where in the collector each member's findings are, to take them back when its key
        // comes again: the value that counts is the last one. Kept for the first
        // `Keys::SPANS` members with findings (an object of millions of unknown members would
        // otherwise hold a span for each); a later member that comes again keeps its findings.
        let mut spans: HashMap<u64, (Mark, Mark), Prehashed> = HashMap::default();
        let mut size = 1;
        let mut index = 0;
        let base = self.cx.pointer_len();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            self.cx.push_key(&key, index);
            let key_anchor = setup.key_anchor(&key);
            let repeated = setup.duplicates && !keys.insert(key.clone());
            if repeated {
                self.cx.repeated(key_anchor);
                if let Some((from, to)) = spans.remove(&keys.hash(&key)) {
                    self.cx.st.borrow_mut().collector.retract(from, to);
                }
            }
            let from = self.cx.st.borrow().collector.mark();
            let measure = self.measure || (self.root && setup.measure == Some(&*key));
            let known = node.property(&key);
            let out = match known {
                Some((i, child)) => {
                    present[i] = true;
                    map.next_value_seed(Checked {
                        node: child,
                        depth,
                        measure,
                        root: false,
                        ..self
                    })?
                }
                None if node.open => {
                    // Findings about this key sit in its span: a repeated key takes them back.
                    if let Some(wire) = node.attribute_spelling(&key) {
                        self.cx.offer(Code::SdkAttributeName, key_anchor, |_| {
                            Problem::SdkAttributeName { wire }
                        });
                    }
                    map.next_value_seed(Free {
                        cx: self.cx,
                        depth,
                        build: self.build && setup.build_open > 0,
                        measure,
                        open: true,
                    })?
                }
                None => {
                    // Said of the last occurrence of a repeated key too: the earlier one's was
                    // taken back with its span.
                    let kind = setup.kind;
                    let name: &str = &key;
                    let root = self.root;
                    self.cx.offer(Code::UnknownField, key_anchor, |pointer| {
                        Problem::UnknownField {
                            owner: if root {
                                Owner::Document(kind)
                            } else {
                                Owner::Parent
                            },
                            hint: hint(kind, crate::pointer::parent(pointer), name),
                        }
                    });
                    let keep = self.root && setup.keep_unknown.contains(&&*key);
                    map.next_value_seed(Free {
                        cx: self.cx,
                        depth,
                        build: self.build && keep,
                        measure,
                        open: false,
                    })?
                }
            };
            if setup.duplicates && spans.len() < Keys::SPANS {
                let to = self.cx.st.borrow().collector.mark();
                if to != from {
                    spans.insert(keys.hash(&key), (from, to));
                }
            }
            if self.root && setup.measure == Some(&*key) {
                self.cx.st.borrow_mut().measured = Some(out.size);
            }
            size += usize::from(index > 0) + string_size(&key) + 1 + out.size;
            if let Some(value) = out.value {
                if known.is_some() || self.root {
                    self.cx.record_place();
                }
                object.insert(key.into_owned(), value);
            }
            self.cx.pop(base);
            index += 1;
        }
        // Missing members: at the object that lacks them.
        let missing = |name: &'static str| {
            let mut st = self.cx.st.borrow_mut();
            let State {
                collector,
                pointer,
                path,
                ..
            } = &mut *st;
            let at = At::of(path, Anchor::Parent);
            collector.offer(Code::MissingField, at, || {
                let mut member = pointer.clone();
                push_token(&mut member, name);
                Finding::body(Problem::MissingField, member, Anchor::Parent)
            });
        };
        let has = |name: &str| {
            node.property(name).map_or_else(
                || keys.contains(name),
                |(i, _)| present.get(i).copied().unwrap_or(false),
            )
        };
        for &name in &node.required {
            if !has(name) {
                missing(name);
            }
        }
        if let Some(c) = &node.conditional {
            let required = if c.when_any.iter().any(|n| has(n)) {
                &c.then_required
            } else {
                &c.else_required
            };
            for &name in required {
                if !has(name) {
                    missing(name);
                }
            }
        }
        Ok(Out {
            value: self.build.then_some(Value::Object(object)),
            size: size + 1,
        })
    }
}

impl<'de> DeserializeSeed<'de> for Free<'_, '_, '_> {
    type Value = Out;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Out, D::Error> {
        d.deserialize_any(self)
    }
}

impl Free<'_, '_, '_> {
    /// Whether to build the value being read: building, and the budget of built values not
    /// spent (once an open member's is spent, nothing more is built, and the walk says so).
    fn building(&self) -> bool {
        if !self.build {
            return false;
        }
        let mut st = self.cx.st.borrow_mut();
        if !self.open {
            st.kept_built += 1;
            return st.kept_built <= KEPT_BUILT;
        }
        if st.open_built >= self.cx.setup.build_open {
            st.open_truncated = true;
            return false;
        }
        st.open_built += 1;
        true
    }
}

impl<'de> Visitor<'de> for Free<'_, '_, '_> {
    type Value = Out;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Out, E> {
        Ok(Out::scalar(self.building(), self.measure, || {
            Value::Bool(v)
        }))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Out, E> {
        Ok(Out::scalar(self.building(), self.measure, || {
            Value::from(v)
        }))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Out, E> {
        Ok(Out::scalar(self.building(), self.measure, || {
            Value::from(v)
        }))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Out, E> {
        Ok(Out::scalar(self.building(), self.measure, || {
            Number::from_f64(v).map_or(Value::Null, Value::Number)
        }))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Out, E> {
        Ok(Out::string(self.building(), self.measure, v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Out, E> {
        Ok(Out {
            size: if self.measure { string_size(&v) } else { 0 },
            value: self.building().then_some(Value::String(v)),
        })
    }

    fn visit_unit<E: de::Error>(self) -> Result<Out, E> {
        Ok(Out::scalar(self.building(), self.measure, || Value::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<Out, E> {
        self.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Out, A::Error> {
        let build = self.building();
        let inner = Free {
            depth: self.cx.enter(self.depth)?,
            build,
            ..self
        };
        let mut built = Vec::new();
        let mut size = 1;
        let mut index = 0;
        let base = self.cx.pointer_len();
        loop {
            if self.cx.setup.duplicates {
                self.cx.push_item(index);
            }
            let item = seq.next_element_seed(inner)?;
            if self.cx.setup.duplicates {
                self.cx.pop(base);
            }
            let Some(item) = item else { break };
            size += usize::from(index > 0) + item.size;
            if let Some(value) = item.value {
                built.push(value);
            }
            index += 1;
        }
        Ok(Out {
            value: build.then_some(Value::Array(built)),
            size: size + 1,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Out, A::Error> {
        let build = self.building();
        let inner = Free {
            depth: self.cx.enter(self.depth)?,
            build,
            ..self
        };
        let track = self.cx.setup.duplicates;
        let mut object = Map::new();
        let mut keys = Keys::default();
        let mut size = 1;
        let mut index = 0;
        let base = self.cx.pointer_len();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if track {
                self.cx.push_key(&key, index);
                if !keys.insert(key.clone()) {
                    self.cx.repeated(self.cx.setup.key_anchor(&key));
                }
            }
            let out = map.next_value_seed(inner)?;
            if track {
                self.cx.pop(base);
            }
            size += usize::from(index > 0) + string_size(&key) + 1 + out.size;
            if let Some(value) = out.value {
                object.insert(key.into_owned(), value);
            }
            index += 1;
        }
        Ok(Out {
            value: build.then_some(Value::Object(object)),
            size: size + 1,
        })
    }
}

/// An object's keys so far: a list while small (most objects are), a set of 64-bit hashes
/// beyond. The hashes are SipHash under keys drawn at random for each object (std's
/// `RandomState`), so no input can be made to collide on purpose; by chance, two different keys
/// of an object with `n` members share a hash with probability about `n² / 2⁶⁵` (3 × 10⁻⁸ for a
/// million members). In exchange, a key costs some 9 to 18 bytes however long it is, where
/// keeping the keys cost over 40: a body of millions of short members stays within its budget.
struct Keys<'de> {
    few: Vec<Cow<'de, str>>,
    many: HashSet<u64, Prehashed>,
    state: RandomState,
}

impl Default for Keys<'_> {
    fn default() -> Self {
        Keys {
            few: Vec::new(),
            many: HashSet::default(),
            state: RandomState::new(),
        }
    }
}

impl<'de> Keys<'de> {
    const FEW: usize = 16;
    /// Members of one object whose findings can be taken back (see the walk of an object).
    const SPANS: usize = 4096;

    fn hash(&self, key: &str) -> u64 {
        self.state.hash_one(key)
    }

    /// False when the key was already there.
    fn insert(&mut self, key: Cow<'de, str>) -> bool {
        if self.many.is_empty() {
            if self.few.contains(&key) {
                return false;
            }
            if self.few.len() < Self::FEW {
                self.few.push(key);
                return true;
            }
            let state = &self.state;
            self.many
                .extend(self.few.drain(..).map(|k| state.hash_one(&*k)));
        }
        let hash = self.hash(&key);
        self.many.insert(hash)
    }

    fn contains(&self, key: &str) -> bool {
        self.few.iter().any(|k| k == key) || self.many.contains(&self.hash(key))
    }
}

/// A hasher for values that are hashes already (the keys' SipHash): passes them through.
#[derive(Default, Clone, Copy)]
struct Prehashed;

impl BuildHasher for Prehashed {
    type Hasher = PassThrough;

    fn build_hasher(&self) -> PassThrough {
        PassThrough(0)
    }
}

struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `u64`s are hashed here; any other input is folded in all the same.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A key, borrowed from the text when it has no escape.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// Length of a string as compact JSON writes it, quotes and escapes included.
fn string_size(s: &str) -> usize {
    2 + s.len()
        + s.bytes()
            .map(|b| match b {
                b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 1,
                0..0x20 => 5,
                _ => 0,
            })
            .sum::<usize>()
}

/// Length of the compact JSON of `value`, without building the text.
pub(crate) fn compact_size(value: &Value) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // Writing a `Value` to a sink that cannot fail cannot fail.
    let _ = serde_json::to_writer(&mut count, value);
    count.0
}
