//! `custclass pg classify`: read customers with `COPY … TO STDOUT`, judge
//! them through the CSV door and classify them on the bulk path, and write
//! what changed back in the same transaction. Only differences are
//! written, so a second run with the same setup and data changes nothing.
//!
//! Labels are compared with those on record in memory (`diff.rs`);
//! new ones go straight into `custclass_labels` by `COPY … FROM STDIN`,
//! changed and vanished ones through staging tables. Rejected rows lose
//! their labels (a label from an earlier, valid state would be a silent
//! wrong answer) and get a row in `custclass_rejects` instead. With
//! `--columns` the results are merged into the customer table's own
//! columns by one `UPDATE`, and a rejected row's columns are left as they
//! are.

use custclass::customer_file::CsvChunk;
use custclass::{Engine, RowProblem, TableClassification};
use postgres::{Client, Transaction};

use crate::copy_text;
use crate::diff::Rows;
use crate::error::PgError;
use crate::install::{installed_for, is_installed};
use crate::mapping::Plan;
use crate::place::{LABELS, Place, REJECTS};
use crate::read::{known_labels, read, table_id, untrimmed_ids};
use crate::write::{
    Sender, apply_changes, copy_in, encode_labels, encode_rejects, merge_columns, merge_rejects,
};

/// The first key of the advisory lock a full run takes exclusively and a
/// watcher's batch shares ("ccls"), so no batch commits labels from
/// before a full run's snapshot or the other way round.
const LOCK_CLASS: i32 = 0x6363_6c73;

/// What a job labels.
#[derive(Debug, Clone)]
pub struct Job<'a> {
    /// The engine of the setup.
    pub engine: &'a Engine,
    /// The customer table.
    pub place: &'a Place,
    /// What is read and written.
    pub plan: &'a Plan,
}

/// Which customers a run decides about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every row of the table; labels of customers no longer in it go.
    All,
    /// Customers labelled or rejected by another setup than this one.
    Stale,
    /// These customer ids (as text), e.g. a watcher's batch; an id no
    /// longer in the table loses its labels and rejects.
    Ids(Vec<String>),
}

impl Scope {
    /// The condition that limits a statement over custclass's tables
    /// (alias `alias`) to the run's customers. The ids compare as bytes,
    /// as those tables' keys do, so their indexes serve a batch.
    pub(crate) fn condition(&self, alias: &str) -> String {
        match self {
            Scope::All => "TRUE".to_owned(),
            Scope::Stale | Scope::Ids(_) => format!(
                "{alias}.customer_id IN \
                 (SELECT customer_id COLLATE \"C\" FROM pg_temp.custclass_scope)"
            ),
        }
    }
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report {
    /// Customer rows read.
    pub read: usize,
    /// Of those, classified.
    pub classified: usize,
    /// Of those, rejected: read but unreadable or not fitting the setup.
    pub rejected: usize,
    /// Labels inserted or changed (with `--columns`: customer rows updated).
    pub written: u64,
    /// Labels removed: values a customer no longer has, customers gone or
    /// now rejected.
    pub removed: u64,
    /// Reject rows added.
    pub rejects_added: u64,
    /// Reject rows removed (fixed, gone, or re-worded).
    pub rejects_removed: u64,
}

/// Runs `job` for `scope` in one transaction of its own.
///
/// # Errors
///
/// A [`PgError`] when the job can't run; nothing is written then.
pub fn classify(client: &mut Client, job: &Job<'_>, scope: &Scope) -> Result<Report, PgError> {
    let mut tx = client
        .transaction()
        .map_err(|err| PgError::server("starting the transaction", &err))?;
    let report = classify_in(&mut tx, job, scope, Lock::Exclusive)?;
    tx.commit()
        .map_err(|err| PgError::server("committing the labels", &err))?;
    if report.written + report.removed > 0 {
        // Statistics now, not when autovacuum gets to it, for whoever
        // queries the labels next. Only the owner may; for anyone else the
        // server skips it with a warning, which is fine.
        let sql = format!("ANALYZE {}", job.place.own(LABELS));
        client
            .batch_execute(&sql)
            .map_err(|err| PgError::server("analysing the labels", &err))?;
    }
    Ok(report)
}

/// How a run shares the table with other runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lock {
    /// A full run: waits for batches in flight, and they for it.
    Exclusive,
    /// A watcher's batch: side by side with other batches.
    Shared,
}

/// Runs `job` for `scope` inside `tx`, which the caller commits: the
/// watcher claims its batch in the same transaction.
pub(crate) fn classify_in(
    tx: &mut Transaction<'_>,
    job: &Job<'_>,
    scope: &Scope,
    lock: Lock,
) -> Result<Report, PgError> {
    let place = job.place;
    if !is_installed(tx, place)? {
        return Err(PgError::NotInstalled {
            schema: place.schema_sql(),
        });
    }
    // A full run removes every label it didn't give: over another table
    // it would wipe the installed table's labels.
    if let Some(installed) = installed_for(tx, place)?
        && installed != place.table_sql()
    {
        return Err(PgError::OtherTable {
            schema: place.schema_sql(),
            installed,
            table: place.table_sql(),
        });
    }
    let hash = job.engine.fingerprint().to_string();
    let lock_sql = match lock {
        Lock::Exclusive => "SELECT pg_advisory_xact_lock($1, hashtext($2))",
        Lock::Shared => "SELECT pg_advisory_xact_lock_shared($1, hashtext($2))",
    };
    tx.execute(lock_sql, &[&LOCK_CLASS, &place.table_sql()])
        .map_err(|err| PgError::server("waiting for other custclass jobs on the table", &err))?;
    staging(tx)?;
    if let Scope::Ids(_) = scope {
        // A batch touches a few customers: their rows, labels and rejects
        // are found by key. Without statistics on a labels table just
        // filled (autovacuum analyses it a minute later) the planner
        // expects a semi-join with the batch to match half the table and
        // scans all of it, a second and a half per batch for twelve
        // million labels (the bench's watcher fell 2.4 s behind). A scan
        // that can't be avoided (a staging table) then costs as much as a
        // disabled plan, which would switch on JIT compilation, a tenth of
        // a second per statement: off too.
        tx.batch_execute("SET LOCAL enable_seqscan = off; SET LOCAL jit = off")
            .map_err(|err| PgError::server("setting up the batch", &err))?;
    }
    match scope {
        Scope::All => {}
        Scope::Stale => {
            let sql = format!(
                "INSERT INTO pg_temp.custclass_scope \
                 SELECT customer_id FROM {labels} WHERE setup_hash <> $1 \
                 UNION SELECT customer_id FROM {rejects} \
                 WHERE setup_hash <> $1 AND customer_id IS NOT NULL",
                labels = place.own(LABELS),
                rejects = place.own(REJECTS),
            );
            tx.execute(&sql, &[&hash])
                .map_err(|err| PgError::server("finding the stale labels", &err))?;
        }
        Scope::Ids(ids) => {
            let mut text = Vec::new();
            for id in ids {
                copy_text::push_row(&mut text, &[Some(id)]);
            }
            copy_in(
                tx,
                "COPY pg_temp.custclass_scope FROM STDIN",
                &text,
                "queuing the ids",
            )?;
        }
    }
    let chunks = read(tx, job, scope)?;
    let raw_ids = untrimmed_ids(tx, job.plan, place, scope)?;
    let raw_ids = raw_ids.as_ref();
    let mut report = Report::default();
    let mut problems: Vec<RowProblem> = Vec::new();
    // An id on more than one row: the door rejects the later rows, and
    // the first is no more right than they are. Which one comes first is
    // where the server happens to keep them (an UPDATE moves a row), so
    // labelling it would change the labels from run to run.
    let repeated: std::collections::HashSet<&str> = chunks
        .iter()
        .flat_map(|chunk| &chunk.problems)
        .filter(|problem| problem.code == "duplicate_id")
        .filter_map(|problem| problem.id.as_deref())
        .collect();
    let mut first_of_repeated = 0;
    let mut classified = Vec::with_capacity(chunks.len());
    let mut rejected = Vec::with_capacity(chunks.len());
    for chunk in &chunks {
        let (result, mut mask) = classify_chunk(job.engine, chunk, &mut report, &mut problems);
        if !repeated.is_empty() {
            for (row, flag) in mask.iter_mut().enumerate() {
                if !*flag && chunk.table.id(row).is_some_and(|id| repeated.contains(id)) {
                    *flag = true;
                    first_of_repeated += 1;
                }
            }
        }
        classified.push(result);
        rejected.push(mask);
    }
    if job.plan.writes.is_empty() {
        let mut diff = known_labels(tx, place, scope)?;
        let mut sender = Sender::open(
            tx,
            &format!(
                "COPY {} (customer_id, target, value, source, setup_hash) FROM STDIN",
                place.own(LABELS)
            ),
        )?;
        let rows: Vec<Rows<'_>> = chunks
            .iter()
            .zip(&classified)
            .zip(&rejected)
            .map(|((chunk, classified), rejected)| Rows {
                table: &chunk.table,
                classified,
                rejected,
            })
            .collect();
        diff.compare(&rows, raw_ids, &hash, &mut |buffer| {
            sender.buffer.append(buffer);
            sender.flush_if_full()
        })?;
        diff.finish();
        sender.finish()?;
        apply_changes(tx, place, &diff)?;
        report.written = diff.inserted + diff.updated;
        report.removed = diff.deleted;
    } else {
        let mut labels = Sender::open(tx, "COPY pg_temp.custclass_incoming FROM STDIN")?;
        let mut judged: Vec<u8> = Vec::new();
        for ((chunk, classified), rejected) in chunks.iter().zip(&classified).zip(&rejected) {
            encode_labels(classified, &chunk.table, rejected, raw_ids, &mut labels)?;
            for (row, &rejected) in rejected.iter().enumerate() {
                if !rejected {
                    let id = chunk.table.id(row).map(|id| table_id(raw_ids, id));
                    copy_text::push_row(&mut judged, &[id]);
                }
            }
        }
        labels.finish()?;
        copy_in(
            tx,
            "COPY pg_temp.custclass_judged FROM STDIN",
            &judged,
            "staging the ids",
        )?;
        merge_columns(tx, job, &mut report)?;
    }
    report.rejected = problems
        .iter()
        .map(|p| p.row)
        .collect::<std::collections::BTreeSet<_>>()
        .len()
        + first_of_repeated;
    report.classified = report.read - report.rejected;
    let rejects = encode_rejects(&problems, job.plan, raw_ids);
    copy_in(
        tx,
        "COPY pg_temp.custclass_incoming_rejects FROM STDIN",
        &rejects,
        "staging the rejects",
    )?;
    merge_rejects(tx, place, scope, &hash, &mut report)?;
    Ok(report)
}

/// Classifies a chunk, counting its rows and collecting the problems of
/// those that can't be read or classified; with, per table row, whether
/// it can't be classified (one pass over the errors for both).
fn classify_chunk<'c>(
    engine: &Engine,
    chunk: &'c CsvChunk,
    report: &mut Report,
    problems: &mut Vec<RowProblem>,
) -> (TableClassification<'c>, Vec<bool>) {
    let classified = engine.par_classify_table(&chunk.table);
    report.read += chunk.rows.len() + chunk.problems.len();
    problems.extend(chunk.problems.iter().cloned());
    let mut rejected = vec![false; chunk.table.len()];
    for (row, err) in classified.errors() {
        if let Some(flag) = rejected.get_mut(row) {
            *flag = true;
        }
        let line = chunk.lines.get(row).copied();
        let data_row = chunk.rows.get(row).copied().unwrap_or(row);
        problems.push(RowProblem::from_customer(
            data_row,
            line,
            chunk.table.id(row),
            err,
        ));
    }
    (classified, rejected)
}

/// The session's staging tables, emptied at every commit (and, after a
/// rollback, empty anyway): no TRUNCATE, which would give each table new
/// files in every batch of a watcher.
fn staging(tx: &mut Transaction<'_>) -> Result<(), PgError> {
    tx.batch_execute(
        "CREATE TEMP TABLE IF NOT EXISTS custclass_scope (customer_id text) ON COMMIT DELETE ROWS;\n\
         CREATE TEMP TABLE IF NOT EXISTS custclass_judged (customer_id text) ON COMMIT DELETE ROWS;\n\
         CREATE TEMP TABLE IF NOT EXISTS custclass_incoming (customer_id text, target text, \
         value text, source text) ON COMMIT DELETE ROWS;\n\
         CREATE TEMP TABLE IF NOT EXISTS custclass_incoming_rejects (customer_id text COLLATE \"C\", \
         \"column\" text, code text, message text) ON COMMIT DELETE ROWS;\n\
         CREATE TEMP TABLE IF NOT EXISTS custclass_changed (customer_id text COLLATE \"C\", \
         target text COLLATE \"C\", value text, source text, setup_hash text) \
         ON COMMIT DELETE ROWS;\n\
         CREATE TEMP TABLE IF NOT EXISTS custclass_gone (customer_id text COLLATE \"C\", \
         target text COLLATE \"C\") ON COMMIT DELETE ROWS;",
    )
    .map_err(|err| PgError::server("creating the staging tables", &err))
}
