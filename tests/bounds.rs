//! Bounded work by construction: every hostile shape, at 256 KiB, is validated within a fixed
//! allocation budget (twice the input plus 4 MiB on top of the input itself), through the
//! library and through the HTTP layer. (Before the bounded collector, the same shapes took from
//! 30 to 400 times their size: 8 to 100 MiB here.) The budget is enforced by the global allocator of this
//! test binary: an allocation beyond it fails, which aborts the test. Time is measured by
//! `scripts/hostile/measure.sh`, never here.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use std::alloc::System;

use cap::Cap;
use cce_release::http::HttpValidator;
use cce_release::{Code, Kind, Report, Validator};

#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

const SIZE: usize = 256 << 10;

/// The allocation limit is the whole process's: tests that set it run one at a time.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

const HEAD: &str = r#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi", "namespace": "default", "version": "1.0.0", "#;

fn list_of_ones() -> String {
    format!("[{}]", vec!["1"; SIZE / 2].join(","))
}

fn unknown_members() -> String {
    let mut s = String::from(HEAD);
    s.push_str(r#""values": {}"#);
    let mut i = 0;
    while s.len() < SIZE {
        s.push_str(&format!(r#", "u{i}": {i}"#));
        i += 1;
    }
    s.push('}');
    s
}

fn repeated_keys_deep() -> String {
    let depth = 100;
    let repeats = SIZE / 6;
    format!(
        "{HEAD}\"values\": {}{{{}}}{}}}",
        "{\"level\": ".repeat(depth),
        vec![r#""k":1"#; repeats].join(","),
        "}".repeat(depth)
    )
}

fn long_keys_deep() -> String {
    let key = "k".repeat(1024);
    let depth = 100;
    let repeats = (SIZE - depth * 1030) / 6;
    format!(
        "{HEAD}\"values\": {}{{{}}}{}}}",
        format!("{{\"{key}\": ").repeat(depth),
        vec![r#""d":1"#; repeats].join(","),
        "}".repeat(depth)
    )
}

fn unknown_in_parameters() -> String {
    let mut s = String::from(HEAD);
    s.push_str(r#""values": {}, "parameters": {"p": true"#);
    let mut i = 0;
    while s.len() < SIZE {
        s.push_str(&format!(r#", "p{i}": true"#));
        i += 1;
    }
    s.push_str("}}");
    s
}

fn list_of_unknowns() -> String {
    let item = r#"{"name": "koi", "status": "SUPERSEDED", "x1": 1, "x2": 2, "version": "1"}"#;
    format!("[{}]", vec![item; SIZE / (item.len() + 1)].join(","))
}

fn huge_name() -> String {
    format!(
        r#"{{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "{}", "namespace": "default", "version": "1.0.0", "values": {{}}}}"#,
        "N".repeat(SIZE)
    )
}

fn deep_and_wide_values() -> String {
    // Arrays of arrays of numbers: nothing is built, everything is read.
    let row = format!("[{}]", vec!["[1,2,3,4,5,6,7,8]"; 64].join(","));
    let rows = vec![row.as_str(); SIZE / (row.len() + 1)].join(",");
    format!("{HEAD}\"values\": {{\"grid\": [{rows}]}}}}")
}

/// Runs `validate` under an allocation budget on top of what is allocated now.
#[track_caller]
fn within_budget(input_len: usize, what: &str, validate: impl FnOnce() -> Report) -> Report {
    let budget = 2 * input_len + (4 << 20);
    let before = ALLOCATOR.allocated();
    ALLOCATOR.set_limit(before + budget).unwrap();
    let report = validate();
    ALLOCATOR.set_limit(usize::MAX).unwrap();
    let report_size: usize = report
        .iter()
        .map(|d| d.message.len() + d.pointer.len() + 64)
        .sum();
    assert!(
        report_size < (8 << 20),
        "{what}: the report itself is {report_size} bytes"
    );
    report
}

#[track_caller]
fn bounded(report: &Report, limit: usize, what: &str) {
    assert!(
        report.len() <= limit + 1,
        "{what}: {} findings",
        report.len()
    );
}

#[test]
fn every_hostile_shape_stays_within_its_allocation_budget() {
    let _serial = serial();
    let shapes: Vec<(&str, Kind, String)> = vec![
        ("list of ones", Kind::ReleaseList, list_of_ones()),
        ("unknown members", Kind::CreateRequest, unknown_members()),
        (
            "repeated keys deep",
            Kind::CreateRequest,
            repeated_keys_deep(),
        ),
        ("long keys deep", Kind::CreateRequest, long_keys_deep()),
        (
            "unknown in parameters",
            Kind::CreateRequest,
            unknown_in_parameters(),
        ),
        ("list of unknowns", Kind::ReleaseList, list_of_unknowns()),
        ("huge name", Kind::CreateRequest, huge_name()),
        (
            "deep and wide values",
            Kind::CreateRequest,
            deep_and_wide_values(),
        ),
    ];
    for (i, (what, kind, text)) in shapes.iter().enumerate() {
        // Strict mode puts every finding in one class: once is enough to show it bounded too.
        let modes: &[bool] = if i == 0 { &[false, true] } else { &[false] };
        for &strict in modes {
            let validator = Validator::new(*kind).strict(strict);
            let report = within_budget(text.len(), what, || {
                validator.validate_bytes(text.as_bytes())
            });
            bounded(&report, Validator::DEFAULT_MAX_FINDINGS, what);
            // Every position of a kept finding is in the text.
            for d in &report {
                if let Some(line) = d.line {
                    assert!(line >= 1, "{what}");
                }
            }
        }
    }
    // The same bodies arriving at a server.
    let http = HttpValidator::new();
    let path = "/autopilot/cam/v3/clusters/7378a198-a3fe-11eb-ad37-0255ac100b07/releases";
    for (what, kind, text) in &shapes {
        if *kind != Kind::CreateRequest {
            continue;
        }
        let checked = within_budget(text.len(), what, || {
            http.validate_request(
                "POST",
                path,
                [("Content-Type", "application/json"), ("X-Auth-Token", "t")],
                text.as_bytes(),
            )
            .report
        });
        bounded(&checked, Validator::DEFAULT_MAX_FINDINGS, what);
    }
}

#[test]
fn chart_schemas_over_hostile_values_stay_within_budget() {
    let _serial = serial();
    let ones = vec!["1"; SIZE / 2].join(",");
    let items = format!("{HEAD}\"values\": {{\"xs\": [{ones}]}}}}");
    let members: String = (0..SIZE / 12).map(|i| format!("\"m{i}\": 1,")).collect();
    let members = format!("{HEAD}\"values\": {{{}\"z\": 1}}}}", members);
    for (schema, text) in [
        (
            serde_json::json!({"properties": {"xs": {"items": {"type": "string"}}}}),
            &items,
        ),
        (
            serde_json::json!({"additionalProperties": {"type": "string"}}),
            &members,
        ),
        (
            serde_json::json!({"properties": {"xs": {"items": {"enum": [{"password": "p"}]}}}}),
            &items,
        ),
    ] {
        let validator = Validator::new(Kind::CreateRequest)
            .values_schema(&schema)
            .unwrap();
        // The values are built for the schema (some 80 bytes a value): the budget is larger.
        let report = within_budget(text.len() * 80 + (4 << 20), "chart", || {
            validator.validate_bytes(text.as_bytes())
        });
        bounded(&report, Validator::DEFAULT_MAX_FINDINGS, "chart");
        assert!(!report.is_valid());
    }
    // More values than are ever built for a chart: one finding, and nothing built past it.
    let many = vec!["1"; (1 << 18) + 10].join(",");
    let text = format!("{HEAD}\"values\": {{\"xs\": [{many}]}}}}");
    let validator = Validator::new(Kind::CreateRequest)
        .values_schema(&serde_json::json!({"type": "object"}))
        .unwrap();
    let report = within_budget(24 << 20, "chart values cap", || {
        validator.validate_bytes(text.as_bytes())
    });
    let found: Vec<Code> = report.iter().map(|d| d.code).collect();
    assert_eq!(found, [Code::ValuesSchemaBudget], "{report}");
}

#[test]
fn many_findings_are_counted_not_kept() {
    let _serial = serial();
    let text = list_of_ones();
    let report = Validator::new(Kind::ReleaseList).validate_bytes(text.as_bytes());
    assert_eq!(report.len(), 1001);
    let last = report.diagnostics().last().unwrap();
    assert_eq!(last.code, Code::TooManyFindings);
    // Every item of the list was a finding: 1,000 kept, the rest counted.
    let items = SIZE / 2;
    assert_eq!(
        last.message,
        format!(
            "{} more findings are left out: the report stops at 1000",
            items - 1000
        )
    );
    // The kept ones are the first in the text, in order.
    let pointers: Vec<&str> = report.iter().take(3).map(|d| d.pointer.as_str()).collect();
    assert_eq!(pointers, ["/0", "/1", "/2"]);
}

#[test]
fn repeated_keys_each_point_at_their_own_key() {
    let _serial = serial();
    let text = repeated_keys_deep();
    let report = Validator::new(Kind::CreateRequest).validate_bytes(text.as_bytes());
    let columns: Vec<u32> = report
        .iter()
        .filter(|d| d.code == Code::DuplicateKey)
        .filter_map(|d| d.column)
        .collect();
    assert_eq!(columns.len(), 1000);
    assert!(
        columns.windows(2).all(|w| w[0] < w[1]),
        "{:?}",
        &columns[..5]
    );
}

#[test]
fn query_strings_and_headers_are_bounded_too() {
    let _serial = serial();
    let http = HttpValidator::new();
    let query: String = (0..50_000).map(|i| format!("x{i}=1&")).collect();
    let path =
        format!("/autopilot/cam/v3/clusters/7378a198-a3fe-11eb-ad37-0255ac100b07/releases?{query}");
    let headers: Vec<(String, String)> = (0..25_000)
        .map(|i| ("Content-Type".to_owned(), format!("text/{i}")))
        .chain([("X-Auth-Token".to_owned(), "t".to_owned())])
        .collect();
    let report = within_budget(path.len() + headers.len() * 24, "query and headers", || {
        http.validate_request("GET", &path, headers.clone(), b"")
            .report
    });
    bounded(
        &report,
        Validator::DEFAULT_MAX_FINDINGS,
        "query and headers",
    );
    assert!(report.has(Code::TooManyFindings));
}

#[test]
fn a_body_cluster_id_is_read_whole_but_built_only_in_part() {
    let _serial = serial();
    // The rule that compares the body's cluster id with the path's reads a member outside the
    // schema: built, but only so far, whatever it holds.
    let members: String = (0..SIZE / 12).map(|i| format!("\"t{i}\": 1,")).collect();
    let text = format!("{HEAD}\"values\": {{}}, \"cluster_id\": {{{members}\"z\": 1}}}}");
    let validator =
        Validator::new(Kind::CreateRequest).cluster_id("7378a198-a3fe-11eb-ad37-0255ac100b07");
    let report = within_budget(text.len(), "cluster_id", || {
        validator.validate_bytes(text.as_bytes())
    });
    assert!(report.has(Code::ClusterIdMismatch), "{report}");
    assert!(report.has(Code::UnknownField), "{report}");
}

/// Values in the text, at 2 MiB, whose Go form (what the size check measures, as Helm stores a
/// revision) is larger than the text or must be reordered: HTML-escaped characters (six bytes
/// each in Go's JSON), `1e20` (21 digits), members out of order in many small objects, short
/// distinct keys in reverse order, one key repeated. Measuring them holds less than the text.
#[test]
fn values_measured_from_the_text_hold_less_than_the_text() {
    let _serial = serial();
    let size = 2 << 20;
    let values = |inner: &str| format!("{HEAD}\"values\": {inner}}}");
    let many = |item: &str| vec![item; size / (item.len() + 1)].join(",");
    let reversed: String = {
        let n = size / 10;
        let keys: Vec<String> = (0..n).rev().map(|i| format!("\"{i:06x}\":1")).collect();
        keys.join(",")
    };
    // Sixteen characters, three of them escaped by Go, in an order gzip cannot predict: four
    // bits a character, so the stored revision is over the Secret's limit.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let noise: String = (0..size)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from(b"<>&abcdefghijklm"[(x % 16) as usize])
        })
        .collect();
    let shapes = [
        (
            "escape expansion",
            values(&format!("{{\"s\": \"{noise}\"}}")),
        ),
        (
            "float expansion",
            values(&format!("{{\"x\": [{}]}}", many("1e20"))),
        ),
        (
            "unsorted small objects",
            values(&format!("{{\"x\": [{}]}}", many(r#"{"b":1,"a":1}"#))),
        ),
        ("distinct keys reversed", values(&format!("{{{reversed}}}"))),
        (
            "one key repeated",
            values(&format!("{{{}}}", many(r#""k":1"#))),
        ),
    ];
    for (what, text) in &shapes {
        let report = within_budget(text.len(), what, || {
            Validator::new(Kind::CreateRequest).validate_bytes(text.as_bytes())
        });
        // Measured, not skipped.
        let large = report.has(Code::ValuesTooLarge);
        assert_eq!(large, *what == "escape expansion", "{what}: {report}");
    }
}

/// YAML documents are kept as nodes (a few words each, positions included) while they are
/// checked, so YAML is held to a 16th of the maximum input size and its budget is larger than
/// JSON's: the same rule (`within_budget`) over 24 times the input plus 6 MiB, that is 48 times
/// the input plus 16 MiB, for the worst shape (a list of one-character scalars). The parser's
/// look-ahead over a flow collection that could be a key is cut off (one finding), and aliases
/// are followed, never copied: a "billion laughs" stays within the input's own budget.
#[test]
#[cfg(feature = "yaml")]
fn yaml_shapes_stay_within_their_allocation_budget() {
    let _serial = serial();
    let yaml_budget = |text: &str| 24 * text.len() + (6 << 20);
    // Over its share of the input size limit, YAML is not read at all.
    let big = "- 1\n".repeat(1 << 11);
    let report = Validator::new(Kind::ReleaseList)
        .max_input_size(64 << 10)
        .validate_yaml(big.as_bytes());
    assert_eq!(report.len(), 1, "{report}");
    assert!(report.has(Code::InputTooLarge), "{report}");
    assert!(
        report.diagnostics()[0]
            .message
            .contains("over the maximum of 4096 bytes for YAML"),
        "{report}"
    );
    let block = "- 1\n".repeat(SIZE / 4);
    let ones = format!("[{}]", vec!["1"; SIZE / 2].join(","));
    let mut keys = String::from("chart_id: e99a7e86-afdd-11eb-aca3-0255ac100b0e\nvalues:\n");
    let mut i = 0;
    while keys.len() < SIZE {
        keys.push_str(&format!("  k{i}: yes\n"));
        i += 1;
    }
    let mut repeated = String::from("values:\n");
    while repeated.len() < SIZE {
        repeated.push_str("  k: 1\n");
    }
    let mut laughs = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..30 {
        let p = i - 1;
        laughs.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let deep = format!("values: {}1{}", "[".repeat(120), "]".repeat(120));
    let mut tagged = String::from("values:\n");
    while tagged.len() < SIZE {
        tagged.push_str("  - !vault \"x\"\n");
    }
    for (what, kind, text) in [
        ("a YAML list of ones", Kind::ReleaseList, &ones),
        ("a YAML block list of ones", Kind::ReleaseList, &block),
        (
            "a YAML mapping of ambiguous scalars",
            Kind::CreateRequest,
            &keys,
        ),
        ("one YAML key repeated", Kind::CreateRequest, &repeated),
        ("a billion laughs", Kind::CreateRequest, &laughs),
        ("deep YAML nesting", Kind::CreateRequest, &deep),
        ("a YAML list of tags", Kind::CreateRequest, &tagged),
    ] {
        let report = within_budget(yaml_budget(text), what, || {
            Validator::new(kind).validate_yaml(text.as_bytes())
        });
        bounded(&report, Validator::DEFAULT_MAX_FINDINGS, what);
        assert!(!report.is_empty(), "{what}: {report}");
        // A billion laughs, and a flow list longer than the parser may look ahead: one finding.
        if what == "a billion laughs" || what == "a YAML list of ones" {
            assert_eq!(report.len(), 1, "{what}: {report}");
            assert!(report.has(Code::InputTooLarge), "{what}: {report}");
        }
    }
    // A chart's schema over YAML values: the values are built for it (some 80 bytes a value, as
    // for JSON) on top of the nodes, and its errors stay within the chart's error budget.
    let items = format!(
        "chart_id: e99a7e86-afdd-11eb-aca3-0255ac100b0e\nname: koi\nnamespace: default\nversion: 1.0.0\nvalues:\n  xs:\n{}",
        "  - 1\n".repeat(SIZE / 6)
    );
    let validator = Validator::new(Kind::CreateRequest)
        .values_schema(&serde_json::json!({"properties": {"xs": {"items": {"type": "string"}}}}))
        .unwrap();
    let report = within_budget(
        yaml_budget(&items) + items.len() * 80,
        "chart over YAML",
        || validator.validate_yaml(items.as_bytes()),
    );
    bounded(&report, Validator::DEFAULT_MAX_FINDINGS, "chart over YAML");
    // More errors than the chart's error budget (2^15): one finding, as for JSON.
    let found: Vec<(Code, &str)> = report
        .iter()
        .map(|d| (d.code, d.pointer.as_str()))
        .collect();
    assert_eq!(found, [(Code::ValuesSchemaBudget, "/values")], "{report}");
}
