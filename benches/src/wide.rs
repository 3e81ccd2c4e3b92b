//! The benches' customers filled out to a whole customer file: every column
//! of the bundled example (`examples/customers.csv`, 51 of them), about 216
//! bytes a row, with what real exports hold and readers trip over: names
//! and streets in quotes, with semicolons, accents and the odd line break,
//! and a few rows the setup refuses. (What a customer can't hold, cells as
//! typed, the `write_customers` example puts into the file itself.)

use custclass::{AttrValue, Customer};
use rust_decimal::Decimal;

use crate::Seeded;

/// The columns of a whole customer file, in the example's order.
pub const COLUMNS: [&str; 51] = [
    "id",
    "name",
    "attention",
    "email",
    "email_quote",
    "email_order",
    "email_invoice",
    "email_credit_note",
    "email_statement",
    "street",
    "postcode",
    "city",
    "country",
    "delivery_street",
    "delivery_postcode",
    "delivery_city",
    "delivery_country",
    "phone",
    "phone2",
    "mobile",
    "fax",
    "vat_number",
    "ean",
    "currency",
    "vat_zone",
    "payment_terms",
    "credit_limit",
    "channel",
    "connector",
    "sector",
    "subsector",
    "company_size",
    "business_type",
    "source",
    "class1",
    "class2",
    "class3",
    "class4",
    "class5",
    "class6",
    "class7",
    "class8",
    "type",
    "group",
    "price_group",
    "receivables_account",
    "revenue_account",
    "created_at",
    "anonymised",
    "attr.turnover_12m",
    "attr.orders_12m",
];

const FIRST: [&str; 24] = [
    "Jan",
    "Sanne",
    "Pieter",
    "Émilie",
    "Jürgen",
    "Søren",
    "Łukasz",
    "Zoë",
    "Mohammed",
    "Anna",
    "Lars",
    "François",
    "Björn",
    "Chloé",
    "Dirk",
    "Fatma",
    "Giovanni",
    "Hanna",
    "Inés",
    "Joost",
    "Katarzyna",
    "Liam",
    "Małgorzata",
    "Noah",
];

const LAST: [&str; 24] = [
    "de Vries",
    "Müller",
    "Jansen",
    "O'Brien",
    "van 't Hek",
    "Ørsted",
    "Dubois",
    "Schröder",
    "Nowak",
    "Smith",
    "Bakker",
    "Groß",
    "Hansen",
    "Lefèvre",
    "Visser",
    "Yılmaz",
    "Andersson",
    "Kowalski",
    "Peeters",
    "García",
    "Meijer",
    "Novák",
    "Dijkstra",
    "Şahin",
];

const COMPANY: [&str; 8] = [
    "B.V.",
    "GmbH",
    "BVBA",
    "Ltd",
    "ApS",
    "S.A.R.L.",
    "& Zn",
    "Autobedrijf",
];

const STREETS: [&str; 12] = [
    "Hoofdstraat",
    "Kerkstraat",
    "Bahnhofstraße",
    "Rue de la Paix",
    "High Street",
    "Nørregade",
    "Dorpsweg",
    "Industrieweg",
    "Marktplein",
    "Storgatan",
    "Calle Mayor",
    "Am Ring",
];

const SECTORS: [&str; 6] = [
    "automotive",
    "trade",
    "construction",
    "public",
    "hospitality",
    "agriculture",
];

fn pick<'a>(random: &mut Seeded, values: &[&'a str]) -> &'a str {
    values
        .get(random.below(values.len() as u64) as usize)
        .copied()
        .unwrap_or_default()
}

/// True `percent` times in a hundred.
fn chance(random: &mut Seeded, percent: u64) -> bool {
    random.below(10_000) < percent * 100
}

/// True `per_mille` times in a thousand.
fn rarely(random: &mut Seeded, per_mille: u64) -> bool {
    random.below(100_000) < per_mille * 100
}

fn digits(random: &mut Seeded, n: u32) -> String {
    format!("{:0n$}", random.below(10u64.pow(n)), n = n as usize)
}

/// A postcode in the country's own form.
fn postcode(random: &mut Seeded, country: &str) -> String {
    match country {
        "NL" => format!(
            "{} {}{}",
            1000 + random.below(9000),
            char::from(b'A' + random.below(26) as u8),
            char::from(b'A' + random.below(26) as u8)
        ),
        "GB" => format!("SW{} {}AA", 1 + random.below(20), 1 + random.below(9)),
        "US" => digits(random, 5),
        "DE" | "FR" | "ES" => digits(random, 5),
        _ => digits(random, 4),
    }
}

/// A phone number as typed: international or local, spaced or not.
fn phone(random: &mut Seeded, dial: &str) -> String {
    match random.below(3) {
        0 => format!("+{dial}{}", digits(random, 9)),
        1 => format!("+{dial} {} {}", digits(random, 2), digits(random, 7)),
        _ => format!("0{}-{}", digits(random, 2), digits(random, 7)),
    }
}

fn dial(country: &str) -> &'static str {
    match country {
        "NL" => "31",
        "DE" => "49",
        "BE" => "32",
        "GB" => "44",
        "FR" => "33",
        "DK" => "45",
        "US" => "1",
        "SE" => "46",
        "AT" => "43",
        _ => "34",
    }
}

/// Fills the columns `customers` leaves empty, from `random` (a generator
/// of its own, so the benches' columns stay as they are). `row` makes the
/// values that are unique per customer unique.
pub fn widen(customer: &mut Customer, row: usize, random: &mut Seeded) {
    let country = customer
        .country()
        .map(|c| c.as_str().to_owned())
        .unwrap_or_default();
    let business = customer.vat_number.is_some();
    let (first, last) = (pick(random, &FIRST), pick(random, &LAST));
    let mut name = if business {
        format!("{last} {}", pick(random, &COMPANY))
    } else {
        format!("{first} {last}")
    };
    if rarely(random, 10) {
        name = format!("Garage \"{last}\" {}", pick(random, &COMPANY));
    } else if rarely(random, 5) {
        name = format!("{last}; {first}");
    } else if rarely(random, 10) {
        name = format!(" {name} ");
    }
    customer.name = Some(name);
    if chance(random, 8) {
        customer.attention = Some(format!("t.a.v. {first} {last}"));
    }
    let domain = if business {
        format!("{}.example.com", row % 100_000)
    } else {
        "example.com".to_owned()
    };
    let mail = |what: &str| Some(format!("{what}{row}@{domain}"));
    let emails = &mut customer.document_emails;
    if chance(random, 12) {
        emails.invoice = mail("invoice");
    }
    if chance(random, 3) {
        emails.quote = mail("quote");
    }
    if chance(random, 3) {
        emails.order = mail("orders");
    }
    if chance(random, 2) {
        emails.credit_note = mail("credit");
    }
    if chance(random, 3) {
        emails.statement = mail("ar");
    }
    if chance(random, 88) {
        let mut street = format!("{} {}", pick(random, &STREETS), 1 + random.below(250));
        if chance(random, 10) {
            street.push(char::from(b'a' + random.below(4) as u8));
        }
        if rarely(random, 1) {
            street.push_str("\nPostbus 12");
        }
        customer.billing_address.street = Some(street);
        customer.billing_address.postcode = Some(postcode(random, &country));
    }
    if chance(random, 6) {
        let mut delivery = custclass::Address::default();
        delivery.street = Some(format!("{} {}", pick(random, &STREETS), random.below(99)));
        delivery.postcode = Some(postcode(random, &country));
        delivery.city = customer.billing_address.city.clone();
        delivery.country = customer.billing_address.country.clone();
        customer.delivery_address = Some(delivery);
    }
    let dial = dial(&country);
    if chance(random, 55) {
        customer.phone = Some(phone(random, dial));
    }
    if chance(random, 5) {
        customer.phone2 = Some(phone(random, dial));
    }
    if chance(random, 25) {
        customer.mobile = Some(phone(random, dial));
    }
    if chance(random, 3) {
        customer.fax = Some(phone(random, dial));
    }
    if business && chance(random, 20) {
        customer.ean = Some(format!("87{}", digits(random, 11)));
    }
    if chance(random, 80) {
        let currency = match country.as_str() {
            "US" => "USD",
            "GB" => "GBP",
            "DK" => "DKK",
            "SE" => "SEK",
            _ => "EUR",
        };
        customer.currency = currency.to_owned().try_into().ok();
    }
    if rarely(random, 5) {
        customer.vat_zone = Some(custclass::VatZone::DomesticExempt);
    }
    if chance(random, 45) {
        customer.payment_terms = Some(pick(random, &["NET30", "NET14", "PREPAID"]).to_owned());
    }
    if business && chance(random, 70) || chance(random, 10) {
        let limit = Decimal::new(100_000 * (1 + random.below(200)) as i64, 2);
        customer.credit_limit = Some(limit);
    }
    if business || chance(random, 10) {
        customer.sector = Some(pick(random, &SECTORS).to_owned());
        if chance(random, 20) {
            customer.subsector = Some(format!("{} {}", pick(random, &SECTORS), random.below(12)));
        }
        if chance(random, 50) {
            customer.company_size =
                Some(pick(random, &["1-9", "10-49", "50-249", "250+"]).to_owned());
        }
        customer.business_type =
            Some(pick(random, &["company", "sole_trader", "government"]).to_owned());
    }
    if chance(random, 20) {
        customer.source =
            Some(pick(random, &["referral", "google", "fair", "newsletter"]).to_owned());
    }
    // Values by hand, a few of them ones the setup refuses.
    if rarely(random, 20) {
        customer.customer_type = Some(if business { "BUSINESS" } else { "PRIVATE" }.to_owned());
    }
    if rarely(random, 20) {
        customer.group = Some(pick(random, &["DOMESTIC", "EU", "OVERSEAS", "GOLD"]).to_owned());
    }
    if rarely(random, 1) {
        customer.price_group = Some("RETAIL".to_owned());
    }
    if rarely(random, 10) {
        customer.receivables_account = Some(format!("1{}", digits(random, 3)));
    }
    if rarely(random, 10) {
        customer.revenue_account = Some(format!("8{}", digits(random, 3)));
    }
    customer.anonymised = rarely(random, 2);
    if rarely(random, 1) {
        customer
            .attributes
            .insert("turnover_12m".to_owned(), AttrValue::Text("n/a".to_owned()));
    }
    if chance(random, 80) {
        customer.attributes.insert(
            "orders_12m".to_owned(),
            AttrValue::Number(Decimal::from(random.below(60))),
        );
    }
}
