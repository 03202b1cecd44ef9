//! The committed schemas are exactly what the types generate; `UPDATE_SCHEMAS=1` rewrites them.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use std::path::PathBuf;

use cce_release::{Kind, schema};

#[test]
fn committed_schemas_match_the_types() {
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some_and(|v| v == "1");
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let mut drifted = Vec::new();
    for &kind in Kind::ALL {
        let path = dir.join(kind.schema_file());
        let generated = schema::schema_text(kind);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != generated {
            if update {
                std::fs::write(&path, &generated).unwrap();
            } else {
                drifted.push(path.display().to_string());
            }
        }
    }
    assert!(
        drifted.is_empty(),
        "schemas differ from the types: {drifted:?}; run `UPDATE_SCHEMAS=1 cargo test --test schemas` and commit"
    );
}

/// The validator reads the committed schemas itself (so that its work is bounded by the
/// findings limit); this pins that reading to the `jsonschema` crate's, on documents made of
/// each kind's own member names, with every type of value, wrong or right.
mod agree_with_jsonschema {
    use std::collections::BTreeSet;

    use cce_release::{Code, Kind, Validator, schema};
    use jsonschema::error::ValidationErrorKind;
    use proptest::prelude::*;
    use serde_json::{Map, Value, json};

    /// Every member name a kind's schema knows, at any depth.
    fn names(schema: &Value, out: &mut BTreeSet<String>) {
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (name, sub) in props {
                out.insert(name.clone());
                names(sub, out);
            }
        }
        if let Some(items) = schema.get("items") {
            names(items, out);
        }
        for key in ["if", "then", "else"] {
            if let Some(sub) = schema.get(key) {
                names(sub, out);
            }
        }
        if let Some(branches) = schema.get("anyOf").and_then(Value::as_array) {
            for b in branches {
                names(b, out);
            }
        }
    }

    fn scalar() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            Just(json!(2147483648u64)),
            Just(json!(-1)),
            Just(json!(1.5)),
            Just(json!(3.0)),
            prop::sample::select(vec![
                "",
                "koi-neo4j",
                "Koi_Neo4j",
                "default",
                "3.0.1",
                "v3.0",
                "latest",
                "e99a7e86-afdd-11eb-aca3-0255ac100b0e",
                "upgrade",
                "rollback",
                "Always",
                "always",
                "DEPLOYED",
                "SUPERSEDED",
                "4.0.3",
                ".x",
                "a\n",
            ])
            .prop_map(Value::from),
            "[a-z0-9-]{54,70}".prop_map(Value::from),
        ]
    }

    fn document(pool: Vec<String>) -> impl Strategy<Value = Value> {
        let leaf = scalar();
        let key = prop_oneof![3 => prop::sample::select(pool), 1 => "[a-z_]{1,6}"];
        leaf.prop_recursive(3, 40, 8, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((key.clone(), inner), 0..8)
                    .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
            ]
        })
    }

    /// What breaks the schema at which pointer, in words both sides share.
    type Breaks = BTreeSet<(String, &'static str)>;

    /// What jsonschema says breaks the schema, as the validator names it: one finding per
    /// cause (a wrong type hides the value's other faults; an empty string its pattern).
    fn jsonschema_breaks(kind: Kind, doc: &Value) -> Breaks {
        let validator = jsonschema::draft202012::new(schema::schema(kind)).unwrap();
        let mut out = Breaks::new();
        for e in validator.iter_errors(doc) {
            let at = e.instance_path().as_str().to_owned();
            let what = match e.kind() {
                ValidationErrorKind::Required { property } => {
                    out.insert((
                        format!("{at}/{}", property.as_str().unwrap_or_default()),
                        "missing",
                    ));
                    continue;
                }
                ValidationErrorKind::AdditionalProperties { unexpected } => {
                    for name in unexpected {
                        out.insert((format!("{at}/{name}"), "unknown"));
                    }
                    continue;
                }
                ValidationErrorKind::Type { .. } => "type",
                ValidationErrorKind::MinLength { .. } => "short",
                ValidationErrorKind::MaxLength { .. } => "long",
                ValidationErrorKind::Pattern { .. } => "pattern",
                ValidationErrorKind::Enum { .. } => "enum",
                ValidationErrorKind::Minimum { .. } | ValidationErrorKind::Maximum { .. } => {
                    "range"
                }
                other => panic!("a keyword the committed schemas do not use: {other:?}"),
            };
            out.insert((at, what));
        }
        let dominated: Vec<(String, &str)> = out
            .iter()
            .filter(|(at, what)| {
                (*what != "type" && out.contains(&(at.clone(), "type")))
                    || (*what == "pattern" && out.contains(&(at.clone(), "short")))
            })
            .cloned()
            .collect();
        for d in dominated {
            out.remove(&d);
        }
        out
    }

    fn validator_breaks(kind: Kind, doc: &Value) -> Breaks {
        let report = Validator::new(kind)
            .max_findings(100_000)
            .validate_value(doc);
        report
            .iter()
            .filter_map(|d| {
                let what = match d.code {
                    Code::MissingField => "missing",
                    Code::UnknownField => "unknown",
                    Code::TypeMismatch => "type",
                    Code::TooShort => "short",
                    Code::TooLong => "long",
                    Code::PatternMismatch | Code::InvalidFormat => "pattern",
                    Code::NotAllowed => "enum",
                    Code::OutOfRange => "range",
                    // A rule beyond the schema.
                    _ => return None,
                };
                Some((d.pointer.clone(), what))
            })
            .collect()
    }

    fn check(kind: Kind, doc: &Value) -> Result<(), TestCaseError> {
        let ours = validator_breaks(kind, doc);
        let theirs = jsonschema_breaks(kind, doc);
        prop_assert_eq!(ours, theirs, "{} {}", kind, doc);
        Ok(())
    }

    fn kind_strategy() -> impl Strategy<Value = (Kind, Value)> {
        prop::sample::select(Kind::ALL.to_vec()).prop_flat_map(|kind| {
            let mut pool = BTreeSet::new();
            names(schema::schema(kind), &mut pool);
            pool.insert("x".to_owned()); // a delete answer's schema names no member
            let pool: Vec<String> = pool.into_iter().collect();
            let doc = document(pool.clone());
            let object = prop::collection::vec(
                (prop::sample::select(pool), document(vec!["x".into()])),
                0..10,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>()))
            .boxed();
            let list = prop::collection::vec(object.clone(), 0..3).prop_map(Value::Array);
            (Just(kind), prop_oneof![doc, object, list])
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn the_validator_reads_every_committed_schema_as_jsonschema_does((kind, doc) in kind_strategy()) {
            check(kind, &doc)?;
        }
    }
}
