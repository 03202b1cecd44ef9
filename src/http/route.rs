//! The operations of the release API and the router: method and path to an operation, or why not.

use std::fmt;

use crate::Kind;
use crate::diagnostic::Location;
use crate::diagnostic::message::{Expected, Problem, RouteFault, Shape, ValueFormat};
use crate::model::constraints::{
    NAMESPACE_MAX, RELEASE_NAME_MAX, is_namespace, is_release_name, is_uuid,
};
use crate::redact::quote_str;
use crate::validate::collect::Collector;
use crate::validate::{Anchor, Finding};

/// The two path prefixes the API answers under, with the same bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Prefix {
    /// `/autopilot/cam/v3`: Autopilot clusters.
    #[default]
    Autopilot,
    /// `/cce/cam/v3`: classic CCE clusters.
    Classic,
}

impl Prefix {
    /// Both prefixes.
    pub const ALL: &'static [Prefix] = &[Prefix::Autopilot, Prefix::Classic];

    /// The prefix as it starts a path, without a final `/`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Prefix::Autopilot => "/autopilot/cam/v3",
            Prefix::Classic => "/cce/cam/v3",
        }
    }
}

/// One operation of the release API (see the endpoints table in `docs/api.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// `POST /clusters/{cluster_id}/releases`: install a chart; 201 and a [`Release`](crate::Release).
    Create,
    /// `GET /clusters/{cluster_id}/releases`: the cluster's releases, filtered by the `chart_id`
    /// and `namespace` query parameters; 200 and an array of releases.
    List,
    /// `GET /clusters/{cluster_id}/namespace/{namespace}/releases/{name}` (`show_resources`
    /// query parameter); 200 and a release.
    Show,
    /// `PUT /clusters/{cluster_id}/namespace/{namespace}/releases/{name}` with an
    /// [`UpdateReleaseBody`](crate::UpdateReleaseBody); 200 and a release.
    Update,
    /// `DELETE /clusters/{cluster_id}/namespace/{namespace}/releases/{name}`; 200 and a string.
    Delete,
    /// `GET /clusters/{cluster_id}/namespace/{namespace}/releases/{name}/history`; 200 and an
    /// array of releases.
    History,
}

impl Operation {
    /// Every operation, in documentation order.
    pub const ALL: &'static [Operation] = &[
        Operation::Create,
        Operation::List,
        Operation::Show,
        Operation::Update,
        Operation::Delete,
        Operation::History,
    ];

    /// `create`, `list`, `show`, `update`, `delete` or `history`.
    pub const fn name(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::List => "list",
            Operation::Show => "show",
            Operation::Update => "update",
            Operation::Delete => "delete",
            Operation::History => "history",
        }
    }

    /// The HTTP method, as it must be sent (methods are case-sensitive).
    pub const fn method(self) -> &'static str {
        match self {
            Operation::Create => "POST",
            Operation::List | Operation::Show | Operation::History => "GET",
            Operation::Update => "PUT",
            Operation::Delete => "DELETE",
        }
    }

    /// The path after the prefix, with its `{parameters}`.
    pub const fn path_template(self) -> &'static str {
        self.shape().template()
    }

    /// The query parameters the operation takes.
    pub const fn query_parameters(self) -> &'static [&'static str] {
        match self {
            Operation::List => &["chart_id", "namespace"],
            Operation::Show => &["show_resources"],
            _ => &[],
        }
    }

    /// The kind of the request body, for the operations that send one (create, update).
    pub const fn request_kind(self) -> Option<Kind> {
        match self {
            Operation::Create => Some(Kind::CreateRequest),
            Operation::Update => Some(Kind::UpdateRequest),
            _ => None,
        }
    }

    /// The kind of the success answer's body.
    pub const fn response_kind(self) -> Kind {
        match self {
            Operation::Create => Kind::CreateResponse,
            Operation::Show | Operation::Update => Kind::Release,
            Operation::List | Operation::History => Kind::ReleaseList,
            Operation::Delete => Kind::DeleteResponse,
        }
    }

    /// The documented success status: 201 for create, 200 for the others.
    pub const fn success_status(self) -> u16 {
        match self {
            Operation::Create => 201,
            _ => 200,
        }
    }

    const fn shape(self) -> PathShape {
        match self {
            Operation::Create | Operation::List => PathShape::Releases,
            Operation::Show | Operation::Update | Operation::Delete => PathShape::Release,
            Operation::History => PathShape::History,
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The three paths, whatever the method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PathShape {
    Releases,
    Release,
    History,
}

impl PathShape {
    /// The three paths, in documentation order.
    pub(crate) const ALL: [PathShape; 3] =
        [PathShape::Releases, PathShape::Release, PathShape::History];

    /// The path after the prefix, with its `{parameters}`.
    pub(crate) const fn template(self) -> &'static str {
        match self {
            PathShape::Releases => "/clusters/{cluster_id}/releases",
            PathShape::Release => "/clusters/{cluster_id}/namespace/{namespace}/releases/{name}",
            PathShape::History => {
                "/clusters/{cluster_id}/namespace/{namespace}/releases/{name}/history"
            }
        }
    }

    /// The operations on this path.
    pub(crate) fn operations(self) -> impl Iterator<Item = Operation> {
        Operation::ALL
            .iter()
            .copied()
            .filter(move |op| op.shape() == self)
    }
}

/// A request matched to its operation, with its path parameters percent-decoded (not yet
/// checked: see [`HttpValidator`](super::HttpValidator)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Route {
    /// The operation.
    pub operation: Operation,
    /// The prefix the path starts with.
    pub prefix: Prefix,
    /// `{cluster_id}`, decoded.
    pub cluster_id: String,
    /// `{namespace}`, decoded (operations on one release).
    pub namespace: Option<String>,
    /// `{name}`, decoded (operations on one release).
    pub name: Option<String>,
}

/// Why a request has no route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Miss {
    /// The path is none of the API's.
    Path(RouteFault),
    /// The path is, but not with this method.
    Method(PathShape),
}

/// The path without its query (and fragment), and the query.
pub(crate) fn split_query(path_and_query: &str) -> (&str, Option<&str>) {
    let without_fragment = path_and_query
        .split_once('#')
        .map_or(path_and_query, |(p, _)| p);
    match without_fragment.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (without_fragment, None),
    }
}

/// The route of `method` on `path` (no query).
pub(crate) fn find(method: &str, path: &str) -> Result<Route, Miss> {
    let (prefix, rest) = Prefix::ALL
        .iter()
        .find_map(|p| {
            let rest = path.strip_prefix(p.as_str())?;
            (rest.is_empty() || rest.starts_with('/')).then_some((*p, rest))
        })
        .ok_or(Miss::Path(RouteFault::Prefix))?;
    let segments: Vec<&str> = match rest.strip_prefix('/') {
        Some(rest) => rest.split('/').collect(),
        None => return Err(Miss::Path(RouteFault::NoOperation)),
    };
    if segments.iter().any(|s| s.is_empty()) {
        return Err(Miss::Path(RouteFault::EmptySegment));
    }
    let (shape, cluster_id, namespace, name) = match segments.as_slice() {
        ["clusters", id, "releases"] => (PathShape::Releases, id, None, None),
        ["clusters", id, "namespace", ns, "releases", name] => {
            (PathShape::Release, id, Some(ns), Some(name))
        }
        ["clusters", id, "namespace", ns, "releases", name, "history"] => {
            (PathShape::History, id, Some(ns), Some(name))
        }
        ["clusters", _, "namespaces", ..] => {
            return Err(Miss::Path(RouteFault::PluralNamespace));
        }
        _ => return Err(Miss::Path(RouteFault::NoOperation)),
    };
    let operation = shape
        .operations()
        .find(|op| op.method() == method)
        .ok_or(Miss::Method(shape))?;
    Ok(Route {
        operation,
        prefix,
        cluster_id: decode(cluster_id, false),
        namespace: namespace.map(|s| decode(s, false)),
        name: name.map(|s| decode(s, false)),
    })
}

/// The finding of a request that has no route.
pub(crate) fn miss_finding(miss: Miss, method: &str, path: &str) -> Finding {
    let problem = match miss {
        Miss::Path(fault) => Problem::UnknownRoute {
            found: quote_str("", path),
            fault,
        },
        Miss::Method(shape) => Problem::MethodNotAllowed {
            method: quote_str("", method),
            path: shape,
        },
    };
    Finding {
        problem,
        location: Location::Path,
        pointer: String::new(),
        anchor: Anchor::Nowhere,
    }
}

/// What a parameter value must be, for the checks shared by path and query parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Param {
    /// A UUID: the cluster id, a chart id.
    Uuid(Expected),
    Namespace,
    ReleaseName,
}

/// The findings of one path or query parameter value.
pub(crate) fn check_param(
    location: Location,
    name: &str,
    value: &str,
    param: Param,
    out: &mut Collector,
) {
    let pointer = format!("/{name}");
    let mut push = |problem: Problem| {
        out.push_unplaced(Finding {
            problem,
            location,
            pointer: pointer.clone(),
            anchor: Anchor::Nowhere,
        });
    };
    if value.len() >= 2 && value.starts_with('{') && value.ends_with('}') {
        let expected = match param {
            Param::Uuid(what) => what,
            Param::Namespace => Expected::Namespace,
            Param::ReleaseName => Expected::ReleaseName,
        };
        push(Problem::Placeholder {
            found: quote_str(&pointer, value),
            expected,
        });
        return;
    }
    let (max, shape, ok) = match param {
        Param::Uuid(_) => {
            if !is_uuid(value) {
                push(Problem::InvalidFormat {
                    format: ValueFormat::Uuid,
                    found: quote_str(&pointer, value),
                });
            }
            return;
        }
        Param::Namespace => (NAMESPACE_MAX, Shape::Namespace, is_namespace(value)),
        Param::ReleaseName => (RELEASE_NAME_MAX, Shape::ReleaseName, is_release_name(value)),
    };
    let chars = value.chars().count();
    if chars as u64 > max {
        push(Problem::TooLong { max, actual: chars });
    }
    if !ok {
        push(Problem::PatternMismatch {
            shape,
            found: quote_str(&pointer, value),
        });
    }
}

/// The cluster id the path names.
pub(crate) const CLUSTER_ID: Param = Param::Uuid(Expected::ClusterId);

/// The path parameters' findings.
pub(crate) fn check_path(route: &Route, out: &mut Collector) {
    check_param(
        Location::Path,
        "cluster_id",
        &route.cluster_id,
        CLUSTER_ID,
        out,
    );
    if let Some(namespace) = &route.namespace {
        check_param(
            Location::Path,
            "namespace",
            namespace,
            Param::Namespace,
            out,
        );
    }
    if let Some(name) = &route.name {
        check_param(Location::Path, "name", name, Param::ReleaseName, out);
    }
}

/// Percent-decodes `s` (`%XX`; with `plus`, also `+` as a space, as in a query). An escape that is
/// not two hex digits is kept as written; bytes that do not make UTF-8 become U+FFFD. Either way
/// the value then fails its own check, so nothing is lost in silence.
pub(crate) fn decode(s: &str, plus: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match bytes[i] {
            b'%' => {
                match (
                    bytes.get(i + 1).copied().and_then(hex),
                    bytes.get(i + 2).copied().and_then(hex),
                ) {
                    (Some(hi), Some(lo)) => {
                        out.push((hi * 16 + lo) as u8);
                        i += 3;
                        continue;
                    }
                    _ => out.push(b'%'),
                }
            }
            b'+' if plus => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes a path or query value: every byte but the unreserved characters of RFC 3986
/// (`A-Z a-z 0-9 - . _ ~`).
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding() {
        assert_eq!(decode("koi%2Dneo4j", false), "koi-neo4j");
        assert_eq!(decode("%7Bcluster_id%7D", false), "{cluster_id}");
        assert_eq!(decode("a+b", false), "a+b");
        assert_eq!(decode("a+b", true), "a b");
        assert_eq!(decode("100%", false), "100%");
        assert_eq!(decode("%4", false), "%4");
        assert_eq!(decode("%zz", false), "%zz");
        assert_eq!(decode("%C3%A9", false), "é");
        assert_eq!(decode("%FF", false), "\u{FFFD}");
        for s in ["koi-neo4j", "{x}", "a b/c?d", "é", "%"] {
            assert_eq!(decode(&encode(s), false), s);
        }
    }

    #[test]
    fn queries_split_off() {
        assert_eq!(split_query("/a?b=c"), ("/a", Some("b=c")));
        assert_eq!(split_query("/a#f"), ("/a", None));
        assert_eq!(split_query("/a"), ("/a", None));
    }
}
