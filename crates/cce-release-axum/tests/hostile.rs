//! The crate keeps the library's promises whatever a client sends: bodies capped before they are
//! read whole (a `Content-Length` absent, lying or absurd, chunks without end, a body that never
//! arrives), findings bounded, secrets never echoed, findings sent as data (JSON-escaped, never
//! forging a member), and no panic or 5xx on any request.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes, HttpBody};
use axum::http::{HeaderName, HeaderValue, Request, StatusCode};
use axum::routing::post;
use cce_release::CreateReleaseBody;
use cce_release::http::{HttpValidator, Operation, route};
use cce_release_axum::mock::{Limits, Store, router};
use cce_release_axum::{ErrorBody, ReleaseApi, ValidatedRelease};
use http_body::Frame;
use serde_json::{Value, json};
use tower::ServiceExt;

const CLUSTER: &str = "7378a198-a3fe-11eb-ad37-0255ac100b07";
const CHART: &str = "e99a7e86-afdd-11eb-aca3-0255ac100b0e";
const TOKEN: &str = "MIIT-hostile-token-0d6f";
const SECRET: &str = "s3cr3t-9a41be";

fn releases() -> String {
    format!("/cce/cam/v3/clusters/{CLUSTER}/releases")
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap()
}

async fn create(body: ValidatedRelease<CreateReleaseBody>) -> (StatusCode, String) {
    (StatusCode::CREATED, body.name.clone())
}

fn app(api: ReleaseApi) -> Router {
    Router::new()
        .route("/cce/cam/v3/clusters/{cluster_id}/releases", post(create))
        .layer(api.layer())
}

struct Answer {
    status: StatusCode,
    body: Vec<u8>,
}

impl Answer {
    fn error(&self) -> ErrorBody {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
}

async fn answer(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 64 << 20)
        .await
        .unwrap()
        .to_vec();
    Answer { status, body }
}

fn post_json() -> axum::http::request::Builder {
    Request::post(releases())
        .header("Content-Type", "application/json")
        .header("X-Auth-Token", TOKEN)
}

/// A body that yields `chunk` bytes at a time, forever (or `Pending` forever after its first
/// chunk, when `stall`), counting what it handed out.
struct Endless {
    chunk: usize,
    pulled: Arc<AtomicUsize>,
    stall: bool,
}

impl HttpBody for Endless {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.stall && self.pulled.load(Ordering::SeqCst) > 0 {
            return Poll::Pending; // never woken: the client went quiet
        }
        self.pulled.fetch_add(self.chunk, Ordering::SeqCst);
        Poll::Ready(Some(Ok(Frame::data(Bytes::from(vec![b' '; self.chunk])))))
    }
}

fn endless(chunk: usize, stall: bool) -> (Body, Arc<AtomicUsize>) {
    let pulled = Arc::new(AtomicUsize::new(0));
    let body = Body::new(Endless {
        chunk,
        pulled: Arc::clone(&pulled),
        stall,
    });
    (body, pulled)
}

#[test]
fn an_endless_body_is_read_up_to_the_limit_and_no_further() {
    const LIMIT: usize = 4096;
    let app = app(ReleaseApi::new().max_body_size(LIMIT));
    rt().block_on(async {
        // No length (chunked), a length that lies low, and one that cannot be read as a number:
        // each is read to the limit and one chunk more, then refused.
        for declared in [
            None,
            Some("10"),
            Some("99999999999999999999999"),
            Some("-1"),
        ] {
            let (body, pulled) = endless(100, false);
            let mut request = post_json();
            if let Some(length) = declared {
                request = request.header("Content-Length", length);
            }
            let answer = answer(&app, request.body(body).unwrap()).await;
            assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE, "{declared:?}");
            let error = answer.error();
            assert_eq!(error.error.code(), "APIGW.0201");
            assert_eq!(error.findings.len(), 1);
            assert_eq!(error.findings[0].code.as_str(), "input_too_large");
            let pulled = pulled.load(Ordering::SeqCst);
            assert!(pulled <= LIMIT + 100, "{declared:?}: read {pulled} bytes");
        }
        // A length over the limit: refused before a byte is read.
        let (body, pulled) = endless(100, false);
        let request = post_json()
            .header("Content-Length", (LIMIT + 1).to_string())
            .body(body)
            .unwrap();
        let answer = answer(&app, request).await;
        assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(pulled.load(Ordering::SeqCst), 0);
        assert!(answer.error().findings[0].message.contains("4097 bytes"));
    });
}

#[test]
fn a_body_that_never_arrives_is_answered_when_its_time_is_up() {
    let app = app(ReleaseApi::new().body_timeout(Duration::from_millis(200)));
    rt().block_on(async {
        let (body, pulled) = endless(10, true);
        let started = Instant::now();
        let request = post_json().body(body).unwrap();
        let answer = answer(&app, request).await;
        assert_eq!(answer.status, StatusCode::REQUEST_TIMEOUT);
        assert!(started.elapsed() < Duration::from_secs(10));
        assert_eq!(pulled.load(Ordering::SeqCst), 10);
        let error = answer.error();
        assert_eq!(
            (error.error.code(), error.findings.len()),
            ("CCE.01400001", 0)
        );
        // A body in time is not affected.
        let body = json!({"chart_id": CHART, "name": "koi", "namespace": "default",
                          "version": "1.0.0", "values": {}});
        let request = post_json().body(Body::from(body.to_string())).unwrap();
        assert_eq!(answer_status(&app, request).await, StatusCode::CREATED);
    });
}

async fn answer_status(app: &Router, request: Request<Body>) -> StatusCode {
    answer(app, request).await.status
}

#[test]
fn findings_are_bounded() {
    // 20,000 unknown members, each an error in strict mode.
    let mut body = String::from(r#"{"chart_id": "x""#);
    for i in 0..20_000 {
        body.push_str(&format!(r#", "m{i}": {i}"#));
    }
    body.push('}');
    for (api, kept) in [
        (ReleaseApi::new().strict(true), 1000),
        (
            ReleaseApi::with_validator(HttpValidator::new().strict(true).max_findings(25)),
            25,
        ),
    ] {
        let app = app(api);
        let request = post_json().body(Body::from(body.clone())).unwrap();
        let answer = rt().block_on(answer(&app, request));
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        let findings = answer.error().findings;
        assert_eq!(findings.len(), kept + 1);
        assert_eq!(findings[kept].code.as_str(), "too_many_findings");
        // Some 250 bytes a finding at most: the answer does not grow with the payload.
        assert!(
            answer.body.len() < (kept + 1) * 400,
            "{}",
            answer.body.len()
        );
    }
}

#[test]
fn secrets_never_come_back() {
    // Every secret breaks a rule: a chart schema's, a header's shape, the query's.
    let schema = json!({"properties": {
        "db": {"properties": {"password": {"type": "integer"}}},
        "auth": {"properties": {"token": {"enum": ["a"]}}},
        "apiKey": {"maxLength": 2}
    }});
    let api = ReleaseApi::new().values_schema(&schema).unwrap();
    let app = app(api);
    let body = json!({"chart_id": CHART, "name": "koi", "namespace": "default",
        "version": "1.0.0",
        "values": {"db": {"password": SECRET}, "auth": {"token": SECRET}, "apiKey": SECRET}});
    let signature = format!("SDK-HMAC-SHA256 Access={SECRET}, Signature=");
    let requests = [
        post_json().body(Body::from(body.to_string())),
        Request::post(format!("{}?password={SECRET}", releases()))
            .header("Content-Type", "application/json")
            .header("X-Auth-Token", TOKEN)
            .body(Body::from(body.to_string())),
        Request::post(releases())
            .header("Content-Type", format!("text/{SECRET}"))
            .header("Authorization", signature.as_str())
            .header("X-Sdk-Date", SECRET)
            .body(Body::from(body.to_string())),
    ];
    rt().block_on(async {
        for request in requests {
            let answer = answer(&app, request.unwrap()).await;
            let text = String::from_utf8_lossy(&answer.body);
            assert!(answer.status.is_client_error(), "{text}");
            assert!(!answer.error().findings.is_empty(), "{text}");
            assert!(!text.contains(SECRET), "{text}");
            assert!(!text.contains(TOKEN), "{text}");
        }
    });
}

#[test]
fn findings_are_data_whatever_the_keys_and_values_hold() {
    // Keys and values that would end a JSON string, a line, an HTML script, or forge a member.
    let hostile = [
        "\",\"code\":\"forged",
        "line\nbreak\r\u{0}\u{1b}[31m",
        "</script><script>alert(1)</script>",
        "\u{2028}\u{2029}\u{feff}\u{202e}",
        "~1/~0",
    ];
    let mut body = serde_json::Map::new();
    body.insert("chart_id".into(), json!(CHART));
    body.insert("namespace".into(), json!("default"));
    body.insert("version".into(), json!("1.0.0"));
    body.insert("values".into(), json!({}));
    body.insert("name".into(), json!(hostile.concat()));
    for key in hostile {
        body.insert(key.into(), json!(key));
    }
    let app = app(ReleaseApi::new().strict(true));
    let request = post_json()
        .body(Body::from(Value::Object(body).to_string()))
        .unwrap();
    let answer = rt().block_on(answer(&app, request));
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    // Raw control characters never reach the wire: JSON escapes them.
    assert!(
        answer.body.iter().all(|&b| b >= 0x20),
        "{:?}",
        String::from_utf8_lossy(&answer.body)
    );
    let error = answer.error();
    let codes: Vec<&str> = error.findings.iter().map(|d| d.code.as_str()).collect();
    assert!(!codes.contains(&"forged"), "{codes:?}");
    // One finding per hostile key, at that key (an RFC 6901 pointer, as data), and one for the
    // name.
    for key in hostile {
        let pointer = format!("/{}", key.replace('~', "~0").replace('/', "~1"));
        assert!(
            error
                .findings
                .iter()
                .any(|d| d.code.as_str() == "unknown_field" && d.pointer == pointer),
            "{pointer:?} in {:?}",
            error.findings
        );
    }
    // Nothing else: the name's own findings, and no finding made of a forged member.
    let pointers: Vec<String> = hostile
        .iter()
        .map(|k| format!("/{}", k.replace('~', "~0").replace('/', "~1")))
        .collect();
    assert!(error.findings.iter().any(|d| d.pointer == "/name"));
    for d in &error.findings {
        assert!(
            d.pointer == "/name" || pointers.contains(&d.pointer),
            "{:?}",
            error.findings
        );
    }
    // And the answer is a valid error body, even read strictly.
    let report =
        HttpValidator::new()
            .strict(true)
            .validate_response(Operation::Create, 400, &answer.body);
    assert!(report.is_empty(), "{report}");
}

/// A small deterministic generator (xorshift), so that a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

fn hostile_body(rng: &mut Rng) -> Vec<u8> {
    let valid = json!({"chart_id": CHART, "name": "koi-neo4j", "namespace": "default",
        "version": "3.0.1", "values": {"imageTag": "4.0.3"},
        "action": "upgrade", "parameters": {"release_version": 1}})
    .to_string()
    .into_bytes();
    match rng.below(10) {
        0 => Vec::new(),
        6..=7 => valid,
        1 => vec![b'['; 1 + rng.below(200_000)],
        2 => b"{\"values\": 1e999999, \"name\": -0.0e-99999}".to_vec(),
        3 => {
            let mut bytes = valid.clone();
            bytes.truncate(rng.below(bytes.len()));
            bytes
        }
        4 => (0..rng.below(512)).map(|_| rng.next() as u8).collect(),
        5 => b"\xEF\xBB\xBF{\"name\": \"\xff\xfe\", \"name\": 1, \"name\": {}}".to_vec(),
        _ => {
            let mut bytes = valid.clone();
            for _ in 0..1 + rng.below(6) {
                let at = rng.below(bytes.len());
                bytes[at] = rng.pick(b"\"\\{}[],:0a\x00\x7f\xc3\xff -e.");
            }
            bytes
        }
    }
}

/// A method and a path: mostly an operation's, with hostile segments, methods and shapes.
fn hostile_route(rng: &mut Rng) -> (&'static str, String) {
    // (method, path shape) of the six operations.
    let operations = [
        ("POST", 0),
        ("GET", 0),
        ("GET", 1),
        ("PUT", 1),
        ("DELETE", 1),
        ("GET", 2),
    ];
    let (mut method, mut shape) = rng.pick(&operations);
    if rng.below(6) == 0 {
        method = rng.pick(&["PATCH", "HEAD", "get", "OPTIONS", "POST", "DELETE"]);
    }
    if rng.below(6) == 0 {
        shape = rng.below(5);
    }
    let prefix = rng.pick(&[
        "/cce/cam/v3",
        "/autopilot/cam/v3",
        "/cce/cam/v3",
        "/autopilot/cam/v3",
        "/cce/cam/v30",
        "",
        "/",
    ]);
    // Mostly the right value for its place, so that requests get past the route.
    let segment = |rng: &mut Rng, good: &str| -> String {
        if rng.below(4) != 0 {
            return good.to_owned();
        }
        rng.pick(&[
            CLUSTER,
            "default",
            "koi-neo4j",
            "%FF%FE",
            "%00",
            "%2F",
            "..",
            "{cluster_id}",
            "%7Bname%7D",
            "",
            "Koi_Neo4j",
            "a%ZZ",
            "%E2%80%AE",
        ])
        .to_string()
    };
    let c = segment(rng, CLUSTER);
    let ns = segment(rng, "default");
    let name = segment(rng, "koi-neo4j");
    let mut path = match shape {
        0 => format!("{prefix}/clusters/{c}/releases"),
        1 => format!("{prefix}/clusters/{c}/namespace/{ns}/releases/{name}"),
        2 => format!("{prefix}/clusters/{c}/namespace/{ns}/releases/{name}/history"),
        3 => format!(
            "{prefix}/clusters/{c}/namespace/{ns}/releases/{name}/{}",
            "x".repeat(rng.below(5000))
        ),
        _ => format!("{prefix}/{c}"),
    };
    if rng.below(2) == 0 {
        let query = rng.pick(&[
            "show_resources=true",
            "show_resources=",
            "show_resources=maybe",
            "chart_id=&namespace=",
            "chart_id=%FF",
            "namespace=a&namespace=b",
            "x=1&&&==",
            "%",
            "password=hunter2",
        ]);
        path = format!("{path}?{query}");
    }
    (method, path)
}

fn hostile_headers(rng: &mut Rng) -> Vec<(HeaderName, HeaderValue)> {
    let names: &[&'static str] = &[
        "content-type",
        "x-auth-token",
        "authorization",
        "x-sdk-date",
        "content-length",
        "x-project-id",
    ];
    let values: &[&[u8]] = &[
        b"application/json",
        b"application/json; charset=utf-8",
        b"application/json; charset=latin1",
        b"text/plain",
        b"",
        b" ",
        b"\xff\xfe\x80",
        TOKEN.as_bytes(),
        b"SDK-HMAC-SHA256 Access=a, SignedHeaders=host, Signature=b",
        b"SDK-HMAC-SHA256 ,,,==",
        b"20210512T071142Z",
        b"20210230T000000Z",
        b"18446744073709551616",
        b"application/json;;;charset=\"utf-8\"",
    ];
    let mut headers = vec![
        (
            HeaderName::from_static("x-auth-token"),
            HeaderValue::from_static(TOKEN),
        ),
        (
            HeaderName::from_static("content-type"),
            HeaderValue::from_static("application/json"),
        ),
    ];
    for _ in 0..rng.below(6) {
        let name = rng.pick(names);
        let name = HeaderName::from_static(name);
        if name == "content-length" {
            continue; // hyper sets the real one; a lying one is tested above
        }
        let value = rng.pick(values);
        let value = HeaderValue::from_bytes(value).unwrap();
        headers.push((name, value));
    }
    if rng.below(4) == 0 {
        headers.retain(|(n, _)| n != "x-auth-token");
    }
    // Later values of a name replace the first ones half the time (a repeated header otherwise).
    if rng.below(2) == 0 {
        headers.reverse();
        let mut seen = Vec::new();
        headers.retain(|(n, _)| {
            let first = !seen.contains(n);
            seen.push(n.clone());
            first
        });
    }
    headers
}

#[test]
fn no_request_panics_or_gets_a_server_error() {
    // The mock checks its own answers too: an answer that broke the API would be a 500.
    let store = Arc::new(Store::new(Limits::default().releases(50)));
    let mock = router(ReleaseApi::new().max_body_size(256 * 1024), store);
    let strict = router(
        ReleaseApi::new().strict(true).max_body_size(256 * 1024),
        Arc::new(Store::default()),
    );
    let mut rng = Rng(0x0015_cce0_a8e0);
    let checker = HttpValidator::new();
    let mut seen = std::collections::BTreeMap::<u16, usize>::new();
    let runtime = rt();
    for i in 0..3000 {
        let (method, path) = hostile_route(&mut rng);
        let mut request = Request::builder().method(method).uri(path.as_str());
        for (name, value) in hostile_headers(&mut rng) {
            request = request.header(name, value);
        }
        let Ok(request) = request.body(Body::from(hostile_body(&mut rng))) else {
            continue; // not a request hyper would hand over
        };
        let app = if i % 2 == 0 { &mock } else { &strict };
        let answer = runtime.block_on(answer(app, request));
        *seen.entry(answer.status.as_u16()).or_default() += 1;
        assert!(
            !answer.status.is_server_error(),
            "{method} {path}: {}",
            String::from_utf8_lossy(&answer.body)
        );
        if method == "HEAD" {
            continue;
        }
        // Every answer is the operation's or a valid error body.
        let operation = route(method, &path).map_or(Operation::Create, |r| r.operation);
        let report = checker.validate_response(operation, answer.status.as_u16(), &answer.body);
        assert!(
            report.is_valid(),
            "{method} {path} {}: {report}",
            answer.status
        );
    }
    // The generator reached every kind of answer.
    for status in [200, 201, 400, 401, 404, 409] {
        assert!(seen.contains_key(&status), "{status} never seen: {seen:?}");
    }
}
