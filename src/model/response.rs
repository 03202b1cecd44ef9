//! The release object that create (201), show and update (200) return, the list that list and
//! history return, and the answer to a delete.

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::constraints::CHART_FIELD_MAX;

/// A Helm release as the API returns it. Every member is optional.
///
/// Note the types: `parameters`, `values` and `resources` are JSON **text** in a string, not
/// objects, and `version` is the release's Helm **revision** (an integer), not the chart version.
///
/// A status outside the documented eight (a history may show others) is kept in
/// [`unrecognized_status`](Self::unrecognized_status) and written back as it came; only a release
/// list accepts one (with an `unknown_status` warning).
#[derive(Debug, Clone, Default, PartialEq, JsonSchema)]
#[schemars(
    title = "Release",
    description = "A Helm release as the API returns it. Every member is optional.\n\nNote the types: \
                   `parameters`, `values` and `resources` are JSON **text** in a string, not\nobjects, \
                   and `version` is the release's Helm **revision** (an integer), not the chart version.",
    extend("additionalProperties" = false)
)]
#[non_exhaustive]
pub struct Release {
    /// Name of the chart the release was installed from (at most 64 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = CHART_FIELD_MAX))]
    pub chart_name: Option<String>,
    /// Whether the chart is public.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart_public: Option<bool>,
    /// Version of the chart (at most 64 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = CHART_FIELD_MAX))]
    pub chart_version: Option<String>,
    /// ID of the cluster the release runs in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<String>,
    /// Name of the cluster the release runs in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_name: Option<String>,
    /// When the release was created, such as `2021-05-12T07:11:42Z` (the format is not published).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_at: Option<String>,
    /// Release description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Release name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Namespace of the release.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The release's parameters, as JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<String>,
    /// Resources of the release, as JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<String>,
    /// Release status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ReleaseStatus>,
    /// Human-readable detail of the status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_description: Option<String>,
    /// When the release was last updated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_at: Option<String>,
    /// The release's values, as JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<String>,
    /// Helm revision of the release (an int32).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = i32::MIN, max = i32::MAX))]
    pub version: Option<i32>,
    /// A `status` that is not one of [`ReleaseStatus::ALL`], as the API spelled it (then
    /// `status` is `None`). Serialized as `status`.
    #[schemars(skip)]
    pub unrecognized_status: Option<String>,
}

super::with_setters!(Release {
    /// Sets `chart_name`.
    with_chart_name => chart_name: String,
    /// Sets `chart_public`.
    with_chart_public => chart_public: bool,
    /// Sets `chart_version`.
    with_chart_version => chart_version: String,
    /// Sets `cluster_id`.
    with_cluster_id => cluster_id: String,
    /// Sets `cluster_name`.
    with_cluster_name => cluster_name: String,
    /// Sets `create_at`.
    with_create_at => create_at: String,
    /// Sets `description`.
    with_description => description: String,
    /// Sets `name`.
    with_name => name: String,
    /// Sets `namespace`.
    with_namespace => namespace: String,
    /// Sets `parameters` (JSON text).
    with_parameters => parameters: String,
    /// Sets `resources` (JSON text).
    with_resources => resources: String,
    /// Sets `status_description`.
    with_status_description => status_description: String,
    /// Sets `update_at`.
    with_update_at => update_at: String,
    /// Sets `values` (JSON text).
    with_values => values: String,
    /// Sets `version`, the Helm revision.
    with_version => version: i32,
});

impl Release {
    /// Sets `status` (and clears an unrecognized one).
    ///
    /// ```
    /// use cce_release::{Release, ReleaseStatus};
    ///
    /// let release = Release::default().with_name("koi-neo4j").with_status(ReleaseStatus::Deployed).with_version(3);
    /// assert_eq!(
    ///     serde_json::to_string(&release).unwrap(),
    ///     r#"{"name":"koi-neo4j","status":"DEPLOYED","version":3}"#
    /// );
    /// ```
    #[must_use]
    pub fn with_status(mut self, status: ReleaseStatus) -> Self {
        self.status = Some(status);
        self.unrecognized_status = None;
        self
    }
}

/// What goes on the wire: [`Release`] with its status as text, so that a status this crate does
/// not know survives a round trip. (The schema comes from `Release` itself.)
#[derive(Serialize, Deserialize)]
struct ReleaseWire {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    chart_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    chart_public: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    chart_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cluster_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cluster_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    create_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    parameters: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resources: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    update_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    values: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::json_int::deserialize"
    )]
    version: Option<i32>,
}

impl Serialize for Release {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let r = self.clone();
        let status = match r.status {
            Some(status) => Some(status.as_str().to_owned()),
            None => r.unrecognized_status,
        };
        ReleaseWire {
            chart_name: r.chart_name,
            chart_public: r.chart_public,
            chart_version: r.chart_version,
            cluster_id: r.cluster_id,
            cluster_name: r.cluster_name,
            create_at: r.create_at,
            description: r.description,
            name: r.name,
            namespace: r.namespace,
            parameters: r.parameters,
            resources: r.resources,
            status,
            status_description: r.status_description,
            update_at: r.update_at,
            values: r.values,
            version: r.version,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Release {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let w = ReleaseWire::deserialize(deserializer)?;
        let known = w
            .status
            .as_deref()
            .and_then(|s| ReleaseStatus::ALL.iter().copied().find(|k| k.as_str() == s));
        Ok(Release {
            chart_name: w.chart_name,
            chart_public: w.chart_public,
            chart_version: w.chart_version,
            cluster_id: w.cluster_id,
            cluster_name: w.cluster_name,
            create_at: w.create_at,
            description: w.description,
            name: w.name,
            namespace: w.namespace,
            parameters: w.parameters,
            resources: w.resources,
            unrecognized_status: if known.is_none() { w.status } else { None },
            status: known,
            status_description: w.status_description,
            update_at: w.update_at,
            values: w.values,
            version: w.version,
        })
    }
}

/// The answer to a delete: a JSON string (what it says is not documented).
///
/// ```
/// use cce_release::DeleteResponse;
///
/// let answer: DeleteResponse = serde_json::from_str(r#""release koi-neo4j deleted""#).unwrap();
/// assert_eq!(answer.message(), "release koi-neo4j deleted");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
#[non_exhaustive]
pub struct DeleteResponse(pub String);

impl DeleteResponse {
    /// An answer with this text.
    pub fn new(message: impl Into<String>) -> Self {
        DeleteResponse(message.into())
    }

    /// The text of the answer.
    pub fn message(&self) -> &str {
        &self.0
    }
}

impl JsonSchema for DeleteResponse {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "DeleteResponse".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "title": "DeleteResponse",
            "description": "The 200 answer to `DELETE .../namespace/{namespace}/releases/{name}`: a JSON \
                            string (its wording is not documented).",
            "type": "string",
        })
    }
}

/// Status of a release: Helm's release states as the API spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum ReleaseStatus {
    /// Installed and running.
    Deployed,
    /// Uninstalled.
    Deleted,
    /// The last operation failed.
    Failed,
    /// Being uninstalled.
    Deleting,
    /// Being installed.
    PendingInstall,
    /// Being upgraded.
    PendingUpgrade,
    /// Being rolled back.
    PendingRollback,
    /// State not known.
    Unknown,
}

impl ReleaseStatus {
    /// Every status.
    pub const ALL: &'static [ReleaseStatus] = &[
        ReleaseStatus::Deployed,
        ReleaseStatus::Deleted,
        ReleaseStatus::Failed,
        ReleaseStatus::Deleting,
        ReleaseStatus::PendingInstall,
        ReleaseStatus::PendingUpgrade,
        ReleaseStatus::PendingRollback,
        ReleaseStatus::Unknown,
    ];

    /// The status as the API spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            ReleaseStatus::Deployed => "DEPLOYED",
            ReleaseStatus::Deleted => "DELETED",
            ReleaseStatus::Failed => "FAILED",
            ReleaseStatus::Deleting => "DELETING",
            ReleaseStatus::PendingInstall => "PENDING_INSTALL",
            ReleaseStatus::PendingUpgrade => "PENDING_UPGRADE",
            ReleaseStatus::PendingRollback => "PENDING_ROLLBACK",
            ReleaseStatus::Unknown => "UNKNOWN",
        }
    }
}

impl JsonSchema for ReleaseStatus {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ReleaseStatus".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        super::string_enum(
            "Status of a release: Helm's release states as the API spells them.",
            Self::ALL.iter().map(|s| s.as_str()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_unrecognized_status_survives_a_round_trip() {
        let raw = json!({"name": "koi-neo4j", "status": "SUPERSEDED", "version": 1.0});
        let release: Release = serde_json::from_value(raw).unwrap();
        assert_eq!(release.status, None);
        assert_eq!(release.unrecognized_status.as_deref(), Some("SUPERSEDED"));
        assert_eq!(
            serde_json::to_value(&release).unwrap(),
            json!({"name": "koi-neo4j", "status": "SUPERSEDED", "version": 1})
        );
        let known: Release = serde_json::from_value(json!({"status": "DEPLOYED"})).unwrap();
        assert_eq!(
            (known.status, known.unrecognized_status),
            (Some(ReleaseStatus::Deployed), None)
        );
    }

    #[test]
    fn a_list_with_an_unknown_status_parses_with_a_warning() {
        let bytes = br#"[{"name": "koi-neo4j", "status": "DEPLOYED"}, {"status": "SUPERSEDED"}]"#;
        let list = crate::Valid::<Vec<Release>>::from_bytes(bytes).unwrap();
        assert_eq!(list.report().warning_count(), 1);
        assert_eq!(list[1].unrecognized_status.as_deref(), Some("SUPERSEDED"));
        let one = crate::Valid::<Release>::from_bytes(br#"{"status": "SUPERSEDED"}"#);
        assert!(one.is_err());
    }
}
