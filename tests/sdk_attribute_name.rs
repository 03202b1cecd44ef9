//! `sdk_attribute_name` fires on exactly the Python SDK's attribute spellings at the top of a
//! request body's `values`, and nowhere else: every other key of `values` is chart input.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use cce_release::{Code, Kind, Validator};

const HEAD: &str = r#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi-neo4j",
  "namespace": "default", "version": "3.0.1", "values": "#;

/// `(code, pointer, line)` of every finding of a create body with these `values`.
fn findings(kind: Kind, values: &str) -> Vec<(Code, String, Option<u32>)> {
    let text = match kind {
        Kind::UpdateRequest => format!(
            r#"{{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "action": "upgrade",
  "parameters": {{}}, "values": {values}}}"#
        ),
        _ => format!("{HEAD}{values}}}"),
    };
    Validator::new(kind)
        .validate_bytes(text.as_bytes())
        .iter()
        .map(|d| (d.code, d.pointer.clone(), d.line))
        .collect()
}

fn sdk(pointer: &str, line: u32) -> (Code, String, Option<u32>) {
    (Code::SdkAttributeName, pointer.to_owned(), Some(line))
}

#[test]
fn the_two_attribute_spellings_at_the_top_of_values_warn() {
    assert_eq!(
        findings(
            Kind::CreateRequest,
            r#"{"image_pull_policy": "Always",
 "image_tag": "1.0"}"#
        ),
        [
            sdk("/values/image_pull_policy", 2),
            sdk("/values/image_tag", 3)
        ]
    );
    assert_eq!(
        findings(Kind::UpdateRequest, r#"{"image_tag": "1.0"}"#),
        [sdk("/values/image_tag", 2)]
    );
}

#[test]
fn no_other_key_and_no_other_place_warns() {
    for values in [
        // The API's own names, and other spellings of them.
        r#"{"imagePullPolicy": "Always", "imageTag": "1.0"}"#,
        r#"{"image-pull-policy": "Always", "IMAGE_TAG": "1.0", "Image_Tag": "1.0"}"#,
        r#"{"image_pull": "x", "pull_policy": "x", "image__tag": "x", "_image_tag": "x"}"#,
        r#"{"image_tag_": "x", "imagetag": "x", "image_pull_policy_override": "x"}"#,
        // Ordinary snake_case chart values.
        r#"{"replica_count": 2, "service_account": {"create": true}, "node_selector": {}}"#,
        // Attribute spellings below the top of values are chart input.
        r#"{"core": {"image_tag": "1.0", "image_pull_policy": "Always"}}"#,
        r#"{"list": [{"image_tag": "1.0"}]}"#,
    ] {
        assert_eq!(findings(Kind::CreateRequest, values), [], "{values}");
        assert_eq!(findings(Kind::UpdateRequest, values), [], "{values}");
    }
}

#[test]
fn a_repeated_key_warns_once_where_the_value_that_counts_is() {
    let found = findings(
        Kind::CreateRequest,
        r#"{"image_tag": "1.0",
 "image_tag": "2.0"}"#,
    );
    let sdk_findings: Vec<_> = found
        .iter()
        .filter(|(code, _, _)| *code == Code::SdkAttributeName)
        .collect();
    assert_eq!(sdk_findings, [&sdk("/values/image_tag", 3)], "{found:?}");
    assert!(found.iter().any(|(code, _, _)| *code == Code::DuplicateKey));
}

#[test]
fn other_kinds_never_warn() {
    for kind in [
        Kind::Release,
        Kind::ReleaseList,
        Kind::DeleteResponse,
        Kind::Error,
    ] {
        let text = r#"{"values": {"image_tag": "1.0"}, "image_tag": "x", "error_code": "CCE.01"}"#;
        let report = Validator::new(kind).validate_bytes(text.as_bytes());
        assert!(
            report.iter().all(|d| d.code != Code::SdkAttributeName),
            "{kind:?}: {report}"
        );
    }
}
