//! Where the command line writes and what it reads: `--out` onto links,
//! FIFOs, devices and kept permissions; an output that is an input; a stop
//! by Ctrl-C; a reader that stops early (`| head`); `-` for standard input.
//! Real processes on real files in a temporary folder.

#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_custclass");

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn setup() -> String {
    repo()
        .join("examples/setup.json")
        .to_str()
        .unwrap()
        .to_owned()
}

fn customers() -> String {
    repo()
        .join("examples/customers.csv")
        .to_str()
        .unwrap()
        .to_owned()
}

fn order_lines() -> String {
    repo()
        .join("examples/order-lines.csv")
        .to_str()
        .unwrap()
        .to_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("custclass-out-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The first `rows` customers of the example file, with its header.
fn some_customers(rows: usize) -> String {
    let example = fs::read_to_string(customers()).unwrap();
    example
        .lines()
        .take(rows + 1)
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// `-` reads standard input: classify's and filter's customers, price's
/// order lines or its customers; not both at once.
#[test]
fn a_dash_reads_standard_input() {
    let dir = scratch("stdin");
    fs::write(dir.join("in.csv"), some_customers(30)).unwrap();
    fs::copy(order_lines(), dir.join("lines.csv")).unwrap();
    fs::copy(customers(), dir.join("customers.csv")).unwrap();
    let setup = setup();
    let piped = |args: &[&str], stdin: &str| {
        let run = Command::new(BIN)
            .args(args)
            .current_dir(&dir)
            .stdin(File::open(dir.join(stdin)).unwrap())
            .output()
            .unwrap();
        (run.status.code(), text(&run.stdout), text(&run.stderr))
    };

    let (code, stdout, stderr) = piped(&["classify", "--setup", &setup, "-"], "in.csv");
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout.lines().count(), 31);
    assert!(
        stderr.contains("30 customers read: 30 classified"),
        "{stderr}"
    );

    let (code, stdout, stderr) = piped(
        &[
            "filter",
            "--setup",
            &setup,
            "--where",
            "not country = 'ZW'",
            "--columns",
            "id",
            "-",
        ],
        "in.csv",
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout.lines().count(), 31);

    let from_file = piped(
        &[
            "price",
            "--setup",
            &setup,
            "--customers",
            "customers.csv",
            "lines.csv",
        ],
        "in.csv",
    );
    assert_eq!(from_file.0, Some(0), "{}", from_file.2);
    let lines_piped = piped(
        &[
            "price",
            "--setup",
            &setup,
            "--customers",
            "customers.csv",
            "-",
        ],
        "lines.csv",
    );
    assert_eq!(lines_piped.1, from_file.1);
    let customers_piped = piped(
        &["price", "--setup", &setup, "--customers", "-", "lines.csv"],
        "customers.csv",
    );
    assert_eq!(customers_piped.1, from_file.1);

    let (code, stdout, stderr) = piped(
        &["price", "--setup", &setup, "--customers", "-", "-"],
        "lines.csv",
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("standard input"), "{stderr}");
    fs::remove_dir_all(&dir).unwrap();
}
