//! The committed schema of each kind, compiled once per process into a tree the walk
//! ([`super::walk`]) checks as it reads.
//!
//! The committed schemas (`schemas/*.schema.json`) are generated from the models and use a small
//! set of keywords; this module compiles exactly that set, and a test fails if a schema uses any
//! other (so a change to the models that needs a new keyword cannot slip through). Patterns the
//! crate has code for run as that code (the property tests pin each check to its pattern). The
//! validator never collects a schema library's errors into memory: the walk emits each finding
//! to the bounded collector as it goes. `tests/schemas.rs` checks that this reading of the
//! schemas agrees with the `jsonschema` crate's on generated payloads.

use once_cell::sync::Lazy;
use serde_json::Value;

use crate::Kind;
use crate::diagnostic::message::Types;
use crate::schema::OwnCheck;

/// One schema node.
#[derive(Debug, Default)]
pub(crate) struct Node {
    /// The types allowed (every type when the schema says nothing).
    pub types: Types,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    /// A pattern, as the crate's own code.
    pub check: Option<OwnCheck>,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    /// The strings allowed (`null` is a matter of `types`).
    pub one_of: Option<Vec<&'static str>>,
    pub properties: Vec<(&'static str, Node)>,
    pub required: Vec<&'static str>,
    /// Members beyond `properties` are allowed (else each is `unknown_field`).
    pub open: bool,
    pub items: Option<Box<Node>>,
    /// `if` any of these members is present, `then` these are required, `else` those.
    pub conditional: Option<Conditional>,
    /// The top of a request body's `values`, whose typed members the provider's Python SDK
    /// models as attributes: only here is a key spelled as an attribute flagged.
    pub sdk_attributes: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Conditional {
    pub when_any: Vec<&'static str>,
    pub then_required: Vec<&'static str>,
    pub else_required: Vec<&'static str>,
}

impl Node {
    /// The schema of the member `name`, if `properties` names it.
    pub(crate) fn property(&self, name: &str) -> Option<(usize, &Node)> {
        self.properties
            .iter()
            .enumerate()
            .find(|(_, (n, _))| *n == name)
            .map(|(i, (_, node))| (i, node))
    }

    /// The camelCase member that `key` spells in snake_case (`image_pull_policy` for
    /// `imagePullPolicy`), as the provider's Python SDK names its model attributes.
    /// Only at the top of a request body's `values` ([`Node::sdk_attributes`]): anywhere else a
    /// snake_case key is chart input like any other.
    pub(crate) fn attribute_spelling(&self, key: &str) -> Option<&'static str> {
        if !self.sdk_attributes || !key.contains('_') {
            return None;
        }
        self.properties
            .iter()
            .map(|(name, _)| *name)
            .find(|name| is_snake_case_of(key, name))
    }
}

/// Whether `key` is `camel` with each capital letter written as `_` and its lower case.
fn is_snake_case_of(key: &str, camel: &str) -> bool {
    let mut key = key.chars();
    let mut capitals = 0;
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            capitals += 1;
            if key.next() != Some('_') || key.next() != Some(c.to_ascii_lowercase()) {
                return false;
            }
        } else if key.next() != Some(c) {
            return false;
        }
    }
    capitals > 0 && key.next().is_none()
}

/// Keywords that only describe.
const ANNOTATIONS: [&str; 5] = ["description", "title", "$schema", "default", "examples"];

/// Compiles one schema node; `Err` names a keyword or shape this module does not know.
fn compile(schema: &'static Value) -> Result<Node, String> {
    let Value::Object(map) = schema else {
        return match schema {
            Value::Bool(true) => Ok(Node {
                types: Types::ANY,
                open: true,
                ..Node::default()
            }),
            other => Err(format!("schema {other}")),
        };
    };
    let mut node = Node {
        types: Types::ANY,
        open: true,
        ..Node::default()
    };
    for (keyword, value) in map {
        match keyword.as_str() {
            k if ANNOTATIONS.contains(&k) => {}
            "type" => node.types = types(value)?,
            "minLength" => node.min_length = value.as_u64(),
            "maxLength" => node.max_length = value.as_u64(),
            "minimum" => node.minimum = value.as_i64(),
            "maximum" => node.maximum = value.as_i64(),
            "pattern" => {
                let pattern = value.as_str().unwrap_or_default();
                node.check = Some(
                    OwnCheck::from_pattern(pattern)
                        .ok_or_else(|| format!("pattern {pattern} has no code"))?,
                );
            }
            "enum" => {
                node.one_of = Some(
                    value
                        .as_array()
                        .ok_or("enum")?
                        .iter()
                        .filter_map(Value::as_str)
                        .collect(),
                );
            }
            "properties" => {
                for (name, member) in value.as_object().ok_or("properties")? {
                    node.properties.push((name.as_str(), compile(member)?));
                }
            }
            "required" => node.required = names(value)?,
            "additionalProperties" => {
                node.open = match value {
                    Value::Bool(open) => *open,
                    other => return Err(format!("additionalProperties {other}")),
                }
            }
            "items" => node.items = Some(Box::new(compile(value)?)),
            "if" | "then" | "else" => {
                let conditional = node.conditional.get_or_insert_with(Conditional::default);
                match keyword.as_str() {
                    "if" => {
                        let branches = value
                            .get("anyOf")
                            .and_then(Value::as_array)
                            .ok_or("if without anyOf")?;
                        for branch in branches {
                            conditional
                                .when_any
                                .extend(names(branch.get("required").unwrap_or(&Value::Null))?);
                        }
                    }
                    "then" => {
                        conditional.then_required =
                            names(value.get("required").unwrap_or(&Value::Null))?
                    }
                    _ => {
                        conditional.else_required =
                            names(value.get("required").unwrap_or(&Value::Null))?
                    }
                }
            }
            other => return Err(format!("keyword {other}")),
        }
    }
    Ok(node)
}

fn names(value: &'static Value) -> Result<Vec<&'static str>, String> {
    value
        .as_array()
        .ok_or_else(|| format!("names {value}"))?
        .iter()
        .map(|v| v.as_str().ok_or_else(|| format!("name {v}")))
        .collect()
}

fn types(value: &Value) -> Result<Types, String> {
    let one = |name: &str| -> Result<Types, String> {
        Ok(match name {
            "null" => Types::NULL,
            "boolean" => Types::BOOLEAN,
            "integer" => Types::INTEGER,
            "number" => Types::NUMBER.with(Types::INTEGER),
            "string" => Types::STRING,
            "array" => Types::ARRAY,
            "object" => Types::OBJECT,
            other => return Err(format!("type {other}")),
        })
    };
    match value {
        Value::String(name) => one(name),
        Value::Array(names) => names.iter().try_fold(Types::default(), |all, name| {
            Ok(all.with(one(name.as_str().unwrap_or_default())?))
        }),
        other => Err(format!("type {other}")),
    }
}

/// A kind's compiled schema, or why it does not compile (a bug in the crate, which the tests
/// catch; at run time such a kind accepts anything rather than failing).
fn compiled_or_error(kind: Kind) -> Result<Node, String> {
    let mut root = compile(crate::schema::schema(kind))?;
    if matches!(kind, Kind::CreateRequest | Kind::UpdateRequest)
        && let Some((i, _)) = root.property("values")
        && let Some((_, values)) = root.properties.get_mut(i)
        && values.open
    {
        values.sdk_attributes = true;
    }
    Ok(root)
}

/// Every kind's compiled schema, in the order of [`Kind::ALL`], built once per process.
static COMPILED: Lazy<Vec<Node>> = Lazy::new(|| {
    Kind::ALL
        .iter()
        .map(|&kind| {
            compiled_or_error(kind).unwrap_or_else(|_| Node {
                types: Types::ANY,
                open: true,
                ..Node::default()
            })
        })
        .collect()
});

/// The compiled schema of a kind.
pub(crate) fn compiled(kind: Kind) -> &'static Node {
    static ANYTHING: Node = Node {
        types: Types::ANY,
        min_length: None,
        max_length: None,
        check: None,
        minimum: None,
        maximum: None,
        one_of: None,
        properties: Vec::new(),
        required: Vec::new(),
        open: true,
        items: None,
        conditional: None,
        sdk_attributes: false,
    };
    COMPILED.get(kind as usize).unwrap_or(&ANYTHING)
}

/// The member names the schema defines for the object at `pointer` (for "did you mean" hints).
pub(crate) fn known_members(kind: Kind, pointer: &str) -> impl Iterator<Item = &'static str> {
    let mut node = Some(compiled(kind));
    for token in crate::pointer::tokens(pointer) {
        node = node.and_then(|n| match &n.items {
            Some(items) if token.bytes().all(|b| b.is_ascii_digit()) => Some(&**items),
            _ => n.property(&token).map(|(_, child)| child),
        });
    }
    node.into_iter()
        .flat_map(|n| n.properties.iter().map(|(name, _)| *name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_compiles_with_no_keyword_left_out() {
        for &kind in Kind::ALL {
            let node = compiled_or_error(kind);
            assert!(node.is_ok(), "{kind}: {:?}", node.err());
        }
        let create = compiled(Kind::CreateRequest);
        assert_eq!(
            create.required,
            ["chart_id", "name", "namespace", "version", "values"]
        );
        assert!(!create.open);
        let values = create.property("values").map(|(_, n)| n);
        assert!(values.is_some_and(|v| v.open && v.properties.len() == 2));
        let error = compiled(Kind::Error);
        assert!(error.conditional.is_some());
    }

    #[test]
    fn attribute_spellings_are_the_snake_case_of_camel_case_members() {
        let create = compiled(Kind::CreateRequest);
        let values = create.property("values").map(|(_, n)| n).unwrap();
        assert_eq!(
            values.attribute_spelling("image_pull_policy"),
            Some("imagePullPolicy")
        );
        assert_eq!(values.attribute_spelling("image_tag"), Some("imageTag"));
        for key in [
            "imagePullPolicy",
            "image_pull",
            "image_pull_policy_",
            "image__tag",
            "Image_tag",
            "image_Tag",
            "imagetag",
            "_image_tag",
            "",
        ] {
            assert_eq!(values.attribute_spelling(key), None, "{key}");
        }
        // Members without a capital have no other spelling.
        assert_eq!(create.attribute_spelling("chart_id"), None);
    }

    #[test]
    fn only_the_top_of_a_request_body_values_knows_sdk_attributes() {
        fn flagged(node: &Node, at: String, out: &mut Vec<String>) {
            if node.sdk_attributes {
                out.push(at.clone());
            }
            for (name, child) in &node.properties {
                flagged(child, format!("{at}/{name}"), out);
            }
            if let Some(items) = &node.items {
                flagged(items, format!("{at}/-"), out);
            }
        }
        for &kind in Kind::ALL {
            let mut out = Vec::new();
            flagged(compiled(kind), String::new(), &mut out);
            let expected: &[&str] = match kind {
                Kind::CreateRequest | Kind::UpdateRequest => &["/values"],
                _ => &[],
            };
            assert_eq!(out, expected, "{kind:?}");
        }
    }
}
