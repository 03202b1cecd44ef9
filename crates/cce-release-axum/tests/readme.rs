//! The top-level README's server example (marked `ignore` there: the library that runs that
//! README's examples does not depend on axum) is the one this crate's README runs as a doc test.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

/// The bodies of the code blocks whose info string is `info`.
fn blocks<'a>(text: &'a str, info: &str) -> Vec<&'a str> {
    let open = format!("```{info}\n");
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(&open) {
        let body = &rest[start + open.len()..];
        let end = body.find("```\n").unwrap();
        found.push(&body[..end]);
        rest = &body[end..];
    }
    found
}

#[test]
fn the_top_level_readmes_server_example_is_tested_here() {
    let root = include_str!("../../../README.md");
    let ours = include_str!("../README.md");
    let servers = &root[root.find("## Servers").unwrap()..];
    let servers = &servers[..servers[3..].find("\n## ").map_or(servers.len(), |i| i + 3)];
    let ignored = blocks(servers, "rust,ignore");
    assert_eq!(ignored.len(), 1, "the server section's Rust example");
    let tested = blocks(ours, "rust");
    for block in ignored {
        assert!(
            tested.contains(&block),
            "not in crates/cce-release-axum/README.md as a Rust block:\n{block}"
        );
    }
    // Nowhere else does the top-level README skip a Rust example.
    assert_eq!(blocks(root, "rust,ignore").len(), 1);
}
