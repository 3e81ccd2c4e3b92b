//! What reading hostile customer files costs in memory: a 100 MB line, and
//! a quote never closed before 100 MB of lines, each read with the peak
//! resident memory reset before and read after (Linux's `VmHWM`). One test
//! in a binary of its own, so that no other test's memory is counted.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)]

use custclass::CustomerTable;
use custclass::customer_file::{CsvCustomers, JsonLinesCustomers};
use hostile::generated;

mod hostile;

/// The most memory that may be resident at once beyond what was before:
/// a few times the 1 MiB row limit, and far below the 100 MB read.
const BOUND: u64 = 16 << 20;

fn status(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|line| line.starts_with(field)).unwrap();
    let kb: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb * 1024
}

/// The peak resident memory while `work` runs, beyond what was resident
/// before it.
fn peak_growth<T>(work: impl FnOnce() -> T) -> (T, u64) {
    // Writing 5 resets the peak to the current resident size.
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let before = status("VmRSS:");
    let out = work();
    (out, status("VmHWM:").saturating_sub(before))
}

#[test]
fn reading_100_mb_of_hostile_input_holds_a_few_mib() {
    let (rows, grew) = peak_growth(|| {
        CsvCustomers::new(generated("id;name\n1;Ada\n2;", 0, "\n3;Grace\n"))
            .unwrap()
            .count()
    });
    assert_eq!(rows, 3);
    assert!(grew < BOUND, "a 100 MB CSV line: {grew} bytes");
    eprintln!("a 100 MB CSV line: peak resident memory grew by {grew} bytes");

    let (rows, grew) = peak_growth(|| {
        JsonLinesCustomers::new(generated(
            "{\"id\": \"1\"}\n{\"id\": \"2\", \"name\": \"",
            0,
            "\"}\n",
        ))
        .count()
    });
    assert_eq!(rows, 2);
    assert!(grew < BOUND, "a 100 MB JSON line: {grew} bytes");
    eprintln!("a 100 MB JSON line: peak resident memory grew by {grew} bytes");

    let (table, grew) = peak_growth(|| {
        CustomerTable::from_csv(generated("id;name\n1;Ada\n2;", 0, "\n3;Grace\n"))
            .unwrap()
            .0
    });
    assert_eq!(table.len(), 2);
    assert!(grew < BOUND, "a table over a 100 MB line: {grew} bytes");

    let (rows, grew) = peak_growth(|| {
        CsvCustomers::new(generated("id;name\n1;\"open", 80, "\"\n"))
            .unwrap()
            .count()
    });
    assert_eq!(rows, 1);
    assert!(grew < BOUND, "a quote never closed: {grew} bytes");
    eprintln!("100 MB in a quote never closed: peak resident memory grew by {grew} bytes");
}
