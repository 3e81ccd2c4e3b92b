//! The payload read lazily, one value at a time, each with its JSON path:
//! a value is taken as the raw JSON text serde_json validated, so a number
//! stays its own digits (a platform id is never a float) and only the
//! fields a profile reads are ever parsed.

use std::collections::BTreeMap;

use serde_json::value::RawValue;

use crate::error::{ConnectError, JsonIssue};
use crate::limits::MAX_PAYLOAD_BYTES;

/// What a JSON value is, from its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Null,
    Bool,
    Number,
    Text,
    Array,
    Object,
}

impl Kind {
    fn of(raw: &RawValue) -> Kind {
        match raw.get().trim_start().as_bytes().first() {
            Some(b'{') => Kind::Object,
            Some(b'[') => Kind::Array,
            Some(b'"') => Kind::Text,
            Some(b't' | b'f') => Kind::Bool,
            Some(b'n') | None => Kind::Null,
            Some(_) => Kind::Number,
        }
    }

    /// As an error message names it.
    fn described(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "a boolean",
            Kind::Number => "a number",
            Kind::Text => "a string",
            Kind::Array => "an array",
            Kind::Object => "an object",
        }
    }
}

/// One value of the payload and where it is.
#[derive(Debug, Clone)]
pub(super) struct Value<'a> {
    raw: &'a RawValue,
    pub(super) path: String,
}

/// The whole payload as its top-level object: refused when it is larger
/// than a customer can be (before a byte is parsed), not JSON, or not an
/// object.
pub(super) fn payload(text: &str) -> Result<Object<'_>, ConnectError> {
    if text.len() > MAX_PAYLOAD_BYTES {
        return Err(ConnectError::PayloadTooLarge {
            bytes: text.len(),
            limit: MAX_PAYLOAD_BYTES,
        });
    }
    let raw: &RawValue = serde_json::from_str(text).map_err(|err| syntax(&err))?;
    let root = Value {
        raw,
        path: "$".to_owned(),
    };
    root.clone()
        .object()?
        .ok_or_else(|| root.wrong("an object"))
}

fn syntax(err: &serde_json::Error) -> ConnectError {
    let (_, detail, position) = JsonIssue::of(err);
    ConnectError::JsonSyntax {
        detail,
        line_number: position.line,
        column: position.column,
    }
}

impl<'a> Value<'a> {
    fn kind(&self) -> Kind {
        Kind::of(self.raw)
    }

    /// `wrong_shape` here: the payload has something else than `expected`.
    pub(super) fn wrong(&self, expected: &str) -> ConnectError {
        ConnectError::WrongShape {
            path: self.path.clone(),
            expected: expected.to_owned(),
            found: self.kind().described().to_owned(),
        }
    }

    /// Whether the value is `null`.
    pub(super) fn is_null(&self) -> bool {
        self.kind() == Kind::Null
    }

    /// An object's members; `None` for null.
    pub(super) fn object(self) -> Result<Option<Object<'a>>, ConnectError> {
        match self.kind() {
            Kind::Null => Ok(None),
            Kind::Object => {
                let members: BTreeMap<String, &'a RawValue> =
                    serde_json::from_str(self.raw.get()).map_err(|_| self.wrong("an object"))?;
                Ok(Some(Object {
                    members,
                    path: self.path,
                }))
            }
            _ => Err(self.wrong("an object")),
        }
    }

    /// An array's items; empty for null.
    pub(super) fn array(self) -> Result<Vec<Value<'a>>, ConnectError> {
        match self.kind() {
            Kind::Null => Ok(Vec::new()),
            Kind::Array => {
                let items: Vec<&'a RawValue> =
                    serde_json::from_str(self.raw.get()).map_err(|_| self.wrong("an array"))?;
                Ok(items
                    .into_iter()
                    .enumerate()
                    .map(|(index, raw)| Value {
                        raw,
                        path: format!("{}[{index}]", self.path),
                    })
                    .collect())
            }
            _ => Err(self.wrong("an array")),
        }
    }

    /// A string as sent; `None` for null or blank text (an emptied form
    /// field is no value).
    pub(super) fn text(&self) -> Result<Option<String>, ConnectError> {
        match self.kind() {
            Kind::Null => Ok(None),
            Kind::Text => {
                let text: String =
                    serde_json::from_str(self.raw.get()).map_err(|_| self.wrong("a string"))?;
                Ok((!crate::scalar::is_blank(&text)).then_some(text))
            }
            _ => Err(self.wrong("a string")),
        }
    }

    /// A boolean; `None` for null.
    pub(super) fn flag(&self) -> Result<Option<bool>, ConnectError> {
        match self.raw.get().trim() {
            "null" => Ok(None),
            "true" => Ok(Some(true)),
            "false" => Ok(Some(false)),
            _ => Err(self.wrong("a boolean")),
        }
    }

    /// A platform id: a whole number as its own digits (never through a
    /// float: Shopify's ids pass 2^53), or text as some platforms' string
    /// ids come; `None` for null or blank text.
    pub(super) fn id(&self) -> Result<Option<String>, ConnectError> {
        match self.kind() {
            Kind::Number => {
                let digits = self.raw.get().trim();
                if digits.bytes().all(|b| b.is_ascii_digit()) {
                    Ok(Some(digits.to_owned()))
                } else {
                    Err(ConnectError::InvalidField {
                        path: self.path.clone(),
                        detail: format!(
                            "an id is a whole number of zero or more, not `{}`",
                            crate::scalar::quoted(digits)
                        ),
                    })
                }
            }
            Kind::Text | Kind::Null => Ok(self.text()?.map(|id| id.trim().to_owned())),
            _ => Err(self.wrong("a number or a string")),
        }
    }
}

/// An object of the payload: its members by name, and its path.
#[derive(Debug, Clone)]
pub(super) struct Object<'a> {
    members: BTreeMap<String, &'a RawValue>,
    pub(super) path: String,
}

impl<'a> Object<'a> {
    /// The member `key`, if the object has it.
    pub(super) fn get(&self, key: &str) -> Option<Value<'a>> {
        self.members.get(key).map(|raw| Value {
            raw,
            path: format!("{}.{key}", self.path),
        })
    }

    /// The member names, in sorted order.
    pub(super) fn keys(&self) -> impl Iterator<Item = &str> {
        self.members.keys().map(String::as_str)
    }

    /// Whether the object has `key`, whatever its value.
    pub(super) fn has(&self, key: &str) -> bool {
        self.members.contains_key(key)
    }

    /// The member `key` as text (see [`Value::text`]).
    pub(super) fn text(&self, key: &str) -> Result<Option<String>, ConnectError> {
        self.get(key).map_or(Ok(None), |value| value.text())
    }

    /// The member `key` as an object.
    pub(super) fn object(&self, key: &str) -> Result<Option<Object<'a>>, ConnectError> {
        self.get(key).map_or(Ok(None), Value::object)
    }

    /// The member `key` as an array; empty when missing.
    pub(super) fn array(&self, key: &str) -> Result<Vec<Value<'a>>, ConnectError> {
        self.get(key).map_or(Ok(Vec::new()), Value::array)
    }

    /// The member `key` as a boolean.
    pub(super) fn flag(&self, key: &str) -> Result<Option<bool>, ConnectError> {
        self.get(key).map_or(Ok(None), |value| value.flag())
    }

    /// The member `key` as an id (see [`Value::id`]).
    pub(super) fn id(&self, key: &str) -> Result<Option<String>, ConnectError> {
        self.get(key).map_or(Ok(None), |value| value.id())
    }

    /// The path of member `key`, for an error about it.
    pub(super) fn path_of(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }
}
