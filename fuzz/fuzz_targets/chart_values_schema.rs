//! A chart's `values.schema.json` is untrusted input too: arbitrary JSON as a schema must give a
//! validator or a clear error, and then validate a body without panicking.
#![no_main]

use cce_release::{Kind, Validator};
use libfuzzer_sys::fuzz_target;

const BODY: &[u8] = br#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "a", "namespace": "b",
  "version": "1.0.0", "values": {"replicas": 3, "image": {"tag": "x"}, "list": [1, "a", null], "s": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"}}"#;

fuzz_target!(|data: &[u8]| {
    if let Ok(schema) = serde_json::from_slice::<serde_json::Value>(data) {
        match Validator::new(Kind::CreateRequest).values_schema(&schema) {
            Ok(validator) => {
                let _ = validator.validate_bytes(BODY);
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
});
