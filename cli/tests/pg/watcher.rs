//! What the `pg watch` tests share: a watched customer table filled from
//! the examples, `custclass pg watch` as a real child process (killed for
//! real), and log triggers that make "labelled twice" visible.

#![allow(dead_code, reason = "each test file uses some of these")]

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use postgres::Client;

use super::server::Db;

/// The example setup, as an argument.
pub fn setup() -> String {
    super::common::example("setup.json")
}

/// An empty table `customers` shaped like the examples (plus a column
/// `note` the setup does not read), custclass installed on it, and the
/// examples in a table `template` the inserts copy from.
pub fn watched_table(db: &Db) {
    db.example_customers("template");
    db.client()
        .batch_execute(
            "CREATE TABLE customers (LIKE template INCLUDING ALL);\n\
             ALTER TABLE customers ADD COLUMN note text;",
        )
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let install = super::server::pg(
        &["install", "--setup", &setup(), "--url", &db.url],
        dir.path(),
    );
    assert!(
        install.status.success(),
        "{}",
        super::common::text(&install.stderr)
    );
}

/// Logs every claim (a delete from the outbox) and every label inserted
/// or updated: a customer processed twice shows as two claims, a label
/// written twice as two inserts or an update. A label written again with
/// the same value changes nothing, so every label a batch *offers* is
/// logged too (BEFORE INSERT fires before ON CONFLICT decides): a
/// customer classified twice in committed batches shows as two offers.
pub fn log_triggers(client: &mut Client) {
    client
        .batch_execute(
            "CREATE TABLE public.claim_log (customer_id text);\n\
             CREATE TABLE public.label_log (customer_id text, target text, op text);\n\
             CREATE FUNCTION public.log_claim() RETURNS trigger LANGUAGE plpgsql AS $$\n\
             BEGIN INSERT INTO public.claim_log VALUES (OLD.customer_id); RETURN NULL; END $$;\n\
             CREATE FUNCTION public.log_label() RETURNS trigger LANGUAGE plpgsql AS $$\n\
             BEGIN INSERT INTO public.label_log VALUES (NEW.customer_id, NEW.target, TG_OP);\n\
             RETURN NULL; END $$;\n\
             CREATE TRIGGER log_claim AFTER DELETE ON custclass_outbox\n\
             FOR EACH ROW EXECUTE FUNCTION public.log_claim();\n\
             CREATE TRIGGER log_label AFTER INSERT OR UPDATE ON custclass_labels\n\
             FOR EACH ROW EXECUTE FUNCTION public.log_label();\n\
             CREATE FUNCTION public.log_attempt() RETURNS trigger LANGUAGE plpgsql AS $$\n\
             BEGIN INSERT INTO public.label_log VALUES (NEW.customer_id, NEW.target, 'ATTEMPT');\n\
             RETURN NEW; END $$;\n\
             CREATE TRIGGER log_attempt BEFORE INSERT ON custclass_labels\n\
             FOR EACH ROW EXECUTE FUNCTION public.log_attempt();",
        )
        .unwrap();
}

/// What the log triggers and the tables say after a run.
#[derive(Debug)]
pub struct Counts {
    /// Customer rows in the table.
    pub inserted: i64,
    /// Customers with labels.
    pub labelled: i64,
    /// Customers claimed more than once.
    pub claimed_twice: i64,
    /// (customer, target) pairs inserted more than once.
    pub inserted_twice: i64,
    /// Label updates.
    pub updated: i64,
    /// (customer, target) pairs offered by more than one batch.
    pub offered_twice: i64,
    /// Customers never claimed.
    pub never_claimed: i64,
}

impl Counts {
    pub fn read(client: &mut Client) -> Counts {
        let one =
            |client: &mut Client, sql: &str| -> i64 { client.query_one(sql, &[]).unwrap().get(0) };
        Counts {
            inserted: one(client, "SELECT count(*) FROM customers"),
            labelled: one(
                client,
                "SELECT count(DISTINCT customer_id) FROM custclass_labels",
            ),
            claimed_twice: one(
                client,
                "SELECT count(*) FROM (SELECT customer_id FROM claim_log \
                 GROUP BY customer_id HAVING count(*) > 1) twice",
            ),
            inserted_twice: one(
                client,
                "SELECT count(*) FROM (SELECT 1 FROM label_log WHERE op = 'INSERT' \
                 GROUP BY customer_id, target HAVING count(*) > 1) twice",
            ),
            updated: one(client, "SELECT count(*) FROM label_log WHERE op = 'UPDATE'"),
            offered_twice: one(
                client,
                "SELECT count(*) FROM (SELECT 1 FROM label_log WHERE op = 'ATTEMPT' \
                 GROUP BY customer_id, target HAVING count(*) > 1) twice",
            ),
            never_claimed: one(
                client,
                "SELECT count(*) FROM customers c \
                 WHERE NOT EXISTS (SELECT 1 FROM claim_log l WHERE l.customer_id = c.id)",
            ),
        }
    }

    /// Rows labelled twice, whichever way.
    pub fn duplicated(&self) -> i64 {
        self.claimed_twice + self.inserted_twice + self.updated + self.offered_twice
    }

    /// Shown in the suite's log even when the test passes (the harness
    /// captures `println!`, not the stream itself).
    pub fn show(&self, test: &str) {
        let line = format!(
            "{test}: {} inserted, {} labelled, {} duplicated \
             ({} claimed twice, {} label inserts twice, {} label updates, \
             {} labels offered twice)\n",
            self.inserted,
            self.labelled,
            self.duplicated(),
            self.claimed_twice,
            self.inserted_twice,
            self.updated,
            self.offered_twice
        );
        let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
    }

    pub fn assert_exactly_once(&self) {
        assert!(self.inserted > 0, "{self:?}");
        assert_eq!(self.labelled, self.inserted, "{self:?}");
        assert_eq!(self.never_claimed, 0, "{self:?}");
        assert_eq!(self.duplicated(), 0, "{self:?}");
    }
}

/// Inserts customers `ids` in one statement, each a copy of an example
/// customer (the `n`th id of the whole run copies example `n % 1000`).
pub fn insert(client: &mut impl postgres::GenericClient, ids: &[String], first: usize) {
    let templates: Vec<String> = (first..first + ids.len())
        .map(|n| (10_001 + n % 1000).to_string())
        .collect();
    client
        .execute(
            "INSERT INTO customers SELECT r.* \
             FROM unnest($1::text[], $2::text[]) AS n(id, template) \
             JOIN template t ON t.id = n.template, \
             LATERAL jsonb_populate_record(NULL::customers, \
                     to_jsonb(t) || jsonb_build_object('id', n.id)) r",
            &[&ids, &templates],
        )
        .unwrap();
}

/// Customer ids `w{n}` for `n` in `range`.
pub fn ids(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|n| format!("w{n:05}")).collect()
}

/// Rows in the outbox.
pub fn queued(client: &mut Client) -> i64 {
    client
        .query_one("SELECT count(*) FROM custclass_outbox", &[])
        .unwrap()
        .get(0)
}

/// Customers with labels.
pub fn labelled(client: &mut Client) -> i64 {
    client
        .query_one(
            "SELECT count(DISTINCT customer_id) FROM custclass_labels",
            &[],
        )
        .unwrap()
        .get(0)
}

/// Labels of customer `id`.
pub fn labels_of(client: &mut Client, id: &str) -> i64 {
    client
        .query_one(
            "SELECT count(*) FROM custclass_labels WHERE customer_id = $1",
            &[&id],
        )
        .unwrap()
        .get(0)
}

/// Waits until `done` holds, for at most `limit`; says whether it did.
pub fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    loop {
        if done() {
            return true;
        }
        if start.elapsed() > limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// `custclass pg watch` running as a child process; its output is
/// collected as it comes.
pub struct Watcher {
    child: Child,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    readers: Vec<std::thread::JoinHandle<()>>,
}

impl Watcher {
    /// Starts `custclass pg watch --setup … --url URL` with `extra`
    /// arguments and no PG* variables of the caller's.
    pub fn start(url: &str, extra: &[&str]) -> Watcher {
        let setup = setup();
        let mut command = Command::new(env!("CARGO_BIN_EXE_custclass"));
        command
            .args(["pg", "watch", "--setup", &setup, "--url", url])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (name, _) in std::env::vars() {
            if name.starts_with("PG") {
                command.env_remove(name);
            }
        }
        let mut child = command.spawn().unwrap();
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let readers = vec![
            collect(child.stdout.take().unwrap(), Arc::clone(&stdout)),
            collect(child.stderr.take().unwrap(), Arc::clone(&stderr)),
        ];
        Watcher {
            child,
            stdout,
            stderr,
            readers,
        }
    }

    /// Starts a watcher and waits until it listens, so a NOTIFY sent
    /// from now on reaches it.
    pub fn listening(url: &str, extra: &[&str]) -> Watcher {
        let mut watcher = Watcher::start(url, extra);
        let listening = wait_until(Duration::from_secs(10), || {
            watcher.stderr().contains("watching ")
        });
        assert!(listening, "not listening: {}", watcher.stderr());
        assert!(watcher.child.try_wait().unwrap().is_none());
        watcher
    }

    pub fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// The batches it reported: `N read` of each line.
    pub fn batches(&self) -> Vec<usize> {
        self.stdout()
            .lines()
            .filter_map(|line| line.split(" read,").next()?.parse().ok())
            .collect()
    }

    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// `kill -9`.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// `kill -TERM`, then waits (at most 10 s) for it to end: its exit
    /// status and how long it took.
    pub fn terminate(mut self) -> (ExitStatus, Duration, String, String) {
        let start = Instant::now();
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > Duration::from_secs(10) {
                self.child.kill().unwrap();
                panic!("still running 10 s after SIGTERM: {}", self.stderr());
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let took = start.elapsed();
        for reader in self.readers.drain(..) {
            reader.join().unwrap();
        }
        (status, took, self.stdout(), self.stderr())
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect(
    stream: impl Read + Send + 'static,
    into: Arc<Mutex<String>>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            let mut text = into.lock().unwrap();
            text.push_str(&line);
            text.push('\n');
        }
    })
}

/// A small pseudo-random generator (xorshift), seeded from the clock and
/// printed, so a failing run can be told apart.
pub struct Random(u64);

impl Random {
    pub fn new(test: &str) -> Random {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1)
            | 1;
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            format!("{test}: seed {seed}\n").as_bytes(),
        );
        Random(seed)
    }

    pub fn seeded(seed: u64) -> Random {
        Random(seed | 1)
    }

    /// A number in `range`.
    pub fn below(&mut self, range: std::ops::Range<u64>) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        range.start + self.0 % (range.end - range.start)
    }
}
