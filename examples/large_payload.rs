//! Writes a valid create-release body with about N MiB of realistic Helm values to stdout
//! (default 10): `cargo run --release --example large_payload -- 10 > big.json`.
//! Used to measure the linter's time and peak memory on large input (see the README).
#![allow(clippy::print_stdout)]

#[path = "../benches/support/mod.rs"]
mod support;

use std::io::Write;

fn main() {
    let mib: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10);
    let body = support::large_body(mib * 1024 * 1024);
    let _ = std::io::stdout().write_all(&body);
}
