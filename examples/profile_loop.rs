//! Validates one payload file many times, for profilers (`valgrind --tool=callgrind`):
//! `cargo build --release --example profile_loop && valgrind --tool=callgrind target/release/examples/profile_loop FILE 2000`.
//! A third argument `parse` only parses (the baseline): instruction counts of the two runs, minus
//! a run with 0 iterations, compare the validator with its floor on a noisy machine.
#![allow(clippy::print_stdout)]

use cce_release::{Kind, Validator};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "examples/create-release.json".to_owned());
    let times: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let bytes = std::fs::read(&path).unwrap_or_default();
    let parse_only = args.next().is_some_and(|a| a == "parse");
    let validator = Validator::new(Kind::CreateRequest);
    // Compile the schemas before the loop, so that a 0-iteration run counts the fixed costs.
    let mut findings = validator.validate_bytes(b"{}").len();
    for _ in 0..times {
        if parse_only {
            let value = serde_json::from_slice::<serde_json::Value>(std::hint::black_box(&bytes));
            findings += usize::from(value.is_ok());
        } else {
            findings += validator.validate_bytes(std::hint::black_box(&bytes)).len();
        }
    }
    println!("{findings} findings");
}
