//! `CustomerTable::duplicates` on 100,000 and 1,000,000 generated customers
//! with billing addresses, 2 % of them entered a second time with the
//! e-mail address and street written differently.
//!
//! Also: building the index new customers are checked against, and checking
//! one.
//!
//!     cargo bench -p custclass-benches --bench duplicates

#![allow(clippy::panic, reason = "a failed bench is a panic")]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use custclass::{CustomerTable, DuplicateReason};
use custclass_benches::{Seeded, customers};

fn with_addresses(n: usize) -> Vec<custclass::Customer> {
    let mut random = Seeded::new(5);
    let mut people = customers(n, 11);
    for customer in &mut people {
        let address = &mut customer.billing_address;
        let suffix = if random.below(100) < 30 { "a" } else { "" };
        address.street = Some(format!(
            "Street {} {}{suffix}",
            random.below(3_000),
            1 + random.below(200)
        ));
        address.postcode = Some(format!(
            "{} {}",
            1000 + random.below(9_000),
            ["AB", "CD", "EF"][random.below(3) as usize]
        ));
    }
    // The second entries: the mailbox in capitals, the street in capitals
    // with double spaces and a house number `12-A` where the first had
    // `12a`, a name with a legal form added.
    for i in 0..n / 50 {
        let mut twin = people[random.below(n as u64) as usize].clone();
        twin.id = custclass::CustomerId(format!("twin{i}"));
        twin.email = twin.email.map(|e| e.to_uppercase());
        twin.billing_address.street = twin.billing_address.street.map(|street| {
            let written = match street.strip_suffix('a') {
                Some(number) => format!("{number}-A"),
                None => street,
            };
            written.to_uppercase().replace(' ', "  ")
        });
        twin.name = twin.name.map(|name| format!("{name} B.V."));
        let at = random.below(n as u64) as usize;
        people[at] = twin;
    }
    people
}

fn duplicates(c: &mut Criterion) {
    let mut group = c.benchmark_group("duplicates");
    group.sample_size(10);
    for n in [100_000, 1_000_000] {
        let table = CustomerTable::from_customers(&with_addresses(n));
        let found = table.duplicates(Some(0.95));
        let count = |reason| found.iter().filter(|g| g.reason == reason).count();
        println!(
            "{n} customers: {} e-mail, {} VAT, {} address and {} name groups",
            count(DuplicateReason::Email),
            count(DuplicateReason::VatNumber),
            count(DuplicateReason::Address),
            count(DuplicateReason::Name)
        );
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(format!("exact/{n}"), |b| b.iter(|| table.duplicates(None)));
        group.bench_function(format!("with_names/{n}"), |b| {
            b.iter(|| table.duplicates(Some(0.95)))
        });
        group.bench_function(format!("index_build/{n}"), |b| {
            b.iter(|| table.duplicate_index())
        });
        let index = table.duplicate_index();
        let someone = table
            .customer(n / 2)
            .unwrap_or_else(|| panic!("row {}", n / 2));
        group.throughput(Throughput::Elements(1));
        group.bench_function(format!("check_one/{n}"), |b| {
            b.iter(|| index.check(&someone))
        });
    }
    group.finish();
}

criterion_group!(benches, duplicates);
criterion_main!(benches);
