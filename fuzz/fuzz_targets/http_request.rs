//! A whole HTTP request from arbitrary bytes: method, path with query, headers and body are cut
//! from the input at the first three newlines (headers as `name: value` pairs separated by `|`).
//! Routing, parameters, headers and the body's validation must never panic, and nothing shown
//! may repeat a header's value: the marker `s3cr3t` (in the dictionary) planted in a header
//! must not come out unless the path or body carry it too.
#![no_main]

use cce_release::http::HttpValidator;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(4, '\n');
    let method = parts.next().unwrap_or_default();
    let path = parts.next().unwrap_or_default();
    let headers: Vec<(String, String)> = parts
        .next()
        .unwrap_or_default()
        .split('|')
        .filter_map(|h| h.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let body = parts.next().unwrap_or_default();
    let checked = HttpValidator::new().validate_request(method, path, headers.clone(), body.as_bytes());
    let shown = format!("{checked:?}");
    let planted = headers.iter().any(|(_, v)| v.contains("s3cr3t"));
    let elsewhere = method.contains("s3cr3t") || path.contains("s3cr3t") || body.contains("s3cr3t")
        || headers.iter().any(|(n, _)| n.contains("s3cr3t"));
    if planted && !elsewhere {
        assert!(!shown.contains("s3cr3t"), "a header value is shown: {shown}");
    }
});
