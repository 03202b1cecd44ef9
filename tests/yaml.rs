//! YAML payloads: the same findings, codes, pointers, lines and columns as the equivalent
//! JSON; YAML's hazards as findings; limits; secrets.
#![cfg(feature = "yaml")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use cce_release::{Code, Diagnostic, Kind, Options, Report, Validator, detect};

fn codes(report: &Report) -> Vec<(&str, &str, Option<u32>, Option<u32>)> {
    report
        .iter()
        .map(|d| (d.code.as_str(), d.pointer.as_str(), d.line, d.column))
        .collect()
}

fn yaml(kind: Kind, text: &str) -> Report {
    Validator::new(kind).validate_yaml(text.as_bytes())
}

/// The same payload in JSON and YAML, laid out line for line, so that positions compare.
#[test]
fn the_same_findings_as_the_equivalent_json() {
    let json = r#"{
"chart_id": "not-a-uuid",
"name": "Koi_Neo4j",
"namespace": "default",
"version": "v3.0",
"parameters": {"dry_run": "true", "recreate": true, "dryrun": true},
"values": {"imagePullPolicy": "always", "imageTag": "-bad", "core": {"n": 3}},
"project_id": "0abdd2dce980d4162f8ac006608ee02d",
"name": "again"
}"#;
    let yaml_text = r#"
"chart_id": "not-a-uuid"
"name": "Koi_Neo4j"
"namespace": "default"
"version": "v3.0"
"parameters": {"dry_run": "true", "recreate": true, "dryrun": true}
"values": {"imagePullPolicy": "always", "imageTag": "-bad", "core": {"n": 3}}
"project_id": "0abdd2dce980d4162f8ac006608ee02d"
"name": "again"
"#;
    let from_json = Validator::new(Kind::CreateRequest).validate_bytes(json.as_bytes());
    let from_yaml = yaml(Kind::CreateRequest, yaml_text);
    assert!(from_json.len() >= 8, "{from_json}");
    let strip = |r: &Report| -> Vec<Diagnostic> { r.diagnostics().to_vec() };
    let (j, y) = (strip(&from_json), strip(&from_yaml));
    assert_eq!(j.len(), y.len(), "JSON:\n{from_json}\nYAML:\n{from_yaml}");
    for (a, b) in j.iter().zip(&y) {
        assert_eq!(
            (a.code, &a.pointer, a.line, &a.message),
            (b.code, &b.pointer, b.line, &b.message),
            "JSON:\n{from_json}\nYAML:\n{from_yaml}"
        );
        // Columns: JSON's object starts with `{` on line 1, YAML has none; members start at
        // column 1 in both.
        assert_eq!(a.column, b.column, "{a:?}\n{b:?}");
    }
}

#[test]
fn block_yaml_points_at_keys_and_values() {
    let text = "\
chart_id: e99a7e86-afdd-11eb-aca3-0255ac100b0e
name: koi-neo4j
namespace: default
version: 3.0.1
parameters:
  dry_run: yes
  replicas: 0777
values:
  imagePullPolicy: always
  imageTag: 4.0.3
  list:
    - a
    - name: x1
      name: x2
";
    let report = yaml(Kind::CreateRequest, text);
    assert_eq!(
        codes(&report),
        [
            ("type_mismatch", "/parameters/dry_run", Some(6), Some(12)),
            (
                "yaml_ambiguous_scalar",
                "/parameters/dry_run",
                Some(6),
                Some(12)
            ),
            ("unknown_field", "/parameters/replicas", Some(7), Some(3)),
            (
                "yaml_ambiguous_scalar",
                "/parameters/replicas",
                Some(7),
                Some(13)
            ),
            ("not_allowed", "/values/imagePullPolicy", Some(9), Some(20)),
            ("duplicate_key", "/values/list/1/name", Some(14), Some(7)),
        ],
        "{report}"
    );
    let ambiguous = &report.diagnostics()[3].message;
    assert!(
        ambiguous.contains("the integer 777") && ambiguous.contains("the integer 511"),
        "{ambiguous}"
    );
}

#[test]
fn hazards_are_findings() {
    let text = "\
chart_id: e99a7e86-afdd-11eb-aca3-0255ac100b0e
name: koi-neo4j
namespace: default
version: 3.0.1
defaults: &defaults
  imagePullPolicy: Always
values:
  <<: *defaults
  1: one
  on: true
  since: 2021-05-12
  secret: !vault db/password
  ratio: .inf
  ? [a, b]
  : complex
  loop: &l [1, *l]
";
    let report = yaml(Kind::CreateRequest, text);
    let found: Vec<&str> = report.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(
        found,
        [
            "unknown_field", // defaults
            "yaml_merge_key",
            "yaml_key_not_string",
            "yaml_ambiguous_scalar", // the key `on`
            "yaml_ambiguous_scalar", // the date
            "yaml_tag",
            "yaml_not_json", // .inf
            "yaml_not_json", // the complex key
            "yaml_not_json", // the recursive alias
        ],
        "{report}"
    );
    // The merged member is checked: `always` would be not_allowed.
    let broken = text.replace("imagePullPolicy: Always", "imagePullPolicy: always");
    let report = yaml(Kind::CreateRequest, &broken);
    let d = report
        .iter()
        .find(|d| d.code == Code::NotAllowed)
        .expect("checked merged");
    assert_eq!(
        (d.pointer.as_str(), d.line),
        ("/values/imagePullPolicy", Some(6))
    );
    // No value under a secret-looking key is repeated.
    assert!(!report.to_string().contains("db/password"), "{report}");
}

#[test]
fn multi_document_streams_name_the_document() {
    let text = "\
chart_id: e99a7e86-afdd-11eb-aca3-0255ac100b0e
name: koi-neo4j
namespace: default
version: 3.0.1
values: {}
---
chart_id: e99a7e86-afdd-11eb-aca3-0255ac100b0e
action: upgrade
parameters: {}
values: {}
---
- name: koi-neo4j
  status: SUPERSEDED
";
    let options = Options::default();
    let report = detect::validate_yaml(&options, text.as_bytes());
    assert_eq!(
        report
            .iter()
            .map(|d| (d.code.as_str(), d.document, d.line))
            .collect::<Vec<_>>(),
        [("unknown_status", Some(3), Some(13))],
        "{report}"
    );
    // One document: no `document`.
    let one = yaml(Kind::CreateRequest, "name: Koi\n");
    assert!(one.iter().all(|d| d.document.is_none()));
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["diagnostics"][0]["document"], 3);
}

#[test]
fn a_billion_laughs_is_a_finding() {
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..12 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let report = yaml(Kind::CreateRequest, &text);
    assert_eq!(codes(&report).len(), 1, "{report}");
    let d = &report.diagnostics()[0];
    assert_eq!(d.code, Code::InputTooLarge);
    assert!(d.message.contains("billion laughs"), "{}", d.message);
    assert!(d.line.is_some());
}

/// The parser reads a flow collection that could be a key whole before it says anything: past
/// 60,000 indicator characters that is one finding where the collection starts, not hundreds of megabytes.
/// Shorter collections, long quoted scalars and long flow collections after a key are read.
#[test]
fn the_parsers_look_ahead_is_cut_off() {
    let long = format!("[{}]\n", vec!["1"; 70_000].join(", "));
    let report = yaml(Kind::ReleaseList, &long);
    let found = codes(&report);
    assert_eq!(
        found,
        [("input_too_large", "", Some(1), Some(1))],
        "{report}"
    );
    assert!(
        report.diagnostics()[0]
            .message
            .contains("more than 60000 of the characters"),
        "{report}"
    );
    // The same list in block style is read: one finding per item that is not a release.
    let block = "- 1\n".repeat(70_000);
    let report = yaml(Kind::ReleaseList, &block);
    assert!(
        report.has(Code::TypeMismatch) && !report.has(Code::InputTooLarge),
        "{report}"
    );
    // After a key the collection is no key itself: read, at any length within the limits.
    let after_key = format!(
        "chart_id: e99a7e86-afdd-11eb-aca3-0255ac100b0e\nname: koi\nnamespace: default\nversion: 1.0.0\nvalues: {{xs: [{}]}}\n",
        vec!["1"; 70_000].join(", ")
    );
    let report = yaml(Kind::CreateRequest, &after_key);
    assert!(report.is_valid(), "{report}");
    // A shorter top-level collection, and a quoted scalar full of commas, are read.
    let short = format!("[{}]\n", vec!["{name: koi}"; 10_000].join(", "));
    assert!(!yaml(Kind::ReleaseList, &short).has(Code::InputTooLarge));
    let commas = format!(
        "chart_id: e99a7e86-afdd-11eb-aca3-0255ac100b0e\nname: koi\nnamespace: default\nversion: 1.0.0\nvalues: {{csv: \"{}\"}}\n",
        ",".repeat(50_000)
    );
    assert!(yaml(Kind::CreateRequest, &commas).is_valid());
}

#[test]
fn syntax_errors_empty_streams_and_bad_bytes() {
    let report = yaml(Kind::CreateRequest, "name: [koi\nvalues: {}\n");
    assert_eq!(report.diagnostics()[0].code, Code::InvalidYaml);
    assert!(report.diagnostics()[0].line.is_some());
    let report = yaml(Kind::CreateRequest, "# only a comment\n");
    assert_eq!(report.diagnostics()[0].code, Code::InvalidYaml, "{report}");
    let report = Validator::new(Kind::CreateRequest).validate_yaml(b"name: \xff\n");
    assert_eq!(report.diagnostics()[0].code, Code::InvalidYaml);
    let deep = format!("a: {}1{}", "[".repeat(200), "]".repeat(200));
    let report = yaml(Kind::CreateRequest, &deep);
    assert!(
        report.diagnostics()[0].message.contains("nesting"),
        "{report}"
    );
}

mod hostile {
    use super::*;
    use proptest::prelude::*;

    /// Text made of YAML's punctuation, keywords and scalars that matter, in any order.
    fn yamlish() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("\n".to_owned()),
            Just("  ".to_owned()),
            Just("- ".to_owned()),
            Just(": ".to_owned()),
            Just("? ".to_owned()),
            Just("---\n".to_owned()),
            Just("&a ".to_owned()),
            Just("*a".to_owned()),
            Just("<<: ".to_owned()),
            Just("!!str ".to_owned()),
            Just("!x ".to_owned()),
            Just("[".to_owned()),
            Just("]".to_owned()),
            Just("{".to_owned()),
            Just("}".to_owned()),
            Just(", ".to_owned()),
            Just("|\n".to_owned()),
            Just("\"q\"".to_owned()),
            Just("'s'".to_owned()),
            Just("#c".to_owned()),
            Just("\t".to_owned()),
            Just("name".to_owned()),
            Just("values".to_owned()),
            Just("password".to_owned()),
            Just("yes".to_owned()),
            Just("0777".to_owned()),
            Just(".inf".to_owned()),
            Just("é".to_owned()),
            "[a-z0-9_.:+-]{1,6}",
        ];
        proptest::collection::vec(piece, 0..60).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

        /// Whatever the text: findings, never a panic; every position inside the text.
        #[test]
        fn any_text_gives_findings_with_positions_inside_it(text in yamlish()) {
            for report in [
                Validator::new(Kind::CreateRequest).validate_yaml(text.as_bytes()),
                detect::validate_yaml(&Options::default().max_findings(20), text.as_bytes()),
            ] {
                let lines = text.split('\n').count() as u32;
                for d in report.iter() {
                    if let Some(line) = d.line {
                        prop_assert!(line >= 1 && line <= lines, "{d:?} in {text:?}");
                    }
                }
                prop_assert!(!report.to_string().contains("hunter2"));
            }
        }

        #[test]
        fn any_bytes_give_findings(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let report = Validator::new(Kind::Release).validate_yaml(&bytes);
            prop_assert!(report.len() <= 1001);
        }
    }

    /// Exponential aliases and wide merges stop at the budget, quickly.
    #[test]
    fn expansion_is_bounded_in_time() {
        let mut text = String::from("a0: &a0 {k0: v}\n");
        for i in 1..40 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} {{<<: [*a{p}], k{i}: v, x: [*a{p}, *a{p}]}}\n"
            ));
        }
        let start = std::time::Instant::now();
        let report = Validator::new(Kind::CreateRequest)
            .max_input_size(1 << 20)
            .validate_yaml(text.as_bytes());
        assert!(report.has(Code::InputTooLarge), "{report}");
        // A bound, not a timing: without the budget this would not end.
        assert!(start.elapsed() < std::time::Duration::from_secs(60));
    }
}
