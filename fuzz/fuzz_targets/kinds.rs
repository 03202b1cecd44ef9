//! `validate_bytes` of every kind on arbitrary bytes (see `common/kind.rs`): the first byte
//! picks the kind in `Kind::ALL`, so a kind added to the table is fuzzed without a new target.
#![no_main]

#[path = "../common/kind.rs"]
mod kind;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, payload)) = data.split_first() else {
        return;
    };
    let kinds = cce_release::Kind::ALL;
    kind::check(kinds[usize::from(pick) % kinds.len()], payload);
});
