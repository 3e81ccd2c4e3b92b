//! The resynchronising CSV reader on any bytes: rows come in line order,
//! no line is in two rows, every line is the header, empty or in a row
//! (exactly, when no quote can join lines), and the row reader and the
//! column reader find the same rows and the same problems.
#![no_main]

use custclass::customer_file::{CsvChunks, CsvCustomers};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(mut rows) = CsvCustomers::new(data) else {
        return;
    };
    let mut count = 0u64;
    let mut last_line = 1;
    let mut problems = Vec::new();
    for (line, row) in rows.by_ref() {
        assert!(line > last_line, "row on line {line} after one on line {last_line}");
        last_line = line;
        count += 1;
        if let Err(errors) = row {
            problems.extend(errors);
        }
    }
    let lines = rows.lines_read();
    assert!(last_line <= lines.max(1), "a row on line {last_line} of {lines}");
    let accounted = 1 + count + rows.blank_lines();
    if memchr_quote(data) {
        assert!(accounted <= lines, "{accounted} lines accounted for, {lines} read");
    } else {
        assert_eq!(accounted, lines, "every line is the header, empty or a row");
    }

    let mut chunks = CsvChunks::new(data).expect("the header read once reads again");
    let mut chunk_problems = Vec::new();
    while let Ok(Some(chunk)) = chunks.next_chunk(7) {
        chunk_problems.extend(chunk.problems);
    }
    assert_eq!(chunks.rows_read() as u64, count);
    assert_eq!(chunk_problems, problems);
});

fn memchr_quote(data: &[u8]) -> bool {
    data.contains(&b'"')
}
