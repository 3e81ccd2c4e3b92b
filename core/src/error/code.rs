//! A code read from text that isn't one: a country, a currency, a VAT zone,
//! a channel or a target.

use super::CustomerError;

/// Which kind of code a text was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CodeKind {
    /// An ISO 3166-1 alpha-2 country code ([`CountryCode`](crate::CountryCode)).
    Country,
    /// An ISO 4217 currency code ([`CurrencyCode`](crate::CurrencyCode)).
    Currency,
    /// A VAT zone name ([`VatZone`](crate::VatZone)).
    VatZone,
    /// A channel name ([`Channel`](crate::Channel)).
    Channel,
    /// A target name ([`Target`](crate::Target)).
    Target,
}

impl CodeKind {
    /// The customer field such a code is read into, as CSV headers and
    /// expressions name it (`country`, `currency`, `vat_zone`, `channel`,
    /// `manual`).
    pub fn field(self) -> &'static str {
        match self {
            CodeKind::Country => "country",
            CodeKind::Currency => "currency",
            CodeKind::VatZone => "vat_zone",
            CodeKind::Channel => "channel",
            CodeKind::Target => "manual",
        }
    }

    fn expected(self) -> &'static str {
        match self {
            CodeKind::Country => "an ISO 3166-1 alpha-2 country code",
            CodeKind::Currency => "an ISO 4217 currency code",
            CodeKind::VatZone => "a VAT zone; use domestic, eu, abroad or domestic_exempt",
            CodeKind::Channel => "a channel name",
            CodeKind::Target => "a target; use class1..class8, type, group or price_group",
        }
    }
}

/// Text that is not a code of the kind asked for: what `FromStr` and
/// `TryFrom<String>` of [`CountryCode`](crate::CountryCode),
/// [`CurrencyCode`](crate::CurrencyCode), [`VatZone`](crate::VatZone),
/// [`Channel`](crate::Channel) and [`Target`](crate::Target) return.
///
/// A `std::error::Error`, so `?` takes it into `Box<dyn Error>` or
/// `anyhow::Error`; within the crate's catalogue it is a customer's
/// `invalid_field` (`From<CodeError> for CustomerError`).
///
/// ```
/// use custclass::CountryCode;
///
/// let err = "XX".parse::<CountryCode>().unwrap_err();
/// assert_eq!(err.to_string(), "`XX` is not an ISO 3166-1 alpha-2 country code");
/// assert_eq!(custclass::CustomerError::from(err).code(), "invalid_field");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not {}", kind.expected())]
pub struct CodeError {
    kind: CodeKind,
    value: String,
}

impl CodeError {
    pub(crate) fn new(kind: CodeKind, value: impl Into<String>) -> CodeError {
        CodeError {
            kind,
            value: value.into(),
        }
    }

    /// Which kind of code was asked for.
    pub fn kind(&self) -> CodeKind {
        self.kind
    }

    /// The text as given.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl From<CodeError> for CustomerError {
    /// `invalid_field` on the field such a code is read into.
    fn from(err: CodeError) -> CustomerError {
        CustomerError::InvalidField {
            field: err.kind.field().to_owned(),
            detail: err.to_string(),
        }
    }
}
