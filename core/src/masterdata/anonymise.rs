//! Erasing a person for a GDPR request while the books and the segment
//! reports keep adding up.

use crate::customer::{Address, AttrValue, Customer, DocumentEmails};

impl Customer {
    /// The customer with everything that identifies the person erased: name,
    /// attention line, e-mail addresses, street, postcode and city, phone
    /// numbers, VAT number, EAN and text attributes; and marked anonymised.
    ///
    /// What reports and the books need stays: the id (invoices point at
    /// it), the classification slots, type, group, price group and accounts,
    /// the countries (a country alone names nobody, and the VAT zone depends
    /// on it), channel and marketing fields, currency, terms, credit limit,
    /// creation day and numeric attributes. Anonymising twice changes
    /// nothing more.
    ///
    /// ```
    /// use custclass::Customer;
    ///
    /// let customer = Customer::from_json(r#"{"id": "7", "name": "Ada Jansen",
    ///     "billing_address": {"street": "Kade 1", "country": "NL"}, "group": "DOMESTIC"}"#)?;
    /// let erased = customer.anonymise();
    /// assert_eq!(custclass::canonical::to_string(&erased), r#"{"anonymised":true,"billing_address":{"country":"NL"},"group":"DOMESTIC","id":"7"}"#);
    /// assert_eq!(erased.anonymise(), erased);
    /// # Ok::<(), custclass::CustomerError>(())
    /// ```
    #[must_use]
    pub fn anonymise(&self) -> Customer {
        let country_only = |address: &Address| Address {
            country: address.country.clone(),
            ..Address::default()
        };
        Customer {
            name: None,
            attention: None,
            email: None,
            document_emails: DocumentEmails::default(),
            billing_address: country_only(&self.billing_address),
            delivery_address: self
                .delivery_address
                .as_ref()
                .filter(|address| address.country.is_some())
                .map(country_only),
            phone: None,
            phone2: None,
            mobile: None,
            fax: None,
            vat_number: None,
            ean: None,
            attributes: self
                .attributes
                .iter()
                .filter(|(_, value)| matches!(value, AttrValue::Number(_)))
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect(),
            anonymised: true,
            ..self.clone()
        }
    }
}
