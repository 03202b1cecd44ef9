//! RFC 6901 JSON Pointers: building them, splitting them, walking a value with them.
//!
//! Owns the escaping rules (`~0`, `~1`) and nothing else: it does not know what a pointer is
//! for, how a message names it, or whether a key on the way is a secret (that is `redact`).

use std::borrow::Cow;

use serde_json::Value;

/// Appends `token` to `pointer`, escaped as RFC 6901 requires.
pub(crate) fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    if !token.bytes().any(|b| b == b'~' || b == b'/') {
        pointer.push_str(token);
        return;
    }
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// Appends an array index to `pointer`.
pub(crate) fn push_index(pointer: &mut String, index: usize) {
    use std::fmt::Write as _;
    let _ = write!(pointer, "/{index}");
}

/// The unescaped reference tokens of a pointer, in order (none for the whole document).
pub(crate) fn tokens(pointer: &str) -> impl Iterator<Item = Cow<'_, str>> {
    pointer.split('/').skip(1).map(|t| {
        if t.contains('~') {
            Cow::Owned(t.replace("~1", "/").replace("~0", "~"))
        } else {
            Cow::Borrowed(t)
        }
    })
}

/// The pointer of the parent of what `pointer` names (`""` for the document and its members).
pub(crate) fn parent(pointer: &str) -> &str {
    pointer.rfind('/').map_or("", |i| &pointer[..i])
}

/// Member indices of large objects, built once per object when a place is looked up in it.
#[derive(Default)]
pub(crate) struct IndexCache<'v> {
    objects: std::collections::HashMap<usize, std::collections::HashMap<&'v str, usize>>,
}

/// Objects with at most this many members are searched member by member.
const SMALL_OBJECT: usize = 32;

/// Where what `pointer` names sits in `root`, as member and item indices in document order:
/// comparing two such paths compares the places in the text (an object keeps its members in
/// the order they came). `out` is cleared and filled; a token that names nothing stops the path
/// (the place is then taken as its nearest existing ancestor's).
pub(crate) fn index_path<'v>(
    root: &'v Value,
    pointer: &str,
    out: &mut Vec<u32>,
    cache: &mut IndexCache<'v>,
) {
    out.clear();
    let mut node = root;
    for token in tokens(pointer) {
        let next = match node {
            Value::Object(map) if map.len() <= SMALL_OBJECT => map
                .iter()
                .enumerate()
                .find(|(_, (k, _))| **k == *token)
                .map(|(i, (_, v))| (i, v)),
            Value::Object(map) => {
                let index = cache
                    .objects
                    .entry(std::ptr::from_ref(map) as usize)
                    .or_insert_with(|| {
                        map.keys()
                            .enumerate()
                            .map(|(i, k)| (k.as_str(), i))
                            .collect()
                    });
                index
                    .get(token.as_ref())
                    .and_then(|&i| map.get(token.as_ref()).map(|v| (i, v)))
            }
            Value::Array(items) => token
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i).map(|v| (i, v))),
            _ => None,
        };
        let Some((index, value)) = next else {
            return;
        };
        out.push(u32::try_from(index).unwrap_or(u32::MAX));
        node = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_and_unescape() {
        let mut p = String::new();
        push_token(&mut p, "a/b");
        push_token(&mut p, "~x");
        push_index(&mut p, 3);
        assert_eq!(p, "/a~1b/~0x/3");
        assert_eq!(tokens(&p).collect::<Vec<_>>(), ["a/b", "~x", "3"]);
        assert_eq!(tokens("").count(), 0);
        assert_eq!(tokens("/").collect::<Vec<_>>(), [""]);
        assert_eq!(parent("/a/b"), "/a");
        assert_eq!(parent("/a"), "");
        assert_eq!(parent(""), "");
    }

    #[test]
    fn index_paths_follow_document_order() {
        let v = serde_json::json!({"b": 1, "a": {"x": [10, {"y": 2}]}});
        let mut out = Vec::new();
        let mut cache = IndexCache::default();
        index_path(&v, "/a/x/1/y", &mut out, &mut cache);
        assert_eq!(out, [1, 0, 1, 0]);
        index_path(&v, "/b", &mut out, &mut cache);
        assert_eq!(out, [0]);
        index_path(&v, "/a/nope/z", &mut out, &mut cache);
        assert_eq!(out, [1]);
        index_path(&v, "", &mut out, &mut cache);
        assert!(out.is_empty());
        let big: serde_json::Map<String, Value> = (0..100)
            .map(|i| (format!("k{i}"), Value::from(i)))
            .collect();
        let big = Value::Object(big);
        index_path(&big, "/k77", &mut out, &mut cache);
        assert_eq!(out, [77]);
    }
}
