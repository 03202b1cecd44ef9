//! The release object that create (201), show and update (200) return.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::constraints::CHART_FIELD_MAX;

/// A Helm release as the API returns it. Every member is optional.
///
/// Note the types: `parameters`, `values` and `resources` are JSON **text** in a string, not
/// objects, and `version` is the release's Helm **revision** (an integer), not the chart version.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "Release", extend("additionalProperties" = false))]
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
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::json_int::deserialize"
    )]
    #[schemars(range(min = i32::MIN, max = i32::MAX))]
    pub version: Option<i32>,
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
