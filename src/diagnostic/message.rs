//! Every sentence the crate writes, in one place, pinned by one table test.
//!
//! A [`Problem`] is the typed data of one finding: limits, formats, faults, and the payload
//! values it quotes, which are [`Quoted`] (only `redact` makes those, so every quoted value has
//! been masked). [`Problem::message`] words it. Nothing else in the crate writes English for a
//! finding; the HTTP layer, the rules and the schema pass hand over data.

use std::fmt::{self, Write as _};

use super::{Code, Location};
use crate::Kind;
use crate::http::{Operation, PathShape};
use crate::redact::{Quoted, Shown, mask_pointer};
use crate::validate::chart::Limit;

/// The shape a string must have, so that the message can say it in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shape {
    ReleaseName,
    Namespace,
    ImageTag,
    /// Any other pattern (from a chart's values schema), quoted.
    Pattern(Quoted),
}

/// A format a value must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ValueFormat {
    Uuid,
    ChartVersion,
}

/// Which side of a bound a number fell off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bound {
    /// `minimum`: at least the limit.
    Min,
    /// `maximum`: at most the limit.
    Max,
    /// `exclusiveMinimum`: greater than the limit.
    Above,
    /// `exclusiveMaximum`: less than the limit.
    Below,
}

/// JSON types, as a set (what a schema allows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Types(u8);

impl Types {
    pub const NULL: Types = Types(1);
    pub const BOOLEAN: Types = Types(2);
    pub const INTEGER: Types = Types(4);
    pub const NUMBER: Types = Types(8);
    pub const STRING: Types = Types(16);
    pub const ARRAY: Types = Types(32);
    pub const OBJECT: Types = Types(64);
    /// Every type.
    pub const ANY: Types = Types(127);

    pub const fn with(self, other: Types) -> Types {
        Types(self.0 | other.0)
    }

    pub const fn contains(self, other: Types) -> bool {
        self.0 & other.0 == other.0
    }

    /// The types in documentation order, with their words.
    const WORDS: [(Types, &'static str); 7] = [
        (Types::ARRAY, "an array"),
        (Types::BOOLEAN, "a boolean"),
        (Types::INTEGER, "an integer"),
        (Types::NULL, "null"),
        (Types::NUMBER, "a number"),
        (Types::OBJECT, "an object"),
        (Types::STRING, "a string"),
    ];
}

/// What a value was, for "found …". Built by `redact`, which hides values under secret keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Found {
    Null,
    Bool(bool),
    /// A number; `fractional` when it has a fractional part.
    Number {
        shown: Shown,
        fractional: bool,
    },
    String(Quoted),
    Array,
    Object,
    /// A boolean under a secret-looking key.
    HiddenBool,
    /// A number under a secret-looking key.
    HiddenNumber,
}

/// A syntax error, in this crate's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// One of the parser's errors this crate words itself (see [`Syntax::from_parser`]).
    Known(&'static str),
    /// Any other description the parser gave, quoted.
    Other(Quoted),
}

impl Syntax {
    /// serde_json's description of a syntax error, in the words of this crate's messages.
    pub(crate) fn from_parser(serde_message: &str) -> Syntax {
        let ours = match serde_message {
            "EOF while parsing a value" => "the input ends where a value should start",
            "EOF while parsing a list" => "the input ends inside an array (missing `]`)",
            "EOF while parsing an object" => "the input ends inside an object (missing `}`)",
            "EOF while parsing a string" => "the input ends inside a string (missing `\"`)",
            "expected `,` or `]`" => "expected `,` or `]` after an array item",
            "expected `,` or `}`" => "expected `,` or `}` after an object member",
            "expected `:`" => "expected `:` after an object key",
            "expected value" => "expected a JSON value",
            "expected ident" => "expected `true`, `false` or `null`",
            "trailing comma" => "a trailing comma before a closing bracket",
            "key must be a string" => "object keys must be strings in double quotes",
            "invalid escape" => "an invalid escape in a string",
            "invalid number" => "an invalid number",
            "number out of range" => "a number too large to represent",
            "invalid unicode code point" => "an invalid `\\u` escape",
            "lone leading surrogate in hex escape" | "unexpected end of hex escape" => {
                "a lone UTF-16 surrogate in a `\\u` escape"
            }
            "control character (\\u0000-\\u001F) found while parsing a string" => {
                "a control character inside a string (write it as an escape such as `\\n`)"
            }
            other => return Syntax::Other(Quoted::text("", other)),
        };
        Syntax::Known(ours)
    }
}

/// The values a member allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Allowed {
    /// Known strings (an enumeration of this crate's schemas).
    Words(Vec<&'static str>),
    /// Values from a chart's schema, quoted (and masked where they must be).
    Quoted(Vec<Quoted>),
}

/// Who does not define an unknown member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    /// The document itself, of this kind.
    Document(Kind),
    /// The member the unknown one sits in (named by the finding's pointer's parent).
    Parent,
}

/// What the message adds about an unknown member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hint {
    None,
    /// `cluster_id` in a request body.
    ClusterInPath,
    /// `project_id` in a request body.
    ProjectFromToken,
    /// `name` or `namespace` in an update body.
    ReleaseInPath,
    /// A member of the same name but for case, `_` and `-`.
    DidYouMean(&'static str),
}

/// The title of a suggested fix (a code action's). It names no payload value but the API's own
/// words and a chart version written as Helm resolves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FixTitle<'a> {
    RemoveMember,
    RemoveEarlier,
    /// Write the value as this.
    Write(&'a str),
    /// Rename the key to this known member.
    Rename(&'a str),
    StripBom,
}

impl fmt::Display for FixTitle<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FixTitle::RemoveMember => f.write_str("remove the member"),
            FixTitle::RemoveEarlier => {
                f.write_str("remove the earlier member of this key (the value read is kept)")
            }
            FixTitle::Write(value) => write!(f, "write `{value}`"),
            FixTitle::Rename(name) => write!(f, "rename the member to `{name}`"),
            FixTitle::StripBom => f.write_str("remove the byte-order mark"),
        }
    }
}

/// What an operation does, for `ineffective_parameter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Doing {
    CreatingRelease,
    UpgradingRelease,
}

/// Where a parameter does take effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TakesEffect {
    Updates,
    UpdatesAndDeletes,
    Rollbacks,
}

/// A keyword of a chart's schema without a code of its own, with its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Rule {
    MinItems(u64),
    MaxItems(u64),
    UniqueItems,
    Contains,
    MinProperties(u64),
    MaxProperties(u64),
    MultipleOf(String),
    Format(Quoted),
    AnyOf,
    OneOfNone,
    OneOfMany,
    Not,
    FalseSchema,
    PropertyNames,
    AdditionalItems(u64),
    UnevaluatedItems,
    ContentEncoding(Quoted),
    ContentMediaType(Quoted),
    /// Any other keyword, named.
    Keyword(Quoted),
}

/// What a path or query placeholder stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expected {
    ClusterId,
    ChartId,
    Namespace,
    ReleaseName,
}

/// Why a path names no operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RouteFault {
    /// Neither `/autopilot/cam/v3/` nor `/cce/cam/v3/` starts it.
    Prefix,
    /// After the prefix, none of the three paths.
    NoOperation,
    /// `namespaces/`, the Kubernetes spelling, where the API has `namespace/`.
    PluralNamespace,
    /// `//` or a trailing `/`.
    EmptySegment,
}

/// What is wrong with credentials that are there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthFault {
    /// `X-Auth-Token` is empty.
    EmptyToken,
    /// `Authorization` is not an `SDK-HMAC-SHA256` signature.
    NotSigned,
    /// The signature lacks one of `Access`, `SignedHeaders`, `Signature`.
    MissingPart(&'static str),
    /// A signature without `X-Sdk-Date`.
    NoDate,
    /// `X-Sdk-Date` is not `YYYYMMDDTHHMMSSZ`.
    BadDate,
}

/// Why a YAML input could not be read.
#[cfg_attr(not(feature = "yaml"), allow(dead_code))]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum YamlSyntax {
    /// The parser's own description, quoted.
    Parser(Quoted),
    /// A stream without a document (empty, or only comments).
    NoDocument,
    NotUtf8 {
        offset: usize,
    },
    TooDeep {
        limit: usize,
    },
}

/// What a YAML reader makes of a scalar; `None`: not shown (under a secret-looking key, or not a
/// finite number).
#[cfg_attr(not(feature = "yaml"), allow(dead_code))]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum YamlReading {
    Null,
    Bool(Option<bool>),
    Integer(Option<Shown>),
    Float(Option<Shown>),
    String,
    Date,
    /// The reader fails on it.
    Unreadable,
}

/// What a YAML document holds that JSON cannot carry.
#[cfg_attr(not(feature = "yaml"), allow(dead_code))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NotJson {
    /// A mapping or a sequence as a key.
    ComplexKey,
    /// Infinity or NaN.
    NonFinite,
    /// An alias inside the node it names.
    RecursiveAlias,
}

/// What is wrong with a YAML tag.
#[cfg_attr(not(feature = "yaml"), allow(dead_code))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TagFault {
    Unknown,
    NotJsonType,
    Misfit,
}

/// A member that marks a payload as one kind (for `kind_not_detected`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Evidence {
    pub kind: Kind,
    /// The member, or what the document is (`an array`).
    pub marker: &'static str,
}

/// What a chart-aware finding adds about where the value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ChartNote {
    /// The value is the release's own: nothing to add.
    None,
    /// From the defaults (`values.yaml`) of the chart given (`None`) or of a subchart, quoted.
    FromDefaults(Option<Quoted>),
    /// The release's `null` here removed the chart's default.
    RemovedByNull,
    /// Neither the release's values nor any chart's defaults set it.
    NotSet,
    /// Helm adds `global` to every subchart's values.
    HelmGlobal,
    /// Helm puts each subchart's values under its name or alias.
    HelmSubchart,
}

/// What the revision measured, for `values_too_large`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StoredSize {
    /// The base64 text of the gzipped JSON, in bytes.
    pub stored: usize,
    /// The JSON, in bytes.
    pub json: usize,
    pub limit: usize,
    /// The chart's stored parts were measured too.
    pub chart: bool,
    /// Over the limit (beyond the margin between this gzip and Go's): the install will fail.
    pub certain: bool,
    /// Measuring stopped once the revision was certainly over: `stored` is a lower bound.
    pub at_least: bool,
}

/// The data of one finding. The variant decides the code; [`Problem::message`] the wording.
#[cfg_attr(not(feature = "yaml"), allow(dead_code))]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    InvalidJson {
        detail: Syntax,
    },
    EmptyInput,
    TrailingData,
    TooDeep {
        limit: usize,
    },
    InvalidUtf8 {
        offset: usize,
    },
    /// Valid by every rule, yet not the typed model (never expected: reported, not trusted).
    NotTheModel,
    ByteOrderMark,
    DuplicateKey,
    MissingField,
    TypeMismatch {
        expected: Types,
        found: Found,
    },
    TooShort {
        min: u64,
        actual: usize,
    },
    TooLong {
        max: u64,
        actual: usize,
    },
    PatternMismatch {
        shape: Shape,
        found: Quoted,
    },
    InvalidFormat {
        format: ValueFormat,
        found: Quoted,
    },
    OutOfRange {
        bound: Bound,
        limit: String,
        found: Quoted,
    },
    NotAllowed {
        allowed: Allowed,
        found: Quoted,
    },
    UnknownField {
        owner: Owner,
        hint: Hint,
    },
    LooseVersion {
        found: Quoted,
        canonical: Quoted,
    },
    IneffectiveParameter {
        doing: Doing,
        takes_effect: TakesEffect,
    },
    /// `request`: the body is a request's (which the API applies to the path's cluster), not
    /// an answer's.
    ClusterIdMismatch {
        body: Quoted,
        path: Quoted,
        request: bool,
    },
    /// A finding of the chart's `values.schema.json`, worded as the inner problem.
    ValuesSchema {
        inner: Box<Problem>,
    },
    /// A chart schema keyword without a code of its own.
    SchemaRule {
        rule: Rule,
    },
    /// The chart's schema ran out of its budget; `invalid`: the values are known to break it.
    ValuesSchemaBudget {
        limit: Limit,
        invalid: bool,
    },
    ValuesTooLarge {
        size: StoredSize,
    },
    /// A finding of a chart's `values.schema.json` applied to the values Helm coalesces.
    ChartSchema {
        inner: Box<Problem>,
        /// Whose schema: `None` for the chart given, else the subchart's keys (`cache`).
        subchart: Option<Quoted>,
        note: ChartNote,
        /// The pointer, in the coalesced values, the inner problem is about, when the finding
        /// points elsewhere (at `/values`, or at the release's `global` a subchart inherited).
        merged: Option<String>,
    },
    /// The values under a subchart's key are not an object (Helm: "type mismatch").
    SubchartValues {
        found: Found,
        subchart: Quoted,
        note: ChartNote,
        merged: Option<String>,
    },
    ChartVersionMismatch {
        body: Quoted,
        chart: Quoted,
    },
    /// `size` is `None` for a stream that was read up to the limit and no further.
    InputTooLarge {
        size: Option<usize>,
        limit: usize,
    },
    TooManyFindings {
        omitted: usize,
        limit: usize,
    },
    UnknownStatus {
        found: Quoted,
    },
    /// A member spelled as the SDK model's attribute (`image_pull_policy`); `wire` is the name
    /// the API reads (`imagePullPolicy`).
    SdkAttributeName {
        wire: &'static str,
    },
    /// A path or query value that is still its `{placeholder}`.
    Placeholder {
        found: Quoted,
        expected: Expected,
    },
    UnknownRoute {
        found: Quoted,
        fault: RouteFault,
    },
    MethodNotAllowed {
        method: Quoted,
        path: PathShape,
    },
    /// A query parameter the operation does not take.
    UnknownParameter {
        operation: Operation,
    },
    /// A query parameter given twice.
    DuplicateParameter,
    MissingAuth,
    MalformedAuth {
        fault: AuthFault,
    },
    /// `Content-Type` missing (`missing`) or not JSON.
    ContentType {
        missing: bool,
    },
    /// No kind fits (`evidence` empty), or several do.
    KindNotDetected {
        evidence: Vec<Evidence>,
    },
    InvalidYaml {
        detail: YamlSyntax,
    },
    /// `short_bool`: `y`, `Y`, `n` or `N`, booleans to Go's yaml.v2 but not to PyYAML.
    AmbiguousScalar {
        found: Quoted,
        yaml12: YamlReading,
        yaml11: YamlReading,
        short_bool: bool,
    },
    KeyNotString {
        key: Quoted,
        reading: YamlReading,
    },
    NotJson {
        what: NotJson,
    },
    YamlTag {
        tag: Quoted,
        fault: TagFault,
    },
    MergeKey,
    /// Aliases and merges expand the document by more than `limit` bytes.
    AliasExpansion {
        limit: usize,
    },
    /// The YAML parser would have had to read more than `limit` indicator characters ahead.
    YamlLookahead {
        limit: usize,
    },
    /// A YAML input over its own, smaller, size limit (it is held in memory as nodes).
    YamlTooLarge {
        size: usize,
        limit: usize,
    },
}

impl Problem {
    /// The code this problem is reported under.
    pub(crate) fn code(&self) -> Code {
        match self {
            Problem::InvalidJson { .. }
            | Problem::EmptyInput
            | Problem::TrailingData
            | Problem::TooDeep { .. }
            | Problem::InvalidUtf8 { .. }
            | Problem::NotTheModel => Code::InvalidJson,
            Problem::ByteOrderMark => Code::ByteOrderMark,
            Problem::DuplicateKey | Problem::DuplicateParameter => Code::DuplicateKey,
            Problem::MissingField => Code::MissingField,
            Problem::TypeMismatch { .. } => Code::TypeMismatch,
            Problem::TooShort { .. } => Code::TooShort,
            Problem::TooLong { .. } => Code::TooLong,
            Problem::PatternMismatch { .. } => Code::PatternMismatch,
            Problem::InvalidFormat { .. } | Problem::Placeholder { .. } => Code::InvalidFormat,
            Problem::OutOfRange { .. } => Code::OutOfRange,
            Problem::NotAllowed { .. } => Code::NotAllowed,
            Problem::UnknownField { .. } | Problem::UnknownParameter { .. } => Code::UnknownField,
            Problem::LooseVersion { .. } => Code::LooseVersion,
            Problem::IneffectiveParameter { .. } => Code::IneffectiveParameter,
            Problem::ClusterIdMismatch { .. } => Code::ClusterIdMismatch,
            Problem::ValuesSchema { .. } | Problem::SchemaRule { .. } => Code::ValuesSchema,
            Problem::ValuesSchemaBudget { .. } => Code::ValuesSchemaBudget,
            Problem::ValuesTooLarge { .. } => Code::ValuesTooLarge,
            Problem::ChartSchema { .. } => Code::ValuesSchema,
            Problem::SubchartValues { .. } => Code::TypeMismatch,
            Problem::ChartVersionMismatch { .. } => Code::ChartVersionMismatch,
            Problem::InputTooLarge { .. } => Code::InputTooLarge,
            Problem::TooManyFindings { .. } => Code::TooManyFindings,
            Problem::UnknownStatus { .. } => Code::UnknownStatus,
            Problem::SdkAttributeName { .. } => Code::SdkAttributeName,
            Problem::UnknownRoute { .. } => Code::UnknownRoute,
            Problem::MethodNotAllowed { .. } => Code::MethodNotAllowed,
            Problem::MissingAuth => Code::MissingAuth,
            Problem::MalformedAuth { .. } => Code::MalformedAuth,
            Problem::ContentType { .. } => Code::UnsupportedMediaType,
            Problem::KindNotDetected { .. } => Code::KindNotDetected,
            Problem::InvalidYaml { .. } => Code::InvalidYaml,
            Problem::AmbiguousScalar { .. } => Code::YamlAmbiguousScalar,
            Problem::KeyNotString { .. } => Code::YamlKeyNotString,
            Problem::NotJson { .. } => Code::YamlNotJson,
            Problem::YamlTag { .. } => Code::YamlTag,
            Problem::MergeKey => Code::YamlMergeKey,
            Problem::AliasExpansion { .. } => Code::InputTooLarge,
            Problem::YamlTooLarge { .. } | Problem::YamlLookahead { .. } => Code::InputTooLarge,
        }
    }

    /// The sentence for a finding at `pointer` (masked as reports show it) in `location`.
    pub(crate) fn message(&self, location: Location, pointer: &str) -> String {
        let mut out = String::new();
        // Writing to a `String` cannot fail.
        let _ = self.write(&mut out, location, pointer);
        out
    }

    fn write(&self, out: &mut String, location: Location, pointer: &str) -> fmt::Result {
        let field = Label(location, pointer);
        match self {
            Problem::InvalidJson { detail } => match detail {
                Syntax::Known(words) => write!(out, "invalid JSON: {words}"),
                Syntax::Other(quoted) => write!(out, "invalid JSON: {quoted}"),
            },
            Problem::EmptyInput => out.write_str("invalid JSON: the input is empty"),
            Problem::TrailingData => {
                out.write_str("invalid JSON: unexpected data after the end of the JSON value")
            }
            Problem::TooDeep { limit } => {
                write!(out, "invalid JSON: nesting is deeper than {limit} levels")
            }
            Problem::InvalidUtf8 { offset } => write!(
                out,
                "invalid JSON: the input is not valid UTF-8 (at byte {offset})"
            ),
            Problem::NotTheModel => {
                out.write_str("invalid JSON: the payload does not fit the typed model")
            }
            Problem::ByteOrderMark => out.write_str(
                "the input starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM",
            ),
            Problem::DuplicateKey => write!(
                out,
                "duplicate key {field}: parsers keep only one of its values, so the other is \
                 silently lost"
            ),
            Problem::MissingField => write!(out, "missing mandatory field {field}"),
            Problem::TypeMismatch { expected, found } => {
                write!(out, "{field} must be ")?;
                types(out, *expected)?;
                out.write_str(", found ")?;
                found_words(out, found)
            }
            Problem::TooShort { min: 1, .. } => write!(out, "{field} must not be empty"),
            Problem::TooShort { min, actual } => write!(
                out,
                "{field} must be at least {min} {}, found {actual}",
                characters(*min)
            ),
            Problem::TooLong { max, actual } => write!(
                out,
                "{field} must be at most {max} {}, found {actual}",
                characters(*max)
            ),
            Problem::PatternMismatch { shape, found } => {
                write!(out, "{field} ")?;
                match shape {
                    Shape::ReleaseName => out.write_str(
                        "must start with a lowercase letter, contain only lowercase letters, \
                         digits and `-`, and end with a letter or digit",
                    )?,
                    Shape::Namespace => out.write_str(
                        "must be a DNS-1123 label: lowercase letters, digits and `-`, starting \
                         and ending with a letter or digit",
                    )?,
                    Shape::ImageTag => out.write_str(
                        "must be an image tag: letters, digits, `_`, `.` and `-`, not starting \
                         with `.` or `-`",
                    )?,
                    Shape::Pattern(pattern) => write!(out, "must match the pattern {pattern}")?,
                }
                write!(out, ", found {found}")
            }
            Problem::InvalidFormat { format, found } => match format {
                ValueFormat::Uuid => write!(
                    out,
                    "{field} must be a UUID such as `e99a7e86-afdd-11eb-aca3-0255ac100b0e`, \
                     found {found}"
                ),
                ValueFormat::ChartVersion => write!(
                    out,
                    "{field} must be a chart version Helm accepts, such as `3.0.1` \
                     (MAJOR.MINOR.PATCH, optionally with -pre-release and +build), found {found}"
                ),
            },
            Problem::OutOfRange {
                bound,
                limit,
                found,
            } => {
                let side = match bound {
                    Bound::Min => "at least",
                    Bound::Max => "at most",
                    Bound::Above => "greater than",
                    Bound::Below => "less than",
                };
                write!(out, "{field} must be {side} {limit}, found {found}")
            }
            Problem::NotAllowed { allowed, found } => {
                write!(out, "{field} must be one of ")?;
                match allowed {
                    Allowed::Words(words) => list(out, words.iter().map(Backticks))?,
                    Allowed::Quoted(quoted) => list(out, quoted.iter())?,
                }
                write!(out, ", found {found}")
            }
            Problem::UnknownField { owner, hint } => {
                write!(out, "unknown field {field}: ")?;
                match owner {
                    Owner::Document(kind) => out.write_str(kind.noun())?,
                    Owner::Parent => {
                        write!(out, "{}", Label(location, crate::pointer::parent(pointer)))?
                    }
                }
                out.write_str(" does not define it")?;
                match hint {
                    Hint::None => Ok(()),
                    Hint::ClusterInPath => {
                        out.write_str(" (the cluster id goes in the request path)")
                    }
                    Hint::ProjectFromToken => out.write_str(
                        " (the project comes from the token or the `X-Project-Id` header)",
                    ),
                    Hint::ReleaseInPath => {
                        out.write_str(" (an update names the release in the request path)")
                    }
                    Hint::DidYouMean(name) => write!(out, " (did you mean `{name}`?)"),
                }
            }
            Problem::LooseVersion { found, canonical } => write!(
                out,
                "chart version {found} is accepted by Helm but is not strict SemVer 2.0.0; \
                 write {canonical}"
            ),
            Problem::IneffectiveParameter {
                doing,
                takes_effect,
            } => {
                let doing = match doing {
                    Doing::CreatingRelease => "creating a release",
                    Doing::UpgradingRelease => "upgrading a release",
                };
                let applies = match takes_effect {
                    TakesEffect::Updates => "updates",
                    TakesEffect::UpdatesAndDeletes => "updates and deletes",
                    TakesEffect::Rollbacks => "rollbacks",
                };
                write!(
                    out,
                    "{field} has no effect when {doing}: it only applies to {applies}"
                )
            }
            Problem::ClusterIdMismatch {
                body,
                path,
                request,
            } => {
                write!(
                    out,
                    "{field} {body} differs from the cluster id of the request path {path}"
                )?;
                out.write_str(if *request {
                    "; the API acts on the path's cluster"
                } else {
                    ": the answer is about another cluster than the one asked for"
                })
            }
            Problem::ValuesSchema { inner } => {
                inner.write(out, location, pointer)?;
                out.write_str(" (the chart's values.schema.json)")
            }
            Problem::SchemaRule { rule } => {
                write!(out, "{field} ")?;
                rule_words(out, rule)
            }
            Problem::ValuesSchemaBudget { limit, invalid } => {
                if *invalid {
                    write!(
                        out,
                        "{field} break the chart's values.schema.json, but listing why would take \
                         more than the evaluation budget of "
                    )?;
                } else {
                    write!(
                        out,
                        "{field} could not be checked against the chart's values.schema.json within \
                         the evaluation budget of "
                    )?;
                }
                match limit {
                    Limit::Steps(n) => write!(out, "{n} steps"),
                    Limit::Errors(n) => write!(out, "{n} errors"),
                    Limit::Stack(n) => write!(out, "{n} bytes of stack"),
                    Limit::Values(n) => write!(out, "{n} values read"),
                    Limit::Coalesced(n) => {
                        write!(out, "{n} values coalesced with the chart's defaults")
                    }
                }
            }
            Problem::ValuesTooLarge { size } => {
                write!(out, "{field} ")?;
                if size.chart {
                    out.write_str(
                        "with the chart's stored parts (its files, templates, defaults and schema) ",
                    )?;
                }
                write!(
                    out,
                    "make a revision of {}{} bytes as Helm stores it ({} bytes of JSON, gzipped, \
                     then base64-encoded), ",
                    if size.at_least { "more than " } else { "" },
                    size.stored,
                    size.json
                )?;
                if size.certain {
                    write!(
                        out,
                        "over the {} bytes (1 MiB) a Kubernetes Secret holds: the install will fail",
                        size.limit
                    )
                } else {
                    write!(
                        out,
                        "{}% of the {} bytes (1 MiB) a Kubernetes Secret holds: the install is at \
                         risk once the parts not measured ({}) are added",
                        size.stored * 100 / size.limit.max(1),
                        size.limit,
                        if size.chart {
                            "the rendered manifests"
                        } else {
                            "the chart and the rendered manifests"
                        }
                    )
                }
            }
            Problem::ChartSchema {
                inner,
                subchart,
                note,
                merged,
            } => {
                inner.write(out, location, merged.as_deref().unwrap_or(pointer))?;
                match subchart {
                    None => out.write_str(" (the chart's values.schema.json)")?,
                    Some(name) => write!(out, " (the values.schema.json of subchart {name})")?,
                }
                chart_note(out, note)
            }
            Problem::SubchartValues {
                found,
                subchart,
                note,
                merged,
            } => {
                let field = Label(location, merged.as_deref().unwrap_or(pointer));
                write!(
                    out,
                    "{field} must be an object: it holds the values of subchart {subchart}, and \
                     Helm refuses anything else (type mismatch); found "
                )?;
                found_words(out, found)?;
                chart_note(out, note)
            }
            Problem::ChartVersionMismatch { body, chart } => write!(
                out,
                "{field} {body} is not the version of the chart checked against ({chart}): the API \
                 installs {body}, whose defaults and schema may differ"
            ),
            Problem::InputTooLarge {
                size: Some(size),
                limit,
            } => write!(
                out,
                "the input is {size} bytes, over the maximum of {limit} bytes; it was not read"
            ),
            Problem::InputTooLarge { size: None, limit } => write!(
                out,
                "the input is longer than the maximum of {limit} bytes; it was not read past it"
            ),
            Problem::TooManyFindings { omitted, limit } => write!(
                out,
                "{omitted} more {} left out: the report stops at {limit}",
                if *omitted == 1 {
                    "finding is"
                } else {
                    "findings are"
                }
            ),
            Problem::SdkAttributeName { wire } => write!(
                out,
                "{field} is the SDK model's attribute name for `{wire}`, the name the API and the \
                 chart read, so this value is not applied (a body from the model's `to_dict()` \
                 rather than as the SDK serializes it)"
            ),
            Problem::UnknownStatus { found } => {
                write!(
                    out,
                    "{field} {found} is not one of the documented statuses ("
                )?;
                list(
                    out,
                    crate::ReleaseStatus::ALL
                        .iter()
                        .map(|s| Backticks(s.as_str())),
                )?;
                out.write_str("); a history may show others, so a list accepts it")
            }
            Problem::Placeholder { found, expected } => {
                write!(
                    out,
                    "{field} is the unfilled placeholder {found} (as the SDK samples leave it); \
                     expected "
                )?;
                out.write_str(match expected {
                    Expected::ClusterId => {
                        "the cluster's id, a UUID such as `e99a7e86-afdd-11eb-aca3-0255ac100b0e`"
                    }
                    Expected::ChartId => {
                        "a chart's id, a UUID such as `e99a7e86-afdd-11eb-aca3-0255ac100b0e`"
                    }
                    Expected::Namespace => {
                        "the release's namespace, a DNS-1123 label such as `default`"
                    }
                    Expected::ReleaseName => "the release's name, such as `koi-neo4j`",
                })
            }
            Problem::UnknownRoute { found, fault } => {
                write!(out, "the path {found} ")?;
                match fault {
                    RouteFault::Prefix => {
                        out.write_str("does not start with ")?;
                        alternatives(
                            out,
                            crate::http::Prefix::ALL
                                .iter()
                                .map(|p| Backticks(format!("{}/", p.as_str()))),
                            "or",
                        )?;
                        out.write_str(", the release API's prefixes")
                    }
                    RouteFault::NoOperation => {
                        out.write_str(
                            "names no operation of the release API: after the prefix, expected ",
                        )?;
                        let [releases, release, history] = PathShape::ALL;
                        write!(
                            out,
                            "`{}`, `{}` or that followed by `{}`",
                            releases.template(),
                            release.template(),
                            history
                                .template()
                                .strip_prefix(release.template())
                                .unwrap_or(history.template()),
                        )
                    }
                    RouteFault::PluralNamespace => out.write_str(
                        "names no operation of the release API: the segment is `namespace/`, \
                         singular (not the Kubernetes API's `namespaces/`)",
                    ),
                    RouteFault::EmptySegment => out.write_str(
                        "names no operation of the release API: it has an empty segment (`//` or \
                         a trailing `/`)",
                    ),
                }
            }
            Problem::MethodNotAllowed { method, path } => {
                write!(
                    out,
                    "method {method} is not allowed on `{}`: use ",
                    path.template()
                )?;
                alternatives(
                    out,
                    path.operations()
                        .map(|op| format!("`{}` ({})", op.method(), op.name())),
                    "or",
                )
            }
            Problem::UnknownParameter { operation } => write!(
                out,
                "unknown {field}: the {} operation does not take it",
                operation.name()
            ),
            Problem::DuplicateParameter => write!(
                out,
                "{field} is given more than once: servers keep only one of the values, so the \
                 other is silently lost"
            ),
            Problem::MissingAuth => out.write_str(
                "no credentials: send a token in `X-Auth-Token`, or an `SDK-HMAC-SHA256` \
                 signature in `Authorization` with `X-Sdk-Date`",
            ),
            Problem::MalformedAuth { fault } => match fault {
                AuthFault::EmptyToken => write!(out, "{field} is empty"),
                AuthFault::NotSigned => write!(
                    out,
                    "{field} is not an `SDK-HMAC-SHA256` signature (the value is not shown: it \
                     is a secret)"
                ),
                AuthFault::MissingPart(part) => write!(
                    out,
                    "{field} lacks `{part}=`: expected `SDK-HMAC-SHA256 Access=…, \
                     SignedHeaders=…, Signature=…` (the value is not shown: it is a secret)"
                ),
                AuthFault::NoDate => write!(
                    out,
                    "{field} is missing: an `SDK-HMAC-SHA256` signature needs the date it signed"
                ),
                AuthFault::BadDate => write!(
                    out,
                    "{field} must be a UTC time written `YYYYMMDDTHHMMSSZ`, such as \
                     `20210512T071142Z` (the value is not shown)"
                ),
            },
            Problem::ContentType { missing: true } => write!(
                out,
                "{field} is missing: a request with a body must send `application/json`"
            ),
            Problem::ContentType { missing: false } => write!(
                out,
                "{field} must be `application/json` (optionally with `;charset=utf-8`), found \
                 another media type (the value is not shown)"
            ),
            Problem::KindNotDetected { evidence } => {
                out.write_str("cannot tell which payload this is: ")?;
                if evidence.is_empty() {
                    out.write_str(
                        "nothing in it marks a kind (`chart_id` or `action` mark a request, \
                         `status` or `chart_name` a release, `errorCode` or `error_code` an error \
                         body; an array is a release list, a string a delete answer)",
                    )?;
                } else {
                    out.write_str("it has members of ")?;
                    let mut kinds: Vec<Kind> = Vec::new();
                    for e in evidence {
                        if !kinds.contains(&e.kind) {
                            kinds.push(e.kind);
                        }
                    }
                    alternatives(
                        out,
                        kinds.iter().map(|&kind| {
                            let markers: Vec<String> = evidence
                                .iter()
                                .filter(|e| e.kind == kind)
                                .map(|e| format!("`{}`", e.marker))
                                .collect();
                            format!("{} ({})", kind.name(), markers.join(", "))
                        }),
                        "and",
                    )?;
                }
                out.write_str("; name the kind with `--kind` or `kind` in cce-release.toml")
            }
            Problem::InvalidYaml { detail } => match detail {
                YamlSyntax::Parser(quoted) => write!(out, "invalid YAML: {quoted}"),
                YamlSyntax::NoDocument => {
                    out.write_str("invalid YAML: the input holds no document")
                }
                YamlSyntax::NotUtf8 { offset } => write!(
                    out,
                    "invalid YAML: the input is not valid UTF-8 (at byte {offset})"
                ),
                YamlSyntax::TooDeep { limit } => {
                    write!(out, "invalid YAML: nesting is deeper than {limit} levels")
                }
            },
            Problem::AmbiguousScalar {
                found,
                yaml12,
                yaml11,
                short_bool,
            } => {
                if *yaml12 == YamlReading::Date {
                    return write!(
                        out,
                        "{field} {found} is a date to PyYAML and ruamel.yaml, which JSON cannot \
                         carry (Python's `json` refuses it), and a string to YAML 1.2's core \
                         schema and Go's readers; quote it if you mean the string"
                    );
                }
                if *yaml12 == YamlReading::Unreadable {
                    write!(
                        out,
                        "{field} {found} makes YAML 1.2 readers (ruamel.yaml) fail, but is "
                    )?;
                    reading_words(out, yaml11)?;
                    return out.write_str(
                        " to YAML 1.1 readers (PyYAML, Go's yaml.v2); it is checked as a string; \
                         quote it",
                    );
                }
                write!(out, "{field} {found} is ")?;
                reading_words(out, yaml12)?;
                out.write_str(
                    " to YAML 1.2 readers (ruamel.yaml, Go's yaml.v3), as checked here, but ",
                )?;
                reading_words(out, yaml11)?;
                if *short_bool {
                    out.write_str(
                        " to YAML 1.1 readers that take `y` and `n` as booleans (Go's yaml.v2, \
                         which Helm's tooling uses; PyYAML reads a string)",
                    )?;
                } else {
                    out.write_str(" to YAML 1.1 readers (PyYAML, Go's yaml.v2)")?;
                }
                out.write_str("; quote it, or write it as both read it")
            }
            Problem::KeyNotString { key, reading } => {
                write!(out, "key {field} is ")?;
                reading_words(out, reading)?;
                write!(
                    out,
                    ", not a string: JSON keys are strings, and converters write it as {key} or \
                     refuse it; quote the key"
                )
            }
            Problem::NotJson { what } => match what {
                NotJson::ComplexKey => write!(
                    out,
                    "{field} has a mapping or a sequence as a key, which JSON cannot carry; the \
                     member is left out"
                ),
                NotJson::NonFinite => write!(
                    out,
                    "{field} is infinite or not a number (`.inf`, `.nan`), which a JSON number \
                     cannot be"
                ),
                NotJson::RecursiveAlias => write!(
                    out,
                    "{field} is an alias inside the node it names, an endless document JSON \
                     cannot carry; it is read as null"
                ),
            },
            Problem::YamlTag { tag, fault } => {
                write!(out, "{field} has the tag {tag}, ")?;
                out.write_str(match fault {
                    TagFault::Unknown => {
                        "which JSON converters do not know (PyYAML's safe loader refuses it)"
                    }
                    TagFault::NotJsonType => "a YAML type that JSON does not have",
                    TagFault::Misfit => "which does not fit its value (converters refuse it)",
                })?;
                out.write_str("; it is checked as if untagged")
            }
            Problem::MergeKey => write!(
                out,
                "{field} merges mappings with `<<`, which YAML 1.1 readers (PyYAML, ruamel.yaml, \
                 Go's yaml) apply but YAML 1.2 does not have (a strict reader sees a member named \
                 `<<`); it is checked merged"
            ),
            Problem::AliasExpansion { limit } => write!(
                out,
                "aliases expand the document by more than the maximum input size of {limit} bytes \
                 (a \"billion laughs\"); it was not checked"
            ),
            Problem::YamlLookahead { limit } => write!(
                out,
                "the YAML parser would have to read more than {limit} of the characters `,` `:` `[` \
                 `]` `{{` `}}` `&` `!` `*` ahead here, as it does over a flow collection that could \
                 be a key; write such a collection in block style, or the payload as JSON; it was \
                 not checked"
            ),
            Problem::YamlTooLarge { size, limit } => write!(
                out,
                "the YAML input is {size} bytes, over the maximum of {limit} bytes for YAML (a 16th \
                 of the maximum input size: a YAML document is held in memory while it is checked, \
                 at up to some 50 times its size); it was not read"
            ),
        }
    }
}

/// What a YAML reader makes of a scalar, in words.
fn reading_words(out: &mut String, reading: &YamlReading) -> fmt::Result {
    match reading {
        YamlReading::Null => out.write_str("null"),
        YamlReading::Bool(Some(b)) => write!(out, "the boolean `{b}`"),
        YamlReading::Bool(None) => out.write_str("a boolean"),
        YamlReading::Integer(Some(n)) => write!(out, "the integer {n}"),
        YamlReading::Integer(None) => out.write_str("an integer"),
        YamlReading::Float(Some(n)) => write!(out, "the float {n}"),
        YamlReading::Float(None) => out.write_str("a float"),
        YamlReading::String => out.write_str("a string"),
        YamlReading::Date => out.write_str("a date"),
        YamlReading::Unreadable => out.write_str("an error (the reader fails on it)"),
    }
}

/// What a chart-aware finding adds about where the value came from.
fn chart_note(out: &mut String, note: &ChartNote) -> fmt::Result {
    match note {
        ChartNote::None => Ok(()),
        ChartNote::FromDefaults(None) => {
            out.write_str("; the value comes from the chart's defaults (its values.yaml)")
        }
        ChartNote::FromDefaults(Some(chart)) => write!(
            out,
            "; the value comes from the defaults of subchart {chart} (its values.yaml)"
        ),
        ChartNote::RemovedByNull => out.write_str(
            "; this `null` removes the chart's default, and the schema requires the member",
        ),
        ChartNote::NotSet => out.write_str("; neither `values` nor the chart's defaults set it"),
        ChartNote::HelmGlobal => out.write_str(
            "; Helm adds `global` to the values of every subchart, so its schema must allow it",
        ),
        ChartNote::HelmSubchart => {
            out.write_str("; Helm puts the values of each enabled subchart under its name or alias")
        }
    }
}

/// The message of an unknown `--kind` name: it lists the kinds there are.
pub(crate) fn unknown_kind(f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
    write!(f, "unknown kind `{name}` (expected one of: ")?;
    for (i, kind) in Kind::ALL.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        f.write_str(kind.name())?;
    }
    f.write_str(")")
}

/// How many options of a chart's enumeration a message lists.
const OPTIONS_SHOWN: usize = 16;

/// `` `a`, `b`, `c` ``, the first [`OPTIONS_SHOWN`] of them and then how many more.
fn list<T: fmt::Display>(out: &mut String, items: impl Iterator<Item = T>) -> fmt::Result {
    let mut count = 0;
    for (i, item) in items.enumerate() {
        if i < OPTIONS_SHOWN {
            if i > 0 {
                out.write_str(", ")?;
            }
            write!(out, "{item}")?;
        }
        count = i + 1;
    }
    if count > OPTIONS_SHOWN {
        write!(out, " and {} more", count - OPTIONS_SHOWN)?;
    }
    Ok(())
}

/// `a`, `a or b`, `a, b or c`.
fn alternatives<T: fmt::Display>(
    out: &mut String,
    items: impl Iterator<Item = T>,
    last_word: &str,
) -> fmt::Result {
    let items: Vec<T> = items.collect();
    for (i, item) in items.iter().enumerate() {
        if i + 1 == items.len() && i > 0 {
            write!(out, " {last_word} ")?;
        } else if i > 0 {
            out.write_str(", ")?;
        }
        write!(out, "{item}")?;
    }
    Ok(())
}

struct Backticks<T>(T);

impl<T: fmt::Display> fmt::Display for Backticks<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`", self.0)
    }
}

/// "a string", "an integer or a string": the types a schema allows, `null` left out unless
/// alone (null is how a member says "absent"; nobody means to write it).
fn types(out: &mut String, allowed: Types) -> fmt::Result {
    let only_null = allowed == Types::NULL;
    let mut first = true;
    for (t, words) in Types::WORDS {
        if allowed.contains(t) && (t != Types::NULL || only_null) {
            if !first {
                out.write_str(" or ")?;
            }
            out.write_str(words)?;
            first = false;
        }
    }
    Ok(())
}

/// What a value is, for "found …": `null`, the string `yes`, the number 1.5, an object.
fn found_words(out: &mut String, found: &Found) -> fmt::Result {
    match found {
        Found::Null => out.write_str("null"),
        Found::Bool(b) => write!(out, "the boolean `{b}`"),
        Found::Number {
            shown,
            fractional: true,
        } => write!(out, "the fractional number {shown}"),
        Found::Number { shown, .. } => write!(out, "the number {shown}"),
        Found::String(quoted) => write!(out, "the string {quoted}"),
        Found::Array => out.write_str("an array"),
        Found::Object => out.write_str("an object"),
        Found::HiddenBool => out.write_str("a boolean"),
        Found::HiddenNumber => out.write_str("a number (not shown: the key names a secret)"),
    }
}

/// Words for the keywords of a chart's schema that have no code of their own.
fn rule_words(out: &mut String, rule: &Rule) -> fmt::Result {
    match rule {
        Rule::MinItems(limit) => write!(out, "must have at least {limit} items"),
        Rule::MaxItems(limit) | Rule::AdditionalItems(limit) => {
            write!(out, "must have at most {limit} items")
        }
        Rule::UniqueItems => out.write_str("must not contain the same item twice"),
        Rule::Contains => out.write_str("must contain an item that fits the `contains` schema"),
        Rule::MinProperties(limit) => write!(out, "must have at least {limit} members"),
        Rule::MaxProperties(limit) => write!(out, "must have at most {limit} members"),
        Rule::MultipleOf(n) => write!(out, "must be a multiple of {n}"),
        Rule::Format(format) => write!(out, "must be a valid {format}"),
        Rule::AnyOf => out.write_str("must fit at least one of the `anyOf` alternatives"),
        Rule::OneOfNone => out.write_str("must fit one of the `oneOf` alternatives"),
        Rule::OneOfMany => {
            out.write_str("must fit exactly one of the `oneOf` alternatives, but fits several")
        }
        Rule::Not => out.write_str("must not fit the `not` schema"),
        Rule::FalseSchema => out.write_str("is not allowed here"),
        Rule::PropertyNames => out.write_str("has a member name that the schema does not allow"),
        Rule::UnevaluatedItems => out.write_str("has items the schema does not allow"),
        Rule::ContentEncoding(encoding) => write!(out, "must be encoded as {encoding}"),
        Rule::ContentMediaType(media) => write!(out, "must be {media} content"),
        Rule::Keyword(keyword) => write!(out, "breaks the schema's {keyword} keyword"),
    }
}

fn characters(n: u64) -> &'static str {
    if n == 1 { "character" } else { "characters" }
}

/// How a message names the member at a pointer: `` `parameters.dry_run` `` for the body (the
/// pointer itself when a key would make the dotted form ambiguous; `[0]` for an array index),
/// `` path parameter `x` `` or `` query parameter `x` `` for a path or query finding,
/// `` header `X` `` for a header, "the document" for the root. Keys below a secret-looking key
/// are masked.
pub(crate) struct Label<'a>(pub Location, pub &'a str);

impl fmt::Display for Label<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Label(location, pointer) = *self;
        let pointer = mask_pointer(pointer);
        let pointer = pointer.as_ref();
        if location != Location::Body {
            let name = pointer.strip_prefix('/').unwrap_or(pointer);
            return match location {
                Location::Header => write!(f, "header `{name}`"),
                _ => write!(f, "{} parameter `{name}`", location.as_str()),
            };
        }
        if pointer.is_empty() {
            return f.write_str("the document");
        }
        let tokens = || pointer.split('/').skip(1);
        let plain = tokens().all(|t| {
            let ascii_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
            !t.is_empty()
                && (t == crate::redact::MASKED_KEY
                    || t.bytes().all(ascii_word)
                    || t.chars().all(|c| {
                        (c.is_ascii() && ascii_word(c as u8))
                            || (!c.is_ascii() && !c.is_whitespace() && !c.is_control())
                    }))
        });
        if !plain {
            return write!(f, "`{pointer}`");
        }
        f.write_str("`")?;
        for (i, token) in tokens().enumerate() {
            if token.bytes().all(|b| b.is_ascii_digit()) {
                write!(f, "[{token}]")?;
            } else {
                if i > 0 {
                    f.write_str(".")?;
                }
                f.write_str(token)?;
            }
        }
        f.write_str("`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::{quote_number, quote_str, shown_number};

    fn q(text: &str) -> Quoted {
        quote_str("/x", text)
    }

    #[test]
    fn every_fix_title() {
        for (title, text) in [
            (FixTitle::RemoveMember, "remove the member"),
            (
                FixTitle::RemoveEarlier,
                "remove the earlier member of this key (the value read is kept)",
            ),
            (FixTitle::Write("3.0.1"), "write `3.0.1`"),
            (
                FixTitle::Rename("dry_run"),
                "rename the member to `dry_run`",
            ),
            (FixTitle::StripBom, "remove the byte-order mark"),
        ] {
            assert_eq!(title.to_string(), text);
        }
    }

    /// Every message the crate writes, one row per problem kind: a wording change is a one-line
    /// diff here.
    #[test]
    fn every_message() {
        let body = Location::Body;
        let rows: Vec<(Problem, Location, &str, &str)> = vec![
            (
                Problem::InvalidJson {
                    detail: Syntax::from_parser("trailing comma"),
                },
                body,
                "",
                "invalid JSON: a trailing comma before a closing bracket",
            ),
            (
                Problem::InvalidJson {
                    detail: Syntax::from_parser("something new"),
                },
                body,
                "",
                "invalid JSON: `something new`",
            ),
            (
                Problem::EmptyInput,
                body,
                "",
                "invalid JSON: the input is empty",
            ),
            (
                Problem::TrailingData,
                body,
                "",
                "invalid JSON: unexpected data after the end of the JSON value",
            ),
            (
                Problem::TooDeep { limit: 128 },
                body,
                "",
                "invalid JSON: nesting is deeper than 128 levels",
            ),
            (
                Problem::InvalidUtf8 { offset: 7 },
                body,
                "",
                "invalid JSON: the input is not valid UTF-8 (at byte 7)",
            ),
            (
                Problem::NotTheModel,
                body,
                "",
                "invalid JSON: the payload does not fit the typed model",
            ),
            (
                Problem::ByteOrderMark,
                body,
                "",
                "the input starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM",
            ),
            (
                Problem::DuplicateKey,
                body,
                "/values/image",
                "duplicate key `values.image`: parsers keep only one of its values, so the other is silently lost",
            ),
            (
                Problem::DuplicateKey,
                body,
                "/values/tokens/s3cr3t-t0k3n",
                "duplicate key `values.tokens.***`: parsers keep only one of its values, so the other is silently lost",
            ),
            (
                Problem::MissingField,
                body,
                "/name",
                "missing mandatory field `name`",
            ),
            (
                Problem::TypeMismatch {
                    expected: Types::BOOLEAN.with(Types::NULL),
                    found: Found::String(q("yes")),
                },
                body,
                "/parameters/dry_run",
                "`parameters.dry_run` must be a boolean, found the string `yes`",
            ),
            (
                Problem::TypeMismatch {
                    expected: Types::INTEGER.with(Types::STRING),
                    found: Found::Number {
                        shown: crate::redact::shown_number(
                            &serde_json::Number::from_f64(1.5).unwrap_or(0.into()),
                        ),
                        fractional: true,
                    },
                },
                body,
                "/v",
                "`v` must be an integer or a string, found the fractional number 1.5",
            ),
            (
                Problem::TypeMismatch {
                    expected: Types::NULL,
                    found: Found::HiddenNumber,
                },
                body,
                "/values/pin",
                "`values.pin` must be null, found a number (not shown: the key names a secret)",
            ),
            (
                Problem::TooShort { min: 1, actual: 0 },
                body,
                "/name",
                "`name` must not be empty",
            ),
            (
                Problem::TooShort { min: 3, actual: 2 },
                body,
                "/values/x",
                "`values.x` must be at least 3 characters, found 2",
            ),
            (
                Problem::TooLong {
                    max: 53,
                    actual: 54,
                },
                body,
                "/name",
                "`name` must be at most 53 characters, found 54",
            ),
            (
                Problem::PatternMismatch {
                    shape: Shape::ReleaseName,
                    found: q("Koi"),
                },
                body,
                "/name",
                "`name` must start with a lowercase letter, contain only lowercase letters, digits and `-`, \
              and end with a letter or digit, found `Koi`",
            ),
            (
                Problem::PatternMismatch {
                    shape: Shape::Namespace,
                    found: q("a-"),
                },
                body,
                "/namespace",
                "`namespace` must be a DNS-1123 label: lowercase letters, digits and `-`, starting and ending \
              with a letter or digit, found `a-`",
            ),
            (
                Problem::PatternMismatch {
                    shape: Shape::ImageTag,
                    found: q(".x"),
                },
                body,
                "/values/imageTag",
                "`values.imageTag` must be an image tag: letters, digits, `_`, `.` and `-`, not starting with \
              `.` or `-`, found `.x`",
            ),
            (
                Problem::PatternMismatch {
                    shape: Shape::Pattern(q("^[0-9]+$")),
                    found: q("abc"),
                },
                body,
                "/values/port",
                "`values.port` must match the pattern `^[0-9]+$`, found `abc`",
            ),
            (
                Problem::InvalidFormat {
                    format: ValueFormat::Uuid,
                    found: q("neo4j"),
                },
                body,
                "/chart_id",
                "`chart_id` must be a UUID such as `e99a7e86-afdd-11eb-aca3-0255ac100b0e`, found `neo4j`",
            ),
            (
                Problem::InvalidFormat {
                    format: ValueFormat::ChartVersion,
                    found: q("latest"),
                },
                body,
                "/version",
                "`version` must be a chart version Helm accepts, such as `3.0.1` (MAJOR.MINOR.PATCH, \
              optionally with -pre-release and +build), found `latest`",
            ),
            (
                Problem::OutOfRange {
                    bound: Bound::Min,
                    limit: "0".into(),
                    found: quote_number("/v", &serde_json::Number::from(-1)),
                },
                body,
                "/parameters/release_version",
                "`parameters.release_version` must be at least 0, found `-1`",
            ),
            (
                Problem::OutOfRange {
                    bound: Bound::Max,
                    limit: "9".into(),
                    found: q("10"),
                },
                body,
                "/v",
                "`v` must be at most 9, found `10`",
            ),
            (
                Problem::OutOfRange {
                    bound: Bound::Above,
                    limit: "0".into(),
                    found: q("0"),
                },
                body,
                "/v",
                "`v` must be greater than 0, found `0`",
            ),
            (
                Problem::OutOfRange {
                    bound: Bound::Below,
                    limit: "9".into(),
                    found: q("9"),
                },
                body,
                "/v",
                "`v` must be less than 9, found `9`",
            ),
            (
                Problem::NotAllowed {
                    allowed: Allowed::Words(vec!["Always", "Never"]),
                    found: q("always"),
                },
                body,
                "/values/imagePullPolicy",
                "`values.imagePullPolicy` must be one of `Always`, `Never`, found `always`",
            ),
            (
                Problem::NotAllowed {
                    allowed: Allowed::Quoted((0..20).map(|i| q(&i.to_string())).collect()),
                    found: q("x"),
                },
                body,
                "/values/n",
                "`values.n` must be one of `0`, `1`, `2`, `3`, `4`, `5`, `6`, `7`, `8`, `9`, `10`, `11`, \
              `12`, `13`, `14`, `15` and 4 more, found `x`",
            ),
            (
                Problem::UnknownField {
                    owner: Owner::Document(Kind::CreateRequest),
                    hint: Hint::None,
                },
                body,
                "/x",
                "unknown field `x`: the create-release body does not define it",
            ),
            (
                Problem::UnknownField {
                    owner: Owner::Parent,
                    hint: Hint::DidYouMean("dry_run"),
                },
                body,
                "/parameters/dryRun",
                "unknown field `parameters.dryRun`: `parameters` does not define it (did you mean `dry_run`?)",
            ),
            (
                Problem::UnknownField {
                    owner: Owner::Document(Kind::CreateRequest),
                    hint: Hint::ClusterInPath,
                },
                body,
                "/cluster_id",
                "unknown field `cluster_id`: the create-release body does not define it (the cluster id goes \
              in the request path)",
            ),
            (
                Problem::UnknownField {
                    owner: Owner::Document(Kind::CreateRequest),
                    hint: Hint::ProjectFromToken,
                },
                body,
                "/project_id",
                "unknown field `project_id`: the create-release body does not define it (the project comes \
              from the token or the `X-Project-Id` header)",
            ),
            (
                Problem::UnknownField {
                    owner: Owner::Document(Kind::UpdateRequest),
                    hint: Hint::ReleaseInPath,
                },
                body,
                "/name",
                "unknown field `name`: the update-release body does not define it (an update names the \
              release in the request path)",
            ),
            (
                Problem::LooseVersion {
                    found: q("v3.0"),
                    canonical: q("3.0.0"),
                },
                body,
                "/version",
                "chart version `v3.0` is accepted by Helm but is not strict SemVer 2.0.0; write `3.0.0`",
            ),
            (
                Problem::SdkAttributeName {
                    wire: "imagePullPolicy",
                },
                body,
                "/values/image_pull_policy",
                "`values.image_pull_policy` is the SDK model's attribute name for `imagePullPolicy`, \
              the name the API and the chart read, so this value is not applied (a body from the \
              model's `to_dict()` rather than as the SDK serializes it)",
            ),
            (
                Problem::IneffectiveParameter {
                    doing: Doing::CreatingRelease,
                    takes_effect: TakesEffect::Updates,
                },
                body,
                "/parameters/recreate",
                "`parameters.recreate` has no effect when creating a release: it only applies to updates",
            ),
            (
                Problem::IneffectiveParameter {
                    doing: Doing::CreatingRelease,
                    takes_effect: TakesEffect::UpdatesAndDeletes,
                },
                body,
                "/parameters/include_hooks",
                "`parameters.include_hooks` has no effect when creating a release: it only applies to \
              updates and deletes",
            ),
            (
                Problem::IneffectiveParameter {
                    doing: Doing::UpgradingRelease,
                    takes_effect: TakesEffect::Rollbacks,
                },
                body,
                "/parameters/release_version",
                "`parameters.release_version` has no effect when upgrading a release: it only applies to \
              rollbacks",
            ),
            (
                Problem::ClusterIdMismatch {
                    body: q("a"),
                    path: q("b"),
                    request: true,
                },
                body,
                "/cluster_id",
                "`cluster_id` `a` differs from the cluster id of the request path `b`; the API acts on \
              the path's cluster",
            ),
            (
                Problem::ClusterIdMismatch {
                    body: q("a"),
                    path: q("b"),
                    request: false,
                },
                body,
                "/cluster_id",
                "`cluster_id` `a` differs from the cluster id of the request path `b`: the answer is \
              about another cluster than the one asked for",
            ),
            (
                Problem::ValuesSchema {
                    inner: Box::new(Problem::MissingField),
                },
                body,
                "/values/persistence/size",
                "missing mandatory field `values.persistence.size` (the chart's values.schema.json)",
            ),
            (
                Problem::ValuesSchema {
                    inner: Box::new(Problem::SchemaRule {
                        rule: Rule::MinItems(2),
                    }),
                },
                body,
                "/values/hosts",
                "`values.hosts` must have at least 2 items (the chart's values.schema.json)",
            ),
            (
                Problem::ValuesSchemaBudget {
                    limit: Limit::Steps(1000),
                    invalid: false,
                },
                body,
                "/values",
                "`values` could not be checked against the chart's values.schema.json within the \
              evaluation budget of 1000 steps",
            ),
            (
                Problem::ValuesSchemaBudget {
                    limit: Limit::Errors(5),
                    invalid: true,
                },
                body,
                "/values",
                "`values` break the chart's values.schema.json, but listing why would take more than \
              the evaluation budget of 5 errors",
            ),
            (
                Problem::ValuesSchemaBudget {
                    limit: Limit::Values(1 << 18),
                    invalid: false,
                },
                body,
                "/values",
                "`values` could not be checked against the chart's values.schema.json within the \
              evaluation budget of 262144 values read",
            ),
            (
                Problem::ValuesSchemaBudget {
                    limit: Limit::Coalesced(1 << 20),
                    invalid: false,
                },
                body,
                "/values",
                "`values` could not be checked against the chart's values.schema.json within the \
              evaluation budget of 1048576 values coalesced with the chart's defaults",
            ),
            (
                Problem::ValuesSchemaBudget {
                    limit: Limit::Stack(4096),
                    invalid: false,
                },
                body,
                "/values",
                "`values` could not be checked against the chart's values.schema.json within the \
              evaluation budget of 4096 bytes of stack",
            ),
            (
                Problem::ValuesTooLarge {
                    size: StoredSize {
                        stored: 1_400_000,
                        json: 1_000_000,
                        limit: 1_048_576,
                        chart: false,
                        certain: true,
                        at_least: false,
                    },
                },
                body,
                "/values",
                "`values` make a revision of 1400000 bytes as Helm stores it (1000000 bytes of JSON, gzipped, \
              then base64-encoded), over the 1048576 bytes (1 MiB) a Kubernetes Secret holds: the install will fail",
            ),
            (
                Problem::ValuesTooLarge {
                    size: StoredSize {
                        stored: 1_080_000,
                        json: 9_000_000,
                        limit: 1_048_576,
                        chart: false,
                        certain: true,
                        at_least: true,
                    },
                },
                body,
                "/values",
                "`values` make a revision of more than 1080000 bytes as Helm stores it (9000000 bytes of JSON, \
              gzipped, then base64-encoded), over the 1048576 bytes (1 MiB) a Kubernetes Secret holds: the install \
              will fail",
            ),
            (
                Problem::ValuesTooLarge {
                    size: StoredSize {
                        stored: 900_000,
                        json: 3_000_000,
                        limit: 1_048_576,
                        chart: true,
                        certain: false,
                        at_least: false,
                    },
                },
                body,
                "/values",
                "`values` with the chart's stored parts (its files, templates, defaults and schema) make a revision \
              of 900000 bytes as Helm stores it (3000000 bytes of JSON, gzipped, then base64-encoded), 85% of the \
              1048576 bytes (1 MiB) a Kubernetes Secret holds: the install is at risk once the parts not measured \
              (the rendered manifests) are added",
            ),
            (
                Problem::ChartSchema {
                    inner: Box::new(Problem::TypeMismatch {
                        expected: Types::INTEGER,
                        found: Found::String(q("three")),
                    }),
                    subchart: None,
                    note: ChartNote::None,
                    merged: None,
                },
                body,
                "/values/replicaCount",
                "`values.replicaCount` must be an integer, found the string `three` (the chart's values.schema.json)",
            ),
            (
                Problem::ChartSchema {
                    inner: Box::new(Problem::MissingField),
                    subchart: Some(q("cache")),
                    note: ChartNote::NotSet,
                    merged: Some("/values/cache/password".into()),
                },
                body,
                "/values",
                "missing mandatory field `values.cache.password` (the values.schema.json of subchart `cache`); \
              neither `values` nor the chart's defaults set it",
            ),
            (
                Problem::ChartSchema {
                    inner: Box::new(Problem::MissingField),
                    subchart: None,
                    note: ChartNote::RemovedByNull,
                    merged: None,
                },
                body,
                "/values/image",
                "missing mandatory field `values.image` (the chart's values.schema.json); this `null` removes \
              the chart's default, and the schema requires the member",
            ),
            (
                Problem::ChartSchema {
                    inner: Box::new(Problem::OutOfRange {
                        bound: Bound::Max,
                        limit: "10".into(),
                        found: q("20"),
                    }),
                    subchart: None,
                    note: ChartNote::FromDefaults(None),
                    merged: Some("/values/replicas".into()),
                },
                body,
                "/values",
                "`values.replicas` must be at most 10, found `20` (the chart's values.schema.json); the value \
              comes from the chart's defaults (its values.yaml)",
            ),
            (
                Problem::ChartSchema {
                    inner: Box::new(Problem::UnknownField {
                        owner: Owner::Parent,
                        hint: Hint::None,
                    }),
                    subchart: Some(q("cache")),
                    note: ChartNote::HelmGlobal,
                    merged: Some("/values/cache/global".into()),
                },
                body,
                "/values",
                "unknown field `values.cache.global`: `values.cache` does not define it (the values.schema.json \
              of subchart `cache`); Helm adds `global` to the values of every subchart, so its schema must allow it",
            ),
            (
                Problem::ChartSchema {
                    inner: Box::new(Problem::UnknownField {
                        owner: Owner::Parent,
                        hint: Hint::None,
                    }),
                    subchart: None,
                    note: ChartNote::HelmSubchart,
                    merged: Some("/values/cache".into()),
                },
                body,
                "/values",
                "unknown field `values.cache`: `values` does not define it (the chart's values.schema.json); \
              Helm puts the values of each enabled subchart under its name or alias",
            ),
            (
                Problem::ChartSchema {
                    inner: Box::new(Problem::TooShort { min: 1, actual: 0 }),
                    subchart: Some(q("cache")),
                    note: ChartNote::FromDefaults(Some(q("cache"))),
                    merged: Some("/values/cache/host".into()),
                },
                body,
                "/values",
                "`values.cache.host` must not be empty (the values.schema.json of subchart `cache`); the value \
              comes from the defaults of subchart `cache` (its values.yaml)",
            ),
            (
                Problem::SubchartValues {
                    found: Found::Bool(true),
                    subchart: q("redis"),
                    note: ChartNote::None,
                    merged: None,
                },
                body,
                "/values/redis",
                "`values.redis` must be an object: it holds the values of subchart `redis`, and Helm refuses \
              anything else (type mismatch); found the boolean `true`",
            ),
            (
                Problem::ChartVersionMismatch {
                    body: q("3.0.2"),
                    chart: q("3.0.1"),
                },
                body,
                "/version",
                "`version` `3.0.2` is not the version of the chart checked against (`3.0.1`): the API installs \
              `3.0.2`, whose defaults and schema may differ",
            ),
            (
                Problem::InputTooLarge {
                    size: Some(100),
                    limit: 10,
                },
                body,
                "",
                "the input is 100 bytes, over the maximum of 10 bytes; it was not read",
            ),
            (
                Problem::InputTooLarge {
                    size: None,
                    limit: 10,
                },
                body,
                "",
                "the input is longer than the maximum of 10 bytes; it was not read past it",
            ),
            (
                Problem::TooManyFindings {
                    omitted: 1,
                    limit: 1000,
                },
                body,
                "",
                "1 more finding is left out: the report stops at 1000",
            ),
            (
                Problem::TooManyFindings {
                    omitted: 5,
                    limit: 1000,
                },
                body,
                "",
                "5 more findings are left out: the report stops at 1000",
            ),
            (
                Problem::UnknownStatus {
                    found: q("SUPERSEDED"),
                },
                body,
                "/1/status",
                "`[1].status` `SUPERSEDED` is not one of the documented statuses (`DEPLOYED`, `DELETED`, \
              `FAILED`, `DELETING`, `PENDING_INSTALL`, `PENDING_UPGRADE`, `PENDING_ROLLBACK`, `UNKNOWN`); \
              a history may show others, so a list accepts it",
            ),
            (
                Problem::Placeholder {
                    found: q("{cluster_id}"),
                    expected: Expected::ClusterId,
                },
                Location::Path,
                "/cluster_id",
                "path parameter `cluster_id` is the unfilled placeholder `{cluster_id}` (as the SDK samples \
              leave it); expected the cluster's id, a UUID such as `e99a7e86-afdd-11eb-aca3-0255ac100b0e`",
            ),
            (
                Problem::UnknownRoute {
                    found: q("/cce/v3/x"),
                    fault: RouteFault::Prefix,
                },
                Location::Path,
                "",
                "the path `/cce/v3/x` does not start with `/autopilot/cam/v3/` or `/cce/cam/v3/`, the \
              release API's prefixes",
            ),
            (
                Problem::UnknownRoute {
                    found: q("/cce/cam/v3/x"),
                    fault: RouteFault::NoOperation,
                },
                Location::Path,
                "",
                "the path `/cce/cam/v3/x` names no operation of the release API: after the prefix, expected \
              `/clusters/{cluster_id}/releases`, `/clusters/{cluster_id}/namespace/{namespace}/releases/{name}` \
              or that followed by `/history`",
            ),
            (
                Problem::UnknownRoute {
                    found: q("/p"),
                    fault: RouteFault::PluralNamespace,
                },
                Location::Path,
                "",
                "the path `/p` names no operation of the release API: the segment is `namespace/`, singular \
              (not the Kubernetes API's `namespaces/`)",
            ),
            (
                Problem::UnknownRoute {
                    found: q("/p/"),
                    fault: RouteFault::EmptySegment,
                },
                Location::Path,
                "",
                "the path `/p/` names no operation of the release API: it has an empty segment (`//` or a \
              trailing `/`)",
            ),
            (
                Problem::MethodNotAllowed {
                    method: q("PATCH"),
                    path: PathShape::Releases,
                },
                Location::Path,
                "",
                "method `PATCH` is not allowed on `/clusters/{cluster_id}/releases`: use `POST` (create) or \
              `GET` (list)",
            ),
            (
                Problem::MethodNotAllowed {
                    method: q("PATCH"),
                    path: PathShape::Release,
                },
                Location::Path,
                "",
                "method `PATCH` is not allowed on `/clusters/{cluster_id}/namespace/{namespace}/releases/{name}`: \
              use `GET` (show), `PUT` (update) or `DELETE` (delete)",
            ),
            (
                Problem::UnknownParameter {
                    operation: Operation::Show,
                },
                Location::Query,
                "/chart_id",
                "unknown query parameter `chart_id`: the show operation does not take it",
            ),
            (
                Problem::DuplicateParameter,
                Location::Query,
                "/namespace",
                "query parameter `namespace` is given more than once: servers keep only one of the values, \
              so the other is silently lost",
            ),
            (
                Problem::MissingAuth,
                Location::Header,
                "/X-Auth-Token",
                "no credentials: send a token in `X-Auth-Token`, or an `SDK-HMAC-SHA256` signature in \
              `Authorization` with `X-Sdk-Date`",
            ),
            (
                Problem::MalformedAuth {
                    fault: AuthFault::EmptyToken,
                },
                Location::Header,
                "/X-Auth-Token",
                "header `X-Auth-Token` is empty",
            ),
            (
                Problem::MalformedAuth {
                    fault: AuthFault::NotSigned,
                },
                Location::Header,
                "/Authorization",
                "header `Authorization` is not an `SDK-HMAC-SHA256` signature (the value is not shown: it \
              is a secret)",
            ),
            (
                Problem::MalformedAuth {
                    fault: AuthFault::MissingPart("Signature"),
                },
                Location::Header,
                "/Authorization",
                "header `Authorization` lacks `Signature=`: expected `SDK-HMAC-SHA256 Access=…, \
              SignedHeaders=…, Signature=…` (the value is not shown: it is a secret)",
            ),
            (
                Problem::MalformedAuth {
                    fault: AuthFault::NoDate,
                },
                Location::Header,
                "/X-Sdk-Date",
                "header `X-Sdk-Date` is missing: an `SDK-HMAC-SHA256` signature needs the date it signed",
            ),
            (
                Problem::MalformedAuth {
                    fault: AuthFault::BadDate,
                },
                Location::Header,
                "/X-Sdk-Date",
                "header `X-Sdk-Date` must be a UTC time written `YYYYMMDDTHHMMSSZ`, such as \
              `20210512T071142Z` (the value is not shown)",
            ),
            (
                Problem::ContentType { missing: true },
                Location::Header,
                "/Content-Type",
                "header `Content-Type` is missing: a request with a body must send `application/json`",
            ),
            (
                Problem::ContentType { missing: false },
                Location::Header,
                "/Content-Type",
                "header `Content-Type` must be `application/json` (optionally with `;charset=utf-8`), found \
              another media type (the value is not shown)",
            ),
            (
                Problem::KindNotDetected { evidence: vec![] },
                body,
                "",
                "cannot tell which payload this is: nothing in it marks a kind (`chart_id` or `action` mark \
              a request, `status` or `chart_name` a release, `errorCode` or `error_code` an error body; an \
              array is a release list, a string a delete answer); name the kind with `--kind` or `kind` in \
              cce-release.toml",
            ),
            (
                Problem::KindNotDetected {
                    evidence: vec![
                        Evidence {
                            kind: Kind::CreateRequest,
                            marker: "chart_id",
                        },
                        Evidence {
                            kind: Kind::Release,
                            marker: "status",
                        },
                        Evidence {
                            kind: Kind::Release,
                            marker: "chart_name",
                        },
                    ],
                },
                body,
                "",
                "cannot tell which payload this is: it has members of create-request (`chart_id`) and \
              release (`status`, `chart_name`); name the kind with `--kind` or `kind` in cce-release.toml",
            ),
            (
                Problem::InvalidYaml {
                    detail: YamlSyntax::Parser(q("mapping values are not allowed in this context")),
                },
                body,
                "",
                "invalid YAML: `mapping values are not allowed in this context`",
            ),
            (
                Problem::InvalidYaml {
                    detail: YamlSyntax::NoDocument,
                },
                body,
                "",
                "invalid YAML: the input holds no document",
            ),
            (
                Problem::InvalidYaml {
                    detail: YamlSyntax::NotUtf8 { offset: 7 },
                },
                body,
                "",
                "invalid YAML: the input is not valid UTF-8 (at byte 7)",
            ),
            (
                Problem::InvalidYaml {
                    detail: YamlSyntax::TooDeep { limit: 127 },
                },
                body,
                "",
                "invalid YAML: nesting is deeper than 127 levels",
            ),
            (
                Problem::AmbiguousScalar {
                    found: q("yes"),
                    yaml12: YamlReading::String,
                    yaml11: YamlReading::Bool(Some(true)),
                    short_bool: false,
                },
                body,
                "/parameters/dry_run",
                "`parameters.dry_run` `yes` is a string to YAML 1.2 readers (ruamel.yaml, Go's yaml.v3), \
              as checked here, but the boolean `true` to YAML 1.1 readers (PyYAML, Go's yaml.v2); quote \
              it, or write it as both read it",
            ),
            (
                Problem::AmbiguousScalar {
                    found: q("0777"),
                    yaml12: YamlReading::Integer(Some(shown_number(&777.into()))),
                    yaml11: YamlReading::Integer(Some(shown_number(&511.into()))),
                    short_bool: false,
                },
                body,
                "/values/mode",
                "`values.mode` `0777` is the integer 777 to YAML 1.2 readers (ruamel.yaml, Go's yaml.v3), \
              as checked here, but the integer 511 to YAML 1.1 readers (PyYAML, Go's yaml.v2); quote it, \
              or write it as both read it",
            ),
            (
                Problem::AmbiguousScalar {
                    found: q("y"),
                    yaml12: YamlReading::String,
                    yaml11: YamlReading::Bool(None),
                    short_bool: true,
                },
                body,
                "/values/enabled",
                "`values.enabled` `y` is a string to YAML 1.2 readers (ruamel.yaml, Go's yaml.v3), as \
              checked here, but a boolean to YAML 1.1 readers that take `y` and `n` as booleans (Go's \
              yaml.v2, which Helm's tooling uses; PyYAML reads a string); quote it, or write it as both \
              read it",
            ),
            (
                Problem::AmbiguousScalar {
                    found: q("2021-05-12"),
                    yaml12: YamlReading::Date,
                    yaml11: YamlReading::Date,
                    short_bool: false,
                },
                body,
                "/values/since",
                "`values.since` `2021-05-12` is a date to PyYAML and ruamel.yaml, which JSON cannot carry \
              (Python's `json` refuses it), and a string to YAML 1.2's core schema and Go's readers; quote \
              it if you mean the string",
            ),
            (
                Problem::AmbiguousScalar {
                    found: q("+_"),
                    yaml12: YamlReading::Unreadable,
                    yaml11: YamlReading::String,
                    short_bool: false,
                },
                body,
                "/values/x",
                "`values.x` `+_` makes YAML 1.2 readers (ruamel.yaml) fail, but is a string to YAML 1.1 \
              readers (PyYAML, Go's yaml.v2); it is checked as a string; quote it",
            ),
            (
                Problem::KeyNotString {
                    key: q("1"),
                    reading: YamlReading::Integer(Some(shown_number(&1.into()))),
                },
                body,
                "/values/1",
                "key `values[1]` is the integer 1, not a string: JSON keys are strings, and converters \
              write it as `1` or refuse it; quote the key",
            ),
            (
                Problem::NotJson {
                    what: NotJson::ComplexKey,
                },
                body,
                "/values",
                "`values` has a mapping or a sequence as a key, which JSON cannot carry; the member is left \
              out",
            ),
            (
                Problem::NotJson {
                    what: NotJson::NonFinite,
                },
                body,
                "/values/ratio",
                "`values.ratio` is infinite or not a number (`.inf`, `.nan`), which a JSON number cannot be",
            ),
            (
                Problem::NotJson {
                    what: NotJson::RecursiveAlias,
                },
                body,
                "/values/a/1",
                "`values.a[1]` is an alias inside the node it names, an endless document JSON cannot carry; \
              it is read as null",
            ),
            (
                Problem::YamlTag {
                    tag: q("!vault"),
                    fault: TagFault::Unknown,
                },
                body,
                "/values/password",
                "`values.password` has the tag `!vault`, which JSON converters do not know (PyYAML's safe \
              loader refuses it); it is checked as if untagged",
            ),
            (
                Problem::YamlTag {
                    tag: q("!!binary"),
                    fault: TagFault::NotJsonType,
                },
                body,
                "/values/blob",
                "`values.blob` has the tag `!!binary`, a YAML type that JSON does not have; it is checked as \
              if untagged",
            ),
            (
                Problem::YamlTag {
                    tag: q("!!int"),
                    fault: TagFault::Misfit,
                },
                body,
                "/values/n",
                "`values.n` has the tag `!!int`, which does not fit its value (converters refuse it); it is \
              checked as if untagged",
            ),
            (
                Problem::MergeKey,
                body,
                "/values",
                "`values` merges mappings with `<<`, which YAML 1.1 readers (PyYAML, ruamel.yaml, Go's yaml) \
              apply but YAML 1.2 does not have (a strict reader sees a member named `<<`); it is checked \
              merged",
            ),
            (
                Problem::AliasExpansion { limit: 1024 },
                body,
                "",
                "aliases expand the document by more than the maximum input size of 1024 bytes (a \"billion \
              laughs\"); it was not checked",
            ),
            (
                Problem::YamlLookahead { limit: 8 },
                body,
                "",
                "the YAML parser would have to read more than 8 of the characters `,` `:` `[` `]` `{` `}` `&` \
              `!` `*` ahead here, as it does over a flow collection that could be a key; write such a \
              collection in block style, or the payload as JSON; it was not checked",
            ),
            (
                Problem::YamlTooLarge {
                    size: 2048,
                    limit: 1024,
                },
                body,
                "",
                "the YAML input is 2048 bytes, over the maximum of 1024 bytes for YAML (a 16th of the \
              maximum input size: a YAML document is held in memory while it is checked, at up to some \
              50 times its size); it was not read",
            ),
        ];
        let mut codes_seen = std::collections::HashSet::new();
        for (problem, location, pointer, expected) in rows {
            codes_seen.insert(problem.code());
            assert_eq!(problem.message(location, pointer), expected, "{problem:?}");
        }
        for code in Code::ALL {
            assert!(codes_seen.contains(code), "{code} has no row");
        }
    }

    #[test]
    fn schema_rules_in_words() {
        for (rule, words) in [
            (Rule::MaxItems(3), "must have at most 3 items"),
            (Rule::UniqueItems, "must not contain the same item twice"),
            (Rule::MultipleOf("5".into()), "must be a multiple of 5"),
            (Rule::Format(q("email")), "must be a valid `email`"),
            (Rule::Not, "must not fit the `not` schema"),
            (
                Rule::Keyword(q("x-custom")),
                "breaks the schema's `x-custom` keyword",
            ),
        ] {
            let mut out = String::new();
            rule_words(&mut out, &rule).unwrap_or_default();
            assert_eq!(out, words);
        }
    }

    #[test]
    fn labels() {
        let label = |location, pointer| Label(location, pointer).to_string();
        assert_eq!(label(Location::Body, ""), "the document");
        assert_eq!(label(Location::Body, "/name"), "`name`");
        assert_eq!(
            label(Location::Body, "/parameters/dry_run"),
            "`parameters.dry_run`"
        );
        assert_eq!(
            label(Location::Body, "/values/list/0/x"),
            "`values.list[0].x`"
        );
        assert_eq!(label(Location::Body, "/values/a.b"), "`/values/a.b`");
        assert_eq!(label(Location::Body, "/values/a~1b"), "`/values/a~1b`");
        assert_eq!(label(Location::Body, "/values/"), "`/values/`");
        assert_eq!(
            label(Location::Body, "/values/apiKeys/k-9 x/y"),
            "`values.apiKeys.***.***`"
        );
        assert_eq!(
            label(Location::Path, "/cluster_id"),
            "path parameter `cluster_id`"
        );
        assert_eq!(label(Location::Body, "/0/status"), "`[0].status`");
        assert_eq!(
            label(Location::Query, "/namespace"),
            "query parameter `namespace`"
        );
        assert_eq!(
            label(Location::Header, "/X-Auth-Token"),
            "header `X-Auth-Token`"
        );
    }
}
