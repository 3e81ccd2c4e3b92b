//! `custclass pg install` and `pg classify` against a real server
//! (run by scripts/suite-postgres).

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;
#[path = "pg/server.rs"]
mod server;

use server::Db;

#[test]
fn install_then_classify_twice_changes_nothing_the_second_time() {
    let db = Db::new("twice");
    db.example_customers("customers");
    let dir = tempfile::tempdir().unwrap();
    let setup = common::example("setup.json");
    let install = server::pg(
        &["install", "--setup", &setup, "--url", &db.url],
        dir.path(),
    );
    assert!(
        install.status.success(),
        "{}",
        common::text(&install.stderr)
    );
    let first = server::pg(
        &["classify", "--setup", &setup, "--url", &db.url],
        dir.path(),
    );
    assert!(first.status.success(), "{}", common::text(&first.stderr));
    assert!(common::text(&first.stdout).starts_with("1000 read, 1000 classified, 0 rejected"));
    let labels: i64 = db
        .client()
        .query_one("SELECT count(*) FROM custclass_labels", &[])
        .unwrap()
        .get(0);
    assert!(labels > 10_000, "{labels}");
    let second = server::pg(
        &["classify", "--setup", &setup, "--url", &db.url],
        dir.path(),
    );
    assert!(
        common::text(&second.stdout).contains("0 label(s) written, 0 removed"),
        "{}",
        common::text(&second.stdout)
    );
}
