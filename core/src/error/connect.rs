//! Errors of the connectors: a webshop payload that can't be read as the
//! platform's customer, an ERP body that can't be made, a webhook whose
//! signature doesn't hold.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{CustomerError, ErrorJson, tagged_context};

/// Why a connector refused: every variant names the place (a JSON path in
/// the payload, a field of the ERP body, a path in the setup) so a plugin
/// can log what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ConnectError {
    /// The payload is not JSON.
    #[error("{detail} (line {line_number}, column {column})")]
    JsonSyntax {
        /// serde_json's description.
        detail: String,
        /// 1-based line of the payload.
        line_number: usize,
        /// 1-based column.
        column: usize,
    },
    /// The payload is larger than a customer payload can be
    /// ([`limits::MAX_PAYLOAD_BYTES`](crate::limits::MAX_PAYLOAD_BYTES)).
    #[error("the payload has {bytes} bytes; a customer payload has at most {limit}")]
    PayloadTooLarge {
        /// Its size.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// A value of the payload has another JSON type than the platform's
    /// customer has there: not this platform's payload, or not a customer.
    #[error("{path}: expected {expected}, found {found}")]
    WrongShape {
        /// JSON path in the payload (`$.default_address.country_code`).
        path: String,
        /// What the platform puts there ("an object", "a string").
        expected: String,
        /// What the payload has ("a number", "null").
        found: String,
    },
    /// A field every customer of the platform has is missing (`$.id`).
    #[error("{path}: missing; every {platform} customer has it")]
    MissingField {
        /// JSON path in the payload.
        path: String,
        /// The platform (`shopify`, `woocommerce`, `magento`).
        platform: String,
    },
    /// A value of the payload that can't be one of the customer's (an
    /// unknown country code, a currency that isn't one).
    #[error("{path}: {detail}")]
    InvalidField {
        /// JSON path in the payload.
        path: String,
        /// What is wrong.
        detail: String,
    },
    /// The webhook came without its signature header.
    #[error("the webhook has no {header} header; it can't be verified")]
    MissingSignature {
        /// The header (`X-Shopify-Hmac-Sha256`).
        header: String,
    },
    /// The signature is not the body's under the secret: a forged or
    /// altered body, or another secret.
    #[error("the {header} signature does not match the body")]
    InvalidSignature {
        /// The header.
        header: String,
    },
    /// The ERP needs a number or GUID for one of our codes, and the setup's
    /// `erp` section has none.
    #[error("{}: {field} needs {setup_path}, which the setup doesn't map for '{value}'", erp_name(.system))]
    UnmappedValue {
        /// The ERP (`exact`, `economic`, `reviso`).
        system: String,
        /// The field of the ERP's body (`customerGroup`).
        field: String,
        /// Our code that needs a mapping (`EU`).
        value: String,
        /// Where in the setup it belongs (`$.erp.economic.customer_groups`).
        setup_path: String,
    },
    /// The ERP requires a field the customer has no value for.
    #[error("{}: {field} is required, and the customer has no {source_field}", erp_name(.system))]
    MissingValue {
        /// The ERP.
        system: String,
        /// The field of the ERP's body.
        field: String,
        /// The customer field it is made from.
        source_field: String,
    },
    /// A value longer than the ERP takes.
    #[error("{}: {field} takes at most {limit} characters; the customer's has {length}", erp_name(.system))]
    ValueTooLong {
        /// The ERP.
        system: String,
        /// The field of the ERP's body.
        field: String,
        /// Its length in characters (for a number, its digits).
        length: usize,
        /// The ERP's limit.
        limit: usize,
    },
    /// The customer doesn't fit the setup, so it can't be classified.
    #[error("{error}")]
    InvalidCustomer {
        /// The customer's own error.
        error: CustomerError,
    },
}

/// An ERP's name as its users write it (`e-conomic`), for messages; the
/// `system` field keeps the code (`economic`).
pub(crate) fn erp_name(system: &str) -> &str {
    match system {
        "exact" => "Exact Online",
        "economic" => "e-conomic",
        "reviso" => "Reviso",
        other => other,
    }
}

impl ConnectError {
    /// Every code, in declaration order (the catalogue, [`all_codes`](crate::all_codes)).
    pub(crate) const VARIANTS: &'static [&'static str] = &[
        "json_syntax",
        "payload_too_large",
        "wrong_shape",
        "missing_field",
        "invalid_field",
        "missing_signature",
        "invalid_signature",
        "unmapped_value",
        "missing_value",
        "value_too_long",
        "invalid_customer",
    ];

    /// The stable code: the variant's name in snake case, as its JSON
    /// `code` tag.
    pub fn code(&self) -> &'static str {
        match self {
            ConnectError::JsonSyntax { .. } => "json_syntax",
            ConnectError::PayloadTooLarge { .. } => "payload_too_large",
            ConnectError::WrongShape { .. } => "wrong_shape",
            ConnectError::MissingField { .. } => "missing_field",
            ConnectError::InvalidField { .. } => "invalid_field",
            ConnectError::MissingSignature { .. } => "missing_signature",
            ConnectError::InvalidSignature { .. } => "invalid_signature",
            ConnectError::UnmappedValue { .. } => "unmapped_value",
            ConnectError::MissingValue { .. } => "missing_value",
            ConnectError::ValueTooLong { .. } => "value_too_long",
            ConnectError::InvalidCustomer { .. } => "invalid_customer",
        }
    }
}

impl From<CustomerError> for ConnectError {
    fn from(error: CustomerError) -> ConnectError {
        ConnectError::InvalidCustomer { error }
    }
}

impl ErrorJson for ConnectError {
    fn code(&self) -> &'static str {
        self.code()
    }

    fn context(&self) -> Map<String, Value> {
        tagged_context(self)
    }
}
