//! `custclass pg watch` through a restart of the server. A binary of its
//! own, which scripts/suite-postgres runs after the others and alone: the
//! restart drops every connection of the server, other tests' too.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

mod common;
#[path = "pg/server.rs"]
mod server;
#[path = "pg/watcher.rs"]
mod watcher;

use std::process::Command;
use std::time::Duration;

use server::Db;
use watcher::{Watcher, ids, insert, labelled, wait_until};

/// Restarts the suite's server (`scripts/pg-cluster restart`).
fn restart_server() {
    let cluster = std::env::var("PGCLUSTER_DIR")
        .unwrap_or_else(|_| panic!("PGCLUSTER_DIR is not set: run with scripts/suite-postgres"));
    let restart = Command::new(common::repo().join("scripts/pg-cluster"))
        .args(["restart", &cluster])
        .output()
        .unwrap();
    assert!(
        restart.status.success(),
        "{}",
        common::text(&restart.stderr)
    );
}

/// A client, once the server takes connections again.
fn client_again(db: &Db) -> postgres::Client {
    for _ in 0..100 {
        if let Ok(client) = postgres::Client::connect(&db.url, postgres::NoTls) {
            return client;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    db.client()
}

#[test]
fn the_watcher_reconnects_after_the_server_restarts() {
    let db = Db::new("restart");
    watcher::watched_table(&db);
    let mut watcher = Watcher::listening(&db.url, &[]);
    insert(&mut db.client(), &ids(0..10), 0);
    assert!(wait_until(Duration::from_secs(5), || labelled(
        &mut db.client()
    ) == 10));

    restart_server();
    let mut client = client_again(&db);
    insert(&mut client, &ids(10..30), 10);
    assert!(
        wait_until(Duration::from_secs(15), || labelled(&mut client) == 30),
        "{}",
        watcher.stderr()
    );
    assert!(watcher.is_running(), "{}", watcher.stderr());
    let stderr = watcher.stderr();
    assert!(stderr.contains("connection lost"), "{stderr}");
    assert_eq!(stderr.matches("watching ").count(), 2, "{stderr}");
    let password = db.url.split(':').nth(2).unwrap().split('@').next().unwrap();
    assert!(!stderr.contains(password), "the password in {stderr}");

    // Lost again while idle, after a reconnection: back as quickly.
    restart_server();
    let mut client = client_again(&db);
    insert(&mut client, &ids(30..40), 30);
    assert!(
        wait_until(Duration::from_secs(5), || labelled(&mut client) == 40),
        "{}",
        watcher.stderr()
    );
    let (status, _, _, stderr) = watcher.terminate();
    assert!(status.success(), "{stderr}");
    assert_eq!(stderr.matches("watching ").count(), 3, "{stderr}");
    // Each outage starts with the shortest pause again.
    let after_reconnecting: Vec<&str> = stderr
        .split("watching ")
        .skip(1)
        .filter_map(|session| session.lines().find(|l| l.starts_with("connection lost")))
        .collect();
    assert_eq!(after_reconnecting.len(), 2, "{stderr}");
    for line in after_reconnecting {
        assert!(line.ends_with("retrying in 100 ms"), "{stderr}");
    }
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("the watcher said:\n{stderr}").as_bytes(),
    );
}
