//! The kinds of payload the validator knows.

use std::fmt;
use std::str::FromStr;

/// Which payload a document is: selects the schema and the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// The body of `POST .../clusters/{cluster_id}/releases` ([`CreateReleaseBody`](crate::CreateReleaseBody)).
    CreateRequest,
    /// The 201 answer to it, a [`Release`](crate::Release).
    CreateResponse,
}

impl Kind {
    /// Every kind, in documentation order.
    pub const ALL: &'static [Kind] = &[Kind::CreateRequest, Kind::CreateResponse];

    /// The kind's name on the command line: `create-request`, `create-response`.
    pub const fn name(self) -> &'static str {
        match self {
            Kind::CreateRequest => "create-request",
            Kind::CreateResponse => "create-response",
        }
    }

    /// File name of the kind's committed schema under `schemas/`.
    pub const fn schema_file(self) -> &'static str {
        match self {
            Kind::CreateRequest => "create-release-request.schema.json",
            Kind::CreateResponse => "release.schema.json",
        }
    }

    /// How messages name a document of this kind.
    pub(crate) const fn noun(self) -> &'static str {
        match self {
            Kind::CreateRequest => "the create-release body",
            Kind::CreateResponse => "a release",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing an unknown kind name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown kind `{0}` (expected one of: create-request, create-response)")]
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
