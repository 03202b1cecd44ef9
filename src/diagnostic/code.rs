//! Finding codes: stable ids, default severities and the explanation behind each.
//!
//! A code is public interface: scripts match on it. Codes are added, never renamed or removed.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Severity;

/// What a code means, why it matters, an example and the fix: the text behind `--explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Explanation {
    /// One line: when the code is reported.
    pub summary: &'static str,
    /// What the finding means.
    pub what: &'static str,
    /// Why it matters: what the API, Helm or Kubernetes does with such a payload.
    pub why: &'static str,
    /// A payload fragment that triggers the finding.
    pub example: &'static str,
    /// How to fix it.
    pub fix: &'static str,
}

macro_rules! codes {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $id:literal, $severity:ident, {
            summary: $summary:literal,
            what: $what:literal,
            why: $why:literal,
            example: $example:literal,
            fix: $fix:literal $(,)?
        }
    )*) => {
        /// A finding's stable identifier. Serialized as its snake_case id.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $(
                $(#[$doc])*
                #[doc = ""]
                #[doc = concat!("`", $id, "` (", stringify!($severity), " by default): ", $summary, ".")]
                #[doc = ""]
                #[doc = $what]
                #[doc = ""]
                #[doc = concat!("**Why it matters.** ", $why)]
                #[doc = ""]
                #[doc = concat!("**Fix.** ", $fix)]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in documentation order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable snake_case id, such as `missing_field`.
            pub const fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $id,)* }
            }

            /// The severity the code has unless strict mode promotes it.
            pub const fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// What the code means, why it matters, an example and the fix.
            pub const fn explanation(self) -> &'static Explanation {
                match self {
                    $(Code::$variant => &Explanation {
                        summary: $summary, what: $what, why: $why, example: $example, fix: $fix,
                    },)*
                }
            }
        }
    };
}

codes! {
    /// Not exactly one well-formed JSON value.
    InvalidJson = "invalid_json", Error, {
        summary: "the input is not exactly one well-formed JSON value",
        what: "The input could not be read as one JSON value: a syntax error, bytes that are not UTF-8, \
               data after the value, an empty input, or nesting deeper than the parser's limit.",
        why: "The API parses the body as JSON before anything else and answers 400 to anything it cannot parse; \
              nothing else in the payload can be checked either.",
        example: "{\"name\": \"koi-neo4j\",}",
        fix: "Fix the syntax at the reported position (here: remove the trailing comma). Save the file as UTF-8.",
    }
    /// The input starts with a UTF-8 byte-order mark.
    ByteOrderMark = "byte_order_mark", Warning, {
        summary: "the input starts with a UTF-8 byte-order mark",
        what: "The first bytes are EF BB BF, the UTF-8 byte-order mark that some editors write.",
        why: "RFC 8259 forbids a BOM in JSON sent over a network; many JSON parsers, Go's among them, \
              reject the body.",
        example: "\\xEF\\xBB\\xBF{\"name\": \"koi-neo4j\", ...}",
        fix: "Save the file as UTF-8 without BOM.",
    }
    /// An object names the same member twice.
    DuplicateKey = "duplicate_key", Error, {
        summary: "an object names the same member twice",
        what: "An object has two members with the same key; the finding points at the second.",
        why: "JSON parsers keep only one of them (serde_json and Go keep the last, some keep the first), \
              so one of the two values is silently lost, and which one depends on the reader.",
        example: "{\"name\": \"koi-neo4j\", \"name\": \"koi\"}",
        fix: "Keep one member with the value you mean.",
    }
    /// A mandatory member is absent.
    MissingField = "missing_field", Error, {
        summary: "a mandatory member is absent",
        what: "A member the API requires is not in the object. The finding points at the object that lacks it.",
        why: "The API rejects the request with 400; the provider's SDKs do not check, so the request is sent anyway.",
        example: "{\"chart_id\": \"e99a7e86-afdd-11eb-aca3-0255ac100b0e\", \"namespace\": \"default\", \"version\": \"3.0.1\", \"values\": {}}",
        fix: "Add the member (here: `name`). A create body needs `chart_id`, `name`, `namespace`, `version` and `values`.",
    }
    /// Wrong JSON type.
    TypeMismatch = "type_mismatch", Error, {
        summary: "a value has the wrong JSON type (null where not allowed, a fraction where an integer is required)",
        what: "The value is not of the JSON type the member takes: a string where an object is required, `null` for a \
               mandatory member, a fractional number where an integer is required.",
        why: "The API decodes the body into typed fields and answers 400 when a type does not fit; `null` only \
              stands for \"absent\", which mandatory members cannot be.",
        example: "{\"values\": [\"imageTag=4.0.3\"]}",
        fix: "Write the value with the expected type (here: `\"values\": {\"imageTag\": \"4.0.3\"}`).",
    }
    /// A string is shorter than allowed.
    TooShort = "too_short", Error, {
        summary: "a string is shorter than its minimum length (counted in characters)",
        what: "The string has fewer characters than the member allows; usually it is empty.",
        why: "An empty release name, namespace or image tag cannot name anything in Kubernetes.",
        example: "{\"name\": \"\"}",
        fix: "Give the member a value of at least the minimum length.",
    }
    /// A string is longer than allowed.
    TooLong = "too_long", Error, {
        summary: "a string is longer than its maximum length (counted in characters)",
        what: "The string has more characters than the member allows.",
        why: "Helm caps release names at 53 characters because they become part of Kubernetes object names and \
              labels (63 at most); namespaces are DNS labels of at most 63; image tags stop at 128.",
        example: "{\"name\": \"a-release-name-that-goes-on-and-on-well-past-fifty-three-characters\"}",
        fix: "Shorten the value to the maximum length.",
    }
    /// A string does not have the required shape.
    PatternMismatch = "pattern_mismatch", Error, {
        summary: "a string does not have the required shape (release name, namespace, image tag)",
        what: "The string contains characters, or starts or ends with characters, that the member does not allow.",
        why: "Release names and namespaces become Kubernetes names (DNS-1123: lowercase letters, digits and `-`, \
              starting and ending with a letter or digit); image tags follow the container image reference grammar.",
        example: "{\"name\": \"Koi_Neo4j\"}",
        fix: "Use only the allowed characters (here: `koi-neo4j`).",
    }
    /// Not a UUID, or not a chart version Helm accepts.
    InvalidFormat = "invalid_format", Error, {
        summary: "a value is not in its format: not a UUID (chart id, cluster id), not a chart version Helm accepts, an unfilled `{placeholder}` in the path",
        what: "Chart and cluster ids are UUIDs (8-4-4-4-12 hex digits, either case); a chart version must be one Helm \
               can parse: `MAJOR(.MINOR)?(.PATCH)?`, an optional `v`, pre-release and build metadata.",
        why: "The API looks the chart up by id and version; a value in another format never matches a chart, and the \
              install fails.",
        example: "{\"chart_id\": \"neo4j\", \"version\": \"latest\"}",
        fix: "Copy the chart's id and version from the chart list (here: `e99a7e86-afdd-11eb-aca3-0255ac100b0e`, `3.0.1`).",
    }
    /// A number is outside its bounds.
    OutOfRange = "out_of_range", Error, {
        summary: "a number is outside its bounds",
        what: "The number is below the minimum or above the maximum the member allows.",
        why: "`release_version` is a 32-bit integer revision that is never negative: anything else cannot be decoded \
              or names no revision.",
        example: "{\"parameters\": {\"release_version\": -1}}",
        fix: "Use a number within the bounds the message gives.",
    }
    /// A value outside its enumeration.
    NotAllowed = "not_allowed", Error, {
        summary: "a value is not one of the values the member allows (pull policy, status)",
        what: "The member takes one of a fixed set of values, and this is not one of them. The comparison is case-sensitive.",
        why: "Kubernetes rejects an unknown image pull policy when it creates the pods, so the install fails after \
              the API accepted it.",
        example: "{\"values\": {\"imagePullPolicy\": \"always\"}}",
        fix: "Use one of the listed values, spelled exactly (here: `Always`).",
    }
    /// A member the API does not define.
    UnknownField = "unknown_field", Warning, {
        summary: "a member the API does not define (an error in strict mode); keys inside `values` are never unknown",
        what: "The object has a member that is not part of the API's definition of it. `values` is free-form chart \
               input, so its keys are never reported.",
        why: "The API ignores members it does not know, so a misspelt optional member (`dryrun` for `dry_run`) is \
              silently lost. `project_id` and `cluster_id`, which the provider's own example puts in the body, are \
              not body members: the cluster travels in the path and the project in the token.",
        example: "{\"project_id\": \"0abdd2dce980d4162f8ac006608ee02d\", \"cluster_id\": \"7378a198-a3fe-11eb-ad37-0255ac100b07\"}",
        fix: "Remove the member, or correct its spelling.",
    }
    /// A chart version Helm accepts that is not strict SemVer 2.0.0.
    LooseVersion = "loose_version", Warning, {
        summary: "a chart version Helm accepts but that is not strict SemVer 2.0.0 (`v3.0.1`, `3.0`)",
        what: "Helm reads the version leniently (a `v` prefix, a missing minor or patch, leading zeros), but it is \
               not in the canonical SemVer 2.0.0 form.",
        why: "Chart repositories index versions in canonical form; a loose spelling may not match the chart you mean, \
              and tools other than Helm reject it.",
        example: "{\"version\": \"v3.0\"}",
        fix: "Write the canonical form the message suggests (here: `3.0.0`).",
    }
    /// A parameter that has no effect in this operation.
    IneffectiveParameter = "ineffective_parameter", Warning, {
        summary: "a parameter that has no effect in this operation (`recreate`, `reset_values`, `include_hooks`, `release_version` on create; `release_version` on an upgrade)",
        what: "The parameters object is shared by create, update and delete; this member only takes effect in \
               another operation (or, for `release_version`, in an update with `action: rollback`).",
        why: "The API ignores it, so whatever the author meant it to do does not happen.",
        example: "{\"parameters\": {\"reset_values\": true}}",
        fix: "Remove the parameter, or use it in the operation it belongs to (an update or a rollback).",
    }
    /// The body's `cluster_id` differs from the path's cluster id.
    ClusterIdMismatch = "cluster_id_mismatch", Error, {
        summary: "the body carries a `cluster_id` that differs from the path's cluster id",
        what: "The body names one cluster and the request path (given with `--cluster-id`) another.",
        why: "The API installs into the cluster of the path and ignores the body's `cluster_id`, so the release may \
              land in a cluster the author did not mean.",
        example: "--cluster-id 7378a198-a3fe-11eb-ad37-0255ac100b07 with {\"cluster_id\": \"11111111-2222-3333-4444-555555555555\"}",
        fix: "Remove `cluster_id` from the body and make sure the path names the cluster you mean.",
    }
    /// `values` violates the chart's `values.schema.json`.
    ValuesSchema = "values_schema", Error, {
        summary: "`values` violates the chart's values.schema.json (given with `--values-schema`)",
        what: "The chart ships a JSON Schema for its values, and this value breaks it. The pointer goes into `/values`.",
        why: "Helm validates values against the chart's schema at install and upgrade and fails the release when \
              they do not fit, after the API has accepted the request.",
        example: "{\"values\": {\"replicaCount\": \"three\"}} with a schema that makes `replicaCount` an integer",
        fix: "Change the value to what the chart's schema asks for.",
    }
    /// The chart's values schema could not be applied within the evaluation budget.
    ValuesSchemaBudget = "values_schema_budget", Error, {
        summary: "the chart's values.schema.json could not be applied within the evaluation budget",
        what: "Applying the chart's schema to `values` would take more work, memory or stack than the budget allows \
               (by default about thirty times a plain walk of the values, 2^15 errors while listing findings, and \
               512 KiB of stack). The finding says which limit was reached and whether the values are already known \
               to be invalid.",
        why: "A chart's schema is untrusted input: a few hundred bytes of `anyOf` and `$ref` can ask for exponential \
              work, and a value that breaks a rule a million times would make a million errors. The budget keeps \
              validation bounded; Helm's own check of the same schema may take as long, or fail the install.",
        example: "{\"$defs\": {\"d0\": {\"anyOf\": [{\"$ref\": \"#/$defs/d1\"}, {\"$ref\": \"#/$defs/d1\"}]}, ...}} thirty definitions deep",
        fix: "Simplify the schema (factor repeated `anyOf` branches, avoid recursion that does not follow the values), or, \
              for a trusted chart, raise the budget (`Options::values_schema_budget`).",
    }
    /// Serialized `values` exceed 1 MiB.
    ValuesTooLarge = "values_too_large", Warning, {
        summary: "serialized `values` exceed 1 MiB, the Kubernetes Secret limit Helm stores a revision in",
        what: "`values`, written as compact JSON, is larger than 1,048,576 bytes.",
        why: "Helm stores each release revision (chart, manifests and values) in one Kubernetes Secret, which \
              Kubernetes caps at 1 MiB; the install fails with \"data: Too long\".",
        example: "{\"values\": {\"bundle\": \"<two megabytes of base64>\"}}",
        fix: "Move large data out of values: into a ConfigMap or Secret the chart references, or into the chart itself.",
    }
    /// The input is larger than the validator's limit.
    InputTooLarge = "input_too_large", Error, {
        summary: "the input is larger than the configured maximum (64 MiB unless set otherwise); it is not read",
        what: "The payload is longer than the maximum input size, so the validator did not read or parse it.",
        why: "A release body is a few kilobytes, and Helm cannot store a revision over 1 MiB; input many megabytes \
              long is a mistake or an attack, and reading it whole would cost memory for nothing.",
        example: "a 100 MB file passed where a payload was expected",
        fix: "Lint the right file; if the payload really is that large, raise the limit (`--max-input-size`).",
    }
    /// More findings than the limit: the rest are left out.
    TooManyFindings = "too_many_findings", Warning, {
        summary: "more findings than the configured maximum (1000 unless set otherwise); the rest are left out",
        what: "The report stops at the maximum number of findings; this last finding says how many were left out.",
        why: "A payload with thousands of problems is usually one mistake repeated (a wrong kind, a generated file \
              gone wrong); reporting each would drown the first, useful ones and cost time and memory.",
        example: "an object with 100,000 unknown members",
        fix: "Fix the findings shown (they come first in the file), then lint again, or raise `--max-findings`.",
    }
    /// A release in a list has a status outside the documented eight.
    UnknownStatus = "unknown_status", Warning, {
        summary: "a release in a list (`release-list`) has a status outside the documented eight",
        what: "The API documents eight release statuses (`DEPLOYED`, `DELETED`, `FAILED`, `DELETING`, `PENDING_INSTALL`, \
               `PENDING_UPGRADE`, `PENDING_ROLLBACK`, `UNKNOWN`); this entry of a list or history has another one.",
        why: "A history lists every revision, and Helm gives the revisions it replaced a status of their own, so a list \
              may legitimately show more than the documentation names; a client that maps statuses to an enumeration \
              must not fail on it. A single release with such a status is `not_allowed` instead.",
        example: "[{\"name\": \"koi-neo4j\", \"version\": 1, \"status\": \"SUPERSEDED\"}]",
        fix: "Nothing to fix in the payload when it comes from the API: handle statuses your client does not know. \
              In a mock server or a fixture, use a documented status.",
    }
    /// The request path names no operation of the release API.
    UnknownRoute = "unknown_route", Error, {
        summary: "the request path names no operation of the release API (wrong prefix, `namespaces/`, extra or missing segments)",
        what: "After `/autopilot/cam/v3` or `/cce/cam/v3`, the API has three paths: `/clusters/{cluster_id}/releases`, \
               `/clusters/{cluster_id}/namespace/{namespace}/releases/{name}` and the same with `/history`. This path is \
               none of them.",
        why: "The API answers 404 to any other path. A common slip is the plural `namespaces/` of the Kubernetes API: \
              this API's segment is singular.",
        example: "GET /autopilot/cam/v3/clusters/7378a198-a3fe-11eb-ad37-0255ac100b07/namespaces/default/releases/koi-neo4j",
        fix: "Use one of the documented paths, after one of the two prefixes (here: `namespace/`, singular).",
    }
    /// The path is a route of the API, but not with this method.
    MethodNotAllowed = "method_not_allowed", Error, {
        summary: "the request path is a route of the API, but not with this method",
        what: "`/clusters/{cluster_id}/releases` takes `POST` (create) and `GET` (list); \
               `.../namespace/{namespace}/releases/{name}` takes `GET` (show), `PUT` (update) and `DELETE` (delete); \
               `.../history` takes `GET` (history). Methods are case-sensitive.",
        why: "The API answers 405 (or 404) to any other method on the path, and the request does nothing.",
        example: "PATCH /autopilot/cam/v3/clusters/7378a198-a3fe-11eb-ad37-0255ac100b07/namespace/default/releases/koi-neo4j",
        fix: "Use the method of the operation you mean (here: `PUT` to update the release).",
    }
    /// The request carries no credentials.
    MissingAuth = "missing_auth", Error, {
        summary: "the request carries no credentials: neither `X-Auth-Token` nor an `Authorization` signature",
        what: "Every call needs a token in `X-Auth-Token`, or an AK/SK signature: `Authorization: SDK-HMAC-SHA256 \
               Access=..., SignedHeaders=..., Signature=...` with `X-Sdk-Date`. This request has neither.",
        why: "The API answers 401 without looking at anything else.",
        example: "GET /autopilot/cam/v3/clusters/7378a198-a3fe-11eb-ad37-0255ac100b07/releases with no `X-Auth-Token` or `Authorization` header",
        fix: "Send a token from IAM in `X-Auth-Token`, or sign the request with an access key (the provider's SDKs do it).",
    }
    /// Credentials are there, but not in the shape the API takes.
    MalformedAuth = "malformed_auth", Error, {
        summary: "credentials are present but not in their shape (empty token, not an SDK-HMAC-SHA256 signature, no `X-Sdk-Date`)",
        what: "An `X-Auth-Token` is empty; or `Authorization` is not `SDK-HMAC-SHA256` with `Access=`, `SignedHeaders=` \
               and `Signature=`; or a signature comes without `X-Sdk-Date` as `YYYYMMDDTHHMMSSZ`. Only the shape is \
               checked, never the secret itself, and header values are never repeated in messages.",
        why: "The API answers 401 to credentials it cannot read, so the call fails however right the rest is.",
        example: "Authorization: Bearer eyJ... (a bearer token where an AK/SK signature is expected)",
        fix: "Send the token in `X-Auth-Token`, or the SDK's signature in `Authorization` together with the `X-Sdk-Date` it signed.",
    }
    /// A request with a body does not say it is JSON.
    UnsupportedMediaType = "unsupported_media_type", Error, {
        summary: "a request with a body lacks `Content-Type: application/json` (optionally with `;charset=utf-8`)",
        what: "Create and update send a JSON body, and must say so: `Content-Type: application/json`, or \
               `application/json;charset=utf-8` (media types and the charset are case-insensitive). The header is \
               missing or names another type.",
        why: "The API answers 400 with `CCE.01400006` (\"Content type not supported.\") before it reads the body.",
        example: "Content-Type: application/x-www-form-urlencoded",
        fix: "Send `Content-Type: application/json`.",
    }
    /// The payload's kind could not be told from its members (`--kind auto`).
    KindNotDetected = "kind_not_detected", Error, {
        summary: "the kind of payload could not be told from its members (no kind fits, or several do); name it with `--kind` or `kind` in the configuration",
        what: "With `--kind auto` (the default when neither the command line nor `cce-release.toml` names a kind) the \
               linter decides what a payload is from its members: an array is a release list, a string a delete \
               answer; in an object `errorCode`/`error_code` mark an error body, `chart_id` or `action` a request \
               (`action` an update), `status`, `chart_name` and the other answer-only members a release. This \
               payload has no such member, or members of more than one kind; the finding names what it found.",
        why: "Checking a payload against the wrong kind gives findings that are all wrong (a missing `name` on an \
              update body, an unknown `action`); the linter would rather say it cannot tell.",
        example: "{\"name\": \"koi-neo4j\", \"status\": \"DEPLOYED\", \"chart_id\": \"e99a7e86-afdd-11eb-aca3-0255ac100b0e\"}",
        fix: "Name the kind: `--kind release` on the command line, or `kind = \"release\"` in a `[[files]]` section \
              of `cce-release.toml` for the files of that kind.",
    }
    /// Not a well-formed YAML stream.
    InvalidYaml = "invalid_yaml", Error, {
        summary: "a `.yaml`/`.yml` input is not a well-formed YAML stream: syntax, invalid UTF-8, no document, nesting deeper than 127",
        what: "The YAML parser could not read the input: a syntax error (a tab for indentation, a missing `:`, an \
               unclosed bracket or quote), bytes that are not UTF-8, a stream with no document, or nesting deeper \
               than the limit.",
        why: "Whatever converts the file to the JSON body the API takes fails the same way; nothing in it can be \
              checked either.",
        example: "name: koi-neo4j\nvalues: [a, b",
        fix: "Fix the syntax at the reported position (here: close the bracket).",
    }
    /// A plain YAML scalar that YAML 1.1 and YAML 1.2 readers type differently.
    YamlAmbiguousScalar = "yaml_ambiguous_scalar", Warning, {
        summary: "an unquoted YAML scalar that YAML 1.1 readers (PyYAML, Go's yaml.v2) and YAML 1.2 readers type differently (`yes`, `on`, `0777`, `1e3`, `1:20`), or a date",
        what: "The scalar is unquoted, so its type comes from its text, and the two versions of YAML disagree: `yes`, \
               `no`, `on`, `off` (and `y`, `n` for Go's yaml.v2) are booleans in YAML 1.1 and strings in 1.2; `0777` \
               is octal 511 in 1.1 and 777 in 1.2; `1e3` a string to PyYAML and a number in 1.2; `1:20` the \
               base-60 number 80 in 1.1. A date such as `2021-05-12` is a date object to PyYAML and ruamel.yaml, \
               which JSON cannot carry, and a string to Go's readers. The linter reads YAML 1.2 (as ruamel.yaml \
               does) and says both readings.",
        why: "A YAML payload reaches the API through some converter, and which YAML it speaks decides what is sent: \
              `dry_run: yes` is `true` through PyYAML and the string \"yes\" (a 400) through a YAML 1.2 reader; an \
              image tag `0755` becomes 493 or 755.",
        example: "parameters:\n  dry_run: yes",
        fix: "Quote the scalar if you mean a string (`\"yes\"`, `\"0777\"`, `\"2021-05-12\"`), or write the value \
              in a form both read the same (`true`, `511`, `1000.0`).",
    }
    /// A YAML key that is not a string.
    YamlKeyNotString = "yaml_key_not_string", Warning, {
        summary: "a YAML key that is a number, a boolean or null, not a string",
        what: "The key is an unquoted `1`, `true` or `null` (or another scalar that is not a string), so YAML reads it \
               as that type. JSON keys are strings: converters write the key's text (`\"1\"`, `\"true\"`), and \
               the linter checks it as that string.",
        why: "Converters disagree on such keys: Python writes `True` as `\"true\"`, Go's yaml.v2 builds a map that \
              `encoding/json` refuses, and a float key may come out as `1.0` or `1`.",
        example: "values:\n  1: one",
        fix: "Quote the key (`\"1\": one`).",
    }
    /// A YAML value with no JSON form.
    YamlNotJson = "yaml_not_json", Error, {
        summary: "a YAML value JSON cannot carry: a mapping or a sequence as a key, infinity or NaN, an alias inside the node it names",
        what: "The document holds something only YAML has: a complex key (`? [a, b]`), a float that is infinite \
               or not a number (`.inf`, `.nan`), or an alias that refers to the node it is in (an endless \
               document). The member with a complex key is left out; infinity and NaN are checked as no number; a \
               recursive alias is read as null.",
        why: "The API takes JSON: a converter fails on such a document, or sends something else than what is \
              written.",
        example: "values:\n  ratio: .inf",
        fix: "Write it as JSON can: a string key, a finite number (or a string), a copy instead of the recursive \
              alias.",
    }
    /// An explicit YAML tag.
    YamlTag = "yaml_tag", Warning, {
        summary: "a YAML tag converters do not read as JSON (`!vault`, `!!binary`, `!!int abc`)",
        what: "The node has an explicit tag that is not one of JSON's types fitting its value: a local or unknown \
               tag (`!vault`), a YAML type JSON does not have (`!!binary`, `!!timestamp`, `!!set`), or a JSON type \
               that does not fit (`!!int abc`). The value is checked as if it were untagged. `!!str`, `!!int`, \
               `!!float`, `!!bool`, `!!null`, `!!map` and `!!seq` on values that fit them are read as they say, \
               without a finding.",
        why: "PyYAML's safe loader refuses unknown tags, other converters drop them or fail; what reaches the API \
              depends on the tool.",
        example: "values:\n  password: !vault secret/db",
        fix: "Resolve the tag before the payload is linted (render the template), or write the plain value.",
    }
    /// A YAML merge key.
    YamlMergeKey = "yaml_merge_key", Warning, {
        summary: "a YAML merge key `<<`: YAML 1.1 readers merge, YAML 1.2 has no merge key",
        what: "The mapping merges other mappings with `<<: *anchor`. PyYAML, ruamel.yaml and Go's yaml readers merge \
               them (keys written in the mapping win), and the linter checks the merged mapping; YAML 1.2 has no \
               merge key, so a strict 1.2 reader sees a member named `<<`.",
        why: "Whether the API gets the merged members or an unknown `<<` member depends on the converter.",
        example: "defaults: &defaults\n  imagePullPolicy: Always\nvalues:\n  <<: *defaults",
        fix: "Write the members out, or make sure the tool that converts the file merges keys.",
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an unknown code id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown code `{0}`")]
pub struct UnknownCode(pub String);

impl FromStr for Code {
    type Err = UnknownCode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Code::ALL
            .iter()
            .copied()
            .find(|code| code.as_str() == s)
            .ok_or_else(|| UnknownCode(s.to_owned()))
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let id = String::deserialize(deserializer)?;
        id.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for &code in Code::ALL {
            assert!(seen.insert(code.as_str()), "duplicate id {code}");
            assert_eq!(code.as_str().parse::<Code>(), Ok(code));
            assert!(
                code.as_str()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_')
            );
            let e = code.explanation();
            for text in [e.summary, e.what, e.why, e.example, e.fix] {
                assert!(
                    !text.trim().is_empty(),
                    "{code} has an empty explanation part"
                );
            }
        }
        assert!("no_such_code".parse::<Code>().is_err());
    }

    /// The explanations of the route codes list the paths and methods in words; the route table
    /// is what they must say.
    #[test]
    fn route_explanations_follow_the_route_table() {
        use crate::http::{Operation, PathShape};
        let route = Code::UnknownRoute.explanation().what;
        for shape in PathShape::ALL {
            let last = shape.template().rsplit('/').next().unwrap_or_default();
            assert!(route.contains(last), "{last} missing from: {route}");
        }
        for prefix in crate::http::Prefix::ALL {
            assert!(route.contains(prefix.as_str()), "{route}");
        }
        let methods = Code::MethodNotAllowed.explanation().what;
        for op in Operation::ALL {
            let said = format!("`{}` ({})", op.method(), op.name());
            assert!(methods.contains(&said), "{said} missing from: {methods}");
        }
    }
}
