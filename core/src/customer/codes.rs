//! The checked codes and names on a customer record: its number, country,
//! currency, VAT zone and channel, each read from text one way.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{CodeError, CodeKind};
use crate::iso;

/// The customer number: the key an ERP shows on every document.
///
/// Kept as text because customer numbers are often zero-padded or prefixed
/// (`"000123"`, `"C-10001"`), and turning them into integers loses that.
///
/// Read from JSON, a blank number (`""`, as an empty form field sends it)
/// is refused: a customer needs one, as a CSV row does. A whole number
/// (`10001`) is read as its decimal text, as the CSV and Arrow readers
/// read one; a fraction or a boolean is refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct CustomerId(pub String);

impl<'de> Deserialize<'de> for CustomerId {
    /// Text, or a whole number written in decimal (`10001` reads as
    /// `"10001"`), as CSV and Arrow take integer ids: systems that keep
    /// customer numbers as integers send them as JSON numbers. A number with
    /// a fraction or an exponent, a boolean, blank text and anything else
    /// are refused.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use crate::scalar::Scalar;
        use serde::de::Error;
        let id = match Scalar::deserialize(deserializer)? {
            Scalar::Text(id) => id,
            Scalar::Number(text) => {
                // The number's text as written (JSON's own, not a float's).
                let digits = text.strip_prefix('-').unwrap_or(&text);
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(D::Error::custom(format!(
                        "a customer id given as a number must be a whole number, not `{text}`; \
                         give it as text to keep it as written"
                    )));
                }
                text
            }
            Scalar::Null => {
                return Err(D::Error::custom(
                    "expected a customer id (text or a whole number), found null",
                ));
            }
            Scalar::Other(json) => {
                return Err(D::Error::custom(format!(
                    "expected a customer id (text or a whole number), found {}",
                    crate::scalar::quoted(&json)
                )));
            }
        };
        if crate::scalar::is_blank(&id) {
            return Err(D::Error::custom("a customer needs an id"));
        }
        Ok(CustomerId(id))
    }
}

impl CustomerId {
    /// The number as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for CustomerId {
    fn from(id: String) -> Self {
        CustomerId(id)
    }
}

impl From<&str> for CustomerId {
    fn from(id: &str) -> Self {
        CustomerId(id.to_owned())
    }
}

impl From<CustomerId> for String {
    fn from(id: CustomerId) -> Self {
        id.0
    }
}

impl AsRef<str> for CustomerId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for CustomerId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CustomerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

crate::text_newtype::compares_as_text!(CustomerId, CountryCode, CurrencyCode);

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
    type Error = CodeError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl TryFrom<&str> for CountryCode {
    type Error = CodeError;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl FromStr for CountryCode {
    type Err = CodeError;

    /// Any case, blanks around ignored: `" nl"` reads as `NL`.
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let upper = value.trim().to_ascii_uppercase();
        if iso::is_country(&upper) {
            Ok(CountryCode(upper))
        } else {
            Err(CodeError::new(CodeKind::Country, value))
        }
    }
}

impl AsRef<str> for CountryCode {
    fn as_ref(&self) -> &str {
        &self.0
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
    type Error = CodeError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl TryFrom<&str> for CurrencyCode {
    type Error = CodeError;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl FromStr for CurrencyCode {
    type Err = CodeError;

    /// Any case, blanks around ignored: `"eur"` reads as `EUR`.
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let upper = value.trim().to_ascii_uppercase();
        let units = iso::currency_minor_units(&upper).and_then(|u| u8::try_from(u).ok());
        match (<[u8; 3]>::try_from(upper.as_bytes()), units) {
            (Ok(code), Some(minor_units)) => Ok(CurrencyCode { code, minor_units }),
            _ => Err(CodeError::new(CodeKind::Currency, value)),
        }
    }
}

impl AsRef<str> for CurrencyCode {
    fn as_ref(&self) -> &str {
        self.as_str()
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
#[non_exhaustive]
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

impl FromStr for VatZone {
    type Err = CodeError;

    /// The name exactly as [`VatZone::as_str`] writes it.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        VatZone::parse(text).ok_or_else(|| CodeError::new(CodeKind::VatZone, text))
    }
}

impl AsRef<str> for VatZone {
    fn as_ref(&self) -> &str {
        self.as_str()
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
/// kept verbatim so that rules can still match on it. However a channel is
/// made (JSON, CSV, Arrow, `From`, `parse`), its name goes through one
/// normalisation: a known name in any case, blanks around ignored, is its
/// variant, so `Channel::from("Webshop") == Channel::Webshop`. An
/// [`OtherChannel`] can't be built any other way, so it is never a known
/// name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
#[non_exhaustive]
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
    Other(OtherChannel),
}

/// A channel name that is none of the named [`Channel`]s, kept as given.
/// Made only by [`Channel`]'s normalisation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OtherChannel(String);

impl OtherChannel {
    /// The name as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for OtherChannel {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OtherChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
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
            Channel::Other(name) => name.as_str(),
        }
    }

    /// The one normalisation every way of making a channel goes through.
    fn normalise(name: String) -> Channel {
        match name.trim().to_ascii_lowercase().as_str() {
            "webshop" => Channel::Webshop,
            "pos" => Channel::Pos,
            "manual" => Channel::Manual,
            "import" => Channel::Import,
            "api" => Channel::Api,
            _ => Channel::Other(OtherChannel(name)),
        }
    }
}

impl From<String> for Channel {
    fn from(name: String) -> Self {
        Channel::normalise(name)
    }
}

impl From<&str> for Channel {
    fn from(name: &str) -> Self {
        Channel::normalise(name.to_owned())
    }
}

impl FromStr for Channel {
    type Err = CodeError;

    /// As `From<&str>`, but blank text, which readers take as no channel,
    /// is an error.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        if crate::scalar::is_blank(name) {
            return Err(CodeError::new(CodeKind::Channel, name));
        }
        Ok(Channel::normalise(name.to_owned()))
    }
}

impl From<Channel> for String {
    fn from(channel: Channel) -> Self {
        match channel {
            Channel::Other(name) => name.0,
            known => known.as_str().to_owned(),
        }
    }
}

impl AsRef<str> for Channel {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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
            Channel::Other(OtherChannel("b2b-portal".into()))
        );
    }

    #[test]
    fn codes_parse_and_print_back() {
        let country: CountryCode = " nl".parse().unwrap();
        assert_eq!(country, "NL");
        assert_eq!(country.to_string().parse::<CountryCode>().unwrap(), country);
        assert_eq!(CountryCode::try_from("de").unwrap().as_ref(), "DE");
        let currency: CurrencyCode = "eur".parse().unwrap();
        assert_eq!(currency, "EUR");
        assert_eq!(
            currency.to_string().parse::<CurrencyCode>().unwrap(),
            currency
        );
        for zone in VatZone::ALL {
            assert_eq!(zone.to_string().parse::<VatZone>().unwrap(), zone);
        }
        for target in crate::Target::ALL {
            assert_eq!(target.to_string().parse::<crate::Target>().unwrap(), target);
        }
        for name in ["webshop", "pos", "manual", "import", "api", "b2b-portal"] {
            let channel: Channel = name.parse().unwrap();
            assert_eq!(channel.to_string(), name);
            assert_eq!(channel.to_string().parse::<Channel>().unwrap(), channel);
        }
    }

    #[test]
    fn a_bad_code_is_an_error_with_a_message() {
        let err = "XX".parse::<CountryCode>().unwrap_err();
        assert_eq!(err.kind(), CodeKind::Country);
        assert_eq!(err.value(), "XX");
        assert_eq!(
            err.to_string(),
            "`XX` is not an ISO 3166-1 alpha-2 country code"
        );
        assert_eq!(
            "EU".parse::<CurrencyCode>().unwrap_err().to_string(),
            "`EU` is not an ISO 4217 currency code"
        );
        assert_eq!(
            "home".parse::<VatZone>().unwrap_err().to_string(),
            "`home` is not a VAT zone; use domestic, eu, abroad or domestic_exempt"
        );
        assert_eq!(
            "class9".parse::<crate::Target>().unwrap_err().kind(),
            CodeKind::Target
        );
        assert_eq!(
            " ".parse::<Channel>().unwrap_err().kind(),
            CodeKind::Channel
        );
        let err = crate::CustomerError::from("XX".parse::<CountryCode>().unwrap_err());
        assert_eq!(err.code(), "invalid_field");
        assert_eq!(err.field(), Some("country"));
    }

    #[test]
    fn a_bad_code_goes_through_question_marks() {
        fn boxed() -> Result<crate::Setup, Box<dyn std::error::Error>> {
            Ok(crate::Setup::standard("XX".to_owned().try_into()?))
        }
        // What `anyhow::Error: From<E>` asks of an error.
        fn anyhow_like<E: std::error::Error + Send + Sync + 'static>(err: E) -> String {
            err.to_string()
        }
        fn customer() -> Result<CountryCode, crate::CustomerError> {
            Ok("XX".parse::<CountryCode>()?)
        }
        assert!(boxed().unwrap_err().to_string().contains("ISO 3166-1"));
        let err = "XXX".parse::<CurrencyCode>().unwrap_err();
        assert!(anyhow_like(err).contains("ISO 4217"));
        assert_eq!(customer().unwrap_err().code(), "invalid_field");
    }

    #[test]
    fn channel_names_are_normalised_however_made() {
        for name in ["Webshop", " WEBSHOP ", "webshop"] {
            assert_eq!(Channel::from(name), Channel::Webshop);
            assert_eq!(Channel::from(name.to_owned()), Channel::Webshop);
            assert_eq!(name.parse::<Channel>().unwrap(), Channel::Webshop);
            let customer =
                crate::Customer::from_json(&format!(r#"{{"id": "1", "channel": "{name}"}}"#))
                    .unwrap();
            assert_eq!(customer.channel, Some(Channel::Webshop));
        }
        let csv = "id,channel\n1,Webshop\n2,B2B-Portal\n";
        let rows: Vec<_> = crate::customer_file::CsvCustomers::new(csv.as_bytes())
            .unwrap()
            .map(|(_, row)| row.unwrap().channel)
            .collect();
        assert_eq!(
            rows,
            [Some(Channel::Webshop), Some(Channel::from("B2B-Portal"))]
        );
        let Channel::Other(other) = Channel::from("B2B-Portal") else {
            panic!("not another channel")
        };
        assert_eq!(other.as_str(), "B2B-Portal");
        assert_eq!(Channel::Webshop.to_string(), "webshop");
    }

    #[test]
    fn ids_compare_with_text() {
        let id = CustomerId::from("C-1");
        assert_eq!(id, "C-1");
        assert_eq!(id, *"C-1");
        assert!("C-1" == id);
        assert_eq!(id.as_str(), "C-1");
        assert_eq!(String::from(id), "C-1");
    }

    #[test]
    fn a_whole_number_id_is_read_as_text() {
        let read = |json: &str| crate::Customer::from_json(json).map(|c| c.id);
        assert_eq!(read(r#"{"id": 10001}"#).unwrap(), "10001");
        assert_eq!(read(r#"{"id": -7}"#).unwrap(), "-7");
        assert_eq!(
            read(r#"{"id": 123456789012345678901234567890}"#).unwrap(),
            "123456789012345678901234567890"
        );
        for (json, says) in [
            (r#"{"id": 10001.5}"#, "whole number, not `10001.5`"),
            (r#"{"id": 1e3}"#, "must be a whole number"),
            (r#"{"id": true}"#, "found true"),
            (r#"{"id": null}"#, "found null"),
            (r#"{"id": ""}"#, "needs an id"),
            (r#"{"id": " "}"#, "needs an id"),
        ] {
            let err = read(json).unwrap_err();
            assert_eq!(err.code(), "invalid_field", "{json}");
            assert_eq!(err.field(), Some("$.id"), "{json}");
            assert!(err.to_string().contains(says), "{json}: {err}");
        }
        // An object given as the id is quoted short, however large.
        let huge = format!(r#"{{"id": {{"a": "{}"}}}}"#, "x".repeat(1_000_000));
        let err = read(&huge).unwrap_err();
        assert!(err.to_string().len() < 200, "{}", err.to_string().len());
        let list = crate::Customer::list_from_json(r#"[{"id": 1}, {"id": 2.5}]"#).unwrap_err();
        assert_eq!(list.field(), Some("$[1].id"));
    }

    #[test]
    fn a_blank_id_in_a_file_is_a_row_problem() {
        let csv = "id,name\n  ,Ada\n2,Bob\n";
        let rows: Vec<_> = crate::customer_file::CsvCustomers::new(csv.as_bytes())
            .unwrap()
            .collect();
        let problems = rows.first().unwrap().1.as_ref().unwrap_err();
        let problem = problems.first().unwrap();
        assert_eq!(
            (
                problem.code.as_str(),
                problem.column.as_deref(),
                problem.line
            ),
            ("invalid_field", Some("id"), Some(2))
        );
        assert!(rows.get(1).unwrap().1.is_ok());
        let lines = "{\"id\": \"\", \"name\": \"Ada\"}\n{\"id\": 2}\n";
        let rows: Vec<_> =
            crate::customer_file::JsonLinesCustomers::new(lines.as_bytes()).collect();
        let problems = rows.first().unwrap().1.as_ref().unwrap_err();
        assert_eq!(problems.first().unwrap().code, "invalid_field");
        assert_eq!(rows.get(1).unwrap().1.as_ref().unwrap().id, "2");
    }
}
