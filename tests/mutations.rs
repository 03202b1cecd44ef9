//! Invalid cases by mutation of one valid body: each mutation breaks one constraint and must
//! yield exactly that code at that pointer, on the line where the pointer's member is written.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use cce_release::{Code, Diagnostic, Kind, Severity, Validator};
use serde_json::{Value, json};

fn valid_body() -> Value {
    json!({
        "chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e",
        "name": "koi-neo4j",
        "namespace": "default",
        "version": "3.0.1",
        "description": "neo4j for the koi team",
        "parameters": {"dry_run": false, "no_hooks": false, "replace": false, "name_template": "koi"},
        "values": {"imagePullPolicy": "IfNotPresent", "imageTag": "4.0.3-enterprise", "replicas": 3}
    })
}

enum Edit {
    Set(&'static str, Value),
    Remove(&'static str),
}

fn apply(body: &mut Value, edit: &Edit) {
    match edit {
        Edit::Set(pointer, value) => {
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            body.pointer_mut(parent).unwrap()[key] = value.clone();
        }
        Edit::Remove(pointer) => {
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            body.pointer_mut(parent)
                .unwrap()
                .as_object_mut()
                .unwrap()
                .shift_remove(key);
        }
    }
}

/// The 1-based line on which `"key":` is written, found by text search rather than by the
/// crate's own locator.
fn line_of_key(text: &str, key: &str) -> u32 {
    let needle = format!("\"{key}\":");
    let offset = text
        .find(&needle)
        .unwrap_or_else(|| panic!("{key} not in text"));
    text[..offset].matches('\n').count() as u32 + 1
}

#[test]
fn the_valid_body_is_clean() {
    let text = serde_json::to_string_pretty(&valid_body()).unwrap();
    let report = Validator::new(Kind::CreateRequest).validate_bytes(text.as_bytes());
    assert!(report.is_empty(), "{report}");
}

#[test]
fn each_mutation_yields_its_code_at_its_pointer() {
    use Code::*;
    use Edit::*;
    let long = |n: usize| Value::from("a".repeat(n));
    let cases: Vec<(Edit, Code, &str)> = vec![
        (Remove("/chart_id"), MissingField, "/chart_id"),
        (Remove("/name"), MissingField, "/name"),
        (Remove("/namespace"), MissingField, "/namespace"),
        (Remove("/version"), MissingField, "/version"),
        (Remove("/values"), MissingField, "/values"),
        (Set("/chart_id", json!(7)), TypeMismatch, "/chart_id"),
        (Set("/chart_id", json!(null)), TypeMismatch, "/chart_id"),
        (
            Set("/chart_id", json!("e99a7e86-afdd-11eb-aca3-0255ac100b0")),
            InvalidFormat,
            "/chart_id",
        ),
        (
            Set(
                "/chart_id",
                json!("urn:uuid:e99a7e86-afdd-11eb-aca3-0255ac100b0e"),
            ),
            InvalidFormat,
            "/chart_id",
        ),
        (Set("/name", json!(["koi"])), TypeMismatch, "/name"),
        (Set("/name", json!("")), TooShort, "/name"),
        (Set("/name", long(54)), TooLong, "/name"),
        (Set("/name", json!("koi.neo4j")), PatternMismatch, "/name"),
        (Set("/name", json!("-koi")), PatternMismatch, "/name"),
        (Set("/name", json!("koï")), PatternMismatch, "/name"),
        (Set("/namespace", json!(false)), TypeMismatch, "/namespace"),
        (Set("/namespace", json!("")), TooShort, "/namespace"),
        (Set("/namespace", long(64)), TooLong, "/namespace"),
        (
            Set("/namespace", json!("Default")),
            PatternMismatch,
            "/namespace",
        ),
        (
            Set("/version", json!({"major": 3})),
            TypeMismatch,
            "/version",
        ),
        (Set("/version", json!("3.0.1-")), InvalidFormat, "/version"),
        (Set("/version", json!("٣.0.1")), InvalidFormat, "/version"),
        (Set("/version", json!("3.0.1 ")), InvalidFormat, "/version"),
        (Set("/version", json!("v3")), LooseVersion, "/version"),
        (Set("/version", json!("3.00.1")), LooseVersion, "/version"),
        (Set("/description", json!(1)), TypeMismatch, "/description"),
        (
            Set("/parameters", json!("dry_run")),
            TypeMismatch,
            "/parameters",
        ),
        (
            Set("/parameters/dry_run", json!("yes")),
            TypeMismatch,
            "/parameters/dry_run",
        ),
        (
            Set("/parameters/no_hooks", json!(0)),
            TypeMismatch,
            "/parameters/no_hooks",
        ),
        (
            Set("/parameters/replace", json!("true")),
            TypeMismatch,
            "/parameters/replace",
        ),
        (
            Set("/parameters/name_template", json!(false)),
            TypeMismatch,
            "/parameters/name_template",
        ),
        (
            Set("/parameters/recreate", json!(true)),
            IneffectiveParameter,
            "/parameters/recreate",
        ),
        (
            Set("/parameters/reset_values", json!(true)),
            IneffectiveParameter,
            "/parameters/reset_values",
        ),
        (
            Set("/parameters/include_hooks", json!(true)),
            IneffectiveParameter,
            "/parameters/include_hooks",
        ),
        (
            Set("/parameters/release_version", json!(2)),
            IneffectiveParameter,
            "/parameters/release_version",
        ),
        (
            Set("/parameters/dryrun", json!(true)),
            UnknownField,
            "/parameters/dryrun",
        ),
        (Set("/chartId", json!("x")), UnknownField, "/chartId"),
        (Set("/values", json!([])), TypeMismatch, "/values"),
        (Set("/values", json!(null)), TypeMismatch, "/values"),
        (
            Set("/values/imagePullPolicy", json!("Sometimes")),
            NotAllowed,
            "/values/imagePullPolicy",
        ),
        (
            Set("/values/imagePullPolicy", json!(1)),
            TypeMismatch,
            "/values/imagePullPolicy",
        ),
        (
            Set("/values/imageTag", json!("")),
            TooShort,
            "/values/imageTag",
        ),
        (
            Set("/values/imageTag", long(129)),
            TooLong,
            "/values/imageTag",
        ),
        (
            Set("/values/imageTag", json!("-rc1")),
            PatternMismatch,
            "/values/imageTag",
        ),
        (
            Set("/values/imageTag", json!("4.0:3")),
            PatternMismatch,
            "/values/imageTag",
        ),
        (
            Set("/values/imageTag", json!(4)),
            TypeMismatch,
            "/values/imageTag",
        ),
    ];
    let failures = mutation_failures(Kind::CreateRequest, &valid_body(), &cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Applies each edit to `base` and checks that the report is exactly the expected code at the
/// expected pointer, on the line where the member is written (the object's line for a removed
/// one), and that validity follows the code's severity. An out-of-range `release_version` is
/// also, rightly, an `ineffective_parameter` wherever a revision does nothing: that second
/// finding is not the mutation's and is left aside.
#[track_caller]
fn mutation_failures(kind: Kind, base: &Value, cases: &[(Edit, Code, &str)]) -> Vec<String> {
    let validator = Validator::new(kind);
    let mut failures = Vec::new();
    for (edit, code, pointer) in cases {
        let mut body = base.clone();
        apply(&mut body, edit);
        let text = serde_json::to_string_pretty(&body).unwrap();
        let report = validator.validate_bytes(text.as_bytes());
        let found: Vec<&Diagnostic> = report
            .iter()
            .filter(|d| !(d.code == Code::IneffectiveParameter && *code == Code::OutOfRange))
            .collect();
        let got: Vec<(Code, &str)> = found.iter().map(|d| (d.code, d.pointer.as_str())).collect();
        if got != [(*code, *pointer)] {
            failures.push(format!(
                "{pointer}: expected [{code} {pointer}], got {got:?}"
            ));
            continue;
        }
        let key = pointer.rsplit('/').next().unwrap();
        let expected_line = match edit {
            Edit::Remove(_) => 1,
            Edit::Set(..) => line_of_key(&text, key),
        };
        if found[0].line != Some(expected_line) {
            failures.push(format!(
                "{pointer}: line {:?}, expected {expected_line}",
                found[0].line
            ));
        }
        if report.is_valid() != (code.default_severity() == Severity::Warning) {
            failures.push(format!("{pointer}: valid is {}", report.is_valid()));
        }
    }
    failures
}

#[test]
fn values_keys_are_never_unknown() {
    let mut body = valid_body();
    body["values"]["anything"] = json!({"at": ["any", {"depth": null}]});
    body["values"]["chart_id"] = json!(5);
    let report = Validator::new(Kind::CreateRequest)
        .strict(true)
        .validate_value(&body);
    assert!(report.is_empty(), "{report}");
}

#[test]
fn strict_mode_turns_every_warning_into_an_error() {
    let mut body = valid_body();
    body["version"] = json!("v3.0.1");
    body["parameters"]["reset_values"] = json!(true);
    body["project_id"] = json!("x");
    let lenient = Validator::new(Kind::CreateRequest).validate_value(&body);
    let strict = Validator::new(Kind::CreateRequest)
        .strict(true)
        .validate_value(&body);
    assert_eq!((lenient.error_count(), lenient.warning_count()), (0, 3));
    assert_eq!((strict.error_count(), strict.warning_count()), (3, 0));
    assert!(lenient.is_valid() && !strict.is_valid());
}

fn valid_update() -> Value {
    json!({
        "chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e",
        "action": "upgrade",
        "parameters": {"reset_values": true, "recreate": false, "include_hooks": true},
        "values": {"imagePullPolicy": "Always", "imageTag": "4.0.4", "replicas": 3}
    })
}

#[test]
fn each_update_mutation_yields_its_code_at_its_pointer() {
    use Code::*;
    use Edit::*;
    let validator = Validator::new(Kind::UpdateRequest);
    let clean = serde_json::to_string_pretty(&valid_update()).unwrap();
    assert!(validator.validate_bytes(clean.as_bytes()).is_empty());
    let cases: Vec<(Edit, Code, &str)> = vec![
        (Remove("/chart_id"), MissingField, "/chart_id"),
        (Remove("/action"), MissingField, "/action"),
        (Remove("/parameters"), MissingField, "/parameters"),
        (Remove("/values"), MissingField, "/values"),
        (Set("/chart_id", json!("neo4j")), InvalidFormat, "/chart_id"),
        (Set("/action", json!("install")), NotAllowed, "/action"),
        (Set("/action", json!(null)), TypeMismatch, "/action"),
        (Set("/parameters", json!(null)), TypeMismatch, "/parameters"),
        (
            Set("/parameters/release_version", json!(1)),
            IneffectiveParameter,
            "/parameters/release_version",
        ),
        (
            Set("/parameters/release_version", json!(-1)),
            OutOfRange,
            "/parameters/release_version",
        ),
        (
            Set("/parameters/dry_run", json!("yes")),
            TypeMismatch,
            "/parameters/dry_run",
        ),
        (Set("/name", json!("koi-neo4j")), UnknownField, "/name"),
        (Set("/values", json!([])), TypeMismatch, "/values"),
        (
            Set("/values/imagePullPolicy", json!("always")),
            NotAllowed,
            "/values/imagePullPolicy",
        ),
        (
            Set("/values/imageTag", json!(".x")),
            PatternMismatch,
            "/values/imageTag",
        ),
    ];
    let failures = mutation_failures(Kind::UpdateRequest, &valid_update(), &cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
