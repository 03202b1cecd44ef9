//! Coalescing and schema validation, pinned to Helm 3's own tests.
//!
//! Each test names the Helm test it follows (helm/helm `pkg/chartutil/coalesce_test.go`,
//! `dependencies_test.go`, `jsonschema_test.go`); the charts and values are those tests' own,
//! built with this crate's API, and the assertions are theirs (a template `{{.a.b}}` that
//! renders `<no value>` is an absent key here). The code is ours.

use cce_release::chart::{Chart, Dependency};
use cce_release::{Code, Kind, Options, Report, Validator};
use serde_json::{Value, json};

fn chart(name: &str, values: Value) -> Chart {
    Chart::new(name, "0.1.0")
        .values(values)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn at<'v>(v: &'v Value, dotted: &str) -> Option<&'v Value> {
    let pointer: String = dotted.split('.').map(|t| format!("/{t}")).collect();
    v.pointer(&pointer)
}

/// helm/helm `TestCoalesceValues`: the release's values (`testCoalesceValuesYaml`) over moby,
/// its subcharts pequod (with ahab under it) and spouter.
#[test]
fn helm_test_coalesce_values() {
    let ahab = chart(
        "ahab",
        json!({
            "global": {"nested": {"foo": "bar", "foo2": "bar2"}, "nested2": {"l2": "ahab"}},
            "scope": "ahab", "name": "ahab", "boat": true,
            "nested": {"foo": false, "boat": true}, "object": {"foo": "bar"},
        }),
    );
    let pequod = chart(
        "pequod",
        json!({
            "name": "pequod", "scope": "pequod",
            "global": {"nested2": {"l1": "pequod"}},
            "boat": false, "ahab": {"boat": false, "nested": {"boat": false}},
        }),
    )
    .subchart(ahab);
    let spouter = chart(
        "spouter",
        json!({"scope": "spouter", "global": {"nested2": {"l1": "spouter"}}}),
    );
    let moby = chart(
        "moby",
        json!({
            "back": "exists", "bottom": "exists", "front": "exists", "left": "exists",
            "name": "moby", "nested": {"boat": true}, "override": "bad", "right": "exists",
            "scope": "moby", "top": "nope", "global": {"nested2": {"l0": "moby"}},
            "pequod": {"boat": "maybe", "ahab": {"boat": "maybe", "nested": {"boat": "maybe"}}},
        }),
    )
    .subchart(pequod)
    .subchart(spouter);
    // testCoalesceValuesYaml (`Null`, `NULL` and `~` are the same null in JSON).
    let user = json!({
        "top": "yup", "bottom": null, "right": null, "left": null, "front": null, "back": "",
        "nested": {"boat": null},
        "global": {"name": "Ishmael", "subject": "Queequeg", "nested": {"boat": true}},
        "pequod": {
            "boat": null,
            "global": {"name": "Stinky", "harpooner": "Tashtego",
                       "nested": {"boat": false, "sail": true, "foo2": null}},
            "ahab": {"scope": "whale", "boat": null, "nested": {"foo": true, "boat": null},
                     "object": null},
        },
    });
    let before = user.clone();
    let v = moby.coalesce(&user).unwrap_or_else(|e| panic!("{e}"));
    let expect = [
        ("top", Some(json!("yup"))),
        ("back", Some(json!(""))),
        ("name", Some(json!("moby"))),
        ("global.name", Some(json!("Ishmael"))),
        ("global.subject", Some(json!("Queequeg"))),
        ("global.harpooner", None),
        ("pequod.name", Some(json!("pequod"))),
        ("pequod.ahab.name", Some(json!("ahab"))),
        ("pequod.ahab.scope", Some(json!("whale"))),
        ("pequod.ahab.nested.foo", Some(json!(true))),
        ("pequod.ahab.global.name", Some(json!("Ishmael"))),
        ("pequod.ahab.global.nested.foo", Some(json!("bar"))),
        ("pequod.ahab.global.nested.foo2", None),
        ("pequod.ahab.global.subject", Some(json!("Queequeg"))),
        ("pequod.ahab.global.harpooner", Some(json!("Tashtego"))),
        ("pequod.global.name", Some(json!("Ishmael"))),
        ("pequod.global.nested.foo", None),
        ("pequod.global.subject", Some(json!("Queequeg"))),
        ("spouter.global.name", Some(json!("Ishmael"))),
        ("spouter.global.harpooner", None),
        ("global.nested.boat", Some(json!(true))),
        ("pequod.global.nested.boat", Some(json!(true))),
        ("spouter.global.nested.boat", Some(json!(true))),
        ("pequod.global.nested.sail", Some(json!(true))),
        ("spouter.global.nested.sail", None),
        ("global.nested2.l0", Some(json!("moby"))),
        ("global.nested2.l1", None),
        ("global.nested2.l2", None),
        ("pequod.global.nested2.l0", Some(json!("moby"))),
        ("pequod.global.nested2.l1", Some(json!("pequod"))),
        ("pequod.global.nested2.l2", None),
        ("pequod.ahab.global.nested2.l0", Some(json!("moby"))),
        ("pequod.ahab.global.nested2.l1", Some(json!("pequod"))),
        ("pequod.ahab.global.nested2.l2", Some(json!("ahab"))),
        ("spouter.global.nested2.l0", Some(json!("moby"))),
        ("spouter.global.nested2.l1", Some(json!("spouter"))),
        ("spouter.global.nested2.l2", None),
        // The null keys are removed.
        ("bottom", None),
        ("right", None),
        ("left", None),
        ("front", None),
        ("nested.boat", None),
        ("pequod.boat", None),
        ("pequod.ahab.boat", None),
        ("pequod.ahab.nested.boat", None),
        ("pequod.ahab.object", None),
    ];
    for (path, expected) in expect {
        assert_eq!(at(&v, path), expected.as_ref(), "{path} in {v:#}");
    }
    // CoalesceValues does not change what it is given.
    assert_eq!(user, before);
}

/// helm/helm `TestCoalesceTables`, through a chart whose defaults are the test's `src` and
/// release values its `dst`.
#[test]
fn helm_test_coalesce_tables() {
    let src = json!({
        "occupation": "whaler",
        "address": {"state": "MA", "street": "234 Spouter Inn Ct.", "country": "US"},
        "details": "empty",
        "boat": {"mast": true},
        "hole": "black",
    });
    let dst = json!({
        "name": "Ishmael",
        "address": {"street": "123 Spouter Inn Ct.", "city": "Nantucket", "country": null},
        "details": {"friends": ["Tashtego"]},
        "boat": "pequod",
        "hole": null,
    });
    let v = chart("c", src)
        .coalesce(&dst)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(at(&v, "name"), Some(&json!("Ishmael")));
    assert_eq!(at(&v, "occupation"), Some(&json!("whaler")));
    assert_eq!(
        at(&v, "address.street"),
        Some(&json!("123 Spouter Inn Ct."))
    );
    assert_eq!(at(&v, "address.city"), Some(&json!("Nantucket")));
    assert_eq!(at(&v, "address.state"), Some(&json!("MA")));
    assert_eq!(
        at(&v, "address.country"),
        None,
        "the country is not left out"
    );
    assert_eq!(at(&v, "details.friends"), Some(&json!(["Tashtego"])));
    assert_eq!(at(&v, "boat"), Some(&json!("pequod")));
    assert_eq!(at(&v, "hole"), None, "the hole still exists");
    // With no defaults, the release's values are kept as they are (but for their nulls).
    let dst2 = json!({"name": "Ishmael", "address": {"country": "US"}, "hole": "black"});
    assert_eq!(chart("c", json!({})).coalesce(&dst2).ok(), Some(dst2));
}

/// helm/helm `TestCoalesceValuesWarnings`: where Helm warns and keeps the release's value
/// (a map over a scalar default, a scalar over a map default), the release's value wins.
#[test]
fn helm_test_coalesce_values_warnings() {
    let level3 = chart(
        "level3",
        json!({"name": "ahab", "boat": true, "spear": {"tip": true, "sail": {"cotton": true}}}),
    );
    let level2 = chart("level2", json!({"name": "pequod"})).subchart(level3);
    let level1 = chart("level1", json!({"name": "moby"})).subchart(level2);
    let user = json!({"level2": {"level3": {
        "boat": {"mast": true},
        "spear": {"tip": {"sharp": true}, "sail": true},
    }}});
    let v = level1.coalesce(&user).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(at(&v, "level2.level3.boat"), Some(&json!({"mast": true})));
    assert_eq!(
        at(&v, "level2.level3.spear.tip"),
        Some(&json!({"sharp": true}))
    );
    assert_eq!(at(&v, "level2.level3.spear.sail"), Some(&json!(true)));
    assert_eq!(at(&v, "level2.level3.name"), Some(&json!("ahab")));
}

/// helm/helm `TestCoalesceValuesEmptyMapWithNils` (#31643): the release's `null` for a key the
/// chart has no default for. Helm releases differ here (kept as `null`, or removed); this crate
/// removes it, as `null` means "absent" (see docs/chart-aware.md).
#[test]
fn helm_test_empty_map_with_nils() {
    let c = chart("test", json!({"data": {}}));
    let v = c
        .coalesce(&json!({"data": {"foo": "bar", "baz": null}}))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v, json!({"data": {"foo": "bar"}}));
}

/// A chart's own `null` default is kept (Helm keeps it), unless a lower default is deleted by
/// it: a subchart stanza's `null` in the parent's values.yaml deletes the subchart's default.
#[test]
fn chart_default_nulls() {
    let sub = chart("sub", json!({"x": 5, "y": 1}));
    let c = chart("c", json!({"kept": null, "sub": {"x": null}})).subchart(sub);
    let v = c.coalesce(&json!({})).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(at(&v, "kept"), Some(&Value::Null));
    assert_eq!(at(&v, "sub.x"), None);
    assert_eq!(at(&v, "sub.y"), Some(&json!(1)));
}

/// helm/helm `TestProcessDependencyEnabled` style: conditions and tags decide which subcharts
/// are coalesced (and validated); the first condition path that holds a boolean decides, over
/// the tags; a condition that holds no boolean leaves the tags' verdict.
#[test]
fn helm_conditions_and_tags() {
    let sub = |name: &str| chart(name, json!({"present": name}));
    let parent = chart(
        "parent",
        json!({"tags": {"front-end": false, "back-end": true}, "subcharta": {"enabled": false}}),
    )
    .dependency(
        Dependency::new("subcharta").condition("subcharta.enabled,subchartb.enabled"),
        sub("subcharta"),
    )
    .dependency(
        Dependency::new("subchartb").tags(["front-end"]),
        sub("subchartb"),
    )
    .dependency(
        Dependency::new("subchartc").tags(["front-end", "back-end"]),
        sub("subchartc"),
    )
    .dependency(
        Dependency::new("subchartd")
            .condition("nope.enabled")
            .tags(["front-end"]),
        sub("subchartd"),
    );
    let enabled = |values: Value| -> Vec<&'static str> {
        let v = parent.coalesce(&values).unwrap_or_else(|e| panic!("{e}"));
        ["subcharta", "subchartb", "subchartc", "subchartd"]
            .into_iter()
            .filter(|name| at(&v, &format!("{name}.present")).is_some())
            .collect()
    };
    assert_eq!(enabled(json!({})), ["subchartc"]);
    assert_eq!(
        enabled(json!({"subcharta": {"enabled": true}, "tags": {"front-end": true}})),
        ["subcharta", "subchartb", "subchartc", "subchartd"]
    );
    assert_eq!(
        enabled(json!({"subcharta": {"enabled": "yes"}, "subchartb": {"enabled": true}})),
        ["subcharta", "subchartc"]
    );
}

/// helm/helm `TestDependentChartAliases` and `TestGetAliasDependency`: a chart aliased twice is
/// coalesced once under each alias, each with its own values and condition.
#[test]
fn helm_aliases() {
    let mariner = chart("mariner", json!({"sail": "white"}));
    let parent = chart("parent", json!({}))
        .dependency(Dependency::new("mariner").alias("first"), mariner.clone())
        .dependency(
            Dependency::new("mariner")
                .alias("second")
                .condition("second.enabled"),
            mariner,
        );
    let v = parent
        .coalesce(&json!({"first": {"sail": "red"}}))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(at(&v, "first.sail"), Some(&json!("red")));
    assert_eq!(at(&v, "second.sail"), Some(&json!("white")));
    assert_eq!(at(&v, "mariner"), None);
    let v = parent
        .coalesce(&json!({"second": {"enabled": false}}))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(at(&v, "second.sail"), None);
}

fn validator(chart: Chart) -> Validator {
    let options = Options::default()
        .chart(chart)
        .unwrap_or_else(|e| panic!("{e}"));
    Validator::with_options(Kind::CreateRequest, options)
}

fn body(values: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi", "namespace": "default",
        "version": "0.1.0", "values": values,
    }))
    .unwrap_or_default()
}

fn found(report: &Report) -> Vec<(String, String)> {
    report
        .iter()
        .map(|d| (d.code.as_str().to_owned(), d.pointer.clone()))
        .collect()
}

/// helm/helm `TestValidateAgainstSchema`: a subchart's schema is applied to the values under its
/// key (here: a required `age` that neither the release nor the subchart sets), the parent's to
/// the whole.
#[test]
fn helm_test_validate_against_schema() {
    let subchart = Chart::new("subchart", "0.1.0")
        .schema(&json!({
            "$schema": "http://json-schema.org/draft-07/schema#",
            "title": "Values", "type": "object",
            "properties": {"age": {"description": "Age", "minimum": 0, "type": "integer"}},
            "required": ["age"],
        }))
        .unwrap_or_else(|e| panic!("{e}"));
    let parent = Chart::new("chrt", "0.1.0")
        .schema(&json!({
            "$schema": "http://json-schema.org/draft-07/schema#",
            "title": "Values", "type": "object",
            "properties": {"firstname": {"type": "string"}, "lastname": {"type": "string"}},
            "required": ["firstname", "lastname"],
        }))
        .unwrap_or_else(|e| panic!("{e}"))
        .subchart(subchart);
    let v = validator(parent);
    let values = json!({"firstname": "John", "lastname": "Doe", "subchart": {"age": 25}});
    assert!(v.validate_bytes(&body(values)).is_empty());
    let report = v.validate_bytes(&body(
        json!({"firstname": "John", "lastname": "Doe", "subchart": {}}),
    ));
    assert_eq!(
        found(&report),
        [("values_schema".into(), "/values/subchart/age".into())]
    );
    let message = &report.diagnostics()[0].message;
    assert!(message.contains("subchart `subchart`"), "{message}");
    assert!(message.contains("neither"), "{message}");
    // Without the subchart's key at all, Helm still validates the map it creates.
    let report = v.validate_bytes(&body(json!({"firstname": "John", "lastname": "Doe"})));
    assert_eq!(found(&report), [("values_schema".into(), "/values".into())]);
    assert!(
        report.diagnostics()[0]
            .message
            .contains("`values.subchart.age`")
    );
}

/// helm/helm `TestValidateAgainstSingleSchemaNegative` and the issue's cases: `null` removes a
/// default (valid against `type`), a `required` the defaults supply is met, a required default
/// removed by `null` points at the `null`.
#[test]
fn null_defaults_and_required() {
    let c = Chart::new("koi", "0.1.0")
        .values(json!({"replicaCount": 1, "image": {"repository": "koi", "tag": "1"}}))
        .and_then(|c| {
            c.schema(&json!({
                "type": "object", "required": ["image"],
                "properties": {
                    "replicaCount": {"type": "integer"},
                    "image": {"type": "object", "required": ["repository"]},
                },
            }))
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let v = validator(c);
    assert!(
        v.validate_bytes(&body(json!({"replicaCount": null})))
            .is_empty()
    );
    assert!(v.validate_bytes(&body(json!({}))).is_empty());
    assert!(
        v.validate_bytes(&body(json!({"image": {"tag": "2"}})))
            .is_empty()
    );
    let report = v.validate_bytes(&body(json!({"image": null})));
    assert_eq!(
        found(&report),
        [("values_schema".into(), "/values/image".into())]
    );
    assert!(
        report.diagnostics()[0]
            .message
            .contains("this `null` removes")
    );
    let report = v.validate_bytes(&body(json!({"image": {"repository": null}})));
    assert_eq!(
        found(&report),
        [("values_schema".into(), "/values/image/repository".into())]
    );
    let report = v.validate_bytes(&body(json!({"replicaCount": "three"})));
    assert_eq!(
        found(&report),
        [("values_schema".into(), "/values/replicaCount".into())]
    );
}

/// A value from the chart's defaults that breaks its own schema is a fault of the merge: at
/// `/values`, naming the default.
#[test]
fn faults_of_the_defaults_point_at_values() {
    let c = Chart::new("koi", "0.1.0")
        .values(json!({"replicas": 20}))
        .and_then(|c| c.schema(&json!({"properties": {"replicas": {"maximum": 10}}})))
        .unwrap_or_else(|e| panic!("{e}"));
    let report = validator(c).validate_bytes(&body(json!({})));
    assert_eq!(found(&report), [("values_schema".into(), "/values".into())]);
    let message = &report.diagnostics()[0].message;
    assert!(
        message.starts_with("`values.replicas` must be at most 10"),
        "{message}"
    );
    assert!(message.contains("the chart's defaults"), "{message}");
}

/// Helm adds `global` to every subchart's values: a subchart schema that forbids other members
/// fails at install, whatever the release says.
#[test]
fn subchart_schemas_see_global() {
    let sub = Chart::new("cache", "0.1.0")
        .schema(&json!({"additionalProperties": false, "properties": {"port": {}}}))
        .unwrap_or_else(|e| panic!("{e}"));
    let c = Chart::new("koi", "0.1.0").subchart(sub);
    let report = validator(c).validate_bytes(&body(json!({"cache": {"port": 1}})));
    assert_eq!(found(&report), [("values_schema".into(), "/values".into())]);
    assert!(
        report.diagnostics()[0]
            .message
            .contains("Helm adds `global`")
    );
}

/// A subchart's `global` comes from the release's `global`: the finding points there.
#[test]
fn globals_point_at_the_release_global() {
    let sub = Chart::new("cache", "0.1.0")
        .schema(
            &json!({"properties": {"global": {"properties": {"env": {"enum": ["dev", "prod"]}}}}}),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let c = Chart::new("koi", "0.1.0").dependency(Dependency::new("cache"), sub);
    let report = validator(c).validate_bytes(&body(json!({"global": {"env": "test"}})));
    assert_eq!(
        found(&report),
        [("values_schema".into(), "/values/global/env".into())]
    );
    let message = &report.diagnostics()[0].message;
    assert!(message.contains("must be one of"), "{message}");
}

/// Helm refuses anything but a map under a subchart's key (`type mismatch`).
#[test]
fn subchart_keys_must_be_objects() {
    let c = Chart::new("koi", "0.1.0")
        .dependency(Dependency::new("redis"), Chart::new("redis", "1.0.0"));
    let report = validator(c).validate_bytes(&body(json!({"redis": true})));
    assert_eq!(
        found(&report),
        [("type_mismatch".into(), "/values/redis".into())]
    );
    assert_eq!(report.diagnostics()[0].code, Code::TypeMismatch);
}

/// The body's version against the chart's (canonical forms compared).
#[test]
fn chart_version_mismatch() {
    let v = validator(Chart::new("koi", "3.0.1"));
    let with = |version: &str| {
        let b = serde_json::to_vec(&json!({
            "chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi",
            "namespace": "default", "version": version, "values": {},
        }))
        .unwrap_or_default();
        v.validate_bytes(&b)
    };
    assert!(with("3.0.1").is_empty());
    assert!(!with("v3.0.1").has(Code::ChartVersionMismatch));
    let report = with("3.0.2");
    assert_eq!(
        found(&report),
        [("chart_version_mismatch".into(), "/version".into())]
    );
}

/// Without a chart, a values schema sees the values less their `null` members.
#[test]
fn values_schema_without_chart_drops_null_members() {
    let v = Validator::new(Kind::CreateRequest)
        .values_schema(&json!({"properties": {"replicaCount": {"type": "integer"},
                                              "list": {"items": {"type": "object", "properties": {"a": {"type": "string"}}}}}}))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        v.validate_bytes(&body(json!({"replicaCount": null})))
            .is_empty()
    );
    // Inside arrays nothing is coalesced: a null stays a null.
    let report = v.validate_bytes(&body(json!({"list": [{"a": null}]})));
    assert_eq!(
        found(&report),
        [("values_schema".into(), "/values/list/0/a".into())]
    );
}

/// A library chart is not installable; a dependency missing from charts/ is an error, as
/// `helm install` says.
#[test]
fn uninstallable_charts_are_errors() {
    assert!(
        Options::default()
            .chart(Chart::new("lib", "1.0.0").library(true))
            .is_err()
    );
    let mut missing = Chart::new("koi", "1.0.0");
    missing = missing.dependency(Dependency::new("redis"), Chart::new("other", "1.0.0"));
    let error = Options::default()
        .chart(missing)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(error.contains("redis"), "{error}");
}

/// `--cluster-id` compares every release of a list.
#[test]
fn lists_compare_every_release_cluster() {
    let v = Validator::new(Kind::ReleaseList).cluster_id("7378a198-a3fe-11eb-ad37-0255ac100b07");
    let list = br#"[{"name": "a", "cluster_id": "7378a198-a3fe-11eb-ad37-0255ac100b07"},
                    {"name": "b", "cluster_id": "11111111-2222-3333-4444-555555555555"}]"#;
    let report = v.validate_bytes(list);
    assert_eq!(
        found(&report),
        [("cluster_id_mismatch".into(), "/1/cluster_id".into())]
    );
    assert_eq!(report.diagnostics()[0].line, Some(2));
    let report = v.validate_value(&serde_json::from_slice(list).unwrap_or_default());
    assert_eq!(
        found(&report),
        [("cluster_id_mismatch".into(), "/1/cluster_id".into())]
    );
    let bad = Validator::new(Kind::ReleaseList).cluster_id("{cluster_id}");
    let report = bad.validate_bytes(b"[]");
    assert_eq!(
        found(&report),
        [("invalid_format".into(), "/cluster_id".into())]
    );
}
