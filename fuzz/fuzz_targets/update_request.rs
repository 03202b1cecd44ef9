//! `validate_bytes` of the `update_request` kind on arbitrary bytes: it must never panic, every finding
//! of a text input has a position, and the typed path agrees with the report's verdict.
#![no_main]

use cce_release::{Kind, Validator};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for strict in [false, true] {
        let validator = Validator::new(Kind::UpdateRequest).strict(strict);
        let report = validator.validate_bytes(data);
        for d in &report {
            if d.code != cce_release::Code::InputTooLarge {
                assert!(d.line.is_some() && d.column.is_some(), "{d:?}");
            }
            assert!(!d.message.is_empty());
        }
        // The report of the bytes and of their parsed value agree on validity, except where
        // only the text can tell (repeated keys, a byte-order mark, invalid JSON).
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
            let text_only = report.iter().any(|d| {
                matches!(d.code.as_str(), "duplicate_key" | "byte_order_mark" | "invalid_json")
            });
            if !text_only {
                assert_eq!(validator.validate_value(&value).is_valid(), report.is_valid());
            }
        }
    }
});
