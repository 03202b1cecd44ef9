//! Hostile (and one realistic) chart schemas, for measuring what applying them costs.
//!
//! `cargo run --release --example hostile_chart -- SHAPE SIZE [old|plain]`, under
//! `/usr/bin/time -v` for the peak memory. Prints the outcome and the time of each step.
//! With `old`, the schema is applied as before the budget: `jsonschema`'s `is_valid`, then
//! `iter_errors`, with nothing bounding them (only to compare; some shapes never finish). With
//! `plain`, the payload is validated without the chart schema: the cost of the values alone.
//!
//! | SHAPE | SIZE | what |
//! |---|---|---|
//! | `any-of` | depth | `anyOf` of two branches recursing by `$ref: "#"` into `x`, values `{"x": {"x": … 1}}` |
//! | `defs` | depth | `$defs` chain `dN = anyOf [$ref dN+1, $ref dN+1]`, the value `1` |
//! | `items` | MiB | `{"items": {"type": "string"}}` over `[1, 1, …]` |
//! | `members` | MiB | `{"additionalProperties": {"type": "string"}}` over `{"k0": 1, …}` |
//! | `ref-chain` | refs | a `$defs` chain of that many `{"$ref": next}` (compile time) |
//! | `same-value` | defs | a cycle of that many `$defs`, each applying the next to the same value |
//! | `objects` | count | `properties` with that many `{"minLength": 1}` (compile time of a large schema) |
//! | `patterns` | count | `properties` with that many distinct heavy `pattern`s (compile time) |
//! | `realistic` | MiB | the `large_payload` values with a realistic schema of a few dozen keys |
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    clippy::expect_used
)]

#[path = "../benches/support/mod.rs"]
mod support;

use std::time::Instant;

use cce_release::{Kind, Validator};
use serde_json::{Map, Value, json};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let shape = args.first().map_or("defs", String::as_str);
    let size: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(30);
    let old = args.get(2).is_some_and(|a| a == "old");
    let plain = args.get(2).is_some_and(|a| a == "plain");
    let (schema, values) = build(shape, size);
    let body = json!({
        "chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "a", "namespace": "b",
        "version": "1.0.0", "values": values,
    });
    println!(
        "{shape} {size}{}: schema {} bytes, values {} bytes",
        if old { " (old)" } else { "" },
        serde_json::to_vec(&schema).map_or(0, |v| v.len()),
        serde_json::to_vec(&body["values"]).map_or(0, |v| v.len()),
    );
    if old {
        let started = Instant::now();
        let validator = jsonschema::options()
            .with_pattern_options(jsonschema::PatternOptions::regex())
            .build(&schema)
            .expect("compiles");
        println!("compile: {:?}", started.elapsed());
        let started = Instant::now();
        let valid = validator.is_valid(&body["values"]);
        println!("is_valid: {valid} in {:?}", started.elapsed());
        if !valid {
            let started = Instant::now();
            let errors = validator.iter_errors(&body["values"]).count();
            println!("iter_errors: {errors} errors in {:?}", started.elapsed());
        }
        return;
    }
    if plain {
        let started = Instant::now();
        let report = Validator::new(Kind::CreateRequest).validate_value(&body);
        println!(
            "plain: {} findings in {:?}",
            report.len(),
            started.elapsed()
        );
        return;
    }
    let started = Instant::now();
    let validator = match Validator::new(Kind::CreateRequest).values_schema(&schema) {
        Ok(v) => v,
        Err(e) => {
            println!("compile: error after {:?}: {e}", started.elapsed());
            return;
        }
    };
    println!("compile: {:?}", started.elapsed());
    let started = Instant::now();
    let report = validator.validate_value(&body);
    let elapsed = started.elapsed();
    let codes: Vec<&str> = report.iter().map(|d| d.code.as_str()).collect();
    let first = report
        .iter()
        .next()
        .map_or(String::new(), |d| d.message.clone());
    println!(
        "validate: {} findings in {elapsed:?}: {:?}…\n  {first}",
        report.len(),
        &codes[..codes.len().min(3)]
    );
    if shape == "realistic" {
        // The same payload without the chart schema, and the old way, for the overhead.
        let plain = Validator::new(Kind::CreateRequest);
        let old = jsonschema::options()
            .with_pattern_options(jsonschema::PatternOptions::regex())
            .build(&schema)
            .expect("compiles");
        let mut with = Vec::new();
        let mut without = Vec::new();
        let mut before = Vec::new();
        for _ in 0..7 {
            let t = Instant::now();
            let _ = validator.validate_value(&body);
            with.push(t.elapsed());
            let t = Instant::now();
            let _ = plain.validate_value(&body);
            without.push(t.elapsed());
            let t = Instant::now();
            assert!(old.is_valid(&body["values"]));
            before.push(t.elapsed());
        }
        let median = |v: &mut Vec<std::time::Duration>| {
            v.sort();
            v[v.len() / 2]
        };
        let (with, without, before) =
            (median(&mut with), median(&mut without), median(&mut before));
        println!(
            "medians of 7: with the chart {with:?}, without {without:?}, so the chart costs {:?}; \
             before the budget the chart cost {before:?} (jsonschema is_valid alone)",
            with.saturating_sub(without)
        );
        // The fewest steps that check it, against the default budget for these values.
        let fits = |steps: u64| {
            !validator
                .clone()
                .values_schema_budget(cce_release::ValuesSchemaBudget::default().steps(steps, 0))
                .validate_value(&body)
                .has(cce_release::Code::ValuesSchemaBudget)
        };
        let (mut low, mut high) = (0u64, 1u64 << 40);
        while low + 1 < high {
            let mid = low + (high - low) / 2;
            if fits(mid) { high = mid } else { low = mid }
        }
        let per_weight = 32 * weight(&body["values"]);
        let default = (1u64 << 20) + per_weight;
        println!(
            "steps needed: {high}; default budget for these values: {default} ({:.1}% used)",
            100.0 * high as f64 / default as f64
        );
    }
}

/// The values' weight as the budget counts it: one per value, member, item and 64 bytes of
/// string.
fn weight(value: &Value) -> u64 {
    1 + match value {
        Value::String(s) => s.len() as u64 / 64,
        Value::Array(a) => a.len() as u64 + a.iter().map(weight).sum::<u64>(),
        Value::Object(o) => o.len() as u64 + o.values().map(weight).sum::<u64>(),
        _ => 0,
    }
}

fn nest(depth: usize) -> Value {
    let mut v = json!(1);
    for _ in 0..depth {
        v = json!({ "x": v });
    }
    v
}

fn build(shape: &str, size: usize) -> (Value, Value) {
    let mib = size << 20;
    match shape {
        "any-of" => {
            let branch = |required: &str| json!({"type": "object", "properties": {"x": {"$ref": "#"}}, "required": [required]});
            (json!({"anyOf": [branch("x"), branch("y")]}), nest(size))
        }
        "defs" => {
            let mut defs = Map::new();
            for i in 0..size {
                let next = json!({"$ref": format!("#/$defs/d{}", i + 1)});
                defs.insert(format!("d{i}"), json!({"anyOf": [next, next]}));
            }
            defs.insert(format!("d{size}"), json!({"type": "string"}));
            // `values` is an object: the chain is applied to its member `v`.
            (
                json!({"$defs": defs, "properties": {"v": {"$ref": "#/$defs/d0"}}}),
                json!({"v": 1}),
            )
        }
        "items" => (
            json!({"properties": {"v": {"items": {"type": "string"}}}}),
            json!({"v": vec![1; mib / 2]}),
        ),
        "members" => {
            let mut members = Map::new();
            let mut bytes = 0;
            let mut i = 0;
            while bytes < mib {
                let key = format!("k{i}");
                bytes += key.len() + 5;
                members.insert(key, json!(1));
                i += 1;
            }
            (
                json!({"additionalProperties": {"type": "string"}}),
                Value::Object(members),
            )
        }
        "ref-chain" => {
            let mut defs = Map::new();
            for i in 0..size {
                defs.insert(
                    format!("d{i}"),
                    json!({"$ref": format!("#/$defs/d{}", i + 1)}),
                );
            }
            defs.insert(format!("d{size}"), json!({"type": "integer"}));
            (
                json!({"$defs": defs, "properties": {"v": {"$ref": "#/$defs/d0"}}}),
                json!({"v": 1}),
            )
        }
        "same-value" => {
            let mut defs = Map::new();
            for i in 0..size {
                defs.insert(
                    format!("d{i}"),
                    json!({"$ref": format!("#/$defs/d{}", (i + 1) % size), "minimum": 0}),
                );
            }
            (
                json!({"$defs": defs, "properties": {"v": {"$ref": "#/$defs/d0"}}}),
                json!({"v": 1}),
            )
        }
        "objects" => {
            let properties: Map<String, Value> = (0..size)
                .map(|i| (format!("p{i}"), json!({"minLength": 1})))
                .collect();
            (json!({"properties": properties}), json!({"p0": "x"}))
        }
        "patterns" => {
            // The largest repetition that still compiles within the size limit, then `size`
            // distinct patterns that large: the slowest compile the limits allow.
            let pattern = |n: usize, i: usize| format!("^(\\w{{50}}|[a-z0-9]{{1,{n}}}x)+{i:05}$");
            let compiles = |n: usize| {
                let schema = json!({"pattern": pattern(n, 0)});
                Validator::new(Kind::CreateRequest)
                    .values_schema(&schema)
                    .is_ok()
            };
            let (mut low, mut high) = (1usize, 100_000usize);
            while low + 1 < high {
                let mid = (low + high) / 2;
                if compiles(mid) { low = mid } else { high = mid }
            }
            println!("largest repetition within the size limit: {low}");
            let properties: Map<String, Value> = (0..size)
                .map(|i| (format!("p{i}"), json!({ "pattern": pattern(low, i) })))
                .collect();
            (json!({"properties": properties}), json!({"p0": "x"}))
        }
        "realistic" => (realistic_schema(), support::large_values(mib)),
        other => panic!("unknown shape {other}"),
    }
}

/// A chart schema as charts write them: the umbrella's services under `patternProperties`,
/// each with image, resources, probes, env, annotations, service and autoscaling.
pub fn realistic_schema() -> Value {
    let quantity = json!({"anyOf": [{"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?(m|Mi|Gi|Ki)?$"}, {"type": "number"}]});
    let resources = json!({"type": "object", "additionalProperties": false, "properties": {
        "limits": {"$ref": "#/$defs/resourceList"}, "requests": {"$ref": "#/$defs/resourceList"}}});
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "$defs": {
            "resourceList": {"type": "object", "properties": {"cpu": quantity, "memory": quantity}},
            "probe": {"type": "object", "properties": {
                "httpGet": {"type": "object", "required": ["path", "port"], "properties": {
                    "path": {"type": "string", "pattern": "^/"},
                    "port": {"oneOf": [{"type": "integer", "minimum": 1, "maximum": 65535}, {"type": "string"}]}}},
                "initialDelaySeconds": {"type": "integer", "minimum": 0},
                "periodSeconds": {"type": "integer", "minimum": 1}}},
            "stringMap": {"type": "object", "additionalProperties": {"type": "string"}},
            "service": {"type": "object", "required": ["image"], "properties": {
                "enabled": {"type": "boolean"},
                "replicaCount": {"type": "integer", "minimum": 0, "maximum": 100},
                "image": {"type": "object", "required": ["repository"], "properties": {
                    "repository": {"type": "string", "minLength": 1},
                    "tag": {"type": "string", "pattern": "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"},
                    "pullPolicy": {"enum": ["Always", "IfNotPresent", "Never"]}}},
                "resources": resources,
                "livenessProbe": {"$ref": "#/$defs/probe"},
                "readinessProbe": {"$ref": "#/$defs/probe"},
                "podAnnotations": {"$ref": "#/$defs/stringMap"},
                "nodeSelector": {"$ref": "#/$defs/stringMap"},
                "tolerations": {"type": "array", "items": {"type": "object", "properties": {
                    "key": {"type": "string"}, "operator": {"enum": ["Equal", "Exists"]},
                    "value": {"type": "string"},
                    "effect": {"enum": ["NoSchedule", "PreferNoSchedule", "NoExecute"]}}}},
                "affinity": {"type": "object"},
                "extraEnv": {"type": "array", "items": {"type": "object", "required": ["name"],
                    "properties": {"name": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
                                   "value": {"type": "string"}}}},
                "config": {"$ref": "#/$defs/stringMap"},
                "service": {"type": "object", "properties": {
                    "type": {"enum": ["ClusterIP", "NodePort", "LoadBalancer"]},
                    "ports": {"type": "array", "items": {"type": "object", "required": ["port"], "properties": {
                        "name": {"type": "string"}, "port": {"type": "integer", "minimum": 1, "maximum": 65535},
                        "targetPort": {"type": ["integer", "string"]}}}}}},
                "autoscaling": {"type": "object", "properties": {
                    "enabled": {"type": "boolean"}, "minReplicas": {"type": "integer", "minimum": 1},
                    "maxReplicas": {"type": "integer", "minimum": 1}, "targetCPU": {"type": "number"}}}
            }}
        },
        "properties": {
            "global": {"type": "object", "properties": {
                "imageRegistry": {"type": "string", "format": "hostname"},
                "storageClass": {"type": "string"}}}
        },
        "patternProperties": {"^service[0-9]+$": {"$ref": "#/$defs/service"}},
        "additionalProperties": false
    })
}
