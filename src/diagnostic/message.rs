//! Every message the validator writes, in one place (pinned by one table test).
//!
//! A [`Problem`] carries the data of one finding; [`Problem::message`] turns it into the one
//! sentence a user reads. Values from the payload are echoed only through [`echo`], which
//! shortens them and masks anything under a key that names a secret.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::{Code, Location};
use crate::validate::chart::Limit;

/// The shape a `pattern` stands for, so that the message can say it in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shape {
    ReleaseName,
    Namespace,
    ImageTag,
    /// Any other pattern (from a chart's values schema, for example).
    Other(String),
}

/// A format a value must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
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

/// The data of one finding. The variant decides the code; [`Problem::message`] the wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    /// The parser's own description of a syntax error.
    InvalidJson {
        detail: String,
    },
    EmptyInput,
    TrailingData,
    TooDeep {
        limit: usize,
    },
    InvalidUtf8 {
        offset: usize,
    },
    ByteOrderMark,
    DuplicateKey,
    MissingField,
    /// `expected` and `found` are noun phrases: "a string", "the number 1.5".
    TypeMismatch {
        expected: String,
        found: String,
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
        found: String,
    },
    InvalidFormat {
        format: Format,
        found: String,
    },
    OutOfRange {
        bound: Bound,
        limit: String,
        found: String,
    },
    NotAllowed {
        allowed: Vec<String>,
        found: String,
    },
    /// `owner` names the object ("the create-release body"); `hint` says where the member belongs.
    UnknownField {
        owner: String,
        hint: Option<String>,
    },
    LooseVersion {
        found: String,
        canonical: String,
    },
    /// `operation` says what the request does ("creating a release"), `applies_to` in which
    /// operations the parameter does take effect.
    IneffectiveParameter {
        operation: &'static str,
        applies_to: &'static str,
    },
    /// `request`: the body is a request's (which the API applies to the path's cluster), not
    /// an answer's.
    ClusterIdMismatch {
        body: String,
        path: String,
        request: bool,
    },
    /// A finding of the chart's `values.schema.json`, worded as the inner problem.
    ValuesSchema {
        inner: Box<Problem>,
    },
    /// A chart schema keyword without a code of its own; `rule` continues the field's name
    /// ("must have at least 2 items").
    SchemaRule {
        rule: String,
    },
    /// The chart's schema ran out of its budget; `invalid`: the values are known to break it.
    ValuesSchemaBudget {
        limit: Limit,
        invalid: bool,
    },
    ValuesTooLarge {
        size: usize,
        limit: usize,
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
        found: String,
    },
    /// A path or query value that is still its `{placeholder}`; `expected` says what goes there.
    Placeholder {
        found: String,
        expected: &'static str,
    },
    /// `found` is the path, echoed.
    UnknownRoute {
        found: String,
        fault: RouteFault,
    },
    /// `allowed` names the route and its methods: "on `/clusters/{cluster_id}/releases`: use
    /// `POST` (create) or `GET` (list)".
    MethodNotAllowed {
        method: String,
        allowed: &'static str,
    },
    /// A query parameter the operation does not take.
    UnknownParameter {
        operation: &'static str,
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
}

impl Problem {
    /// The code this problem is reported under.
    pub(crate) fn code(&self) -> Code {
        match self {
            Problem::InvalidJson { .. }
            | Problem::EmptyInput
            | Problem::TrailingData
            | Problem::TooDeep { .. }
            | Problem::InvalidUtf8 { .. } => Code::InvalidJson,
            Problem::ByteOrderMark => Code::ByteOrderMark,
            Problem::DuplicateKey => Code::DuplicateKey,
            Problem::MissingField => Code::MissingField,
            Problem::TypeMismatch { .. } => Code::TypeMismatch,
            Problem::TooShort { .. } => Code::TooShort,
            Problem::TooLong { .. } => Code::TooLong,
            Problem::PatternMismatch { .. } => Code::PatternMismatch,
            Problem::InvalidFormat { .. } => Code::InvalidFormat,
            Problem::OutOfRange { .. } => Code::OutOfRange,
            Problem::NotAllowed { .. } => Code::NotAllowed,
            Problem::UnknownField { .. } => Code::UnknownField,
            Problem::LooseVersion { .. } => Code::LooseVersion,
            Problem::IneffectiveParameter { .. } => Code::IneffectiveParameter,
            Problem::ClusterIdMismatch { .. } => Code::ClusterIdMismatch,
            Problem::ValuesSchema { .. } | Problem::SchemaRule { .. } => Code::ValuesSchema,
            Problem::ValuesSchemaBudget { .. } => Code::ValuesSchemaBudget,
            Problem::ValuesTooLarge { .. } => Code::ValuesTooLarge,
            Problem::InputTooLarge { .. } => Code::InputTooLarge,
            Problem::TooManyFindings { .. } => Code::TooManyFindings,
            Problem::UnknownStatus { .. } => Code::UnknownStatus,
            Problem::Placeholder { .. } => Code::InvalidFormat,
            Problem::UnknownRoute { .. } => Code::UnknownRoute,
            Problem::MethodNotAllowed { .. } => Code::MethodNotAllowed,
            Problem::UnknownParameter { .. } => Code::UnknownField,
            Problem::DuplicateParameter => Code::DuplicateKey,
            Problem::MissingAuth => Code::MissingAuth,
            Problem::MalformedAuth { .. } => Code::MalformedAuth,
            Problem::ContentType { .. } => Code::UnsupportedMediaType,
        }
    }

    /// The sentence for a finding at `pointer` in `location`.
    pub(crate) fn message(&self, location: Location, pointer: &str) -> String {
        let field = label(location, pointer);
        match self {
            Problem::InvalidJson { detail } => format!("invalid JSON: {detail}"),
            Problem::EmptyInput => "invalid JSON: the input is empty".to_owned(),
            Problem::TrailingData => {
                "invalid JSON: unexpected data after the end of the JSON value".to_owned()
            }
            Problem::TooDeep { limit } => {
                format!("invalid JSON: nesting is deeper than {limit} levels")
            }
            Problem::InvalidUtf8 { offset } => {
                format!("invalid JSON: the input is not valid UTF-8 (at byte {offset})")
            }
            Problem::ByteOrderMark => {
                "the input starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM"
                    .to_owned()
            }
            Problem::DuplicateKey => format!(
                "duplicate key {field}: parsers keep only one of its values, so the other is silently lost"
            ),
            Problem::MissingField => format!("missing mandatory field {field}"),
            Problem::TypeMismatch { expected, found } => {
                format!("{field} must be {expected}, found {found}")
            }
            Problem::TooShort { min: 1, .. } => format!("{field} must not be empty"),
            Problem::TooShort { min, actual } => format!(
                "{field} must be at least {min} {}, found {actual}",
                characters(*min)
            ),
            Problem::TooLong { max, actual } => format!(
                "{field} must be at most {max} {}, found {actual}",
                characters(*max)
            ),
            Problem::PatternMismatch { shape, found } => {
                let expected = match shape {
                    Shape::ReleaseName => {
                        "must start with a lowercase letter, contain only lowercase \
                                           letters, digits and `-`, and end with a letter or digit"
                            .to_owned()
                    }
                    Shape::Namespace => {
                        "must be a DNS-1123 label: lowercase letters, digits and `-`, \
                                         starting and ending with a letter or digit"
                            .to_owned()
                    }
                    Shape::ImageTag => "must be an image tag: letters, digits, `_`, `.` and `-`, \
                                        not starting with `.` or `-`"
                        .to_owned(),
                    Shape::Other(pattern) => format!("must match the pattern `{pattern}`"),
                };
                format!("{field} {expected}, found {found}")
            }
            Problem::InvalidFormat { format, found } => match format {
                Format::Uuid => format!(
                    "{field} must be a UUID such as `e99a7e86-afdd-11eb-aca3-0255ac100b0e`, found {found}"
                ),
                Format::ChartVersion => format!(
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
                format!("{field} must be {side} {limit}, found {found}")
            }
            Problem::NotAllowed { allowed, found } => {
                let mut list = String::new();
                for (i, option) in allowed.iter().enumerate() {
                    if i > 0 {
                        list.push_str(", ");
                    }
                    let _ = write!(list, "`{option}`");
                }
                format!("{field} must be one of {list}, found {found}")
            }
            Problem::UnknownField { owner, hint } => match hint {
                Some(hint) => format!("unknown field {field}: {owner} does not define it ({hint})"),
                None => format!("unknown field {field}: {owner} does not define it"),
            },
            Problem::LooseVersion { found, canonical } => format!(
                "chart version {found} is accepted by Helm but is not strict SemVer 2.0.0; write `{canonical}`"
            ),
            Problem::IneffectiveParameter {
                operation,
                applies_to,
            } => format!("{field} has no effect when {operation}: it only applies to {applies_to}"),
            Problem::ClusterIdMismatch {
                body,
                path,
                request: true,
            } => format!(
                "{field} {body} differs from the cluster id of the request path {path}; \
                 the API acts on the path's cluster"
            ),
            Problem::ClusterIdMismatch {
                body,
                path,
                request: false,
            } => format!(
                "{field} {body} differs from the cluster id of the request path {path}: the \
                 answer is about another cluster than the one asked for"
            ),
            Problem::ValuesSchema { inner } => format!(
                "{} (the chart's values.schema.json)",
                inner.message(location, pointer)
            ),
            Problem::SchemaRule { rule } => format!("{field} {rule}"),
            Problem::ValuesSchemaBudget { limit, invalid } => {
                let budget = match limit {
                    Limit::Steps(n) => format!("{n} steps"),
                    Limit::Errors(n) => format!("{n} errors"),
                    Limit::Stack(n) => format!("{n} bytes of stack"),
                };
                if *invalid {
                    format!(
                        "{field} break the chart's values.schema.json, but listing why would take \
                         more than the evaluation budget of {budget}"
                    )
                } else {
                    format!(
                        "{field} could not be checked against the chart's values.schema.json within \
                         the evaluation budget of {budget}"
                    )
                }
            }
            Problem::ValuesTooLarge { size, limit } => format!(
                "{field} serialize to {size} bytes, over the {limit} bytes (1 MiB) that Helm can \
                 store in one Kubernetes Secret"
            ),
            Problem::InputTooLarge {
                size: Some(size),
                limit,
            } => format!(
                "the input is {size} bytes, over the maximum of {limit} bytes; it was not read"
            ),
            Problem::InputTooLarge { size: None, limit } => format!(
                "the input is longer than the maximum of {limit} bytes; it was not read past it"
            ),
            Problem::TooManyFindings { omitted, limit } => format!(
                "{omitted} more {} left out: the report stops at {limit}",
                if *omitted == 1 {
                    "finding is"
                } else {
                    "findings are"
                }
            ),
            Problem::UnknownStatus { found } => format!(
                "{field} {found} is not one of the documented statuses (`DEPLOYED`, `DELETED`, \
                 `FAILED`, `DELETING`, `PENDING_INSTALL`, `PENDING_UPGRADE`, `PENDING_ROLLBACK`, \
                 `UNKNOWN`); a history may show others, so a list accepts it"
            ),
            Problem::Placeholder { found, expected } => format!(
                "{field} is the unfilled placeholder {found} (as the SDK samples leave it); \
                 expected {expected}"
            ),
            Problem::UnknownRoute { found, fault } => {
                let what = match fault {
                    RouteFault::Prefix => {
                        "does not start with `/autopilot/cam/v3/` or `/cce/cam/v3/`, the release \
                         API's prefixes"
                    }
                    RouteFault::NoOperation => ROUTES_EXPECTED,
                    RouteFault::PluralNamespace => {
                        "names no operation of the release API: the segment is `namespace/`, \
                         singular (not the Kubernetes API's `namespaces/`)"
                    }
                    RouteFault::EmptySegment => {
                        "names no operation of the release API: it has an empty segment (`//` or \
                         a trailing `/`)"
                    }
                };
                format!("the path {found} {what}")
            }
            Problem::MethodNotAllowed { method, allowed } => {
                format!("method {method} is not allowed {allowed}")
            }
            Problem::UnknownParameter { operation } => {
                format!("unknown {field}: the {operation} operation does not take it")
            }
            Problem::DuplicateParameter => format!(
                "{field} is given more than once: servers keep only one of the values, so the \
                 other is silently lost"
            ),
            Problem::MissingAuth => "no credentials: send a token in `X-Auth-Token`, or an \
                                     `SDK-HMAC-SHA256` signature in `Authorization` with \
                                     `X-Sdk-Date`"
                .to_owned(),
            Problem::MalformedAuth { fault } => match fault {
                AuthFault::EmptyToken => format!("{field} is empty"),
                AuthFault::NotSigned => format!(
                    "{field} is not an `SDK-HMAC-SHA256` signature (the value is not shown: it is \
                     a secret)"
                ),
                AuthFault::MissingPart(part) => format!(
                    "{field} lacks `{part}=`: expected `SDK-HMAC-SHA256 Access=…, \
                     SignedHeaders=…, Signature=…` (the value is not shown: it is a secret)"
                ),
                AuthFault::NoDate => format!(
                    "{field} is missing: an `SDK-HMAC-SHA256` signature needs the date it signed"
                ),
                AuthFault::BadDate => format!(
                    "{field} must be a UTC time written `YYYYMMDDTHHMMSSZ`, such as \
                     `20210512T071142Z` (the value is not shown)"
                ),
            },
            Problem::ContentType { missing: true } => {
                format!("{field} is missing: a request with a body must send `application/json`")
            }
            Problem::ContentType { missing: false } => format!(
                "{field} must be `application/json` (optionally with `;charset=utf-8`), found \
                 another media type (the value is not shown)"
            ),
        }
    }
}

/// What an unknown route's message expects after the prefix.
const ROUTES_EXPECTED: &str = "names no operation of the release API: after the prefix, expected \
     `/clusters/{cluster_id}/releases`, `/clusters/{cluster_id}/namespace/{namespace}/releases/{name}` \
     or that followed by `/history`";

/// serde_json's description of a syntax error, in the words of this crate's messages.
pub(crate) fn syntax_detail(serde_message: &str) -> String {
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
        other => return other.to_owned(),
    };
    ours.to_owned()
}

fn characters(n: u64) -> &'static str {
    if n == 1 { "character" } else { "characters" }
}

/// How a message names the member at `pointer`: `` `parameters.dry_run` `` for the body (the
/// pointer itself when a key would make the dotted form ambiguous; `[0]` for an array index),
/// `` path parameter `x` `` or `` query parameter `x` `` for a path or query finding,
/// `` header `X` `` for a header, "the document" for the root.
pub(crate) fn label(location: Location, pointer: &str) -> String {
    if location != Location::Body {
        let name = pointer.strip_prefix('/').unwrap_or(pointer);
        return match location {
            Location::Header => format!("header `{name}`"),
            _ => format!("{} parameter `{name}`", location.as_str()),
        };
    }
    if pointer.is_empty() {
        return "the document".to_owned();
    }
    let tokens = || pointer.split('/').skip(1);
    let plain = tokens().all(|t| {
        let ascii_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
        !t.is_empty()
            && (t.bytes().all(ascii_word)
                || t.chars().all(|c| {
                    (c.is_ascii() && ascii_word(c as u8))
                        || (!c.is_ascii() && !c.is_whitespace() && !c.is_control())
                }))
    });
    if !plain {
        return format!("`{pointer}`");
    }
    let mut out = String::with_capacity(pointer.len() + 8);
    out.push('`');
    for (i, token) in tokens().enumerate() {
        let index = token.bytes().all(|b| b.is_ascii_digit());
        if index {
            out.push('[');
        } else if i > 0 {
            out.push('.');
        }
        out.push_str(token);
        if index {
            out.push(']');
        }
    }
    out.push('`');
    out
}

/// The unescaped reference tokens of an RFC 6901 pointer.
pub(crate) fn pointer_tokens(pointer: &str) -> Vec<Cow<'_, str>> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .split('/')
        .skip(1)
        .map(|t| {
            if t.contains('~') {
                Cow::Owned(t.replace("~1", "/").replace("~0", "~"))
            } else {
                Cow::Borrowed(t)
            }
        })
        .collect()
}

/// Appends `token` to `pointer`, escaped as RFC 6901 requires.
pub(crate) fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    if !token.bytes().any(|b| b == b'~' || b == b'/') {
        pointer.push_str(token);
        return;
    }
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// Words that make a key name a secret, grouped by first letter. `key` covers `apiKey`,
/// `accessKey`, `privateKey`, `tls.key`; `auth` covers `authToken`, `basicAuth`.
fn secret_words(first: u8) -> &'static [&'static [u8]] {
    match first {
        b'a' => &[b"auth"],
        b'c' => &[b"credential", b"cert"],
        b'k' => &[b"key"],
        b'p' => &[b"password", b"passwd", b"pwd", b"passphrase"],
        b's' => &[b"secret", b"signature"],
        b't' => &[b"token"],
        _ => &[],
    }
}

/// True when a key names a secret: case-insensitive, anywhere in the key
/// (`dbPassword`, `AUTH_TOKEN`, `tls.key`, `apiKey`).
pub(crate) fn is_secret_key(key: &str) -> bool {
    let key = key.as_bytes();
    (0..key.len().saturating_sub(2)).any(|i| {
        let first = key[i].to_ascii_lowercase();
        // Most positions start no secret word: one test rules them out.
        matches!(first, b'a' | b'c' | b'k' | b'p' | b's' | b't')
            && secret_words(first).iter().any(|word| {
                key.get(i..i + word.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(word))
            })
    })
}

/// True when some key on the way to `pointer` names a secret. (Escaping, `~0` and `~1`, never
/// turns a secret-looking key into an innocent one or back.)
pub(crate) fn is_secret_pointer(pointer: &str) -> bool {
    pointer.split('/').skip(1).any(is_secret_key)
}

/// Longest echo of a payload value, in characters.
const ECHO_MAX: usize = 64;

/// A payload string as a message quotes it: in backticks, shortened, control characters escaped,
/// and `***` when any key on the way to it names a secret.
pub(crate) fn echo(pointer: &str, value: &str) -> String {
    if is_secret_pointer(pointer) {
        return "`***` (masked: the key names a secret)".to_owned();
    }
    let mut out = String::from("`");
    for (i, c) in value.chars().enumerate() {
        if i == ECHO_MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            let _ = write!(out, "{}", c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('`');
    out
}

/// A payload value of any type as a message quotes it (see [`echo`]).
pub(crate) fn echo_value(pointer: &str, value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => echo(pointer, s),
        other => echo(pointer, &other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message the crate writes, one row per problem kind: a wording change is a one-line
    /// diff here.
    #[test]
    fn every_message() {
        let body = Location::Body;
        let rows: Vec<(Problem, Location, &str, &str)> = vec![
            (
                Problem::InvalidJson {
                    detail: syntax_detail("trailing comma"),
                },
                body,
                "",
                "invalid JSON: a trailing comma before a closing bracket",
            ),
            (
                Problem::InvalidJson {
                    detail: syntax_detail("something new"),
                },
                body,
                "",
                "invalid JSON: something new",
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
                Problem::MissingField,
                body,
                "/name",
                "missing mandatory field `name`",
            ),
            (
                Problem::TypeMismatch {
                    expected: "a boolean".into(),
                    found: "the string `yes`".into(),
                },
                body,
                "/parameters/dry_run",
                "`parameters.dry_run` must be a boolean, found the string `yes`",
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
                    found: "`Koi`".into(),
                },
                body,
                "/name",
                "`name` must start with a lowercase letter, contain only lowercase letters, digits and `-`, \
              and end with a letter or digit, found `Koi`",
            ),
            (
                Problem::PatternMismatch {
                    shape: Shape::Namespace,
                    found: "`a-`".into(),
                },
                body,
                "/namespace",
                "`namespace` must be a DNS-1123 label: lowercase letters, digits and `-`, starting and ending \
              with a letter or digit, found `a-`",
            ),
            (
                Problem::PatternMismatch {
                    shape: Shape::ImageTag,
                    found: "`.x`".into(),
                },
                body,
                "/values/imageTag",
                "`values.imageTag` must be an image tag: letters, digits, `_`, `.` and `-`, not starting with \
              `.` or `-`, found `.x`",
            ),
            (
                Problem::PatternMismatch {
                    shape: Shape::Other("^a$".into()),
                    found: "`b`".into(),
                },
                body,
                "/values/x",
                "`values.x` must match the pattern `^a$`, found `b`",
            ),
            (
                Problem::InvalidFormat {
                    format: Format::Uuid,
                    found: "`x`".into(),
                },
                body,
                "/chart_id",
                "`chart_id` must be a UUID such as `e99a7e86-afdd-11eb-aca3-0255ac100b0e`, found `x`",
            ),
            (
                Problem::InvalidFormat {
                    format: Format::Uuid,
                    found: "`{cluster_id}`".into(),
                },
                Location::Path,
                "/cluster_id",
                "path parameter `cluster_id` must be a UUID such as `e99a7e86-afdd-11eb-aca3-0255ac100b0e`, \
              found `{cluster_id}`",
            ),
            (
                Problem::InvalidFormat {
                    format: Format::ChartVersion,
                    found: "`latest`".into(),
                },
                body,
                "/version",
                "`version` must be a chart version Helm accepts, such as `3.0.1` (MAJOR.MINOR.PATCH, optionally \
              with -pre-release and +build), found `latest`",
            ),
            (
                Problem::OutOfRange {
                    bound: Bound::Min,
                    limit: "0".into(),
                    found: "`-1`".into(),
                },
                body,
                "/parameters/release_version",
                "`parameters.release_version` must be at least 0, found `-1`",
            ),
            (
                Problem::OutOfRange {
                    bound: Bound::Max,
                    limit: "9".into(),
                    found: "`10`".into(),
                },
                body,
                "/v",
                "`v` must be at most 9, found `10`",
            ),
            (
                Problem::OutOfRange {
                    bound: Bound::Above,
                    limit: "0".into(),
                    found: "`0`".into(),
                },
                body,
                "/v",
                "`v` must be greater than 0, found `0`",
            ),
            (
                Problem::OutOfRange {
                    bound: Bound::Below,
                    limit: "9".into(),
                    found: "`9`".into(),
                },
                body,
                "/v",
                "`v` must be less than 9, found `9`",
            ),
            (
                Problem::NotAllowed {
                    allowed: vec!["Always".into(), "Never".into()],
                    found: "`always`".into(),
                },
                body,
                "/values/imagePullPolicy",
                "`values.imagePullPolicy` must be one of `Always`, `Never`, found `always`",
            ),
            (
                Problem::UnknownField {
                    owner: "the create-release body".into(),
                    hint: None,
                },
                body,
                "/x",
                "unknown field `x`: the create-release body does not define it",
            ),
            (
                Problem::UnknownField {
                    owner: "`parameters`".into(),
                    hint: Some("did you mean `dry_run`?".into()),
                },
                body,
                "/parameters/dryRun",
                "unknown field `parameters.dryRun`: `parameters` does not define it (did you mean `dry_run`?)",
            ),
            (
                Problem::LooseVersion {
                    found: "`v3.0`".into(),
                    canonical: "3.0.0".into(),
                },
                body,
                "/version",
                "chart version `v3.0` is accepted by Helm but is not strict SemVer 2.0.0; write `3.0.0`",
            ),
            (
                Problem::IneffectiveParameter {
                    operation: "creating a release",
                    applies_to: "updates",
                },
                body,
                "/parameters/recreate",
                "`parameters.recreate` has no effect when creating a release: it only applies to updates",
            ),
            (
                Problem::IneffectiveParameter {
                    operation: "upgrading a release",
                    applies_to: "rollbacks",
                },
                body,
                "/parameters/release_version",
                "`parameters.release_version` has no effect when upgrading a release: it only applies to \
              rollbacks",
            ),
            (
                Problem::ClusterIdMismatch {
                    body: "`a`".into(),
                    path: "`b`".into(),
                    request: true,
                },
                body,
                "/cluster_id",
                "`cluster_id` `a` differs from the cluster id of the request path `b`; the API acts on \
              the path's cluster",
            ),
            (
                Problem::ClusterIdMismatch {
                    body: "`a`".into(),
                    path: "`b`".into(),
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
                        rule: "must have at least 2 items".into(),
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
                    size: 2_000_000,
                    limit: 1_048_576,
                },
                body,
                "/values",
                "`values` serialize to 2000000 bytes, over the 1048576 bytes (1 MiB) that Helm can store in one \
              Kubernetes Secret",
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
                    found: "`SUPERSEDED`".into(),
                },
                body,
                "/1/status",
                "`[1].status` `SUPERSEDED` is not one of the documented statuses (`DEPLOYED`, `DELETED`, \
              `FAILED`, `DELETING`, `PENDING_INSTALL`, `PENDING_UPGRADE`, `PENDING_ROLLBACK`, `UNKNOWN`); \
              a history may show others, so a list accepts it",
            ),
            (
                Problem::Placeholder {
                    found: "`{cluster_id}`".into(),
                    expected: "the cluster's id, a UUID such as `e99a7e86-afdd-11eb-aca3-0255ac100b0e`",
                },
                Location::Path,
                "/cluster_id",
                "path parameter `cluster_id` is the unfilled placeholder `{cluster_id}` (as the SDK samples \
              leave it); expected the cluster's id, a UUID such as `e99a7e86-afdd-11eb-aca3-0255ac100b0e`",
            ),
            (
                Problem::UnknownRoute {
                    found: "`/cce/v3/x`".into(),
                    fault: RouteFault::Prefix,
                },
                Location::Path,
                "",
                "the path `/cce/v3/x` does not start with `/autopilot/cam/v3/` or `/cce/cam/v3/`, the \
              release API's prefixes",
            ),
            (
                Problem::UnknownRoute {
                    found: "`/cce/cam/v3/x`".into(),
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
                    found: "`/p`".into(),
                    fault: RouteFault::PluralNamespace,
                },
                Location::Path,
                "",
                "the path `/p` names no operation of the release API: the segment is `namespace/`, singular \
              (not the Kubernetes API's `namespaces/`)",
            ),
            (
                Problem::UnknownRoute {
                    found: "`/p/`".into(),
                    fault: RouteFault::EmptySegment,
                },
                Location::Path,
                "",
                "the path `/p/` names no operation of the release API: it has an empty segment (`//` or a \
              trailing `/`)",
            ),
            (
                Problem::MethodNotAllowed {
                    method: "`PATCH`".into(),
                    allowed: "on `/clusters/{cluster_id}/releases`: use `POST` (create) or `GET` (list)",
                },
                Location::Path,
                "",
                "method `PATCH` is not allowed on `/clusters/{cluster_id}/releases`: use `POST` (create) or \
              `GET` (list)",
            ),
            (
                Problem::UnknownParameter { operation: "show" },
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
        ];
        let mut codes_seen = std::collections::HashSet::new();
        for (problem, location, pointer, expected) in rows {
            codes_seen.insert(problem.code());
            assert_eq!(problem.message(location, pointer), expected, "{problem:?}");
        }
        assert_eq!(codes_seen.len(), Code::ALL.len(), "a code has no row");
    }

    #[test]
    fn labels() {
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

    #[test]
    fn pointers_escape_and_unescape() {
        let mut p = String::new();
        push_token(&mut p, "a/b");
        push_token(&mut p, "~x");
        assert_eq!(p, "/a~1b/~0x");
        assert_eq!(pointer_tokens(&p), ["a/b", "~x"]);
    }

    #[test]
    fn secret_keys() {
        for key in [
            "password",
            "dbPassword",
            "PASSWD",
            "pwd",
            "secret",
            "clientSecret",
            "token",
            "AUTH_TOKEN",
            "apiKey",
            "api_key",
            "accessKey",
            "privateKey",
            "private_key",
            "credentials",
            "tls.key",
            "caCert",
            "signature",
            "basicAuth",
            "passphrase",
        ] {
            assert!(is_secret_key(key), "{key}");
        }
        for key in [
            "name",
            "imageTag",
            "imagePullPolicy",
            "replicas",
            "chart_id",
            "namespace",
            "values",
        ] {
            assert!(!is_secret_key(key), "{key}");
        }
    }

    #[test]
    fn echo_masks_and_shortens() {
        assert_eq!(echo("/name", "Koi"), "`Koi`");
        assert_eq!(
            echo("/values/db/Password", "hunter2"),
            "`***` (masked: the key names a secret)"
        );
        let long = "x".repeat(100);
        assert_eq!(echo("/name", &long).chars().count(), ECHO_MAX + 3);
        assert_eq!(echo("/name", "a\nb"), "`a\\nb`");
    }
}
#[cfg(test)]
#[test]
fn zz_size() {
    eprintln!(
        "problem {} finding {}",
        std::mem::size_of::<Problem>(),
        std::mem::size_of::<crate::validate::Finding>()
    );
}
