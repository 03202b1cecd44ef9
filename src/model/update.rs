//! The update-release request body: upgrade a release, or roll it back.

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Serialize};

use super::constraints::UUID_PATTERN;
use super::{ReleaseParameters, ReleaseValues};

/// Body of `PUT .../clusters/{cluster_id}/namespace/{namespace}/releases/{name}`: upgrade a
/// release to a chart, or roll it back to an earlier revision.
///
/// Every member is mandatory. The release is named by the path, so there is no `name`,
/// `namespace`, `version` or `description` here.
///
/// ```
/// use cce_release::{ReleaseParameters, ReleaseValues, UpdateAction, UpdateReleaseBody};
///
/// let body = UpdateReleaseBody::new(
///     "e99a7e86-afdd-11eb-aca3-0255ac100b0e", UpdateAction::Upgrade,
///     ReleaseParameters::default(), ReleaseValues::default().with_image_tag("4.0.4"),
/// );
/// assert!(body.validate().is_valid());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(
    title = "UpdateReleaseBody",
    description = "Body of `PUT /autopilot/cam/v3/clusters/{cluster_id}/namespace/{namespace}/releases/{name}` \
                   (and of the classic `/cce/cam/v3` route): upgrade a release to a chart, or roll it \
                   back. Every member is mandatory; the release is named by the path.",
    extend("additionalProperties" = false)
)]
#[non_exhaustive]
pub struct UpdateReleaseBody {
    /// ID of the chart to upgrade to: a UUID as the provider issues them (either case).
    #[schemars(regex(pattern = UUID_PATTERN))]
    pub chart_id: String,

    /// `upgrade` or `rollback`.
    pub action: UpdateAction,

    /// Options of the update (mandatory, may be empty).
    pub parameters: ReleaseParameters,

    /// The chart's Helm values.
    pub values: ReleaseValues,
}

impl UpdateReleaseBody {
    /// A body with every member.
    pub fn new(
        chart_id: impl Into<String>,
        action: UpdateAction,
        parameters: ReleaseParameters,
        values: ReleaseValues,
    ) -> Self {
        UpdateReleaseBody {
            chart_id: chart_id.into(),
            action,
            parameters,
            values,
        }
    }

    /// Validates the body exactly as it will be serialized, with default options.
    pub fn validate(&self) -> crate::Report {
        crate::Validator::new(crate::Kind::UpdateRequest).validate_serializable(self)
    }
}

/// What an update does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum UpdateAction {
    /// Upgrade the release to the chart and values of the body.
    Upgrade,
    /// Roll the release back to the revision `parameters.release_version` names (Helm reads `0`
    /// as the previous one).
    Rollback,
}

impl UpdateAction {
    /// Every action.
    pub const ALL: &'static [UpdateAction] = &[UpdateAction::Upgrade, UpdateAction::Rollback];

    /// The action as the API spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            UpdateAction::Upgrade => "upgrade",
            UpdateAction::Rollback => "rollback",
        }
    }
}

impl JsonSchema for UpdateAction {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "UpdateAction".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        super::string_enum(
            "What the update does: `upgrade` to the body's chart and values, or `rollback` to \
             the revision `parameters.release_version` names.",
            Self::ALL.iter().map(|a| a.as_str()),
        )
    }
}
