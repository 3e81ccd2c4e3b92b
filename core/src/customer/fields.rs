//! The customer fields, listed once.
//!
//! Each field's name (the CSV and Arrow column, the expression field), its
//! JSON path, its kind and value domain, and how it is read from a customer
//! and written into one from text. The CSV and Arrow readers, the
//! expression compiler, the table and the report all read this list, so a
//! new field is one entry here (and its place on [`Customer`]), not an
//! edit in each of them. Blank text is no value in every one of them.
//!
//! JSON is read by serde from the struct itself; the helpers it uses
//! (`deserialize_text`, `deserialize_coded`, …) read values with the same
//! functions as the entries below ([`crate::scalar`]).

use std::borrow::Cow;

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::{Address, Customer, CustomerId, VatZone};
use crate::error::CodeError;
use crate::scalar;

/// A list of codes defined by the setup, which a coded field's values come
/// from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Codebook {
    Slot(usize),
    Type,
    Group,
    PriceGroup,
}

/// Which values a text field takes, beyond "any text".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Domain {
    Any,
    Country,
    Currency,
    Zone,
    Codes(Codebook),
}

/// How a field is read off a customer and put onto one.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Access {
    /// Text kept as given (names, addresses, slot and group codes).
    Text {
        get: fn(&Customer) -> Option<&str>,
        put: fn(&mut Customer) -> &mut Option<String>,
    },
    /// Text read into a checked form and written back one way (country,
    /// currency, zone, channel, id).
    Coded {
        get: fn(&Customer) -> Option<&str>,
        set: fn(&mut Customer, &str) -> Result<(), String>,
    },
    Number {
        get: fn(&Customer) -> Option<Decimal>,
        put: fn(&mut Customer) -> &mut Option<Decimal>,
    },
    Day {
        get: fn(&Customer) -> Option<Date>,
        put: fn(&mut Customer) -> &mut Option<Date>,
    },
    Flag {
        get: fn(&Customer) -> bool,
        put: fn(&mut Customer) -> &mut bool,
    },
    /// A list of names, written as text separated by commas (`manual`).
    List {
        get: fn(&Customer) -> &[String],
        put: fn(&mut Customer) -> &mut Vec<String>,
    },
}

/// One customer field.
#[derive(Debug)]
pub(crate) struct Field {
    /// Its name as a CSV or Arrow column and in expressions.
    pub name: &'static str,
    /// Where it sits in the customer's JSON.
    pub path: &'static str,
    pub domain: Domain,
    pub access: Access,
    /// Whether conditions may test it. (`manual` is bookkeeping, and
    /// `vat_zone` in a condition means the zone worked out, not the one
    /// set by hand.)
    pub in_expressions: bool,
}

impl Field {
    /// The field's value on `customer` as text, as a text column stores it;
    /// `None` for no value (blank text included) and for fields of other
    /// kinds.
    pub(crate) fn text<'c>(&self, customer: &'c Customer) -> Option<Cow<'c, str>> {
        match self.access {
            Access::Text { get, .. } | Access::Coded { get, .. } => get(customer)
                .filter(|text| !scalar::is_blank(text))
                .map(Cow::Borrowed),
            Access::List { get, .. } => {
                let list = get(customer);
                (!list.is_empty()).then(|| Cow::Owned(list.join(",")))
            }
            Access::Number { .. } | Access::Day { .. } | Access::Flag { .. } => None,
        }
    }

    /// Whether the field holds text (kept as given or checked).
    pub(crate) fn is_text(&self) -> bool {
        matches!(
            self.access,
            Access::Text { .. } | Access::Coded { .. } | Access::List { .. }
        )
    }

    /// Reads `cell`, text that is not blank, into the field of `customer`.
    ///
    /// # Errors
    ///
    /// What the text should be, for a value the field can't take.
    pub(crate) fn set_text(&self, customer: &mut Customer, cell: &str) -> Result<(), String> {
        match self.access {
            Access::Text { put, .. } => *put(customer) = Some(cell.to_owned()),
            Access::Coded { set, .. } => set(customer, cell)?,
            Access::Number { put, .. } => {
                let number = scalar::decimal(cell).map_err(|why| {
                    why.message(cell, || format!("`{cell}` is not a decimal number"))
                })?;
                *put(customer) = Some(number);
            }
            Access::Day { put, .. } => *put(customer) = Some(scalar::day(cell)?),
            Access::Flag { put, .. } => *put(customer) = scalar::flag(cell)?,
            Access::List { put, .. } => {
                *put(customer) = cell
                    .split([',', ' '])
                    .filter(|name| !name.is_empty())
                    .map(str::to_owned)
                    .collect();
            }
        }
        Ok(())
    }
}

/// The field called `name`, if there is one.
pub(crate) fn field(name: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|field| field.name == name)
}

/// Whether `name` is a customer column: a field, or `attr.<name>`.
pub(crate) fn is_column(name: &str) -> bool {
    match name.strip_prefix("attr.") {
        Some(attr) => !attr.is_empty(),
        None => field(name).is_some(),
    }
}

/// Writes the text of a CSV cell into column `name` of a customer (a
/// field, or `attr.<name>`), as the CSV reader does.
///
/// # Errors
///
/// What the cell should be, for a value the column can't take, or that the
/// column does not exist.
pub(crate) fn set_cell(customer: &mut Customer, name: &str, cell: &str) -> Result<(), String> {
    if let Some(attr) = name.strip_prefix("attr.").filter(|attr| !attr.is_empty()) {
        customer
            .attributes
            .insert(attr.to_owned(), super::AttrValue::Text(cell.to_owned()));
        return Ok(());
    }
    field(name)
        .ok_or_else(|| format!("'{name}' is not a customer field"))?
        .set_text(customer, cell)
}

/// `unknown_column` for a header `name` at `position` (1-based) that is no
/// customer column, naming the field it most likely means.
pub(crate) fn unknown_column(name: &str, position: usize) -> crate::error::TableError {
    let wanted = name.trim().to_ascii_lowercase();
    // An empty header is a stray delimiter, not a misspelling of `id`.
    let suggestion = FIELDS
        .iter()
        .filter(|_| !wanted.is_empty())
        .map(|field| (strsim::damerau_levenshtein(&wanted, field.name), field.name))
        .filter(|(distance, known)| *distance <= 2.max(known.len() / 4))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, known)| known.to_owned());
    crate::error::TableError::unknown_column(name, position, suggestion)
}

/// The JSON paths of the fields one object down from the customer
/// (`billing_address.country`), for the did-you-mean of an unknown field.
pub(crate) fn nested_paths() -> impl Iterator<Item = &'static str> {
    FIELDS
        .iter()
        .filter_map(|field| field.path.strip_prefix("$."))
        .filter(|path| path.contains('.'))
}

/// The fields conditions may test, by name.
pub(crate) fn expression_fields() -> impl Iterator<Item = &'static Field> {
    FIELDS.iter().filter(|field| field.in_expressions)
}

fn delivery(customer: &mut Customer) -> &mut Address {
    customer
        .delivery_address
        .get_or_insert_with(Default::default)
}

/// Slot `n` (1..=8) of a customer's classes.
fn slot_place(slots: &mut [Option<String>; 8], n: usize) -> &mut Option<String> {
    let [s1, s2, s3, s4, s5, s6, s7, s8] = slots;
    match n {
        1 => s1,
        2 => s2,
        3 => s3,
        4 => s4,
        5 => s5,
        6 => s6,
        7 => s7,
        _ => s8,
    }
}

/// A text field kept as given.
macro_rules! text {
    ($name:literal, $path:literal, $domain:expr, |$c:ident| $place:expr) => {
        Field {
            name: $name,
            path: $path,
            domain: $domain,
            access: Access::Text {
                get: |$c| $place.as_deref(),
                put: |$c| &mut $place,
            },
            in_expressions: true,
        }
    };
}

/// A text field on the delivery address, which exists once one is set.
macro_rules! delivery_text {
    ($name:literal, $path:literal, $field:ident) => {
        Field {
            name: $name,
            path: $path,
            domain: Domain::Any,
            access: Access::Text {
                get: |c| c.delivery_address.as_ref()?.$field.as_deref(),
                put: |c| &mut delivery(c).$field,
            },
            in_expressions: true,
        }
    };
}

/// Classification slot `n`.
macro_rules! slot {
    ($name:literal, $n:literal) => {
        Field {
            name: $name,
            path: concat!("$.classes.", $name),
            domain: Domain::Codes(Codebook::Slot($n)),
            access: Access::Text {
                get: |c| c.classes.get($n),
                put: |c| slot_place(&mut c.classes.0, $n),
            },
            in_expressions: true,
        }
    };
}

use Domain::Any;

/// Every field, in the order of a customer file's columns and a table's.
pub(crate) static FIELDS: &[Field] = &[
    Field {
        name: "id",
        path: "$.id",
        domain: Any,
        access: Access::Coded {
            get: |c| Some(&c.id.0),
            set: |c, v| {
                c.id = CustomerId(v.to_owned());
                Ok(())
            },
        },
        in_expressions: true,
    },
    text!("name", "$.name", Any, |c| c.name),
    text!("attention", "$.attention", Any, |c| c.attention),
    text!("email", "$.email", Any, |c| c.email),
    text!("email_quote", "$.document_emails.quote", Any, |c| c
        .document_emails
        .quote),
    text!("email_order", "$.document_emails.order", Any, |c| c
        .document_emails
        .order),
    text!("email_invoice", "$.document_emails.invoice", Any, |c| c
        .document_emails
        .invoice),
    text!(
        "email_credit_note",
        "$.document_emails.credit_note",
        Any,
        |c| c.document_emails.credit_note
    ),
    text!("email_statement", "$.document_emails.statement", Any, |c| c
        .document_emails
        .statement),
    text!("street", "$.billing_address.street", Any, |c| c
        .billing_address
        .street),
    text!("postcode", "$.billing_address.postcode", Any, |c| c
        .billing_address
        .postcode),
    text!("city", "$.billing_address.city", Any, |c| c
        .billing_address
        .city),
    Field {
        name: "country",
        path: "$.billing_address.country",
        domain: Domain::Country,
        access: Access::Coded {
            get: |c| c.billing_address.country.as_ref().map(|c| c.as_str()),
            set: |c, v| {
                c.billing_address.country = Some(v.parse().map_err(|e: CodeError| e.to_string())?);
                Ok(())
            },
        },
        in_expressions: true,
    },
    delivery_text!("delivery_street", "$.delivery_address.street", street),
    delivery_text!("delivery_postcode", "$.delivery_address.postcode", postcode),
    delivery_text!("delivery_city", "$.delivery_address.city", city),
    Field {
        name: "delivery_country",
        path: "$.delivery_address.country",
        domain: Domain::Country,
        access: Access::Coded {
            get: |c| {
                c.delivery_address
                    .as_ref()?
                    .country
                    .as_ref()
                    .map(|c| c.as_str())
            },
            set: |c, v| {
                delivery(c).country = Some(v.parse().map_err(|e: CodeError| e.to_string())?);
                Ok(())
            },
        },
        in_expressions: true,
    },
    text!("phone", "$.phone", Any, |c| c.phone),
    text!("phone2", "$.phone2", Any, |c| c.phone2),
    text!("mobile", "$.mobile", Any, |c| c.mobile),
    text!("fax", "$.fax", Any, |c| c.fax),
    text!("vat_number", "$.vat_number", Any, |c| c.vat_number),
    text!("ean", "$.ean", Any, |c| c.ean),
    Field {
        name: "currency",
        path: "$.currency",
        domain: Domain::Currency,
        access: Access::Coded {
            get: |c| c.currency.as_ref().map(|c| c.as_str()),
            set: |c, v| {
                c.currency = Some(v.parse().map_err(|e: CodeError| e.to_string())?);
                Ok(())
            },
        },
        in_expressions: true,
    },
    text!("payment_terms", "$.payment_terms", Any, |c| c.payment_terms),
    Field {
        name: "channel",
        path: "$.channel",
        domain: Any,
        access: Access::Coded {
            get: |c| c.channel.as_ref().map(|c| c.as_str()),
            set: |c, v| {
                c.channel = Some(v.to_owned().into());
                Ok(())
            },
        },
        in_expressions: true,
    },
    text!("connector", "$.connector", Any, |c| c.connector),
    text!("external_id", "$.external_id", Any, |c| c.external_id),
    text!("sector", "$.sector", Any, |c| c.sector),
    text!("subsector", "$.subsector", Any, |c| c.subsector),
    text!("company_size", "$.company_size", Any, |c| c.company_size),
    text!("business_type", "$.business_type", Any, |c| c.business_type),
    text!("source", "$.source", Any, |c| c.source),
    text!("type", "$.type", Domain::Codes(Codebook::Type), |c| c
        .customer_type),
    text!("group", "$.group", Domain::Codes(Codebook::Group), |c| c
        .group),
    text!(
        "price_group",
        "$.price_group",
        Domain::Codes(Codebook::PriceGroup),
        |c| c.price_group
    ),
    text!("receivables_account", "$.receivables_account", Any, |c| c
        .receivables_account),
    text!("revenue_account", "$.revenue_account", Any, |c| c
        .revenue_account),
    slot!("class1", 1),
    slot!("class2", 2),
    slot!("class3", 3),
    slot!("class4", 4),
    slot!("class5", 5),
    slot!("class6", 6),
    slot!("class7", 7),
    slot!("class8", 8),
    Field {
        name: "vat_zone",
        path: "$.vat_zone",
        domain: Domain::Zone,
        access: Access::Coded {
            get: |c| c.vat_zone.map(VatZone::as_str),
            set: |c, v| {
                let zone: VatZone = v.parse().map_err(|e: CodeError| e.to_string())?;
                c.vat_zone = Some(zone);
                Ok(())
            },
        },
        in_expressions: false,
    },
    Field {
        name: "manual",
        path: "$.manual",
        domain: Any,
        access: Access::List {
            get: |c| &c.manual,
            put: |c| &mut c.manual,
        },
        in_expressions: false,
    },
    Field {
        name: "credit_limit",
        path: "$.credit_limit",
        domain: Any,
        access: Access::Number {
            get: |c| c.credit_limit,
            put: |c| &mut c.credit_limit,
        },
        in_expressions: true,
    },
    Field {
        name: "created_at",
        path: "$.created_at",
        domain: Any,
        access: Access::Day {
            get: |c| c.created_at,
            put: |c| &mut c.created_at,
        },
        in_expressions: true,
    },
    Field {
        name: "anonymised",
        path: "$.anonymised",
        domain: Any,
        access: Access::Flag {
            get: |c| c.anonymised,
            put: |c| &mut c.anonymised,
        },
        in_expressions: true,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_paths_name_json_fields() {
        let mut names: Vec<_> = FIELDS.iter().map(|f| f.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FIELDS.len());
        // Every path is where a customer's JSON keeps the field: a value
        // set through the field shows up at that path.
        for field in FIELDS {
            let mut customer = Customer::new("1");
            let sample = match field.access {
                Access::Number { .. } => "12.5",
                Access::Day { .. } => "2026-01-31",
                Access::Flag { .. } => "true",
                Access::List { .. } => "group",
                Access::Coded { .. } if field.domain == Domain::Zone => "eu",
                Access::Coded { .. } if field.domain == Domain::Currency => "EUR",
                Access::Coded { .. } => "NL",
                Access::Text { .. } => "X",
            };
            field.set_text(&mut customer, sample).unwrap();
            let json = serde_json::to_value(&customer).unwrap();
            let mut at = &json;
            for key in field.path.trim_start_matches("$.").split('.') {
                at = &at[key];
            }
            assert!(!at.is_null(), "{} at {}", field.name, field.path);
        }
    }

    #[test]
    fn blank_text_on_a_customer_built_in_code_is_no_value() {
        let mut customer = Customer::new("1");
        customer.vat_number = Some("  ".into());
        assert_eq!(field("vat_number").unwrap().text(&customer), None);
        assert!(!customer.is_b2b());
    }
}
