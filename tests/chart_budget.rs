//! Hostile chart schemas and values: every evaluation stays within its budget (one
//! `values_schema_budget` finding when it cannot finish), within bounded memory (this binary's
//! allocator refuses more than each test allows: going over aborts the run), and within the
//! stack; legitimate schemas are still checked in full. No timing assertions.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use std::alloc::System;
use std::sync::Mutex;

use cap::Cap;
use cce_release::{Code, Error, Kind, Report, Validator, ValuesSchemaBudget};
use serde_json::{Map, Value, json};

#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

/// One test at a time: the allocator's limit is process-wide, so every test holds this for
/// its whole run.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs `f` allowed at most `mib` MiB more than is allocated now.
fn within<T>(mib: usize, f: impl FnOnce() -> T) -> T {
    struct Lift;
    impl Drop for Lift {
        fn drop(&mut self) {
            let _ = ALLOCATOR.set_limit(usize::MAX);
        }
    }
    let _lift = Lift;
    ALLOCATOR
        .set_limit(ALLOCATOR.allocated() + (mib << 20))
        .unwrap();
    f()
}

fn body(values: Value) -> Value {
    json!({"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "a", "namespace": "b",
           "version": "1.0.0", "values": values})
}

fn chart(schema: &Value) -> Validator {
    Validator::new(Kind::CreateRequest)
        .values_schema(schema)
        .unwrap()
}

fn codes(report: &Report) -> Vec<(Code, &str)> {
    report
        .iter()
        .map(|d| (d.code, d.pointer.as_str()))
        .collect()
}

/// `{"x": {"x": … 1}}`, `depth` levels.
fn nest(depth: usize) -> Value {
    let mut v = json!(1);
    for _ in 0..depth {
        v = json!({ "x": v });
    }
    v
}

/// Shape A: two `anyOf` branches that both recurse into `x`; every failed branch keeps the
/// errors of the level below, so listing them all doubles with each level.
fn any_of_shape() -> Value {
    let branch = |required: &str| json!({"type": "object", "properties": {"x": {"$ref": "#"}}, "required": [required]});
    json!({"anyOf": [branch("x"), branch("y")]})
}

/// Shape B: `d0` is `anyOf [d1, d1]`, and so on to `dN`; deciding even validity doubles with
/// each level.
fn defs_shape(depth: usize) -> Value {
    let mut defs = Map::new();
    for i in 0..depth {
        let next = json!({"$ref": format!("#/$defs/d{}", i + 1)});
        defs.insert(format!("d{i}"), json!({"anyOf": [next, next]}));
    }
    defs.insert(format!("d{depth}"), json!({"type": "string"}));
    json!({"$defs": defs, "properties": {"v": {"$ref": "#/$defs/d0"}}})
}

#[test]
fn exponential_any_of_shape_is_one_budget_finding_saying_invalid() {
    let _serial = serial();
    let validator = chart(&any_of_shape());
    for depth in [30, 60] {
        let report = within(64, || validator.validate_value(&body(nest(depth))));
        assert_eq!(codes(&report), [(Code::ValuesSchemaBudget, "/values")]);
        let message = &report.diagnostics()[0].message;
        assert!(
            message.starts_with("`values` break the chart's values.schema.json, but listing why"),
            "{message}"
        );
        assert!(!report.is_valid());
    }
    // Shallow, the same shape is checked in full.
    let report = validator.validate_value(&body(nest(3)));
    assert!(
        report
            .iter()
            .all(|d| d.code == Code::ValuesSchema && d.pointer == "/values"),
        "{:?}",
        codes(&report)
    );
    assert!(!report.is_empty());
}

#[test]
fn exponential_defs_shape_is_one_budget_finding_with_an_unknown_verdict() {
    let _serial = serial();
    for depth in [30, 60] {
        let validator = chart(&defs_shape(depth));
        let report = within(64, || validator.validate_value(&body(json!({"v": 1}))));
        assert_eq!(codes(&report), [(Code::ValuesSchemaBudget, "/values")]);
        let message = &report.diagnostics()[0].message;
        assert!(
            message.starts_with(
                "`values` could not be checked against the chart's values.schema.json within the \
                 evaluation budget of"
            ),
            "{message}"
        );
        // A finding of severity error: an unchecked payload is not passed as valid.
        assert!(!report.is_valid());
    }
    // Five levels fit the budget, and say what the schema says.
    let validator = chart(&defs_shape(5));
    assert!(
        validator
            .validate_value(&body(json!({"v": "s"})))
            .is_empty()
    );
    let report = validator.validate_value(&body(json!({"v": 1})));
    assert_eq!(codes(&report), [(Code::ValuesSchema, "/values/v")]);
}

#[test]
fn a_larger_budget_is_honoured() {
    let _serial = serial();
    let validator = chart(&defs_shape(12)).values_schema_budget(
        ValuesSchemaBudget::default()
            .steps(1 << 30, 32)
            .errors(1 << 24),
    );
    let report = validator.validate_value(&body(json!({"v": 1})));
    assert_eq!(codes(&report), [(Code::ValuesSchema, "/values/v")]);
    // And a smaller one.
    let validator =
        chart(&defs_shape(12)).values_schema_budget(ValuesSchemaBudget::default().steps(10, 0));
    let report = validator.validate_value(&body(json!({"v": "s"})));
    assert_eq!(codes(&report), [(Code::ValuesSchemaBudget, "/values")]);
}

#[test]
fn long_reference_chains_and_huge_schemas_are_clear_errors() {
    let _serial = serial();
    let chain = |n: usize| {
        let defs: Map<String, Value> = (0..n)
            .map(|i| {
                (
                    format!("d{i}"),
                    json!({"$ref": format!("#/$defs/d{}", i + 1)}),
                )
            })
            .chain([(format!("d{n}"), json!({"type": "integer"}))])
            .collect();
        json!({"$defs": defs, "$ref": "#/$defs/d0"})
    };
    // The longest accepted chain compiles; applied to one value it recurses 10,000 deep: a
    // release build does it within the default stack budget (its frames are small), a debug
    // build (like this test's) runs out of it. Either way one finding, and no overflow.
    let validator = within(256, || chart(&chain(9_999)));
    let report = validator.validate_value(&body(json!({})));
    let expected = if cfg!(debug_assertions) {
        Code::ValuesSchemaBudget
    } else {
        Code::ValuesSchema
    };
    assert_eq!(codes(&report), [(expected, "/values")]);
    // … one more reference is refused before compiling.
    let error = Validator::new(Kind::CreateRequest)
        .values_schema(&chain(10_000))
        .unwrap_err();
    assert!(matches!(error, Error::ValuesSchema(_)));
    assert!(error.to_string().contains("10001 references"), "{error}");
    // Too many schema objects.
    let properties: Map<String, Value> = (0..60_000)
        .map(|i| (format!("p{i}"), json!({"type": "string"})))
        .collect();
    let error = Validator::new(Kind::CreateRequest)
        .values_schema(&json!({"properties": properties}))
        .unwrap_err();
    assert!(error.to_string().contains("60002 objects"), "{error}");
    // More than 8 MiB of schema text is not even parsed.
    let text = format!("{{\"description\": \"{}\"}}", "x".repeat(9 << 20));
    let error = Validator::new(Kind::CreateRequest)
        .values_schema_bytes(text.as_bytes())
        .unwrap_err();
    assert!(
        error.to_string().contains("over the 8388608 bytes"),
        "{error}"
    );
    // Nesting beyond the parser's own limit.
    let mut deep = json!({"type": "string"});
    for _ in 0..300 {
        deep = json!({"properties": {"a": deep}});
    }
    let error = Validator::new(Kind::CreateRequest)
        .values_schema(&deep)
        .unwrap_err();
    assert!(error.to_string().contains("deeper than 128"), "{error}");
}

#[test]
fn recursion_on_one_value_stops_before_a_small_stack_ends() {
    let _serial = serial();
    // 5,000 definitions in a cycle, each applying the next to the same value: nothing stops
    // the recursion but the budget.
    let n = 5_000;
    let defs: Map<String, Value> = (0..n)
        .map(|i| {
            (
                format!("d{i}"),
                json!({"$ref": format!("#/$defs/d{}", (i + 1) % n), "minimum": 0}),
            )
        })
        .collect();
    let schema = json!({"$defs": defs, "properties": {"v": {"$ref": "#/$defs/d0"}}});
    let validator =
        chart(&schema).values_schema_budget(ValuesSchemaBudget::default().stack_bytes(96 << 10));
    let report = std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(move || validator.validate_value(&body(json!({"v": 1}))))
        .unwrap()
        .join()
        .expect("no overflow, no panic");
    assert_eq!(codes(&report), [(Code::ValuesSchemaBudget, "/values")]);
    assert!(
        report.diagnostics()[0]
            .message
            .ends_with("98304 bytes of stack"),
        "{}",
        report.diagnostics()[0].message
    );
}

#[test]
fn findings_explosions_stay_bounded() {
    let _serial = serial();
    // A million items that each break the schema, and a million members.
    let items = body(json!({"v": vec![1; 1_000_000]}));
    let members: Map<String, Value> = (0..1_000_000)
        .map(|i| (format!("k{i}"), json!(1)))
        .collect();
    let members = body(Value::Object(members));
    // A million ones compress to some 2.6 KB as Helm stores a revision; a million distinct
    // members to some 2.9 MB, too large (as Python's gzip and base64 count them too).
    for (schema, values, expected) in [
        (
            json!({"properties": {"v": {"items": {"type": "string"}}}}),
            &items,
            &[Code::ValuesSchemaBudget][..],
        ),
        (
            json!({"additionalProperties": {"type": "string"}}),
            &members,
            &[Code::ValuesTooLarge, Code::ValuesSchemaBudget][..],
        ),
    ] {
        let validator = chart(&schema);
        // The values are some 50-100 MiB as `Value`s; the check itself may add 96 MiB.
        let report = within(96, || validator.validate_value(values));
        let found: Vec<Code> = report.iter().map(|d| d.code).collect();
        assert_eq!(found, expected);
        assert!(
            report.diagnostics()[expected.len() - 1]
                .message
                .contains("listing why")
        );
    }
    // A few hundred such errors are listed, each in full.
    let validator = chart(&json!({"properties": {"v": {"items": {"type": "string"}}}}));
    let report = validator.validate_value(&body(json!({"v": vec![1; 300]})));
    assert_eq!(report.len(), 300);
    assert!(report.iter().all(|d| d.code == Code::ValuesSchema));
}

/// A tree whose nodes have a `name` and `children`, `depth` levels deep; the deepest node's
/// name is `leaf`.
fn tree(depth: usize, leaf: Value) -> Value {
    let mut node = json!({"name": leaf, "children": []});
    for i in 0..depth {
        node = json!({"name": format!("n{i}"), "children": [{"name": "sibling"}, node]});
    }
    node
}

/// Sixty levels of tree are 120 levels of objects and arrays under `values`, close to the
/// validator's nesting limit (127), which values built in code are held to as well.
#[test]
fn legitimate_recursive_schemas_are_checked_in_full() {
    let _serial = serial();
    let schema = json!({
        "$defs": {"node": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}},
        "properties": {"tree": {"$ref": "#/$defs/node"}}
    });
    let validator = chart(&schema);
    let report = within(64, || {
        validator.validate_value(&body(json!({"tree": tree(60, json!("leaf"))})))
    });
    assert!(report.is_empty(), "{:?}", codes(&report));
    // The one wrong name, at the bottom, is found where it is. Listing it recurses deeper than
    // checking: under 1 KiB of stack per level in a release build, but some 6 KiB in a debug
    // build (like this test's), so here the stack budget and the thread are made larger.
    let stack = if cfg!(debug_assertions) {
        4 << 20
    } else {
        512 << 10
    };
    let validator =
        validator.values_schema_budget(ValuesSchemaBudget::default().stack_bytes(stack));
    let report = std::thread::Builder::new()
        .stack_size(16 << 20)
        .spawn(move || validator.validate_value(&body(json!({"tree": tree(60, json!(7))}))))
        .unwrap()
        .join()
        .unwrap();
    let pointer = format!("/values/tree{}/name", "/children/1".repeat(60));
    assert_eq!(codes(&report), [(Code::ValuesSchema, pointer.as_str())]);
    assert!(
        report.diagnostics()[0]
            .message
            .ends_with("must be a string, found the number 7 (the chart's values.schema.json)")
    );
}

#[test]
fn a_realistic_large_payload_is_checked_in_full() {
    let _serial = serial();
    let schema: Value =
        serde_json::from_str(include_str!("fixtures/charts/values.schema.json")).unwrap();
    let validator = chart(&schema);
    let mut values = Map::new();
    values.insert(
        "persistence".into(),
        json!({"enabled": true, "size": "8Gi"}),
    );
    for i in 0..20_000 {
        values.insert(
            format!("service{i}"),
            json!({"image": {"tag": format!("1.{i}")}, "replicaCount": 3,
                   "env": [{"name": "A", "value": "b"}]}),
        );
    }
    let report = within(64, || {
        validator.validate_value(&body(Value::Object(values)))
    });
    // Valid, and small once gzipped as Helm stores it (the raw JSON is over 1 MiB).
    assert_eq!(report.iter().map(|d| d.code).collect::<Vec<_>>(), []);
}

#[test]
fn the_http_layer_takes_the_same_budget() {
    let _serial = serial();
    let http = cce_release::http::HttpValidator::new()
        .values_schema(&defs_shape(40))
        .unwrap()
        .values_schema_budget(ValuesSchemaBudget::default().steps(5_000, 1));
    let body = serde_json::to_vec(&body(json!({"v": 1}))).unwrap();
    let checked = http.validate_request(
        "POST",
        "/autopilot/cam/v3/clusters/7378a198-a3fe-11eb-ad37-0255ac100b07/releases",
        [("content-type", "application/json"), ("x-auth-token", "t")],
        &body,
    );
    let found: Vec<(Code, &str)> = codes(&checked.report);
    assert_eq!(found, [(Code::ValuesSchemaBudget, "/values")]);
    assert!(
        checked.report.diagnostics()[0]
            .message
            .contains("budget of 5003 steps")
    );
}

#[test]
fn the_deepest_accepted_schema_compiles_and_applies_on_a_two_mebibyte_thread() {
    let _serial = serial();
    // 63 levels of `properties` (126 levels of objects, the most accepted is 128), every level
    // with a keyword that keeps it wrapped.
    let mut schema = json!({"type": "string", "minLength": 1});
    let mut values = json!("x");
    for _ in 0..63 {
        schema = json!({"type": "object", "required": ["a"], "properties": {"a": schema}});
        values = json!({ "a": values });
    }
    let report = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let validator = chart(&schema);
            (
                validator.validate_value(&body(values)),
                validator.validate_value(&body(nest(3))),
            )
        })
        .unwrap()
        .join()
        .expect("no overflow, no panic");
    assert!(report.0.is_empty(), "{:?}", codes(&report.0));
    assert_eq!(codes(&report.1), [(Code::ValuesSchema, "/values/a")]);
}
