//! The kinds of payload the validator knows.

use std::fmt;
use std::str::FromStr;

/// Which payload a document is: selects the schema and the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// The body of `POST .../clusters/{cluster_id}/releases` ([`CreateReleaseBody`](crate::CreateReleaseBody)).
    CreateRequest,
    /// The 201 answer to a create: one [`Release`](crate::Release). The same schema and rules as
    /// [`Kind::Release`], under the name it had first (`create-response`).
    CreateResponse,
    /// The body of `PUT .../namespace/{namespace}/releases/{name}`
    /// ([`UpdateReleaseBody`](crate::UpdateReleaseBody)).
    UpdateRequest,
    /// One [`Release`](crate::Release), as show and update answer (and create: see
    /// [`Kind::CreateResponse`]).
    Release,
    /// An array of [`Release`](crate::Release)s, as list and history answer. A status outside
    /// the documented eight is a warning here (`unknown_status`), not an error.
    ReleaseList,
    /// The answer to a delete: a JSON string ([`DeleteResponse`](crate::DeleteResponse)).
    DeleteResponse,
    /// The body of a 4xx or 5xx answer, in either spelling ([`ApiError`](crate::ApiError)).
    Error,
}

impl Kind {
    /// Every kind, in documentation order (`create-response` included: it names the same payload
    /// as `release`, and stays for the scripts that use it).
    pub const ALL: &'static [Kind] = &[
        Kind::CreateRequest,
        Kind::CreateResponse,
        Kind::UpdateRequest,
        Kind::Release,
        Kind::ReleaseList,
        Kind::DeleteResponse,
        Kind::Error,
    ];

    /// The kind's name on the command line: `create-request`, `create-response`,
    /// `update-request`, `release`, `release-list`, `delete-response`, `error`.
    pub const fn name(self) -> &'static str {
        match self {
            Kind::CreateRequest => "create-request",
            Kind::CreateResponse => "create-response",
            Kind::UpdateRequest => "update-request",
            Kind::Release => "release",
            Kind::ReleaseList => "release-list",
            Kind::DeleteResponse => "delete-response",
            Kind::Error => "error",
        }
    }

    /// One line on what a payload of this kind is (for `--help`).
    pub const fn summary(self) -> &'static str {
        match self {
            Kind::CreateRequest => "the body of POST …/clusters/{cluster_id}/releases",
            Kind::CreateResponse => "the release a create answers with (201); same as `release`",
            Kind::UpdateRequest => "the body of PUT …/namespace/{namespace}/releases/{name}",
            Kind::Release => "one release, as show, update and create answer",
            Kind::ReleaseList => "an array of releases, as list and history answer",
            Kind::DeleteResponse => "the answer to a delete: a JSON string",
            Kind::Error => "the body of a 4xx/5xx answer, in either spelling",
        }
    }

    /// File name of the kind's committed schema under `schemas/` (`create-response` and
    /// `release` share `release.schema.json`).
    pub const fn schema_file(self) -> &'static str {
        match self {
            Kind::CreateRequest => "create-release-request.schema.json",
            Kind::CreateResponse | Kind::Release => "release.schema.json",
            Kind::UpdateRequest => "update-release-request.schema.json",
            Kind::ReleaseList => "release-list.schema.json",
            Kind::DeleteResponse => "delete-response.schema.json",
            Kind::Error => "error.schema.json",
        }
    }

    /// How messages name a document of this kind.
    pub(crate) const fn noun(self) -> &'static str {
        match self {
            Kind::CreateRequest => "the create-release body",
            Kind::CreateResponse | Kind::Release => "a release",
            Kind::UpdateRequest => "the update-release body",
            Kind::ReleaseList => "a release list",
            Kind::DeleteResponse => "the delete answer",
            Kind::Error => "the error body",
        }
    }

    /// True for the request bodies, whose root `values` is the chart's values object (which the
    /// parser may skim: see `validate::parse::Depth`).
    pub(crate) const fn has_values_object(self) -> bool {
        matches!(self, Kind::CreateRequest | Kind::UpdateRequest)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing an unknown kind name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown kind `{0}` (expected one of: create-request, create-response, update-request, \
     release, release-list, delete-response, error)"
)]
pub struct UnknownKind(pub String);

impl FromStr for Kind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL
            .iter()
            .copied()
            .find(|k| k.name() == s)
            .ok_or_else(|| UnknownKind(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_the_error_lists_them_all() {
        let message = UnknownKind("x".into()).to_string();
        for &kind in Kind::ALL {
            assert_eq!(kind.name().parse::<Kind>(), Ok(kind));
            assert!(message.contains(kind.name()), "{kind}");
        }
    }
}
