//! The bundled example exports completely: every one of the 1,000 example
//! customers makes a body for each ERP, with the setup's `erp` section
//! mapping every code those customers classify into. README's connector
//! example and the command line's `connect --to` rely on it.

#![allow(clippy::unwrap_used, clippy::panic)]

use custclass::customer_file::CsvCustomers;
use custclass::{Customer, Engine, Setup};

fn example() -> (Engine, Vec<Customer>) {
    let setup = std::fs::read_to_string("../examples/setup.json").unwrap();
    let engine = Engine::new(Setup::from_json(&setup).unwrap()).unwrap();
    let file = std::fs::read("../examples/customers.csv").unwrap();
    let customers = CsvCustomers::new(file.as_slice())
        .unwrap()
        .map(|(line, row)| row.unwrap_or_else(|err| panic!("line {line}: {err:?}")))
        .collect();
    (engine, customers)
}

#[test]
fn every_example_customer_exports_to_every_erp() {
    let (engine, customers) = example();
    assert_eq!(customers.len(), 1000);
    let mut numbered = 0;
    for customer in &customers {
        let id = customer.id.as_str();
        let exact = engine
            .to_exact(customer)
            .unwrap_or_else(|e| panic!("{id} exact: {e}"));
        assert_eq!(exact.system, "exact");
        assert_eq!(exact.body["Code"], id);
        assert!(exact.body["GLAR"].is_string(), "{id}: {:?}", exact.body);
        assert!(
            exact.body["Classification1"].is_string(),
            "{id}: {:?}",
            exact.body
        );
        for to in [Engine::to_economic, Engine::to_reviso] {
            let exported = to(&engine, customer).unwrap_or_else(|e| panic!("{id}: {e}"));
            for required in [
                "currency",
                "customerGroup",
                "name",
                "paymentTerms",
                "vatZone",
            ] {
                assert!(exported.body.contains_key(required), "{id}: {required}");
            }
            if exported.body.contains_key("customerNumber") {
                numbered += 1;
            }
        }
    }
    assert_eq!(
        numbered, 2000,
        "every example id is a number e-conomic and Reviso take"
    );
}

#[test]
fn an_anonymised_example_customer_is_named_by_its_id() {
    let (engine, customers) = example();
    let erased = customers
        .iter()
        .find(|c| c.anonymised && c.name.is_none())
        .unwrap();
    let exported = engine.to_economic(erased).unwrap();
    assert_eq!(exported.body["name"], erased.id.as_str());
    assert_eq!(exported.findings[0].code, "name_from_id");
}
