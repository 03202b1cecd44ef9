//! Hostile charts: each gives a clear error or finding within its documented limits, under an
//! allocation cap enforced by this test binary's allocator (an allocation past it fails and
//! aborts the test). What is refused while loading is `Error::Chart` with a sentence naming the
//! limit; what is bounded while validating is one `values_schema_budget` finding. Time is
//! measured by the hostile-input scripts, never here; the step budget is counted, not timed.
#![cfg(feature = "chart")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use std::alloc::System;
use std::io::{self, Read, Write};

use cap::Cap;
use cce_release::chart::{Chart, ChartLimits, Dependency};
use cce_release::{Code, Error, Kind, Report, Validator};
use serde_json::{Map, Value, json};

#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

/// The allocation limit is the whole process's: tests that set it run one at a time.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
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

const CHART_YAML: &[u8] = b"apiVersion: v2\nname: x\nversion: 1.0.0\n";

/// A gzipped tar of entries, each a regular file read from its reader (so that a huge entry
/// never sits in memory while the archive is made).
fn archive(entries: Vec<(String, u64, Box<dyn Read>)>) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut builder = tar::Builder::new(gz);
    for (name, size, data) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(size);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_path(&name).unwrap();
        header.set_cksum();
        builder.append(&header, data).unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap()
}

fn file(name: &str, data: &[u8]) -> (String, u64, Box<dyn Read>) {
    (
        name.to_owned(),
        data.len() as u64,
        Box::new(io::Cursor::new(data.to_vec())),
    )
}

fn refused(bytes: &[u8], mib: usize) -> String {
    match within(mib, || Chart::from_archive(bytes)) {
        Ok(chart) => panic!("loaded {chart:?}"),
        Err(Error::Chart(text)) => text,
        Err(other) => panic!("{other}"),
    }
}

fn body(values: Value) -> String {
    json!({"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "a", "namespace": "b",
           "version": "1.0.0", "values": values})
    .to_string()
}

fn codes(report: &Report) -> Vec<(Code, &str)> {
    report
        .iter()
        .map(|d| (d.code, d.pointer.as_str()))
        .collect()
}

#[test]
fn a_gzip_bomb_is_refused_at_the_file_limit_without_being_inflated() {
    let _serial = serial();
    // 256 MiB of zeros, compressed to some 250 KB.
    let size = 256u64 << 20;
    let bytes = archive(vec![
        file("x/Chart.yaml", CHART_YAML),
        (
            "x/values.yaml".into(),
            size,
            Box::new(io::repeat(b' ').take(size)),
        ),
    ]);
    assert!(bytes.len() < 2 << 20, "{}", bytes.len());
    let text = refused(&bytes, 16);
    assert!(text.contains("bytes a chart's file may have"), "{text}");
    // Many files each under the file limit: stopped at the total (lowered to 16 MiB here; the
    // files read are kept, and those Helm stores with a revision copied once more).
    let limits = ChartLimits {
        total_bytes: 16 << 20,
        ..ChartLimits::default()
    };
    let chunk = 4u64 << 20;
    let entries = (0..40)
        .map(|i| -> (String, u64, Box<dyn Read>) {
            (
                format!("x/f{i}"),
                chunk,
                Box::new(io::repeat(b'a').take(chunk)),
            )
        })
        .chain([file("x/Chart.yaml", CHART_YAML)])
        .collect();
    let bytes = archive(entries);
    match within(48, || Chart::from_archive_with(&bytes, limits)) {
        Err(Error::Chart(text)) => assert!(text.contains("decompress to more than"), "{text}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_archive_over_the_size_limit_is_refused_before_it_is_read() {
    let _serial = serial();
    let dir = std::env::temp_dir().join(format!("cce-chart-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.tgz");
    // A sparse file past the 32 MiB an archive may have.
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(40 << 20).unwrap();
    drop(f);
    let result = within(4, || Chart::load(&path));
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Err(Error::Chart(text)) => assert!(text.contains("bytes"), "{text}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn paths_out_of_the_chart_are_refused() {
    let _serial = serial();
    // (`/etc/passwd` alone is read as Helm reads it: its first component, empty, is the chart's
    // directory, and the file is the chart's own `etc/passwd`; nothing is ever written.)
    for name in ["x/../../etc/passwd", "x//etc/passwd", "x/charts/../../../y"] {
        let mut raw = tar::Header::new_gnu();
        raw.set_size(4);
        raw.set_mode(0o644);
        raw.set_entry_type(tar::EntryType::Regular);
        {
            let bytes = raw.as_old_mut();
            bytes.name = [0; 100];
            bytes.name[..name.len()].copy_from_slice(name.as_bytes());
        }
        raw.set_cksum();
        let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let mut builder = tar::Builder::new(gz);
        let mut header = tar::Header::new_gnu();
        header.set_size(CHART_YAML.len() as u64);
        header.set_mode(0o644);
        header.set_path("x/Chart.yaml").unwrap();
        header.set_cksum();
        builder.append(&header, CHART_YAML).unwrap();
        builder.append(&raw, &b"data"[..]).unwrap();
        let bytes = builder.into_inner().unwrap().finish().unwrap();
        match within(4, || Chart::from_archive(&bytes)) {
            Err(Error::Chart(text)) => assert!(
                text.contains("parent directory") || text.contains("absolute path"),
                "{name}: {text}"
            ),
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn thousands_of_subcharts_are_refused_at_the_chart_limit() {
    let _serial = serial();
    let mut entries = vec![file("x/Chart.yaml", CHART_YAML)];
    let yamls: Vec<String> = (0..2000)
        .map(|i| format!("apiVersion: v2\nname: s{i}\nversion: 1.0.0\n"))
        .collect();
    for (i, yaml) in yamls.iter().enumerate() {
        entries.push(file(&format!("x/charts/s{i}/Chart.yaml"), yaml.as_bytes()));
    }
    let text = refused(&archive(entries), 32);
    assert!(text.contains("256"), "{text}");
}

#[test]
fn a_yaml_alias_bomb_and_deep_yaml_are_refused() {
    let _serial = serial();
    // Ten levels of ten aliases each: 10^10 values if expanded.
    let mut yaml = String::from("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        yaml.push_str(&format!(
            "l{i}: &l{i} [*l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}]\n"
        ));
    }
    let bytes = archive(vec![
        file("x/Chart.yaml", CHART_YAML),
        file("x/values.yaml", yaml.as_bytes()),
    ]);
    let text = refused(&bytes, 128);
    assert!(text.contains("values.yaml"), "{text}");
    assert!(text.contains("1000000"), "{text}");
    // Nesting far deeper than a stack could recurse.
    let deep = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let bytes = archive(vec![
        file("x/Chart.yaml", CHART_YAML),
        file("x/values.yaml", deep.as_bytes()),
    ]);
    let text = refused(&bytes, 16);
    assert!(
        text.contains("nesting deeper") || text.contains("recursion limit"),
        "{text}"
    );
}

/// `d0` is `anyOf [d1, d1]`, and so on: deciding validity doubles with each level.
fn exponential_schema(depth: usize) -> Value {
    let mut defs = Map::new();
    for i in 0..depth {
        let next = json!({"$ref": format!("#/$defs/d{}", i + 1)});
        defs.insert(format!("d{i}"), json!({"anyOf": [next, next]}));
    }
    defs.insert(format!("d{depth}"), json!({"type": "string"}));
    json!({"$defs": defs, "properties": {"v": {"$ref": "#/$defs/d0"}}})
}

#[test]
fn an_exponential_subchart_schema_is_one_budget_finding_where_its_values_are() {
    let _serial = serial();
    let sub = Chart::new("sub", "1.0.0")
        .schema(&exponential_schema(40))
        .unwrap();
    // A hundred more subcharts with the same schema: one budget for all of them.
    let mut chart = Chart::new("x", "1.0.0").dependency(Dependency::new("sub"), sub.clone());
    for i in 0..100 {
        chart = chart.dependency(Dependency::new("sub").alias(format!("s{i}")), sub.clone());
    }
    let validator = Validator::new(Kind::CreateRequest).chart(chart).unwrap();
    let mut values = Map::new();
    values.insert("sub".into(), json!({"v": 1}));
    for i in 0..100 {
        values.insert(format!("s{i}"), json!({"v": 1}));
    }
    let text = body(Value::Object(values));
    let report = within(64, || validator.validate_bytes(text.as_bytes()));
    assert_eq!(codes(&report), [(Code::ValuesSchemaBudget, "/values/sub")]);
    assert!(!report.is_valid());
}

#[test]
fn a_large_global_over_many_subcharts_is_one_budget_finding() {
    let _serial = serial();
    let mut chart = Chart::new("x", "1.0.0");
    for i in 0..200 {
        chart = chart.dependency(
            Dependency::new(format!("s{i}")),
            Chart::new(format!("s{i}"), "1.0.0")
                .schema(&json!({"type": "object"}))
                .unwrap(),
        );
    }
    let validator = Validator::new(Kind::CreateRequest).chart(chart).unwrap();
    // 8,000 values of `global`, copied into each of 200 subcharts: 1.6 million values.
    let global: Vec<u32> = (0..8000).collect();
    let text = body(json!({"global": {"list": global}}));
    // At most 2^20 coalesced values are built (some 32 MiB), then none.
    let report = within(96, || validator.validate_bytes(text.as_bytes()));
    assert_eq!(codes(&report), [(Code::ValuesSchemaBudget, "/values")]);
    assert!(
        report.diagnostics()[0]
            .message
            .contains("values coalesced with the chart's defaults"),
        "{}",
        report.diagnostics()[0].message
    );
    // A quarter of it is checked in full.
    let global: Vec<u32> = (0..2000).collect();
    let text = body(json!({"global": {"list": global}}));
    let report = within(96, || validator.validate_bytes(text.as_bytes()));
    assert!(report.is_empty(), "{:?}", codes(&report));
}

#[test]
fn the_limits_can_be_lowered() {
    let _serial = serial();
    let limits = ChartLimits {
        yaml_values: 100,
        ..ChartLimits::default()
    };
    let yaml: String = (0..200).map(|i| format!("k{i}: {i}\n")).collect();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut builder = tar::Builder::new(&mut gz);
    for (name, data) in [
        ("x/Chart.yaml", CHART_YAML),
        ("x/values.yaml", yaml.as_bytes()),
    ] {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_path(name).unwrap();
        header.set_cksum();
        builder.append(&header, data).unwrap();
    }
    builder.finish().unwrap();
    drop(builder);
    let bytes = gz.finish().unwrap();
    let _ = io::sink().write_all(&bytes);
    match Chart::from_archive_with(&bytes, limits) {
        Err(Error::Chart(text)) => assert!(text.contains("100"), "{text}"),
        other => panic!("{other:?}"),
    }
}
