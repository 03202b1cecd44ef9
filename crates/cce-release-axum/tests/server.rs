//! The extractor, the layer and the mock, driven through axum as a server would be.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::body::{Bytes, HttpBody};
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use cce_release::http::{HttpValidator, Operation};
use cce_release::{ApiError, CreateReleaseBody, Release, ReleaseStatus, UpdateReleaseBody};
use cce_release_axum::mock::{Limits, Store, router};
use cce_release_axum::{ErrorBody, ReleaseApi, StatusPolicy, ValidatedRelease, ValidatedRequest};
use http_body::Frame;
use serde_json::{Value, json};
use std::pin::Pin;
use std::task::{Context, Poll};
use tower::ServiceExt;

const CLUSTER: &str = "7378a198-a3fe-11eb-ad37-0255ac100b07";
const CHART: &str = "e99a7e86-afdd-11eb-aca3-0255ac100b0e";
const TOKEN: &str = "MIIT-very-secret-token";

fn releases(prefix: &str) -> String {
    format!("{prefix}/clusters/{CLUSTER}/releases")
}

fn release(prefix: &str, name: &str) -> String {
    format!("{prefix}/clusters/{CLUSTER}/namespace/default/releases/{name}")
}

fn create_body(name: &str) -> Value {
    json!({"chart_id": CHART, "name": name, "namespace": "default", "version": "3.0.1",
           "values": {"imageTag": "4.0.3"}})
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    fn error(&self) -> ErrorBody {
        serde_json::from_slice(&self.body).unwrap()
    }

    /// (location, code, pointer) of every finding.
    fn findings(&self) -> Vec<(String, String, String)> {
        self.error()
            .findings
            .iter()
            .map(|d| {
                (
                    d.location.as_str().to_owned(),
                    d.code.as_str().to_owned(),
                    d.pointer.clone(),
                )
            })
            .collect()
    }
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

fn send(app: &Router, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    let mut request = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(Body::from(body.to_vec())).unwrap();
    rt().block_on(async {
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), 64 << 20)
            .await
            .unwrap()
            .to_vec();
        Answer {
            status,
            headers,
            body,
        }
    })
}

const JSON_TOKEN: &[(&str, &str)] = &[
    ("Content-Type", "application/json"),
    ("X-Auth-Token", TOKEN),
];

async fn create(body: ValidatedRelease<CreateReleaseBody>) -> impl IntoResponse {
    let warnings: Vec<String> = body.report().iter().map(|d| d.code.to_string()).collect();
    let release = Release::default()
        .with_name(body.name.clone())
        .with_cluster_id(body.route().cluster_id.clone())
        .with_description(warnings.join(","))
        .with_status(ReleaseStatus::PendingInstall)
        .with_version(1);
    (
        StatusCode::CREATED,
        serde_json::to_string(&release).unwrap(),
    )
}

async fn update(body: ValidatedRelease<UpdateReleaseBody>) -> String {
    format!("{:?}", body.action)
}

/// Routes with the extractor alone, no layer.
fn extractor_app(api: Option<ReleaseApi>) -> Router {
    let mut app = Router::new()
        .route(
            "/autopilot/cam/v3/clusters/{cluster_id}/releases",
            post(create),
        )
        .route("/cce/cam/v3/clusters/{cluster_id}/releases", post(create))
        // Wired wrong on purpose: an update handler on the create route.
        .route("/cce/cam/v3/clusters/{cluster_id}/wrong", post(update));
    if let Some(api) = api {
        app = app.layer(axum::Extension(api));
    }
    app
}

#[test]
fn the_extractor_gives_a_typed_body_and_its_route() {
    let app = extractor_app(None);
    let mut body = create_body("koi-neo4j");
    body["project_id"] = json!("0abdd2dce980d4162f8ac006608ee02d");
    let answer = send(
        &app,
        "POST",
        &releases("/autopilot/cam/v3"),
        JSON_TOKEN,
        body.to_string().as_bytes(),
    );
    assert_eq!(answer.status, StatusCode::CREATED);
    let created: Release = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(created.name.as_deref(), Some("koi-neo4j"));
    assert_eq!(created.cluster_id.as_deref(), Some(CLUSTER));
    // The default mode lets an unknown member through, with its warning.
    assert_eq!(created.description.as_deref(), Some("unknown_field"));
}

#[test]
fn refusals_use_the_prefixs_spelling_and_carry_the_findings() {
    let app = extractor_app(None);
    let body = br#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e",
 "name": "Koi_Neo4j", "namespace": "default", "version": "3.0.1", "values": {}}"#;
    for (prefix, code_member) in [
        ("/autopilot/cam/v3", "errorCode"),
        ("/cce/cam/v3", "error_code"),
    ] {
        let answer = send(&app, "POST", &releases(prefix), JSON_TOKEN, body);
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        assert_eq!(answer.json()[code_member], "CCE.01400001", "{prefix}");
        assert_eq!(
            answer.headers["content-type"].to_str().unwrap(),
            "application/json"
        );
        let error = answer.error();
        let d = &error.findings[0];
        assert_eq!(
            (d.code.as_str(), d.pointer.as_str(), d.line, d.column),
            ("pattern_mismatch", "/name", Some(2), Some(10))
        );
        // What a client checking the answer sees: a valid error body, even in strict mode.
        let report = HttpValidator::new().strict(true).validate_response(
            Operation::Create,
            400,
            &answer.body,
        );
        assert!(report.is_empty(), "{report}");
        let plain: ApiError = serde_json::from_slice(&answer.body).unwrap();
        assert_eq!(plain.message(), "Invalid request.");
    }
}

/// (method, path, headers, provider status, HTTP status, code)
type StatusCase = (
    &'static str,
    String,
    Vec<(&'static str, &'static str)>,
    StatusCode,
    StatusCode,
    &'static str,
);

#[test]
fn statuses_follow_the_provider_or_http() {
    let path = releases("/cce/cam/v3");
    let body = create_body("koi-neo4j").to_string();
    let cases: Vec<StatusCase> = vec![
        // (method, path, headers, provider status, HTTP status, code)
        (
            "POST",
            path.clone(),
            vec![("Content-Type", "application/json")],
            StatusCode::UNAUTHORIZED,
            StatusCode::UNAUTHORIZED,
            "APIGW.0301",
        ),
        (
            "POST",
            path.clone(),
            vec![("Content-Type", "text/plain"), ("X-Auth-Token", TOKEN)],
            StatusCode::BAD_REQUEST,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "CCE.01400006",
        ),
        (
            "PATCH",
            path.clone(),
            vec![("X-Auth-Token", TOKEN)],
            StatusCode::NOT_FOUND,
            StatusCode::METHOD_NOT_ALLOWED,
            "APIGW.0101",
        ),
        (
            "GET",
            "/cce/cam/v3/clusters/x/namespaces/default/releases/koi".to_owned(),
            vec![("X-Auth-Token", TOKEN)],
            StatusCode::NOT_FOUND,
            StatusCode::NOT_FOUND,
            "APIGW.0101",
        ),
    ];
    for (policy, provider) in [(StatusPolicy::Provider, true), (StatusPolicy::Http, false)] {
        let app = Router::new()
            .route("/", get(|| async { "unreachable" }))
            .layer(
                ReleaseApi::new()
                    .statuses(policy)
                    .reject_other_paths(true)
                    .layer(),
            );
        for (method, path, headers, by_provider, by_http, code) in &cases {
            let answer = send(&app, method, path, headers, body.as_bytes());
            let expected = if provider { by_provider } else { by_http };
            assert_eq!(
                answer.status, *expected,
                "{policy:?} {method} {path} {headers:?}"
            );
            assert_eq!(answer.error().error.code(), *code);
            let allow = answer
                .headers
                .get("allow")
                .map(|v| v.to_str().unwrap().to_owned());
            let expected_allow =
                (*expected == StatusCode::METHOD_NOT_ALLOWED).then(|| "GET, POST".to_owned());
            assert_eq!(allow, expected_allow);
            // Header values never come back.
            assert!(!String::from_utf8_lossy(&answer.body).contains(TOKEN));
        }
    }
}

#[test]
fn credentials_outrank_body_findings_and_are_never_echoed() {
    let app = extractor_app(None);
    let secret_signature =
        "SDK-HMAC-SHA256 Access=AKSECRET, SignedHeaders=host, Signature=5ec12e7c0ffee";
    let answer = send(
        &app,
        "POST",
        &releases("/autopilot/cam/v3"),
        &[
            ("Content-Type", "application/json"),
            ("Authorization", secret_signature),
            ("X-Sdk-Date", "not-a-date-either"),
        ],
        br#"{"name": "koi"}"#,
    );
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    let text = String::from_utf8_lossy(&answer.body);
    for secret in ["AKSECRET", "5ec12e7c0ffee", "not-a-date-either"] {
        assert!(!text.contains(secret), "{text}");
    }
    let found = answer.findings();
    assert!(found.contains(&(
        "header".into(),
        "malformed_auth".into(),
        "/X-Sdk-Date".into()
    )));
    assert!(found.contains(&("body".into(), "missing_field".into(), "/chart_id".into())));
}

#[test]
fn the_paths_cluster_id_reaches_the_body_rules() {
    let app = extractor_app(None);
    let mut body = create_body("koi-neo4j");
    body["cluster_id"] = json!("11111111-2222-3333-4444-555555555555");
    let answer = send(
        &app,
        "POST",
        &releases("/cce/cam/v3"),
        JSON_TOKEN,
        body.to_string().as_bytes(),
    );
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(answer.findings().contains(&(
        "body".into(),
        "cluster_id_mismatch".into(),
        "/cluster_id".into()
    )));
    // Another cluster in the path, the same body: no mismatch when they agree.
    let same = body["cluster_id"].as_str().unwrap().to_owned();
    let path = format!("/cce/cam/v3/clusters/{same}/releases");
    let answer = send(&app, "POST", &path, JSON_TOKEN, body.to_string().as_bytes());
    assert_eq!(answer.status, StatusCode::CREATED);
}

#[test]
fn an_extension_configures_the_extractor() {
    let app = extractor_app(Some(ReleaseApi::new().strict(true)));
    let mut body = create_body("koi-neo4j");
    body["project_id"] = json!("0abdd2dce980d4162f8ac006608ee02d");
    let answer = send(
        &app,
        "POST",
        &releases("/cce/cam/v3"),
        JSON_TOKEN,
        body.to_string().as_bytes(),
    );
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        answer.findings(),
        [("body".into(), "unknown_field".into(), "/project_id".into())]
    );
}

#[test]
fn a_handler_for_another_body_is_a_server_error() {
    let app = extractor_app(None);
    let answer = send(
        &app,
        "POST",
        &format!("/cce/cam/v3/clusters/{CLUSTER}/wrong"),
        JSON_TOKEN,
        b"{}",
    );
    // The route is not the API's: refused as such, never handed to the handler.
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    let app = Router::new().route("/cce/cam/v3/clusters/{cluster_id}/releases", post(update));
    let answer = send(
        &app,
        "POST",
        &releases("/cce/cam/v3"),
        JSON_TOKEN,
        create_body("koi").to_string().as_bytes(),
    );
    assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(answer.error().error.code(), "CCE.01500001");
}

#[test]
fn bodies_are_capped_before_they_are_read() {
    let api = ReleaseApi::new().max_body_size(1024);
    let app = Router::new()
        .route("/cce/cam/v3/clusters/{cluster_id}/releases", post(create))
        .layer(api.layer());
    let big = format!(r#"{{"values": {{"x": "{}"}}}}"#, "a".repeat(4096));
    // Declared too large: refused unread, with the declared size.
    let length = big.len().to_string();
    let headers = [
        ("Content-Type", "application/json"),
        ("X-Auth-Token", TOKEN),
        ("Content-Length", length.as_str()),
    ];
    let answer = send(
        &app,
        "POST",
        &releases("/cce/cam/v3"),
        &headers,
        big.as_bytes(),
    );
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.error().error.code(), "APIGW.0201");
    let found = answer.error().findings;
    assert_eq!(found.len(), 1);
    assert!(
        found[0].message.contains(&format!("{} bytes", big.len())),
        "{}",
        found[0].message
    );
    // Not declared (a stream): read up to the limit, then refused.
    let stream = futures_stream(big.clone().into_bytes());
    let request = Request::post(releases("/cce/cam/v3"))
        .header("Content-Type", "application/json")
        .header("X-Auth-Token", TOKEN)
        .body(stream)
        .unwrap();
    let response = rt().block_on(app.clone().oneshot(request)).unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // axum's DefaultBodyLimit, when lower, applies too.
    let app = Router::new()
        .route("/cce/cam/v3/clusters/{cluster_id}/releases", post(create))
        .layer(DefaultBodyLimit::max(100));
    let request = Request::post(releases("/cce/cam/v3"))
        .header("Content-Type", "application/json")
        .header("X-Auth-Token", TOKEN)
        .body(futures_stream(
            create_body("koi-neo4j").to_string().into_bytes(),
        ))
        .unwrap();
    let response = rt().block_on(app.oneshot(request)).unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

/// A body without a declared length, in chunks of 100 bytes.
fn futures_stream(bytes: Vec<u8>) -> Body {
    let chunks: Vec<Bytes> = bytes.chunks(100).map(Bytes::copy_from_slice).collect();
    Body::new(Chunks(chunks.into_iter()))
}

struct Chunks(std::vec::IntoIter<Bytes>);

impl HttpBody for Chunks {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Poll::Ready(self.0.next().map(|b| Ok(Frame::data(b))))
    }
}

#[test]
fn the_layer_passes_other_paths_and_checks_answers_when_asked() {
    async fn broken() -> (StatusCode, &'static str) {
        (
            StatusCode::OK,
            r#"{"name": "koi-neo4j", "status": "HAPPY", "version": 1.5}"#,
        )
    }
    let app = |check: bool| {
        Router::new()
            .route(
                "/cce/cam/v3/clusters/{cluster_id}/namespace/{namespace}/releases/{name}",
                get(broken),
            )
            .route("/healthz", get(|| async { "ok" }))
            .layer(ReleaseApi::new().check_answers(check).layer())
    };
    let health = send(&app(true), "GET", "/healthz", &[], b"");
    assert_eq!(
        (health.status, health.body.as_slice()),
        (StatusCode::OK, &b"ok"[..])
    );
    let unchecked = send(
        &app(false),
        "GET",
        &release("/cce/cam/v3", "koi-neo4j"),
        &[("X-Auth-Token", TOKEN)],
        b"",
    );
    assert_eq!(unchecked.status, StatusCode::OK);
    let checked = send(
        &app(true),
        "GET",
        &release("/cce/cam/v3", "koi-neo4j"),
        &[("X-Auth-Token", TOKEN)],
        b"",
    );
    assert_eq!(checked.status, StatusCode::INTERNAL_SERVER_ERROR);
    let found = checked.findings();
    assert!(
        found.contains(&("body".into(), "not_allowed".into(), "/status".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("body".into(), "type_mismatch".into(), "/version".into())),
        "{found:?}"
    );
    // The request itself was fine; a bad one is refused before the handler runs.
    let refused = send(
        &app(true),
        "GET",
        &release("/cce/cam/v3", "Koi"),
        &[("X-Auth-Token", TOKEN)],
        b"",
    );
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        refused.findings(),
        [("path".into(), "pattern_mismatch".into(), "/name".into())]
    );
}

#[test]
fn behind_the_layer_the_extractors_take_its_verdict() {
    async fn show(request: ValidatedRequest) -> String {
        format!("{} {}", request.route.operation, request.report.len())
    }
    let app = Router::new()
        .route(
            "/cce/cam/v3/clusters/{cluster_id}/namespace/{namespace}/releases/{name}",
            get(show).put(update),
        )
        .layer(ReleaseApi::new().layer());
    let answer = send(
        &app,
        "GET",
        &format!("{}?show_resources=true", release("/cce/cam/v3", "koi")),
        &[("X-Auth-Token", TOKEN)],
        b"",
    );
    assert_eq!(
        (answer.status, answer.body.as_slice()),
        (StatusCode::OK, &b"show 0"[..])
    );
    let upgrade = json!({"chart_id": CHART, "action": "upgrade", "parameters": {}, "values": {}});
    let answer = send(
        &app,
        "PUT",
        &release("/cce/cam/v3", "koi"),
        JSON_TOKEN,
        upgrade.to_string().as_bytes(),
    );
    assert_eq!(
        (answer.status, answer.body.as_slice()),
        (StatusCode::OK, &b"Upgrade"[..])
    );
}

/// Every answer of the mock conforms (the strict reading), and the store is consistent.
struct Mock {
    app: Router,
}

impl Mock {
    fn new() -> Self {
        Mock {
            app: router(ReleaseApi::new(), Arc::new(Store::new(Limits::default()))),
        }
    }

    fn call(&self, op: Operation, path: &str, body: Option<&Value>) -> Answer {
        let bytes = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
        let answer = send(&self.app, op.method(), path, JSON_TOKEN, &bytes);
        let report = HttpValidator::new().strict(true).validate_response(
            op,
            answer.status.as_u16(),
            &answer.body,
        );
        assert!(report.is_empty(), "{op} {path}: {report}");
        answer
    }
}

#[test]
fn the_mock_keeps_a_consistent_store() {
    let mock = Mock::new();
    let ap = "/autopilot/cam/v3";
    let created = mock.call(
        Operation::Create,
        &releases(ap),
        Some(&create_body("koi-neo4j")),
    );
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.json()["status"], "PENDING_INSTALL");
    assert_eq!(created.json()["version"], 1);
    // The install completes before the next read.
    let shown = mock.call(Operation::Show, &release(ap, "koi-neo4j"), None);
    assert_eq!(
        (
            shown.json()["status"].clone(),
            shown.json().get("resources").cloned()
        ),
        (json!("DEPLOYED"), None)
    );
    let with_resources = mock.call(
        Operation::Show,
        &format!("{}?show_resources=true", release(ap, "koi-neo4j")),
        None,
    );
    assert_eq!(with_resources.json()["resources"], "[]");
    // A name in use.
    let again = mock.call(
        Operation::Create,
        &releases(ap),
        Some(&create_body("koi-neo4j")),
    );
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.error().error.code(), "CCE.01409001");
    // Upgrade, then roll back: revisions only increase.
    let upgrade = json!({"chart_id": CHART, "action": "upgrade", "parameters": {}, "values": {"imageTag": "5.0"}});
    let upgraded = mock.call(Operation::Update, &release(ap, "koi-neo4j"), Some(&upgrade));
    assert_eq!(
        (
            upgraded.json()["status"].clone(),
            upgraded.json()["version"].clone()
        ),
        (json!("PENDING_UPGRADE"), json!(2))
    );
    let rollback = json!({"chart_id": CHART, "action": "rollback", "parameters": {"release_version": 1}, "values": {}});
    let rolled = mock.call(
        Operation::Update,
        &release(ap, "koi-neo4j"),
        Some(&rollback),
    );
    assert_eq!(
        (
            rolled.json()["status"].clone(),
            rolled.json()["version"].clone()
        ),
        (json!("PENDING_ROLLBACK"), json!(3))
    );
    assert_eq!(rolled.json()["values"], r#"{"imageTag":"4.0.3"}"#);
    let missing = json!({"chart_id": CHART, "action": "rollback", "parameters": {"release_version": 42}, "values": {}});
    assert_eq!(
        mock.call(Operation::Update, &release(ap, "koi-neo4j"), Some(&missing))
            .status,
        StatusCode::NOT_FOUND
    );
    let history = mock
        .call(
            Operation::History,
            &format!("{}/history", release(ap, "koi-neo4j")),
            None,
        )
        .json();
    let versions: Vec<i64> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, [1, 2, 3]);
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "DEPLOYED")
    );
    assert_eq!(history[0]["status_description"], "Superseded by revision 2");
    // List, filtered; the other prefix's clusters are others.
    mock.call(
        Operation::Create,
        &releases(ap),
        Some(&create_body("other")),
    );
    let names = |answer: Answer| -> Vec<String> {
        answer
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        names(mock.call(Operation::List, &releases(ap), None)),
        ["koi-neo4j", "other"]
    );
    assert_eq!(
        names(mock.call(
            Operation::List,
            &format!("{}?chart_id=&namespace=", releases(ap)),
            None
        )),
        ["koi-neo4j", "other"]
    );
    assert_eq!(
        names(mock.call(
            Operation::List,
            &format!("{}?namespace=kube-system", releases(ap)),
            None
        )),
        Vec::<String>::new()
    );
    assert_eq!(
        names(mock.call(
            Operation::List,
            &format!("{}?chart_id={}", releases(ap), CHART.to_uppercase()),
            None
        )),
        ["koi-neo4j", "other"]
    );
    assert_eq!(
        names(mock.call(Operation::List, &releases("/cce/cam/v3"), None)),
        Vec::<String>::new()
    );
    // Delete: a string, then gone.
    let deleted = mock.call(Operation::Delete, &release(ap, "koi-neo4j"), None);
    assert_eq!(deleted.status, StatusCode::OK);
    assert!(deleted.json().as_str().unwrap().contains("koi-neo4j"));
    let gone = mock.call(Operation::Show, &release(ap, "koi-neo4j"), None);
    assert_eq!(
        (gone.status, gone.error().error.code()),
        (StatusCode::NOT_FOUND, "CCE.01404001")
    );
    assert_eq!(
        names(mock.call(Operation::List, &releases(ap), None)),
        ["other"]
    );
    // Findings as the API's error bodies, for every operation.
    let bad = mock.call(
        Operation::Create,
        &releases(ap),
        Some(&create_body("Bad_Name")),
    );
    assert_eq!(
        bad.findings(),
        [("body".into(), "pattern_mismatch".into(), "/name".into())]
    );
    let dry = json!({"chart_id": CHART, "name": "dry", "namespace": "default", "version": "1.0.0", "values": {}, "parameters": {"dry_run": true}});
    assert_eq!(
        mock.call(Operation::Create, &releases(ap), Some(&dry))
            .status,
        StatusCode::CREATED
    );
    assert_eq!(
        mock.call(Operation::Show, &release(ap, "dry"), None).status,
        StatusCode::NOT_FOUND
    );
}

#[test]
fn the_mock_is_bounded() {
    let limits = Limits::default().releases(2).revisions(3);
    let mock = Mock {
        app: router(ReleaseApi::new(), Arc::new(Store::new(limits))),
    };
    let ap = "/autopilot/cam/v3";
    for name in ["a", "b"] {
        assert_eq!(
            mock.call(Operation::Create, &releases(ap), Some(&create_body(name)))
                .status,
            StatusCode::CREATED
        );
    }
    assert_eq!(
        mock.call(Operation::Create, &releases(ap), Some(&create_body("c")))
            .status,
        StatusCode::BAD_REQUEST
    );
    let upgrade = json!({"chart_id": CHART, "action": "upgrade", "parameters": {}, "values": {}});
    for _ in 0..5 {
        mock.call(Operation::Update, &release(ap, "a"), Some(&upgrade));
    }
    let history = mock
        .call(
            Operation::History,
            &format!("{}/history", release(ap, "a")),
            None,
        )
        .json();
    let versions: Vec<i64> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, [4, 5, 6]);
    // Paths outside the API are refused by the mock.
    let elsewhere = send(&mock.app, "GET", "/healthz", &[], b"");
    assert_eq!(
        (elsewhere.status, elsewhere.error().error.code()),
        (StatusCode::NOT_FOUND, "APIGW.0101")
    );
}
