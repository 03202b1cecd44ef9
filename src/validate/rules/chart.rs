//! `values` against a chart, as Helm checks them at install: coalesced over the chart's
//! defaults, then the chart's schema and each enabled subchart's schema under its key (see
//! [`crate::chart::coalesce`] for what Helm does and what is reproduced).
//!
//! A schema's error is about a place in the coalesced values; the finding goes where the user
//! can act: to the release's own value when the value is theirs (for a subchart's `global`, the
//! release's `global` it was passed down from), to the release's `null` that removed a required
//! default, and otherwise to `/values` with a sentence saying where the value came from (a
//! chart's defaults, or Helm itself) or that nobody sets it.

use serde_json::Value;

use super::{Context, Sink};
use crate::chart::Chart;
use crate::chart::coalesce::{self, Mounted, Origin};
use crate::diagnostic::Code;
use crate::diagnostic::message::{ChartNote, Problem};
use crate::model::constraints::parse_chart_version;
use crate::redact::{Quoted, found_value, quote_str};
use crate::validate::chart::{Limit, Outcome};
use crate::validate::{Anchor, Finding, translate};

const VALUES: &str = "/values";

/// The release's values (`values`, an object) against `chart`.
///
/// Within the limits of a chart schema alone: the coalesced values hold at most
/// [`coalesce::MAX_COALESCED`] values, and the chart's schema and its subcharts' share one
/// budget, that of the coalesced values (`values_schema_budget` past either). Each error goes
/// to the collector as it comes, placed and worded only if kept; should the budget run out
/// while a schema's errors are listed, they are taken back.
pub(super) fn check(cx: &Context<'_>, chart: &Chart, values: &Value, out: &mut Sink<'_>) {
    let Ok((mounted, coalesced)) =
        coalesce::mount(chart, values).and_then(|m| coalesce::merge(&m, values).map(|c| (m, c)))
    else {
        let problem = Problem::ValuesSchemaBudget {
            limit: Limit::Coalesced(coalesce::MAX_COALESCED),
            invalid: false,
        };
        out.push(Finding::body(problem, VALUES, Anchor::Value));
        return;
    };
    let merged = &coalesced.values;
    let place = Placer {
        root: &mounted,
        user: values,
        merged,
    };
    for fault in &coalesced.faults {
        let mut label = String::new();
        mounted.each(&mut |m| {
            if m.pointer == fault.pointer {
                label = m.label.clone();
            }
        });
        let (pointer, note, at) = place.value(&fault.pointer);
        let shown = at.as_deref().unwrap_or(&pointer).to_owned();
        out.push(Finding::body(
            Problem::SubchartValues {
                found: found_value(&shown, &fault.found),
                subchart: quote_str(&shown, &label),
                note,
                merged: at,
            },
            pointer,
            Anchor::Value,
        ));
    }
    let mut nodes: Vec<&Mounted<'_>> = Vec::new();
    collect(&mounted, &mut nodes);
    // One budget for every schema of the chart: that of all the values they read.
    let mut budget = cx.options.values_schema_budget.for_values(merged);
    let total_steps = budget.steps;
    for node in nodes {
        let Some(schema) = node.chart.compiled_schema() else {
            continue;
        };
        let Some(at) = merged.pointer(&node.pointer) else {
            continue;
        };
        // Helm validates a subchart's values only when they are a map.
        if !node.pointer.is_empty() && !at.is_object() {
            continue;
        }
        let before = out.mark();
        let outcome = schema.check_shared(at, &mut budget, &mut |error| {
            translate::chart_findings(&node.pointer, error, &mut |pointer, anchor, make| {
                let placed = place.place(&pointer, anchor);
                out.offer(Code::ValuesSchema, placed.pointer, placed.anchor, |_| {
                    Problem::ChartSchema {
                        // Quoted as the coalesced value's place decides (its keys).
                        inner: Box::new(make(&pointer)),
                        subchart: subchart(&node.label),
                        note: placed.note,
                        merged: placed.merged,
                    }
                });
            });
        });
        if let Outcome::BudgetExceeded { limit, invalid } = outcome {
            // What this schema listed before the budget ran out may be wrong: taken back.
            out.retract_since(before);
            let limit = match limit {
                Limit::Steps(_) => Limit::Steps(total_steps),
                other => other,
            };
            let pointer = match place.root_trace(&node.pointer) {
                Origin::User { pointer, .. } => format!("{VALUES}{pointer}"),
                _ => VALUES.to_owned(),
            };
            let problem = Problem::ValuesSchemaBudget { limit, invalid };
            out.push(Finding::body(problem, pointer, Anchor::Value));
            // The budget is shared: the schemas after this one are not applied.
            return;
        }
    }
}

fn collect<'m, 'c>(m: &'m Mounted<'c>, out: &mut Vec<&'m Mounted<'c>>) {
    out.push(m);
    for child in &m.children {
        collect(child, out);
    }
}

/// Where findings about the coalesced values go.
struct Placer<'a, 'c> {
    root: &'a Mounted<'c>,
    user: &'a Value,
    merged: &'a Value,
}

impl Placer<'_, '_> {
    fn root_trace(&self, pointer: &str) -> Origin {
        coalesce::trace(self.root, self.user, self.merged, pointer)
    }

    /// For a value at `merged` (a pointer of the coalesced values): the finding's pointer in the
    /// body, the note, and the coalesced pointer when the finding points elsewhere.
    fn value(&self, merged: &str) -> (String, ChartNote, Option<String>) {
        let elsewhere = || Some(format!("{VALUES}{merged}"));
        match self.root_trace(merged) {
            Origin::User { pointer, .. } => {
                let moved = (pointer != merged).then(elsewhere).flatten();
                (format!("{VALUES}{pointer}"), ChartNote::None, moved)
            }
            Origin::Default { chart, .. } => (
                VALUES.to_owned(),
                ChartNote::FromDefaults(subchart(&chart)),
                elsewhere(),
            ),
            Origin::Injected { global: true } => {
                (VALUES.to_owned(), ChartNote::HelmGlobal, elsewhere())
            }
            Origin::Injected { global: false } => {
                (VALUES.to_owned(), ChartNote::HelmSubchart, elsewhere())
            }
            Origin::Nowhere => (VALUES.to_owned(), ChartNote::None, elsewhere()),
        }
    }

    /// A finding of a schema's error at `merged_pointer` (in the coalesced values, with the
    /// anchor `translate` gave it) placed in the body.
    fn place(&self, merged_pointer: &str, anchor: Anchor) -> Placed {
        let placed = |pointer: String, anchor, note, merged: Option<String>| Placed {
            pointer,
            anchor,
            note,
            merged,
        };
        if anchor == Anchor::Parent {
            // A required member: removed by the release's `null`, or set by nobody.
            if let Origin::User {
                pointer,
                null: true,
            } = self.root_trace(merged_pointer)
            {
                let moved =
                    (pointer != merged_pointer).then(|| format!("{VALUES}{merged_pointer}"));
                return placed(
                    format!("{VALUES}{pointer}"),
                    Anchor::Value,
                    ChartNote::RemovedByNull,
                    moved,
                );
            }
            let container = crate::pointer::parent(merged_pointer);
            let member = &merged_pointer[container.len()..];
            return match self.root_trace(container) {
                Origin::User { pointer, .. } => {
                    let mut at = format!("{VALUES}{pointer}");
                    at.push_str(member);
                    let moved = (pointer != container).then(|| format!("{VALUES}{merged_pointer}"));
                    placed(at, Anchor::Parent, ChartNote::NotSet, moved)
                }
                _ => placed(
                    VALUES.to_owned(),
                    Anchor::Value,
                    ChartNote::NotSet,
                    Some(format!("{VALUES}{merged_pointer}")),
                ),
            };
        }
        let (pointer, note, merged) = self.value(merged_pointer);
        let anchor = if pointer == VALUES && merged.is_some() {
            Anchor::Value
        } else {
            anchor
        };
        placed(pointer, anchor, note, merged)
    }
}

/// Where a finding about the coalesced values goes in the body, and what its message adds.
struct Placed {
    pointer: String,
    anchor: Anchor,
    note: ChartNote,
    merged: Option<String>,
}

fn subchart(label: &str) -> Option<Quoted> {
    (!label.is_empty()).then(|| quote_str("", label))
}

/// `chart_version_mismatch`: a create's `version` is not the chart's.
pub(super) fn check_version(chart: &Chart, body: &Value, out: &mut Sink<'_>) {
    const POINTER: &str = "/version";
    let Some(Value::String(version)) = body.get("version") else {
        return;
    };
    // A version Helm cannot read is `invalid_format` already.
    let Some(asked) = parse_chart_version(version) else {
        return;
    };
    let same = match parse_chart_version(chart.version()) {
        Some(theirs) => theirs.canonical == asked.canonical,
        None => chart.version() == version,
    };
    if !same {
        out.push(Finding::body(
            Problem::ChartVersionMismatch {
                body: quote_str(POINTER, version),
                chart: quote_str(POINTER, chart.version()),
            },
            POINTER,
            Anchor::Value,
        ));
    }
}

/// The values with every `null` member of an object removed, at any depth, as coalescing
/// removes them (objects inside arrays are kept as they are: Helm does not coalesce arrays):
/// borrowed when there is none.
pub(super) fn without_nulls(values: &Value) -> std::borrow::Cow<'_, Value> {
    fn has_null_member(v: &Value) -> bool {
        match v {
            Value::Object(map) => map.values().any(|v| v.is_null() || has_null_member(v)),
            _ => false,
        }
    }
    fn strip(v: &mut Value) {
        if let Value::Object(map) = v {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip);
        }
    }
    if !has_null_member(values) {
        return std::borrow::Cow::Borrowed(values);
    }
    let mut owned = values.clone();
    strip(&mut owned);
    std::borrow::Cow::Owned(owned)
}
