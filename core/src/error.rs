//! Errors, one enum per concern, each variant with a stable snake_case code.
//!
//! Messages are for people and may change; codes (and the context fields
//! beside them) are the contract. Every error serialises as
//! `{"code": …, "message": …, <context>}` through [`ErrorJson::to_json`], the
//! form the test vectors and every binding compare.

use std::collections::HashMap;

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

/// Writes a serde_path_to_error path the way the docs and messages show it:
/// `$.groups[2].type`.
pub(crate) fn json_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::from("$");
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            // serde_json's `arbitrary_precision` passes a number through a
            // private one-key map; that key is not part of the document.
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
fn tagged_context<T: Serialize>(value: &T) -> Map<String, Value> {
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

/// An expression (condition or segment) that can't be parsed or doesn't fit
/// the setup. Every variant carries the byte offset where the problem starts.
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
}

fn did_you_mean(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(name) => format!("; did you mean '{name}'?"),
        None => String::new(),
    }
}

impl ExprError {
    /// The stable code.
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
            | ExprError::UnsupportedOperator { offset, .. } => *offset,
        }
    }
}

error_json!(ExprError);

/// One problem in a setup, with the JSON path it was found at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {kind}")]
pub struct SetupProblem {
    /// JSON path (`$.groups[2].type`).
    pub path: String,
    /// What is wrong.
    pub kind: SetupProblemKind,
}

impl SetupProblem {
    pub(crate) fn new(path: impl Into<String>, kind: SetupProblemKind) -> SetupProblem {
        SetupProblem {
            path: path.into(),
            kind,
        }
    }

    /// The stable code of the problem.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}

impl ErrorJson for SetupProblem {
    fn code(&self) -> &'static str {
        self.kind.code()
    }

    fn context(&self) -> Map<String, Value> {
        let mut map = tagged_context(&self.kind);
        map.insert("path".into(), Value::from(self.path.clone()));
        map
    }

    /// The path is a context field of its own, so the message leaves it out.
    fn message(&self) -> String {
        self.kind.to_string()
    }
}

/// What is wrong at one place of a setup.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SetupProblemKind {
    /// The text is not JSON.
    #[error("{detail} (line {line}, column {column})")]
    JsonSyntax {
        /// serde_json's description.
        detail: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A field the setup format doesn't have (often a typo).
    #[error("{detail} (line {line}, column {column})")]
    JsonUnknownField {
        /// serde_json's description, listing the expected fields.
        detail: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A required field is missing.
    #[error("{detail} (line {line}, column {column})")]
    JsonMissingField {
        /// serde_json's description.
        detail: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A value of the wrong type or form.
    #[error("{detail} (line {line}, column {column})")]
    JsonInvalidValue {
        /// serde_json's description.
        detail: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A blank code or label.
    #[error("a code may not be blank")]
    EmptyCode,
    /// The same code twice in one list.
    #[error("code '{value}' is already used")]
    DuplicateCode {
        /// The code.
        value: String,
    },
    /// A slot number outside 1..8.
    #[error("slot {slot} does not exist; slots are numbered 1 to 8")]
    InvalidSlot {
        /// The number given.
        slot: u8,
    },
    /// Two definitions of one slot.
    #[error("slot {slot} is defined twice")]
    DuplicateSlot {
        /// The slot.
        slot: u8,
    },
    /// Two slots with one label would make `class.<label>` ambiguous.
    #[error("label '{label}' is used by two slots")]
    DuplicateLabel {
        /// The label.
        label: String,
    },
    /// A type code the setup doesn't define.
    #[error("type '{value}' is not defined")]
    UnknownType {
        /// The code.
        value: String,
    },
    /// A group code the setup doesn't define.
    #[error("group '{value}' is not defined")]
    UnknownGroup {
        /// The code.
        value: String,
    },
    /// A price group code the setup doesn't define.
    #[error("price group '{value}' is not defined")]
    UnknownPriceGroup {
        /// The code.
        value: String,
    },
    /// A code the slot doesn't define.
    #[error("'{value}' is not a value of slot {slot}")]
    UnknownSlotValue {
        /// The slot.
        slot: usize,
        /// The code.
        value: String,
    },
    /// A slot the setup doesn't define.
    #[error("slot {slot} is not defined in this setup")]
    UndefinedSlot {
        /// The slot.
        slot: usize,
    },
    /// A rule target that doesn't exist.
    #[error(
        "'{target}' is not a rule target; use class1..class8, class.<label>, type, group or price_group"
    )]
    UnknownTarget {
        /// The target written.
        target: String,
    },
    /// More than one default type.
    #[error("types '{first}' and '{second}' are both marked default")]
    MultipleDefaultTypes {
        /// The first default type.
        first: String,
        /// The second.
        second: String,
    },
    /// More than one default group in one type.
    #[error("groups '{first}' and '{second}' are both the default of type '{customer_type}'")]
    MultipleDefaultGroups {
        /// The type.
        customer_type: String,
        /// The first default group.
        first: String,
        /// The second.
        second: String,
    },
    /// An inactive type or group marked default.
    #[error("'{value}' is inactive and can't be a default")]
    InactiveDefault {
        /// The code.
        value: String,
    },
    /// Something assigns a value that is inactive.
    #[error("'{value}' is inactive and can't be assigned to customers")]
    InactiveValue {
        /// The code.
        value: String,
    },
    /// A rule that sets nothing.
    #[error("rule sets no target")]
    EmptyRule,
    /// A period that ends before it starts.
    #[error("period ends on {to}, before it starts on {from}")]
    InvalidDateRange {
        /// First day.
        from: String,
        /// Last day.
        to: String,
    },
    /// A rule condition that doesn't parse or fit the setup.
    #[error("condition: {error}")]
    InvalidCondition {
        /// The expression's own error.
        error: ExprError,
    },
    /// An item group the setup doesn't define.
    #[error("item group '{value}' is not defined")]
    UnknownItemGroup {
        /// The code.
        value: String,
    },
    /// An item group that is its own ancestor.
    #[error("item group '{value}' is its own ancestor")]
    ItemGroupCycle {
        /// The first group found on the cycle.
        value: String,
    },
    /// A discount percentage outside 0 to 100.
    #[error("{value} is not a percentage from 0 to 100")]
    InvalidPercent {
        /// The value given.
        value: String,
    },
    /// A price, discount amount or quantity below zero.
    #[error("{value} is below zero")]
    NegativeValue {
        /// The value given.
        value: String,
    },
    /// A minimum quantity above the maximum.
    #[error("minimum quantity {min} is above maximum quantity {max}")]
    InvalidQuantityRange {
        /// The minimum.
        min: String,
        /// The maximum.
        max: String,
    },
    /// A stackable fixed price: a fixed price replaces, it can't stack.
    #[error("a fixed price can't be stackable; use a discount")]
    StackableFixedPrice,
    /// Two price rules the `priority` strategy could not choose between.
    #[error(
        "rules '{first}' and '{second}' can apply to the same line with the same priority and specificity; give one a higher priority or narrow its scope"
    )]
    AmbiguousPriority {
        /// The rule declared first.
        first: String,
        /// The rule declared second.
        second: String,
    },
    /// More of something than the library takes ([`crate::limits`]).
    #[error("{count} {what}; the limit is {limit}")]
    TooMany {
        /// What there are too many of.
        what: String,
        /// How many there are (for a depth, how deep it goes).
        count: usize,
        /// The limit.
        limit: usize,
    },
}

impl SetupProblemKind {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            SetupProblemKind::JsonSyntax { .. } => "json_syntax",
            SetupProblemKind::JsonUnknownField { .. } => "json_unknown_field",
            SetupProblemKind::JsonMissingField { .. } => "json_missing_field",
            SetupProblemKind::JsonInvalidValue { .. } => "json_invalid_value",
            SetupProblemKind::EmptyCode => "empty_code",
            SetupProblemKind::DuplicateCode { .. } => "duplicate_code",
            SetupProblemKind::InvalidSlot { .. } => "invalid_slot",
            SetupProblemKind::DuplicateSlot { .. } => "duplicate_slot",
            SetupProblemKind::DuplicateLabel { .. } => "duplicate_label",
            SetupProblemKind::UnknownType { .. } => "unknown_type",
            SetupProblemKind::UnknownGroup { .. } => "unknown_group",
            SetupProblemKind::UnknownPriceGroup { .. } => "unknown_price_group",
            SetupProblemKind::UnknownSlotValue { .. } => "unknown_slot_value",
            SetupProblemKind::UndefinedSlot { .. } => "undefined_slot",
            SetupProblemKind::UnknownTarget { .. } => "unknown_target",
            SetupProblemKind::MultipleDefaultTypes { .. } => "multiple_default_types",
            SetupProblemKind::MultipleDefaultGroups { .. } => "multiple_default_groups",
            SetupProblemKind::InactiveDefault { .. } => "inactive_default",
            SetupProblemKind::InactiveValue { .. } => "inactive_value",
            SetupProblemKind::EmptyRule => "empty_rule",
            SetupProblemKind::InvalidDateRange { .. } => "invalid_date_range",
            SetupProblemKind::InvalidCondition { .. } => "invalid_condition",
            SetupProblemKind::UnknownItemGroup { .. } => "unknown_item_group",
            SetupProblemKind::ItemGroupCycle { .. } => "item_group_cycle",
            SetupProblemKind::InvalidPercent { .. } => "invalid_percent",
            SetupProblemKind::NegativeValue { .. } => "negative_value",
            SetupProblemKind::InvalidQuantityRange { .. } => "invalid_quantity_range",
            SetupProblemKind::StackableFixedPrice => "stackable_fixed_price",
            SetupProblemKind::AmbiguousPriority { .. } => "ambiguous_priority",
            SetupProblemKind::TooMany { .. } => "too_many",
        }
    }

    pub(crate) fn from_json(err: &serde_json::Error) -> SetupProblemKind {
        let (issue, detail, JsonPosition { line, column }) = JsonIssue::of(err);
        match issue {
            JsonIssue::Syntax => SetupProblemKind::JsonSyntax {
                detail,
                line,
                column,
            },
            JsonIssue::UnknownField => SetupProblemKind::JsonUnknownField {
                detail,
                line,
                column,
            },
            JsonIssue::MissingField => SetupProblemKind::JsonMissingField {
                detail,
                line,
                column,
            },
            JsonIssue::InvalidValue => SetupProblemKind::JsonInvalidValue {
                detail,
                line,
                column,
            },
        }
    }
}

/// A setup with problems; lists every one of them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the setup has {} problem(s); first: {}", .problems.len(), first_problem(.problems))]
pub struct SetupError {
    /// Every problem found, in document order.
    pub problems: Vec<SetupProblem>,
}

fn first_problem(problems: &[SetupProblem]) -> String {
    problems
        .first()
        .map(ToString::to_string)
        .unwrap_or_default()
}

impl SetupError {
    pub(crate) fn new(problems: Vec<SetupProblem>) -> SetupError {
        SetupError { problems }
    }

    /// The stable code of the whole error; each problem has its own.
    pub fn code(&self) -> &'static str {
        "invalid_setup"
    }
}

impl ErrorJson for SetupError {
    fn code(&self) -> &'static str {
        self.code()
    }

    fn context(&self) -> Map<String, Value> {
        let problems = self.problems.iter().map(ErrorJson::to_json).collect();
        Map::from_iter([("problems".to_owned(), Value::Array(problems))])
    }
}

/// A customer that doesn't fit the setup, or a field that can't be read.
///
/// `field` names use the flat names of CSV headers and expressions:
/// `class2`, `group`, `attr.turnover_12m`, `billing_address.country`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CustomerError {
    /// The text is not JSON.
    #[error("{detail} (line {line}, column {column})")]
    JsonSyntax {
        /// serde_json's description.
        detail: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A field the customer format doesn't have (often a typo).
    #[error("{field}: {detail}")]
    JsonUnknownField {
        /// JSON path.
        field: String,
        /// serde_json's description, listing the expected fields.
        detail: String,
    },
    /// A required field is missing.
    #[error("{field}: {detail}")]
    JsonMissingField {
        /// JSON path.
        field: String,
        /// serde_json's description.
        detail: String,
    },
    /// A phone number that can't be one (`format_phone`).
    #[error("`{number}` is not a phone number: {reason}")]
    InvalidPhone {
        /// The number as given.
        number: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A field whose value can't be read (bad country, bad decimal, …).
    #[error("{field}: {detail}")]
    InvalidField {
        /// JSON path or CSV column.
        field: String,
        /// What is wrong.
        detail: String,
    },
    /// A slot value the setup doesn't define.
    #[error("{field}: '{value}' is not a value of this slot")]
    UnknownSlotValue {
        /// The slot field (`class2`).
        field: String,
        /// The code.
        value: String,
    },
    /// A value in a slot the setup doesn't define.
    #[error("{field}: this slot is not defined in the setup")]
    UndefinedSlot {
        /// The slot field.
        field: String,
    },
    /// A type the setup doesn't define.
    #[error("type: '{value}' is not defined in the setup")]
    UnknownType {
        /// The code.
        value: String,
    },
    /// A group the setup doesn't define.
    #[error("group: '{value}' is not defined in the setup")]
    UnknownGroup {
        /// The code.
        value: String,
    },
    /// A price group the setup doesn't define.
    #[error("price_group: '{value}' is not defined in the setup")]
    UnknownPriceGroup {
        /// The code.
        value: String,
    },
    /// An inactive value on a new or changed customer.
    #[error("{field}: '{value}' is inactive and can't be assigned to new or changed customers")]
    InactiveValue {
        /// The field.
        field: String,
        /// The code.
        value: String,
    },
    /// A numeric attribute whose value isn't a decimal.
    #[error("{field}: '{value}' is not a decimal number")]
    InvalidAttribute {
        /// `attr.<name>`.
        field: String,
        /// The value given.
        value: String,
    },
    /// A `manual` entry that names no target.
    #[error("manual: '{target}' is not a target; use class1..class8, type, group or price_group")]
    UnknownTarget {
        /// The entry.
        target: String,
    },
    /// A group that belongs to another type than the one set.
    #[error(
        "group '{group}' belongs to type '{group_type}', but the customer's type is '{customer_type}'"
    )]
    GroupTypeMismatch {
        /// The group.
        group: String,
        /// The group's type.
        group_type: String,
        /// The type set on the customer or by a rule.
        customer_type: String,
    },
}

impl CustomerError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            CustomerError::JsonSyntax { .. } => "json_syntax",
            CustomerError::JsonUnknownField { .. } => "json_unknown_field",
            CustomerError::JsonMissingField { .. } => "json_missing_field",
            CustomerError::InvalidField { .. } => "invalid_field",
            CustomerError::UnknownSlotValue { .. } => "unknown_slot_value",
            CustomerError::UndefinedSlot { .. } => "undefined_slot",
            CustomerError::UnknownType { .. } => "unknown_type",
            CustomerError::UnknownGroup { .. } => "unknown_group",
            CustomerError::UnknownPriceGroup { .. } => "unknown_price_group",
            CustomerError::InactiveValue { .. } => "inactive_value",
            CustomerError::InvalidAttribute { .. } => "invalid_attribute",
            CustomerError::UnknownTarget { .. } => "unknown_target",
            CustomerError::GroupTypeMismatch { .. } => "group_type_mismatch",
            CustomerError::InvalidPhone { .. } => "invalid_phone",
        }
    }

    /// The field (JSON path, CSV column or target) the error is about.
    pub fn field(&self) -> Option<&str> {
        match self {
            CustomerError::JsonSyntax { .. }
            | CustomerError::GroupTypeMismatch { .. }
            | CustomerError::InvalidPhone { .. } => None,
            CustomerError::JsonUnknownField { field, .. }
            | CustomerError::JsonMissingField { field, .. }
            | CustomerError::InvalidField { field, .. }
            | CustomerError::UnknownSlotValue { field, .. }
            | CustomerError::UndefinedSlot { field }
            | CustomerError::InactiveValue { field, .. }
            | CustomerError::InvalidAttribute { field, .. } => Some(field),
            CustomerError::UnknownType { .. } => Some("type"),
            CustomerError::UnknownGroup { .. } => Some("group"),
            CustomerError::UnknownPriceGroup { .. } => Some("price_group"),
            CustomerError::UnknownTarget { .. } => Some("manual"),
        }
    }

    pub(crate) fn from_json(field: String, err: &serde_json::Error) -> CustomerError {
        let (issue, detail, JsonPosition { line, column }) = JsonIssue::of(err);
        match issue {
            JsonIssue::Syntax => CustomerError::JsonSyntax {
                detail,
                line,
                column,
            },
            JsonIssue::UnknownField => CustomerError::JsonUnknownField { field, detail },
            JsonIssue::MissingField => CustomerError::JsonMissingField { field, detail },
            JsonIssue::InvalidValue => CustomerError::InvalidField { field, detail },
        }
    }
}

error_json!(CustomerError);

/// A customer file that can't be read as a whole: a bad header or a failing
/// reader. Problems in single rows are [`RowError`](crate::customer_file::RowError)s instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TableError {
    /// A header the customer format doesn't know.
    #[error(
        "column {position} '{column}' is not a customer field; custom columns are named attr.<name>"
    )]
    UnknownColumn {
        /// The header.
        column: String,
        /// 1-based column number.
        position: usize,
    },
    /// A required column is missing.
    #[error("the file has no '{column}' column")]
    MissingColumn {
        /// The column.
        column: String,
    },
    /// The same header twice.
    #[error("column {position} '{column}' appears twice")]
    DuplicateColumn {
        /// The header.
        column: String,
        /// 1-based column number of the second one.
        position: usize,
    },
    /// The header row can't be read.
    #[error("the header row can't be read: {detail}")]
    UnreadableHeader {
        /// What went wrong.
        detail: String,
    },
    /// A column whose data type can't hold the field (Arrow input).
    #[error("column '{column}' holds {found}; it must hold {expected}")]
    ColumnType {
        /// The column.
        column: String,
        /// Its data type.
        found: String,
        /// What the field takes.
        expected: &'static str,
    },
    /// A customer column on order lines priced against a customer table,
    /// which is where their customers' columns come from.
    #[error(
        "column {position} '{column}' describes the customer; with a customer table, the lines name their customer by id only"
    )]
    CustomerColumnOnLines {
        /// The column.
        column: String,
        /// 1-based column number.
        position: usize,
    },
    /// A column of a columnar batch longer or shorter than the first.
    #[error("column '{column}' has {found} values where the first column has {expected}")]
    ColumnLength {
        /// The column.
        column: String,
        /// Its number of values.
        found: usize,
        /// The first column's.
        expected: usize,
    },
    /// Reading failed part-way.
    #[error("reading failed at line {line}: {detail}")]
    Io {
        /// The line reached.
        line: u64,
        /// What went wrong.
        detail: String,
    },
}

impl TableError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            TableError::UnknownColumn { .. } => "unknown_column",
            TableError::MissingColumn { .. } => "missing_column",
            TableError::DuplicateColumn { .. } => "duplicate_column",
            TableError::UnreadableHeader { .. } => "unreadable_header",
            TableError::ColumnType { .. } => "column_type",
            TableError::ColumnLength { .. } => "column_length",
            TableError::CustomerColumnOnLines { .. } => "customer_column_on_lines",
            TableError::Io { .. } => "io",
        }
    }
}

error_json!(TableError);

/// A line that can't be priced, and in a batch, which line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{kind}", line_prefix(.line))]
pub struct PricingError {
    /// 0-based position of the line in a batch
    /// ([`Engine::price_lines`](crate::Engine::price_lines)).
    pub line: Option<usize>,
    /// What is wrong.
    pub kind: PricingErrorKind,
}

fn line_prefix(line: &Option<usize>) -> String {
    line.map(|line| format!("line {line}: "))
        .unwrap_or_default()
}

impl PricingError {
    pub(crate) fn new(kind: PricingErrorKind) -> PricingError {
        PricingError { line: None, kind }
    }

    pub(crate) fn at_line(self, line: usize) -> PricingError {
        PricingError {
            line: Some(line),
            ..self
        }
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}

impl From<PricingErrorKind> for PricingError {
    fn from(kind: PricingErrorKind) -> PricingError {
        PricingError::new(kind)
    }
}

impl ErrorJson for PricingError {
    fn code(&self) -> &'static str {
        self.kind.code()
    }

    fn context(&self) -> Map<String, Value> {
        let mut map = tagged_context(&self.kind);
        if let Some(line) = self.line {
            map.insert("line".into(), Value::from(line));
        }
        map
    }
}

/// What is wrong with a line to price.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum PricingErrorKind {
    /// The text is not JSON.
    #[error("{detail} (line {line_number}, column {column})")]
    JsonSyntax {
        /// serde_json's description.
        detail: String,
        /// 1-based line of the JSON text.
        line_number: usize,
        /// 1-based column.
        column: usize,
    },
    /// A field the request format doesn't have (often a typo).
    #[error("{field}: {detail}")]
    JsonUnknownField {
        /// JSON path.
        field: String,
        /// serde_json's description, listing the expected fields.
        detail: String,
    },
    /// A required field is missing.
    #[error("{field}: {detail}")]
    JsonMissingField {
        /// JSON path.
        field: String,
        /// serde_json's description.
        detail: String,
    },
    /// A field whose value can't be read: a day like 2026-02-30, an unknown
    /// currency, a decimal that isn't one.
    #[error("{field}: {detail}")]
    InvalidField {
        /// JSON path.
        field: String,
        /// What is wrong.
        detail: String,
    },
    /// A quantity of zero or less.
    #[error("quantity: {quantity} is not more than zero")]
    InvalidQuantity {
        /// The quantity given.
        quantity: String,
    },
    /// A list price below zero.
    #[error("list_price: {list_price} is below zero")]
    NegativeListPrice {
        /// The list price given.
        list_price: String,
    },
    /// An item group the setup doesn't define.
    #[error("item_group: '{value}' is not defined in the setup")]
    UnknownItemGroup {
        /// The code.
        value: String,
    },
    /// An amount too large for 28 significant digits.
    #[error("{field}: the amount is too large to compute exactly")]
    AmountOverflow {
        /// The amount that overflowed (`net_price`, `line_total`).
        field: String,
    },
    /// The customer doesn't fit the setup.
    #[error("customer: {error}")]
    InvalidCustomer {
        /// The customer's own error.
        error: CustomerError,
    },
}

impl PricingErrorKind {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            PricingErrorKind::JsonSyntax { .. } => "json_syntax",
            PricingErrorKind::JsonUnknownField { .. } => "json_unknown_field",
            PricingErrorKind::JsonMissingField { .. } => "json_missing_field",
            PricingErrorKind::InvalidField { .. } => "invalid_field",
            PricingErrorKind::InvalidQuantity { .. } => "invalid_quantity",
            PricingErrorKind::NegativeListPrice { .. } => "negative_list_price",
            PricingErrorKind::UnknownItemGroup { .. } => "unknown_item_group",
            PricingErrorKind::AmountOverflow { .. } => "amount_overflow",
            PricingErrorKind::InvalidCustomer { .. } => "invalid_customer",
        }
    }

    pub(crate) fn from_json(field: String, err: &serde_json::Error) -> PricingErrorKind {
        let (issue, detail, JsonPosition { line, column }) = JsonIssue::of(err);
        match issue {
            JsonIssue::Syntax => PricingErrorKind::JsonSyntax {
                detail,
                line_number: line,
                column,
            },
            JsonIssue::UnknownField => PricingErrorKind::JsonUnknownField { field, detail },
            JsonIssue::MissingField => PricingErrorKind::JsonMissingField { field, detail },
            JsonIssue::InvalidValue => PricingErrorKind::InvalidField { field, detail },
        }
    }
}

/// Collects setup problems in document order.
#[derive(Default)]
pub(crate) struct Problems(Vec<SetupProblem>);

impl Problems {
    /// The problems as one error.
    pub(crate) fn into_error(self) -> SetupError {
        SetupError::new(self.0)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    pub(crate) fn add(&mut self, path: impl Into<String>, kind: SetupProblemKind) {
        self.0.push(SetupProblem::new(path, kind));
    }

    /// Registers `code` at `path`, reporting blanks and duplicates; returns
    /// whether it is new.
    pub(crate) fn code<V>(
        &mut self,
        seen: &mut HashMap<String, V>,
        path: String,
        code: &str,
        value: V,
    ) -> bool {
        if code.trim().is_empty() {
            self.add(path, SetupProblemKind::EmptyCode);
            false
        } else if seen.contains_key(code) {
            self.add(
                path,
                SetupProblemKind::DuplicateCode {
                    value: code.to_owned(),
                },
            );
            false
        } else {
            seen.insert(code.to_owned(), value);
            true
        }
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

/// A bug in custclass, caught where a binding hands control back to its
/// host: a panic turned into an error the caller can handle (code
/// `internal`) instead of an aborted process or an exception that escapes
/// the caller's error handling. The core never returns it; the bindings
/// make it, so that every front end reports a bug in the same shape.
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
