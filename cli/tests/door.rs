//! The file door through the command line: the messy and hostile files back
//! offices hand over, each as it was seen to lose data before.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;

use common::{custclass, example, repo, scratch, text};

fn setup() -> String {
    example("setup.json")
}

/// These files test one thing each and lack the attribute columns the
/// example setup's rules test; without this flag the run stops on that.
const LENIENT: &str = "--allow-unknown-columns";

const LINES_HEADER: &str = "customer;item;item_group;list_price;quantity;date;currency\n";

#[test]
fn a_stray_quote_costs_its_row_and_the_counts_add_up() {
    let dir = scratch("quote");
    let mut file = String::from("id;name;country\n1;\"Zum Anker;NL\n");
    for n in 2..=1000 {
        file.push_str(&format!("{n};Shop {n};NL\n"));
    }
    std::fs::write(dir.join("customers.csv"), file).unwrap();
    let out = custclass(
        &["classify", "--setup", &setup(), LENIENT, "customers.csv"],
        &dir,
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("1000 customers read: 999 classified, 1 rejected"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 2, column name: [unclosed_quote]"),
        "{stderr}"
    );
    assert!(stderr.contains("the file's 1001 lines"), "{stderr}");
    assert_eq!(stdout.lines().count(), 1000, "header and 999 rows");
}

#[test]
fn crlf_files_report_the_physical_line() {
    let dir = scratch("crlf");
    std::fs::write(
        dir.join("customers.csv"),
        "id;country\r\n1;NL\r\n\r\n2;XX\r\n",
    )
    .unwrap();
    let out = custclass(
        &["classify", "--setup", &setup(), LENIENT, "customers.csv"],
        &dir,
    );
    let stderr = text(&out.stderr);
    assert!(stderr.contains("line 4, column country"), "{stderr}");
}

#[test]
fn a_repeated_customer_id_is_rejected_in_classify_filter_and_price() {
    let dir = scratch("duplicate");
    std::fs::write(
        dir.join("customers.csv"),
        "ID;Price_Group\n10018;RETAIL\n10019;RETAIL\n10018;WHOLESALE\n",
    )
    .unwrap();
    let out = custclass(
        &["classify", "--setup", &setup(), LENIENT, "customers.csv"],
        &dir,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("line 4, column id: [duplicate_id] id '10018' is already on line 2"),
        "{stderr}"
    );
    let out = custclass(
        &[
            "filter",
            "--setup",
            &setup(),
            "--where",
            "id = '10018'",
            "customers.csv",
        ],
        &dir,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("[duplicate_id]"));
    assert_eq!(text(&out.stdout).lines().count(), 2, "the first row only");

    std::fs::write(
        dir.join("lines.csv"),
        format!("{LINES_HEADER}10018;BRAKE-PAD-F;BRAKES;54.00;2;2026-11-22;EUR\n"),
    )
    .unwrap();
    let out = custclass(
        &[
            "price",
            "--setup",
            &setup(),
            "--customers",
            "customers.csv",
            "lines.csv",
        ],
        &dir,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("customers line 4: id '10018' is already on line 2"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 line(s) priced, 0 rejected; 1 customer row(s) rejected"),
        "{stderr}"
    );
}

#[test]
fn a_misspelt_or_missing_order_line_column_stops_the_run() {
    let dir = scratch("columns");
    let customers = repo().join("examples/customers.csv").display().to_string();
    for (header, expected) in [
        (
            "customer;item;itemgroup;list_price;quantity;date;currency\n",
            "did you mean 'item_group'?",
        ),
        (
            "customer;item;list_price;quantity;date;currency\n",
            "the file has no 'item_group' column",
        ),
    ] {
        std::fs::write(
            dir.join("lines.csv"),
            format!("{header}10018;BRAKE-PAD-F;54.00;2;2026-11-22;EUR\n"),
        )
        .unwrap();
        let out = custclass(
            &[
                "price",
                "--setup",
                &setup(),
                "--customers",
                &customers,
                "lines.csv",
            ],
            &dir,
        );
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(expected), "{expected}: {stderr}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn a_windows_1252_byte_costs_its_order_line_and_the_encoding_reads_it() {
    let dir = scratch("cp1252");
    let customers = repo().join("examples/customers.csv").display().to_string();
    let mut lines = LINES_HEADER.as_bytes().to_vec();
    lines.extend_from_slice(b"10018;BRAKE-PAD-F;BRAKES;54.00;2;2026-11-22;EUR\n");
    lines.extend_from_slice(b"10018;PARE-CHOC \xc9;BRAKES;54.00;2;2026-11-22;EUR\n");
    lines.extend_from_slice(b"10018;BRAKE-PAD-F;BRAKES;54.00;2;2026-11-22T09:00:00+01:00;EUR\n");
    std::fs::write(dir.join("lines.csv"), &lines).unwrap();
    let args = [
        "price",
        "--setup",
        &setup(),
        "--customers",
        &customers,
        "lines.csv",
    ];
    let out = custclass(&args, &dir);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("1 line(s) priced, 2 rejected"), "{stderr}");
    assert!(
        stderr
            .contains("line 3: item: the cell is not UTF-8 text; the file looks like windows-1252"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 4: date: "),
        "a timestamp is refused: {stderr}"
    );

    let mut args = args.to_vec();
    args.extend(["--encoding", "windows-1252"]);
    let out = custclass(&args, &dir);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("PARE-CHOC É"), "{stdout}");
    assert!(text(&out.stderr).contains("2 line(s) priced, 1 rejected"));
}

#[test]
fn utf16_customer_files_are_read_and_an_unknown_encoding_is_refused() {
    let dir = scratch("utf16");
    let file = "ID\tName\tCountry\r\n1\tMüller\tDE\r\n2\tŁukasz\tPL\r\n";
    let mut bytes = vec![0xff, 0xfe];
    bytes.extend(file.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(dir.join("customers.txt"), bytes).unwrap();
    let out = custclass(
        &["classify", "--setup", &setup(), LENIENT, "customers.txt"],
        &dir,
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("Łukasz"), "{stdout}");

    let out = custclass(
        &[
            "classify",
            "--setup",
            &setup(),
            "--encoding",
            "ebcdic",
            "customers.txt",
        ],
        &dir,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("windows-1252"));
}

#[test]
fn a_long_segment_reads_from_a_file() {
    let dir = scratch("where-file");
    let ids: Vec<String> = (10_000..30_000).map(|id| format!("'{id}'")).collect();
    std::fs::write(
        dir.join("segment.txt"),
        format!("id in ({})", ids.join(", ")),
    )
    .unwrap();
    let customers = repo().join("examples/customers.csv").display().to_string();
    let out = custclass(
        &[
            "filter",
            "--setup",
            &setup(),
            "--where-file",
            "segment.txt",
            "--columns",
            "id",
            &customers,
        ],
        &dir,
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("1000 customers read: 1000 in the segment"),
        "{stderr}"
    );
    assert_eq!(stdout.lines().count(), 1001);
}
