//! Canonical JSON: the one textual form of every result, compared byte for
//! byte by the test vectors in every language.
//!
//! Keys are sorted, decimals are strings, arrays keep their order, no
//! whitespace. serde_json's `Value` keeps object keys in a `BTreeMap`, so
//! going through it sorts them.

use serde::Serialize;

/// Serialises `value` canonically.
///
/// # Examples
///
/// ```
/// let json = custclass::canonical::to_string(&serde_json::json!({"b": 1, "a": [2, 1]}));
/// assert_eq!(json, r#"{"a":[2,1],"b":1}"#);
/// ```
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(value) => value.to_string(),
        Err(err) => serde_json::json!({"code": "internal", "message": err.to_string()}).to_string(),
    }
}
