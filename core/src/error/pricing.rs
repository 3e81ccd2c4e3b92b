//! Errors of a line to price.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{CustomerError, ErrorJson, JsonIssue, JsonPosition, tagged_context};

/// A line that can't be priced, and in a batch, which line.
///
/// # Examples
///
/// ```
/// use custclass::{Customer, Engine, ErrorJson, PriceRequest, PricingErrorKind, Setup};
///
/// let engine = Engine::new(Setup::standard("NL".to_owned().try_into()?))?;
/// let shopper = Customer::from_json(r#"{"id": "1", "billing_address": {"country": "NL"}}"#)?;
/// let lines = PriceRequest::list_from_json(r#"[
///     {"item": "A", "list_price": "10.00", "quantity": "1", "date": "2026-11-22", "currency": "EUR"},
///     {"item": "B", "list_price": "10.00", "quantity": "0", "date": "2026-11-22", "currency": "EUR"}
/// ]"#)?;
///
/// // The first bad line of an order, by its 0-based position, and the field:
/// let err = engine.price_lines(&shopper, &lines).err().ok_or("no quantity")?;
/// assert_eq!((err.code(), err.line, err.kind.field()), ("invalid_quantity", Some(1), Some("quantity")));
/// assert_eq!(err.to_string(), "line 1: quantity: 0 is not more than zero");
/// assert_eq!(
///     err.to_json().to_string(),
///     r#"{"code":"invalid_quantity","field":"quantity","line":1,"message":"line 1: quantity: 0 is not more than zero","quantity":"0"}"#
/// );
///
/// // A customer that doesn't fit the setup: its own error, nested.
/// let stranger = Customer::from_json(r#"{"id": "2", "group": "GOLD"}"#)?;
/// let err = engine.price(&stranger, &lines[0]).err().ok_or("GOLD is no group")?;
/// match &err.kind {
///     PricingErrorKind::InvalidCustomer { error } => assert_eq!(error.code(), "unknown_group"),
///     other => return Err(format!("another error: {other}").into()),
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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
        /// serde_json's description, listing the expected fields (with
        /// the suggestion, when there is one).
        detail: String,
        /// The field of the order line it most likely means.
        #[serde(skip_serializing_if = "Option::is_none")]
        suggestion: Option<String>,
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
    #[error("{field}: {quantity} is not more than zero")]
    InvalidQuantity {
        /// The field: `quantity`.
        field: String,
        /// The quantity given.
        quantity: String,
    },
    /// A list price below zero.
    #[error("{field}: {list_price} is below zero")]
    NegativeListPrice {
        /// The field: `list_price`.
        field: String,
        /// The list price given.
        list_price: String,
    },
    /// An item group the setup doesn't define.
    #[error("{field}: '{value}' is not defined in the setup")]
    UnknownItemGroup {
        /// The field: `item_group`.
        field: String,
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
    /// Every code, in declaration order (the catalogue, [`all_codes`](crate::all_codes)).
    pub(crate) const VARIANTS: &'static [&'static str] = &[
        "json_syntax",
        "json_unknown_field",
        "json_missing_field",
        "invalid_field",
        "invalid_quantity",
        "negative_list_price",
        "unknown_item_group",
        "amount_overflow",
        "invalid_customer",
    ];

    /// The stable code: the variant's name in snake case, as its JSON
    /// `code` tag.
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

    /// The field the error is about (a JSON path for a line read from
    /// JSON, else the line's field name), when it is about one.
    pub fn field(&self) -> Option<&str> {
        match self {
            PricingErrorKind::JsonUnknownField { field, .. }
            | PricingErrorKind::JsonMissingField { field, .. }
            | PricingErrorKind::InvalidField { field, .. }
            | PricingErrorKind::InvalidQuantity { field, .. }
            | PricingErrorKind::NegativeListPrice { field, .. }
            | PricingErrorKind::UnknownItemGroup { field, .. }
            | PricingErrorKind::AmountOverflow { field } => Some(field),
            PricingErrorKind::JsonSyntax { .. } | PricingErrorKind::InvalidCustomer { .. } => None,
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
            JsonIssue::UnknownField => {
                let suggestion = super::unknown_field_suggestion(&detail, &[]);
                let detail = super::with_suggestion(detail, suggestion.as_deref());
                PricingErrorKind::JsonUnknownField {
                    field,
                    detail,
                    suggestion,
                }
            }
            JsonIssue::MissingField => PricingErrorKind::JsonMissingField { field, detail },
            JsonIssue::InvalidValue => PricingErrorKind::InvalidField { field, detail },
        }
    }
}
