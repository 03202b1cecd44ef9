//! Query parameters: the ones the operation takes, each once, each by its rule.
//!
//! `list` takes `chart_id` (a UUID) and `namespace` (a DNS-1123 label), `show` takes
//! `show_resources` (`true` or `false`); the other operations take none. An empty value is
//! "no filter" (the API page writes the list path as `?chart_id=&namespace=`), so it passes.

use super::route::{Operation, Param, check_param, decode};
use crate::diagnostic::Location;
use crate::diagnostic::message::{Allowed, Expected, Problem};
use crate::pointer::push_token;
use crate::redact::quote_str;
use crate::validate::collect::Collector;
use crate::validate::{Anchor, Finding};

/// The chart id of the `list` filter, as messages describe it.
const CHART_ID: Param = Param::Uuid(Expected::ChartId);

pub(crate) fn check(operation: Operation, query: &str, out: &mut Collector) {
    let mut seen: Vec<String> = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (raw_name, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = decode(raw_name, true);
        let value = decode(raw_value, true);
        let mut pointer = String::new();
        push_token(&mut pointer, &name);
        let finding = |problem| Finding {
            problem,
            location: Location::Query,
            pointer: pointer.clone(),
            anchor: Anchor::Nowhere,
        };
        if !operation.query_parameters().contains(&name.as_str()) {
            out.push_unplaced(finding(Problem::UnknownParameter { operation }));
            continue;
        }
        if seen.contains(&name) {
            out.push_unplaced(finding(Problem::DuplicateParameter));
            continue;
        }
        seen.push(name.clone());
        if value.is_empty() {
            continue;
        }
        match name.as_str() {
            "show_resources" if value != "true" && value != "false" => {
                out.push_unplaced(finding(Problem::NotAllowed {
                    allowed: Allowed::Words(vec!["true", "false"]),
                    found: quote_str(&pointer, &value),
                }));
            }
            "chart_id" => check_param(Location::Query, &name, &value, CHART_ID, out),
            "namespace" => check_param(Location::Query, &name, &value, Param::Namespace, out),
            _ => {}
        }
    }
}
