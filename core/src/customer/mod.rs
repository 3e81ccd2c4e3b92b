//! The customer record as ERP, workshop and webshop systems keep it.
//!
//! A [`Customer`] is plain data: it is read from JSON or CSV, handed to an
//! [`Engine`](crate::Engine) and never changed by it. Everything the engine
//! decides comes back separately as a [`Classification`](crate::Classification),
//! so the record a user typed and the values a rule chose never blur.

mod codes;
pub(crate) mod fields;
#[cfg(test)]
mod typescript;

pub use codes::{Channel, CountryCode, CurrencyCode, CustomerId, OtherChannel, VatZone};

use std::collections::BTreeMap;
use std::fmt;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{CustomerError, json_path};
use crate::scalar::{
    self, deserialize_coded, deserialize_day, deserialize_decimal, deserialize_text, non_blank,
};

/// A postal address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Address {
    /// Street and house number.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub street: Option<String>,
    /// Postcode as written locally (`"1234 AB"`, `"SW1A 1AA"`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub postcode: Option<String>,
    /// City.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub city: Option<String>,
    /// Country; decides the VAT zone unless one is set by hand.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_coded"
    )]
    pub country: Option<CountryCode>,
}

impl Address {
    fn is_empty(&self) -> bool {
        *self == Address::default()
    }
}

/// Where each kind of document goes when it should not go to the main email.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct DocumentEmails {
    /// Quotes.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub quote: Option<String>,
    /// Order confirmations.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub order: Option<String>,
    /// Invoices.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub invoice: Option<String>,
    /// Credit notes.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub credit_note: Option<String>,
    /// Account statements and reminders.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub statement: Option<String>,
}

impl DocumentEmails {
    fn is_empty(&self) -> bool {
        *self == DocumentEmails::default()
    }
}

/// The eight classification slots of one customer: a code or nothing in each.
///
/// In JSON this is an object keyed `class1` … `class8` holding only the slots
/// that have a value, the same names the expression language and CSV use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Classes(pub [Option<String>; 8]);

impl Classes {
    /// The code in slot `slot` (1..=8), if any.
    pub fn get(&self, slot: usize) -> Option<&str> {
        self.0.get(slot.wrapping_sub(1))?.as_deref()
    }

    /// Puts `code` into slot `slot` (1..=8).
    ///
    /// # Errors
    ///
    /// `invalid_field` (field `class<slot>`) for a slot number outside
    /// 1..=8; the slots are left as they were.
    ///
    /// ```
    /// let mut classes = custclass::Classes::default();
    /// classes.set(2, Some("EU".into()))?;
    /// assert_eq!(classes.get(2), Some("EU"));
    /// let err = classes.set(9, Some("EU".into())).unwrap_err();
    /// assert_eq!(err.code(), "invalid_field");
    /// assert_eq!(err.field(), Some("class9"));
    /// # Ok::<(), custclass::CustomerError>(())
    /// ```
    pub fn set(&mut self, slot: usize, code: Option<String>) -> Result<(), CustomerError> {
        match self.0.get_mut(slot.wrapping_sub(1)) {
            Some(place) => {
                *place = code;
                Ok(())
            }
            None => Err(CustomerError::InvalidField {
                field: format!("class{slot}"),
                detail: format!("there is no slot {slot}; slots are 1 to 8"),
            }),
        }
    }

    fn is_empty(&self) -> bool {
        self.0.iter().all(Option::is_none)
    }
}

/// Reads `class3` as 3; anything else is not a slot key.
pub(crate) fn slot_number(key: &str) -> Option<usize> {
    let digits = key.strip_prefix("class")?;
    match digits.parse::<usize>() {
        Ok(slot @ 1..=8) if digits.len() == 1 => Some(slot),
        _ => None,
    }
}

impl Serialize for Classes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let present: BTreeMap<String, &String> = (1..=8)
            .zip(self.0.iter())
            .filter_map(|(slot, code)| Some((format!("class{slot}"), code.as_ref()?)))
            .collect();
        present.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Classes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ClassesVisitor;

        impl<'de> Visitor<'de> for ClassesVisitor {
            type Value = Classes;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object with keys class1 to class8")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Classes, A::Error> {
                let mut classes = Classes::default();
                while let Some(key) = map.next_key::<String>()? {
                    let slot = slot_number(&key).ok_or_else(|| {
                        de::Error::custom(format!(
                            "unknown field `{key}`, expected class1 to class8"
                        ))
                    })?;
                    classes
                        .set(slot, non_blank(map.next_value::<Option<String>>()?))
                        .map_err(de::Error::custom)?;
                }
                Ok(classes)
            }
        }

        deserializer.deserialize_map(ClassesVisitor)
    }
}

/// A free-form attribute value, e.g. `turnover_12m` or `loyalty_card`.
///
/// Whether an attribute is a number is declared once in the
/// [`Setup`](crate::Setup); a text value of a numeric attribute (as CSV gives
/// it) is read as a decimal by the engine, and refused if it is not one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttrValue {
    /// A decimal number, exact.
    Number(Decimal),
    /// Text.
    Text(String),
}

impl Serialize for AttrValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            AttrValue::Number(number) => Serialize::serialize(number, serializer),
            AttrValue::Text(text) => text.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for AttrValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match scalar::Scalar::deserialize(deserializer)? {
            scalar::Scalar::Text(text) => Ok(AttrValue::Text(text)),
            scalar::Scalar::Number(text) => scalar::json_decimal(&text)
                .map(AttrValue::Number)
                .map_err(|why| {
                    de::Error::custom(why.message(&text, || {
                        format!("`{text}` is not a decimal number of at most 28 significant digits")
                    }))
                }),
            scalar::Scalar::Null => Err(de::Error::custom(
                "expected a number or a string, found null",
            )),
            scalar::Scalar::Other(json) => Err(de::Error::custom(format!(
                "expected a number or a string, found {json}"
            ))),
        }
    }
}

fn deserialize_attributes<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, AttrValue>, D::Error> {
    let mut attributes = BTreeMap::<String, AttrValue>::deserialize(deserializer)?;
    attributes.retain(|_, value| !matches!(value, AttrValue::Text(text) if scalar::is_blank(text)));
    Ok(attributes)
}

fn deserialize_manual<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    let mut manual = Vec::<String>::deserialize(deserializer)?;
    manual.retain(|target| !scalar::is_blank(target));
    Ok(manual)
}

/// One customer's master data.
///
/// Every field but `id` may be missing. Values of `classes`, `type`, `group`
/// and `price_group` present on a new customer count as set by hand: the
/// engine keeps them unless a rule with `override` says otherwise.
///
/// # Examples
///
/// ```
/// let customer: custclass::Customer = serde_json::from_str(r#"{
///     "id": "10001",
///     "name": "Garage De Vries B.V.",
///     "billing_address": {"city": "Utrecht", "country": "NL"},
///     "channel": "webshop",
///     "connector": "shopify"
/// }"#).unwrap();
/// assert_eq!(customer.country().map(|c| c.as_str()), Some("NL"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Customer {
    /// The customer number.
    pub id: CustomerId,
    /// Company or person name.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub name: Option<String>,
    /// Contact person ("attn.").
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub attention: Option<String>,
    /// Main email address.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub email: Option<String>,
    /// Addresses per document type.
    #[serde(default, skip_serializing_if = "DocumentEmails::is_empty")]
    pub document_emails: DocumentEmails,
    /// Billing address; its country decides the VAT zone.
    #[serde(default, skip_serializing_if = "Address::is_empty")]
    pub billing_address: Address,
    /// Delivery address, when it differs from the billing address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_address: Option<Address>,
    /// Main phone number (E.164).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub phone: Option<String>,
    /// Second phone number (E.164).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub phone2: Option<String>,
    /// Mobile number (E.164).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub mobile: Option<String>,
    /// Fax number (E.164).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub fax: Option<String>,
    /// VAT registration number; its presence makes the customer B2B.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub vat_number: Option<String>,
    /// GLN / EAN-13 of the customer's location.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub ean: Option<String>,
    /// Invoice currency.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_coded"
    )]
    pub currency: Option<CurrencyCode>,
    /// VAT zone set by hand; derived from the country when missing.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_coded"
    )]
    pub vat_zone: Option<VatZone>,
    /// Payment terms code (`"NET30"`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub payment_terms: Option<String>,
    /// Credit limit in the customer's currency.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_decimal"
    )]
    pub credit_limit: Option<Decimal>,
    /// Where the customer came from.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_coded"
    )]
    pub channel: Option<Channel>,
    /// Which integration created it (`"shopify"`, `"woocommerce"`, …).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub connector: Option<String>,
    /// The customer's id in the system it came from (a webshop's customer
    /// id), so an update from there finds this record.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub external_id: Option<String>,
    /// Marketing: sector.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub sector: Option<String>,
    /// Marketing: subsector.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub subsector: Option<String>,
    /// Marketing: company size band.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub company_size: Option<String>,
    /// Marketing: business type.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub business_type: Option<String>,
    /// Marketing: how the customer found the company.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub source: Option<String>,
    /// Classification slots 1..8.
    #[serde(default, skip_serializing_if = "Classes::is_empty")]
    pub classes: Classes,
    /// Customer type code.
    #[serde(
        rename = "type",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub customer_type: Option<String>,
    /// Customer group code.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub group: Option<String>,
    /// Price group code, overriding the group's default price group.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub price_group: Option<String>,
    /// Receivables account overriding the group's.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub receivables_account: Option<String>,
    /// Revenue account overriding the group's.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_text"
    )]
    pub revenue_account: Option<String>,
    /// The day the customer was created; date-dependent facts (EU membership)
    /// are judged as of this day.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "deserialize_day"
    )]
    pub created_at: Option<Date>,
    /// Free-form attributes (`turnover_12m`, …); one given as blank text
    /// is left out.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "deserialize_attributes"
    )]
    pub attributes: BTreeMap<String, AttrValue>,
    /// Targets whose stored value was set by hand (`"group"`, `"class2"`):
    /// [`Engine::reclassify`](crate::Engine::reclassify) keeps those and
    /// recomputes the rest.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "deserialize_manual"
    )]
    pub manual: Vec<String>,
    /// Set once personal data has been erased.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub anonymised: bool,
}

impl Customer {
    /// A customer with only an id, for building one field by field.
    pub fn new(id: impl Into<String>) -> Customer {
        Customer {
            id: CustomerId(id.into()),
            ..Customer::default()
        }
    }

    /// Reads a JSON array of customers, as hosts pass a list of them.
    ///
    /// # Errors
    ///
    /// As [`Customer::from_json`], the path naming the customer's place in
    /// the list (`$[3].billing_address.country`).
    pub fn list_from_json(json: &str) -> Result<Vec<Customer>, CustomerError> {
        let deserializer = &mut serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize(deserializer).map_err(|err| {
            let nested: Vec<&str> = fields::nested_paths().collect();
            CustomerError::from_customer_json(json_path(err.path()), err.inner(), &nested)
        })
    }

    /// Reads a customer from JSON.
    ///
    /// # Errors
    ///
    /// A [`CustomerError`] naming the field's JSON path: `json_syntax`,
    /// `json_unknown_field`, `json_missing_field` or `invalid_field`.
    pub fn from_json(json: &str) -> Result<Customer, CustomerError> {
        let deserializer = &mut serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize(deserializer).map_err(|err| {
            let nested: Vec<&str> = fields::nested_paths().collect();
            CustomerError::from_customer_json(json_path(err.path()), err.inner(), &nested)
        })
    }

    /// The billing country.
    pub fn country(&self) -> Option<&CountryCode> {
        self.billing_address.country.as_ref()
    }

    /// B2B when the customer's VAT number passes the offline check for its
    /// country ([`Customer::vat_valid`]), B2C otherwise: a shopper who types
    /// anything into a VAT field is not a business with trade prices.
    pub fn is_b2b(&self) -> bool {
        self.vat_valid() == Some(true)
    }

    /// Whether the VAT number passes the offline check for its country (the
    /// prefix's, or the billing country's for a number without one):
    /// format and check digits of every EU member state, Northern Ireland
    /// (`XI`), the United Kingdom, Switzerland (`CHE…MWST`) and Norway
    /// (`…MVA`). `None` without a number, and for a number without a prefix
    /// of a customer elsewhere (there is no rule to check it by). A valid
    /// number of another country than the billing address passes;
    /// [`Customer::check`] points the mismatch out.
    ///
    /// ```
    /// use custclass::Customer;
    ///
    /// let mut customer = Customer::from_json(r#"{"id": "7", "billing_address": {"country": "BE"}}"#)?;
    /// assert_eq!(customer.vat_valid(), None);
    /// customer.vat_number = Some("BE 0403.019.261".into());
    /// assert_eq!(customer.vat_valid(), Some(true));
    /// customer.vat_number = Some("123".into());
    /// assert_eq!(customer.vat_valid(), Some(false));
    /// assert!(!customer.is_b2b());
    /// # Ok::<(), custclass::CustomerError>(())
    /// ```
    pub fn vat_valid(&self) -> Option<bool> {
        let country = self.country().map(CountryCode::as_str);
        crate::vat::passes(self.vat_number.as_deref()?, country)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_read_and_write_slot_keys() {
        let classes: Classes =
            serde_json::from_str(r#"{"class1": "EU", "class8": "X", "class3": null}"#).unwrap();
        assert_eq!(classes.get(1), Some("EU"));
        assert_eq!(classes.get(8), Some("X"));
        assert_eq!(classes.get(3), None);
        assert_eq!(
            serde_json::to_string(&classes).unwrap(),
            r#"{"class1":"EU","class8":"X"}"#
        );
        let err = serde_json::from_str::<Classes>(r#"{"class9": "EU"}"#).unwrap_err();
        assert!(err.to_string().contains("class9"), "{err}");
    }

    #[test]
    fn numbers_stay_exact() {
        let customer: Customer = serde_json::from_str(
            r#"{"id": "1", "credit_limit": 12345678901234567890.12,
                "attributes": {"turnover_12m": 0.1, "card": "A7"}}"#,
        )
        .unwrap();
        assert_eq!(
            customer.credit_limit,
            Some("12345678901234567890.12".parse().unwrap())
        );
        assert_eq!(
            customer.attributes["turnover_12m"],
            AttrValue::Number("0.1".parse().unwrap())
        );
        assert_eq!(customer.attributes["card"], AttrValue::Text("A7".into()));
    }

    #[test]
    fn decimals_are_accepted_as_strings() {
        let customer: Customer =
            serde_json::from_str(r#"{"id": "1", "credit_limit": "5000.00"}"#).unwrap();
        assert_eq!(customer.credit_limit, Some("5000.00".parse().unwrap()));
    }

    #[test]
    fn unknown_fields_are_refused() {
        let err = serde_json::from_str::<Customer>(r#"{"id": "1", "nmae": "x"}"#).unwrap_err();
        assert!(err.to_string().contains("unknown field `nmae`"), "{err}");
    }

    #[test]
    fn a_slot_outside_one_to_eight_is_an_error() {
        let mut classes = Classes::default();
        classes.set(8, Some("X".into())).unwrap();
        for slot in [0, 9, usize::MAX] {
            let err = classes.set(slot, Some("EU".into())).unwrap_err();
            assert_eq!(err.code(), "invalid_field");
            assert_eq!(err.field(), Some(format!("class{slot}").as_str()));
        }
        assert_eq!(classes.get(8), Some("X"));
        assert_eq!(classes.0.iter().flatten().count(), 1);
    }
}
