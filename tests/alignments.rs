//! Where the OpenAPI document and the validator were found to differ (issue 15: a Schemathesis
//! run against `schemas/openapi.json`), and how each was decided: one test per point, each
//! asking both sides the same question. `docs/api.md` gives the sources.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use cce_release::http::HttpValidator;
use cce_release::{Code, Kind, Location, Options, Validator, openapi};
use serde_json::{Value, json};

const SHOW: &str = "/cce/cam/v3/clusters/7378a198-a3fe-11eb-ad37-0255ac100b07/namespace/default/releases/koi-neo4j";
const SIGNATURE: &str =
    "SDK-HMAC-SHA256 Access=AK, SignedHeaders=content-type;host;x-sdk-date, Signature=abc";

/// A schema from the document, its `$ref`s to components resolved (none of them nest).
fn doc_schema(schema: &Value) -> jsonschema::Validator {
    let doc = openapi::document();
    let resolved = match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap();
            doc["components"]["schemas"][name].clone()
        }
        None => schema.clone(),
    };
    jsonschema::validator_for(&resolved).unwrap()
}

fn parameter(name: &str) -> &'static Value {
    &openapi::document()["components"]["parameters"][name]
}

fn header_findings(headers: &[(&str, &str)]) -> Vec<(Code, String)> {
    let checked = HttpValidator::new().validate_request("GET", SHOW, headers.iter().copied(), b"");
    checked
        .report
        .iter()
        .map(|d| {
            assert_eq!(d.location, Location::Header);
            (d.code, d.pointer.clone())
        })
        .collect()
}

/// 1. `X-Sdk-Date` must be a real date and time, for the document as for the validator.
#[test]
fn sdk_date_pattern_allows_only_real_dates() {
    let date = doc_schema(&parameter("X-Sdk-Date")["schema"]);
    for (value, real) in [
        ("20210512T071142Z", true),
        ("20240229T235959Z", true),
        ("00000000T000000Z", false),
        ("20230229T000000Z", false),
        ("20210512T071160Z", false),
        ("20210512T240000Z", false),
    ] {
        assert_eq!(date.is_valid(&json!(value)), real, "document, {value}");
        let found = header_findings(&[("Authorization", SIGNATURE), ("X-Sdk-Date", value)]);
        let expected = if real {
            vec![]
        } else {
            vec![(Code::MalformedAuth, "/X-Sdk-Date".to_owned())]
        };
        assert_eq!(found, expected, "validator, {value}");
    }
}

/// 2. A signature needs its date: the document says so with a second security scheme in the
///    same requirement object, the validator with `malformed_auth`.
#[test]
fn a_signature_needs_the_date() {
    let doc = openapi::document();
    assert_eq!(
        doc["security"],
        json!([{"token": []}, {"aksk": [], "sdk_date": []}])
    );
    let scheme = &doc["components"]["securitySchemes"]["sdk_date"];
    assert_eq!(
        (&scheme["type"], &scheme["in"], &scheme["name"]),
        (&json!("apiKey"), &json!("header"), &json!("X-Sdk-Date"))
    );
    assert_eq!(
        header_findings(&[("Authorization", SIGNATURE)]),
        [(Code::MalformedAuth, "/X-Sdk-Date".to_owned())]
    );
    assert_eq!(
        header_findings(&[
            ("Authorization", SIGNATURE),
            ("X-Sdk-Date", "20210512T071142Z")
        ]),
        []
    );
}

/// 3. With a token, a present `X-Sdk-Date` is still checked: the document's parameter has one
///    shape on every operation, and so does the validator.
#[test]
fn sdk_date_shape_is_checked_with_a_token_too() {
    let doc = openapi::document();
    for item in doc["paths"].as_object().unwrap().values() {
        for (method, op) in item.as_object().unwrap() {
            if method == "parameters" {
                continue;
            }
            assert!(
                op["parameters"]
                    .as_array()
                    .unwrap()
                    .contains(&json!({"$ref": "#/components/parameters/X-Sdk-Date"})),
                "{method}"
            );
        }
    }
    assert!(!doc_schema(&parameter("X-Sdk-Date")["schema"]).is_valid(&json!("not-a-date")));
    assert_eq!(
        header_findings(&[("X-Auth-Token", "MIIT"), ("X-Sdk-Date", "not-a-date")]),
        [(Code::MalformedAuth, "/X-Sdk-Date".to_owned())]
    );
    assert_eq!(
        header_findings(&[("X-Auth-Token", "MIIT"), ("X-Sdk-Date", "20210512T071142Z")]),
        []
    );
    assert_eq!(header_findings(&[("X-Auth-Token", "MIIT")]), []);
}

/// 4. An empty `show_resources` is "not given" for both, as the list's empty filters are; any
///    other spelling than `true` and `false` is refused by both.
#[test]
fn empty_show_resources_is_accepted_by_both() {
    let schema = doc_schema(&parameter("show_resources")["schema"]);
    for (value, ok) in [
        ("true", true),
        ("false", true),
        ("", true),
        ("TRUE", false),
        ("1", false),
        ("yes", false),
    ] {
        assert_eq!(schema.is_valid(&json!(value)), ok, "document, {value:?}");
        let checked = HttpValidator::new().validate_request(
            "GET",
            &format!("{SHOW}?show_resources={value}"),
            [("X-Auth-Token", "MIIT")],
            b"",
        );
        assert_eq!(
            checked.is_valid(),
            ok,
            "validator, {value:?}: {}",
            checked.report
        );
        if !ok {
            let d = &checked.report.diagnostics()[0];
            assert_eq!(
                (d.location, d.code, d.pointer.as_str()),
                (Location::Query, Code::NotAllowed, "/show_resources")
            );
        }
    }
    for filter in ["chart_id", "namespace"] {
        let schema = doc_schema(&parameter(&format!("{filter}_filter"))["schema"]);
        assert!(schema.is_valid(&json!("")), "{filter}");
    }
}

/// 5. A create's `version` names a chart, whose version the API keeps in at most 64 characters
///    (a release's `chart_version`): a longer one is `too_long`, in the document's schema and in
///    the validator.
#[test]
fn create_version_is_at_most_64_characters() {
    let doc = openapi::document();
    let version = &doc["components"]["schemas"]["CreateReleaseBody"]["properties"]["version"];
    let release = &doc["components"]["schemas"]["Release"]["properties"]["chart_version"];
    assert_eq!(version["maxLength"], 64);
    assert_eq!(version["maxLength"], release["maxLength"]);
    let body = |v: &str| {
        json!({"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi-neo4j",
               "namespace": "default", "version": v, "values": {}})
    };
    let schema = doc_schema(&json!({"$ref": "#/components/schemas/CreateReleaseBody"}));
    let longest = format!("1.0.0-{}", "a".repeat(58));
    let too_long = format!("1.0.0-{}", "a".repeat(59));
    assert_eq!((longest.len(), too_long.len()), (64, 65));
    let validator = Validator::new(Kind::CreateRequest);
    assert!(schema.is_valid(&body(&longest)));
    assert!(validator.validate_value(&body(&longest)).is_empty());
    assert!(!schema.is_valid(&body(&too_long)));
    let report = validator.validate_bytes(body(&too_long).to_string().as_bytes());
    let found: Vec<(Code, &str)> = report
        .iter()
        .map(|d| (d.code, d.pointer.as_str()))
        .collect();
    assert_eq!(found, [(Code::TooLong, "/version")]);
}

/// 6. Neither mode is the document: the default accepts unknown members (the provider's own
///    example sends two) with a warning, which the document refuses; strict mode refuses what the
///    document accepts (a loose version, an ineffective parameter).
#[test]
fn default_and_strict_modes_bracket_the_document() {
    let schema = doc_schema(&json!({"$ref": "#/components/schemas/CreateReleaseBody"}));
    let base = json!({"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi-neo4j",
                      "namespace": "default", "version": "3.0.1", "values": {}});
    let mut unknown = base.clone();
    unknown["project_id"] = json!("0abdd2dce980d4162f8ac006608ee02d");
    let mut loose = base.clone();
    loose["version"] = json!("v3.0.1");
    let mut ineffective = base.clone();
    ineffective["parameters"] = json!({"reset_values": true});
    let default = Validator::new(Kind::CreateRequest);
    let strict = Validator::with_options(Kind::CreateRequest, Options::default().strict(true));
    // (payload, document, default mode, strict mode)
    for (payload, document, by_default, by_strict, code) in [
        (&base, true, true, true, None),
        (&unknown, false, true, false, Some(Code::UnknownField)),
        (&loose, true, true, false, Some(Code::LooseVersion)),
        (
            &ineffective,
            true,
            true,
            false,
            Some(Code::IneffectiveParameter),
        ),
    ] {
        let bytes = payload.to_string();
        let d = default.validate_bytes(bytes.as_bytes());
        let s = strict.validate_bytes(bytes.as_bytes());
        assert_eq!(schema.is_valid(payload), document, "document, {payload}");
        assert_eq!(d.is_valid(), by_default, "default, {payload}");
        assert_eq!(s.is_valid(), by_strict, "strict, {payload}");
        assert_eq!(d.iter().next().map(|d| d.code), code, "{payload}");
    }
}
