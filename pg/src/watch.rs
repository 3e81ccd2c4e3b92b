//! `custclass pg watch`: labels every customer the triggers queue, as it
//! is queued. On start it works off the backlog, then waits for the
//! triggers' `NOTIFY` (and looks anyway every `poll` interval).
//!
//! Each batch is claimed, labelled and deleted from the outbox in one
//! transaction: `DELETE … WHERE customer_id IN (SELECT … FOR UPDATE SKIP
//! LOCKED) RETURNING`. A watcher killed at any moment (`kill -9`) rolls
//! back with its batch still queued, so nothing is lost and nothing is
//! labelled twice; a second watcher skips the rows the first has claimed.
//! A lost connection (the server restarted) is retried with a growing
//! pause, and the backlog is worked off again.

use std::time::{Duration, Instant};

use postgres::Client;
use postgres::fallible_iterator::FallibleIterator;

use crate::conninfo::ConnInfo;
use crate::error::PgError;
use crate::job::{Job, Lock, Report, Scope, classify_in};
use crate::place::{CHANNEL, OUTBOX, quote_ident};

/// How a watcher works.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// Customers per batch (one transaction each).
    pub batch: i64,
    /// How long to wait for a notification before looking anyway.
    pub poll: Duration,
    /// Work off the backlog and return, instead of waiting for more.
    pub once: bool,
}

impl Default for WatchOptions {
    fn default() -> WatchOptions {
        WatchOptions {
            batch: 1000,
            poll: Duration::from_secs(1),
            once: false,
        }
    }
}

/// What a watcher tells as it goes.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// Connected (again), listening.
    Connected,
    /// A batch was labelled and committed.
    Batch(&'a Report),
    /// The connection was lost; retrying after the pause.
    Lost(&'a PgError, Duration),
    /// The server rolled a batch back (a deadlock with an application's
    /// transaction, a serialization failure): its customers are queued
    /// again and the batch is tried again.
    RolledBack(&'a PgError),
}

/// Watches until `stop` says so (checked between batches and at least
/// every `options.poll`), or, with `options.once`, until the outbox is
/// empty.
///
/// # Errors
///
/// A [`PgError`] that reconnecting can't cure (not installed, a mapped
/// column gone, permissions); a lost connection is retried.
pub fn watch(
    conninfo: &ConnInfo,
    job: &Job<'_>,
    options: &WatchOptions,
    stop: &dyn Fn() -> bool,
    events: &mut dyn FnMut(Event<'_>),
) -> Result<(), PgError> {
    let mut pause = FIRST_PAUSE;
    while !stop() {
        let mut listened = false;
        let outcome = conninfo.connect().and_then(|client| {
            session(client, job, options, stop, &mut |event| {
                listened |= matches!(event, Event::Connected);
                events(event);
            })
        });
        // A session that got as far as listening was a recovery: the next
        // loss starts again with a short pause, not where the last
        // outage's growing pauses ended.
        if listened {
            pause = FIRST_PAUSE;
        }
        match outcome {
            Ok(()) => return Ok(()),
            Err(err) if err.is_connection_lost() => {
                events(Event::Lost(&err, pause));
                sleep_unless_stopped(pause, stop);
                pause = (pause * 2).min(LAST_PAUSE);
            }
            Err(err) => return Err(err),
        }
    }
    Ok(())
}

/// The pause before the first reconnection after a loss; it doubles up
/// to [`LAST_PAUSE`] while the server stays away.
const FIRST_PAUSE: Duration = Duration::from_millis(100);

/// The longest pause between reconnections.
const LAST_PAUSE: Duration = Duration::from_secs(5);

/// Sleeps `pause`, waking early when `stop` says so: a watcher told to
/// stop while the server is away stops at once, not after the pause.
fn sleep_unless_stopped(pause: Duration, stop: &dyn Fn() -> bool) {
    let until = Instant::now() + pause;
    while !stop() {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return;
        }
        std::thread::sleep(left.min(Duration::from_millis(50)));
    }
}

/// One connection's life: listen, work off the backlog, wait, repeat.
fn session(
    mut client: Client,
    job: &Job<'_>,
    options: &WatchOptions,
    stop: &dyn Fn() -> bool,
    events: &mut dyn FnMut(Event<'_>),
) -> Result<(), PgError> {
    client
        .batch_execute(&format!("LISTEN {}", quote_ident(CHANNEL)))
        .map_err(|err| PgError::server("listening for new customers", &err))?;
    events(Event::Connected);
    loop {
        while !stop() {
            match label_batch(&mut client, job, options.batch) {
                Ok(Some(report)) => events(Event::Batch(&report)),
                Ok(None) => break,
                Err(err) if err.is_transient() => events(Event::RolledBack(&err)),
                Err(err) => return Err(err),
            }
        }
        if options.once || stop() {
            return Ok(());
        }
        {
            let mut notifications = client.notifications();
            let lost = |err: postgres::Error| PgError::server("waiting for new customers", &err);
            notifications
                .timeout_iter(options.poll)
                .next()
                .map_err(lost)?;
            // Several commits notify once each: what arrived meanwhile is
            // covered by the next claim.
            while notifications.iter().next().map_err(lost)?.is_some() {}
        }
        if client.is_closed() {
            return Err(PgError::Server {
                doing: "waiting for new customers".to_owned(),
                detail: "the connection closed".to_owned(),
                sqlstate: None,
            });
        }
    }
}

/// Claims, labels and deletes up to `batch` queued customers in one
/// transaction; `None` when the outbox (as far as not claimed by another
/// watcher) is empty.
fn label_batch(client: &mut Client, job: &Job<'_>, batch: i64) -> Result<Option<Report>, PgError> {
    let mut tx = client
        .transaction()
        .map_err(|err| PgError::server("starting a batch", &err))?;
    let outbox = job.place.own(OUTBOX);
    let claim = format!(
        "DELETE FROM {outbox} WHERE customer_id IN (\n\
         SELECT customer_id FROM {outbox} ORDER BY queued_at LIMIT $1\n\
         FOR UPDATE SKIP LOCKED)\n\
         RETURNING customer_id"
    );
    let ids: Vec<String> = tx
        .query(&claim, &[&batch])
        .map_err(|err| PgError::server("claiming queued customers", &err))?
        .iter()
        .map(|row| row.get(0))
        .collect();
    if ids.is_empty() {
        tx.commit()
            .map_err(|err| PgError::server("ending an empty batch", &err))?;
        return Ok(None);
    }
    let report = classify_in(&mut tx, job, &Scope::Ids(ids), Lock::Shared)?;
    tx.commit()
        .map_err(|err| PgError::server("committing a batch", &err))?;
    Ok(Some(report))
}
