#![allow(clippy::panic, clippy::unwrap_used)]
use custclass::CustomerTable;
use custclass_benches::customers;
fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let path = format!("/tmp/bench{n}.csv");
    let csv = match std::fs::read(&path) {
        Ok(csv) => csv,
        Err(_) => {
            let table = CustomerTable::from_customers(&customers(n, 11));
            let mut csv = Vec::new();
            table.write_csv(&mut csv, &[]).unwrap();
            std::fs::write(&path, &csv).unwrap();
            csv
        }
    };
    eprintln!("{} bytes, {} per row", csv.len(), csv.len() / n);
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let (t2, p) = CustomerTable::from_csv(csv.as_slice()).unwrap();
        eprintln!(
            "from_csv: {:?} ({} rows, {} problems)",
            t.elapsed(),
            t2.len(),
            p.len()
        );
    }
}
