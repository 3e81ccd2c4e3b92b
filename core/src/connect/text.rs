//! A payload's raw bytes as the text the readers take, the same at every
//! door: a webhook body arrives as bytes (and is verified as bytes), and a
//! byte that isn't UTF-8 is a `json_syntax` error at its line and column,
//! never a host's own decoding exception.

use std::io::Read;

use crate::error::ConnectError;

/// `raw` as text: a byte-order mark honoured (a file saved by a Windows
/// editor: UTF-8, UTF-16), else UTF-8.
///
/// # Examples
///
/// ```
/// let text = custclass::payload_text(b"\xEF\xBB\xBF{\"id\": 1}")?;
/// assert_eq!(text, "{\"id\": 1}");
/// let err = custclass::payload_text(b"{\"id\":\n 1\xFF}").unwrap_err();
/// assert_eq!(err.to_string(), "not UTF-8 text (line 2, column 3)");
/// # Ok::<(), custclass::ConnectError>(())
/// ```
///
/// # Errors
///
/// `json_syntax` at the first byte that is not text: JSON is text.
pub fn payload_text(raw: &[u8]) -> Result<String, ConnectError> {
    let mut bytes = Vec::with_capacity(raw.len());
    let decoded =
        crate::encoding::decoded(raw, None).and_then(|mut decoded| decoded.read_to_end(&mut bytes));
    if let Err(err) = decoded {
        return Err(not_text(&[], &err.to_string()));
    }
    String::from_utf8(bytes).map_err(|err| {
        let valid = err.utf8_error().valid_up_to();
        let bytes = err.into_bytes();
        not_text(bytes.get(..valid).unwrap_or_default(), "not UTF-8 text")
    })
}

/// A `json_syntax` error after `before`, the payload's valid text.
fn not_text(before: &[u8], detail: &str) -> ConnectError {
    let before = String::from_utf8_lossy(before);
    let line_number = before.matches('\n').count() + 1;
    let last_line = before.rsplit('\n').next().unwrap_or_default();
    ConnectError::JsonSyntax {
        detail: detail.to_owned(),
        line_number,
        column: last_line.chars().count() + 1,
    }
}
