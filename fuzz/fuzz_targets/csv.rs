//! CSV import: any bytes give a header error or rows (good ones and
//! reported ones); the table reads the same bytes the same way.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(rows) = custclass::customer_file::CsvCustomers::new(data) {
        rows.for_each(drop);
    }
    if let Ok((table, _)) = custclass::CustomerTable::from_csv(data) {
        let mut out = Vec::new();
        let _ = table.write_csv(&mut out, &[]);
    }
});
