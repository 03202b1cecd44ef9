//! Loading charts: the fixture chart as a folder and as an archive, and hostile archives and
//! directories, each refused with a sentence or read within its limits.
#![cfg(feature = "chart")]

use std::io::Write;
use std::path::Path;

use cce_release::chart::{Chart, ChartCache, ChartLimits};
use cce_release::{Error, Kind, Options, Validator};
use serde_json::{Value, json};

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/charts")
        .join(name)
}

fn load(path: &Path) -> Chart {
    Chart::load(path).unwrap_or_else(|e| panic!("{e}"))
}

/// An archive of (path, bytes) entries, each a regular file.
fn archive(entries: &[(&str, &[u8])]) -> Vec<u8> {
    archive_with(entries, |_, _| {})
}

fn archive_with(entries: &[(&str, &[u8])], tweak: impl Fn(&str, &mut tar::Header)) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, data) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        tweak(name, &mut header);
        // Names are written raw, so that hostile ones reach the reader as they are.
        let raw = name.as_bytes();
        {
            let bytes = header.as_old_mut();
            bytes.name = [0; 100];
            bytes.name[..raw.len().min(100)].copy_from_slice(&raw[..raw.len().min(100)]);
        }
        header.set_cksum();
        builder
            .append(&header, *data)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let tar = builder.into_inner().unwrap_or_default();
    gzip(&tar)
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = gz.write_all(data);
    gz.finish().unwrap_or_default()
}

const CHART_YAML: &[u8] = b"apiVersion: v2\nname: x\nversion: 1.0.0\n";

fn refused(bytes: &[u8]) -> String {
    match Chart::from_archive(bytes) {
        Ok(chart) => panic!("loaded {chart:?}"),
        Err(Error::Chart(text)) => text,
        Err(other) => panic!("{other}"),
    }
}

#[test]
fn the_fixture_loads_the_same_as_a_folder_and_as_an_archive() {
    let folder = load(&fixture("koi"));
    let archive = load(&fixture("koi-3.0.1.tgz"));
    for chart in [&folder, &archive] {
        assert_eq!((chart.name(), chart.version()), ("koi", "3.0.1"));
        assert_eq!(chart.dependencies().len(), 2);
        assert_eq!(chart.dependencies()[0].key(), "cache");
        assert!(chart.has_schema());
        let mut subs: Vec<(&str, bool)> = chart
            .subcharts()
            .iter()
            .map(|s| (s.name(), s.has_schema()))
            .collect();
        subs.sort();
        assert_eq!(subs, [("metrics", true), ("redis", true)]);
        // `yes` is a boolean and `~` a null, as Helm reads YAML.
        assert_eq!(
            chart.default_values().pointer("/auth/enabled"),
            Some(&json!(true))
        );
        assert_eq!(
            chart.default_values().pointer("/auth/existingSecret"),
            Some(&Value::Null)
        );
    }
    let user = json!({"cache": {"port": 7000}, "global": {"env": "dev"}});
    let merged = folder.coalesce(&user).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(Some(&merged), archive.coalesce(&user).ok().as_ref());
    assert_eq!(merged.pointer("/cache/port"), Some(&json!(7000)));
    assert_eq!(
        merged.pointer("/cache/persistence/size"),
        Some(&json!("8Gi"))
    );
    assert_eq!(merged.pointer("/cache/global/env"), Some(&json!("dev")));
    assert_eq!(merged.pointer("/metrics/interval"), Some(&json!("30s")));
    // The tag disables the archived subchart; the condition the aliased one.
    let off = folder
        .coalesce(&json!({"tags": {"monitoring": false}, "cache": {"enabled": false}}))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(off.pointer("/metrics/interval"), None);
    assert_eq!(off.pointer("/cache/port"), None);
}

#[test]
fn the_cache_loads_once() {
    let cache = ChartCache::new();
    let a = cache
        .get(fixture("koi-3.0.1.tgz"))
        .unwrap_or_else(|e| panic!("{e}"));
    let b = cache
        .get(fixture("koi-3.0.1.tgz"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    assert!(cache.get(fixture("nothing-here.tgz")).is_err());
}

#[test]
fn archives_cannot_reach_outside_the_chart() {
    for (name, expected) in [
        ("x/../../etc/passwd", "parent directory"),
        ("x//etc/passwd", "absolute path"),
        ("Chart.yaml", "outside the chart's directory"),
        ("Chart.yaml/x", "not in the chart's directory"),
        ("x/c:/windows", "drive"),
        ("x", "outside the chart's directory"),
    ] {
        let bytes = archive(&[("x/Chart.yaml", CHART_YAML), (name, b"data")]);
        let text = refused(&bytes);
        assert!(text.contains(expected), "{name}: {text}");
    }
}

#[test]
fn links_in_archives_are_never_followed() {
    let bytes = archive_with(
        &[("x/Chart.yaml", CHART_YAML), ("x/values.yaml", b"")],
        |name, header| {
            if name.ends_with("values.yaml") {
                header.set_entry_type(tar::EntryType::Symlink);
                let _ = header.set_link_name("/etc/passwd");
            }
        },
    );
    let chart = Chart::from_archive(&bytes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(chart.default_values(), &json!({}));
}

#[test]
fn archives_are_bounded() {
    // A file over the per-file limit, compressed to almost nothing.
    let zeros = vec![0u8; 6 << 20];
    let text = refused(&archive(&[("x/Chart.yaml", CHART_YAML), ("x/big", &zeros)]));
    assert!(text.contains("bytes a chart's file may have"), "{text}");
    // Many files within the per-file limit, over the total.
    let limits = ChartLimits {
        total_bytes: 1 << 20,
        ..ChartLimits::default()
    };
    let chunk = vec![b'a'; 300 << 10];
    let entries: Vec<(String, &[u8])> = (0..5).map(|i| (format!("x/f{i}"), &chunk[..])).collect();
    let mut all: Vec<(&str, &[u8])> = vec![("x/Chart.yaml", CHART_YAML)];
    all.extend(entries.iter().map(|(n, d)| (n.as_str(), *d)));
    let text = match Chart::from_archive_with(&archive(&all), limits) {
        Err(Error::Chart(text)) => text,
        other => panic!("{other:?}"),
    };
    assert!(text.contains("decompress to more than"), "{text}");
    // Too many files.
    let limits = ChartLimits {
        files: 10,
        ..ChartLimits::default()
    };
    let names: Vec<String> = (0..20).map(|i| format!("x/f{i}")).collect();
    let mut all: Vec<(&str, &[u8])> = vec![("x/Chart.yaml", CHART_YAML)];
    all.extend(names.iter().map(|n| (n.as_str(), &b""[..])));
    assert!(Chart::from_archive_with(&archive(&all), limits).is_err());
    // Not an archive at all.
    assert!(refused(b"apiVersion: v2\n").contains("not a gzipped archive"));
    assert!(refused(&gzip(b"not a tar")).len() > 5);
}

#[test]
fn nested_archives_are_bounded_in_depth() {
    let mut inner = archive(&[("c/Chart.yaml", b"apiVersion: v2\nname: c\nversion: 1.0.0\n")]);
    for _ in 0..20 {
        inner = archive(&[
            ("c/Chart.yaml", b"apiVersion: v2\nname: c\nversion: 1.0.0\n"),
            ("c/charts/c.tgz", &inner),
        ]);
    }
    let text = refused(&inner);
    assert!(text.contains("nested deeper"), "{text}");
}

#[test]
fn charts_helm_refuses_are_errors() {
    for (files, expected) in [
        (
            vec![("x/values.yaml", &b"a: 1"[..])],
            "Chart.yaml file is missing",
        ),
        (
            vec![("x/Chart.yaml", &b"name: x\n"[..])],
            "version is required",
        ),
        (
            vec![(
                "x/Chart.yaml",
                &b"apiVersion: v3\nname: x\nversion: 1.0.0"[..],
            )],
            "apiVersion",
        ),
        (
            vec![(
                "x/Chart.yaml",
                &b"apiVersion: v2\nname: x\nversion: banana"[..],
            )],
            "invalid",
        ),
        (
            vec![("x/Chart.yaml", CHART_YAML), ("x/values.yaml", b"- a list")],
            "does not hold a map",
        ),
        (
            vec![("x/Chart.yaml", CHART_YAML), ("x/values.yaml", b"a: [")],
            "invalid YAML",
        ),
        (
            vec![("x/Chart.yaml", CHART_YAML), ("x/values.schema.json", b"{")],
            "not valid JSON",
        ),
        (
            vec![("x/Chart.yaml", CHART_YAML), ("x/charts/README.md", b"hi")],
            "Chart.yaml file is missing",
        ),
    ] {
        let text = refused(&archive(&files));
        assert!(text.contains(expected), "{expected}: {text}");
    }
    // An alias bomb in values.yaml stops at the budget.
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let text = refused(&archive(&[
        ("x/Chart.yaml", CHART_YAML),
        ("x/values.yaml", bomb.as_bytes()),
    ]));
    assert!(text.contains("expand"), "{text}");
}

#[cfg(unix)]
#[test]
fn directories_keep_links_inside_and_read_regular_files_only() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let chart = dir.path().join("c");
    std::fs::create_dir_all(chart.join("templates")).unwrap_or_default();
    std::fs::write(chart.join("Chart.yaml"), CHART_YAML).unwrap_or_default();
    std::fs::write(dir.path().join("secret.txt"), "s3cr3t").unwrap_or_default();
    std::fs::write(chart.join("inside.yaml"), "a: 1").unwrap_or_default();
    // A link inside the chart is followed.
    std::os::unix::fs::symlink(chart.join("inside.yaml"), chart.join("values.yaml"))
        .unwrap_or_default();
    let loaded = load(&chart);
    assert_eq!(loaded.default_values(), &json!({"a": 1}));
    // A link out of it is an error.
    std::os::unix::fs::symlink(
        dir.path().join("secret.txt"),
        chart.join("templates/leak.yaml"),
    )
    .unwrap_or_default();
    let text = Chart::load(&chart)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(text.contains("outside the chart's directory"), "{text}");
    assert!(!text.contains("s3cr3t"));
    std::fs::remove_file(chart.join("templates/leak.yaml")).unwrap_or_default();
    // .helmignore keeps it out instead.
    std::fs::write(chart.join(".helmignore"), "*.tmp\n").unwrap_or_default();
    std::os::unix::fs::symlink(dir.path().join("secret.txt"), chart.join("leak.tmp"))
        .unwrap_or_default();
    assert!(Chart::load(&chart).is_ok());
    // A pipe is not read (reading it would block).
    let fifo = chart.join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let text = Chart::load(&chart)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(text.contains("not a regular file"), "{text}");
    }
}

#[test]
fn the_validator_takes_a_loaded_chart() {
    let chart = load(&fixture("koi-3.0.1.tgz"));
    let v = Validator::with_options(
        Kind::CreateRequest,
        Options::default()
            .chart(chart)
            .unwrap_or_else(|e| panic!("{e}")),
    );
    let body = br#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi",
      "namespace": "default", "version": "3.0.1", "values": {"image": {"pullPolicy": null}}}"#;
    assert!(
        v.validate_bytes(body).is_empty(),
        "{}",
        v.validate_bytes(body)
    );
}
