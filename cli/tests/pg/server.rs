//! A database of its own on the throw-away server `scripts/suite-postgres`
//! starts (`CUSTCLASS_PG_URL`: a superuser's URL), for each test.

#![allow(dead_code, reason = "each test file uses some of these")]

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use postgres::{Client, NoTls};

/// The superuser's URL of the test server.
pub fn admin_url() -> String {
    std::env::var("CUSTCLASS_PG_URL").unwrap_or_else(|_| {
        panic!("CUSTCLASS_PG_URL is not set: run these tests with scripts/suite-postgres")
    })
}

/// A fresh database, dropped when the value goes.
pub struct Db {
    pub name: String,
    pub url: String,
}

impl Db {
    /// A new empty database named after the test.
    pub fn new(test: &str) -> Db {
        static SEQ: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "t_{}_{}_{}",
            test,
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = Client::connect(&admin_url(), NoTls).unwrap();
        admin
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .unwrap();
        let url = with_db(&admin_url(), &name);
        Db { name, url }
    }

    /// A client of the database, as the superuser.
    pub fn client(&self) -> Client {
        Client::connect(&self.url, NoTls).unwrap()
    }

    /// The example customers (examples/customers.csv) as a table `table`
    /// of text columns with `id` its primary key.
    pub fn example_customers(&self, table: &str) {
        let csv =
            std::fs::read_to_string(super::common::repo().join("examples/customers.csv")).unwrap();
        let header = csv.lines().next().unwrap();
        let columns: Vec<String> = header.split(';').map(|c| format!("\"{c}\" text")).collect();
        let mut client = self.client();
        let quoted = format!("\"{}\"", table.replace('"', "\"\""));
        client
            .batch_execute(&format!(
                "CREATE TABLE {quoted} ({}, PRIMARY KEY (id))",
                columns.join(", ")
            ))
            .unwrap();
        let mut writer = client
            .copy_in(&format!(
                "COPY {quoted} FROM STDIN (FORMAT csv, HEADER true, DELIMITER ';')"
            ))
            .unwrap();
        std::io::Write::write_all(&mut writer, csv.as_bytes()).unwrap();
        writer.finish().unwrap();
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Ok(mut admin) = Client::connect(&admin_url(), NoTls) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// `url` with its database replaced by `db`.
pub fn with_db(url: &str, db: &str) -> String {
    let base = url.rsplit_once('/').map(|(base, _)| base).unwrap_or(url);
    format!("{base}/{db}")
}

/// Runs `custclass pg …` with `args`, nothing on standard input and no
/// PG* variables of the caller's.
pub fn pg(args: &[&str], dir: &Path) -> Output {
    pg_with(args, dir, &[])
}

/// [`pg`] with these variables set (after the caller's PG* ones are
/// removed).
pub fn pg_with(args: &[&str], dir: &Path, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_custclass"));
    command
        .arg("pg")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null());
    for (name, _) in std::env::vars() {
        if name.starts_with("PG") {
            command.env_remove(name);
        }
    }
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}
