//! The checked codes and names on a customer record: its number, country,
//! currency, VAT zone and channel, each read from text one way.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::iso;

/// The customer number: the key an ERP shows on every document.
///
/// Kept as text because customer numbers are often zero-padded or prefixed
/// (`"000123"`, `"C-10001"`), and turning them into integers loses that.
///
/// Read from JSON, a blank number (`""`, as an empty form field sends it)
/// is refused: a customer needs one, as a CSV row does.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct CustomerId(pub String);

impl<'de> Deserialize<'de> for CustomerId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let id = String::deserialize(deserializer)?;
        if crate::scalar::is_blank(&id) {
            return Err(serde::de::Error::custom("a customer needs an id"));
        }
        Ok(CustomerId(id))
    }
}

impl fmt::Display for CustomerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An ISO 3166-1 alpha-2 country code, stored upper case.
///
/// Checked when read, so a customer with country `"XX"` is refused at the
/// door with the field's path rather than silently landing in "abroad".
///
/// # Examples
///
/// ```
/// use custclass::CountryCode;
///
/// let home = CountryCode::try_from("nl".to_owned())?;
/// assert_eq!(home.as_str(), "NL");
/// assert!(CountryCode::try_from("XX".to_owned()).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CountryCode(String);

impl CountryCode {
    /// The code as text, e.g. `"NL"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CountryCode {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        let upper = value.trim().to_ascii_uppercase();
        if iso::is_country(&upper) {
            Ok(CountryCode(upper))
        } else {
            Err(format!(
                "`{value}` is not an ISO 3166-1 alpha-2 country code"
            ))
        }
    }
}

impl From<CountryCode> for String {
    fn from(code: CountryCode) -> Self {
        code.0
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An ISO 4217 currency code, stored upper case.
///
/// Four bytes inline (the code and its minor units), so quotes and price
/// rules copy it for free and rounding never looks it up.
///
/// # Examples
///
/// ```
/// use custclass::CurrencyCode;
///
/// let yen = CurrencyCode::try_from("JPY".to_owned())?;
/// assert_eq!((yen.as_str(), yen.minor_units()), ("JPY", 0));
/// assert_eq!(CurrencyCode::try_from("eur".to_owned())?.minor_units(), 2);
/// assert!(CurrencyCode::try_from("EURO".to_owned()).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CurrencyCode {
    code: [u8; 3],
    minor_units: u8,
}

impl CurrencyCode {
    /// The code as text, e.g. `"EUR"`.
    pub fn as_str(&self) -> &str {
        // Only ISO 4217 codes (three ASCII letters) are ever stored.
        std::str::from_utf8(&self.code).unwrap_or_default()
    }

    /// Digits after the decimal point in amounts of this currency (JPY 0,
    /// EUR 2, KWD 3).
    pub fn minor_units(&self) -> u32 {
        u32::from(self.minor_units)
    }
}

impl TryFrom<String> for CurrencyCode {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        let upper = value.trim().to_ascii_uppercase();
        let units = iso::currency_minor_units(&upper).and_then(|u| u8::try_from(u).ok());
        match (<[u8; 3]>::try_from(upper.as_bytes()), units) {
            (Ok(code), Some(minor_units)) => Ok(CurrencyCode { code, minor_units }),
            _ => Err(format!("`{value}` is not an ISO 4217 currency code")),
        }
    }
}

impl From<CurrencyCode> for String {
    fn from(code: CurrencyCode) -> Self {
        code.as_str().to_owned()
    }
}

impl fmt::Display for CurrencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a customer pays VAT: the basis of its receivables account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum VatZone {
    /// Same country as the company.
    Domestic,
    /// Another EU member state on the relevant date.
    Eu,
    /// Anywhere else.
    Abroad,
    /// Home country, but exempt from VAT (never derived, only set by hand).
    DomesticExempt,
}

impl VatZone {
    /// Every zone, in the order the setup file lists them.
    pub const ALL: [VatZone; 4] = [
        VatZone::Domestic,
        VatZone::Eu,
        VatZone::Abroad,
        VatZone::DomesticExempt,
    ];

    /// The zone's name as written in JSON, CSV and expressions.
    pub fn as_str(self) -> &'static str {
        match self {
            VatZone::Domestic => "domestic",
            VatZone::Eu => "eu",
            VatZone::Abroad => "abroad",
            VatZone::DomesticExempt => "domestic_exempt",
        }
    }

    /// Reads a zone name as written in JSON, CSV and expressions.
    pub fn parse(text: &str) -> Option<VatZone> {
        VatZone::ALL.into_iter().find(|zone| zone.as_str() == text)
    }
}

impl fmt::Display for VatZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where the customer came from.
///
/// The five common channels are named; anything else a connector reports is
/// kept verbatim so that rules can still match on it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum Channel {
    /// An online shop (Shopify, WooCommerce, Magento, …).
    Webshop,
    /// Counter sales at a point of sale.
    Pos,
    /// Typed in by staff.
    Manual,
    /// A file import.
    Import,
    /// Created through an API integration.
    Api,
    /// Any other channel name, kept as given.
    Other(String),
}

impl Channel {
    /// The channel's name as written in JSON, CSV and expressions.
    pub fn as_str(&self) -> &str {
        match self {
            Channel::Webshop => "webshop",
            Channel::Pos => "pos",
            Channel::Manual => "manual",
            Channel::Import => "import",
            Channel::Api => "api",
            Channel::Other(name) => name,
        }
    }
}

impl From<String> for Channel {
    fn from(name: String) -> Self {
        match name.trim().to_ascii_lowercase().as_str() {
            "webshop" => Channel::Webshop,
            "pos" => Channel::Pos,
            "manual" => Channel::Manual,
            "import" => Channel::Import,
            "api" => Channel::Api,
            _ => Channel::Other(name),
        }
    }
}

impl From<Channel> for String {
    fn from(channel: Channel) -> Self {
        match channel {
            Channel::Other(name) => name,
            known => known.as_str().to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_is_checked_and_upper_cased() {
        let customer: crate::Customer =
            serde_json::from_str(r#"{"id": "1", "billing_address": {"country": "dk"}}"#).unwrap();
        assert_eq!(customer.country().map(CountryCode::as_str), Some("DK"));
        let err = serde_json::from_str::<crate::Customer>(
            r#"{"id": "1", "billing_address": {"country": "XX"}}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("ISO 3166-1"), "{err}");
    }

    #[test]
    fn channel_names() {
        assert_eq!(Channel::from("WebShop".to_owned()), Channel::Webshop);
        assert_eq!(
            Channel::from("b2b-portal".to_owned()),
            Channel::Other("b2b-portal".into())
        );
    }
}
