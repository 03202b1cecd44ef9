//! Typed models of the release API's bodies.
//!
//! The models are the single source of truth: their serde attributes say what goes on the wire,
//! their schemars attributes and `///` docs become the committed JSON Schemas (see
//! [`crate::schema`]). Every constraint comes from [`constraints`], which cites its source.

pub mod constraints;
mod error_body;
mod request;
mod response;
mod update;

pub use error_body::ApiError;
pub use request::{CreateReleaseBody, ImagePullPolicy, ReleaseParameters, ReleaseValues};
pub use response::{DeleteResponse, Release, ReleaseStatus};
pub use update::{UpdateAction, UpdateReleaseBody};

/// `with_*` builder methods that set optional members: `with_dry_run(true)` sets
/// `dry_run: Some(true)`.
macro_rules! with_setters {
    ($type:ty { $($(#[$doc:meta])* $method:ident => $field:ident: $value:ty),* $(,)? }) => {
        impl $type {
            $(
                $(#[$doc])*
                #[must_use]
                pub fn $method(mut self, value: impl Into<$value>) -> Self {
                    self.$field = Some(value.into());
                    self
                }
            )*
        }
    };
}
pub(crate) use with_setters;

/// The schema of a string enumeration: `{"type": "string", "enum": [...]}`. (schemars' derive
/// writes a `oneOf` of `const`s when variants have docs, which reports a wrong value as "fits
/// none of the alternatives" instead of "not one of these".)
fn string_enum<'a>(description: &str, values: impl Iterator<Item = &'a str>) -> schemars::Schema {
    let values: Vec<&str> = values.collect();
    schemars::json_schema!({
        "type": "string",
        "enum": values,
        "description": description,
    })
}

/// Deserializes an optional JSON integer into an `i32`.
///
/// JSON has one number type, and JSON Schema's `integer` is any number with a zero fractional
/// part, so `3.0` is the integer 3 for the committed schemas (and for Ajv and Python
/// `jsonschema`). The typed models agree with them rather than with serde's stricter default.
pub(crate) mod json_int {
    use serde::{Deserialize, Deserializer, de::Error};
    use serde_json::Number;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
        let Some(number) = Option::<Number>::deserialize(d)? else {
            return Ok(None);
        };
        let as_i64 = number.as_i64().or_else(|| {
            number
                .as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() <= i64::MAX as f64)
                .map(|f| f as i64)
        });
        as_i64
            .and_then(|i| i32::try_from(i).ok())
            .map(Some)
            .ok_or_else(|| D::Error::custom(format!("{number} is not a 32-bit integer")))
    }
}
