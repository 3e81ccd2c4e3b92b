//! The setup's `erp` section: which number or GUID each ERP knows our codes
//! by. Plain data; the connectors read it, the setup's validation checks
//! that every key is one of the setup's codes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::customer::{CurrencyCode, VatZone};

/// Our codes as each ERP numbers them. Only the ERPs a business uses are
/// given; a body for an ERP missing here is refused (`unmapped_value`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Erp {
    /// Exact Online.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exact: Option<ExactMapping>,
    /// e-conomic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub economic: Option<NumberMapping>,
    /// Reviso (e-conomic's numbering, in its own agreement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviso: Option<NumberMapping>,
}

impl Erp {
    /// No ERP mapped: the section is left out of the setup's JSON, so a
    /// setup without one keeps its fingerprint.
    pub(crate) fn is_empty(&self) -> bool {
        *self == Erp::default()
    }
}

/// e-conomic's and Reviso's numbers for our codes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct NumberMapping {
    /// Group code → `customerGroupNumber`.
    #[serde(default)]
    pub customer_groups: BTreeMap<String, u32>,
    /// Layout code (a group's or the default) → `layoutNumber`.
    #[serde(default)]
    pub layouts: BTreeMap<String, u32>,
    /// VAT zone → `vatZoneNumber`.
    #[serde(default)]
    pub vat_zones: BTreeMap<VatZone, u32>,
    /// Payment terms code → `paymentTermsNumber`.
    #[serde(default)]
    pub payment_terms: BTreeMap<String, u32>,
    /// The `paymentTermsNumber` of a customer without payment terms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_payment_terms: Option<u32>,
    /// The currency of a customer without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub default_currency: Option<CurrencyCode>,
}

/// Exact Online's GUIDs and codes for ours.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ExactMapping {
    /// Slot label → slot value code → the `ID` of its
    /// `crm/AccountClassifications` record (`ClassificationN`, N the slot).
    #[serde(default)]
    pub classifications: BTreeMap<String, BTreeMap<String, String>>,
    /// Price group code → the GUID of its price list (`PriceList`).
    #[serde(default)]
    pub price_lists: BTreeMap<String, String>,
    /// Payment terms code → Exact's payment condition code
    /// (`PaymentConditionSales`).
    #[serde(default)]
    pub payment_conditions: BTreeMap<String, String>,
    /// Receivables account code → the GUID of its GL account (`GLAR`).
    #[serde(default)]
    pub gl_accounts: BTreeMap<String, String>,
    /// VAT zone → sales VAT code (`SalesVATCode`).
    #[serde(default)]
    pub vat_codes: BTreeMap<VatZone, String>,
}
