//! The kinds of payload the validator knows, in one table: each kind's name, summary, schema
//! file, noun, OpenAPI component and schema come from its row, and every list of kinds in the
//! crate (the CLI's values, the committed schemas, the OpenAPI components) is derived from it.
//!
//! Adding a kind: a model type (`src/model/`), one row here, and its generated schema
//! (`UPDATE_SCHEMAS=1 cargo test`). See `ARCHITECTURE.md`.

use std::fmt;
use std::str::FromStr;

use serde_json::Value;

use crate::model::{ApiError, CreateReleaseBody, DeleteResponse, Release, UpdateReleaseBody};
use crate::schema::generate;

/// Everything the crate knows about one kind.
pub(crate) struct Descriptor {
    /// The name on the command line.
    pub name: &'static str,
    /// One line for `--help`.
    pub summary: &'static str,
    /// The committed schema's file name under `schemas/`.
    pub schema_file: &'static str,
    /// How messages name a document of this kind.
    pub noun: &'static str,
    /// The schema's name under the OpenAPI document's `components/schemas`.
    pub component: &'static str,
    /// Generates the kind's JSON Schema from its model.
    pub schema: fn() -> Value,
}

macro_rules! kinds {
    ($(
        $(#[$doc:meta])*
        $variant:ident {
            name: $name:literal,
            summary: $summary:literal,
            schema_file: $file:literal,
            noun: $noun:literal,
            component: $component:literal,
            schema: $schema:expr,
        }
    )*) => {
        /// Which payload a document is: selects the schema and the rules.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Kind {
            $( $(#[$doc])* $variant, )*
        }

        impl Kind {
            /// Every kind, in documentation order (`create-response` included: it names the
            /// same payload as `release`, and stays for the scripts that use it).
            pub const ALL: &'static [Kind] = &[$(Kind::$variant),*];

            pub(crate) const fn descriptor(self) -> &'static Descriptor {
                match self {
                    $(Kind::$variant => &Descriptor {
                        name: $name,
                        summary: $summary,
                        schema_file: $file,
                        noun: $noun,
                        component: $component,
                        schema: $schema,
                    },)*
                }
            }
        }
    };
}

kinds! {
    /// The body of `POST .../clusters/{cluster_id}/releases` ([`CreateReleaseBody`](crate::CreateReleaseBody)).
    CreateRequest {
        name: "create-request",
        summary: "the body of POST …/clusters/{cluster_id}/releases",
        schema_file: "create-release-request.schema.json",
        noun: "the create-release body",
        component: "CreateReleaseBody",
        schema: generate::<CreateReleaseBody>,
    }
    /// The 201 answer to a create: one [`Release`](crate::Release). The same schema and rules as
    /// [`Kind::Release`], under the name it had first (`create-response`).
    CreateResponse {
        name: "create-response",
        summary: "the release a create answers with (201); same as `release`",
        schema_file: "release.schema.json",
        noun: "a release",
        component: "Release",
        schema: generate::<Release>,
    }
    /// The body of `PUT .../namespace/{namespace}/releases/{name}`
    /// ([`UpdateReleaseBody`](crate::UpdateReleaseBody)).
    UpdateRequest {
        name: "update-request",
        summary: "the body of PUT …/namespace/{namespace}/releases/{name}",
        schema_file: "update-release-request.schema.json",
        noun: "the update-release body",
        component: "UpdateReleaseBody",
        schema: generate::<UpdateReleaseBody>,
    }
    /// One [`Release`](crate::Release), as show and update answer (and create: see
    /// [`Kind::CreateResponse`]).
    Release {
        name: "release",
        summary: "one release, as show, update and create answer",
        schema_file: "release.schema.json",
        noun: "a release",
        component: "Release",
        schema: generate::<Release>,
    }
    /// An array of [`Release`](crate::Release)s, as list and history answer. A status outside
    /// the documented eight is a warning here (`unknown_status`), not an error.
    ReleaseList {
        name: "release-list",
        summary: "an array of releases, as list and history answer",
        schema_file: "release-list.schema.json",
        noun: "a release list",
        component: "ReleaseList",
        schema: crate::schema::release_list,
    }
    /// The answer to a delete: a JSON string ([`DeleteResponse`](crate::DeleteResponse)).
    DeleteResponse {
        name: "delete-response",
        summary: "the answer to a delete: a JSON string",
        schema_file: "delete-response.schema.json",
        noun: "the delete answer",
        component: "DeleteResponse",
        schema: generate::<DeleteResponse>,
    }
    /// The body of a 4xx or 5xx answer, in either spelling ([`ApiError`](crate::ApiError)).
    Error {
        name: "error",
        summary: "the body of a 4xx/5xx answer, in either spelling",
        schema_file: "error.schema.json",
        noun: "the error body",
        component: "ApiError",
        schema: generate::<ApiError>,
    }
}

impl Kind {
    /// The kind's name on the command line: `create-request`, `create-response`,
    /// `update-request`, `release`, `release-list`, `delete-response`, `error`.
    pub const fn name(self) -> &'static str {
        self.descriptor().name
    }

    /// One line on what a payload of this kind is (for `--help`).
    pub const fn summary(self) -> &'static str {
        self.descriptor().summary
    }

    /// File name of the kind's committed schema under `schemas/` (`create-response` and
    /// `release` share `release.schema.json`).
    pub const fn schema_file(self) -> &'static str {
        self.descriptor().schema_file
    }

    /// How messages name a document of this kind.
    pub(crate) const fn noun(self) -> &'static str {
        self.descriptor().noun
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing an unknown kind name; its message lists the kinds there are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKind(pub String);

impl fmt::Display for UnknownKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::diagnostic::message::unknown_kind(f, &self.0)
    }
}

impl std::error::Error for UnknownKind {}

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

/// A payload type with a kind: what [`Validator::parse`](crate::Validator::parse) can produce.
/// The kind comes from the type, so the two cannot disagree.
pub trait Payload: serde::de::DeserializeOwned + serde::Serialize {
    /// The kind whose schema and rules apply.
    const KIND: Kind;
}

impl Payload for CreateReleaseBody {
    const KIND: Kind = Kind::CreateRequest;
}

impl Payload for UpdateReleaseBody {
    const KIND: Kind = Kind::UpdateRequest;
}

impl Payload for Release {
    const KIND: Kind = Kind::Release;
}

impl Payload for Vec<Release> {
    const KIND: Kind = Kind::ReleaseList;
}

impl Payload for DeleteResponse {
    const KIND: Kind = Kind::DeleteResponse;
}

impl Payload for ApiError {
    const KIND: Kind = Kind::Error;
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

    #[test]
    fn a_kind_is_its_index_in_all() {
        for (i, &kind) in Kind::ALL.iter().enumerate() {
            assert_eq!(kind as usize, i, "{kind}");
        }
    }

    #[test]
    fn kinds_sharing_a_schema_file_share_its_schema_and_component() {
        for &a in Kind::ALL {
            for &b in Kind::ALL {
                if a.schema_file() == b.schema_file() {
                    assert_eq!((a.descriptor().schema)(), (b.descriptor().schema)());
                    assert_eq!(a.descriptor().component, b.descriptor().component);
                }
            }
        }
    }
}
