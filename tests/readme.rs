//! The README's codes table lists every code with its default severity, and nothing else.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use cce_release::{Code, Severity};

#[test]
fn readme_codes_table_matches_the_codes() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let rows: Vec<(String, String)> = readme
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let code = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            code.parse::<Code>().ok()?;
            Some((code.to_owned(), cells.get(2)?.to_string()))
        })
        .collect();
    let listed: Vec<&str> = rows.iter().map(|(c, _)| c.as_str()).collect();
    let all: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(listed, all, "README codes table");
    for (code, severity) in &rows {
        let code: Code = code.parse().unwrap();
        let expected = match code.default_severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
            _ => unreachable!(),
        };
        assert!(severity.starts_with(expected), "{code}: {severity}");
    }
}
