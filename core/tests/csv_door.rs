//! Customer files as back offices hand them over: stray quotes, CRLF,
//! title-case headers, a customer listed twice. And the two readers, row by
//! row (`CsvCustomers`) and straight into columns (`CustomerTable::from_csv`,
//! `CsvChunks`), held to the same answer on generated messy files.

#![allow(clippy::unwrap_used)]

use custclass::customer_file::{CsvChunks, CsvCustomers, CsvOptions};
use custclass::{CustomerTable, Encoding, RowProblem, TableBuilder};
use proptest::prelude::*;

/// Every row's line and problem codes, read row by row.
fn rows(file: &str) -> Vec<(u64, Vec<String>)> {
    CsvCustomers::new(file.as_bytes())
        .unwrap()
        .map(|(line, row)| {
            let codes = match row {
                Ok(_) => Vec::new(),
                Err(problems) => problems.into_iter().map(|p| p.code).collect(),
            };
            (line, codes)
        })
        .collect()
}

#[test]
fn a_stray_quote_on_row_2_of_1000_costs_that_row_only() {
    let mut file = String::from("id;name;country\n1;\"Zum Anker;NL\n");
    for n in 2..1000 {
        file.push_str(&format!("{n};Shop {n};NL\n"));
    }
    let rows = rows(&file);
    assert_eq!(rows.len(), 999, "every data line is one row");
    assert_eq!(rows[0], (2, vec!["unclosed_quote".to_owned()]));
    assert!(rows[1..].iter().all(|(_, codes)| codes.is_empty()));

    let (table, problems) = CustomerTable::from_csv(file.as_bytes()).unwrap();
    assert_eq!(table.len(), 998);
    assert_eq!(problems.len(), 1);
    assert_eq!(
        (problems[0].line, problems[0].column.as_deref()),
        (Some(2), Some("name"))
    );
}

#[test]
fn crlf_files_report_the_physical_line() {
    let file = "id;country\r\n1;NL\r\n2;XX\r\n\r\n3;\"a\r\nb\"\r\n4;ZZ\r\n";
    let rows = rows(file);
    let lines: Vec<u64> = rows.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, [2, 3, 5, 7]);
    assert_eq!(rows[1].1, ["invalid_field"]);
    assert_eq!(rows[3].1, ["invalid_field"]);
    let (_, problems) = CustomerTable::from_csv(file.as_bytes()).unwrap();
    let lines: Vec<_> = problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [Some(3), Some(5), Some(7)]);
}

#[test]
fn headers_match_in_any_case_and_unknown_ones_name_the_closest() {
    let (table, problems) =
        CustomerTable::from_csv("ID; Name ;COUNTRY\n1;Ada;NL\n".as_bytes()).unwrap();
    assert!(problems.is_empty());
    assert_eq!(table.customer(0).unwrap().name.as_deref(), Some("Ada"));

    let err = CustomerTable::from_csv("id;Contry\n1;NL\n".as_bytes()).unwrap_err();
    assert_eq!(err.code(), "unknown_column");
    assert!(err.to_string().contains("did you mean 'country'?"), "{err}");
}

#[test]
fn a_repeated_id_is_rejected_naming_the_first_line() {
    let file = "id;price_group\n7;RETAIL\n8;RETAIL\n7;WHOLESALE\n";
    let rows: Vec<_> = CsvCustomers::new(file.as_bytes()).unwrap().collect();
    let problem = &rows[2].1.as_ref().unwrap_err()[0];
    assert_eq!(
        (problem.line, problem.code.as_str(), problem.id.as_deref()),
        (Some(4), "duplicate_id", Some("7"))
    );
    assert!(problem.message.contains("line 2"), "{}", problem.message);

    let (table, problems) = CustomerTable::from_csv(file.as_bytes()).unwrap();
    assert_eq!(table.len(), 2);
    assert_eq!(problems, vec![problem.clone()]);
}

#[test]
fn tab_separated_files_are_read() {
    let (table, problems) = CustomerTable::from_csv("id\tcountry\n1\tNL\n".as_bytes()).unwrap();
    assert!(problems.is_empty());
    assert_eq!(table.len(), 1);
}

/// The table and problems read row by row, through customers.
fn by_rows(file: &[u8]) -> (CustomerTable, Vec<RowProblem>) {
    let mut builder = TableBuilder::new();
    let mut problems = Vec::new();
    for (_, row) in CsvCustomers::new(file).unwrap() {
        match row {
            Ok(customer) => builder.push(&customer),
            Err(errors) => problems.extend(errors),
        }
    }
    (builder.finish(), problems)
}

/// A cell as messy files have them.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(" ".to_owned()),
        Just("NL".to_owned()),
        Just("nl".to_owned()),
        Just("XX".to_owned()),
        Just("12.50".to_owned()),
        Just("1,5".to_owned()),
        Just("2024-02-30".to_owned()),
        Just("2024-02-03".to_owned()),
        Just("true".to_owned()),
        Just("maybe".to_owned()),
        Just("\"quoted; with delimiter\"".to_owned()),
        Just("\"two\nlines\"".to_owned()),
        Just("\"stray".to_owned()),
        Just("O\"Brien".to_owned()),
        Just("a\r".to_owned()),
        "[a-c]{1,2}",
        "[0-9]{1,2}",
    ]
}

const HEADER: [&str; 7] = [
    "id",
    "country",
    "credit_limit",
    "created_at",
    "anonymised",
    "name",
    "attr.note",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn columns_and_rows_read_a_file_alike(
        lines in prop::collection::vec(prop::collection::vec(cell(), 5..9), 0..30),
        crlf in any::<bool>(),
        chunk in 1usize..8,
    ) {
        let newline = if crlf { "\r\n" } else { "\n" };
        let mut file = HEADER.join(";");
        for cells in &lines {
            file.push_str(newline);
            file.push_str(&cells.join(";"));
        }
        file.push_str(newline);
        let (expected, expected_problems) = by_rows(file.as_bytes());
        let (table, problems) = CustomerTable::from_csv(file.as_bytes()).unwrap();
        prop_assert_eq!(&problems, &expected_problems);
        prop_assert_eq!(&table, &expected);

        // In chunks: the same rows, chunk after chunk.
        let mut chunks = CsvChunks::new(file.as_bytes()).unwrap();
        let (mut row, mut all_problems) = (0, Vec::new());
        while let Some(part) = chunks.next_chunk(chunk).unwrap() {
            for at in 0..part.table.len() {
                prop_assert_eq!(part.table.customer(at), expected.customer(row));
                row += 1;
            }
            all_problems.extend(part.problems);
        }
        prop_assert_eq!(row, expected.len());
        prop_assert_eq!(all_problems, expected_problems);
        // Every line is the header, blank, or in exactly one row.
        let rows = CsvCustomers::new(file.as_bytes()).unwrap().count() as u64;
        prop_assert!(rows + chunks.blank_lines() < chunks.lines_read());
    }
}

#[test]
fn utf16_files_as_excel_saves_unicode_text_are_read() {
    let text = "id\tname\tcountry\r\n1\tMüller\tDE\r\n2\tŁukasz\tPL\r\n";
    let mut file = vec![0xff, 0xfe];
    file.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let (table, problems) = CustomerTable::from_csv(file.as_slice()).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(table.customer(1).unwrap().name.as_deref(), Some("Łukasz"));
}

#[test]
fn a_windows_1252_cell_names_the_encoding_and_reads_with_it() {
    let file = b"id;name\n1;M\xfcller\n2;Smit\n";
    let (table, problems) = CustomerTable::from_csv(&file[..]).unwrap();
    assert_eq!(table.len(), 1, "the good row is kept");
    assert_eq!(problems[0].code, "invalid_utf8");
    assert!(
        problems[0]
            .message
            .contains("looks like windows-1252: read it with encoding windows-1252"),
        "{}",
        problems[0].message
    );
    let options = CsvOptions::default().encoding(Encoding::Windows1252);
    let (table, problems) = CustomerTable::from_csv_with(&file[..], &options).unwrap();
    assert!(problems.is_empty());
    assert_eq!(table.customer(0).unwrap().name.as_deref(), Some("Müller"));
}
