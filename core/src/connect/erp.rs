//! ERP bodies out: a customer and its classification as the body of Exact
//! Online's `crm/Accounts`, e-conomic's and Reviso's `customers`.
//!
//! Every number and GUID comes from the setup's `erp` section; a code the
//! body needs and the section doesn't map is an error naming the setup path
//! to fill, never a field left out of the body. Lengths are checked against
//! what the ERP's schema takes, so a body made here is never one the API
//! refuses for its shape.

use std::borrow::Borrow;
use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Number, Value};

use crate::classification::Classification;
use crate::customer::{Customer, VatZone};
use crate::engine::Engine;
use crate::error::{ConnectError, erp_name};
use crate::masterdata::Finding;
use crate::setup::{ExactMapping, NumberMapping};

/// The body an ERP's API takes for one customer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Exported {
    /// The ERP: `exact`, `economic` or `reviso`.
    pub system: &'static str,
    /// The JSON body, as the ERP's API documents it.
    pub body: Map<String, Value>,
    /// What the ERP will do differently from what the customer says
    /// (e-conomic numbering a customer whose number it can't take).
    pub findings: Vec<Finding>,
}

/// The agreement countries whose e-conomic customers have a `vatNumber`
/// (the schema: Sweden, the United Kingdom, Germany, Poland and Finland).
const VAT_NUMBER_AGREEMENTS: [&str; 5] = ["SE", "GB", "DE", "PL", "FI"];

/// Significant digits a float carries exactly: a decimal with more can't be
/// a JSON number the ERP reads back as written.
const FLOAT_DIGITS: usize = 15;

/// e-conomic's `customerNumber`: a positive integer of at most nine digits.
const MAX_CUSTOMER_NUMBER_DIGITS: usize = 9;

/// The longest `Code` Exact Online takes (a fixed-length string of 18).
const EXACT_CODE_LENGTH: usize = 18;

/// A body under construction: its fields and what was noticed on the way.
struct Body<'c> {
    system: &'static str,
    customer: &'c Customer,
    fields: Map<String, Value>,
    findings: Vec<Finding>,
}

impl<'c> Body<'c> {
    fn new(system: &'static str, customer: &'c Customer) -> Body<'c> {
        Body {
            system,
            customer,
            fields: Map::new(),
            findings: Vec::new(),
        }
    }

    fn done(self) -> Exported {
        Exported {
            system: self.system,
            body: self.fields,
            findings: self.findings,
        }
    }

    fn too_long(&self, field: &str, length: usize, limit: usize) -> ConnectError {
        ConnectError::ValueTooLong {
            system: self.system.to_owned(),
            field: field.to_owned(),
            length,
            limit,
        }
    }

    fn missing(&self, field: &str, source_field: &str) -> ConnectError {
        ConnectError::MissingValue {
            system: self.system.to_owned(),
            field: field.to_owned(),
            source_field: source_field.to_owned(),
        }
    }

    /// Sets `field` to `value` unless it is missing or blank; longer than
    /// `limit` characters is an error.
    fn text(
        &mut self,
        field: &str,
        value: Option<&str>,
        limit: Option<usize>,
    ) -> Result<(), ConnectError> {
        let Some(value) = value.filter(|text| !crate::scalar::is_blank(text)) else {
            return Ok(());
        };
        let length = value.chars().count();
        if let Some(limit) = limit.filter(|limit| length > *limit) {
            return Err(self.too_long(field, length, limit));
        }
        self.fields.insert(field.to_owned(), Value::from(value));
        Ok(())
    }

    /// `{"<key>": number}`, the way e-conomic refers to another record.
    fn reference(&mut self, field: &str, key: &str, number: u32) {
        let reference = Map::from_iter([(key.to_owned(), Value::from(number))]);
        self.fields
            .insert(field.to_owned(), Value::Object(reference));
    }

    /// The value `map` gives `key`, or `unmapped_value` naming the map's
    /// setup path.
    fn mapped<'m, K, Q, V>(
        &self,
        field: &str,
        map: &'m BTreeMap<K, V>,
        key: &Q,
        setup_path: &str,
    ) -> Result<&'m V, ConnectError>
    where
        K: Borrow<Q> + Ord,
        Q: Ord + ToString + ?Sized,
    {
        map.get(key)
            .ok_or_else(|| self.unmapped(field, &key.to_string(), setup_path))
    }

    /// The error for `value`, which the ERP's `field` needs and
    /// `setup_path` doesn't map.
    fn unmapped(&self, field: &str, value: &str, setup_path: &str) -> ConnectError {
        ConnectError::UnmappedValue {
            system: self.system.to_owned(),
            field: field.to_owned(),
            value: value.to_owned(),
            setup_path: setup_path.to_owned(),
        }
    }

    /// The customer's name. An anonymised customer has none left, and
    /// every ERP needs one: it gets its id, which names nobody and is what
    /// its invoices already show.
    fn name(&mut self, field: &str, limit: Option<usize>) -> Result<(), ConnectError> {
        let customer = self.customer;
        let name = customer
            .name
            .as_deref()
            .filter(|name| !crate::scalar::is_blank(name));
        match name {
            Some(name) => self.text(field, Some(name), limit),
            None if customer.anonymised => {
                self.findings.push(Finding {
                    field: "$.name".to_owned(),
                    code: "name_from_id".to_owned(),
                    message: format!(
                        "the customer is anonymised and has no name; {} needs one, so it is named by its id",
                        erp_name(self.system)
                    ),
                });
                self.text(field, Some(customer.id.as_str()), limit)
            }
            None => Err(self.missing(field, "name")),
        }
    }

    /// A decimal as a JSON number with exactly its digits.
    fn decimal(&mut self, field: &str, value: Option<Decimal>) -> Result<(), ConnectError> {
        let Some(value) = value else {
            return Ok(());
        };
        match exact_number(value) {
            Some(number) => {
                self.fields.insert(field.to_owned(), Value::Number(number));
                Ok(())
            }
            None => {
                let digits = value
                    .normalize()
                    .to_string()
                    .bytes()
                    .filter(u8::is_ascii_digit)
                    .count();
                Err(self.too_long(field, digits, FLOAT_DIGITS))
            }
        }
    }
}

/// `value` as a JSON number whose text is the decimal's own digits, or
/// `None` when no such number exists without `arbitrary_precision`: an
/// integer is held as one (exact up to `i64`), anything else as the float
/// nearest to it, which prints as the decimal's digits exactly when it has
/// at most fifteen significant ones; the printed text is compared to be
/// sure.
fn exact_number(value: Decimal) -> Option<Number> {
    let text = value.normalize().to_string();
    if let Ok(integer) = text.parse::<i64>() {
        return Some(Number::from(integer));
    }
    let number = Number::from_f64(text.parse::<f64>().ok()?)?;
    (number.to_string() == text).then_some(number)
}

/// The customer's id as e-conomic's `customerNumber`: digits only, no
/// leading zero (it would be lost), at most nine.
fn customer_number(id: &str) -> Option<u32> {
    let digits = id.len() <= MAX_CUSTOMER_NUMBER_DIGITS
        && !id.starts_with('0')
        && !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| id.parse().ok()).flatten()
}

/// The Danish CVR in a Danish VAT number (`DK12345678` → `12345678`).
fn danish_cvr(vat_number: &str) -> Option<String> {
    let compact: String = vat_number
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.' && *c != '-')
        .collect();
    let body = compact
        .strip_prefix("DK")
        .or_else(|| compact.strip_prefix("dk"))?;
    (body.len() == 8 && body.bytes().all(|b| b.is_ascii_digit())).then(|| body.to_owned())
}

/// Which of e-conomic's two fields a VAT number goes in.
#[derive(Clone, Copy)]
enum VatField {
    /// `vatNumber`, as Reviso and e-conomic agreements in a few countries
    /// take it.
    VatNumber,
    /// `corporateIdentificationNumber` (e-conomic agreements elsewhere; for
    /// a Danish agreement the CVR of a Danish customer).
    CorporateId {
        /// The agreement is Danish.
        danish: bool,
    },
}

/// e-conomic or Reviso: which ERP, its mapping, and how it writes the
/// country and the VAT number.
struct NumberErp<'m> {
    system: &'static str,
    setup_path: &'static str,
    mapping: &'m NumberMapping,
    country_code: bool,
    vat: VatField,
}

impl Engine {
    /// The customer, classified, as the body of Exact Online's
    /// `crm/Accounts`.
    ///
    /// `Code` is the customer's id, `Status` is `C` (customer), and every
    /// reference is the GUID or code the setup's `erp.exact` maps: a slot
    /// value to its `ClassificationN` (N the slot), the price group to its
    /// `PriceList`, the payment terms to `PaymentConditionSales`, the
    /// receivables account to `GLAR`, the VAT zone to `SalesVATCode`.
    ///
    /// # Errors
    ///
    /// `invalid_customer` (the customer doesn't classify), `unmapped_value`
    /// (a code the body needs and `erp.exact` doesn't map), `missing_value`
    /// (no name), `value_too_long` (an id over 18 characters; a credit
    /// limit of more than 15 significant digits).
    ///
    /// # Examples
    ///
    /// ```
    /// use custclass::{Customer, Engine, Setup};
    ///
    /// let setup = Setup::from_json(r#"{
    ///     "home_country": "NL",
    ///     "slots": [{"slot": 2, "label": "Region", "values": [{"code": "BENELUX"}]}],
    ///     "types": [{"code": "B2B", "default": true}],
    ///     "groups": [{"code": "DOMESTIC", "type": "B2B", "receivables_account": "1300", "default": true}],
    ///     "rules": [{"id": "benelux", "when": "country in ('NL', 'BE')", "set": {"class.Region": "BENELUX"}}],
    ///     "erp": {"exact": {
    ///         "classifications": {"Region": {"BENELUX": "6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c"}},
    ///         "gl_accounts": {"1300": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"},
    ///         "vat_codes": {"domestic": "2"}
    ///     }}
    /// }"#)?;
    /// let engine = Engine::new(setup)?;
    /// let customer = Customer::from_json(r#"{"id": "10001", "name": "Garage De Vries",
    ///     "billing_address": {"city": "Utrecht", "country": "NL"}}"#)?;
    /// let exported = engine.to_exact(&customer)?;
    /// assert_eq!(exported.body["Classification2"], "6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b2c");
    /// assert_eq!(exported.body["GLAR"], "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    /// assert_eq!(exported.body["Status"], "C");
    ///
    /// // A Belgian customer is in the EU zone, which the setup gives no VAT code:
    /// let customer = Customer::from_json(r#"{"id": "10002", "name": "Garage Peeters",
    ///     "billing_address": {"country": "BE"}}"#)?;
    /// let err = engine.to_exact(&customer).err().ok_or("eu is unmapped")?;
    /// assert_eq!(err.code(), "unmapped_value");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_exact(&self, customer: &Customer) -> Result<Exported, ConnectError> {
        let result = self.classify(customer)?;
        let unmapped = ExactMapping::default();
        let map = self.setup().erp.exact.as_ref().unwrap_or(&unmapped);
        let mut body = Body::new("exact", customer);
        let address = &customer.billing_address;

        let id = customer.id.as_str();
        body.text("Code", Some(id), Some(EXACT_CODE_LENGTH))?;
        body.name("Name", None)?;
        body.fields.insert("Status".into(), Value::from("C"));
        body.text("Email", customer.email.as_deref(), None)?;
        body.text("Phone", customer.phone.as_deref(), None)?;
        body.text("Fax", customer.fax.as_deref(), None)?;
        body.text("AddressLine1", address.street.as_deref(), None)?;
        body.text("Postcode", address.postcode.as_deref(), None)?;
        body.text("City", address.city.as_deref(), None)?;
        let country = address.country.as_ref().map(|c| c.as_str());
        body.text("Country", country, None)?;
        body.text("VATNumber", customer.vat_number.as_deref(), None)?;
        body.text("GlnNumber", customer.ean.as_deref(), None)?;
        let currency = customer.currency.as_ref().map(|c| c.as_str());
        body.text("SalesCurrency", currency, None)?;
        body.decimal("CreditLineSales", customer.credit_limit)?;

        for slot in 1..=8 {
            let (Some(assigned), Some(label)) = (result.classes.get(slot), self.slot_label(slot))
            else {
                continue;
            };
            let field = format!("Classification{slot}");
            let setup_path = format!("$.erp.exact.classifications.{label}");
            let empty = BTreeMap::new();
            let values = map.classifications.get(label).unwrap_or(&empty);
            let guid = body.mapped(&field, values, assigned.value.as_str(), &setup_path)?;
            body.fields.insert(field, Value::from(guid.as_str()));
        }
        if let Some(price_group) = &result.price_group {
            let path = "$.erp.exact.price_lists";
            let guid = body.mapped(
                "PriceList",
                &map.price_lists,
                price_group.value.as_str(),
                path,
            )?;
            body.fields
                .insert("PriceList".into(), Value::from(guid.as_str()));
        }
        if let Some(terms) = customer.payment_terms.as_deref() {
            let field = "PaymentConditionSales";
            let path = "$.erp.exact.payment_conditions";
            let code = body.mapped(field, &map.payment_conditions, terms, path)?;
            body.fields.insert(field.into(), Value::from(code.as_str()));
        }
        if let Some(account) = &result.receivables_account {
            let path = "$.erp.exact.gl_accounts";
            let guid = body.mapped("GLAR", &map.gl_accounts, account.value.as_str(), path)?;
            body.fields
                .insert("GLAR".into(), Value::from(guid.as_str()));
        }
        if let Some(zone) = &result.vat_zone {
            let field = "SalesVATCode";
            let code = if is_eu_consumer(&result) {
                let path = "$.erp.exact.eu_consumer_vat_code";
                let code = map.eu_consumer_vat_code.as_ref();
                code.ok_or_else(|| body.unmapped(field, EU_CONSUMER, path))?
            } else {
                body.mapped(field, &map.vat_codes, &zone.value, "$.erp.exact.vat_codes")?
            };
            body.fields.insert(field.into(), Value::from(code.as_str()));
        }
        Ok(body.done())
    }

    /// The customer, classified, as the body of e-conomic's `POST /customers`.
    ///
    /// The required `currency`, `customerGroup`, `name`, `paymentTerms` and
    /// `vatZone` are always there (or the call fails); a consumer in another
    /// EU member state (zone `eu`, not B2B) gets `eu_consumer_vat_zone`, as
    /// the EU zone means reverse charge; `layout`, the address,
    /// phones, e-mail (the invoice address when the customer has one), `ean`,
    /// `creditLimit` when the customer has them. The customer's id becomes
    /// `customerNumber` when e-conomic can take it (a positive integer of
    /// at most nine digits); otherwise e-conomic numbers the customer, and a
    /// finding says so. The VAT number goes to `vatNumber` where the
    /// agreement (the setup's home country) has that field, else to
    /// `corporateIdentificationNumber` (DESIGN.md, "Why does a VAT number
    /// go to e-conomic's `corporateIdentificationNumber`?"). `country`, free text in
    /// e-conomic, is the ISO code: a country's name would be in one
    /// language, and the invoice layout decides which the customer reads.
    ///
    /// # Errors
    ///
    /// `invalid_customer`, `unmapped_value` (a group, VAT zone, payment
    /// terms or layout that `erp.economic` doesn't map), `missing_value` (no
    /// name, currency, group, VAT zone or payment terms, and no default
    /// for them), `value_too_long` (a field over the schema's length).
    ///
    /// # Examples
    ///
    /// ```
    /// use custclass::{Customer, Engine, Setup};
    ///
    /// let mut setup = Setup::standard("DK".to_owned().try_into()?);
    /// setup.erp = serde_json::from_str(r#"{"economic": {
    ///     "customer_groups": {"DOMESTIC": 1, "EU": 2, "OVERSEAS": 3, "WEBSHOP": 4, "STANDARD": 5},
    ///     "vat_zones": {"domestic": 1, "eu": 2, "abroad": 3},
    ///     "layouts": {"invoice": 19, "invoice-en": 20, "receipt": 21},
    ///     "default_payment_terms": 1,
    ///     "default_currency": "DKK"
    /// }}"#)?;
    /// let engine = Engine::new(setup)?;
    /// let customer = Customer::from_json(r#"{"id": "10001", "name": "Værksted Nord ApS",
    ///     "vat_number": "DK13585628", "billing_address": {"country": "DK"}, "credit_limit": "12500.50"}"#)?;
    /// let exported = engine.to_economic(&customer)?;
    /// assert_eq!(custclass::canonical::to_string(&exported.body),
    ///     r#"{"corporateIdentificationNumber":"13585628","country":"DK","creditLimit":12500.5,"currency":"DKK","#.to_owned()
    ///     + r#""customerGroup":{"customerGroupNumber":1},"customerNumber":10001,"layout":{"layoutNumber":19},"#
    ///     + r#""name":"Værksted Nord ApS","paymentTerms":{"paymentTermsNumber":1},"vatZone":{"vatZoneNumber":1}}"#);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_economic(&self, customer: &Customer) -> Result<Exported, ConnectError> {
        let unmapped = NumberMapping::default();
        let danish = self.setup().home_country.as_str() == "DK";
        let vat = if VAT_NUMBER_AGREEMENTS.contains(&self.setup().home_country.as_str()) {
            VatField::VatNumber
        } else {
            VatField::CorporateId { danish }
        };
        let erp = NumberErp {
            system: "economic",
            setup_path: "$.erp.economic",
            mapping: self.setup().erp.economic.as_ref().unwrap_or(&unmapped),
            country_code: false,
            vat,
        };
        self.to_numbered(customer, &erp)
    }

    /// The customer, classified, as the body of Reviso's `POST /customers`:
    /// e-conomic's shape with `countryCode: {code}` for the country and the
    /// VAT number in `vatNumber`, numbered by the setup's `erp.reviso`.
    ///
    /// # Errors
    ///
    /// As [`Engine::to_economic`].
    ///
    /// # Examples
    ///
    /// ```
    /// use custclass::{Customer, Engine, Setup};
    ///
    /// let mut setup = Setup::standard("IT".to_owned().try_into()?);
    /// setup.erp = serde_json::from_str(r#"{"reviso": {
    ///     "customer_groups": {"DOMESTIC": 1, "EU": 2, "OVERSEAS": 3, "WEBSHOP": 4, "STANDARD": 5},
    ///     "vat_zones": {"domestic": 1, "eu": 2, "abroad": 3},
    ///     "layouts": {"invoice": 1, "invoice-en": 2, "receipt": 3},
    ///     "payment_terms": {"NET30": 7}
    /// }}"#)?;
    /// let engine = Engine::new(setup)?;
    /// let customer = Customer::from_json(r#"{"id": "C-77", "name": "Officina Rossi",
    ///     "billing_address": {"country": "IT"}, "currency": "EUR", "payment_terms": "NET30"}"#)?;
    /// let exported = engine.to_reviso(&customer)?;
    /// assert_eq!(exported.body["countryCode"]["code"], "IT");
    /// assert_eq!(exported.body["paymentTerms"]["paymentTermsNumber"], 7);
    /// // "C-77" is no number Reviso takes: it numbers the customer itself.
    /// assert!(exported.body.get("customerNumber").is_none());
    /// assert_eq!(exported.findings[0].code, "customer_number_assigned");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_reviso(&self, customer: &Customer) -> Result<Exported, ConnectError> {
        let unmapped = NumberMapping::default();
        let erp = NumberErp {
            system: "reviso",
            setup_path: "$.erp.reviso",
            mapping: self.setup().erp.reviso.as_ref().unwrap_or(&unmapped),
            country_code: true,
            vat: VatField::VatNumber,
        };
        self.to_numbered(customer, &erp)
    }

    /// e-conomic's shape, for e-conomic and Reviso. Lengths are those of
    /// e-conomic's `customers.post.schema.json`.
    fn to_numbered(
        &self,
        customer: &Customer,
        erp: &NumberErp<'_>,
    ) -> Result<Exported, ConnectError> {
        let result = self.classify(customer)?;
        let (map, at) = (erp.mapping, erp.setup_path);
        let mut body = Body::new(erp.system, customer);
        let address = &customer.billing_address;

        body.name("name", Some(255))?;
        let currency = customer.currency.as_ref().or(map.default_currency.as_ref());
        let currency = currency.ok_or_else(|| body.missing("currency", "currency"))?;
        body.text("currency", Some(currency.as_str()), Some(3))?;
        references(&mut body, &result, customer, map, at)?;

        match customer_number(customer.id.as_str()) {
            Some(number) => {
                body.fields.insert("customerNumber".into(), Value::from(number));
            }
            None => body.findings.push(Finding {
                field: "$.id".to_owned(),
                code: "customer_number_assigned".to_owned(),
                message: format!(
                    "{} takes customer numbers of 1 to 9 digits; it numbers this customer itself, so keep its number with the id",
                    erp_name(erp.system)
                ),
            }),
        }
        body.text("address", address.street.as_deref(), Some(510))?;
        body.text("zip", address.postcode.as_deref(), Some(30))?;
        body.text("city", address.city.as_deref(), Some(50))?;
        if let Some(country) = &address.country {
            if erp.country_code {
                let code = Map::from_iter([("code".to_owned(), Value::from(country.as_str()))]);
                body.fields
                    .insert("countryCode".into(), Value::Object(code));
            } else {
                body.text("country", Some(country.as_str()), Some(50))?;
            }
        }
        body.text(
            "telephoneAndFaxNumber",
            customer.phone.as_deref(),
            Some(255),
        )?;
        body.text("mobilePhone", customer.mobile.as_deref(), Some(50))?;
        let email = customer.document_emails.invoice.as_deref();
        let email = email.filter(|e| !crate::scalar::is_blank(e));
        body.text("email", email.or(customer.email.as_deref()), Some(255))?;
        body.text("ean", customer.ean.as_deref(), Some(13))?;
        let vat_number = customer.vat_number.as_deref();
        match erp.vat {
            VatField::VatNumber => body.text("vatNumber", vat_number, Some(20))?,
            VatField::CorporateId { danish } => {
                let cvr = vat_number.and_then(danish_cvr).filter(|_| danish);
                let id = cvr.as_deref().or(vat_number);
                body.text("corporateIdentificationNumber", id, Some(40))?;
            }
        }
        body.decimal("creditLimit", customer.credit_limit)?;
        Ok(body.done())
    }
}

/// The numbered references of e-conomic's shape: group, VAT zone, payment
/// terms (the required three) and layout.
fn references(
    body: &mut Body<'_>,
    result: &Classification,
    customer: &Customer,
    map: &NumberMapping,
    at: &str,
) -> Result<(), ConnectError> {
    let group = result.group.as_ref();
    let group = group.ok_or_else(|| body.missing("customerGroup", "group"))?;
    let path = format!("{at}.customer_groups");
    let number = *body.mapped(
        "customerGroup",
        &map.customer_groups,
        group.value.as_str(),
        &path,
    )?;
    body.reference("customerGroup", "customerGroupNumber", number);

    let zone = result.vat_zone.as_ref();
    let zone = zone.ok_or_else(|| body.missing("vatZone", "vat_zone"))?;
    let number = if is_eu_consumer(result) {
        let path = format!("{at}.eu_consumer_vat_zone");
        map.eu_consumer_vat_zone
            .ok_or_else(|| body.unmapped("vatZone", EU_CONSUMER, &path))?
    } else {
        let path = format!("{at}.vat_zones");
        *body.mapped("vatZone", &map.vat_zones, &zone.value, &path)?
    };
    body.reference("vatZone", "vatZoneNumber", number);

    let number = match customer.payment_terms.as_deref() {
        Some(terms) => {
            let path = format!("{at}.payment_terms");
            *body.mapped("paymentTerms", &map.payment_terms, terms, &path)?
        }
        None => map
            .default_payment_terms
            .ok_or_else(|| body.missing("paymentTerms", "payment_terms"))?,
    };
    body.reference("paymentTerms", "paymentTermsNumber", number);

    if let Some(layout) = &result.layout {
        let path = format!("{at}.layouts");
        let number = *body.mapped("layout", &map.layouts, layout.value.as_str(), &path)?;
        body.reference("layout", "layoutNumber", number);
    }
    Ok(())
}

/// What an unmapped consumer VAT zone is called in its error.
const EU_CONSUMER: &str = "eu (a consumer: no valid VAT number)";

/// Whether the customer is a consumer in another EU member state: zone
/// `eu`, but no VAT number that passes its check. The EU zone of an ERP
/// means reverse charge, which only a registered business gets; a consumer
/// is charged VAT, so its ERP zone (or VAT code) is mapped on its own.
fn is_eu_consumer(result: &Classification) -> bool {
    result
        .vat_zone
        .as_ref()
        .is_some_and(|zone| zone.value == VatZone::Eu)
        && !result.b2b.value
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "test code: a failed unwrap is a failed test"
    )]

    use super::*;

    fn number(text: &str) -> Option<String> {
        exact_number(text.parse().unwrap()).map(|number| number.to_string())
    }

    #[test]
    fn decimals_keep_their_digits_as_numbers() {
        assert_eq!(number("5000.00").as_deref(), Some("5000"));
        assert_eq!(number("12500.50").as_deref(), Some("12500.5"));
        assert_eq!(number("0.10").as_deref(), Some("0.1"));
        assert_eq!(number("-250.75").as_deref(), Some("-250.75"));
        assert_eq!(
            number("1234567890123.45").as_deref(),
            Some("1234567890123.45")
        );
        assert_eq!(
            number("9223372036854775807").as_deref(),
            Some("9223372036854775807")
        );
        // Eighteen significant digits: no float prints them back.
        assert_eq!(number("1234567890123456.78"), None);
        assert_eq!(number("0.1234567890123456789"), None);
        assert_eq!(number("100000000000000000000"), None);
    }

    #[test]
    fn customer_numbers_are_one_to_nine_digits_without_a_leading_zero() {
        assert_eq!(customer_number("10001"), Some(10001));
        assert_eq!(customer_number("999999999"), Some(999_999_999));
        assert_eq!(customer_number("1000000000"), None);
        assert_eq!(customer_number("0"), None);
        assert_eq!(customer_number("007"), None);
        assert_eq!(customer_number("C-77"), None);
        assert_eq!(customer_number("+5"), None);
        assert_eq!(customer_number(""), None);
    }

    #[test]
    fn a_danish_vat_number_holds_the_cvr() {
        assert_eq!(danish_cvr("DK13585628").as_deref(), Some("13585628"));
        assert_eq!(danish_cvr("DK 13 58 56 28").as_deref(), Some("13585628"));
        assert_eq!(danish_cvr("13585628"), None);
        assert_eq!(danish_cvr("DE136695976"), None);
        assert_eq!(danish_cvr("DK1358562"), None);
    }
}
