//! Stores results, reads them back, and re-classifies into an audit log.
//!
//! An ERP back end classifies each new customer, writes the values onto its
//! customer record (group, price group, receivables account, …) and keeps
//! the classification beside it (a JSONB column, say). Months later the
//! setup changes: the EU group gets its own receivables account. Reading the
//! stored classification back and re-classifying against it gives one audit
//! entry per value that changes, with its source and setup before and after;
//! the accounts the engine computed follow the new setup, and the one a
//! bookkeeper changed by hand stays.
//!
//! Run with `cargo run -p custclass --example audit_log`.

use std::collections::BTreeMap;
use std::error::Error;

use custclass::{Classification, Customer, Engine, Setup, Source};

const SIGN_UPS: &str = r#"[
    {"id": "20001", "name": "Fietsen Jansen", "billing_address": {"country": "NL"}, "vat_number": "NL004495445B01", "channel": "webshop"},
    {"id": "20002", "name": "Radsport Müller GmbH", "billing_address": {"country": "DE"}, "vat_number": "DE136695976", "channel": "webshop"},
    {"id": "20003", "name": "Vélos Durand", "billing_address": {"country": "FR"}, "vat_number": "FR40303265045", "channel": "phone"}
]"#;

/// What the host keeps per customer: its record and the stored result.
struct Stored {
    record: Customer,
    classification: String,
}

fn main() -> Result<(), Box<dyn Error>> {
    let before = Setup::from_json(include_str!("../../examples/setup.json"))?;
    let engine = Engine::new(before.clone())?;
    let first = engine.fingerprint();

    // Day one: classify each sign-up, write the values onto the record as an
    // ERP keeps them, and store the classification beside it.
    let mut database = BTreeMap::new();
    for customer in Customer::list_from_json(SIGN_UPS)? {
        let classification = engine.classify(&customer)?;
        let mut record = classification.apply(&customer);
        record.receivables_account = classification
            .receivables_account
            .as_ref()
            .map(|account| account.value.clone());
        let stored = Stored {
            record,
            classification: serde_json::to_string(&classification)?,
        };
        database.insert(customer.id.0.clone(), stored);
    }

    // A bookkeeper moves the French customer to another receivables account.
    if let Some(french) = database.get_mut("20003") {
        french.record.receivables_account = Some("1399".to_owned());
    }

    // Months later: the EU group gets an account of its own.
    let mut after = before;
    for group in after.groups.iter_mut().filter(|group| group.code == "EU") {
        group.receivables_account = Some("1315".to_owned());
    }
    let engine = Engine::new(after)?;

    println!("setup {} -> {}", short(first), short(engine.fingerprint()));
    let mut log = Vec::new();
    for (id, stored) in &database {
        let earlier = Classification::from_json(&stored.classification)?;
        let audit = engine.reclassify_since(&stored.record, &earlier)?;
        for change in &audit.changes {
            let describe = |value: &Option<custclass::Assigned>| match value {
                Some(assigned) => format!("{} ({})", assigned.value, assigned.source),
                None => "none".to_owned(),
            };
            println!(
                "customer {id}: {} {} -> {}",
                change.target,
                describe(&change.from),
                describe(&change.to)
            );
            log.push((id.clone(), change.clone()));
        }
    }

    // The German customer's account was computed: it follows its group. The
    // French one was set by hand since: it stays, and is not in the log.
    let moved = log.iter().any(|(id, change)| {
        id == "20002"
            && change.target.to_string() == "receivables_account"
            && change.to.as_ref().is_some_and(|to| to.value == "1315")
            && change
                .from
                .as_ref()
                .is_some_and(|from| from.source != Source::Manual)
    });
    let kept = !log
        .iter()
        .any(|(id, change)| id == "20003" && change.target.to_string() == "receivables_account");
    if !(moved && kept) {
        return Err("the audit log is not what the setup change implies".into());
    }
    println!(
        "audit log: {} entries; the hand-set account stayed",
        log.len()
    );
    Ok(())
}

/// The first eight hex digits of a fingerprint, as a log shows it.
fn short(fingerprint: custclass::Fingerprint) -> String {
    fingerprint.to_string().chars().take(8).collect()
}
