//! The create-release request body.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::constraints::{
    CHART_FIELD_MAX, IMAGE_TAG_MAX, IMAGE_TAG_PATTERN, NAMESPACE_MAX, NAMESPACE_PATTERN,
    RELEASE_NAME_MAX, RELEASE_NAME_PATTERN, RELEASE_VERSION_MAX, UUID_PATTERN,
    chart_version_pattern,
};

/// Body of `POST /autopilot/cam/v3/clusters/{cluster_id}/releases` (and of the classic
/// `/cce/cam/v3` route): install a chart in a cluster as a Helm release.
///
/// The cluster travels in the request path and the project in the token or `X-Project-Id`:
/// neither is a body member.
///
/// ```
/// use cce_release::{CreateReleaseBody, ReleaseValues};
///
/// let body = CreateReleaseBody::new(
///     "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "koi-neo4j", "default", "3.0.1",
///     ReleaseValues::default(),
/// );
/// assert!(body.validate().is_valid());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(
    title = "CreateReleaseBody",
    description = "Body of `POST /autopilot/cam/v3/clusters/{cluster_id}/releases` (and of the \
                   classic `/cce/cam/v3` route): install a chart in a cluster as a Helm release. \
                   The cluster travels in the request path and the project in the token or \
                   `X-Project-Id`: neither is a body member.",
    extend("additionalProperties" = false)
)]
#[non_exhaustive]
pub struct CreateReleaseBody {
    /// ID of the chart to install: a UUID as the provider issues them, such as
    /// `e99a7e86-afdd-11eb-aca3-0255ac100b0e` (either case).
    #[schemars(regex(pattern = UUID_PATTERN))]
    pub chart_id: String,

    /// Release name: 1 to 53 characters (Helm's limit), a lowercase letter first, then lowercase
    /// letters, digits or `-`, ending in a letter or digit.
    #[schemars(length(min = 1, max = RELEASE_NAME_MAX), regex(pattern = RELEASE_NAME_PATTERN))]
    pub name: String,

    /// Kubernetes namespace to install into: a DNS-1123 label of 1 to 63 characters.
    #[schemars(length(min = 1, max = NAMESPACE_MAX), regex(pattern = NAMESPACE_PATTERN))]
    pub namespace: String,

    /// Version of the chart to install, as Helm accepts it: `MAJOR(.MINOR)?(.PATCH)?` with an
    /// optional `v`, pre-release and build metadata. Strict SemVer 2.0.0 (`3.0.1`) is canonical.
    /// At most 64 characters: the API keeps a chart's version in at most 64 (a release's
    /// `chart_version`), so a longer one names no chart.
    #[schemars(length(max = CHART_FIELD_MAX), regex(pattern = chart_version_pattern()))]
    pub version: String,

    /// Free-text description of the release.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,

    /// Options for the install.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<ReleaseParameters>,

    /// The chart's Helm values.
    pub values: ReleaseValues,
}

impl CreateReleaseBody {
    /// A body with the mandatory members; `description` and `parameters` are left out.
    pub fn new(
        chart_id: impl Into<String>,
        name: impl Into<String>,
        namespace: impl Into<String>,
        version: impl Into<String>,
        values: ReleaseValues,
    ) -> Self {
        CreateReleaseBody {
            chart_id: chart_id.into(),
            name: name.into(),
            namespace: namespace.into(),
            version: version.into(),
            description: None,
            parameters: None,
            values,
        }
    }

    /// Sets the description.
    #[must_use]
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets the install parameters.
    #[must_use]
    pub fn with_parameters(mut self, parameters: ReleaseParameters) -> Self {
        self.parameters = Some(parameters);
        self
    }

    /// Validates the body exactly as it will be serialized, with default options.
    ///
    /// A body built in code has no source text, so its findings carry pointers but no
    /// line or column.
    pub fn validate(&self) -> crate::Report {
        crate::Validator::new(crate::Kind::CreateRequest).validate_serializable(self)
    }
}

/// Options of a release operation (`ReleaseReqBodyParams`); every member is optional.
///
/// The same object serves create, update and delete, so some members only take effect in some
/// operations: on create, `recreate`, `reset_values`, `include_hooks` and `release_version` do
/// nothing (the validator warns with `ineffective_parameter`).
///
/// ```
/// use cce_release::ReleaseParameters;
///
/// let parameters = ReleaseParameters::default().with_dry_run(true).with_no_hooks(true);
/// assert_eq!(
///     serde_json::to_string(&parameters).unwrap(),
///     r#"{"dry_run":true,"no_hooks":true}"#
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(extend("additionalProperties" = false))]
#[non_exhaustive]
pub struct ReleaseParameters {
    /// Only verify the chart parameters; do not install.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,

    /// Release name template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_template: Option<String>,

    /// Disable hooks during the install.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_hooks: Option<bool>,

    /// Replace a release of the same name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replace: Option<bool>,

    /// Rebuild the release (takes effect on update only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recreate: Option<bool>,

    /// Reset the values to the chart's defaults (takes effect on update only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset_values: Option<bool>,

    /// Revision to roll back to: `0` is the previous revision, Helm revisions start at 1
    /// (an int32; takes effect on rollback only).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::json_int::deserialize"
    )]
    #[schemars(range(min = 0, max = RELEASE_VERSION_MAX))]
    pub release_version: Option<i32>,

    /// Run hooks during an update or a delete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_hooks: Option<bool>,
}

super::with_setters!(ReleaseParameters {
    /// Sets `dry_run`: only verify the chart parameters.
    with_dry_run => dry_run: bool,
    /// Sets `name_template`.
    with_name_template => name_template: String,
    /// Sets `no_hooks`: disable hooks during the install.
    with_no_hooks => no_hooks: bool,
    /// Sets `replace`.
    with_replace => replace: bool,
    /// Sets `recreate` (takes effect on update only).
    with_recreate => recreate: bool,
    /// Sets `reset_values` (takes effect on update only).
    with_reset_values => reset_values: bool,
    /// Sets `release_version`, the revision to roll back to.
    with_release_version => release_version: i32,
    /// Sets `include_hooks` (takes effect on update or delete).
    with_include_hooks => include_hooks: bool,
});

/// Kubernetes image pull policy (`core/v1` `PullPolicy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ImagePullPolicy {
    /// Pull the image on every start.
    Always,
    /// Pull only when the image is not on the node.
    IfNotPresent,
    /// Never pull; the image must be on the node.
    Never,
}

impl ImagePullPolicy {
    /// Every policy.
    pub const ALL: &'static [ImagePullPolicy] = &[
        ImagePullPolicy::Always,
        ImagePullPolicy::IfNotPresent,
        ImagePullPolicy::Never,
    ];

    /// The policy as Kubernetes spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            ImagePullPolicy::Always => "Always",
            ImagePullPolicy::IfNotPresent => "IfNotPresent",
            ImagePullPolicy::Never => "Never",
        }
    }
}

impl JsonSchema for ImagePullPolicy {
    fn schema_name() -> Cow<'static, str> {
        "ImagePullPolicy".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        super::string_enum(
            "Kubernetes image pull policy (`core/v1` `PullPolicy`).",
            Self::ALL.iter().map(|p| p.as_str()),
        )
    }
}

/// The chart's Helm values: a free-form object, of which the API models two keys.
///
/// `imagePullPolicy` and `imageTag` are typed; every other key is kept, in order, in
/// [`other`](Self::other). A `null` under any key is a Helm idiom (it removes the chart's default
/// for that key), so a `null` under a typed key is kept in `other` as well and written back as it
/// came.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Map<String, Value>", into = "Map<String, Value>")]
#[non_exhaustive]
pub struct ReleaseValues {
    /// `imagePullPolicy`: the pull policy of the chart's main image.
    pub image_pull_policy: Option<ImagePullPolicy>,
    /// `imageTag`: the tag of the chart's main image.
    pub image_tag: Option<String>,
    /// Every other key, as free-form JSON.
    pub other: Map<String, Value>,
}

const IMAGE_PULL_POLICY: &str = "imagePullPolicy";
const IMAGE_TAG: &str = "imageTag";

impl ReleaseValues {
    /// Sets `imagePullPolicy`.
    #[must_use]
    pub fn with_image_pull_policy(mut self, policy: ImagePullPolicy) -> Self {
        self.image_pull_policy = Some(policy);
        self.other.remove(IMAGE_PULL_POLICY);
        self
    }

    /// Sets `imageTag`.
    #[must_use]
    pub fn with_image_tag(mut self, tag: impl Into<String>) -> Self {
        self.image_tag = Some(tag.into());
        self.other.remove(IMAGE_TAG);
        self
    }

    /// Sets any other key.
    #[must_use]
    pub fn with(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.other.insert(key.into(), value.into());
        self
    }
}

impl TryFrom<Map<String, Value>> for ReleaseValues {
    type Error = serde_json::Error;

    fn try_from(mut map: Map<String, Value>) -> Result<Self, Self::Error> {
        fn take<T: serde::de::DeserializeOwned>(
            map: &mut Map<String, Value>,
            key: &str,
        ) -> Result<Option<T>, serde_json::Error> {
            match map.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(_) => match map.shift_remove(key) {
                    Some(value) => serde_json::from_value(value).map(Some),
                    None => Ok(None),
                },
            }
        }
        Ok(ReleaseValues {
            image_pull_policy: take(&mut map, IMAGE_PULL_POLICY)?,
            image_tag: take(&mut map, IMAGE_TAG)?,
            other: map,
        })
    }
}

impl From<ReleaseValues> for Map<String, Value> {
    fn from(values: ReleaseValues) -> Self {
        let mut map = Map::with_capacity(values.other.len() + 2);
        if let Some(policy) = values.image_pull_policy {
            map.insert(IMAGE_PULL_POLICY.to_owned(), Value::from(policy.as_str()));
        }
        if let Some(tag) = values.image_tag {
            map.insert(IMAGE_TAG.to_owned(), Value::from(tag));
        }
        for (key, value) in values.other {
            map.entry(key).or_insert(value);
        }
        map
    }
}

/// The schema shape of [`ReleaseValues`]: the two typed keys, each nullable, and any other key.
/// Open to unknown keys on purpose: every other key is legitimate chart input.
#[derive(JsonSchema)]
#[schemars(extend("additionalProperties" = true))]
#[allow(dead_code)]
struct ValuesShape {
    /// Kubernetes image pull policy of the chart's main image. `null` removes the chart's default.
    #[serde(rename = "imagePullPolicy")]
    image_pull_policy: Option<ImagePullPolicy>,
    /// Image tag of the chart's main image: 1 to 128 characters, a letter, digit or `_` first,
    /// then letters, digits, `_`, `.` or `-`. `null` removes the chart's default.
    #[serde(rename = "imageTag")]
    #[schemars(length(min = 1, max = IMAGE_TAG_MAX), regex(pattern = IMAGE_TAG_PATTERN))]
    image_tag: Option<String>,
}

impl JsonSchema for ReleaseValues {
    fn schema_name() -> Cow<'static, str> {
        "ReleaseValues".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let mut schema = ValuesShape::json_schema(generator);
        schema.insert(
            "description".into(),
            "The chart's Helm values: a free-form object (Helm requires a map at the top). \
             `imagePullPolicy` and `imageTag` are checked; every other key is chart input."
                .into(),
        );
        schema
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_keep_nulls_and_unknown_keys() {
        let raw = json!({"imagePullPolicy": null, "imageTag": "4.0.3", "replicas": 3, "x": null});
        let values: ReleaseValues = serde_json::from_value(raw.clone()).unwrap();
        assert_eq!(values.image_pull_policy, None);
        assert_eq!(values.image_tag.as_deref(), Some("4.0.3"));
        assert_eq!(serde_json::to_value(&values).unwrap(), raw);
    }

    #[test]
    fn values_reject_a_wrong_typed_key() {
        let raw = json!({"imagePullPolicy": "always"});
        assert!(serde_json::from_value::<ReleaseValues>(raw).is_err());
    }

    #[test]
    fn release_version_accepts_integral_numbers_only() {
        let p: ReleaseParameters = serde_json::from_value(json!({"release_version": 3.0})).unwrap();
        assert_eq!(p.release_version, Some(3));
        assert!(
            serde_json::from_value::<ReleaseParameters>(json!({"release_version": 3.5})).is_err()
        );
        let too_big = json!({"release_version": 2147483648u64});
        assert!(serde_json::from_value::<ReleaseParameters>(too_big).is_err());
    }
}
