//! The report writers give, byte for byte, what the command line used to
//! write: the CSV report as the `csv` crate wrote each customer's record,
//! and JSON lines as `canonical::to_string` of `{"customer": result.apply
//! (customer), "classification": result}`. Both for one customer at a time
//! and for a whole table written from its columns, on the bundled example
//! and on generated customers with text that needs quoting and escaping,
//! decimals with many places and rows the setup refuses.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::path::Path;

use custclass::report::{JsonLinesWriter, ReportWriter};
use custclass::{
    Address, Assigned, AttrValue, Classification, Customer, CustomerTable, Engine, Setup, Target,
    canonical,
};
use jiff::civil::Date;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn read(relative: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)).unwrap()
}

fn example_engine() -> Engine {
    Engine::new(Setup::from_json(&read("../examples/setup.json")).unwrap()).unwrap()
}

/// The CSV report as it was written before the writers wrote bytes
/// themselves: a `Vec<String>` per customer through the `csv` crate.
fn reference_csv<'a>(
    engine: &Engine,
    rows: impl IntoIterator<Item = (&'a Customer, &'a Classification)>,
) -> String {
    let slots: Vec<usize> = (1..=8)
        .filter(|slot| engine.slot_label(*slot).is_some())
        .collect();
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let mut header: Vec<String> = ["id", "name", "country", "channel", "connector"]
        .map(String::from)
        .to_vec();
    let targets = slots.iter().map(|slot| Target::Class(*slot)).chain([
        Target::Type,
        Target::Group,
        Target::PriceGroup,
    ]);
    let facts = [
        "vat_zone",
        "receivables_account",
        "revenue_account",
        "layout",
    ];
    for name in targets
        .map(|t| t.to_string())
        .chain(facts.map(String::from))
    {
        let source = format!("{name}_source");
        header.extend([name, source]);
    }
    header.push("b2b".into());
    writer.write_record(&header).unwrap();
    let blank = |text: Option<&str>| {
        text.filter(|text| !text.trim().is_empty())
            .unwrap_or_default()
            .to_owned()
    };
    for (customer, result) in rows {
        let mut row = vec![
            blank(Some(&customer.id.0)),
            blank(customer.name.as_deref()),
            blank(customer.country().map(|c| c.as_str())),
            blank(customer.channel.as_ref().map(|c| c.as_str())),
            blank(customer.connector.as_deref()),
        ];
        let mut pair = |value: Option<&Assigned>| {
            row.push(value.map(|a| a.value.clone()).unwrap_or_default());
            row.push(value.map(|a| a.source.to_string()).unwrap_or_default());
        };
        for slot in &slots {
            pair(result.classes.get(*slot));
        }
        pair(result.customer_type.as_ref());
        pair(result.group.as_ref());
        pair(result.price_group.as_ref());
        let zone = result.vat_zone.as_ref().map(|zone| Assigned {
            value: zone.value.to_string(),
            source: zone.source.clone(),
        });
        pair(zone.as_ref());
        pair(result.receivables_account.as_ref());
        pair(result.revenue_account.as_ref());
        pair(result.layout.as_ref());
        row.push(result.b2b.value.to_string());
        writer.write_record(&row).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

/// The JSON lines as the command line wrote them: a `serde_json::Value`
/// per customer, written canonically.
fn reference_lines<'a>(
    rows: impl IntoIterator<Item = (&'a Customer, &'a Classification)>,
) -> String {
    let mut text = String::new();
    for (customer, result) in rows {
        let record = serde_json::json!({
            "customer": result.apply(customer),
            "classification": result,
        });
        text.push_str(&canonical::to_string(&record));
        text.push('\n');
    }
    text
}

/// Writes `table` every way there is and compares each with the
/// reference; returns how many rows were classified.
fn check_table(engine: &Engine, table: &CustomerTable) -> usize {
    let classified = engine.classify_table(table);
    let rows: Vec<(Customer, Classification)> = (0..table.len())
        .filter_map(|row| {
            let result = classified.row(row).unwrap().ok()?;
            Some((table.customer(row).unwrap(), result))
        })
        .collect();
    let pairs = || rows.iter().map(|(customer, result)| (customer, result));

    let mut report = ReportWriter::new(Vec::new(), engine, b';').unwrap();
    assert_eq!(report.write_table(table, &classified).unwrap(), rows.len());
    let from_columns = String::from_utf8(report.finish().unwrap()).unwrap();
    let expected = reference_csv(engine, pairs());
    assert_eq!(from_columns, expected);

    let mut report = ReportWriter::new(Vec::new(), engine, b';').unwrap();
    for (customer, result) in pairs() {
        report.write(customer, result).unwrap();
    }
    assert_eq!(
        String::from_utf8(report.finish().unwrap()).unwrap(),
        expected
    );

    let mut lines = JsonLinesWriter::new(Vec::new());
    assert_eq!(lines.write_table(table, &classified).unwrap(), rows.len());
    let from_columns = String::from_utf8(lines.finish().unwrap()).unwrap();
    let expected = reference_lines(pairs());
    assert_eq!(from_columns, expected);

    let mut lines = JsonLinesWriter::new(Vec::new());
    for (customer, result) in pairs() {
        lines.write(customer, result).unwrap();
    }
    assert_eq!(
        String::from_utf8(lines.finish().unwrap()).unwrap(),
        expected
    );

    // The rows left out are exactly the ones in error.
    let rejected: Vec<usize> = classified.errors().map(|(row, _)| row).collect();
    let expected: Vec<usize> = (0..table.len())
        .filter(|&row| classified.error(row).is_some())
        .collect();
    assert_eq!(rejected, expected);
    assert_eq!(rejected.len() + rows.len(), table.len());
    rows.len()
}

#[test]
fn the_bundled_example_is_written_as_before() {
    let engine = example_engine();
    let (table, problems) =
        CustomerTable::from_csv(read("../examples/customers.csv").as_bytes()).unwrap();
    assert!(problems.is_empty());
    assert_eq!(check_table(&engine, &table), 1000);
}

#[test]
fn a_classification_of_another_table_is_refused() {
    let engine = example_engine();
    let file = "id;country\n1;NL\n";
    let (table, _) = CustomerTable::from_csv(file.as_bytes()).unwrap();
    let (other, _) = CustomerTable::from_csv(file.as_bytes()).unwrap();
    let classified = engine.classify_table(&other);
    let mut report = ReportWriter::new(Vec::new(), &engine, b';').unwrap();
    let err = report.write_table(&table, &classified).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    let mut lines = JsonLinesWriter::new(Vec::new());
    let err = lines.write_table(&table, &classified).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(lines.finish().unwrap().is_empty());
}

/// Text that needs quoting in CSV and escaping in JSON: delimiters,
/// quotes, backslashes, line ends, control characters, non-ASCII.
fn awkward() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[A-Za-z][A-Za-z0-9 .@-]{0,10}",
        1 => "[A-Za-z][A-Za-z ;,\"'\\\\\\n\\r\\t\u{1}\u{1f}\u{7f}éßø€😀/]{0,10}[A-Za-z]",
    ]
}

fn pick(values: &'static [&'static str]) -> impl Strategy<Value = Option<String>> {
    prop::option::weighted(0.6, prop::sample::select(values).prop_map(str::to_owned))
}

/// Mostly none or one of `values`, now and then `refused` (a code the
/// setup doesn't know or has retired).
fn rare(
    values: &'static [&'static str],
    refused: &'static str,
) -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        50 => Just(None),
        48 => prop::sample::select(values).prop_map(|v| Some(v.to_owned())),
        1 => Just(Some(refused.to_owned())),
    ]
}

/// A slot's value: mostly none or one of its codes, now and then one it
/// doesn't have.
fn slot(values: &'static [&'static str]) -> impl Strategy<Value = Option<String>> {
    rare(values, "MOON")
}

fn maybe<T: std::fmt::Debug>(
    strategy: impl Strategy<Value = T>,
) -> impl Strategy<Value = Option<T>> {
    prop::option::weighted(0.5, strategy)
}

/// Decimals from small to 28 significant digits, with up to 28 places.
fn number() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (-10_000_000i64..10_000_000, 0u32..4).prop_map(|(m, s)| Decimal::new(m, s)),
        (any::<i64>(), 0u32..=28).prop_map(|(m, s)| Decimal::new(m, s)),
        (
            any::<u32>(),
            any::<u32>(),
            any::<u32>(),
            any::<bool>(),
            0u32..=28
        )
            .prop_map(|(lo, mid, hi, negative, scale)| Decimal::from_parts(
                lo, mid, hi, negative, scale
            )),
    ]
}

prop_compose! {
    fn address()(
        street in maybe(awkward()),
        postcode in maybe(awkward()),
        city in maybe(awkward()),
        country in pick(&["NL", "DE", "GB", "US", "BE"]),
    ) -> Address {
        let mut address = Address::default();
        address.street = street;
        address.postcode = postcode;
        address.city = city;
        address.country = country.map(|c| c.try_into().unwrap());
        address
    }
}

prop_compose! {
    /// Who the customer is and how to reach it.
    fn contact()(
        id in prop_oneof!["[A-Z0-9]{1,8}", awkward()],
        (name, attention, email, invoice_email) in (maybe(awkward()), maybe(awkward()), maybe(awkward()), maybe(awkward())),
        (billing, delivery) in (address(), prop::option::weighted(0.3, address())),
        (phone, fax, ean, payment_terms) in (maybe(awkward()), maybe(awkward()), maybe("[0-9]{13}"), pick(&["NET30", "PREPAID"])),
        vat_number in pick(&["NL123456782B01", "DE123456788", "GB123456782", "123", "BE0403019261"]),
        currency in pick(&["EUR", "USD"]),
        credit_limit in maybe(number()),
        channel in pick(&["webshop", "pos", "manual", "import", "api", "market;place"]),
        (connector, sector, source) in (maybe(awkward()), pick(&["public", "automotive", "trade"]), maybe(awkward())),
        created_at in maybe((0i64..4000).prop_map(|d| Date::new(2017, 1, 1).unwrap().checked_add(jiff::Span::new().days(d)).unwrap())),
        anonymised in prop::bool::weighted(0.1),
    ) -> Customer {
        let mut customer = Customer::new(id);
        customer.name = name;
        customer.attention = attention;
        customer.email = email;
        customer.document_emails.invoice = invoice_email;
        customer.billing_address = billing;
        customer.delivery_address = delivery;
        customer.phone = phone;
        customer.fax = fax;
        customer.ean = ean;
        customer.payment_terms = payment_terms;
        customer.vat_number = vat_number;
        customer.currency = currency.map(|c| c.try_into().unwrap());
        customer.credit_limit = credit_limit;
        customer.channel = channel.map(Into::into);
        customer.connector = connector;
        customer.sector = sector;
        customer.source = source;
        customer.created_at = created_at;
        customer.anonymised = anonymised;
        customer
    }
}

prop_compose! {
    /// A customer's values by hand, attributes and `manual` list, in the
    /// example setup's terms with codes it refuses mixed in.
    fn labelled(contact: BoxedStrategy<Customer>)(
        mut customer in contact,
        classes in (
            slot(&["BENELUX", "DACH", "NORDIC", "UK", "NAM", "OTHER"]),
            slot(&["KEY", "PUBLIC", "SMB", "RETAIL"]),
            slot(&["WEB", "STORE", "SALES", "MARKET"]),
            slot(&["AUTO", "TRADE", "BUILD", "PUBLIC", "HORECA", "PRIVATE"]),
            slot(&["GOLD", "SILVER", "NEW", "BRONZE"]),
        ),
        (customer_type, group, price_group) in (rare(&["BUSINESS", "PRIVATE"], "INTERNAL"), rare(&["DOMESTIC", "EU", "WEBSHOP"], "NOPE"), rare(&["RETAIL", "TRADE"], "STAFF")),
        (receivables, revenue) in (pick(&["1300", "1399"]), pick(&["8000", "8999"])),
        vat_zone in pick(&["domestic", "eu", "abroad", "domestic_exempt"]),
        (turnover, orders, note) in (maybe(number()), maybe((0i64..40).prop_map(Decimal::from)), maybe(awkward())),
        turnover_as_text in any::<bool>(),
        manual in prop::collection::vec(prop::sample::select(&["group", "type", "class1", "class2", "price_group", "receivables_account"][..]), 0..4),
    ) -> Customer {
        let (c1, c2, c3, c4, c5) = classes;
        for (slot, value) in (1..=5).zip([c1, c2, c3, c4, c5]) {
            customer.classes.set(slot, value).unwrap();
        }
        customer.customer_type = customer_type;
        customer.group = group;
        customer.price_group = price_group;
        customer.receivables_account = receivables;
        customer.revenue_account = revenue;
        customer.vat_zone = vat_zone.map(|z| custclass::VatZone::parse(&z).unwrap());
        if let Some(turnover) = turnover {
            let value = if turnover_as_text {
                AttrValue::Text(turnover.to_string())
            } else {
                AttrValue::Number(turnover)
            };
            customer.attributes.insert("turnover_12m".into(), value);
        }
        if let Some(orders) = orders {
            customer.attributes.insert("orders_12m".into(), AttrValue::Number(orders));
        }
        if let Some(note) = note {
            customer.attributes.insert("note \"quoted\"".into(), AttrValue::Text(note));
        }
        customer.manual = manual.into_iter().map(str::to_owned).collect();
        customer
    }
}

fn customer() -> BoxedStrategy<Customer> {
    labelled(contact().boxed()).boxed()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A table of generated customers, several hundred rows per case.
    #[test]
    fn generated_tables_are_written_as_before(
        customers in prop::collection::vec(customer(), 100..400),
    ) {
        let engine = example_engine();
        let table = CustomerTable::from_customers(&customers);
        let classified = check_table(&engine, &table);
        // Both kinds of row in every case: written, and left out.
        prop_assert!(classified > 0 && classified < customers.len(), "{} of {}", classified, customers.len());
    }

    /// One customer at a time, as given rather than as a table gives it
    /// back: blank text, an empty delivery address.
    #[test]
    fn generated_customers_are_written_as_before(
        mut customers in prop::collection::vec(customer(), 1..40),
        blank_name in any::<bool>(),
        empty_delivery in any::<bool>(),
    ) {
        let engine = example_engine();
        if let Some(first) = customers.first_mut() {
            if blank_name {
                first.name = Some("  ".into());
            }
            if empty_delivery {
                first.delivery_address = Some(Address::default());
            }
        }
        let results: Vec<(Customer, Classification)> = customers
            .into_iter()
            .filter_map(|customer| {
                let result = engine.classify(&customer).ok()?;
                Some((customer, result))
            })
            .collect();
        let pairs = || results.iter().map(|(customer, result)| (customer, result));
        let mut report = ReportWriter::new(Vec::new(), &engine, b';').unwrap();
        let mut lines = JsonLinesWriter::new(Vec::new());
        for (customer, result) in pairs() {
            report.write(customer, result).unwrap();
            lines.write(customer, result).unwrap();
        }
        prop_assert_eq!(String::from_utf8(report.finish().unwrap()).unwrap(), reference_csv(&engine, pairs()));
        prop_assert_eq!(String::from_utf8(lines.finish().unwrap()).unwrap(), reference_lines(pairs()));
    }
}
