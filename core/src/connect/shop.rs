//! Webshop customers in: Shopify, WooCommerce and Magento payloads read
//! into a [`Customer`], with the master-data findings beside it.

use serde::{Deserialize, Serialize};

use crate::customer::Customer;
use crate::error::ConnectError;
use crate::masterdata::Finding;

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

/// How a payload becomes a customer, beyond what the platform's profile says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ImportOptions {
    /// The customer number to give it; the platform's id when missing.
    #[serde(default)]
    pub id: Option<String>,
    /// WooCommerce: the `meta_data` keys that may hold the VAT number, in
    /// order of preference. Missing: the keys the common EU VAT plugins use.
    #[serde(default)]
    pub vat_meta_keys: Option<Vec<String>>,
}

impl ImportOptions {
    /// Options from their JSON form (`{"id": "C-1", "vat_meta_keys": [...]}`).
    ///
    /// # Errors
    ///
    /// `json_syntax` or `invalid_field` naming the option.
    pub fn from_json(text: &str) -> Result<ImportOptions, ConnectError> {
        let _ = text;
        todo!("shop helper")
    }
}

/// A Shopify `customers/create` or `customers/update` webhook body (API
/// 2025-01 and later) as a customer.
///
/// # Errors
///
/// A [`ConnectError`] naming the payload's path.
pub fn from_shopify(payload: &str, options: &ImportOptions) -> Result<Imported, ConnectError> {
    let _ = (payload, options);
    todo!("shop helper")
}

/// A WooCommerce REST `wc/v3` customer as a customer.
///
/// # Errors
///
/// A [`ConnectError`] naming the payload's path.
pub fn from_woocommerce(payload: &str, options: &ImportOptions) -> Result<Imported, ConnectError> {
    let _ = (payload, options);
    todo!("shop helper")
}

/// A Magento 2 REST customer as a customer.
///
/// # Errors
///
/// A [`ConnectError`] naming the payload's path.
pub fn from_magento(payload: &str, options: &ImportOptions) -> Result<Imported, ConnectError> {
    let _ = (payload, options);
    todo!("shop helper")
}
