//! Problems of a setup, each with its JSON path, and the collector that
//! gathers them in document order.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::{ErrorJson, ExprError, JsonIssue, JsonPosition, tagged_context};

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
///
/// # Examples
///
/// A condition that doesn't compile carries the expression's own error,
/// with the offset in the condition:
///
/// ```
/// use custclass::{Rule, Setup, SetupProblemKind};
///
/// let mut setup = Setup::standard("NL".to_owned().try_into()?);
/// setup.rules.push(serde_json::from_str::<Rule>(
///     r#"{"id": "dach", "when": "contry in ('DE', 'AT')", "set": {"group": "EU"}}"#,
/// )?);
/// let err = setup.validate().err().ok_or("contry is no field")?;
/// let problem = err.problems.first().ok_or("one problem")?;
/// assert_eq!(problem.path, "$.rules[1].when");
/// match &problem.kind {
///     SetupProblemKind::InvalidCondition { error } => {
///         assert_eq!((error.code(), error.offset()), ("unknown_field", 0));
///     }
///     other => return Err(format!("another problem: {other}").into()),
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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
    /// A slot label the setup doesn't define (the ERP mapping of a slot's
    /// values is keyed by its label).
    #[error("no slot is labelled '{label}'")]
    UnknownSlotLabel {
        /// The label.
        label: String,
    },
    /// A layout code no group and no default uses.
    #[error("layout '{value}' is used by no group and not by the defaults")]
    UnknownLayout {
        /// The code.
        value: String,
    },
    /// Payment terms the setup's `payment_terms` list doesn't have.
    #[error("payment terms '{value}' are not defined")]
    UnknownPaymentTerms {
        /// The code.
        value: String,
    },
    /// An ERP number outside what the ERP numbers its records with.
    #[error("{value} is not a number from {min} to {max}")]
    NumberOutOfRange {
        /// The number given.
        value: u64,
        /// The smallest the ERP takes.
        min: u64,
        /// The largest.
        max: u64,
    },
    /// An Exact Online ID that is not a GUID (8-4-4-4-12 hexadecimal digits).
    #[error("'{value}' is not a GUID (8-4-4-4-12 hexadecimal digits)")]
    InvalidGuid {
        /// The text given.
        value: String,
    },
}

impl SetupProblemKind {
    /// Every code, in declaration order (the catalogue, [`all_codes`](crate::all_codes)).
    pub(crate) const VARIANTS: &'static [&'static str] = &[
        "json_syntax",
        "json_unknown_field",
        "json_missing_field",
        "json_invalid_value",
        "empty_code",
        "duplicate_code",
        "invalid_slot",
        "duplicate_slot",
        "duplicate_label",
        "unknown_type",
        "unknown_group",
        "unknown_price_group",
        "unknown_slot_value",
        "undefined_slot",
        "unknown_target",
        "multiple_default_types",
        "multiple_default_groups",
        "inactive_default",
        "inactive_value",
        "empty_rule",
        "invalid_date_range",
        "invalid_condition",
        "unknown_item_group",
        "item_group_cycle",
        "invalid_percent",
        "negative_value",
        "invalid_quantity_range",
        "stackable_fixed_price",
        "ambiguous_priority",
        "too_many",
        "unknown_slot_label",
        "unknown_layout",
        "unknown_payment_terms",
        "number_out_of_range",
        "invalid_guid",
    ];

    /// The stable code: the variant's name in snake case, as its JSON
    /// `code` tag.
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
            SetupProblemKind::UnknownSlotLabel { .. } => "unknown_slot_label",
            SetupProblemKind::UnknownLayout { .. } => "unknown_layout",
            SetupProblemKind::UnknownPaymentTerms { .. } => "unknown_payment_terms",
            SetupProblemKind::NumberOutOfRange { .. } => "number_out_of_range",
            SetupProblemKind::InvalidGuid { .. } => "invalid_guid",
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
///
/// # Examples
///
/// Every problem is found at once, each with its JSON path and code, so a
/// setup editor can mark them all:
///
/// ```
/// use custclass::{Engine, ErrorJson, Setup, SetupProblemKind};
///
/// let setup = Setup::from_json(r#"{
///     "home_country": "NL",
///     "types": [{"code": "BUSINESS", "default": true}],
///     "groups": [
///         {"code": "DOMESTIC", "type": "BUSINES"},
///         {"code": "DOMESTIC", "type": "BUSINESS"}
///     ],
///     "rules": [{"id": "eu", "when": "vat_zone = 'eu'", "set": {"group": "EUROPE"}}]
/// }"#)?;
/// let err = Engine::new(setup).err().ok_or("three problems")?;
/// assert_eq!(err.code(), "invalid_setup");
/// let problems: Vec<(&str, &str)> =
///     err.problems.iter().map(|problem| (problem.path.as_str(), problem.code())).collect();
/// assert_eq!(problems, [
///     ("$.groups[0].type", "unknown_type"),
///     ("$.groups[1].code", "duplicate_code"),
///     ("$.rules[0].set.group", "unknown_group"),
/// ]);
/// // The JSON form lists them all: {"code": "invalid_setup", "message": …, "problems": […]}
/// let json = err.to_json();
/// assert_eq!(json["problems"][0]["code"], "unknown_type");
/// assert_eq!(json["problems"][0]["path"], "$.groups[0].type");
///
/// // Text that is no setup: one problem, with its line and column.
/// let err = Setup::from_json("{\"home_country\": \"NL\",\n \"grups\": []}").err().ok_or("a typo")?;
/// assert!(matches!(
///     err.problems.first().map(|problem| &problem.kind),
///     Some(SetupProblemKind::JsonUnknownField { line: 2, .. })
/// ));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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
    pub const CODE: &'static str = "invalid_setup";

    /// The stable code of the whole error ([`SetupError::CODE`]).
    pub fn code(&self) -> &'static str {
        SetupError::CODE
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
        if crate::scalar::is_blank(code) {
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
