//! What checking against a chart adds, on a realistic umbrella release:
//! `cargo run --release --example chart_overhead -- KIB [MODE]`.
//!
//! The chart: `platform` 12.4.0, with 48 subcharts `service0`…`service47` (each with defaults
//! of the shape of the values' blocks and a schema of a dozen keys: types, enums, patterns,
//! bounds, required members), `global` defaults and a root schema. The release: about KIB KiB of
//! the `large_payload` values (a block per service, `global`).
//!
//! MODE `compare` (default) validates the body 9 times each way and prints the medians:
//! without a chart, with the root schema only (`--values-schema`), with the chart. MODE `plain`
//! or `chart` validates once (for `/usr/bin/time -v`).
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

#[path = "../benches/support/mod.rs"]
mod support;

use std::time::Instant;

use cce_release::chart::{Chart, Dependency};
use cce_release::{Kind, Options, Validator};
use serde_json::{Value, json};

fn service_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["image", "replicaCount"],
        "properties": {
            "enabled": {"type": "boolean"},
            "replicaCount": {"type": "integer", "minimum": 0, "maximum": 100},
            "image": {"type": "object", "required": ["repository", "tag"], "properties": {
                "repository": {"type": "string", "pattern": "^[a-z0-9./_-]+$"},
                "tag": {"type": "string", "maxLength": 128},
                "pullPolicy": {"enum": ["Always", "IfNotPresent", "Never"]}}},
            "resources": {"type": "object", "properties": {
                "limits": {"$ref": "#/$defs/quantities"}, "requests": {"$ref": "#/$defs/quantities"}}},
            "service": {"type": "object", "properties": {
                "type": {"enum": ["ClusterIP", "NodePort", "LoadBalancer"]},
                "ports": {"type": "array", "items": {"type": "object", "required": ["port"],
                    "properties": {"port": {"type": "integer", "minimum": 1, "maximum": 65535}}}}}},
            "autoscaling": {"type": "object", "properties": {
                "enabled": {"type": "boolean"}, "minReplicas": {"type": "integer"},
                "maxReplicas": {"type": "integer"}, "targetCPU": {"type": "number"}}},
            "extraEnv": {"type": "array", "items": {"type": "object", "required": ["name"]}},
            "global": {"type": "object"}
        },
        "$defs": {"quantities": {"type": "object", "properties": {
            "cpu": {"type": "string", "pattern": "^[0-9]+m?$"},
            "memory": {"type": "string", "pattern": "^[0-9]+(Mi|Gi)$"}}}}
    })
}

fn chart() -> Chart {
    let defaults = support::large_values(48 * 2600);
    let mut root = Chart::new("platform", "12.4.0")
        .values(json!({"global": {"imageRegistry": "swr.example.com", "storageClass": "csi-disk"}}))
        .unwrap()
        .schema(
            &json!({"type": "object", "properties": {"global": {"type": "object", "properties": {
            "imageRegistry": {"type": "string"}, "storageClass": {"type": "string"}}}}}),
        )
        .unwrap();
    for i in 0..48 {
        let name = format!("service{i}");
        let block = defaults.get(&name).cloned().unwrap_or_else(|| json!({}));
        let sub = Chart::new(name.clone(), "1.0.0")
            .values(block)
            .unwrap()
            .schema(&service_schema())
            .unwrap();
        root = root.dependency(
            Dependency::new(name.clone()).condition(format!("{name}.enabled")),
            sub,
        );
    }
    root
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() {
    let kib: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(256);
    let mode = std::env::args().nth(2).unwrap_or_else(|| "compare".into());
    let body = support::large_body(kib * 1024);
    let plain = Validator::new(Kind::CreateRequest);
    let started = Instant::now();
    let chart = chart();
    let load = started.elapsed();
    let with_chart = Validator::with_options(
        Kind::CreateRequest,
        Options::default().chart(chart).unwrap(),
    );
    let schema_only = Validator::new(Kind::CreateRequest)
        .values_schema(&service_schema())
        .unwrap();
    match mode.as_str() {
        "plain" => println!("{} findings", plain.validate_bytes(&body).len()),
        "chart" => println!("{} findings", with_chart.validate_bytes(&body).len()),
        _ => {
            println!(
                "body {} bytes; chart built and compiled in {:.1} ms",
                body.len(),
                load.as_secs_f64() * 1e3
            );
            for (name, v) in [
                ("no chart", &plain),
                ("values schema only", &schema_only),
                ("chart", &with_chart),
            ] {
                let mut times = Vec::new();
                let mut findings = 0;
                for _ in 0..9 {
                    let t = Instant::now();
                    findings = v.validate_bytes(&body).len();
                    times.push(t.elapsed().as_secs_f64() * 1e3);
                }
                println!(
                    "{name:20} median {:8.2} ms  ({findings} findings)",
                    median(times)
                );
            }
        }
    }
}
