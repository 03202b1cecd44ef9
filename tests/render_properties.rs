//! The renderers' property (`fuzz/common/render.rs`, also the `render_formats` fuzz target) over
//! generated findings and source text: bytes that are mostly JSON with hostile characters in
//! them, and arbitrary bytes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

#[path = "../fuzz/common/render.rs"]
mod render;

use proptest::prelude::*;

/// Pieces of payloads: JSON punctuation, long runs, wide characters, and every character the
/// channels must escape.
fn piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"{\"name\": \"Koi\", ".to_vec()),
        Just(b"\"values\": {\"token\": \"abc\"}, ".to_vec()),
        Just(b"\"extra\": [1, 2, {\"x\": null}], ".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\t".to_vec()),
        Just(vec![0]),
        Just("\u{1b}[2J\u{7}\u{7f}\u{85}\u{9b}".as_bytes().to_vec()),
        Just(
            "\u{202e}\u{2066}\u{200f}\u{61c}\u{2028}"
                .as_bytes()
                .to_vec()
        ),
        Just("名前é\u{301}\u{feff}".as_bytes().to_vec()),
        Just(b"::error file=x::forged%0A,:".to_vec()),
        (1usize..400).prop_map(|n| vec![b'x'; n]),
        proptest::collection::vec(any::<u8>(), 0..16),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn every_format_is_well_formed_over_payload_like_bytes(
        pieces in proptest::collection::vec(piece(), 0..40)
    ) {
        render::check(&pieces.concat());
    }

    #[test]
    fn every_format_is_well_formed_over_arbitrary_bytes(
        data in proptest::collection::vec(any::<u8>(), 0..512)
    ) {
        render::check(&data);
    }
}
