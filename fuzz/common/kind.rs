//! The one property every per-kind target checks: `validate_bytes` of a kind on arbitrary
//! bytes never panics, every finding of a text input has a position, and the report of the
//! bytes agrees with the report of their parsed value, except where only the text can tell
//! (repeated keys, a byte-order mark, invalid JSON).

use cce_release::{Code, Kind, Validator};

pub fn check(kind: Kind, data: &[u8]) {
    for strict in [false, true] {
        let validator = Validator::new(kind).strict(strict);
        let report = validator.validate_bytes(data);
        for d in &report {
            if d.code != Code::InputTooLarge {
                assert!(d.line.is_some() && d.column.is_some(), "{d:?}");
            }
            assert!(!d.message.is_empty());
        }
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
            let text_only = report.iter().any(|d| {
                matches!(d.code, Code::DuplicateKey | Code::ByteOrderMark | Code::InvalidJson)
            });
            if !text_only {
                assert_eq!(validator.validate_value(&value).is_valid(), report.is_valid());
            }
        }
    }
}
