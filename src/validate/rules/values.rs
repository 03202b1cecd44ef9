//! `values`: its size, and the chart's own `values.schema.json`.
//!
//! Helm stores each release revision in one Kubernetes Secret, capped at 1 MiB, so values whose
//! compact JSON exceeds [`VALUES_SIZE_LIMIT`] cannot be installed (`values_too_large`). A chart
//! may ship a `values.schema.json`, which Helm checks at install; with it, its violations are
//! `values_schema` findings pointing into `/values`.

use serde_json::Value;

use super::{Context, Sink};
use crate::diagnostic::message::Problem;
use crate::model::constraints::VALUES_SIZE_LIMIT;
use crate::validate::chart::{Limit, Outcome};
use crate::validate::walk::compact_size;
use crate::validate::{Anchor, Finding, translate};

const POINTER: &str = "/values";

/// Compact JSON is never more than this many times longer than the text it was parsed from: only
/// numbers grow when written back (`1e15` becomes `1000000000000000.0`, 4.5 times as long).
const MAX_GROWTH: usize = 5;

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
    // Measured by the walk, or by writing the value out; but not at all when the whole input
    // is too small for its values to reach the limit.
    let size = measured.or_else(|| {
        let may_be_too_large = cx
            .input_len
            .is_none_or(|len| len.saturating_mul(MAX_GROWTH) > VALUES_SIZE_LIMIT);
        may_be_too_large.then(|| compact_size(values))
    });
    if let Some(size) = size
        && size > VALUES_SIZE_LIMIT
    {
        out.push(Finding::body(
            Problem::ValuesTooLarge {
                size,
                limit: VALUES_SIZE_LIMIT,
            },
            POINTER,
            Anchor::Value,
        ));
    }
    if let Some(chart) = &cx.options.values_schema {
        if truncated {
            let problem = Problem::ValuesSchemaBudget {
                limit: Limit::Values(crate::Options::CHART_VALUES_BUILT),
                invalid: false,
            };
            out.push(Finding::body(problem, POINTER, Anchor::Value));
            return;
        }
        let budget = cx.options.values_schema_budget.for_values(values);
        // Each error is offered to the collector as it comes: only the kept ones are worded,
        // and none is kept in between.
        let before = out.mark();
        let outcome = chart.check(values, budget, &mut |error| {
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
}
