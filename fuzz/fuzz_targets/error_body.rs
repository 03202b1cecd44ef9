//! `validate_bytes` of the `error_body` kind on arbitrary bytes (see `common/kind.rs`).
#![no_main]

#[path = "../common/kind.rs"]
mod kind;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kind::check(cce_release::Kind::Error, data));
