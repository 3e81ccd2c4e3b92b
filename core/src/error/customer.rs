//! Errors of one customer: it can't be read, or doesn't fit the setup.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{ErrorJson, JsonIssue, JsonPosition, tagged_context};

/// A customer that doesn't fit the setup, or a field that can't be read.
///
/// `field` names use the flat names of CSV headers and expressions:
/// `class2`, `group`, `attr.turnover_12m`, `billing_address.country`.
///
/// # Examples
///
/// A customer whose group the setup doesn't define: match on the variant,
/// or log or return its stable `code` and JSON form.
///
/// ```
/// use custclass::{Customer, CustomerError, Engine, ErrorJson, Setup};
///
/// let engine = Engine::new(Setup::standard("NL".to_owned().try_into()?))?;
/// let customer = Customer::from_json(r#"{"id": "10001", "group": "GOLD"}"#)?;
///
/// let err = engine.classify(&customer).err().ok_or("GOLD is no group")?;
/// match &err {
///     CustomerError::UnknownGroup { field, value } => assert_eq!((field.as_str(), value.as_str()), ("group", "GOLD")),
///     other => return Err(format!("another error: {other}").into()),
/// }
/// assert_eq!((err.code(), err.field()), ("unknown_group", Some("group")));
/// assert_eq!(err.to_string(), "group: 'GOLD' is not defined in the setup");
/// assert_eq!(
///     err.to_json().to_string(),
///     r#"{"code":"unknown_group","field":"group","message":"group: 'GOLD' is not defined in the setup","value":"GOLD"}"#
/// );
///
/// // A record that can't be read names the field by its JSON path:
/// let err = Customer::from_json(r#"{"id": "10002", "billing_address": {"country": "XX"}}"#)
///     .err()
///     .ok_or("XX is no country")?;
/// assert_eq!((err.code(), err.field()), ("invalid_field", Some("$.billing_address.country")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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
        /// serde_json's description, listing the expected fields (with
        /// the suggestion, when there is one).
        detail: String,
        /// The field it most likely means, relative to the object it is
        /// in: a close name, or where a field of that name sits one level
        /// down (`billing_address.country` for `country`).
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
    #[error("{field}: '{value}' is not defined in the setup")]
    UnknownType {
        /// The field: `type`.
        field: String,
        /// The code.
        value: String,
    },
    /// A group the setup doesn't define.
    #[error("{field}: '{value}' is not defined in the setup")]
    UnknownGroup {
        /// The field: `group`.
        field: String,
        /// The code.
        value: String,
    },
    /// A price group the setup doesn't define.
    #[error("{field}: '{value}' is not defined in the setup")]
    UnknownPriceGroup {
        /// The field: `price_group`.
        field: String,
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
    #[error("{field}: '{target}' is not a target; use class1..class8, type, group or price_group")]
    UnknownTarget {
        /// The field: `manual`.
        field: String,
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
    /// Every code, in declaration order (the catalogue, [`all_codes`](crate::all_codes)).
    pub(crate) const VARIANTS: &'static [&'static str] = &[
        "json_syntax",
        "json_unknown_field",
        "json_missing_field",
        "invalid_phone",
        "invalid_field",
        "unknown_slot_value",
        "undefined_slot",
        "unknown_type",
        "unknown_group",
        "unknown_price_group",
        "inactive_value",
        "invalid_attribute",
        "unknown_target",
        "group_type_mismatch",
    ];

    /// The stable code: the variant's name in snake case, as its JSON
    /// `code` tag.
    pub fn code(&self) -> &'static str {
        match self {
            CustomerError::JsonSyntax { .. } => "json_syntax",
            CustomerError::JsonUnknownField { .. } => "json_unknown_field",
            CustomerError::JsonMissingField { .. } => "json_missing_field",
            CustomerError::InvalidPhone { .. } => "invalid_phone",
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
            CustomerError::UnknownType { field, .. }
            | CustomerError::UnknownGroup { field, .. }
            | CustomerError::UnknownPriceGroup { field, .. }
            | CustomerError::UnknownTarget { field, .. } => Some(field),
        }
    }

    pub(crate) fn from_json(field: String, err: &serde_json::Error) -> CustomerError {
        CustomerError::from_customer_json(field, err, &[])
    }

    /// [`CustomerError::from_json`] of a customer, whose unknown fields may
    /// be meant for one of `nested`, the paths of fields one object down
    /// (`billing_address.country`).
    pub(crate) fn from_customer_json(
        field: String,
        err: &serde_json::Error,
        nested: &[&str],
    ) -> CustomerError {
        let (issue, detail, JsonPosition { line, column }) = JsonIssue::of(err);
        match issue {
            JsonIssue::Syntax => CustomerError::JsonSyntax {
                detail,
                line,
                column,
            },
            JsonIssue::UnknownField => {
                // The customer object itself has its address fields one
                // level down; other objects are flat.
                let top = detail.contains("`billing_address`");
                let nested = if top { nested } else { &[] };
                let suggestion = super::unknown_field_suggestion(&detail, nested);
                let detail = super::with_suggestion(detail, suggestion.as_deref());
                CustomerError::JsonUnknownField {
                    field,
                    detail,
                    suggestion,
                }
            }
            JsonIssue::MissingField => CustomerError::JsonMissingField { field, detail },
            JsonIssue::InvalidValue => CustomerError::InvalidField { field, detail },
        }
    }
}

error_json!(CustomerError);
