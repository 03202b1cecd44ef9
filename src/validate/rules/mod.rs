//! The rule pass: what the schema cannot say. One file per rule family; each rule reads what
//! the walk built (the document's skeleton, or one item of a list), skips values of the wrong
//! type (the schema has reported them), never fails on any input, and hands typed findings to
//! the collector.

mod chart;
mod cluster;
mod parameters;
mod status;
mod values;
mod version;

use serde_json::Value;

use super::collect::{At, Collector};
use super::walk::{Places, Walked};
use super::{Finding, Options, PathContext};
use crate::Kind;

/// What the rules may look at besides the payload.
pub(crate) struct Context<'a> {
    pub kind: Kind,
    pub options: &'a Options,
    /// The request path's cluster id: the call's, else the options' default.
    pub cluster_id: Option<&'a str>,
    /// Length of the source text, when there is one (lets `values` skip measuring itself).
    pub input_len: Option<usize>,
    /// The source text, when there is one (the size check reads `values` again from it when
    /// the walk did not build them and they may be large).
    pub text: Option<&'a str>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(
        kind: Kind,
        options: &'a Options,
        path: PathContext<'a>,
        input_len: Option<usize>,
    ) -> Self {
        Context {
            kind,
            options,
            cluster_id: path.cluster_id.or(options.cluster_id.as_deref()),
            input_len,
            text: None,
        }
    }
}

/// Where rule findings go: the collector, with each finding's place in the document.
pub(crate) struct Sink<'s> {
    collector: &'s mut Collector,
    places: &'s Places,
    root: Option<&'s Value>,
    path: Vec<u32>,
    cache: crate::pointer::IndexCache<'s>,
}

impl Sink<'_> {
    /// Offers a finding of `code` about the body at `pointer`; `make` builds its problem (and
    /// quotes what it quotes) only if the collector keeps it.
    pub(crate) fn offer(
        &mut self,
        code: crate::Code,
        pointer: String,
        anchor: super::Anchor,
        make: impl FnOnce(&str) -> crate::diagnostic::message::Problem,
    ) {
        let placed = match anchor {
            super::Anchor::Parent => crate::pointer::parent(&pointer),
            _ => pointer.as_str(),
        };
        self.places
            .path(placed, self.root, &mut self.path, &mut self.cache);
        let at = At::of(&self.path, anchor);
        self.collector.offer(code, at, || {
            let problem = make(&pointer);
            Finding::body(problem, pointer, anchor)
        });
    }

    /// Where the collector is now (see [`Collector::mark`]).
    pub(crate) fn mark(&self) -> crate::validate::collect::Mark {
        self.collector.mark()
    }

    /// Takes back what was offered since `from` (see [`Collector::retract`]).
    pub(crate) fn retract_since(&mut self, from: crate::validate::collect::Mark) {
        let to = self.collector.mark();
        self.collector.retract(from, to);
    }

    pub(crate) fn push(&mut self, finding: Finding) {
        let pointer = match finding.anchor {
            super::Anchor::Parent => crate::pointer::parent(&finding.pointer),
            _ => finding.pointer.as_str(),
        };
        self.places
            .path(pointer, self.root, &mut self.path, &mut self.cache);
        self.collector
            .push(At::of(&self.path, finding.anchor), finding);
    }
}

/// The rules of a document given as a value (the walk built nothing: the value is read).
pub(crate) fn check_value(
    cx: &Context<'_>,
    value: &Value,
    walked: &Walked,
    collector: &mut Collector,
) {
    if let Value::Array(items) = value {
        for (index, item) in items.iter().enumerate() {
            check_item(cx, index, item, &walked.places, collector);
        }
    }
    check_root(cx, value, walked, collector);
}

/// The rules of the whole document, read as the walk built it.
pub(crate) fn check(cx: &Context<'_>, walked: &Walked, collector: &mut Collector) {
    match walked.root.as_ref() {
        Some(root) => check_root(cx, root, walked, collector),
        None if cx.kind == Kind::ReleaseList => check_list(cx, walked, collector),
        None => {}
    }
}

/// The rules of a list as a whole (its items went to [`check_item`]): the request path's
/// cluster id is checked once.
fn check_list(cx: &Context<'_>, walked: &Walked, collector: &mut Collector) {
    let mut out = Sink {
        collector,
        places: &walked.places,
        root: None,
        path: Vec::new(),
        cache: Default::default(),
    };
    cluster::check_path(cx, &mut out);
}

fn check_root(cx: &Context<'_>, root: &Value, walked: &Walked, collector: &mut Collector) {
    let mut out = Sink {
        collector,
        places: &walked.places,
        root: Some(root),
        path: Vec::new(),
        cache: Default::default(),
    };
    match cx.kind {
        Kind::CreateRequest => {
            cluster::check(cx, None, root, &mut out);
            version::check(root, &mut out);
            if let Some(chart) = cx.options.chart.as_ref() {
                chart::check_version(chart, root, &mut out);
            }
            parameters::check_create(root, &mut out);
            values::check(cx, root, walked.measured, walked.open_truncated, &mut out);
        }
        Kind::UpdateRequest => {
            cluster::check(cx, None, root, &mut out);
            parameters::check_update(root, &mut out);
            values::check(cx, root, walked.measured, walked.open_truncated, &mut out);
        }
        Kind::CreateResponse | Kind::Release => cluster::check(cx, None, root, &mut out),
        Kind::ReleaseList => cluster::check_path(cx, &mut out),
        _ => {}
    }
}

/// The rules of one item of a top-level list, as the walk hands it over.
pub(crate) fn check_item(
    cx: &Context<'_>,
    index: usize,
    item: &Value,
    places: &Places,
    collector: &mut Collector,
) {
    let mut out = Sink {
        collector,
        places,
        root: None,
        path: Vec::new(),
        cache: Default::default(),
    };
    if cx.kind == Kind::ReleaseList {
        status::check(index, item, &mut out);
        cluster::check(cx, Some(index), item, &mut out);
    }
}

/// The findings a rule gives, for the rules' own tests.
#[cfg(test)]
pub(super) fn findings_of(rule: impl FnOnce(&mut Sink<'_>)) -> Vec<Finding> {
    let mut collector = Collector::new(1000, false);
    let places = Places::default();
    let mut out = Sink {
        collector: &mut collector,
        places: &places,
        root: None,
        path: Vec::new(),
        cache: Default::default(),
    };
    rule(&mut out);
    collector.finish().0
}
