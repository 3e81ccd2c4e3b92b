//! The checks a customer card runs as the user types: each problem is a
//! finding (field, code, message) to show beside the field, not an error
//! that stops the save.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::email::normalise_email;
use super::gtin::check_gtin;
#[cfg(feature = "phones")]
use super::phone::PhoneFormats;
use crate::customer::fields::{self, Access};
use crate::customer::{CountryCode, Customer};
use crate::engine::Engine;
use crate::vat::{VatProblem, check_vat_number};

/// One problem on a customer card.
///
/// Findings are data, not errors: the card stays as typed, and a form can
/// mark each field.
///
/// # Examples
///
/// ```
/// use custclass::Customer;
///
/// let card = Customer::from_json(r#"{"id": "7", "email": "piet@jansen",
///     "billing_address": {"country": "NL"}, "vat_number": "NL123456789B01"}"#)?;
/// let findings = card.check();
/// let marks: Vec<(&str, &str)> =
///     findings.iter().map(|finding| (finding.field.as_str(), finding.code.as_str())).collect();
/// assert_eq!(marks, [("$.email", "invalid_email"), ("$.vat_number", "invalid_vat_number")]);
/// // As JSON for the form: {"code", "field", "message"}
/// let json = serde_json::to_value(&findings)?;
/// assert_eq!(json[0]["field"], "$.email");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Finding {
    /// The field, as a JSON path (`$.email`, `$.document_emails.invoice`).
    pub field: String,
    /// Stable code: `invalid_email`, `invalid_phone`, `invalid_vat_number`,
    /// `vat_country_mismatch`, `invalid_ean` or `negative_credit_limit`
    /// ([`Customer::check`]); `unknown_payment_terms` or
    /// `inactive_payment_terms` ([`Engine::check`]); `duplicate_email`,
    /// `duplicate_vat_number` or `duplicate_address`
    /// ([`DuplicateIndex::check`](crate::DuplicateIndex::check));
    /// `name_from_id` or `customer_number_assigned` (the ERP bodies,
    /// [`Engine::to_economic`](crate::Engine::to_economic)).
    pub code: String,
    /// What is wrong, for the user.
    pub message: String,
}

/// A field's text, unless it is only white space: a cleared field on a
/// card, as good as none.
fn filled(text: Option<&str>) -> Option<&str> {
    text.filter(|text| !crate::scalar::is_blank(text))
}

/// The phone fields, by name.
const PHONES: [&str; 4] = ["phone", "phone2", "mobile", "fax"];

/// The e-mail fields, by name.
const EMAILS: [&str; 6] = [
    "email",
    "email_quote",
    "email_order",
    "email_invoice",
    "email_credit_note",
    "email_statement",
];

/// Calls `visit` with the JSON path and the place of each text field of
/// `customer` named in `names`.
fn each_text(
    customer: &mut Customer,
    names: &[&str],
    mut visit: impl FnMut(&'static str, &mut Option<String>),
) {
    for field in names.iter().filter_map(|name| fields::field(name)) {
        if let Access::Text { put, .. } = field.access {
            visit(field.path, put(customer));
        }
    }
}

impl Customer {
    /// Every problem on the card, field by field: e-mail addresses that
    /// aren't one (each per-document address too); a VAT number of the
    /// wrong format or check digits for its country (every EU member state,
    /// Northern Ireland, the United Kingdom, Switzerland and Norway), or of
    /// another country than the billing address (a number without a prefix
    /// of a customer elsewhere is not checked: there is no rule for it); phone, second phone, mobile and fax
    /// numbers that can't be numbers of the billing country (or, written
    /// with `+`, of any; with the `phones` feature, on by default); an EAN/GLN whose check digit is wrong; a negative
    /// credit limit. None for a clean card.
    ///
    /// ```
    /// use custclass::Customer;
    ///
    /// let customer = Customer::from_json(r#"{"id": "7", "email": "piet@jansen",
    ///     "ean": "8712345678907", "credit_limit": "-5"}"#)?;
    /// let codes: Vec<_> = customer.check().into_iter().map(|f| f.code).collect();
    /// assert_eq!(codes, ["invalid_email", "invalid_ean", "negative_credit_limit"]);
    /// # Ok::<(), custclass::CustomerError>(())
    /// ```
    pub fn check(&self) -> Vec<Finding> {
        let mut card = self.clone();
        let mut findings = Vec::new();
        each_text(&mut card, &EMAILS, |field, value| {
            if let Some(Err(message)) = filled(value.as_deref()).map(normalise_email) {
                findings.push(Finding {
                    field: field.to_owned(),
                    code: "invalid_email".to_owned(),
                    message,
                });
            }
        });
        #[cfg(feature = "phones")]
        let country = self.country().map(CountryCode::as_str);
        #[cfg(feature = "phones")]
        each_text(&mut card, &PHONES, |field, number| {
            if let Some(Err(error)) =
                filled(number.as_deref()).map(|n| PhoneFormats::of(n, country))
            {
                findings.push(Finding {
                    field: field.to_owned(),
                    code: "invalid_phone".to_owned(),
                    message: error.to_string(),
                });
            }
        });
        if let Some(finding) = self.vat_finding() {
            findings.push(finding);
        }
        if let Some(Err(message)) = filled(self.ean.as_deref()).map(check_gtin) {
            findings.push(Finding {
                field: "$.ean".to_owned(),
                code: "invalid_ean".to_owned(),
                message,
            });
        }
        if let Some(limit) = self.credit_limit.filter(|limit| *limit < Decimal::ZERO) {
            findings.push(Finding {
                field: "$.credit_limit".to_owned(),
                code: "negative_credit_limit".to_owned(),
                message: format!("the credit limit {limit} is below zero"),
            });
        }
        findings
    }

    /// The customer with its e-mail addresses written one way (trimmed,
    /// domain in lower case), its VAT number as prefix and body, its EAN
    /// without spaces, its phone numbers in E.164 (`+31201234567`; with the
    /// `phones` feature, on by default), and those fields empty where only white space was
    /// typed; a value that fails [`Customer::check`] stays as typed, for the
    /// user to correct.
    ///
    /// ```
    /// use custclass::Customer;
    ///
    /// let customer = Customer::from_json(r#"{"id": "7", "email": " Piet@Jansen.NL", "ean": "871 2345 678906"}"#)?;
    /// let clean = customer.normalised();
    /// assert_eq!(clean.email.as_deref(), Some("Piet@jansen.nl"));
    /// assert_eq!(clean.ean.as_deref(), Some("8712345678906"));
    /// # Ok::<(), custclass::CustomerError>(())
    /// ```
    #[must_use]
    pub fn normalised(&self) -> Customer {
        let mut card = self.clone();
        for value in [&mut card.ean, &mut card.vat_number] {
            if filled(value.as_deref()).is_none() {
                *value = None;
            }
        }
        each_text(&mut card, &EMAILS, |_, value| {
            if filled(value.as_deref()).is_none() {
                *value = None;
            }
            if let Some(clean) = value.as_deref().and_then(|text| normalise_email(text).ok()) {
                *value = Some(clean);
            }
        });
        if let Some(clean) = card.ean.as_deref().and_then(|text| check_gtin(text).ok()) {
            card.ean = Some(clean);
        }
        let country = self.country().map(CountryCode::as_str);
        each_text(&mut card, &PHONES, |_, value| {
            if filled(value.as_deref()).is_none() {
                *value = None;
            }
            #[cfg(feature = "phones")]
            if let Some(phone) = value
                .as_deref()
                .and_then(|n| PhoneFormats::of(n, country).ok())
            {
                *value = Some(phone.e164);
            }
        });
        // A number that passes for the billing country (`Ok`) has no finding.
        if let Some(text) = self.vat_number.as_deref()
            && let Ok(number) = check_vat_number(text, country)
        {
            card.vat_number = Some(number.number);
        }
        card
    }

    /// The VAT number's problem, for a number that isn't blank: one that
    /// fails its country's check, or passes but is of another country than
    /// the billing address. A number there is no rule for (no prefix, a
    /// billing country outside the countries checked) has none.
    fn vat_finding(&self) -> Option<Finding> {
        let text = filled(self.vat_number.as_deref())?;
        let country = self.country().map(CountryCode::as_str);
        let (code, message) = match check_vat_number(text, country).err()? {
            VatProblem::Invalid(message) => ("invalid_vat_number", message),
            VatProblem::OtherCountry { prefix } => (
                "vat_country_mismatch",
                format!(
                    "`{}` is a VAT number of {prefix}, but the billing address is in {}",
                    crate::scalar::quoted(text),
                    country.unwrap_or_default()
                ),
            ),
            VatProblem::Unchecked => return None,
        };
        Some(Finding {
            field: "$.vat_number".to_owned(),
            code: code.to_owned(),
            message,
        })
    }
}

impl Engine {
    /// Every problem on the card, as [`Customer::check`] finds them, and
    /// what only the setup can tell: payment terms the setup doesn't list
    /// (`unknown_payment_terms`, when it lists any) or keeps only for
    /// history (`inactive_payment_terms`).
    ///
    /// ```
    /// use custclass::{Customer, Engine, Setup};
    ///
    /// let mut setup = Setup::standard("NL".to_owned().try_into()?);
    /// setup.payment_terms = serde_json::from_str(r#"[{"code": "30D", "days": 30}, {"code": "COD"}]"#)?;
    /// let engine = Engine::new(setup)?;
    /// let customer = Customer::from_json(r#"{"id": "7", "payment_terms": "60D"}"#)?;
    /// let codes: Vec<_> = engine.check(&customer).into_iter().map(|f| f.code).collect();
    /// assert_eq!(codes, ["unknown_payment_terms"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check(&self, customer: &Customer) -> Vec<Finding> {
        let mut findings = customer.check();
        let listed = &self.compiled().payment_terms;
        let terms = filled(customer.payment_terms.as_deref());
        if let (Some(terms), false) = (terms, listed.is_empty()) {
            let finding = |code: &str, message: String| Finding {
                field: "$.payment_terms".to_owned(),
                code: code.to_owned(),
                message,
            };
            match listed.get(terms) {
                None => findings.push(finding(
                    "unknown_payment_terms",
                    format!("the setup has no payment terms '{terms}'"),
                )),
                Some(true) => findings.push(finding(
                    "inactive_payment_terms",
                    format!("the payment terms '{terms}' are kept for history only"),
                )),
                Some(false) => {}
            }
        }
        findings
    }
}
