//! HTTP-level validation: the router maps every documented route and no other; each operation
//! validates end to end, valid and invalid (method, prefix, placeholders, auth, content type,
//! query, body); answers are checked by status; built requests pass the same checks.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use cce_release::http::{HttpValidator, Operation, Prefix, Request, route};
use cce_release::{
    Code, CreateReleaseBody, Location, ReleaseParameters, ReleaseValues, Report, Severity,
    UpdateAction, UpdateReleaseBody,
};

const CLUSTER: &str = "7378a198-a3fe-11eb-ad37-0255ac100b07";
const CHART: &str = "e99a7e86-afdd-11eb-aca3-0255ac100b0e";
/// A token value no message may ever contain.
const TOKEN: &str = "MIIT-s3cr3t-t0ken-value";
const SIGNATURE: &str = "SDK-HMAC-SHA256 Access=AKSECRET, SignedHeaders=content-type;host;x-sdk-date, Signature=5ec12e7";

const CREATE_BODY: &str = r#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi-neo4j",
  "namespace": "default", "version": "3.0.1", "values": {"imageTag": "4.0.3"}}"#;
const UPDATE_BODY: &str = r#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "action": "upgrade",
  "parameters": {}, "values": {"imageTag": "4.0.4"}}"#;

/// The documented path of an operation, with real parameters, after `prefix`.
fn path(prefix: Prefix, op: Operation) -> String {
    op.path_template()
        .replace("{cluster_id}", CLUSTER)
        .replace("{namespace}", "default")
        .replace("{name}", "koi-neo4j")
        .replace("/clusters", &format!("{}/clusters", prefix.as_str()))
}

fn body(op: Operation) -> &'static [u8] {
    match op {
        Operation::Create => CREATE_BODY.as_bytes(),
        Operation::Update => UPDATE_BODY.as_bytes(),
        _ => b"",
    }
}

fn token_headers() -> Vec<(&'static str, &'static str)> {
    vec![
        ("Content-Type", "application/json"),
        ("X-Auth-Token", TOKEN),
    ]
}

fn codes(report: &Report) -> Vec<(Code, Location, &str)> {
    report
        .iter()
        .map(|d| (d.code, d.location, d.pointer.as_str()))
        .collect()
}

#[track_caller]
fn assert_no_secret(report: &Report) {
    for d in report {
        for secret in [TOKEN, "AKSECRET", "5ec12e7", "s3cr3t"] {
            assert!(!d.message.contains(secret), "secret echoed: {}", d.message);
        }
    }
}

#[test]
fn the_router_maps_every_documented_route_and_no_other() {
    let documented: Vec<(&str, &str, Operation)> = vec![
        ("POST", "/clusters/{cluster_id}/releases", Operation::Create),
        ("GET", "/clusters/{cluster_id}/releases", Operation::List),
        (
            "GET",
            "/clusters/{cluster_id}/namespace/{namespace}/releases/{name}",
            Operation::Show,
        ),
        (
            "PUT",
            "/clusters/{cluster_id}/namespace/{namespace}/releases/{name}",
            Operation::Update,
        ),
        (
            "DELETE",
            "/clusters/{cluster_id}/namespace/{namespace}/releases/{name}",
            Operation::Delete,
        ),
        (
            "GET",
            "/clusters/{cluster_id}/namespace/{namespace}/releases/{name}/history",
            Operation::History,
        ),
    ];
    assert_eq!(documented.len(), Operation::ALL.len());
    for (method, template, op) in &documented {
        assert_eq!((op.method(), op.path_template()), (*method, *template));
    }
    let methods = [
        "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "get", "Post",
    ];
    let templates = [
        "/clusters/{cluster_id}/releases",
        "/clusters/{cluster_id}/namespace/{namespace}/releases/{name}",
        "/clusters/{cluster_id}/namespace/{namespace}/releases/{name}/history",
    ];
    for prefix in Prefix::ALL {
        for template in templates {
            for method in methods {
                let path = format!("{}{template}", prefix.as_str())
                    .replace("{cluster_id}", CLUSTER)
                    .replace("{namespace}", "default")
                    .replace("{name}", "koi-neo4j");
                let expected = documented
                    .iter()
                    .find(|(m, t, _)| *m == method && *t == template)
                    .map(|(_, _, op)| *op);
                let got = route(method, &path);
                assert_eq!(
                    got.as_ref().map(|r| r.operation),
                    expected,
                    "{method} {path}"
                );
                if let Some(r) = got {
                    assert_eq!(r.prefix, *prefix);
                    assert_eq!(r.cluster_id, CLUSTER);
                }
            }
        }
    }
    let c = CLUSTER;
    let others = [
        format!("/autopilot/cam/v3/clusters/{c}/releases/"),
        format!("/autopilot/cam/v3/clusters/{c}/release"),
        format!("/autopilot/cam/v3/clusters/{c}"),
        format!("/autopilot/cam/v3/clusters/{c}/namespaces/default/releases/koi"),
        format!("/autopilot/cam/v3/clusters/{c}/namespace/default/releases"),
        format!("/autopilot/cam/v3/clusters/{c}/namespace/default/releases/koi/history/1"),
        format!("/autopilot/cam/v3/clusters/{c}/namespace/default/releases/koi/History"),
        "/autopilot/cam/v3/clusters//releases".to_owned(),
        format!("/autopilot/cam/v3//clusters/{c}/releases"),
        format!("/autopilot/cam/v3/Clusters/{c}/releases"),
        format!("/autopilot/cam/v2/clusters/{c}/releases"),
        format!("/autopilot/cam/v3x/clusters/{c}/releases"),
        format!("/cce/v3/clusters/{c}/releases"),
        format!("/api/v3/projects/p/clusters/{c}/releases"),
        format!("autopilot/cam/v3/clusters/{c}/releases"),
        format!("/clusters/{c}/releases"),
        "/autopilot/cam/v3".to_owned(),
        "/autopilot/cam/v3/".to_owned(),
        "/".to_owned(),
        String::new(),
    ];
    for path in &others {
        for method in ["GET", "POST", "PUT", "DELETE"] {
            assert!(route(method, path).is_none(), "{method} {path}");
        }
    }
}

#[test]
fn every_operation_validates_under_both_prefixes_with_either_credentials() {
    let validator = HttpValidator::new().strict(true);
    for &op in Operation::ALL {
        for &prefix in Prefix::ALL {
            let signed = vec![
                ("content-type", "application/json;charset=utf-8"),
                ("authorization", SIGNATURE),
                ("x-sdk-date", "20210512T071142Z"),
                ("X-Project-Id", "0605767e3d00d5762f98c0005f1d5b2d"),
            ];
            for headers in [token_headers(), signed] {
                let checked =
                    validator.validate_request(op.method(), &path(prefix, op), headers, body(op));
                assert!(
                    checked.report.is_empty(),
                    "{op} {prefix:?}: {}",
                    checked.report
                );
                assert_eq!(checked.operation(), Some(op));
            }
        }
    }
}

#[test]
fn a_wrong_method_is_method_not_allowed() {
    let validator = HttpValidator::new();
    for (method, op) in [
        ("PATCH", Operation::Update),
        ("PUT", Operation::Create),
        ("DELETE", Operation::List),
        ("POST", Operation::History),
        ("get", Operation::Show),
    ] {
        let checked =
            validator.validate_request(method, &path(Prefix::Autopilot, op), token_headers(), b"");
        assert_eq!(
            codes(&checked.report),
            [(Code::MethodNotAllowed, Location::Path, "")],
            "{method} {op}"
        );
        assert!(checked.route.is_none());
        let message = &checked.report.diagnostics()[0].message;
        assert!(message.contains(op.path_template()), "{message}");
    }
}

#[test]
fn a_wrong_prefix_or_path_is_unknown_route() {
    let validator = HttpValidator::new();
    for &op in Operation::ALL {
        let good = path(Prefix::Classic, op);
        for bad in [
            good.replace("/cce/cam/v3", "/cce/v3"),
            good.replace("/cce/cam/v3", "/autopilot/cam/v2"),
            good.replace("/namespace/", "/namespaces/"),
            format!("{good}/"),
        ] {
            if bad == good {
                continue;
            }
            let checked = validator.validate_request(op.method(), &bad, token_headers(), body(op));
            assert_eq!(
                codes(&checked.report),
                [(Code::UnknownRoute, Location::Path, "")],
                "{bad}"
            );
        }
    }
    let plural = validator.validate_request(
        "GET",
        &format!("/cce/cam/v3/clusters/{CLUSTER}/namespaces/default/releases/koi-neo4j"),
        token_headers(),
        b"",
    );
    assert!(
        plural.report.diagnostics()[0].message.contains("singular"),
        "{}",
        plural.report
    );
}

#[test]
fn placeholders_are_findings_in_every_operation() {
    let validator = HttpValidator::new();
    for &op in Operation::ALL {
        let raw = format!("/autopilot/cam/v3{}", op.path_template());
        let encoded = raw.replace('{', "%7B").replace('}', "%7D");
        for p in [raw, encoded] {
            let checked = validator.validate_request(op.method(), &p, token_headers(), body(op));
            let found = codes(&checked.report);
            let mut expected = vec![(Code::InvalidFormat, Location::Path, "/cluster_id")];
            if op.path_template().contains("{name}") {
                expected.push((Code::InvalidFormat, Location::Path, "/namespace"));
                expected.push((Code::InvalidFormat, Location::Path, "/name"));
            }
            assert_eq!(found, expected, "{op} {p}");
            let message = &checked.report.diagnostics()[0].message;
            assert!(
                message.contains("unfilled placeholder `{cluster_id}`"),
                "{message}"
            );
        }
    }
}

#[test]
fn path_parameters_follow_their_rules() {
    let validator = HttpValidator::new();
    let checked = validator.validate_request(
        "GET",
        &format!(
            "/autopilot/cam/v3/clusters/{}/namespace/Koi_Team/releases/{}",
            &CLUSTER[..35],
            "a".repeat(54)
        ),
        token_headers(),
        b"",
    );
    assert_eq!(
        codes(&checked.report),
        [
            (Code::InvalidFormat, Location::Path, "/cluster_id"),
            (Code::PatternMismatch, Location::Path, "/namespace"),
            (Code::TooLong, Location::Path, "/name"),
        ]
    );
    // Percent-decoded before the checks: `koi%2Dneo4j` is `koi-neo4j`.
    let encoded = validator.validate_request(
        "DELETE",
        &format!("/autopilot/cam/v3/clusters/{CLUSTER}/namespace/de%66ault/releases/koi%2Dneo4j"),
        token_headers(),
        b"",
    );
    assert!(encoded.report.is_empty(), "{}", encoded.report);
    assert_eq!(encoded.route.unwrap().name.as_deref(), Some("koi-neo4j"));
}

#[test]
fn missing_or_malformed_credentials() {
    let validator = HttpValidator::new();
    type Headers = Vec<(&'static str, &'static str)>;
    let cases: Vec<(Headers, Vec<(Code, &str)>)> = vec![
        (vec![], vec![(Code::MissingAuth, "/X-Auth-Token")]),
        (
            vec![("X-Auth-Token", " ")],
            vec![(Code::MalformedAuth, "/X-Auth-Token")],
        ),
        (
            vec![("Authorization", "Bearer s3cr3t")],
            vec![
                (Code::MalformedAuth, "/Authorization"),
                (Code::MalformedAuth, "/X-Sdk-Date"),
            ],
        ),
        (
            vec![
                (
                    "Authorization",
                    "SDK-HMAC-SHA256 Access=AKSECRET, Signature=5ec12e7",
                ),
                ("X-Sdk-Date", "2021-05-12T07:11:42Z"),
            ],
            vec![
                (Code::MalformedAuth, "/Authorization"),
                (Code::MalformedAuth, "/X-Sdk-Date"),
            ],
        ),
        (vec![("x-auth-token", TOKEN)], vec![]),
        (
            vec![
                ("AUTHORIZATION", SIGNATURE),
                ("X-SDK-DATE", "20210512T071142Z"),
            ],
            vec![],
        ),
    ];
    for &op in Operation::ALL {
        for (headers, expected) in &cases {
            let mut headers = headers.clone();
            headers.push(("Content-Type", "application/json"));
            let checked = validator.validate_request(
                op.method(),
                &path(Prefix::Autopilot, op),
                headers.clone(),
                body(op),
            );
            let got: Vec<(Code, &str)> = checked
                .report
                .iter()
                .map(|d| {
                    assert_eq!(d.location, Location::Header);
                    (d.code, d.pointer.as_str())
                })
                .collect();
            assert_eq!(&got, expected, "{op} {headers:?}");
            assert_no_secret(&checked.report);
        }
    }
}

#[test]
fn requests_with_a_body_must_say_json() {
    let validator = HttpValidator::new();
    for op in [Operation::Create, Operation::Update] {
        for (content_type, ok) in [
            (None, false),
            (Some("text/plain"), false),
            (Some("application/json;charset=latin1"), false),
            (Some("application/x-www-form-urlencoded"), false),
            (Some("APPLICATION/JSON; Charset=UTF-8"), true),
        ] {
            let mut headers = vec![("X-Auth-Token", TOKEN)];
            if let Some(ct) = content_type {
                headers.push(("content-type", ct));
            }
            let checked = validator.validate_request(
                op.method(),
                &path(Prefix::Classic, op),
                headers,
                body(op),
            );
            let expected: Vec<(Code, Location, &str)> = if ok {
                vec![]
            } else {
                vec![(
                    Code::UnsupportedMediaType,
                    Location::Header,
                    "/Content-Type",
                )]
            };
            assert_eq!(codes(&checked.report), expected, "{op} {content_type:?}");
            for d in &checked.report {
                assert!(!d.message.contains("text/plain") && !d.message.contains("latin1"));
            }
        }
    }
    // Operations without a body do not need a Content-Type.
    let checked = validator.validate_request(
        "GET",
        &path(Prefix::Autopilot, Operation::List),
        [("X-Auth-Token", TOKEN)],
        b"",
    );
    assert!(checked.report.is_empty(), "{}", checked.report);
}

#[test]
fn query_parameters_follow_their_rules() {
    let validator = HttpValidator::new();
    let list = path(Prefix::Autopilot, Operation::List);
    let show = path(Prefix::Autopilot, Operation::Show);
    let cases: Vec<(String, Vec<(Code, &str)>)> = vec![
        (format!("{list}?chart_id={CHART}&namespace=default"), vec![]),
        (format!("{list}?chart_id=&namespace="), vec![]),
        (format!("{show}?show_resources=true"), vec![]),
        (format!("{show}?show_resources=false"), vec![]),
        (
            format!("{show}?show_resources=yes"),
            vec![(Code::NotAllowed, "/show_resources")],
        ),
        (
            format!("{list}?chart_id=neo4j&namespace=Koi_Team"),
            vec![
                (Code::InvalidFormat, "/chart_id"),
                (Code::PatternMismatch, "/namespace"),
            ],
        ),
        (
            format!("{list}?chart_id=%7Bchart_id%7D"),
            vec![(Code::InvalidFormat, "/chart_id")],
        ),
        (
            format!("{list}?namespace=a&namespace=b"),
            vec![(Code::DuplicateKey, "/namespace")],
        ),
        (
            format!("{show}?chart_id={CHART}"),
            vec![(Code::UnknownField, "/chart_id")],
        ),
        (
            format!("{list}?show_resources=true"),
            vec![(Code::UnknownField, "/show_resources")],
        ),
    ];
    for (p, expected) in cases {
        let op = route("GET", &p).unwrap().operation;
        let checked = validator.validate_request(op.method(), &p, token_headers(), b"");
        let got: Vec<(Code, &str)> = checked
            .report
            .iter()
            .map(|d| {
                assert_eq!(d.location, Location::Query, "{p}");
                (d.code, d.pointer.as_str())
            })
            .collect();
        assert_eq!(got, expected, "{p}");
    }
}

#[test]
fn the_body_is_checked_by_its_operation_with_the_paths_cluster_id() {
    let validator = HttpValidator::new();
    let other_cluster = r#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi-neo4j",
  "namespace": "default", "version": "3.0.1", "values": {}, "cluster_id": "11111111-2222-3333-4444-555555555555"}"#;
    let checked = validator.validate_request(
        "POST",
        &path(Prefix::Autopilot, Operation::Create),
        token_headers(),
        other_cluster.as_bytes(),
    );
    assert_eq!(
        codes(&checked.report),
        [
            (Code::UnknownField, Location::Body, "/cluster_id"),
            (Code::ClusterIdMismatch, Location::Body, "/cluster_id"),
        ]
    );
    assert_eq!(checked.report.diagnostics()[0].line, Some(2));
    // An update body on an upgrade with a rollback revision; a create body sent to update.
    let upgrade = br#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "action": "upgrade",
        "parameters": {"release_version": 3}, "values": {}}"#;
    let checked = validator.validate_request(
        "PUT",
        &path(Prefix::Classic, Operation::Update),
        token_headers(),
        upgrade,
    );
    assert_eq!(
        codes(&checked.report),
        [(
            Code::IneffectiveParameter,
            Location::Body,
            "/parameters/release_version"
        )]
    );
    assert!(checked.is_valid());
    let checked = validator.validate_request(
        "PUT",
        &path(Prefix::Classic, Operation::Update),
        token_headers(),
        CREATE_BODY.as_bytes(),
    );
    assert!(!checked.is_valid());
    assert!(checked.report.has(Code::MissingField));
    // Empty or broken bodies, and bodies of GET and DELETE, which are not looked at.
    for op in [Operation::Create, Operation::Update] {
        let checked = validator.validate_request(
            op.method(),
            &path(Prefix::Autopilot, op),
            token_headers(),
            b"",
        );
        assert_eq!(
            codes(&checked.report),
            [(Code::InvalidJson, Location::Body, "")]
        );
    }
    let checked = validator.validate_request(
        "DELETE",
        &path(Prefix::Autopilot, Operation::Delete),
        token_headers(),
        b"{not json",
    );
    assert!(checked.report.is_empty());
}

#[test]
fn strict_mode_promotes_http_warnings() {
    let p = format!("{}?foo=1", path(Prefix::Autopilot, Operation::History));
    let lenient = HttpValidator::new().validate_request("GET", &p, token_headers(), b"");
    let strict =
        HttpValidator::new()
            .strict(true)
            .validate_request("GET", &p, token_headers(), b"");
    assert_eq!(lenient.report.diagnostics()[0].severity, Severity::Warning);
    assert_eq!(strict.report.diagnostics()[0].severity, Severity::Error);
}

#[test]
fn answers_are_checked_by_status() {
    let validator = HttpValidator::new();
    let release =
        br#"{"name": "koi-neo4j", "namespace": "default", "status": "DEPLOYED", "version": 1}"#;
    let list = br#"[{"name": "koi-neo4j", "version": 2, "status": "DEPLOYED"},
                    {"name": "koi-neo4j", "version": 1, "status": "SUPERSEDED"}]"#;
    let error = br#"{"errorCode": "CCE.01400001", "errorMessage": "Invalid request."}"#;
    let cases: Vec<(Operation, u16, &[u8], Vec<Code>)> = vec![
        (Operation::Create, 201, release, vec![]),
        (Operation::Show, 200, release, vec![]),
        (Operation::Update, 200, release, vec![]),
        (Operation::List, 200, list, vec![Code::UnknownStatus]),
        (Operation::History, 200, list, vec![Code::UnknownStatus]),
        (Operation::Delete, 200, br#""deleted""#, vec![]),
        (Operation::Show, 200, list, vec![Code::TypeMismatch]),
        (Operation::List, 200, release, vec![Code::TypeMismatch]),
        (Operation::Delete, 200, release, vec![Code::TypeMismatch]),
        (Operation::Create, 400, error, vec![]),
        (
            Operation::Delete,
            500,
            br#"{"error_code": "CCE.01500001", "error_msg": "x"}"#,
            vec![],
        ),
        (
            Operation::Update,
            404,
            release,
            vec![
                Code::MissingField,
                Code::MissingField,
                Code::UnknownField,
                Code::UnknownField,
                Code::UnknownField,
                Code::UnknownField,
            ],
        ),
        (Operation::Show, 304, b"", vec![]),
    ];
    for (op, status, body, expected) in cases {
        let report = validator.validate_response(op, status, body);
        let got: Vec<Code> = report.iter().map(|d| d.code).collect();
        assert_eq!(got, expected, "{op} {status}: {report}");
    }
}

#[test]
fn built_requests_pass_the_same_checks() {
    let values = ReleaseValues::default().with_image_tag("4.0.3");
    let create = CreateReleaseBody::new(CHART, "koi-neo4j", "default", "3.0.1", values.clone());
    let update = UpdateReleaseBody::new(
        CHART,
        UpdateAction::Rollback,
        ReleaseParameters::default(),
        values,
    );
    let requests = [
        Request::create(CLUSTER, &create),
        Request::list(CLUSTER)
            .query("chart_id", CHART)
            .query("namespace", "default"),
        Request::show(CLUSTER, "default", "koi-neo4j").query("show_resources", "true"),
        Request::update(CLUSTER, "default", "koi-neo4j", &update),
        Request::delete(CLUSTER, "default", "koi-neo4j"),
        Request::history(CLUSTER, "default", "koi-neo4j"),
    ];
    for (request, &op) in requests.iter().zip(Operation::ALL) {
        for prefix in Prefix::ALL {
            let request = request.clone().prefix(*prefix).token(TOKEN);
            assert_eq!(request.operation(), op);
            let checked = request.validate();
            assert!(checked.report.is_empty(), "{op}: {}", checked.report);
            assert_eq!(checked.operation(), Some(op));
            assert!(!format!("{request:?}").contains(TOKEN));
        }
    }
    // Without credentials, with a placeholder left in, with a bad name: reported before sending.
    let checked = Request::show("{cluster_id}", "default", "Koi Neo4j").validate();
    assert_eq!(
        codes(&checked.report),
        [
            (Code::InvalidFormat, Location::Path, "/cluster_id"),
            (Code::PatternMismatch, Location::Path, "/name"),
            (Code::MissingAuth, Location::Header, "/X-Auth-Token"),
        ]
    );
    // A signer's headers replace, case-insensitively, what is there.
    let signed = Request::delete(CLUSTER, "default", "koi-neo4j")
        .header("authorization", SIGNATURE)
        .header("X-Sdk-Date", "20210512T071142Z")
        .header("content-type", "application/json;charset=utf-8");
    assert_eq!(signed.headers().len(), 3);
    assert!(signed.validate().report.is_empty());
}
