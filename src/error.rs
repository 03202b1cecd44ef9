//! Failures to run. A payload that breaks a rule is never an [`Error`]: it is a finding in a
//! [`Report`](crate::Report).

/// Something kept the validator from running: an unusable chart schema, a chart that cannot be
/// read or loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A chart's `values.schema.json` is not JSON.
    #[error("the values schema is not valid JSON: {0}")]
    ValuesSchemaJson(#[source] serde_json::Error),
    /// A chart's `values.schema.json` is JSON but not a schema the validator can use.
    #[error("the values schema cannot be used: {0}")]
    ValuesSchema(String),
    /// A chart that cannot be used: unreadable, not a chart, an archive that breaks the limits
    /// or tries to write outside itself, a `Chart.yaml` or `values.yaml` Helm would refuse.
    #[error("the chart cannot be used: {0}")]
    Chart(String),
}
