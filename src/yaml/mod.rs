//! YAML payloads (feature `yaml`): the same findings, codes, pointers, lines and columns as the
//! equivalent JSON, and YAML's own hazards as findings.
//!
//! ```text
//! bytes ─► decode ─► load (saphyr-parser events ─► nodes with byte offsets; scalars typed,
//!                         tags, keys, merges and aliases settled; limits of depth and expansion)
//!       ─► per document: hazards (offered to the collector) ─► walk (the JSON walk, over a
//!          serde Deserializer of the nodes) ─► rules ─► collect ─► locate (pointers ─► nodes
//!          ─► byte offsets ─► lines and columns) ─► word ─► Report
//! ```
//!
//! - [`load`]: the parser's events as a tree of nodes (no recursion; the nesting limit and an
//!   expansion budget for aliases and merges).
//! - [`scalar`]: how a plain scalar is typed in YAML 1.2 and in YAML 1.1.
//! - [`de`]: the tree as a serde `Deserializer`, for [`crate::validate::walk`].
//! - this file: the pipeline, the hazards pass, positions and the masking of source lines.
//!
//! A stream of several documents is checked document by document (each may be of another kind
//! with `--kind auto`); its findings name their document ([`Diagnostic::document`]).

mod de;
mod fixes;
mod load;
pub(crate) mod scalar;

use std::collections::HashMap;

use crate::diagnostic::message::{Evidence, NotJson, Problem, TagFault, YamlReading, YamlSyntax};
use crate::diagnostic::{Diagnostic, Report, Severity};
use crate::pointer::{push_index, push_token};
use crate::redact;
use crate::validate::collect::{At, Collector};
use crate::validate::{Anchor, Finding, Options, PathContext, Validator, rules, walk, walk_setup};
use crate::{Kind, locate};

use load::{Doc, ExtraKind, Hazard, Id, Kind as NodeKind, Limits, LoadError};
use scalar::Reading;

impl<T> Validator<T> {
    /// Validates a YAML payload (a `.yaml` or `.yml` file): the findings of the equivalent JSON,
    /// at the YAML's lines and columns, and YAML's own hazards (scalars that YAML 1.1 and 1.2
    /// read differently, keys that are not strings, tags, merge keys; aliases are expanded within
    /// the input size limit). Each document of a stream is checked; the findings of a stream of
    /// several documents say which document they are in. Never panics, whatever the bytes.
    ///
    /// ```
    /// use cce_release::{Code, Kind, Validator};
    ///
    /// let yaml = b"chart_id: e99a7e86-afdd-11eb-aca3-0255ac100b0e
    /// name: koi-neo4j
    /// namespace: default
    /// version: 3.0.1
    /// parameters:
    ///   dry_run: yes
    /// values: {}
    /// ";
    /// let report = Validator::new(Kind::CreateRequest).validate_yaml(yaml);
    /// let found: Vec<(Code, &str, Option<u32>)> =
    ///     report.iter().map(|d| (d.code, d.pointer.as_str(), d.line)).collect();
    /// assert_eq!(found, [
    ///     (Code::TypeMismatch, "/parameters/dry_run", Some(6)),       // YAML 1.2: the string "yes"
    ///     (Code::YamlAmbiguousScalar, "/parameters/dry_run", Some(6)), // YAML 1.1: true
    /// ]);
    /// ```
    pub fn validate_yaml(&self, input: &[u8]) -> Report {
        self.validate_yaml_in(PathContext::default(), input)
    }

    /// [`validate_yaml`](Self::validate_yaml) with the request path's parameters.
    pub fn validate_yaml_in(&self, path: PathContext<'_>, input: &[u8]) -> Report {
        let kind = self.kind();
        validate(self.options(), path, input, &|_| Ok(kind))
    }
}

/// How the kind of each document is chosen: a kind, or the evidence that no single kind fits.
pub(crate) type Choose<'c> = dyn Fn(&dyn crate::detect::Shape) -> Result<Kind, Vec<Evidence>> + 'c;

/// YAML is held to this share of the maximum input size (4 MiB by default): its document is
/// kept as nodes while it is checked. Measured with `scripts/hostile/yaml-memory.sh`, the linter
/// peaks at 34 to 45 times the input (a block list of one-character scalars, one key repeated;
/// 1 MiB: 46 and 57 MB against a 12 MB baseline), against 3 times for JSON.
pub(crate) const YAML_SHARE: usize = 16;

/// Validates a YAML stream, each document as the kind `choose` picks for it.
pub(crate) fn validate(
    options: &Options,
    path: PathContext<'_>,
    input: &[u8],
    choose: &Choose<'_>,
) -> Report {
    if input.len() > options.max_input_size_limit() {
        return single(
            options,
            Problem::InputTooLarge {
                size: Some(input.len()),
                limit: options.max_input_size_limit(),
            },
            None,
        );
    }
    let yaml_limit = options.max_input_size_limit() / YAML_SHARE;
    if input.len() > yaml_limit {
        return single(
            options,
            Problem::YamlTooLarge {
                size: input.len(),
                limit: yaml_limit,
            },
            None,
        );
    }
    // A byte-order mark is allowed in YAML; positions are counted after it, as for JSON.
    let full = input.len();
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let shift = full - input.len();
    let text = match std::str::from_utf8(input) {
        Ok(text) => text,
        Err(e) => {
            let offset = e.valid_up_to();
            let prefix = std::str::from_utf8(&input[..offset]).unwrap_or_default();
            let at = locate::line_cols(prefix, &[offset]).first().copied();
            return single(
                options,
                Problem::InvalidYaml {
                    detail: YamlSyntax::NotUtf8 { offset },
                },
                at,
            );
        }
    };
    let limits = Limits {
        max_depth: options.max_depth_limit(),
        expansion: u64::try_from(options.max_input_size_limit()).unwrap_or(u64::MAX),
    };
    let docs = match load::load(text, limits) {
        Ok(docs) => docs,
        Err(e) => {
            let (problem, offset) = match e {
                LoadError::Syntax { message, at } => (
                    Problem::InvalidYaml {
                        detail: YamlSyntax::Parser(redact::Quoted::text("", &message)),
                    },
                    at,
                ),
                LoadError::TooDeep { at } => (
                    Problem::InvalidYaml {
                        detail: YamlSyntax::TooDeep {
                            limit: options.max_depth_limit(),
                        },
                    },
                    at,
                ),
                LoadError::Lookahead { at } => (
                    Problem::YamlLookahead {
                        limit: load::LOOKAHEAD,
                    },
                    at,
                ),
                LoadError::Expansion { at } => (
                    Problem::AliasExpansion {
                        limit: options.max_input_size_limit(),
                    },
                    at,
                ),
            };
            let at = locate::line_cols(text, &[offset]).first().copied();
            return single(options, problem, at);
        }
    };
    if docs.is_empty() {
        return single(
            options,
            Problem::InvalidYaml {
                detail: YamlSyntax::NoDocument,
            },
            Some((1, 1)),
        );
    }
    let several = docs.len() > 1;
    let mut all: Vec<(Option<u32>, Diagnostic)> = Vec::new();
    let mut omitted = 0;
    for (index, doc) in docs.iter().enumerate() {
        let number = several.then(|| u32::try_from(index + 1).unwrap_or(u32::MAX));
        let (diagnostics, left_out) = document(options, path, (text, shift), doc, choose);
        omitted += left_out;
        all.extend(diagnostics.into_iter().map(|d| (number, d)));
    }
    // The limit holds for the stream: errors first, then warnings, each in document order.
    let limit = options.max_findings_limit();
    let is_error = |d: &Diagnostic| d.severity == Severity::Error;
    let errors = all.iter().filter(|(_, d)| is_error(d)).count();
    let mut kept_errors = 0;
    let mut kept_warnings = 0;
    let room = limit.saturating_sub(errors.min(limit));
    let mut kept = Vec::with_capacity(all.len().min(limit));
    for (number, mut d) in all {
        let keep = if is_error(&d) {
            kept_errors += 1;
            kept_errors <= limit
        } else {
            kept_warnings += 1;
            kept_warnings <= room
        };
        if keep {
            d.document = number;
            kept.push(d);
        } else {
            omitted += 1;
        }
    }
    options.report_of(kept, omitted)
}

/// A report of one finding, at a position.
fn single(options: &Options, problem: Problem, at: Option<(u32, u32)>) -> Report {
    let finding = Finding::body(problem, "", Anchor::Nowhere);
    options.report_of(vec![options.diagnostic(finding, at)], 0)
}

/// The diagnostics of one document (positions in `text`), and how many were left out.
fn document(
    options: &Options,
    path: PathContext<'_>,
    text: (&str, usize),
    doc: &Doc<'_>,
    choose: &Choose<'_>,
) -> (Vec<Diagnostic>, usize) {
    let mut collector = options.collector();
    let kind = match choose(&DocShape(doc)) {
        Ok(kind) => kind,
        Err(evidence) => {
            collector.push(
                At::of(&[], Anchor::Offset(doc.start)),
                Finding::body(
                    Problem::KindNotDetected { evidence },
                    "",
                    Anchor::Offset(doc.start),
                ),
            );
            return finish(options, collector, text, doc);
        }
    };
    let setup = walk_setup(kind, options, Some(&doc.keys));
    let cx = rules::Context::new(kind, options, path, None);
    let mut hook =
        |index: usize, item: &serde_json::Value, places: &walk::Places, c: &mut Collector| {
            rules::check_item(&cx, index, item, places, c);
        };
    let node = de::Node { doc, id: doc.root };
    match walk::deserializer(node, &setup, &mut collector, Some(&mut hook)) {
        Ok(walked) => {
            rules::check(&cx, &walked, &mut collector);
            // After the walk: at a place with both, the payload's finding comes first.
            hazards(doc, &mut collector);
        }
        Err(_) => {
            // The loader keeps documents within the nesting limit; reported, not trusted.
            let mut fresh = options.collector();
            fresh.push(
                At::of(&[], Anchor::Offset(doc.start)),
                Finding::body(
                    Problem::InvalidYaml {
                        detail: YamlSyntax::TooDeep {
                            limit: options.max_depth_limit(),
                        },
                    },
                    "",
                    Anchor::Offset(doc.start),
                ),
            );
            collector = fresh;
        }
    }
    finish(options, collector, text, doc)
}

fn finish(
    options: &Options,
    collector: Collector,
    (text, shift): (&str, usize),
    doc: &Doc<'_>,
) -> (Vec<Diagnostic>, usize) {
    let (findings, omitted) = collector.finish();
    let positions = positions(text, doc, &findings);
    // Fixes for the kept findings only.
    let fixes = fixes::fixes(text, shift, doc, &findings);
    let diagnostics = findings
        .into_iter()
        .zip(positions)
        .zip(fixes)
        .map(|((f, at), fix)| Diagnostic {
            fix,
            ..options.diagnostic(f, at)
        })
        .collect();
    (diagnostics, omitted)
}

/// The hazards of a document, each offered once, where it is written (not again where an alias
/// repeats it).
fn hazards(doc: &Doc<'_>, collector: &mut Collector) {
    let mut pointer = String::new();
    let mut path = Vec::new();
    visit(doc, doc.root, &mut pointer, &mut path, collector);
}

fn visit(doc: &Doc<'_>, id: Id, pointer: &mut String, path: &mut Vec<u32>, c: &mut Collector) {
    let Some(node) = doc.node(id) else {
        return;
    };
    if let Some(hazard) = &node.hazard {
        offer(doc, id, hazard, pointer, path, Anchor::Offset(node.at), c);
    }
    let base = pointer.len();
    match &node.kind {
        NodeKind::Seq(items) => {
            for (i, &item) in items.iter().enumerate() {
                push_index(pointer, i);
                path.push(u32::try_from(i).unwrap_or(u32::MAX));
                visit(doc, item, pointer, path, c);
                path.pop();
                pointer.truncate(base);
            }
        }
        NodeKind::Map(map) => {
            for (i, member) in map.members.iter().enumerate() {
                if member.merged {
                    continue;
                }
                push_token(pointer, doc.key(member.key));
                path.push(u32::try_from(i).unwrap_or(u32::MAX));
                if let Some(key) = doc.node(member.key_node)
                    && let Some(hazard) = &key.hazard
                {
                    let anchor = Anchor::KeyAt(member.key.start.saturating_sub(1) as usize);
                    offer(doc, member.key_node, hazard, pointer, path, anchor, c);
                }
                visit(doc, member.value, pointer, path, c);
                path.pop();
                pointer.truncate(base);
            }
            for extra in &map.extras {
                let at = doc.node(extra.key_node).map_or(node.at, |k| k.at);
                path.push(u32::try_from(extra.index).unwrap_or(u32::MAX));
                let problem = match extra.what {
                    ExtraKind::Merge => Problem::MergeKey,
                    ExtraKind::ComplexKey => Problem::NotJson {
                        what: NotJson::ComplexKey,
                    },
                };
                let anchor = Anchor::Offset(at);
                c.offer(problem.code(), At::of(path, anchor), || {
                    Finding::body(problem, pointer.as_str(), anchor)
                });
                path.pop();
                // Mappings merged in but written in place are this mapping's members.
                if extra.what == ExtraKind::Merge {
                    visit_merged(doc, extra.value, pointer, path, c);
                }
            }
        }
        _ => {}
    }
}

/// The hazards of mappings written as the value of a merge key (not aliases: those are written
/// elsewhere), reported at the merging mapping's members.
fn visit_merged(
    doc: &Doc<'_>,
    id: Id,
    pointer: &mut String,
    path: &mut Vec<u32>,
    c: &mut Collector,
) {
    let Some(node) = doc.node(id) else {
        return;
    };
    match &node.kind {
        NodeKind::Map(_) => visit(doc, id, pointer, path, c),
        NodeKind::Seq(items) => {
            for &item in items {
                if matches!(doc.node(item).map(|n| &n.kind), Some(NodeKind::Map(_))) {
                    visit(doc, item, pointer, path, c);
                }
            }
        }
        _ => {}
    }
}

/// Offers the finding of a node's hazard at `pointer`.
fn offer(
    doc: &Doc<'_>,
    id: Id,
    hazard: &Hazard,
    pointer: &str,
    path: &[u32],
    anchor: Anchor,
    c: &mut Collector,
) {
    let text = match doc.node(id).map(|n| &n.kind) {
        Some(NodeKind::Scalar { text, .. }) => text.as_ref(),
        _ => "",
    };
    let make = || match hazard {
        Hazard::Ambiguous { yaml12, yaml11 } => Problem::AmbiguousScalar {
            found: redact::quote_str(pointer, text),
            yaml12: reading(pointer, *yaml12),
            yaml11: reading(pointer, *yaml11),
            short_bool: scalar::is_short_bool(text),
        },
        Hazard::KeyNotString { reading: r } => Problem::KeyNotString {
            key: redact::quote_str(
                pointer,
                crate::pointer::tokens(pointer)
                    .last()
                    .unwrap_or_default()
                    .as_ref(),
            ),
            reading: reading(pointer, *r),
        },
        Hazard::Tag { tag, fault } => Problem::YamlTag {
            tag: redact::Quoted::text("", tag),
            fault: (*fault).into(),
        },
        Hazard::NonFinite => Problem::NotJson {
            what: NotJson::NonFinite,
        },
        Hazard::RecursiveAlias => Problem::NotJson {
            what: NotJson::RecursiveAlias,
        },
    };
    let code = match hazard {
        Hazard::Ambiguous { .. } => crate::Code::YamlAmbiguousScalar,
        Hazard::KeyNotString { .. } => crate::Code::YamlKeyNotString,
        Hazard::Tag { .. } => crate::Code::YamlTag,
        Hazard::NonFinite | Hazard::RecursiveAlias => crate::Code::YamlNotJson,
    };
    c.offer(code, At::of(path, anchor), || {
        Finding::body(make(), pointer, anchor)
    });
}

/// A reading as a message says it, hidden under a secret-looking key.
fn reading(pointer: &str, r: Reading) -> YamlReading {
    let secret = redact::is_secret_pointer(pointer);
    match r {
        Reading::Null => YamlReading::Null,
        Reading::Bool(b) => YamlReading::Bool((!secret).then_some(b)),
        Reading::Int(n) => {
            let number = i64::try_from(n)
                .map(serde_json::Number::from)
                .or_else(|_| u64::try_from(n).map(serde_json::Number::from))
                .ok()
                .or_else(|| serde_json::Number::from_f64(n as f64));
            YamlReading::Integer(number.and_then(|n| redact::shown_unless_secret(pointer, &n)))
        }
        Reading::Float(f) => YamlReading::Float(
            serde_json::Number::from_f64(f).and_then(|n| redact::shown_unless_secret(pointer, &n)),
        ),
        Reading::Str => YamlReading::String,
        Reading::Date => YamlReading::Date,
        Reading::Unreadable => YamlReading::Unreadable,
    }
}

/// What a tag fault is called in messages (the loader's and the message's are one enum's
/// mirror, so that `message` needs nothing of the loader).
impl From<load::TagFault> for TagFault {
    fn from(fault: load::TagFault) -> Self {
        match fault {
            load::TagFault::Unknown => TagFault::Unknown,
            load::TagFault::NotJsonType => TagFault::NotJsonType,
            load::TagFault::Misfit => TagFault::Misfit,
        }
    }
}

/// The line and column of every finding of a document.
fn positions(text: &str, doc: &Doc<'_>, findings: &[Finding]) -> Vec<Option<(u32, u32)>> {
    let mut index = MemberIndex::default();
    let offsets: Vec<Option<usize>> = findings
        .iter()
        .map(|f| match f.anchor {
            Anchor::Offset(offset) => Some(offset),
            Anchor::KeyAt(arena) => doc.key_offset(arena),
            Anchor::Value => resolve(doc, &f.pointer, &mut index).map(|(value, _)| value),
            Anchor::Key => {
                resolve(doc, &f.pointer, &mut index).map(|(value, key)| key.unwrap_or(value))
            }
            Anchor::Parent => {
                resolve(doc, crate::pointer::parent(&f.pointer), &mut index).map(|(value, _)| value)
            }
            Anchor::Nowhere => None,
        })
        .collect();
    let known: Vec<usize> = offsets.iter().flatten().copied().collect();
    let mut lines = locate::line_cols(text, &known).into_iter();
    offsets
        .iter()
        .map(|o| o.and_then(|_| lines.next()))
        .collect()
}

/// For mappings with many members: key → the last member of that key.
#[derive(Default)]
struct MemberIndex<'d> {
    maps: HashMap<Id, HashMap<&'d str, usize>>,
}

/// How many members a mapping has before its keys are indexed.
const INDEX_FROM: usize = 16;

/// The byte offsets of what `pointer` names in `doc` (its value, and its key when it is a
/// member); of repeated keys the last counts; a pointer that names nothing gets the position of
/// its nearest ancestor that does.
fn resolve<'d>(
    doc: &'d Doc<'_>,
    pointer: &str,
    index: &mut MemberIndex<'d>,
) -> Option<(usize, Option<usize>)> {
    let mut id = doc.root;
    let mut at = (doc.node(id)?.at, None);
    for token in crate::pointer::tokens(pointer) {
        let target = match doc.node(id)?.kind {
            NodeKind::Alias(t) => t,
            _ => id,
        };
        let next = match &doc.node(target)?.kind {
            NodeKind::Seq(items) => token
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i))
                .map(|&item| (item, None)),
            NodeKind::Map(map) => {
                let found = if map.members.len() >= INDEX_FROM {
                    let keys = index.maps.entry(target).or_insert_with(|| {
                        map.members
                            .iter()
                            .enumerate()
                            .map(|(i, m)| (doc.key(m.key), i))
                            .collect()
                    });
                    keys.get(token.as_ref()).copied()
                } else {
                    map.members
                        .iter()
                        .rposition(|m| doc.key(m.key) == token.as_ref())
                };
                found
                    .and_then(|i| map.members.get(i))
                    .map(|m| (m.value, Some(m.key_node)))
            }
            _ => None,
        };
        let Some((value, key)) = next else {
            break;
        };
        id = value;
        at = (
            doc.node(value)?.at,
            key.and_then(|k| doc.node(k)).map(|k| k.at),
        );
    }
    Some(at)
}

/// What kind detection sees of a document.
struct DocShape<'d, 't>(&'d Doc<'t>);

impl crate::detect::Shape for DocShape<'_, '_> {
    fn top(&self) -> crate::detect::Top<'_> {
        use crate::detect::{Member, Top, ValueType};
        let doc = self.0;
        let Some(root) = doc.target(doc.root) else {
            return Top::Other;
        };
        match &root.kind {
            NodeKind::Seq(_) => Top::Array,
            NodeKind::Scalar {
                value: load::Value::Str,
                ..
            } => Top::String,
            NodeKind::Map(map) => Top::Object(
                map.members
                    .iter()
                    .map(|m| Member {
                        name: doc.key(m.key),
                        value: match doc.target(m.value).map(|n| &n.kind) {
                            Some(NodeKind::Map(_)) => ValueType::Object,
                            Some(NodeKind::Seq(_)) => ValueType::Array,
                            Some(NodeKind::Scalar { value, .. }) => match value {
                                load::Value::Str => ValueType::String,
                                load::Value::Null => ValueType::Null,
                                load::Value::Bool(_) => ValueType::Boolean,
                                _ => ValueType::Number,
                            },
                            _ => ValueType::Null,
                        },
                    })
                    .collect(),
            ),
            _ => Top::Other,
        }
    }
}

/// The byte ranges of `text` to hide under source lines: values under secret-looking keys, by
/// the parser's spans. Text that does not load is read line by line instead: a line whose key
/// names a secret is hidden after the key, and so is every line indented below it.
pub(crate) fn secret_ranges(text: &str) -> Vec<(usize, usize)> {
    // Offsets are the text's, a byte-order mark included.
    if let Some(rest) = text.strip_prefix('\u{feff}') {
        let bom = text.len() - rest.len();
        return secret_ranges(rest)
            .into_iter()
            .map(|(start, end)| (start + bom, end + bom))
            .collect();
    }
    let limits = Limits {
        max_depth: Options::DEFAULT_MAX_DEPTH,
        expansion: u64::try_from(Options::DEFAULT_MAX_INPUT_SIZE).unwrap_or(u64::MAX),
    };
    match load::load(text, limits) {
        Ok(docs) => {
            let mut ranges = Vec::new();
            for doc in &docs {
                let mut secret = vec![false; doc.nodes.len()];
                mark_secrets(doc, &mut secret);
                // Aliases of a secret node are not secrets of their own, and their text is only
                // the alias's name; keys below a secret key are hidden with the value.
                for (node, &hidden) in doc.nodes.iter().zip(&secret) {
                    if hidden && !matches!(node.kind, NodeKind::Alias(_)) {
                        // A block scalar's span runs on to the next line's indentation.
                        let text_of = text.get(node.at..node.end).unwrap_or_default();
                        let end = node.at + text_of.trim_end().len();
                        ranges.push((node.at, end.max(node.at)));
                    }
                }
            }
            ranges
        }
        Err(_) => line_secrets(text),
    }
}

/// Marks the values of members whose key names a secret.
fn mark_secrets(doc: &Doc<'_>, secret: &mut [bool]) {
    for node in &doc.nodes {
        if let NodeKind::Map(map) = &node.kind {
            for member in map.members.iter().filter(|m| !m.merged) {
                if redact::is_secret_key(doc.key(member.key))
                    && let Some(slot) = secret.get_mut(member.value as usize)
                {
                    *slot = true;
                }
            }
        }
    }
}

/// Secrets in text that is not well-formed YAML: after a key that names a secret, the rest of
/// its line and the lines indented below it.
fn line_secrets(text: &str) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut hiding_below: Option<usize> = None;
    for line in text.split('\n') {
        let indent = line.len() - line.trim_start_matches([' ', '\t', '-']).len();
        let blank = line.trim().is_empty();
        match hiding_below {
            Some(level) if blank || indent > level => {
                ranges.push((start, start + line.len()));
                start += line.len() + 1;
                continue;
            }
            _ => hiding_below = None,
        }
        // The first word of the line that names a secret hides the rest of it.
        let mut word_start = None;
        for (i, ch) in line
            .char_indices()
            .chain(std::iter::once((line.len(), ' ')))
        {
            if ch.is_alphanumeric() || ch == '_' || ch == '-' {
                word_start.get_or_insert(i);
            } else if let Some(ws) = word_start.take()
                && redact::is_secret_key(&line[ws..i])
            {
                ranges.push((start + i, start + line.len()));
                hiding_below = Some(indent);
                break;
            }
        }
        start += line.len() + 1;
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_hidden_by_spans_and_in_broken_text() {
        let text = "name: koi\npassword: hunter2\nauth:\n  user: admin\n  pass: |\n    s3cret\nother: ok\n";
        let ranges = secret_ranges(text);
        let lines: Vec<usize> = (1..=7).collect();
        let shown = redact::masked_lines_with(text, &lines, |_| ranges.clone());
        let all: String = shown.iter().map(|(_, l)| format!("{l}\n")).collect();
        assert!(
            !all.contains("hunter2") && !all.contains("admin") && !all.contains("s3cret"),
            "{all}"
        );
        assert!(
            all.contains("name: koi") && all.contains("other: ok"),
            "{all}"
        );
        let broken = "name: [koi\ntoken: abc123\napiKey:\n  - k1\n  - k2\nx: 1\n";
        let ranges = line_secrets(broken);
        let shown = redact::masked_lines_with(broken, &[1, 2, 3, 4, 5, 6], |_| ranges.clone());
        let all: String = shown.iter().map(|(_, l)| format!("{l}\n")).collect();
        assert!(
            !all.contains("abc123") && !all.contains("k1") && !all.contains("k2"),
            "{all}"
        );
        assert!(all.contains("x: 1"), "{all}");
    }
}
