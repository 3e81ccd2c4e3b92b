//! A long-running service: one engine shared by worker threads, and a setup
//! change swapped in while they work.
//!
//! The engine in service sits behind a `RwLock<Arc<…>>`. A worker takes the
//! current one (a read lock held just long enough to clone an `Arc`) for each
//! customer, so every answer comes whole from one engine. The new engine is
//! built and validated off to the side, with no lock held; a setup that
//! doesn't validate never reaches the workers. Swapping is one write.
//!
//! At the end every answer is checked against the engine it came from: each
//! equals what that engine gives alone, and no worker saw the old engine
//! after the new one. Run with `cargo run -p custclass --example shared_engine`.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::thread;
use std::time::Duration;

use custclass::{
    Classification, Customer, CustomerError, CustomerTable, Engine, ResultField, Rule, Setup,
    Target,
};

const SETUP: &str = include_str!("../../examples/setup.json");
const CUSTOMERS: &str = include_str!("../../examples/customers.csv");
const WORKERS: usize = 4;

/// The engine in service and the version of the setup it was built from.
struct Live {
    version: usize,
    engine: Engine,
}

/// One answer: which engine gave it, for which customer.
struct Answer {
    version: usize,
    row: usize,
    classification: Classification,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (table, problems) = CustomerTable::from_csv(CUSTOMERS.as_bytes())?;
    if !problems.is_empty() {
        return Err(format!("{} example customers can't be read", problems.len()).into());
    }
    let customers: Vec<Customer> = (0..table.len())
        .filter_map(|row| table.customer(row))
        .collect();

    // Version 1: the bundled setup. Version 2 adds a rule, as a setup editor
    // would send it: SILVER from 3 orders a year instead of 8.
    let old = Engine::new(Setup::from_json(SETUP)?)?;
    let mut setup = old.setup().clone();
    setup.rules.push(serde_json::from_str::<Rule>(
        r#"{"id": "loyalty-silver-from-3", "when": "attr.orders_12m between 3 and 7",
            "set": {"class.Loyalty": "SILVER"}}"#,
    )?);
    let new = Engine::new(setup)?; // validated before it goes near the workers

    let live = RwLock::new(Arc::new(Live {
        version: 1,
        engine: old.clone(),
    }));
    let done = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);

    let answers: Vec<Vec<Answer>> = thread::scope(|scope| {
        let workers: Vec<_> = (0..WORKERS)
            .map(|worker| {
                let (live, done, stop, customers) = (&live, &done, &stop, &customers);
                scope.spawn(move || -> Result<Vec<Answer>, CustomerError> {
                    let mut answers = Vec::new();
                    // Round and round the customers, each worker from its own place.
                    let rows = customers.iter().enumerate().cycle().skip(worker * 250);
                    for (row, customer) in rows {
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        let current =
                            Arc::clone(&live.read().unwrap_or_else(PoisonError::into_inner));
                        let classification = current.engine.classify(customer)?;
                        answers.push(Answer {
                            version: current.version,
                            row,
                            classification,
                        });
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(answers)
                })
            })
            .collect();

        // The setup changes while the workers run: wait for some answers from
        // version 1, swap, then let them go on a while with version 2. (A
        // worker stops early only on an error, reported below.)
        let wait_for = |count| {
            while done.load(Ordering::Relaxed) < count && !workers.iter().any(|w| w.is_finished()) {
                thread::sleep(Duration::from_millis(1));
            }
        };
        wait_for(2_000);
        *live.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(Live {
            version: 2,
            engine: new.clone(),
        });
        let swapped_at = done.load(Ordering::Relaxed);
        wait_for(swapped_at + 2_000);
        stop.store(true, Ordering::Relaxed);

        workers
            .into_iter()
            .map(|worker| match worker.join() {
                Ok(answers) => answers.map_err(|err| err.to_string()),
                Err(_) => Err("a worker panicked".to_owned()),
            })
            .collect::<Result<_, _>>()
    })?;

    // Check every answer against its engine alone, and that no worker went
    // back to version 1 once it had seen version 2.
    let mut per_version = [0; 2];
    for (worker, answers) in answers.iter().enumerate() {
        let mut seen = 1;
        for answer in answers {
            let engine = if answer.version == 1 { &old } else { &new };
            if answer.classification != engine.classify(&customers[answer.row])? {
                return Err(format!(
                    "worker {worker}: customer row {} is not version {}'s answer",
                    answer.row, answer.version
                )
                .into());
            }
            if answer.version < seen {
                return Err(format!("worker {worker} saw version 1 after version 2").into());
            }
            seen = answer.version;
            per_version[answer.version - 1] += 1;
        }
    }

    let silver = |engine: &Engine| {
        let loyalty = engine
            .classify_table(&table)
            .counts(ResultField::Target(Target::Class(5)));
        let silver = loyalty
            .into_iter()
            .find(|(value, _)| value.as_deref() == Some("SILVER"));
        silver.map_or(0, |(_, count)| count)
    };
    println!(
        "{WORKERS} workers gave {} answers while the setup changed",
        per_version.iter().sum::<usize>()
    );
    println!(
        "  setup version 1: {:>6} answers ({} SILVER customers)",
        per_version[0],
        silver(&old)
    );
    println!(
        "  setup version 2: {:>6} answers ({} SILVER customers, rule loyalty-silver-from-3)",
        per_version[1],
        silver(&new)
    );
    println!("every answer is whole from one engine; none went back to version 1");
    Ok(())
}
