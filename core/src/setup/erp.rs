//! The setup's `erp` section: which number or GUID each ERP knows our codes
//! by. Plain data; the connectors read it, the setup's validation checks
//! that every key is one of the setup's codes.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::Setup;
use crate::customer::{CurrencyCode, VatZone};
use crate::error::{Problems, SetupProblemKind as P};

/// Our codes as each ERP numbers them. Only the ERPs a business uses are
/// given; a body that needs a number or GUID missing here is refused
/// (`unmapped_value`, naming the path to fill).
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
    /// The `vatZoneNumber` of a consumer in another EU member state (zone
    /// `eu` without a valid VAT number): VAT is charged to them, so the
    /// EU zone's reverse charge would be wrong. Usually the domestic zone's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eu_consumer_vat_zone: Option<u32>,
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
    /// Any account may be mapped, not only the groups' and the defaults':
    /// a customer may carry an account of its own.
    #[serde(default)]
    pub gl_accounts: BTreeMap<String, String>,
    /// VAT zone → sales VAT code (`SalesVATCode`).
    #[serde(default)]
    pub vat_codes: BTreeMap<VatZone, String>,
    /// The `SalesVATCode` of a consumer in another EU member state (zone
    /// `eu` without a valid VAT number), who is charged VAT: the domestic
    /// code below the OSS threshold, an OSS code above it; never the EU
    /// zone's reverse charge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eu_consumer_vat_code: Option<String>,
}

/// The largest number e-conomic and Reviso give a record: their numbers
/// are 32-bit signed integers, and numbering starts at 1.
pub(crate) const MAX_NUMBER: u32 = i32::MAX.unsigned_abs();

/// Whether `text` is a GUID as Exact Online writes its IDs: 8-4-4-4-12
/// hexadecimal digits, either case, without braces.
pub(crate) fn is_guid(text: &str) -> bool {
    const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == GROUPS.len()
        && parts
            .iter()
            .zip(GROUPS)
            .all(|(part, len)| part.len() == len && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

impl Erp {
    /// Reports every key that is none of the setup's codes, every number
    /// an ERP can't have and every ID that is no GUID, at its JSON path
    /// (`$.erp.economic.customer_groups.GOLD`). Receivables accounts are
    /// the exception: a customer may carry an account of its own that no
    /// group names, so the accounts mapped aren't held to the setup's.
    pub(crate) fn check(&self, setup: &Setup, problems: &mut Problems) {
        let known = Known::of(setup);
        if let Some(exact) = &self.exact {
            exact.check(&known, problems);
        }
        for (name, mapping) in [("economic", &self.economic), ("reviso", &self.reviso)] {
            if let Some(mapping) = mapping {
                mapping.check(&format!("$.erp.{name}"), &known, problems);
            }
        }
    }
}

/// The setup's codes an ERP mapping may name.
struct Known<'a> {
    groups: BTreeSet<&'a str>,
    layouts: BTreeSet<&'a str>,
    price_groups: BTreeSet<&'a str>,
    /// `None` when the setup lists no payment terms: any code is taken.
    payment_terms: Option<BTreeSet<&'a str>>,
    /// Slot label → (number, values).
    slots: BTreeMap<&'a str, (usize, BTreeSet<&'a str>)>,
}

impl<'a> Known<'a> {
    fn of(setup: &'a Setup) -> Known<'a> {
        let layouts = setup
            .groups
            .iter()
            .filter_map(|group| group.layout.as_deref())
            .chain(setup.defaults.layout.as_deref())
            .collect();
        let terms = &setup.payment_terms;
        Known {
            groups: setup.groups.iter().map(|g| g.code.as_str()).collect(),
            layouts,
            price_groups: setup.price_groups.iter().map(|p| p.code.as_str()).collect(),
            payment_terms: (!terms.is_empty())
                .then(|| terms.iter().map(|t| t.code.as_str()).collect()),
            slots: setup
                .slots
                .iter()
                .map(|slot| {
                    let values = slot.values.iter().map(|v| v.code.as_str()).collect();
                    (slot.label.as_str(), (usize::from(slot.slot), values))
                })
                .collect(),
        }
    }

    fn terms_unknown(&self, code: &str) -> bool {
        self.payment_terms
            .as_ref()
            .is_some_and(|terms| !terms.contains(code))
    }
}

fn check_number(path: &str, number: u32, problems: &mut Problems) {
    if !(1..=MAX_NUMBER).contains(&number) {
        let kind = P::NumberOutOfRange {
            value: u64::from(number),
            min: 1,
            max: u64::from(MAX_NUMBER),
        };
        problems.add(path, kind);
    }
}

fn check_guid(path: &str, guid: &str, problems: &mut Problems) {
    if !is_guid(guid) {
        let value = guid.to_owned();
        problems.add(path, P::InvalidGuid { value });
    }
}

fn check_code(path: &str, code: &str, problems: &mut Problems) {
    if crate::scalar::is_blank(code) {
        problems.add(path, P::EmptyCode);
    }
}

impl NumberMapping {
    fn check(&self, at: &str, known: &Known<'_>, problems: &mut Problems) {
        for (code, number) in &self.customer_groups {
            let path = format!("{at}.customer_groups.{code}");
            if !known.groups.contains(code.as_str()) {
                let value = code.clone();
                problems.add(&path, P::UnknownGroup { value });
            }
            check_number(&path, *number, problems);
        }
        for (code, number) in &self.layouts {
            let path = format!("{at}.layouts.{code}");
            if !known.layouts.contains(code.as_str()) {
                let value = code.clone();
                problems.add(&path, P::UnknownLayout { value });
            }
            check_number(&path, *number, problems);
        }
        for (zone, number) in &self.vat_zones {
            check_number(&format!("{at}.vat_zones.{zone}"), *number, problems);
        }
        for (code, number) in &self.payment_terms {
            let path = format!("{at}.payment_terms.{code}");
            if known.terms_unknown(code) {
                let value = code.clone();
                problems.add(&path, P::UnknownPaymentTerms { value });
            }
            check_number(&path, *number, problems);
        }
        if let Some(number) = self.default_payment_terms {
            check_number(&format!("{at}.default_payment_terms"), number, problems);
        }
        if let Some(number) = self.eu_consumer_vat_zone {
            check_number(&format!("{at}.eu_consumer_vat_zone"), number, problems);
        }
    }
}

impl ExactMapping {
    fn check(&self, known: &Known<'_>, problems: &mut Problems) {
        let at = "$.erp.exact";
        for (label, values) in &self.classifications {
            let slot = known.slots.get(label.as_str());
            if slot.is_none() {
                let label = label.clone();
                problems.add(
                    format!("{at}.classifications.{label}"),
                    P::UnknownSlotLabel { label },
                );
            }
            for (code, guid) in values {
                let path = format!("{at}.classifications.{label}.{code}");
                if let Some((number, codes)) = slot
                    && !codes.contains(code.as_str())
                {
                    let kind = P::UnknownSlotValue {
                        slot: *number,
                        value: code.clone(),
                    };
                    problems.add(&path, kind);
                }
                check_guid(&path, guid, problems);
            }
        }
        for (code, guid) in &self.price_lists {
            let path = format!("{at}.price_lists.{code}");
            if !known.price_groups.contains(code.as_str()) {
                let value = code.clone();
                problems.add(&path, P::UnknownPriceGroup { value });
            }
            check_guid(&path, guid, problems);
        }
        for (code, condition) in &self.payment_conditions {
            let path = format!("{at}.payment_conditions.{code}");
            if known.terms_unknown(code) {
                let value = code.clone();
                problems.add(&path, P::UnknownPaymentTerms { value });
            }
            check_code(&path, condition, problems);
        }
        for (account, guid) in &self.gl_accounts {
            let path = format!("{at}.gl_accounts.{account}");
            check_code(&path, account, problems);
            check_guid(&path, guid, problems);
        }
        for (zone, vat_code) in &self.vat_codes {
            check_code(&format!("{at}.vat_codes.{zone}"), vat_code, problems);
        }
        if let Some(vat_code) = &self.eu_consumer_vat_code {
            check_code(&format!("{at}.eu_consumer_vat_code"), vat_code, problems);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_8_4_4_4_12_hex() {
        assert!(is_guid("3fa85f64-5717-4562-b3fc-2c963f66afa6"));
        assert!(is_guid("3FA85F64-5717-4562-B3FC-2C963F66AFA6"));
        assert!(!is_guid("{3fa85f64-5717-4562-b3fc-2c963f66afa6}"));
        assert!(!is_guid("3fa85f6457174562b3fc2c963f66afa6"));
        assert!(!is_guid("3fa85f64-5717-4562-b3fc-2c963f66afa"));
        assert!(!is_guid("3fa85f64-5717-4562-b3fc-2c963f66afg6"));
        assert!(!is_guid("3fa85f64-5717-4562-b3fc-2c963f66afa6-0"));
        assert!(!is_guid(""));
    }

    #[test]
    fn numbers_run_from_one_to_i32_max() {
        let mut problems = Problems::default();
        check_number("$.a", 1, &mut problems);
        check_number("$.b", MAX_NUMBER, &mut problems);
        assert!(problems.is_empty());
        check_number("$.c", 0, &mut problems);
        check_number("$.d", MAX_NUMBER + 1, &mut problems);
        assert_eq!(problems.len(), 2);
    }
}
