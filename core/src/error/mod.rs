//! Errors, one enum per concern, each variant with a stable snake_case code.
//!
//! Messages are for people and may change; codes (and the context fields
//! beside them) are the contract. Every error serialises as
//! `{"code": …, "message": …, <context>}` through [`ErrorJson::to_json`], the
//! form the test vectors and every binding compare.

use serde::Serialize;
use serde_json::{Map, Value};

/// Where a JSON document went wrong, as serde_json saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonPosition {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// What kind of JSON problem: the four codes shared by every JSON input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonIssue {
    Syntax,
    UnknownField,
    MissingField,
    InvalidValue,
}

impl JsonIssue {
    /// Sorts a serde_json error into one of the four codes and strips the
    /// position serde_json appends, which the caller reports separately.
    pub(crate) fn of(err: &serde_json::Error) -> (JsonIssue, String, JsonPosition) {
        let full = err.to_string();
        let detail = match full.rsplit_once(" at line ") {
            Some((detail, _)) => detail.to_owned(),
            None => full,
        };
        let issue = match err.classify() {
            serde_json::error::Category::Data if detail.starts_with("unknown field") => {
                JsonIssue::UnknownField
            }
            serde_json::error::Category::Data if detail.starts_with("missing field") => {
                JsonIssue::MissingField
            }
            serde_json::error::Category::Data => JsonIssue::InvalidValue,
            _ => JsonIssue::Syntax,
        };
        let position = JsonPosition {
            line: err.line(),
            column: err.column(),
        };
        (issue, detail, position)
    }
}

/// The field an unknown JSON field most likely means, from serde_json's
/// `detail` ("unknown field `nmae`, expected one of `id`, `name`, …"): a
/// field of the same object whose name is close, or, when `nested` (the
/// paths of fields one object down, `billing_address.country`) has one
/// whose last part is the name or close to it, that path. `None` when
/// nothing is close.
pub(crate) fn unknown_field_suggestion(detail: &str, nested: &[&str]) -> Option<String> {
    let unknown = detail
        .strip_prefix("unknown field `")?
        .split_once('`')?
        .0
        .to_ascii_lowercase();
    let expected = detail
        .split_once("expected ")
        .map(|(_, list)| list.trim_start_matches("one of "))
        .unwrap_or_default();
    let siblings = expected
        .split(", ")
        .filter_map(|name| name.strip_prefix('`')?.strip_suffix('`'))
        .map(|name| (name, name));
    let below = nested
        .iter()
        .filter_map(|path| Some((path.rsplit_once('.')?.1, *path)));
    siblings
        .chain(below)
        .map(|(name, path)| (strsim::damerau_levenshtein(&unknown, name), name, path))
        .filter(|(distance, name, _)| *distance <= 2.max(name.len() / 4) && *distance < name.len())
        .min_by_key(|(distance, _, _)| *distance)
        .map(|(_, _, path)| path.to_owned())
}

/// serde_json's detail of an unknown field with the suggestion put in
/// after the field's name, before the list of expected fields.
pub(crate) fn with_suggestion(detail: String, suggestion: Option<&str>) -> String {
    let Some(suggestion) = suggestion else {
        return detail;
    };
    match detail.split_once("`, expected") {
        Some((head, tail)) => {
            format!("{head}` (did you mean `{suggestion}`?), expected{tail}")
        }
        None => format!("{detail} (did you mean `{suggestion}`?)"),
    }
}

/// Writes a serde_path_to_error path the way the docs and messages show it:
/// `$.groups[2].type`.
pub(crate) fn json_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::from("$");
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            // serde_json hands a raw value (the decimal readers ask for one,
            // `scalar::Scalar`) and, when a host turns on its
            // `arbitrary_precision`, a number through a private one-key map;
            // that key is not part of the document.
            Segment::Map { key } if key.starts_with("$serde_json::") => {}
            Segment::Map { key } => {
                out.push('.');
                out.push_str(key);
            }
            Segment::Enum { variant } => {
                out.push('.');
                out.push_str(variant);
            }
            Segment::Unknown => out.push_str(".?"),
        }
    }
    out
}

/// The canonical JSON form of an error: its code, its message and its
/// context fields.
///
/// Every error of the crate has it, so a host can answer with any of them
/// in one shape: the stable `code` to branch on, a `message` for people,
/// and the fields that say where (`field`, `path`, `offset`, `line`, …).
///
/// # Examples
///
/// ```
/// use custclass::{Customer, Engine, ErrorJson, Setup};
///
/// /// The body of an HTTP 422 answer, whatever went wrong.
/// fn problem_body(err: &dyn ErrorJson) -> String {
///     err.to_json().to_string()
/// }
///
/// let engine = Engine::new(Setup::standard("NL".to_owned().try_into()?))?;
/// let err = Customer::from_json(r#"{"id": "10001", "emial": "jan@example.nl"}"#)
///     .err()
///     .ok_or("emial is no field")?;
/// let body: serde_json::Value = serde_json::from_str(&problem_body(&err))?;
/// assert_eq!((&body["code"], &body["field"]), (&"json_unknown_field".into(), &"$.emial".into()));
///
/// let err = engine.segment("country = 'DK' and").err().ok_or("unfinished")?;
/// let body: serde_json::Value = serde_json::from_str(&problem_body(&err))?;
/// assert_eq!((&body["code"], &body["offset"]), (&"unexpected_end".into(), &18.into()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait ErrorJson: std::error::Error {
    /// The stable snake_case code.
    fn code(&self) -> &'static str;

    /// The context fields beside `code` and `message`.
    fn context(&self) -> Map<String, Value>;

    /// The message for people; the error's `Display` unless a context field
    /// already carries part of it.
    fn message(&self) -> String {
        self.to_string()
    }

    /// `{"code": …, "message": …, <context>}`.
    fn to_json(&self) -> Value {
        let mut map = self.context();
        map.insert("code".into(), Value::from(self.code()));
        map.insert("message".into(), Value::from(self.message()));
        Value::Object(map)
    }
}

/// The fields of a `#[serde(tag = "code")]` enum, less the tag.
pub(crate) fn tagged_context<T: Serialize>(value: &T) -> Map<String, Value> {
    match serde_json::to_value(value) {
        Ok(Value::Object(mut map)) => {
            map.remove("code");
            map
        }
        _ => Map::new(),
    }
}

macro_rules! error_json {
    ($ty:ty) => {
        impl ErrorJson for $ty {
            fn code(&self) -> &'static str {
                self.code()
            }
            fn context(&self) -> Map<String, Value> {
                tagged_context(self)
            }
        }
    };
}

mod code;
mod connect;
mod customer;
mod encoding;
mod expr;
mod pricing;
mod row;
mod setup;
mod table;

pub use code::{CodeError, CodeKind};
pub use connect::ConnectError;
pub(crate) use connect::erp_name;
pub use customer::CustomerError;
pub use expr::ExprError;
pub use pricing::{PricingError, PricingErrorKind};
pub use row::RowProblem;
pub(crate) use setup::Problems;
pub use setup::{SetupError, SetupProblem, SetupProblemKind};
pub use table::TableError;

/// Every code of the errors the core returns, each with its concern
/// (`setup`, `expression`, `customer`, `pricing`, `table`, `connect`), as the errors
/// declare them: the catalogue the vector, surface and binding tests
/// iterate, so a new error can't go untested by oversight. (`internal`,
/// [`InternalError`], is the bindings' own.)
///
/// ```
/// let codes = custclass::all_codes();
/// assert!(codes.iter().any(|c| (c.concern, c.code) == ("pricing", "invalid_quantity")));
/// ```
pub fn all_codes() -> Vec<ErrorCode> {
    let concerns: [(&str, &[&str]); 6] = [
        ("setup", SetupProblemKind::VARIANTS),
        ("expression", ExprError::VARIANTS),
        ("customer", CustomerError::VARIANTS),
        ("pricing", PricingErrorKind::VARIANTS),
        ("table", TableError::VARIANTS),
        ("connect", ConnectError::VARIANTS),
    ];
    let mut codes = vec![ErrorCode {
        concern: "setup",
        code: SetupError::CODE,
    }];
    for (concern, variants) in concerns {
        codes.extend(variants.iter().map(|code| ErrorCode { concern, code }));
    }
    // A reader's encoding option: the file can't be read as a whole.
    codes.push(ErrorCode {
        concern: "table",
        code: crate::encoding::UnknownEncoding::CODE,
    });
    codes
}

/// One entry of the error catalogue ([`all_codes`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ErrorCode {
    /// `setup`, `expression`, `customer`, `pricing`, `table` or `connect`.
    pub concern: &'static str,
    /// The stable code.
    pub code: &'static str,
}

/// A bug in custclass, caught where a binding hands control back to its
/// host: a panic turned into an error the caller can handle (code
/// `internal`) instead of an aborted process or an exception that escapes
/// the caller's error handling. The core never returns it; the bindings
/// make it, so that every front end reports a bug in the same shape.
///
/// # Examples
///
/// ```
/// use custclass::{ErrorJson, InternalError};
///
/// // What `std::panic::catch_unwind` hands back when a call panicked:
/// let payload: Box<dyn std::any::Any + Send> = Box::new("index out of bounds");
/// let err = InternalError::from_panic(payload.as_ref());
/// assert_eq!(err.code(), "internal");
/// assert_eq!(err.detail, "index out of bounds");
/// assert_eq!(
///     err.to_json().to_string(),
///     r#"{"code":"internal","detail":"index out of bounds","message":"internal error in custclass (a bug; please report it): index out of bounds"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("internal error in custclass (a bug; please report it): {detail}")]
pub struct InternalError {
    /// What the panic said.
    pub detail: String,
}

impl InternalError {
    /// The error for a caught panic's payload (`catch_unwind`'s `Err`).
    pub fn from_panic(payload: &(dyn std::any::Any + Send)) -> InternalError {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|text| (*text).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned());
        InternalError { detail }
    }
}

impl ErrorJson for InternalError {
    fn code(&self) -> &'static str {
        "internal"
    }

    fn context(&self) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert("detail".into(), Value::from(self.detail.clone()));
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_form_has_code_message_and_context() {
        let err = ExprError::UnknownField {
            offset: 0,
            name: "contry".into(),
            suggestion: Some("country".into()),
        };
        assert_eq!(
            err.to_json().to_string(),
            r#"{"code":"unknown_field","message":"unknown field 'contry' at offset 0; did you mean 'country'?","name":"contry","offset":0,"suggestion":"country"}"#
        );
    }

    #[test]
    fn serde_tags_agree_with_codes() {
        let err = CustomerError::GroupTypeMismatch {
            group: "EU".into(),
            group_type: "B".into(),
            customer_type: "P".into(),
        };
        assert_eq!(
            serde_json::to_value(&err).unwrap()["code"],
            Value::from(err.code())
        );
        let kind = SetupProblemKind::MultipleDefaultGroups {
            customer_type: "T".into(),
            first: "A".into(),
            second: "B".into(),
        };
        assert_eq!(
            serde_json::to_value(&kind).unwrap()["code"],
            Value::from(kind.code())
        );
    }
}
