//! Webshop customers in: Shopify, WooCommerce and Magento payloads read
//! into a [`Customer`], with the master-data findings beside it.
//!
//! Each platform is one profile (`shopify/2025-01`, `woocommerce/wc-v3`,
//! `magento/2`) in a module of its own; what they share is here: the
//! options, the answer, and the rules every profile follows. A value of the
//! wrong JSON type, a missing id, an unknown country or currency are
//! errors naming the payload's path (the plugin sent something else than it
//! thinks); what the customer typed (an e-mail, a phone, a VAT number) is
//! kept as sent and judged by [`Customer::check`], as findings.

mod json;
mod magento;
mod shopify;
mod woocommerce;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::customer::{Address, Channel, CountryCode, CurrencyCode, Customer, CustomerId};
use crate::error::ConnectError;
use crate::masterdata::Finding;

pub use magento::from_magento;
pub use shopify::from_shopify;
pub use woocommerce::from_woocommerce;

/// A webshop customer as read from its platform's payload.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Imported {
    /// The customer: channel `webshop`, connector the platform, the
    /// platform's id as `external_id`.
    pub customer: Customer,
    /// What the master-data checks find on it ([`Customer::check`]): the
    /// payload's values are kept as sent, not corrected behind the shop's back.
    pub findings: Vec<Finding>,
    /// The profile that read it (`shopify/2025-01`).
    pub profile: &'static str,
}

/// The `meta_data` keys a WooCommerce customer's VAT number is looked for
/// under when the options name none, in this order: `vat_number` (the user
/// meta of Aelia's EU VAT Assistant, Simple EU VAT Number, EU VAT Guard),
/// `billing_vat_number` (checkout field plugins that file it with the
/// billing address), `billing_eu_vat_number` (WPFactory's EU/UK VAT for
/// WooCommerce), `billing_vat_id` (Germanized Pro), and each with the
/// leading underscore WordPress gives protected meta (`_vat_number` of
/// WooCommerce's own EU VAT Number extension, `_billing_eu_vat_number`).
const DEFAULT_VAT_META_KEYS: [&str; 8] = [
    "vat_number",
    "_vat_number",
    "billing_vat_number",
    "_billing_vat_number",
    "billing_eu_vat_number",
    "_billing_eu_vat_number",
    "billing_vat_id",
    "_billing_vat_id",
];

/// How a payload becomes a customer, beyond what the platform's profile says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ImportOptions {
    /// The customer number to give it; the platform's id when missing.
    #[serde(default)]
    pub id: Option<String>,
    /// WooCommerce: the `meta_data` keys that may hold the VAT number, in
    /// order of preference. Missing: the keys the common EU VAT plugins
    /// use, `vat_number`, `billing_vat_number`, `billing_eu_vat_number`
    /// and `billing_vat_id`, each also with a leading underscore.
    #[serde(default)]
    pub vat_meta_keys: Option<Vec<String>>,
}

impl ImportOptions {
    /// Options from their JSON form (`{"id": "C-1", "vat_meta_keys": [...]}`).
    /// A blank `id` is none; `null` for either is the default.
    ///
    /// # Errors
    ///
    /// `json_syntax`, or `invalid_field` naming the option: an unknown
    /// option, a value of the wrong type, a blank meta key.
    ///
    /// ```
    /// use custclass::ImportOptions;
    ///
    /// let options = ImportOptions::from_json(r#"{"id": "C-1", "vat_meta_keys": ["tax_id"]}"#)?;
    /// assert_eq!(options.id.as_deref(), Some("C-1"));
    /// let err = ImportOptions::from_json(r#"{"vat_keys": []}"#).unwrap_err();
    /// assert_eq!(err.code(), "invalid_field");
    /// # Ok::<(), custclass::ConnectError>(())
    /// ```
    pub fn from_json(text: &str) -> Result<ImportOptions, ConnectError> {
        let invalid = |error: ConnectError| match error {
            ConnectError::WrongShape {
                path,
                expected,
                found,
            } => ConnectError::InvalidField {
                path,
                detail: format!("expected {expected}, found {found}"),
            },
            other => other,
        };
        let object = json::payload(text).map_err(invalid)?;
        let mut options = ImportOptions::default();
        for key in object.keys() {
            match key {
                "id" => options.id = object.text("id").map_err(invalid)?,
                "vat_meta_keys" => {
                    let Some(list) = object.get(key) else {
                        continue;
                    };
                    if list.is_null() {
                        continue;
                    }
                    let mut keys = Vec::new();
                    for item in list.array().map_err(invalid)? {
                        match item.text().map_err(invalid)? {
                            Some(key) => keys.push(key),
                            None => {
                                return Err(ConnectError::InvalidField {
                                    path: item.path,
                                    detail: "a meta key can't be blank".to_owned(),
                                });
                            }
                        }
                    }
                    options.vat_meta_keys = Some(keys);
                }
                other => {
                    return Err(ConnectError::InvalidField {
                        path: object.path_of(other),
                        detail: format!(
                            "unknown option `{other}`; the options are `id` and `vat_meta_keys`"
                        ),
                    });
                }
            }
        }
        Ok(options)
    }
}

/// A field another platform's customer has and this one's never does, or
/// that only an order or an envelope has: `(key, what it is a field of)`.
type Foreign = (&'static str, &'static str);

/// Refuses a payload of another platform, or one that is not a customer
/// (an order has the same `id` and `email`, and would otherwise become a
/// customer numbered after the order).
fn refuse_foreign(
    payload: &json::Object<'_>,
    platform: &str,
    foreign: &[Foreign],
) -> Result<(), ConnectError> {
    match foreign.iter().find(|(key, _)| payload.has(key)) {
        Some((key, whose)) => Err(ConnectError::WrongShape {
            path: payload.path_of(key),
            expected: format!("no such field in a {platform} customer"),
            found: format!("a field of {whose}"),
        }),
        None => Ok(()),
    }
}

/// The platform's id, required.
fn platform_id(payload: &json::Object<'_>, platform: &str) -> Result<String, ConnectError> {
    payload.id("id")?.ok_or_else(|| ConnectError::MissingField {
        path: payload.path_of("id"),
        platform: platform.to_owned(),
    })
}

/// A country code of the payload; an unknown one is refused, as the
/// customer readers refuse one: it would silently become "abroad".
fn country(object: &json::Object<'_>, key: &str) -> Result<Option<CountryCode>, ConnectError> {
    let Some(code) = object.text(key)? else {
        return Ok(None);
    };
    code.parse::<CountryCode>()
        .map(Some)
        .map_err(|err| ConnectError::InvalidField {
            path: object.path_of(key),
            detail: err.to_string(),
        })
}

/// A currency code of the payload; an unknown one is refused.
fn currency(object: &json::Object<'_>, key: &str) -> Result<Option<CurrencyCode>, ConnectError> {
    let Some(code) = object.text(key)? else {
        return Ok(None);
    };
    code.parse::<CurrencyCode>()
        .map(Some)
        .map_err(|err| ConnectError::InvalidField {
            path: object.path_of(key),
            detail: err.to_string(),
        })
}

/// The day of a timestamp as the payload writes it (`2025-03-04T23:30:00-05:00`
/// is the 4th): the shop's own calendar day, not converted to UTC.
fn day(object: &json::Object<'_>, key: &str) -> Result<Option<Date>, ConnectError> {
    let Some(stamp) = object.text(key)? else {
        return Ok(None);
    };
    let date = stamp
        .get(..10)
        .filter(|date| date.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
        .and_then(|date| crate::scalar::day(date).ok());
    match date {
        Some(date) => Ok(Some(date)),
        None => Err(ConnectError::InvalidField {
            path: object.path_of(key),
            detail: format!(
                "`{}` is not a timestamp starting with a date (YYYY-MM-DD)",
                crate::scalar::quoted(&stamp)
            ),
        }),
    }
}

/// Street lines joined with ", ", the blank ones left out.
fn street(lines: impl IntoIterator<Item = Option<String>>) -> Option<String> {
    let lines: Vec<String> = lines.into_iter().flatten().collect();
    (!lines.is_empty()).then(|| lines.join(", "))
}

/// A person's name from its parts, the missing ones left out.
fn person(parts: impl IntoIterator<Item = Option<String>>) -> Option<String> {
    let parts: Vec<String> = parts.into_iter().flatten().collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// Name and attention: a company is the customer, the person its contact;
/// without a company the person is the customer.
fn name_and_attention(
    company: Option<String>,
    person: Option<String>,
) -> (Option<String>, Option<String>) {
    match company {
        Some(company) => (Some(company), person),
        None => (person, None),
    }
}

/// An address, or none when it has nothing.
fn address(address: Address) -> Option<Address> {
    (address != Address::default()).then_some(address)
}

/// The second of two phone numbers, when it is another number.
fn other_phone(first: Option<&String>, second: Option<String>) -> Option<String> {
    second.filter(|second| first != Some(second))
}

/// What every profile does last: the ids, the channel and connector, and
/// the findings.
fn finish(
    mut customer: Customer,
    platform_id: String,
    connector: &str,
    profile: &'static str,
    options: &ImportOptions,
) -> Imported {
    let id = options
        .id
        .as_deref()
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map_or_else(|| platform_id.clone(), str::to_owned);
    customer.id = CustomerId(id);
    customer.external_id = Some(platform_id);
    customer.channel = Some(Channel::Webshop);
    customer.connector = Some(connector.to_owned());
    let findings = customer.check();
    Imported {
        customer,
        findings,
        profile,
    }
}

#[cfg(test)]
mod tests;
