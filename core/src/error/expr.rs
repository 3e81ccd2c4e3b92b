//! Errors of the expression language.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{ErrorJson, tagged_context};

/// An expression (condition or segment) that can't be parsed or doesn't fit
/// the setup, or a set of segments that can't be one. Every variant carries
/// the byte offset where the problem starts (0 for a problem of a set as a
/// whole).
///
/// # Examples
///
/// ```
/// use custclass::{Engine, ErrorJson, ExprError, Setup};
///
/// let engine = Engine::new(Setup::standard("NL".to_owned().try_into()?))?;
/// let query = "channel = 'webshop' and contry = 'DK'";
/// let err = engine.segment(query).err().ok_or("contry is no field")?;
///
/// assert_eq!(err.code(), "unknown_field");
/// assert!(matches!(&err, ExprError::UnknownField { suggestion: Some(name), .. } if name == "country"));
/// // The byte offset points at the problem, e.g. for a caret under it:
/// assert_eq!(err.offset(), 24);
/// assert_eq!(query.get(err.offset()..), Some("contry = 'DK'"));
/// let caret = format!("{query}\n{:>width$}", "^", width = err.offset() + 1);
/// assert!(caret.ends_with("\n                        ^"));
/// assert_eq!(
///     err.to_json().to_string(),
///     r#"{"code":"unknown_field","message":"unknown field 'contry' at offset 24; did you mean 'country'?","name":"contry","offset":24,"suggestion":"country"}"#
/// );
///
/// // Syntax errors carry their offset too:
/// let err = engine.segment("country = 'DK").err().ok_or("the quote is not closed")?;
/// assert_eq!((err.code(), err.offset()), ("unterminated_string", 10));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ExprError {
    /// A character that starts no token.
    #[error("unexpected character '{found}' at offset {offset}")]
    UnexpectedCharacter {
        /// Byte offset.
        offset: usize,
        /// The character.
        found: char,
    },
    /// A string literal without its closing quote.
    #[error("string starting at offset {offset} is not closed with '")]
    UnterminatedString {
        /// Byte offset of the opening quote.
        offset: usize,
    },
    /// A number that isn't a decimal.
    #[error("'{text}' at offset {offset} is not a decimal number")]
    InvalidNumber {
        /// Byte offset.
        offset: usize,
        /// The text read.
        text: String,
    },
    /// A date literal that isn't a real day.
    #[error("'{text}' at offset {offset} is not a valid date (YYYY-MM-DD)")]
    InvalidDate {
        /// Byte offset.
        offset: usize,
        /// The text read.
        text: String,
    },
    /// A token where another was expected.
    #[error("expected {expected}, found {found} at offset {offset}")]
    UnexpectedToken {
        /// Byte offset of the token found.
        offset: usize,
        /// What the parser expected.
        expected: String,
        /// What it found.
        found: String,
    },
    /// The expression ended too early.
    #[error("expected {expected} at offset {offset}, but the expression ends there")]
    UnexpectedEnd {
        /// Byte offset of the end.
        offset: usize,
        /// What the parser expected.
        expected: String,
    },
    /// Parentheses or `not`s nested deeper than the parser allows.
    #[error("expression nests deeper than {limit} levels at offset {offset}")]
    TooDeep {
        /// Byte offset.
        offset: usize,
        /// The nesting limit.
        limit: usize,
    },
    /// Expression text longer than the parser reads.
    #[error("expression is {length} bytes long, more than the {limit} allowed (offset {offset})")]
    TooLong {
        /// Byte offset of the first byte past the limit.
        offset: usize,
        /// The text's length in bytes.
        length: usize,
        /// The length limit in bytes.
        limit: usize,
    },
    /// A field name the language doesn't know.
    #[error("unknown field '{name}' at offset {offset}{}", did_you_mean(.suggestion))]
    UnknownField {
        /// Byte offset.
        offset: usize,
        /// The name written.
        name: String,
        /// The closest known field, if one is close.
        #[serde(skip_serializing_if = "Option::is_none")]
        suggestion: Option<String>,
    },
    /// `class.<label>` naming no slot of the setup.
    #[error("no classification slot is labelled '{label}' (offset {offset})")]
    UnknownSlotLabel {
        /// Byte offset.
        offset: usize,
        /// The label written.
        label: String,
    },
    /// A code the setup doesn't define for that field.
    #[error("'{value}' is not a known value of {field} (offset {offset})")]
    UnknownValue {
        /// Byte offset of the value.
        offset: usize,
        /// The field compared.
        field: String,
        /// The value written.
        value: String,
    },
    /// A value of the wrong kind for the field.
    #[error("{field} holds {expected} values, but offset {offset} gives {found}")]
    TypeMismatch {
        /// Byte offset of the value.
        offset: usize,
        /// The field compared.
        field: String,
        /// The field's kind.
        expected: &'static str,
        /// The value's kind.
        found: &'static str,
    },
    /// An operator that doesn't apply to the field's kind.
    #[error("'{operator}' does not apply to {field}, which holds {kind} values (offset {offset})")]
    UnsupportedOperator {
        /// Byte offset of the operator.
        offset: usize,
        /// The operator.
        operator: String,
        /// The field.
        field: String,
        /// The field's kind.
        kind: &'static str,
    },
    /// An expression of a [`SegmentSet`](crate::SegmentSet) that doesn't
    /// compile: which segment, and the expression's own error (whose
    /// offset is also this error's).
    #[error("segment '{segment}': {error}")]
    InvalidSegment {
        /// Byte offset in the segment's expression.
        offset: usize,
        /// The segment's name.
        segment: String,
        /// The expression's own error.
        error: Box<ExprError>,
    },
    /// Two segments of a set with one name: their counts and bits would
    /// be told apart by position only.
    #[error("two segments are named '{segment}'")]
    DuplicateSegment {
        /// Always 0: the problem is the set, not a text.
        offset: usize,
        /// The name.
        segment: String,
    },
    /// More segments in a set than a row's mask has bits
    /// ([`MAX_SEGMENTS_IN_SET`](crate::limits::MAX_SEGMENTS_IN_SET)).
    #[error("a segment set holds at most {limit} segments, not {count}")]
    TooManySegments {
        /// Always 0: the problem is the set, not a text.
        offset: usize,
        /// How many segments were given.
        count: usize,
        /// The limit.
        limit: usize,
    },
}

fn did_you_mean(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(name) => format!("; did you mean '{name}'?"),
        None => String::new(),
    }
}

impl ExprError {
    /// Every code, in declaration order (the catalogue, [`all_codes`](crate::all_codes)).
    pub(crate) const VARIANTS: &'static [&'static str] = &[
        "unexpected_character",
        "unterminated_string",
        "invalid_number",
        "invalid_date",
        "unexpected_token",
        "unexpected_end",
        "too_deep",
        "too_long",
        "unknown_field",
        "unknown_slot_label",
        "unknown_value",
        "type_mismatch",
        "unsupported_operator",
        "invalid_segment",
        "duplicate_segment",
        "too_many_segments",
    ];

    /// The stable code: the variant's name in snake case, as its JSON
    /// `code` tag.
    pub fn code(&self) -> &'static str {
        match self {
            ExprError::UnexpectedCharacter { .. } => "unexpected_character",
            ExprError::UnterminatedString { .. } => "unterminated_string",
            ExprError::InvalidNumber { .. } => "invalid_number",
            ExprError::InvalidDate { .. } => "invalid_date",
            ExprError::UnexpectedToken { .. } => "unexpected_token",
            ExprError::UnexpectedEnd { .. } => "unexpected_end",
            ExprError::TooDeep { .. } => "too_deep",
            ExprError::TooLong { .. } => "too_long",
            ExprError::UnknownField { .. } => "unknown_field",
            ExprError::UnknownSlotLabel { .. } => "unknown_slot_label",
            ExprError::UnknownValue { .. } => "unknown_value",
            ExprError::TypeMismatch { .. } => "type_mismatch",
            ExprError::UnsupportedOperator { .. } => "unsupported_operator",
            ExprError::InvalidSegment { .. } => "invalid_segment",
            ExprError::DuplicateSegment { .. } => "duplicate_segment",
            ExprError::TooManySegments { .. } => "too_many_segments",
        }
    }

    /// Byte offset in the expression where the problem starts.
    pub fn offset(&self) -> usize {
        match self {
            ExprError::UnexpectedCharacter { offset, .. }
            | ExprError::UnterminatedString { offset }
            | ExprError::InvalidNumber { offset, .. }
            | ExprError::InvalidDate { offset, .. }
            | ExprError::UnexpectedToken { offset, .. }
            | ExprError::UnexpectedEnd { offset, .. }
            | ExprError::TooDeep { offset, .. }
            | ExprError::TooLong { offset, .. }
            | ExprError::UnknownField { offset, .. }
            | ExprError::UnknownSlotLabel { offset, .. }
            | ExprError::UnknownValue { offset, .. }
            | ExprError::TypeMismatch { offset, .. }
            | ExprError::UnsupportedOperator { offset, .. }
            | ExprError::InvalidSegment { offset, .. }
            | ExprError::DuplicateSegment { offset, .. }
            | ExprError::TooManySegments { offset, .. } => *offset,
        }
    }
}

error_json!(ExprError);
