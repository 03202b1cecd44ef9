//! `values`: the size of the revision Helm would store, and the chart's schemas.
//!
//! Helm stores each release revision in one Kubernetes Secret, capped at 1 MiB of base64 text
//! of the gzipped JSON (see [`crate::chart::encode`]); `values_too_large` when the measured part
//! is over the limit (the install will fail) or over three quarters of it (the parts not
//! measured put it at risk). It is measured only when an upper bound of its size could reach
//! that, so a normal payload costs nothing.
//!
//! With a chart ([`Options::chart`](crate::Options::chart)), `values` are checked as Helm
//! checks them ([`super::chart`]). With only a values schema, the schema is applied to `values`
//! less their `null` members, as coalescing over the chart's defaults would remove them (Helm
//! never validates a `null` member of the release's values: it deletes the default it stands
//! for, or is left out); violations are `values_schema` findings pointing into `/values`.

use serde_json::Value;

use super::{Context, Sink};
use crate::chart::encode;
use crate::diagnostic::message::{Problem, StoredSize};
use crate::model::constraints::VALUES_SIZE_LIMIT;
use crate::validate::chart::{Limit, Outcome};
use crate::validate::walk::compact_size;
use crate::validate::{Anchor, Finding, translate};

const POINTER: &str = "/values";

/// Compact JSON is never more than this many times longer than the text it was parsed from: only
/// numbers grow when written back (`1e15` becomes `1000000000000000.0`, 4.5 times as long).
const MAX_GROWTH: usize = 5;

/// Go's JSON is at most this many times longer than serde_json's compact JSON: `<`, `>`, `&`
/// become six bytes each.
const GO_GROWTH: usize = 6;

/// Beyond this share of the limit (in per cent), the stored size is reported as a risk.
const AT_RISK_PERCENT: usize = 75;

/// Beyond the limit by this share (in per cent), the install will fail whatever the difference
/// between this crate's deflate and Go's (see `docs/chart-aware.md`).
const CERTAIN_MARGIN_PERCENT: usize = 3;

/// `measured`: the compact size of `values`, when the walk measured it; `truncated`: the walk
/// stopped building them (too many values for a chart's schema to apply to).
pub(super) fn check(
    cx: &Context<'_>,
    body: &Value,
    measured: Option<usize>,
    truncated: bool,
    out: &mut Sink<'_>,
) {
    let Some(values @ Value::Object(_)) = body.get("values") else {
        return;
    };
    size(cx, values, measured, truncated, out);
    if cx.options.chart.is_none() && cx.options.values_schema.is_none() {
        return;
    }
    if truncated {
        let problem = Problem::ValuesSchemaBudget {
            limit: Limit::Values(crate::Options::CHART_VALUES_BUILT),
            invalid: false,
        };
        out.push(Finding::body(problem, POINTER, Anchor::Value));
        return;
    }
    if let Some(chart) = cx.options.chart.as_ref() {
        super::chart::check(cx, chart, values, out);
    } else if let Some(schema) = &cx.options.values_schema {
        let values = super::chart::without_nulls(values);
        let budget = cx.options.values_schema_budget.for_values(&values);
        // Each error is offered to the collector as it comes: only the kept ones are worded,
        // and none is kept in between.
        let before = out.mark();
        let outcome = schema.check(&values, budget, &mut |error| {
            translate::chart_error(POINTER, error, out);
        });
        if let Outcome::BudgetExceeded { limit, invalid } = outcome {
            // Errors listed before the budget ran out may be wrong (a `not` that failed for
            // want of steps): the finding says the values are invalid, not why.
            out.retract_since(before);
            let problem = Problem::ValuesSchemaBudget { limit, invalid };
            out.push(Finding::body(problem, POINTER, Anchor::Value));
        }
    }
}

/// The stored size of the revision, when it could reach the risk threshold.
fn size(
    cx: &Context<'_>,
    values: &Value,
    measured: Option<usize>,
    truncated: bool,
    out: &mut Sink<'_>,
) {
    let limit = VALUES_SIZE_LIMIT;
    let threshold = limit / 100 * AT_RISK_PERCENT;
    let chart = cx.options.chart.as_ref();
    // An upper bound of the JSON the chart adds: its files as base64, its defaults and metadata.
    let chart_bound = chart.map_or(0, |c| {
        let stored = c.stored();
        encode::base64_len(stored.file_bytes())
            + GO_GROWTH * (compact_size(c.default_values()) + compact_size(&stored.metadata))
            + 64 * (stored.templates.len() + stored.files.len() + 16)
    });
    // Not at all when the whole input is too small for its values to reach the threshold.
    let compact = measured.or_else(|| {
        let may_be_large = cx.input_len.is_none_or(|len| {
            encode::base64_len(encode::gzip_bound(
                len.saturating_mul(MAX_GROWTH * GO_GROWTH) + chart_bound,
            )) > threshold
        });
        may_be_large.then(|| compact_size(values))
    });
    let Some(compact) = compact else {
        return;
    };
    let upper = encode::base64_len(encode::gzip_bound(
        compact.saturating_mul(GO_GROWTH) + chart_bound + 1024,
    ));
    if upper <= threshold {
        return;
    }
    // The whole of `values`: the walk built it for a chart or a schema, or a parsed value was
    // given; otherwise (or when there were too many to build) it is written from the text as
    // Go writes it, without building it (rare: only payloads whose values are hundreds of
    // kilobytes).
    let complete = cx.text.is_none()
        || (!truncated && (cx.options.chart.is_some() || cx.options.values_schema.is_some()));
    let written;
    let config = if complete {
        encode::Config::Value(values)
    } else {
        let Some(text) = cx.text else { return };
        let Some(go) = crate::chart::go_text::read_member(text, POINTER.trim_start_matches('/'))
        else {
            return;
        };
        written = go;
        encode::Config::Go(&written)
    };
    let stored_chart = chart.map(|c| (c, crate::chart::stored_values(c)));
    // Past this the install fails whatever the margin: compressing further would only refine
    // the number (at level 9, a second or more for a few megabytes of hostile values).
    let over = limit + limit / 100 * CERTAIN_MARGIN_PERCENT;
    let m = encode::measure(config, stored_chart.as_ref().map(|(c, v)| (*c, v)), over);
    if m.stored <= threshold {
        return;
    }
    let certain = m.stored > over;
    out.push(Finding::body(
        Problem::ValuesTooLarge {
            size: StoredSize {
                stored: m.stored,
                json: m.json,
                limit,
                chart: chart.is_some(),
                certain,
                at_least: m.stopped,
            },
        },
        POINTER,
        Anchor::Value,
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn compact_size_is_the_serialized_length() {
        let v = json!({"a": [1, 2.5, "é"], "b": {"c": null}});
        assert_eq!(
            compact_size(&v),
            serde_json::to_string(&v).unwrap_or_default().len()
        );
    }

    #[test]
    fn numbers_grow_at_most_max_growth_times() {
        for text in ["1e15", "9e15", "1e9", "-1e15", "1E2", "0.1e1", "5e-7"] {
            let v: Value = serde_json::from_str(text).unwrap_or_default();
            assert!(compact_size(&v) <= text.len() * MAX_GROWTH, "{text} -> {v}");
        }
    }

    #[test]
    fn go_json_grows_at_most_go_growth_times() {
        for v in [
            json!("<&>"),
            json!({"<": ">"}),
            json!(["\u{2028}"]),
            json!(1e300),
        ] {
            let mut go = Vec::new();
            let _ = encode::go_json(&mut go, &v);
            assert!(go.len() <= compact_size(&v) * GO_GROWTH, "{v}");
        }
    }
}
