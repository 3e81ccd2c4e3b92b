//! An encoding option that names no encoding: a file as a whole can't be
//! read, so it sits with the table errors in the catalogue.

use serde_json::{Map, Value};

use super::ErrorJson;
use crate::encoding::UnknownEncoding;

impl ErrorJson for UnknownEncoding {
    fn code(&self) -> &'static str {
        UnknownEncoding::CODE
    }

    /// `encoding`: the text as given.
    fn context(&self) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert("encoding".into(), Value::from(self.value()));
        map
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "test code: a failed unwrap is a failed test"
    )]

    use super::*;
    use crate::Encoding;

    #[test]
    fn json_form_names_the_text_given() {
        let err = "ansi".parse::<Encoding>().unwrap_err();
        assert_eq!(
            err.to_json().to_string(),
            r#"{"code":"unknown_encoding","encoding":"ansi","message":"`ansi` is not an encoding; use utf-8, utf-16le, utf-16be, windows-1252 or latin1"}"#
        );
    }
}
