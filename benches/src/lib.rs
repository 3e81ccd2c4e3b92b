//! Seeded generators of realistic data for the benches: a company with many
//! price groups and an item-group tree, and an order book.
//!
//! Everything comes from one small linear congruential generator, so a seed
//! gives the same data on every machine, without a dependency.

#![allow(
    clippy::expect_used,
    reason = "bench data: the codes are constants that are known to be valid"
)]

use custclass::{
    Customer, CustomerScope, ItemGroup, ItemScope, PriceAction, PriceGroup, PriceRequest,
    PriceRule, Setup,
};
use jiff::civil::Date;
use rust_decimal::Decimal;

pub mod frame;
pub mod wide;

/// Item groups in the tree: 10 roots with 9 children each.
pub const ITEM_GROUPS: usize = 100;

/// Rules per price group: one per item group.
const RULES_PER_PRICE_GROUP: usize = ITEM_GROUPS;

/// A tiny seeded generator (Knuth's MMIX constants).
#[derive(Debug, Clone)]
pub struct Seeded(u64);

impl Seeded {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Seeded {
        Seeded(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// A number in `0..bound`.
    pub fn below(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound.max(1)
    }
}

fn item_group(index: usize) -> String {
    format!("IG{index:03}")
}

fn price_group(index: usize) -> String {
    format!("PG{index:04}")
}

fn day(day_of_year: i16) -> Date {
    Date::new(2026, 1, 1)
        .ok()
        .and_then(|start| start.checked_add(jiff::Span::new().days(day_of_year)).ok())
        .unwrap_or_default()
}

/// The standard setup plus `rules` price rules: one per price group and
/// item group (price groups grow with the rules), a third with quantity
/// breaks, a fifth with a date window, a tenth in one currency, and five
/// rules for everyone.
pub fn pricing_setup(rules: usize) -> Setup {
    let mut setup = Setup::standard("NL".to_owned().try_into().expect("ISO code"));
    let price_groups = rules.div_ceil(RULES_PER_PRICE_GROUP).max(1);
    setup.price_groups = (0..price_groups)
        .map(|i| PriceGroup {
            code: price_group(i),
            description: None,
            inactive: false,
        })
        .collect();
    setup.pricing.item_groups = (0..ITEM_GROUPS)
        .map(|i| ItemGroup {
            code: item_group(i),
            parent: (i >= 10).then(|| item_group(i % 10)),
        })
        .collect();
    let mut random = Seeded::new(rules as u64);
    let rule = |id: String, customers, items, random: &mut Seeded| {
        let n = random.below(30);
        let from = random.below(300) as i16;
        let mut rule = PriceRule::new(id, PriceAction::DiscountPercent(Decimal::from(1 + n)));
        rule.customers = customers;
        rule.items = items;
        rule.min_quantity = n
            .is_multiple_of(3)
            .then(|| Decimal::from(1 + random.below(10)));
        rule.valid_from = n.is_multiple_of(5).then(|| day(from));
        rule.valid_to = n.is_multiple_of(5).then(|| day(from + 60));
        rule.currency = n
            .is_multiple_of(10)
            .then(|| "EUR".parse().expect("ISO code"));
        rule
    };
    let mut list = Vec::with_capacity(rules + 5);
    for k in 0..rules {
        let (pg, ig) = (k / RULES_PER_PRICE_GROUP, k % RULES_PER_PRICE_GROUP);
        list.push(rule(
            format!("r{k}"),
            CustomerScope::PriceGroup(price_group(pg)),
            ItemScope::ItemGroup(item_group(ig)),
            &mut random,
        ));
    }
    for k in 0..5 {
        list.push(rule(
            format!("all{k}"),
            CustomerScope::All,
            ItemScope::ItemGroup(item_group(k)),
            &mut random,
        ));
    }
    setup.pricing.rules = list;
    setup
}

/// An order book: `orders` orders of `lines_per_order` lines, each order for
/// one of `customers` customers spread over the price groups of
/// `pricing_setup(rules)`.
pub fn order_book(
    rules: usize,
    customers: usize,
    orders: usize,
    lines_per_order: usize,
    seed: u64,
) -> Vec<(Customer, Vec<PriceRequest>)> {
    let price_groups = rules.div_ceil(RULES_PER_PRICE_GROUP).max(1);
    let mut random = Seeded::new(seed);
    let people: Vec<Customer> = (0..customers)
        .map(|i| {
            let mut customer = Customer::new(format!("C{i:06}"));
            customer.price_group = Some(price_group(i % price_groups));
            customer.billing_address.country = Some("NL".to_owned().try_into().expect("ISO code"));
            customer
        })
        .collect();
    let eur = "EUR".to_owned().try_into().expect("ISO code");
    let usd = "USD".to_owned().try_into().expect("ISO code");
    (0..orders)
        .map(|_| {
            let customer = people
                .get(random.below(customers as u64) as usize)
                .cloned()
                .unwrap_or_default();
            let date = day(random.below(365) as i16);
            let currency = if random.below(10) == 0 { usd } else { eur };
            let lines = (0..lines_per_order)
                .map(|_| {
                    let mut line = PriceRequest::new(
                        format!("SKU{:05}", random.below(20_000)),
                        Decimal::new(100 + random.below(50_000) as i64, 2),
                        Decimal::from(1 + random.below(20)),
                        date,
                        currency,
                    );
                    line.item_group = Some(item_group(random.below(ITEM_GROUPS as u64) as usize));
                    line
                })
                .collect();
            (customer, lines)
        })
        .collect()
}

/// Countries, most frequent first: a Dutch company's customers.
const COUNTRIES: [(&str, u64); 10] = [
    ("NL", 40),
    ("DE", 15),
    ("BE", 12),
    ("GB", 8),
    ("FR", 7),
    ("DK", 5),
    ("US", 5),
    ("SE", 4),
    ("AT", 3),
    ("ES", 1),
];

/// A VAT number as customers type them: nine in ten pass their country's
/// check (drawn until one does), one in ten is a typo; one in five is
/// written with spaces and in lower case. US customers give their EIN,
/// which has no check.
fn vat_number(customer: &mut Customer, country: &str, random: &mut Seeded) -> String {
    let draw = |random: &mut Seeded| {
        let digits = |n: u32, random: &mut Seeded| {
            format!("{:0n$}", random.below(10u64.pow(n)), n = n as usize)
        };
        match country {
            "NL" => format!("NL{}B01", digits(9, random)),
            "BE" => format!("BE0{}", digits(9, random)),
            "FR" => {
                // The key follows from the SIREN; the draw is for its Luhn digit.
                let siren = random.below(1_000_000_000);
                format!("FR{:02}{siren:09}", (siren * 100 + 12) % 97)
            }
            "DK" => format!("DK{}", digits(8, random)),
            "US" => format!("{}-{}", digits(2, random), digits(7, random)),
            "SE" => format!("SE{}01", digits(10, random)),
            "AT" => format!("ATU{}", digits(8, random)),
            "ES" => format!("ESB{}", digits(8, random)),
            other => format!("{other}{}", digits(9, random)),
        }
    };
    let mut number = draw(random);
    if random.below(10) > 0 {
        for _ in 0..200 {
            customer.vat_number = Some(number.clone());
            if customer.vat_valid() != Some(false) {
                break;
            }
            number = draw(random);
        }
    }
    if random.below(5) == 0 {
        let (prefix, body) = number.split_at(2);
        number = format!("{} {}", prefix.to_lowercase(), body);
    }
    number
}

const CONNECTORS: [&str; 4] = ["shopify", "woocommerce", "magento", "lightspeed"];

/// `n` realistic customers: skewed countries, about 45 % from the webshop,
/// 35 % with a VAT number, eight classification slots with 5 to 50 values
/// each and about 30 % left empty, and a 12-month turnover.
pub fn customers(n: usize, seed: u64) -> Vec<custclass::Customer> {
    customer_stream(seed).take(n).collect()
}

/// The customers of [`customers`], one at a time: `customers(n, seed)` is
/// the first `n` of `customer_stream(seed)`, for files too large to hold.
pub fn customer_stream(seed: u64) -> impl Iterator<Item = custclass::Customer> {
    let mut random = Seeded::new(seed);
    let total: u64 = COUNTRIES.iter().map(|(_, weight)| weight).sum();
    let slot_sizes = [5u64, 8, 12, 20, 30, 40, 50, 6];
    (0..).map(move |i| {
        let mut customer = Customer::new(format!("{:07}", 1_000_000 + i));
        let mut pick = random.below(total);
        let country = COUNTRIES
            .iter()
            .find(|(_, weight)| {
                let hit = pick < *weight;
                pick = pick.saturating_sub(*weight);
                hit
            })
            .map_or("NL", |(code, _)| code);
        customer.billing_address.country = Some(country.to_owned().try_into().expect("ISO code"));
        customer.billing_address.city = Some(format!("City {}", random.below(2_000)));
        customer.name = Some(format!("Customer {i}"));
        customer.email = Some(format!("customer{i}@example.com"));
        let webshop = random.below(100) < 45;
        customer.channel = Some(
            if webshop {
                "webshop"
            } else {
                ["pos", "manual", "import"][random.below(3) as usize]
            }
            .to_owned()
            .into(),
        );
        if webshop {
            customer.connector = Some(CONNECTORS[random.below(4) as usize].to_owned());
        }
        if random.below(100) < 35 {
            customer.vat_number = Some(vat_number(&mut customer, country, &mut random));
        }
        for (place, size) in customer.classes.0.iter_mut().zip(slot_sizes) {
            if random.below(100) >= 30 {
                *place = Some(format!("V{}", random.below(size)));
            }
        }
        customer.created_at = Some(day(random.below(365) as i16));
        customer.attributes.insert(
            "turnover_12m".to_owned(),
            custclass::AttrValue::Number(Decimal::new(random.below(10_000_000) as i64, 2)),
        );
        customer
    })
}

/// The setup the generated customers fit: the standard one plus eight slots
/// with the codes `customers` uses (`V0`…`V49`) and the turnover attribute.
pub fn bulk_setup() -> Setup {
    let mut setup = Setup::standard("NL".to_owned().try_into().expect("ISO code"));
    let labels = [
        "Region", "Segment", "Loyalty", "Size", "Branch", "Source", "Team", "Tier",
    ];
    setup.slots = (1..=8)
        .zip(labels)
        .map(|(slot, label)| custclass::Slot {
            slot,
            label: label.to_owned(),
            values: (0..50)
                .map(|v| custclass::SlotValue {
                    code: format!("V{v}"),
                    description: None,
                    inactive: false,
                })
                .collect(),
        })
        .collect();
    setup.attributes = vec![custclass::AttributeDef {
        name: "turnover_12m".to_owned(),
        kind: custclass::AttributeKind::Number,
    }];
    let rule = |id: &str, when: &str, target: &str, value: &str, overrides: bool| {
        let mut rule = custclass::Rule::new(id, when).set(target, value);
        rule.overrides = overrides;
        rule
    };
    let mut rules = vec![
        rule("nl", "country = 'NL'", "class1", "V1", true),
        rule(
            "dach",
            "country in ('DE', 'AT', 'CH')",
            "class1",
            "V2",
            true,
        ),
        rule("be", "country = 'BE'", "class1", "V3", true),
        rule(
            "nordic",
            "country in ('DK', 'SE', 'NO', 'FI')",
            "class1",
            "V4",
            true,
        ),
        rule("uk", "country = 'GB'", "class1", "V5", true),
        rule("rest", "country is not null", "class1", "V0", true),
        rule("key", "attr.turnover_12m >= 50000", "class2", "V1", true),
        rule("mid", "attr.turnover_12m >= 10000", "class2", "V2", true),
        rule(
            "small",
            "attr.turnover_12m is not null",
            "class2",
            "V3",
            true,
        ),
        rule(
            "shopify",
            "channel = 'webshop' and connector = 'shopify'",
            "class3",
            "V1",
            true,
        ),
        rule("webshop", "channel = 'webshop'", "class3", "V2", true),
        rule("counter", "channel = 'pos'", "class3", "V3", true),
        rule("other-channel", "channel is not null", "class3", "V4", true),
        rule("vat", "vat_number is not null", "class4", "V1", true),
        rule("no-vat", "vat_number is null", "class4", "V2", true),
        rule("new", "created_at >= 2026-07-01", "class5", "V1", true),
        rule("old", "created_at < 2026-07-01", "class5", "V2", true),
        rule(
            "eu-b2b",
            "vat_zone = 'eu' and b2b = true",
            "class6",
            "V1",
            true,
        ),
        rule(
            "domestic-b2b",
            "vat_zone = 'domestic' and b2b = true",
            "class6",
            "V2",
            true,
        ),
        rule("b2c", "b2b = false", "class6", "V3", true),
        rule(
            "example",
            "email ends_with '@example.com'",
            "class7",
            "V1",
            true,
        ),
        rule(
            "tier1",
            "class1 = 'V1' and class2 = 'V1'",
            "class8",
            "V1",
            true,
        ),
        rule("tier2", "class2 in ('V1', 'V2')", "class8", "V2", true),
        rule("tier3", "class2 = 'V3'", "class8", "V3", true),
        rule(
            "business",
            "vat_number is not null",
            "type",
            "BUSINESS",
            false,
        ),
        rule(
            "webshop-consumer",
            "channel = 'webshop' and vat_number is null",
            "group",
            "WEBSHOP",
            false,
        ),
    ];
    for (i, country) in [
        "FR", "ES", "IT", "PL", "US", "CA", "AU", "JP", "CN", "BR", "MX", "ZA", "IN", "NZ",
    ]
    .iter()
    .enumerate()
    {
        rules.push(rule(
            &format!("country-{country}"),
            &format!("country = '{country}'"),
            "class7",
            &format!("V{}", i + 2),
            true,
        ));
    }
    setup.rules = rules;
    setup
}

/// Ten segment queries of one to four conditions over `bulk_setup`.
pub const SEGMENTS: [&str; 10] = [
    "country = 'DE'",
    "channel = 'webshop' and vat_number is not null",
    "class1 in ('V1', 'V2') and attr.turnover_12m >= 50000",
    "vat_zone = 'eu'",
    "email ends_with '@example.com' and country in ('NL', 'BE')",
    "class.Segment = 'V3' or class.Tier = 'V5'",
    "created_at between 2026-03-01 and 2026-05-31 and channel = 'webshop'",
    "not (country = 'NL') and b2b = true and class4 is null",
    "connector = 'shopify' and class2 != 'V0' and attr.turnover_12m < 1000 and country = 'DK'",
    "city starts_with 'City 1'",
];

/// A realistic order book's pieces (issue #18): many customers ordering
/// once or twice, whose price group the setup's rules derive.
pub mod book {
    use super::{Seeded, bulk_setup, item_group, pricing_setup};
    use custclass::Setup;

    /// [`bulk_setup`] with the price groups, item groups and first 2,000
    /// price rules of [`pricing_setup`] (20 price groups × 100 item
    /// groups), rules that give each customer a price group by its 12-month
    /// turnover (pricing must classify), and beyond 2,000 rules, rules for
    /// one price group and one item each (a price list per item), so that
    /// more rules don't mean more classification.
    pub fn setup(rules: usize) -> Setup {
        let mut setup = bulk_setup();
        let mut pricing = pricing_setup(rules.min(2_000));
        let groups = pricing.price_groups.len();
        for (k, group) in pricing.price_groups.iter().enumerate() {
            let step = 100_000 / groups;
            let when = format!(
                "attr.turnover_12m >= {} and attr.turnover_12m < {}",
                k * step,
                (k + 1) * step
            );
            setup
                .rules
                .push(custclass::Rule::new(format!("pg{k}"), when).set("price_group", &group.code));
        }
        let mut random = Seeded::new(rules as u64);
        let mut price_rules = std::mem::take(&mut pricing.pricing.rules);
        for k in 0..rules.saturating_sub(price_rules.len()) {
            let group = pricing.price_groups.get(k % groups).map(|g| g.code.clone());
            let mut rule = custclass::PriceRule::new(
                format!("item{k}"),
                custclass::PriceAction::DiscountPercent(rust_decimal::Decimal::from(
                    1 + random.below(40),
                )),
            );
            rule.customers = custclass::CustomerScope::PriceGroup(group.unwrap_or_default());
            rule.items = custclass::ItemScope::Item(format!("SKU{:05}", (k / groups) % 20_000));
            price_rules.push(rule);
        }
        setup.price_groups = pricing.price_groups;
        setup.pricing = pricing.pricing;
        setup.pricing.rules = price_rules;
        setup
    }

    /// One order line as columns hold it.
    #[derive(Debug, Clone)]
    pub struct Line {
        pub customer: String,
        pub item: String,
        pub item_group: String,
        /// In cents.
        pub list_price: i64,
        pub quantity: i64,
        pub day_of_year: i16,
        pub currency: &'static str,
    }

    /// `count` lines from the `customers` customers of
    /// [`customers`](super::customers)`(customers, seed)`: each ordering customer (drawn
    /// without repeats) has 1 line, else 2, else more (each further line
    /// with probability 0.37), so 1,000,000 lines reach about 630,000
    /// customers; a customer's lines are one order (one day and currency).
    pub fn lines(customers: usize, count: usize, seed: u64) -> Vec<Line> {
        let mut random = Seeded::new(seed ^ 0xB00C);
        let ids: Vec<String> = super::customers(customers, seed)
            .into_iter()
            .map(|customer| customer.id.0)
            .collect();
        // A stride coprime to the count visits every customer once.
        let stride = (0..)
            .map(|k| customers / 2 + 1 + k)
            .find(|s| gcd(*s, customers) == 1)
            .unwrap_or(1);
        let mut lines = Vec::with_capacity(count);
        let mut next = random.below(customers as u64) as usize;
        while lines.len() < count {
            let customer = ids.get(next).cloned().unwrap_or_default();
            next = (next + stride) % customers.max(1);
            let day_of_year = random.below(365) as i16;
            let currency = if random.below(10) == 0 { "USD" } else { "EUR" };
            loop {
                lines.push(Line {
                    customer: customer.clone(),
                    item: format!("SKU{:05}", random.below(20_000)),
                    item_group: item_group(random.below(super::ITEM_GROUPS as u64) as usize),
                    list_price: 100 + random.below(50_000) as i64,
                    quantity: 1 + random.below(20) as i64,
                    day_of_year,
                    currency,
                });
                if lines.len() == count || random.below(100) >= 37 {
                    break;
                }
            }
        }
        lines
    }

    fn gcd(a: usize, b: usize) -> usize {
        if b == 0 { a } else { gcd(b, a % b) }
    }
}
