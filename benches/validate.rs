//! The validator against its floor, parsing. Every group reports its baseline in the same run:
//! `parse` is `serde_json::from_slice::<Value>` of the same bytes.

mod support;

use std::hint::black_box;

use cce_release::{CreateReleaseBody, Kind, Validator};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::Value;

fn example_request(c: &mut Criterion) {
    let validator = Validator::new(Kind::CreateRequest);
    let mut g = c.benchmark_group("example_request");
    g.throughput(Throughput::Bytes(support::EXAMPLE.len() as u64));
    g.bench_function("parse", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(support::EXAMPLE)))
    });
    g.bench_function("validate_bytes", |b| {
        b.iter(|| validator.validate_bytes(black_box(support::EXAMPLE)))
    });
    let typed = Validator::<CreateReleaseBody>::of();
    g.bench_function("parse_typed", |b| {
        b.iter(|| typed.parse(black_box(support::EXAMPLE)))
    });
    g.finish();
}

fn seven_findings(c: &mut Criterion) {
    let validator = Validator::new(Kind::CreateRequest);
    assert_eq!(validator.validate_bytes(support::SEVEN_FINDINGS).len(), 7);
    let mut g = c.benchmark_group("seven_findings");
    g.bench_function("parse", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(support::SEVEN_FINDINGS)))
    });
    g.bench_function("validate_bytes", |b| {
        b.iter(|| validator.validate_bytes(black_box(support::SEVEN_FINDINGS)))
    });
    g.finish();
}

fn large_values(c: &mut Criterion) {
    let body = support::large_body(10 * 1024 * 1024);
    let validator = Validator::new(Kind::CreateRequest);
    assert!(validator.validate_bytes(&body).is_valid());
    let mut g = c.benchmark_group("values_10mib");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("parse", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(&body)))
    });
    g.bench_function("validate_bytes", |b| {
        b.iter(|| validator.validate_bytes(black_box(&body)))
    });
    g.finish();
}

fn build(c: &mut Criterion) {
    let mut g = c.benchmark_group("build");
    // What every later use pays: the compiled schema is shared.
    g.bench_function("validator_new_reused", |b| {
        b.iter(|| Validator::new(black_box(Kind::CreateRequest)))
    });
    g.finish();
}

criterion_group!(
    benches,
    example_request,
    seven_findings,
    large_values,
    build
);
criterion_main!(benches);
