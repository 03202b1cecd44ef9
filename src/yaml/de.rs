//! A serde `Deserializer` over a loaded document, so that the validator's walk reads YAML as
//! it reads JSON text: scalars typed as YAML 1.2 reads them, aliases followed, merges applied,
//! and keys borrowed from the document's key arena (which tells the walk where each key is).

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::load::{Doc, Id, Kind, Member, Value};

/// The error of a walk over a document: only the walk's own (the nesting limit, which the
/// loader already enforces).
#[derive(Debug)]
pub(crate) struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// A node of a document, to deserialize.
#[derive(Clone, Copy)]
pub(crate) struct Node<'de, 't> {
    pub doc: &'de Doc<'t>,
    pub id: Id,
}

impl<'de, 't: 'de> Deserializer<'de> for Node<'de, 't> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let Some(node) = self.doc.target(self.id) else {
            return visitor.visit_unit();
        };
        match &node.kind {
            Kind::Scalar { text, value, .. } => match *value {
                Value::Null => visitor.visit_unit(),
                Value::Bool(b) => visitor.visit_bool(b),
                Value::I64(n) => visitor.visit_i64(n),
                Value::U64(n) => visitor.visit_u64(n),
                Value::F64(f) => visitor.visit_f64(f),
                Value::Str => visitor.visit_borrowed_str(text.as_ref()),
            },
            Kind::Seq(items) => visitor.visit_seq(Items {
                doc: self.doc,
                items: items.iter(),
            }),
            Kind::Map(map) => visitor.visit_map(Members {
                doc: self.doc,
                members: map.members.iter(),
                value: None,
            }),
            // The loader closes every container and resolves every alias.
            Kind::Alias(_) | Kind::Open => visitor.visit_unit(),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

struct Items<'de, 't> {
    doc: &'de Doc<'t>,
    items: std::slice::Iter<'de, Id>,
}

impl<'de, 't: 'de> SeqAccess<'de> for Items<'de, 't> {
    type Error = Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        match self.items.next() {
            Some(&id) => seed.deserialize(Node { doc: self.doc, id }).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Members<'de, 't> {
    doc: &'de Doc<'t>,
    members: std::slice::Iter<'de, Member>,
    value: Option<Id>,
}

impl<'de, 't: 'de> MapAccess<'de> for Members<'de, 't> {
    type Error = Error;

    fn next_key_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        let Some(member) = self.members.next() else {
            return Ok(None);
        };
        self.value = Some(member.value);
        seed.deserialize(Key(self.doc.key(member.key))).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Error> {
        let id = self.value.take().unwrap_or(self.doc.root);
        seed.deserialize(Node { doc: self.doc, id })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}

/// A key, borrowed from the document's arena.
struct Key<'de>(&'de str);

impl<'de> Deserializer<'de> for Key<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_borrowed_str(self.0)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}
