//! The rule pass: what the schema cannot say. One file per rule family; each rule skips values
//! of the wrong type (the schema pass has reported them) and never fails on any input.

mod cluster;
mod parameters;
mod status;
mod values;
mod version;

use serde_json::Value;

use super::{Finding, Options};
use crate::Kind;

/// What the rules may look at besides the payload.
pub(crate) struct Context<'a> {
    pub kind: Kind,
    pub options: &'a Options,
    /// Length of the source text, when there is one (lets `values` skip measuring itself).
    pub input_len: Option<usize>,
    /// The compact size of `values`, when the parser measured it while skimming.
    pub values_size: Option<usize>,
}

pub(crate) fn check(cx: &Context<'_>, value: &Value, out: &mut Vec<Finding>) {
    cluster::check(cx, value, out);
    match cx.kind {
        Kind::CreateRequest => {
            version::check(value, out);
            parameters::check_create(value, out);
            values::check(cx, value, out);
        }
        Kind::UpdateRequest => {
            parameters::check_update(value, out);
            values::check(cx, value, out);
        }
        Kind::ReleaseList => status::check(value, out),
        Kind::CreateResponse | Kind::Release | Kind::DeleteResponse | Kind::Error => {}
    }
}
