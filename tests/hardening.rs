//! Hostile input: every input gets findings or a clear error, within the limits, never a panic
//! or a stack overflow.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use cce_release::{Code, Kind, Report, Validator};

fn create() -> Validator {
    Validator::new(Kind::CreateRequest)
}

fn codes(report: &Report) -> Vec<(Code, &str)> {
    report
        .iter()
        .map(|d| (d.code, d.pointer.as_str()))
        .collect()
}

const BODY_HEAD: &str = r#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "a", "namespace": "b", "version": "1.0.0", "#;

fn body_with(rest: &str) -> String {
    format!("{BODY_HEAD}{rest}}}")
}

#[test]
fn nesting_of_a_hundred_thousand_levels_is_one_finding_where_the_limit_is_crossed() {
    for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
        let text = format!("{}1{}", open.repeat(100_000), close.repeat(100_000));
        let report = create().validate_bytes(text.as_bytes());
        assert_eq!(codes(&report), [(Code::InvalidJson, "")]);
        let d = &report.diagnostics()[0];
        assert_eq!(d.message, "invalid JSON: nesting is deeper than 127 levels");
        // The 128th opening bracket is where the limit is crossed.
        let expected_column = (open.len() * 127 + 1) as u32;
        assert_eq!((d.line, d.column), (Some(1), Some(expected_column)));
    }
}

#[test]
fn nesting_inside_values_is_limited_too() {
    let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    let report =
        create().validate_bytes(body_with(&format!("\"values\": {{\"x\": {deep}}}")).as_bytes());
    assert_eq!(codes(&report), [(Code::InvalidJson, "")]);
}

#[test]
fn a_lower_depth_limit_is_honoured_and_realistic_values_pass_the_default() {
    let nest = |levels: usize| {
        let mut v = String::from("1");
        for i in 0..levels {
            v = format!("{{\"level{i}\": {v}}}");
        }
        body_with(&format!("\"values\": {v}"))
    };
    // 30 levels of values under the root object: what real Helm charts get close to.
    assert!(create().validate_bytes(nest(30).as_bytes()).is_empty());
    let report = create().max_depth(10).validate_bytes(nest(30).as_bytes());
    assert_eq!(codes(&report), [(Code::InvalidJson, "")]);
    assert_eq!(
        report.diagnostics()[0].message,
        "invalid JSON: nesting is deeper than 10 levels"
    );
    assert!(
        create()
            .max_depth(31)
            .validate_bytes(nest(30).as_bytes())
            .is_empty()
    );
    // Typed parsing honours it too.
    let typed = Validator::<cce_release::CreateReleaseBody>::of()
        .max_depth(10)
        .parse(nest(30).as_bytes());
    assert_eq!(codes(&typed.unwrap_err()), [(Code::InvalidJson, "")]);
}

#[test]
fn input_over_the_size_limit_is_not_read() {
    let text = body_with(&format!(
        "\"values\": {{\"blob\": \"{}\"}}",
        "x".repeat(4096)
    ));
    let report = create()
        .max_input_size(1024)
        .validate_bytes(text.as_bytes());
    assert_eq!(codes(&report), [(Code::InputTooLarge, "")]);
    let d = &report.diagnostics()[0];
    assert_eq!((d.line, d.column), (None, None));
    assert_eq!(
        d.message,
        format!(
            "the input is {} bytes, over the maximum of 1024 bytes; it was not read",
            text.len()
        )
    );
    assert!(
        create()
            .max_input_size(text.len())
            .validate_bytes(text.as_bytes())
            .is_valid()
    );
}

#[test]
fn a_hundred_megabyte_string_is_over_the_default_limit() {
    let text = body_with(&format!(
        "\"values\": {{}}, \"description\": \"{}\"",
        "x".repeat(100 << 20)
    ));
    let report = create().validate_bytes(text.as_bytes());
    assert_eq!(codes(&report), [(Code::InputTooLarge, "")]);
    // With the limit raised, it is read: a long description is fine, a long name is not, and the
    // message quotes a bounded prefix of it.
    let text = body_with(&format!(
        "\"values\": {{}}, \"description\": 1, \"namespace\": \"{}\"",
        "x".repeat(100 << 20)
    ));
    let report = create()
        .max_input_size(200 << 20)
        .validate_bytes(text.as_bytes());
    let found: Vec<Code> = report.iter().map(|d| d.code).collect();
    assert!(
        found.contains(&Code::DuplicateKey) && found.contains(&Code::TooLong),
        "{found:?}"
    );
    assert!(report.iter().all(|d| d.message.len() < 400));
}

#[test]
fn findings_stop_at_the_limit_with_a_note_of_how_many_were_left_out() {
    let members: Vec<String> = (0..2500).map(|i| format!("\"unknown{i}\": {i}")).collect();
    let text = body_with(&format!("\"values\": {{}}, {}", members.join(", ")));
    let report = create().validate_bytes(text.as_bytes());
    assert_eq!(report.len(), 1001);
    let last = report.diagnostics().last().unwrap();
    assert_eq!(last.code, Code::TooManyFindings);
    assert_eq!(
        last.message,
        "1500 more findings are left out: the report stops at 1000"
    );
    // The ones kept come first in the text.
    assert_eq!(report.diagnostics()[0].pointer, "/unknown0");
    assert_eq!(report.diagnostics()[999].pointer, "/unknown999");
    let report = create()
        .max_findings(3)
        .strict(true)
        .validate_bytes(text.as_bytes());
    assert_eq!(report.len(), 4);
    assert!(!report.is_valid());
}

#[test]
fn a_million_members_are_handled() {
    let mut text = String::with_capacity(20 << 20);
    text.push_str(BODY_HEAD);
    text.push_str("\"values\": {");
    for i in 0..1_000_000 {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!("\"k{i}\":{i}"));
    }
    text.push_str("}, ");
    for i in 0..1_000_000 {
        text.push_str(&format!("\"u{i}\":{i},"));
    }
    text.push_str("\"u0\": 0}");
    let report = create().validate_bytes(text.as_bytes());
    assert_eq!(report.len(), 1001);
    assert_eq!(report.diagnostics()[0].code, Code::ValuesTooLarge);
    assert_eq!(report.diagnostics()[1].code, Code::UnknownField);
    assert!(report.has(Code::TooManyFindings));
    // The one error, the repeated `u0` at the very end, is kept ahead of the warnings.
    assert!(report.has(Code::DuplicateKey));
    assert!(!report.is_valid());
}

#[test]
fn numbers_at_the_edges() {
    let cases: [(&str, &[Code]); 7] = [
        ("1e400", &[Code::InvalidJson]),
        ("-0", &[Code::IneffectiveParameter]),
        ("1.0", &[Code::IneffectiveParameter]),
        ("-0.0", &[Code::IneffectiveParameter]),
        (
            "18446744073709551616",
            &[Code::OutOfRange, Code::IneffectiveParameter],
        ),
        (
            "-9223372036854775809",
            &[Code::OutOfRange, Code::IneffectiveParameter],
        ),
        ("1.5", &[Code::TypeMismatch, Code::IneffectiveParameter]),
    ];
    for (number, expected) in cases {
        let text = body_with(&format!(
            "\"values\": {{}}, \"parameters\": {{\"release_version\": {number}}}"
        ));
        let report = create().validate_bytes(text.as_bytes());
        let got: Vec<Code> = report.iter().map(|d| d.code).collect();
        assert_eq!(got, expected, "{number}");
    }
}

#[test]
fn strings_at_the_edges() {
    // A lone surrogate escape is not a Unicode scalar: invalid JSON for serde_json, Go and Python.
    let report =
        create().validate_bytes(body_with(r#""values": {}, "description": "\ud800""#).as_bytes());
    assert_eq!(codes(&report), [(Code::InvalidJson, "")]);
    // A raw NUL inside a string is a control character JSON forbids.
    let report = create()
        .validate_bytes(body_with("\"values\": {}, \"description\": \"a\u{0}b\"").as_bytes());
    assert_eq!(codes(&report), [(Code::InvalidJson, "")]);
    // An escaped NUL is a valid string; quoting it in a message escapes it.
    let report =
        create().validate_bytes(body_with(r#""values": {}, "namespace": "a\u0000b""#).as_bytes());
    let d = report
        .iter()
        .find(|d| d.code == Code::PatternMismatch)
        .unwrap();
    assert!(d.message.ends_with("found `a\\u{0}b`"), "{}", d.message);
    // Invalid UTF-8 inside a key: positioned at the bad byte.
    let mut bytes = body_with(r#""values": {}, "x"#).into_bytes();
    bytes.truncate(bytes.len() - 1);
    bytes.extend_from_slice(b"\xC3\x28\": 1}");
    let report = create().validate_bytes(&bytes);
    assert_eq!(codes(&report), [(Code::InvalidJson, "")]);
    assert_eq!(report.diagnostics()[0].line, Some(1));
    assert!(report.diagnostics()[0].column.is_some());
}

#[test]
fn a_redos_pattern_in_a_chart_schema_runs_in_linear_time() {
    // `(a+)+$` backtracks exponentially in a backtracking engine on "aaaa…!"; the chart schema's
    // patterns run in the `regex` crate, whose matching is linear in the input.
    let schema = serde_json::json!({"properties": {"x": {"type": "string", "pattern": "^(a+)+$"}}});
    let validator = create().values_schema(&schema).unwrap();
    let mut lengths = Vec::new();
    for n in [1_000usize, 100_000] {
        let text = body_with(&format!("\"values\": {{\"x\": \"{}!\"}}", "a".repeat(n)));
        let started = std::time::Instant::now();
        let report = validator.validate_bytes(text.as_bytes());
        lengths.push(started.elapsed());
        assert_eq!(codes(&report), [(Code::ValuesSchema, "/values/x")]);
    }
    // Not a timing assertion about the machine: 100,000 characters finish at all (a backtracking
    // engine would not within the test run's lifetime), and the time grows roughly linearly.
    assert!(
        lengths[1] < lengths[0] * 1000 + std::time::Duration::from_secs(2),
        "{lengths:?}"
    );
}

#[test]
fn chart_schemas_never_reach_out_and_bad_ones_say_why() {
    for (schema, needle) in [
        (
            serde_json::json!({"$ref": "https://example.com/values.schema.json"}),
            "https://example.com/values.schema.json",
        ),
        (
            serde_json::json!({"$ref": "file:///etc/passwd"}),
            "file:///etc/passwd",
        ),
        (
            serde_json::json!({"properties": {"a": {"type": "strin"}}}),
            "/properties/a/type",
        ),
        (
            serde_json::json!({"properties": {"a": {"pattern": "(unclosed"}}}),
            "(unclosed",
        ),
    ] {
        let error = create().values_schema(&schema).unwrap_err().to_string();
        assert!(error.contains(needle), "{error}");
    }
}

#[test]
fn a_repeated_key_is_checked_by_the_value_parsers_keep() {
    // Parsers keep the last value: the first one's faults are not reported, the repeat is.
    let text = body_with(r#""values": {}, "description": 5, "description": "ok""#);
    let report = create().validate_bytes(text.as_bytes());
    assert_eq!(codes(&report), [(Code::DuplicateKey, "/description")]);
    // The last value's faults are.
    let text = body_with(r#""values": {}, "description": "ok", "description": 5"#);
    let report = create().validate_bytes(text.as_bytes());
    assert_eq!(
        codes(&report),
        [
            (Code::DuplicateKey, "/description"),
            (Code::TypeMismatch, "/description")
        ]
    );
    // Repeated keys inside the first value are still reported: they are in the text.
    let text = body_with(
        r#""values": {}, "parameters": {"dry_run": 1, "x": {"k": 1, "k": 2}}, "parameters": {}"#,
    );
    let report = create().validate_bytes(text.as_bytes());
    let found: Vec<Code> = report.iter().map(|d| d.code).collect();
    assert_eq!(found, [Code::DuplicateKey, Code::DuplicateKey], "{report}");
}
