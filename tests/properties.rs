//! Properties over generated payloads:
//! - any well-typed valid body is clean, is accepted by the committed schema file, and round-trips
//!   through the typed model;
//! - any single-constraint mutation yields exactly its code at its pointer;
//! - arbitrary bytes, and valid payloads with bytes broken, never panic and always get a report;
//! - the hand-written checks agree with the schema's patterns.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use cce_release::model::constraints::{
    IMAGE_TAG_PATTERN, NAMESPACE_PATTERN, RELEASE_NAME_PATTERN, UUID_PATTERN,
    chart_version_pattern, is_image_tag, is_namespace, is_release_name, is_uuid,
    parse_chart_version,
};
use cce_release::{
    Code, CreateReleaseBody, ImagePullPolicy, Kind, ReleaseParameters, ReleaseValues, UpdateAction,
    UpdateReleaseBody, Valid, Validator,
};
use proptest::prelude::*;
use serde_json::{Value, json};

/// The committed file, compiled by a validator of its own (not the crate's).
fn committed_schema() -> &'static jsonschema::Validator {
    static SCHEMA: once_cell::sync::Lazy<jsonschema::Validator> =
        once_cell::sync::Lazy::new(|| {
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/schemas/create-release-request.schema.json"
            );
            let schema: Value =
                serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            jsonschema::draft202012::new(&schema).unwrap()
        });
    &SCHEMA
}

/// The committed update schema, compiled by a validator of its own.
fn committed_update_schema() -> &'static jsonschema::Validator {
    static SCHEMA: once_cell::sync::Lazy<jsonschema::Validator> =
        once_cell::sync::Lazy::new(|| {
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/schemas/update-release-request.schema.json"
            );
            let schema: Value =
                serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            jsonschema::draft202012::new(&schema).unwrap()
        });
    &SCHEMA
}

fn pattern_validator(pattern: &str) -> jsonschema::Validator {
    jsonschema::draft202012::new(&json!({"type": "string", "pattern": pattern})).unwrap()
}

fn uuid() -> impl Strategy<Value = String> {
    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
}

fn strict_version() -> impl Strategy<Value = String> {
    (
        0u64..1000,
        0u64..1000,
        0u64..1000,
        proptest::option::of("(0|[1-9][0-9]{0,3}|[0-9]{0,2}[a-zA-Z-][0-9a-zA-Z-]{0,5})(\\.(0|[1-9][0-9]{0,2}|[a-z-][0-9a-z-]{0,3})){0,2}"),
        proptest::option::of("[0-9A-Za-z-]{1,6}(\\.[0-9A-Za-z-]{1,6}){0,2}"),
    )
        .prop_map(|(a, b, c, pre, build)| {
            let mut v = format!("{a}.{b}.{c}");
            if let Some(pre) = pre {
                v = format!("{v}-{pre}");
            }
            if let Some(build) = build {
                v = format!("{v}+{build}");
            }
            v
        })
}

/// Free-form Helm values: any JSON, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e12f64..1e12).prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z_.-]{1,10}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

prop_compose! {
    fn valid_body()(
        chart_id in uuid(),
        name in "[a-z]([-a-z0-9]{0,51}[a-z0-9])?",
        namespace in "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?",
        version in strict_version(),
        description in proptest::option::of(".{0,40}"),
        parameters in proptest::option::of((
            proptest::option::of(any::<bool>()),
            proptest::option::of(".{0,20}"),
            proptest::option::of(any::<bool>()),
            proptest::option::of(any::<bool>()),
        )),
        policy in proptest::option::of(prop::sample::select(ImagePullPolicy::ALL)),
        tag in proptest::option::of("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"),
        other in prop::collection::btree_map("[a-zA-Z][a-zA-Z0-9]{0,12}", json_value(), 0..5),
    ) -> CreateReleaseBody {
        let mut values = ReleaseValues::default();
        for (k, v) in other {
            values = values.with(k, v);
        }
        if let Some(p) = policy {
            values = values.with_image_pull_policy(p);
        }
        if let Some(t) = tag {
            values = values.with_image_tag(t);
        }
        let mut body = CreateReleaseBody::new(chart_id, name, namespace, version, values);
        if let Some(d) = description {
            body = body.with_description(d);
        }
        if let Some((dry_run, name_template, no_hooks, replace)) = parameters {
            let mut p = ReleaseParameters::default();
            p.dry_run = dry_run;
            p.name_template = name_template;
            p.no_hooks = no_hooks;
            p.replace = replace;
            // Members that only matter on update, in the values that do nothing on create.
            p.recreate = Some(false);
            p.reset_values = Some(false);
            body = body.with_parameters(p);
        }
        body
    }
}

/// One broken constraint: the pointer it breaks and the code it must yield.
fn mutation() -> impl Strategy<Value = (&'static str, Value, Code)> {
    prop_oneof![
        "[a-z]{0,10}[A-Z_.][a-z]{0,10}".prop_map(|s| (
            "/name",
            Value::from(s),
            Code::PatternMismatch
        )),
        "[a-z]{54,80}".prop_map(|s| ("/name", Value::from(s), Code::TooLong)),
        "[a-z]{64,90}".prop_map(|s| ("/namespace", Value::from(s), Code::TooLong)),
        "-[a-z]{1,10}|[a-z]{1,10}-".prop_map(|s| (
            "/namespace",
            Value::from(s),
            Code::PatternMismatch
        )),
        "[g-z]{1,40}".prop_map(|s| ("/chart_id", Value::from(s), Code::InvalidFormat)),
        "[a-z]{1,8}|[0-9]{1,12}\\.[0-9]{1,12}\\.[0-9]{1,12}\\.[0-9]{1,12}".prop_map(|s| (
            "/version",
            Value::from(s),
            Code::InvalidFormat
        )),
        // A version Helm reads, longer than the 64 characters a chart's version has.
        "1\\.0\\.0-[a-z]{59,80}".prop_map(|s| ("/version", Value::from(s), Code::TooLong)),
        "[a-z]{1,12}".prop_map(|s| ("/values/imagePullPolicy", Value::from(s), Code::NotAllowed)),
        "[.-][a-z0-9]{0,10}".prop_map(|s| (
            "/values/imageTag",
            Value::from(s),
            Code::PatternMismatch
        )),
        (i64::MIN..0).prop_map(|n| (
            "/parameters/release_version",
            Value::from(n),
            Code::OutOfRange
        )),
        any::<i64>().prop_map(|n| ("/parameters/dry_run", Value::from(n), Code::TypeMismatch)),
        any::<bool>().prop_map(|b| ("/description", Value::from(b), Code::TypeMismatch)),
        json_value()
            .prop_filter("not an object", |v| !v.is_object())
            .prop_map(|v| ("/values", v, Code::TypeMismatch)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn valid_bodies_are_clean_and_the_schema_accepts_them(body in valid_body()) {
        let value = serde_json::to_value(&body).unwrap();
        let text = serde_json::to_string_pretty(&body).unwrap();
        let report = Validator::new(Kind::CreateRequest).strict(true).validate_bytes(text.as_bytes());
        prop_assert!(report.is_empty(), "{}\n{}", text, report);
        prop_assert!(committed_schema().is_valid(&value), "{}", text);
        let typed: Valid<CreateReleaseBody> = Valid::from_bytes(text.as_bytes()).unwrap();
        prop_assert_eq!(typed.into_inner(), body.clone());
        prop_assert!(body.validate().is_empty());
    }

    #[test]
    fn valid_update_bodies_are_clean_and_the_schema_accepts_them(
        body in valid_body(),
        rollback in any::<bool>(),
        revision in proptest::option::of(0i32..1000),
    ) {
        let (action, release_version) = if rollback {
            (UpdateAction::Rollback, revision)
        } else {
            (UpdateAction::Upgrade, None)
        };
        let mut parameters = body.parameters.clone().unwrap_or_default();
        parameters.release_version = release_version;
        let update = UpdateReleaseBody::new(body.chart_id.clone(), action, parameters, body.values.clone());
        let text = serde_json::to_string_pretty(&update).unwrap();
        let report = Validator::new(Kind::UpdateRequest).strict(true).validate_bytes(text.as_bytes());
        prop_assert!(report.is_empty(), "{}\n{}", text, report);
        prop_assert!(committed_update_schema().is_valid(&serde_json::to_value(&update).unwrap()), "{}", text);
        let typed: Valid<UpdateReleaseBody> = Valid::from_bytes(text.as_bytes()).unwrap();
        prop_assert_eq!(typed.into_inner(), update);
    }

    #[test]
    fn a_single_mutation_yields_its_code_at_its_pointer(body in valid_body(), (pointer, bad, code) in mutation()) {
        let mut value = serde_json::to_value(&body).unwrap();
        if pointer.starts_with("/parameters/") && value.get("parameters").is_none() {
            value["parameters"] = json!({});
        }
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        value.pointer_mut(parent).unwrap()[key] = bad;
        let text = serde_json::to_string_pretty(&value).unwrap();
        let report = Validator::new(Kind::CreateRequest).validate_bytes(text.as_bytes());
        let errors: Vec<(Code, &str)> = report.iter()
            .filter(|d| d.code != Code::IneffectiveParameter)
            .map(|d| (d.code, d.pointer.as_str())).collect();
        prop_assert_eq!(errors, vec![(code, pointer)], "{}", text);
        prop_assert!(!report.is_valid());
        prop_assert!(!committed_schema().is_valid(&value));
        // Bytes skim the inside of `values`; a parsed value is checked whole: same findings.
        let whole = Validator::new(Kind::CreateRequest).validate_value(&value);
        let skimmed: Vec<(Code, &str)> = report.iter().map(|d| (d.code, d.pointer.as_str())).collect();
        let full: Vec<(Code, &str)> = whole.iter().map(|d| (d.code, d.pointer.as_str())).collect();
        prop_assert_eq!(skimmed, full);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        for &kind in Kind::ALL {
            let report = Validator::new(kind).validate_bytes(&bytes);
            // Every body finding of a text input has a position.
            for d in &report {
                prop_assert!(d.line.is_some() && d.column.is_some(), "{:?}", d);
            }
        }
    }

    #[test]
    fn broken_valid_payloads_never_panic(
        body in valid_body(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
    ) {
        let mut bytes = serde_json::to_vec_pretty(&body).unwrap();
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        let report = Validator::new(Kind::CreateRequest).strict(true).validate_bytes(&bytes);
        for d in &report {
            prop_assert!(d.line.is_some() && d.column.is_some(), "{:?}", d);
        }
    }

    #[test]
    fn chart_version_parser_agrees_with_the_schema_pattern(
        v in "v?[0-9]{1,3}(\\.[0-9]{1,3}){0,3}(-[0-9A-Za-z.-]{0,6})?(\\+[0-9A-Za-z.+-]{0,6})?[ \n]?"
    ) {
        let pattern = pattern_validator(chart_version_pattern());
        prop_assert_eq!(parse_chart_version(&v).is_some(), pattern.is_valid(&Value::from(v.clone())), "{:?}", v);
    }

    #[test]
    fn name_checks_agree_with_the_schema_patterns(s in "[a-z0-9A-Z_.{} -]{0,8}\n?|[a-z][-a-z0-9]{0,10}") {
        let name = pattern_validator(RELEASE_NAME_PATTERN);
        let namespace = pattern_validator(NAMESPACE_PATTERN);
        prop_assert_eq!(is_release_name(&s), name.is_valid(&Value::from(s.clone())), "{:?}", s);
        prop_assert_eq!(is_namespace(&s), namespace.is_valid(&Value::from(s.clone())), "{:?}", s);
    }

    #[test]
    fn image_tag_check_agrees_with_the_schema_pattern(s in "[-a-zA-Z0-9_.:/ é]{0,12}\n?") {
        let tag = pattern_validator(IMAGE_TAG_PATTERN);
        prop_assert_eq!(is_image_tag(&s), tag.is_valid(&Value::from(s.clone())), "{:?}", s);
    }

    #[test]
    fn uuid_check_agrees_with_the_schema_pattern(s in "[0-9a-fA-Fg{}-]{30,40}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\n?") {
        let pattern = pattern_validator(UUID_PATTERN);
        prop_assert_eq!(is_uuid(&s), pattern.is_valid(&Value::from(s.clone())), "{:?}", s);
    }
}

#[test]
fn chart_version_bounds_agree_with_the_schema_pattern() {
    let pattern = pattern_validator(chart_version_pattern());
    for v in [
        "18446744073709551615.0.0",
        "18446744073709551616.0.0",
        "0000000000000000000000018446744073709551615",
        "99999999999999999999",
        "18446744073709551615.18446744073709551615.18446744073709551615",
        "18446744073709551620",
        "1.2.3-0",
        "1.2.3-00",
        "1.2.3-0a",
    ] {
        assert_eq!(
            parse_chart_version(v).is_some(),
            pattern.is_valid(&Value::from(v)),
            "{v}"
        );
    }
}
