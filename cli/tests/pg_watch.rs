//! `custclass pg watch` against a real server (run by
//! scripts/suite-postgres): the backlog, live inserts, updates and
//! deletes, `kill -9` mid-run, two watchers side by side, SIGTERM (mid
//! backlog, and while the database refuses connections), a change
//! committed while its customer is queued, a batch rolled back by a
//! deadlock. The server restart is in pg_restart.rs, run alone: it
//! drops every connection of the server.

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

use std::time::{Duration, Instant};

use postgres::fallible_iterator::FallibleIterator;
use server::Db;
use watcher::{Counts, Random, Watcher, ids, insert, labelled, labels_of, queued, wait_until};

/// A full `pg classify` after the watcher: it must find nothing to change.
fn full_run_changes_nothing(db: &Db) {
    let dir = tempfile::tempdir().unwrap();
    let full = server::pg(
        &["classify", "--setup", &watcher::setup(), "--url", &db.url],
        dir.path(),
    );
    let out = common::text(&full.stdout);
    assert!(full.status.success(), "{}", common::text(&full.stderr));
    assert!(out.contains("0 label(s) written, 0 removed"), "{out}");
}

/// The customers read by each batch a watcher reported.
fn reads(stdout: &str) -> Vec<usize> {
    stdout
        .lines()
        .map(|line| line.split(" read,").next().unwrap().parse().unwrap())
        .collect()
}

#[test]
fn the_backlog_is_labelled_on_start_once_and_long_running() {
    let db = Db::new("backlog");
    watcher::watched_table(&db);
    let mut client = db.client();
    insert(&mut client, &ids(0..150), 0);
    assert_eq!(queued(&mut client), 150);

    let dir = tempfile::tempdir().unwrap();
    let once = server::pg(
        &[
            "watch",
            "--setup",
            &watcher::setup(),
            "--url",
            &db.url,
            "--once",
            "--batch",
            "100",
        ],
        dir.path(),
    );
    assert!(once.status.success(), "{}", common::text(&once.stderr));
    let out = common::text(&once.stdout);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(
        out.starts_with("100 read, 100 classified, 0 rejected"),
        "{out}"
    );
    assert_eq!(queued(&mut client), 0);
    assert_eq!(labelled(&mut client), 150);

    // The long-running watcher starts with what was queued meanwhile.
    insert(&mut client, &ids(150..300), 150);
    let watcher = Watcher::start(&db.url, &[]);
    let drained = wait_until(Duration::from_secs(10), || {
        queued(&mut client) == 0 && watcher.batches().iter().sum::<usize>() == 150
    });
    assert!(drained, "{}", watcher.stderr());
    let (status, _, _, _) = watcher.terminate();
    assert!(status.success());
    assert_eq!(labelled(&mut client), 300);
    full_run_changes_nothing(&db);
}

#[test]
fn inserts_updates_and_deletes_are_followed_live() {
    let db = Db::new("live");
    watcher::watched_table(&db);
    let mut client = db.client();
    let mut listener = db.client();
    listener.batch_execute("LISTEN custclass_outbox").unwrap();
    let watcher = Watcher::listening(&db.url, &[]);

    // An insert notifies, and is labelled.
    let start = Instant::now();
    insert(&mut client, &ids(0..1), 0);
    let id = "w00000";
    let notified = listener
        .notifications()
        .timeout_iter(Duration::from_secs(5))
        .next()
        .unwrap();
    assert!(notified.is_some());
    assert!(wait_until(Duration::from_secs(5), || labels_of(
        &mut client,
        id
    ) > 0));
    let latency = start.elapsed();
    let vat_zone = |client: &mut postgres::Client| -> String {
        client
            .query_one(
                "SELECT value FROM custclass_labels WHERE customer_id = $1 AND target = 'vat_zone'",
                &[&id],
            )
            .unwrap()
            .get(0)
    };
    let before = vat_zone(&mut client);

    // A column the setup reads: queued (seen inside the transaction,
    // before the watcher can take it), then relabelled.
    let mut tx = client.transaction().unwrap();
    tx.execute("UPDATE customers SET country = 'US' WHERE id = $1", &[&id])
        .unwrap();
    let queued_in_tx: i64 = tx
        .query_one(
            "SELECT count(*) FROM custclass_outbox WHERE customer_id = $1",
            &[&id],
        )
        .unwrap()
        .get(0);
    tx.commit().unwrap();
    assert_eq!(queued_in_tx, 1);
    assert!(
        wait_until(Duration::from_secs(5), || vat_zone(&mut client) != before),
        "vat_zone still {before}: {}",
        watcher.stderr()
    );

    // A column it does not read: nothing queued.
    let mut tx = client.transaction().unwrap();
    tx.execute("UPDATE customers SET note = 'called' WHERE id = $1", &[&id])
        .unwrap();
    let queued_in_tx: i64 = tx
        .query_one("SELECT count(*) FROM custclass_outbox", &[])
        .unwrap()
        .get(0);
    tx.commit().unwrap();
    assert_eq!(queued_in_tx, 0);

    // A new id: the labels move with the customer.
    let labels = labels_of(&mut client, id);
    client
        .execute("UPDATE customers SET id = 'renamed' WHERE id = $1", &[&id])
        .unwrap();
    assert!(wait_until(Duration::from_secs(5), || labels_of(
        &mut client,
        id
    ) == 0
        && labels_of(&mut client, "renamed") == labels));

    // A delete takes the labels away.
    client
        .execute("DELETE FROM customers WHERE id = 'renamed'", &[])
        .unwrap();
    assert!(wait_until(Duration::from_secs(5), || labels_of(
        &mut client,
        "renamed"
    ) == 0));
    assert_eq!(labelled(&mut client), 0);

    // SIGTERM while waiting: ends at once, and well.
    let (status, took, stdout, _) = watcher.terminate();
    assert!(status.success(), "{status:?}");
    assert!(took < Duration::from_secs(2), "{took:?}");
    assert_eq!(stdout.lines().count(), 4, "{stdout}");
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("live: insert labelled in {} ms\n", latency.as_millis()).as_bytes(),
    );
}

/// Inserts `ids` from a thread: transactions of 1 to 20 rows (a few of
/// them one statement per row), a few milliseconds apart.
fn writer(url: String, ids: Vec<String>, seed: u64) -> std::thread::JoinHandle<Duration> {
    std::thread::spawn(move || {
        let start = Instant::now();
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        let mut random = Random::seeded(seed);
        let mut next = 0;
        while next < ids.len() {
            let size = if random.below(0..3) == 0 {
                1
            } else {
                random.below(2..21) as usize
            };
            let chunk = ids.get(next..(next + size).min(ids.len())).unwrap();
            let mut tx = client.transaction().unwrap();
            if size > 4 || random.below(0..2) == 0 {
                insert(&mut tx, chunk, next);
            } else {
                for (k, id) in chunk.iter().enumerate() {
                    insert(&mut tx, std::slice::from_ref(id), next + k);
                }
            }
            tx.commit().unwrap();
            next += chunk.len();
            std::thread::sleep(Duration::from_millis(random.below(1..6)));
        }
        start.elapsed()
    })
}

#[test]
fn kill_9_mid_run_loses_nothing_and_labels_nothing_twice() {
    let db = Db::new("kill9");
    watcher::watched_table(&db);
    let mut client = db.client();
    watcher::log_triggers(&mut client);
    let mut random = Random::new("kill -9");
    let writing = writer(db.url.clone(), ids(0..3000), random.below(1..u64::MAX));
    let mut kills = 0;
    while !writing.is_finished() || kills < 3 {
        let mut watcher = Watcher::start(&db.url, &["--batch", "50"]);
        std::thread::sleep(Duration::from_millis(random.below(200..700)));
        assert!(watcher.is_running(), "{}", watcher.stderr());
        watcher.kill();
        kills += 1;
    }
    let writer_took = writing.join().unwrap();
    let watcher = Watcher::listening(&db.url, &["--batch", "50"]);
    assert!(
        wait_until(Duration::from_secs(30), || queued(&mut client) == 0),
        "{}",
        watcher.stderr()
    );
    let (status, _, _, stderr) = watcher.terminate();
    assert!(status.success(), "{status:?}: {stderr}");
    let counts = Counts::read(&mut client);
    counts.show(&format!(
        "kill -9 ({kills} kills in {} ms of writing)",
        writer_took.as_millis()
    ));
    assert_eq!(counts.inserted, 3000);
    counts.assert_exactly_once();
}

#[test]
fn two_watchers_share_the_work_and_label_nothing_twice() {
    let db = Db::new("two");
    watcher::watched_table(&db);
    let mut client = db.client();
    watcher::log_triggers(&mut client);
    insert(&mut client, &ids(0..300), 0);
    let mut random = Random::new("two watchers");
    let writing = writer(db.url.clone(), ids(300..1000), random.below(1..u64::MAX));
    let first = Watcher::start(&db.url, &["--batch", "10"]);
    let second = Watcher::start(&db.url, &["--batch", "10"]);
    writing.join().unwrap();
    assert!(
        wait_until(Duration::from_secs(30), || queued(&mut client) == 0),
        "{}{}",
        first.stderr(),
        second.stderr()
    );
    let (first_status, _, first_out, _) = first.terminate();
    let (second_status, _, second_out, _) = second.terminate();
    assert!(first_status.success() && second_status.success());
    let (first_batches, second_batches) = (reads(&first_out), reads(&second_out));
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "two watchers: {} and {} batches, {} and {} customers\n",
            first_batches.len(),
            second_batches.len(),
            first_batches.iter().sum::<usize>(),
            second_batches.iter().sum::<usize>()
        )
        .as_bytes(),
    );
    assert!(!first_batches.is_empty() && !second_batches.is_empty());
    // Each customer read by one watcher, once.
    assert_eq!(
        first_batches.iter().sum::<usize>() + second_batches.iter().sum::<usize>(),
        1000
    );
    let counts = Counts::read(&mut client);
    counts.show("two watchers");
    assert_eq!(counts.inserted, 1000);
    counts.assert_exactly_once();
}

#[test]
fn sigterm_mid_backlog_stops_at_once_after_a_whole_batch() {
    let db = Db::new("sigterm");
    watcher::watched_table(&db);
    let mut client = db.client();
    insert(&mut client, &ids(0..2000), 0);
    let watcher = Watcher::start(&db.url, &["--batch", "20"]);
    assert!(wait_until(Duration::from_secs(10), || !watcher
        .batches()
        .is_empty()));
    let (status, took, stdout, stderr) = watcher.terminate();
    assert!(status.success(), "{status:?}: {stderr}");
    assert!(took < Duration::from_secs(2), "{took:?}");
    let reported: usize = reads(&stdout).iter().sum();
    let labelled = labelled(&mut client);
    let left = queued(&mut client);
    let both: i64 = client
        .query_one(
            "SELECT count(*) FROM custclass_outbox o \
             WHERE EXISTS (SELECT 1 FROM custclass_labels l WHERE l.customer_id = o.customer_id)",
            &[],
        )
        .unwrap()
        .get(0);
    // Every customer is either labelled or still queued, never both,
    // never neither; what was labelled is what was reported.
    assert_eq!(both, 0);
    assert_eq!(labelled + left, 2000);
    assert_eq!(labelled, reported as i64);
    assert_eq!(reported % 20, 0, "{stdout}");
    assert!(left > 0, "the backlog was done before the signal");
}

#[test]
fn sigterm_while_the_server_is_away_stops_at_once() {
    let db = Db::new("away");
    watcher::watched_table(&db);
    let watcher = Watcher::listening(&db.url, &[]);
    // The database refuses connections and the watcher's is ended: it
    // retries with growing pauses.
    let mut admin = postgres::Client::connect(&server::admin_url(), postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!(
            "ALTER DATABASE \"{}\" ALLOW_CONNECTIONS false",
            db.name
        ))
        .unwrap();
    admin
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
            &[&db.name],
        )
        .unwrap();
    assert!(
        wait_until(Duration::from_secs(10), || watcher
            .stderr()
            .contains("retrying in 3200 ms")),
        "{}",
        watcher.stderr()
    );
    let (status, took, _, stderr) = watcher.terminate();
    assert!(status.success(), "{status:?}: {stderr}");
    assert!(took < Duration::from_secs(1), "{took:?}");
}

#[test]
fn a_change_committed_while_its_customer_is_queued_is_not_lost() {
    let db = Db::new("queued");
    watcher::watched_table(&db);
    let mut client = db.client();
    insert(&mut client, &ids(0..2), 0);
    let vat_zone = |client: &mut postgres::Client| -> Option<String> {
        client
            .query_opt(
                "SELECT value FROM custclass_labels WHERE customer_id = 'w00000' AND target = 'vat_zone'",
                &[],
            )
            .unwrap()
            .map(|row| row.get(0))
    };
    // An application changes one queued customer and deletes the other,
    // and has not committed yet when the watcher starts.
    let mut app = db.client();
    let mut tx = app.transaction().unwrap();
    tx.execute(
        "UPDATE customers SET country = 'US' WHERE id = 'w00000'",
        &[],
    )
    .unwrap();
    tx.execute("DELETE FROM customers WHERE id = 'w00001'", &[])
        .unwrap();
    let watcher = Watcher::listening(&db.url, &[]);
    // A customer queued later, labelled: the watcher has had its go at
    // the two before it.
    insert(&mut client, &ids(2..3), 2);
    assert!(wait_until(Duration::from_secs(5), || labels_of(
        &mut client,
        "w00002"
    ) > 0));
    let before = vat_zone(&mut client);
    tx.commit().unwrap();
    // What the watcher labels now is what was committed.
    let followed = wait_until(Duration::from_secs(5), || {
        labels_of(&mut client, "w00001") == 0
            && vat_zone(&mut client).is_some_and(|zone| Some(&zone) != before.as_ref())
    });
    let (status, _, stdout, stderr) = watcher.terminate();
    assert!(
        followed,
        "vat_zone {before:?} → {:?}, labels of the deleted {}: {stdout}{stderr}",
        vat_zone(&mut client),
        labels_of(&mut client, "w00001")
    );
    assert!(status.success());
    full_run_changes_nothing(&db);
}

/// Backends of `db` waiting for `event` (pg_stat_activity.wait_event).
fn waiting(client: &mut postgres::Client, db: &Db, event: &str) -> i64 {
    client
        .query_one(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND wait_event = $2",
            &[&db.name, &event],
        )
        .unwrap()
        .get(0)
}

#[test]
fn a_batch_rolled_back_by_a_deadlock_is_tried_again() {
    let db = Db::new("deadlock");
    watcher::watched_table(&db);
    let mut client = db.client();
    client
        .batch_execute("ALTER TABLE customers ADD COLUMN label_group text")
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mapping = dir.path().join("mapping.json");
    std::fs::write(&mapping, r#"{"labels": {"group": "label_group"}}"#).unwrap();
    let mapping = mapping.display().to_string();
    insert(&mut client, &ids(0..1), 0);

    // The lock a full `pg classify` holds: the watcher claims the
    // customer, then waits with the claim in hand.
    let mut full_run = db.client();
    full_run
        .execute(
            "SELECT pg_advisory_lock(1667460211, hashtext('\"public\".\"customers\"'))",
            &[],
        )
        .unwrap();
    let watcher = Watcher::start(&db.url, &["--columns", "--mapping", &mapping]);
    assert!(
        wait_until(Duration::from_secs(10), || waiting(
            &mut client,
            &db,
            "advisory"
        ) == 1),
        "{}",
        watcher.stderr()
    );
    // An application changes the customer: its trigger waits for the
    // watcher's claim, holding the customer row the watcher will update.
    // It looks for deadlocks late, so the watcher is the one rolled back.
    let url = db.url.clone();
    let app = std::thread::spawn(move || {
        let mut app = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        app.batch_execute("SET deadlock_timeout = '20s'").unwrap();
        let mut tx = app.transaction().unwrap();
        tx.execute(
            "UPDATE customers SET country = 'US' WHERE id = 'w00000'",
            &[],
        )
        .unwrap();
        tx.commit().unwrap();
    });
    assert!(wait_until(Duration::from_secs(10), || waiting(
        &mut client,
        &db,
        "transactionid"
    ) == 1));
    full_run
        .execute(
            "SELECT pg_advisory_unlock(1667460211, hashtext('\"public\".\"customers\"'))",
            &[],
        )
        .unwrap();
    app.join().unwrap();

    let done = wait_until(Duration::from_secs(10), || {
        let row = client
            .query_one(
                "SELECT label_group IS NOT NULL AND country = 'US', \
                 (SELECT count(*) FROM custclass_outbox) FROM customers",
                &[],
            )
            .unwrap();
        row.get::<_, bool>(0) && row.get::<_, i64>(1) == 0
    });
    let mut watcher = watcher;
    assert!(done && watcher.is_running(), "{}", watcher.stderr());
    let (status, _, _, stderr) = watcher.terminate();
    assert!(status.success(), "{stderr}");
    assert!(stderr.contains("batch rolled back"), "{stderr}");
    assert!(stderr.contains("deadlock"), "{stderr}");
    let full = server::pg(
        &[
            "classify",
            "--setup",
            &watcher::setup(),
            "--url",
            &db.url,
            "--columns",
            "--mapping",
            &mapping,
        ],
        dir.path(),
    );
    let out = common::text(&full.stdout);
    assert!(out.contains("0 customer row(s) updated"), "{out}");
}
