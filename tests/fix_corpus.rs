//! The fix corpus: every fix, in JSON and YAML, in generated formattings (one line, compact,
//! pretty with spaces or tabs, CRLF, odd spacing, comments in YAML) and with the fixed member
//! first, in the middle and last. After fixing: the text parses, re-validates with the fixed
//! findings gone (here: with no finding at all), removes no more than the members and their
//! separators, and fixing it again changes nothing.

use cce_release::fix::{self, Applicability};
use cce_release::{Code, Kind, Report, Validator};
use serde_json::{Value, json};

const CHART: &str = "e99a7e86-afdd-11eb-aca3-0255ac100b0e";

/// A payload as members: key and value, in order.
type Members = Vec<(String, Value)>;

/// One fix case: the members before, the members after, the codes fixed, how safe.
struct Case {
    name: &'static str,
    before: Members,
    after: Members,
    codes: &'static [Code],
    allowed: Applicability,
}

fn base() -> Members {
    vec![
        ("chart_id".into(), json!(CHART)),
        ("name".into(), json!("koi-neo4j")),
        ("namespace".into(), json!("default")),
        ("version".into(), json!("3.0.1")),
        ("values".into(), json!({"imageTag": "4.0.3"})),
    ]
}

/// `base()` with `extra` inserted at `at` (its members in order).
fn with(at: usize, extra: &[(&str, Value)]) -> Members {
    let mut m = base();
    for (i, (k, v)) in extra.iter().enumerate() {
        m.insert((at + i).min(m.len()), ((*k).to_owned(), v.clone()));
    }
    m
}

fn set(mut m: Members, key: &str, value: Value) -> Members {
    for (k, v) in &mut m {
        if k == key {
            *v = value.clone();
        }
    }
    m
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for at in [0, 2, 5] {
        cases.push(Case {
            name: "page example members",
            before: with(
                at,
                &[
                    ("project_id", json!("0abdd2dce980d4162f8ac006608ee02d")),
                    ("cluster_id", json!("7378a198-a3fe-11eb-ad37-0255ac100b07")),
                ],
            ),
            after: base(),
            codes: &[Code::UnknownField],
            allowed: Applicability::Safe,
        });
        cases.push(Case {
            name: "one example member",
            before: with(at, &[("project_id", json!("p"))]),
            after: base(),
            codes: &[Code::UnknownField],
            allowed: Applicability::Safe,
        });
        cases.push(Case {
            name: "repeated key",
            before: {
                // The earlier of the two is the one removed: it has the bad value.
                let mut m = with(at, &[("name", json!("koi-neo4j"))]);
                if let Some(first) = m.iter_mut().find(|(k, _)| k == "name") {
                    first.1 = json!("Not_A_Name");
                }
                m
            },
            after: base(),
            codes: &[Code::DuplicateKey],
            allowed: Applicability::Safe,
        });
        cases.push(Case {
            name: "ineffective parameter",
            before: with(
                at,
                &[(
                    "parameters",
                    json!({"recreate": true, "dry_run": false, "reset_values": true}),
                )],
            ),
            after: with(at, &[("parameters", json!({"dry_run": false}))]),
            codes: &[Code::IneffectiveParameter],
            allowed: Applicability::Safe,
        });
        cases.push(Case {
            name: "ineffective parameter alone",
            before: with(at, &[("parameters", json!({"include_hooks": true}))]),
            after: with(at, &[("parameters", json!({}))]),
            codes: &[Code::IneffectiveParameter],
            allowed: Applicability::Safe,
        });
        cases.push(Case {
            name: "near-miss member",
            before: with(
                at,
                &[("parameters", json!({"no_hooks": false, "dry-run": true}))],
            ),
            after: with(
                at,
                &[("parameters", json!({"no_hooks": false, "dry_run": true}))],
            ),
            codes: &[Code::UnknownField],
            allowed: Applicability::Unsafe,
        });
    }
    for (loose, canonical) in [("v3.0.1", "3.0.1"), ("3.0", "3.0.0"), ("v3", "3.0.0")] {
        cases.push(Case {
            name: "loose version",
            before: set(base(), "version", json!(loose)),
            after: base()
                .into_iter()
                .map(|(k, v)| {
                    if k == "version" {
                        (k, json!(canonical))
                    } else {
                        (k, v)
                    }
                })
                .collect(),
            codes: &[Code::LooseVersion],
            allowed: Applicability::Safe,
        });
    }
    cases.push(Case {
        name: "near-miss enum value",
        before: set(
            base(),
            "values",
            json!({"imagePullPolicy": "ifnotpresent", "imageTag": "4.0.3"}),
        ),
        after: set(
            base(),
            "values",
            json!({"imagePullPolicy": "IfNotPresent", "imageTag": "4.0.3"}),
        ),
        codes: &[Code::NotAllowed],
        allowed: Applicability::Unsafe,
    });
    cases.push(Case {
        name: "everything at once",
        before: {
            let mut m = with(0, &[("project_id", json!("p")), ("name", json!("x"))]);
            m = set(m, "version", json!("v3.0"));
            m.push((
                "parameters".into(),
                json!({"recreate": true, "dry-run": true, "release_version": 2}),
            ));
            m.push((
                "cluster_id".into(),
                json!("7378a198-a3fe-11eb-ad37-0255ac100b07"),
            ));
            m
        },
        after: {
            let mut m = set(base(), "version", json!("3.0.0"));
            m.push(("parameters".into(), json!({"dry_run": true})));
            m
        },
        codes: &[
            Code::UnknownField,
            Code::DuplicateKey,
            Code::LooseVersion,
            Code::IneffectiveParameter,
        ],
        allowed: Applicability::Unsafe,
    });
    cases
}

/// How a JSON text is laid out.
#[derive(Debug, Clone, Copy)]
struct Style {
    indent: Option<&'static str>,
    newline: &'static str,
    colon: &'static str,
    comma: &'static str,
}

const STYLES: &[Style] = &[
    Style {
        indent: None,
        newline: "",
        colon: ":",
        comma: ",",
    },
    Style {
        indent: None,
        newline: "",
        colon: ": ",
        comma: ", ",
    },
    Style {
        indent: None,
        newline: "",
        colon: " : ",
        comma: " , ",
    },
    Style {
        indent: Some("  "),
        newline: "\n",
        colon: ": ",
        comma: ",",
    },
    Style {
        indent: Some("\t"),
        newline: "\n",
        colon: ": ",
        comma: ",",
    },
    Style {
        indent: Some("    "),
        newline: "\r\n",
        colon: ": ",
        comma: ",",
    },
    Style {
        indent: Some("\t"),
        newline: "\r\n",
        colon: " :\t",
        comma: " ,",
    },
];

fn json_value(v: &Value, style: Style, depth: usize) -> String {
    match v {
        Value::Object(map) => {
            let members: Vec<(String, Value)> =
                map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            json_object(&members, style, depth)
        }
        _ => v.to_string(),
    }
}

fn json_object(members: &[(String, Value)], style: Style, depth: usize) -> String {
    if members.is_empty() {
        return "{}".into();
    }
    let (inner, outer) = match style.indent {
        Some(i) => (
            format!("{}{}", style.newline, i.repeat(depth + 1)),
            format!("{}{}", style.newline, i.repeat(depth)),
        ),
        None => (String::new(), String::new()),
    };
    let parts: Vec<String> = members
        .iter()
        .map(|(k, v)| {
            format!(
                "{inner}{}{}{}",
                json!(k),
                style.colon,
                json_value(v, style, depth + 1)
            )
        })
        .collect();
    format!("{{{}{outer}}}", parts.join(style.comma))
}

/// YAML layouts: block with comments, CRLF; flow on one line.
#[derive(Debug, Clone, Copy)]
enum YamlStyle {
    Block {
        newline: &'static str,
        comments: bool,
        tab_after_colon: bool,
    },
    Flow,
}

const YAML_STYLES: &[YamlStyle] = &[
    YamlStyle::Block {
        newline: "\n",
        comments: false,
        tab_after_colon: false,
    },
    YamlStyle::Block {
        newline: "\n",
        comments: true,
        tab_after_colon: false,
    },
    YamlStyle::Block {
        newline: "\r\n",
        comments: true,
        tab_after_colon: true,
    },
    YamlStyle::Flow,
];

fn yaml_scalar(v: &Value) -> String {
    match v {
        // Double-quoted YAML is JSON's string syntax.
        Value::String(s)
            if s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !s.is_empty()
                && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) =>
        {
            s.clone()
        }
        _ => v.to_string(),
    }
}

fn yaml_block(members: &[(String, Value)], style: YamlStyle, depth: usize, out: &mut String) {
    let YamlStyle::Block {
        newline,
        comments,
        tab_after_colon,
    } = style
    else {
        return;
    };
    let indent = "  ".repeat(depth);
    // (saphyr-parser takes no tab between `:` and a plain scalar: tabs go before comments.)
    let sep = ": ";
    for (i, (k, v)) in members.iter().enumerate() {
        if comments && i == 1 {
            out.push_str(&format!("{indent}# a comment line{newline}"));
        }
        match v {
            Value::Object(map) if !map.is_empty() => {
                out.push_str(&format!("{indent}{k}:{newline}"));
                let inner: Vec<(String, Value)> =
                    map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                yaml_block(&inner, style, depth + 1, out);
            }
            _ => {
                let comment = match (comments, tab_after_colon) {
                    (true, true) => "\t# trailing",
                    (true, false) => "  # trailing",
                    _ => "",
                };
                out.push_str(&format!(
                    "{indent}{k}{sep}{}{comment}{newline}",
                    yaml_scalar(v)
                ));
            }
        }
    }
}

fn yaml_text(members: &[(String, Value)], style: YamlStyle) -> String {
    match style {
        YamlStyle::Flow => {
            let parts: Vec<String> = members
                .iter()
                .map(|(k, v)| format!("{k}: {}", json_value(v, STYLES[1], 0)))
                .collect();
            format!("{{{}}}\n", parts.join(", "))
        }
        YamlStyle::Block { .. } => {
            let mut out = String::new();
            yaml_block(members, style, 0, &mut out);
            out
        }
    }
}

fn validator() -> Validator {
    Validator::new(Kind::CreateRequest)
}

fn codes(report: &Report) -> Vec<Code> {
    report.iter().map(|d| d.code).collect()
}

/// The checks every fixed text passes.
fn check(label: &str, input: &[u8], case: &Case, yaml: bool) -> Vec<u8> {
    let validate = |bytes: &[u8]| {
        if yaml {
            validator().validate_yaml(bytes)
        } else {
            validator().validate_bytes(bytes)
        }
    };
    let before = validate(input);
    for code in case.codes {
        assert!(
            before.iter().any(|d| d.code == *code && d.fix.is_some()),
            "{label}: no fix for {code} in {:?}\n{}",
            codes(&before),
            String::from_utf8_lossy(input)
        );
    }
    // Each edit of a first round removes or rewrites only what it is about.
    for d in before.iter() {
        let Some(f) = &d.fix else { continue };
        for edit in &f.edits {
            let removed = std::str::from_utf8(&input[edit.range.clone()]).unwrap_or_default();
            if edit.replacement.is_empty() && d.code != Code::ByteOrderMark {
                // The key and its value, separators, layout and (YAML) a comment.
                let commas = removed.matches(',').count();
                assert!(commas <= 1 || removed.contains('{'), "{label}: {removed:?}");
                let key = removed.trim_start_matches([' ', '\t', ',', '\r', '\n']);
                assert!(!key.is_empty(), "{label}: {removed:?}");
            } else {
                assert!(
                    !removed.contains(['\n', ',']),
                    "{label}: rewrote {removed:?}"
                );
            }
        }
    }
    let fixed = fix::fix(input, case.allowed, validate);
    let text = String::from_utf8(fixed.output.clone()).unwrap_or_default();
    assert!(fixed.applied > 0, "{label}");
    assert!(
        fixed.report.is_empty(),
        "{label}: left {:?} in\n{text}\nfrom\n{}",
        codes(&fixed.report),
        String::from_utf8_lossy(input)
    );
    assert_eq!(
        fixed.report.to_string(),
        validate(&fixed.output).to_string(),
        "{label}"
    );
    // A second fix changes nothing.
    let again = fix::fix(&fixed.output, Applicability::Unsafe, validate);
    assert_eq!(again.applied, 0, "{label}");
    assert_eq!(again.output, fixed.output, "{label}");
    // What stays keeps its layout: CRLF stays CRLF, and no line is joined to another.
    if input.windows(2).any(|w| w == b"\r\n") {
        assert!(
            !text.replace("\r\n", "").contains('\n'),
            "{label}: {text:?}"
        );
    }
    fixed.output
}

#[test]
fn every_fix_in_every_json_layout() {
    let mut checked = 0;
    for case in cases() {
        for (s, &style) in STYLES.iter().enumerate() {
            let text = json_object(&case.before, style, 0);
            let label = format!("{} / json style {s}", case.name);
            let out = check(&label, text.as_bytes(), &case, false);
            let got: Value = serde_json::from_slice(&out).unwrap_or(Value::Null);
            let want: Value = Value::Object(case.after.iter().cloned().collect());
            assert_eq!(got, want, "{label}: {}", String::from_utf8_lossy(&out));
            // With a byte-order mark: it goes too, and the rest is fixed in the same run.
            let mut bom = b"\xEF\xBB\xBF".to_vec();
            bom.extend_from_slice(text.as_bytes());
            let out = check(&format!("{label} + BOM"), &bom, &case, false);
            assert!(!out.starts_with(b"\xEF\xBB\xBF"));
            assert_eq!(
                serde_json::from_slice::<Value>(&out).unwrap_or(Value::Null),
                want
            );
            checked += 2;
        }
    }
    assert!(checked > 200, "{checked}");
}

#[test]
fn every_fix_in_every_yaml_layout() {
    let mut checked = 0;
    for case in cases() {
        for (s, &style) in YAML_STYLES.iter().enumerate() {
            let text = yaml_text(&case.before, style);
            let label = format!("{} / yaml style {s}", case.name);
            let out = check(&label, text.as_bytes(), &case, true);
            // The same payload as the JSON fixed: the same (no) findings as the expected JSON.
            let want = json_object(&case.after, STYLES[1], 0);
            assert!(
                validator().validate_bytes(want.as_bytes()).is_empty(),
                "{label}"
            );
            let out = String::from_utf8(out).unwrap_or_default();
            // Comments on lines that were not removed stay.
            if text.contains("# a comment line") && case.name != "everything at once" {
                assert!(out.contains("# a comment line"), "{label}:\n{out}");
            }
            checked += 1;
        }
    }
    assert!(checked > 60, "{checked}");
}

#[test]
fn a_bom_alone_is_stripped() {
    let text = json_object(&base(), STYLES[3], 0);
    let mut input = b"\xEF\xBB\xBF".to_vec();
    input.extend_from_slice(text.as_bytes());
    let report = validator().validate_bytes(&input);
    let fix = report.iter().find_map(|d| d.fix.clone());
    let fix = fix.unwrap_or_else(|| panic!("no fix in {report}"));
    assert_eq!(fix.edits[0].range, 0..3);
    let fixed = fix::fix(&input, Applicability::Safe, |b| {
        validator().validate_bytes(b)
    });
    assert_eq!(fixed.output, text.as_bytes());
}

#[test]
fn broken_input_is_never_changed() {
    for input in [
        &b"{\"project_id\": 1, \"name\": "[..],
        b"\xEF\xBB\xBF{\"project_id\": 1,,}",
        b"{\"version\": \"v3\"} trailing",
    ] {
        let fixed = fix::fix(input, Applicability::Unsafe, |b| {
            validator().validate_bytes(b)
        });
        assert_eq!(fixed.output, input, "{}", String::from_utf8_lossy(input));
        assert_eq!(fixed.applied, 0);
    }
    let yaml = b"project_id: 1\nname: [\n";
    let fixed = fix::fix(yaml, Applicability::Unsafe, |b| {
        validator().validate_yaml(b)
    });
    assert_eq!(fixed.output, yaml);
}

#[test]
fn safe_fixes_leave_unsafe_ones() {
    let input = br#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi-neo4j",
  "namespace": "default", "version": "3.0.1", "values": {},
  "parameters": {"dry-run": true}, "project_id": "p"}"#;
    let fixed = fix::fix(input, Applicability::Safe, |b| {
        validator().validate_bytes(b)
    });
    assert_eq!(fixed.applied, 1);
    let left: Vec<_> = fixed
        .report
        .iter()
        .map(|d| (d.code, d.fix.as_ref().map(|f| f.applicability)))
        .collect();
    assert_eq!(left, [(Code::UnknownField, Some(Applicability::Unsafe))]);
}

#[test]
fn a_rename_never_makes_a_repeated_key() {
    let input = br#"{"chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e", "name": "koi-neo4j",
  "namespace": "default", "version": "3.0.1", "values": {},
  "parameters": {"dry-run": true, "dry_run": false}}"#;
    let report = validator().validate_bytes(input);
    assert!(report.has(Code::UnknownField));
    assert!(report.iter().all(|d| d.fix.is_none()), "{report:?}");
}

#[test]
fn fixes_are_only_computed_for_kept_findings() {
    // A thousand repeated keys, two findings kept: two fixes, each a valid edit.
    let mut text = String::from("{");
    for i in 0..1000 {
        text.push_str(&format!("\"project_id\": {i}, "));
    }
    text.push_str("\"x\": 1}");
    let report = Validator::new(Kind::CreateRequest)
        .max_findings(2)
        .validate_bytes(text.as_bytes());
    let fixes = report.iter().filter(|d| d.fix.is_some()).count();
    assert!(fixes <= 2, "{fixes}");
}
