//! One `Validator` shared by 8 threads gives exactly the reports a single thread gives.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use std::sync::Arc;

use cce_release::{Kind, Report, Validator};

/// 10,000 mixed payloads: every fixture (valid and invalid), and variations of them.
fn payloads() -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    for dir in ["valid", "invalid"] {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/").to_owned() + dir;
        for entry in std::fs::read_dir(path).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                seeds.push(std::fs::read(path).unwrap());
            }
        }
    }
    seeds.sort();
    let mut out = Vec::with_capacity(10_000);
    let mut i = 0usize;
    while out.len() < 10_000 {
        let mut bytes = seeds[i % seeds.len()].clone();
        // Every third one gets a byte changed, somewhere different each time.
        if i % 3 == 1 && !bytes.is_empty() {
            let at = (i * 7919) % bytes.len();
            bytes[at] = b"x{\"0:,]"[i % 7];
        }
        out.push(bytes);
        i += 1;
    }
    out
}

#[test]
fn eight_threads_sharing_one_validator_give_the_single_thread_reports() {
    let validator = Arc::new(
        Validator::new(Kind::CreateRequest).cluster_id("7378a198-a3fe-11eb-ad37-0255ac100b07"),
    );
    let payloads = Arc::new(payloads());
    let expected: Vec<Report> = payloads
        .iter()
        .map(|p| validator.validate_bytes(p))
        .collect();
    assert!(expected.iter().any(Report::is_valid) && expected.iter().any(|r| !r.is_valid()));

    let threads: Vec<_> = (0..8)
        .map(|t| {
            let validator = Arc::clone(&validator);
            let payloads = Arc::clone(&payloads);
            std::thread::spawn(move || {
                // Each thread walks all payloads from a different starting point.
                let n = payloads.len();
                (0..n)
                    .map(|k| {
                        let i = (k + t * n / 8) % n;
                        (i, validator.validate_bytes(&payloads[i]))
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for thread in threads {
        for (i, report) in thread.join().unwrap() {
            assert_eq!(report, expected[i], "payload {i}");
        }
    }
}
