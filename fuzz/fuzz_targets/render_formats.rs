//! Every output format over arbitrary findings and source text (see `common/render.rs`): each
//! line well formed for its channel, no raw control or bidi character, JSON and SARIF valid.
#![no_main]

#[path = "../common/render.rs"]
mod render;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| render::check(data));
