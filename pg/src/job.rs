//! `custclass pg classify`: read customers with `COPY … TO STDOUT`, judge
//! them through the CSV door and classify them on the bulk path, and write
//! what changed back in the same transaction. Only differences are
//! written, so a second run with the same setup and data changes nothing.
//!
//! Labels go through temporary tables filled by `COPY … FROM STDIN` and
//! are merged by set-based statements: one upsert of the labels whose
//! value, source or setup changed, one delete of the labels a customer no
//! longer has. Rejected rows lose their labels (a label from an earlier,
//! valid state would be a silent wrong answer) and get a row in
//! `custclass_rejects` instead; with `--columns` the customer's own
//! columns of a rejected row are left as they are.

use std::collections::HashMap;
use std::io::{BufReader, Write};

use custclass::customer_file::{CsvChunk, CsvChunks, CsvOptions};
use custclass::{Engine, ResultField, RowProblem, TableClassification};
use postgres::{Client, Transaction};

use crate::copy_text;
use crate::diff::{Diff, Rows};
use crate::error::PgError;
use crate::install::{installed_for, is_installed};
use crate::mapping::Plan;
use crate::place::{LABELS, Place, REJECTS, WRITING, quote_ident};

/// Rows per chunk read through the door: enough for every core.
const CHUNK_ROWS: usize = 1 << 16;

/// Bytes of COPY text sent at a time.
const SEND_BYTES: usize = 1 << 20;

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
    /// Reject rows added and removed.
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
        let result = classify_chunk(job.engine, chunk, &mut report, &mut problems);
        let mut mask = vec![false; chunk.table.len()];
        for (row, _) in result.errors() {
            if let Some(flag) = mask.get_mut(row) {
                *flag = true;
            }
        }
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
/// those that can't be read or classified.
fn classify_chunk<'c>(
    engine: &Engine,
    chunk: &'c CsvChunk,
    report: &mut Report,
    problems: &mut Vec<RowProblem>,
) -> TableClassification<'c> {
    let classified = engine.par_classify_table(&chunk.table);
    report.read += chunk.rows.len() + chunk.problems.len();
    problems.extend(chunk.problems.iter().cloned());
    for (row, err) in classified.errors() {
        let line = chunk.lines.get(row).copied();
        let data_row = chunk.rows.get(row).copied().unwrap_or(row);
        problems.push(RowProblem::from_customer(
            data_row,
            line,
            chunk.table.id(row),
            err,
        ));
    }
    classified
}

/// The session's staging tables, emptied at every commit.
fn staging(tx: &mut Transaction<'_>) -> Result<(), PgError> {
    tx.batch_execute(
        "CREATE TEMP TABLE IF NOT EXISTS custclass_scope (customer_id text) ON COMMIT DELETE ROWS;\n\
         CREATE TEMP TABLE IF NOT EXISTS custclass_judged (customer_id text) ON COMMIT DELETE ROWS;\n\
         CREATE TEMP TABLE IF NOT EXISTS custclass_incoming (customer_id text, target text, \
         value text, source text) ON COMMIT DELETE ROWS;\n\
         CREATE TEMP TABLE IF NOT EXISTS custclass_incoming_rejects (customer_id text, \
         \"column\" text, code text, message text) ON COMMIT DELETE ROWS;\n\
         CREATE TEMP TABLE IF NOT EXISTS custclass_changed (customer_id text, target text, \
         value text, source text, setup_hash text) ON COMMIT DELETE ROWS;\n\
         CREATE TEMP TABLE IF NOT EXISTS custclass_gone (customer_id text, target text) \
         ON COMMIT DELETE ROWS;\n\
         TRUNCATE pg_temp.custclass_scope, pg_temp.custclass_judged, \
         pg_temp.custclass_incoming, pg_temp.custclass_incoming_rejects, \
         pg_temp.custclass_changed, pg_temp.custclass_gone;",
    )
    .map_err(|err| PgError::server("creating the staging tables", &err))
}

/// The customers of `scope`, read through the CSV door in chunks.
fn read(tx: &mut Transaction<'_>, job: &Job<'_>, scope: &Scope) -> Result<Vec<CsvChunk>, PgError> {
    let plan = job.plan;
    let columns: Vec<String> = plan
        .reads
        .iter()
        .map(|(column, field)| {
            let text = column.as_text_sql("t.");
            let text = match plan.read_by_hand.get(&column.name) {
                Some(source) => format!(
                    "CASE WHEN coalesce(t.{source}, '') IN ('', 'manual') THEN {text} END",
                    source = quote_ident(source),
                ),
                None => text,
            };
            format!("{text} AS {}", quote_ident(field))
        })
        .collect();
    let filter = scope_filter(plan, scope);
    let sql = format!(
        "COPY (SELECT {} FROM {} t{filter}) TO STDOUT (FORMAT csv, HEADER true)",
        columns.join(", "),
        job.place.table_sql(),
    );
    let reader = tx
        .copy_out(&sql)
        .map_err(|err| PgError::server("reading the customers", &err))?;
    let options = CsvOptions::default().delimiter(b',');
    let fused = Fused {
        inner: reader,
        done: false,
    };
    let mut door = CsvChunks::with_options(BufReader::with_capacity(1 << 16, fused), &options)?;
    let mut chunks = Vec::new();
    while let Some(chunk) = door.next_chunk(CHUNK_ROWS)? {
        chunks.push(chunk);
    }
    Ok(chunks)
}

/// The condition (`WHERE …`, or nothing) that limits a read to `scope`.
fn scope_filter(plan: &Plan, scope: &Scope) -> String {
    match scope {
        Scope::All => String::new(),
        Scope::Stale | Scope::Ids(_) => format!(
            " WHERE t.{id} IN (SELECT customer_id::{ty} FROM pg_temp.custclass_scope)",
            id = quote_ident(&plan.id.name),
            ty = plan.id.type_sql,
        ),
    }
}

/// The ids of `scope` that begin or end with white space, by the id the
/// door reads (trimmed). The door trims every cell, the id too, and the
/// labels, rejects and `--columns` updates must carry the table's own
/// text, or they would not join back to the row (and the watcher, which
/// works by the table's ids, would miss them). `None` when there are
/// none, which a number or uuid key never has.
fn untrimmed_ids(
    tx: &mut Transaction<'_>,
    plan: &Plan,
    place: &Place,
    scope: &Scope,
) -> Result<Option<HashMap<String, String>>, PgError> {
    let numeric = ["smallint", "integer", "bigint", "uuid"];
    if numeric.contains(&plan.id.type_sql.as_str()) || plan.id.type_sql.starts_with("numeric") {
        return Ok(None);
    }
    let id = format!("t.{}::text", quote_ident(&plan.id.name));
    let filter = scope_filter(plan, scope);
    let join = if filter.is_empty() { " WHERE" } else { " AND" };
    // A wide net in SQL, cheap enough for a million rows (an end that
    // isn't a visible ASCII character), the exact test (Rust's trim, the
    // door's) here.
    let sql = format!(
        "SELECT {id} FROM {table} t{filter}{join} \
         (ascii({id}) NOT BETWEEN 33 AND 126 OR ascii(right({id}, 1)) NOT BETWEEN 33 AND 126)",
        table = place.table_sql(),
    );
    let rows = tx
        .query(&sql, &[])
        .map_err(|err| PgError::server("reading the ids with spaces around them", &err))?;
    let map: HashMap<String, String> = rows
        .iter()
        .filter_map(|row| {
            let raw: String = row.get(0);
            let trimmed = raw.trim().to_owned();
            (trimmed != raw && !trimmed.is_empty()).then_some((trimmed, raw))
        })
        .collect();
    Ok((!map.is_empty()).then_some(map))
}

/// The table's own text of an id the door read.
pub(crate) fn table_id<'a>(raw: Option<&'a HashMap<String, String>>, id: &'a str) -> &'a str {
    raw.and_then(|raw| raw.get(id)).map_or(id, String::as_str)
}

/// A reader that stays at its end once there: the COPY stream answers
/// a read after its end with an error ("unexpected message"), and the CSV
/// reader may look again.
struct Fused<R> {
    inner: R,
    done: bool,
}

impl<R: std::io::Read> std::io::Read for Fused<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.done || buf.is_empty() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        self.done = n == 0;
        Ok(n)
    }
}

/// One row per customer and result that has a value:
/// `customer_id, target, value, source`, for the rows not `rejected`.
/// Each distinct value's text is made once, then copied for every row
/// that has it.
///
/// The rejected rows are skipped here rather than trusted to have no
/// codes: a result column leaves out the rows with a reason of their own
/// (a bad attribute), but a row whose group, type or price group is
/// refused still has its class slots in it.
fn encode_labels(
    classified: &TableClassification<'_>,
    table: &custclass::CustomerTable,
    rejected: &[bool],
    raw_ids: Option<&HashMap<String, String>>,
    sender: &mut Sender<'_>,
) -> Result<(), PgError> {
    for field in ResultField::ALL {
        let Some(column) = classified.column(field) else {
            continue;
        };
        let target = field.to_string();
        let tails: Vec<Vec<u8>> = column
            .entries
            .iter()
            .map(|assigned| {
                let mut tail = vec![b'\t'];
                copy_text::push_value(&mut tail, &target);
                tail.push(b'\t');
                copy_text::push_value(&mut tail, &assigned.value);
                tail.push(b'\t');
                copy_text::push_value(&mut tail, &assigned.source.to_string());
                tail.push(b'\n');
                tail
            })
            .collect();
        for (row, &code) in column.codes.iter().enumerate() {
            if rejected.get(row).copied().unwrap_or(true) {
                continue;
            }
            let (Some(tail), Some(id)) = (
                (code as usize).checked_sub(1).and_then(|k| tails.get(k)),
                table.id(row),
            ) else {
                continue;
            };
            copy_text::push_value(&mut sender.buffer, table_id(raw_ids, id));
            sender.buffer.extend_from_slice(tail);
        }
        sender.flush_if_full()?;
    }
    Ok(())
}

/// `customer_id, column, code, message` per problem, the column named as
/// the table names it.
fn encode_rejects(
    problems: &[RowProblem],
    plan: &Plan,
    raw_ids: Option<&HashMap<String, String>>,
) -> Vec<u8> {
    let mut out = Vec::new();
    for problem in problems {
        let column = problem.column.as_deref().map(|field| {
            plan.reads
                .iter()
                .find(|(_, f)| f == field)
                .map_or(field, |(column, _)| column.name.as_str())
        });
        copy_text::push_row(
            &mut out,
            &[
                problem.id.as_deref().map(|id| table_id(raw_ids, id)),
                column,
                Some(&problem.code),
                Some(&problem.message),
            ],
        );
    }
    out
}

/// The labels on record for the run's customers.
fn known_labels(tx: &mut Transaction<'_>, place: &Place, scope: &Scope) -> Result<Diff, PgError> {
    let sql = format!(
        "COPY (SELECT customer_id, target, value, source, setup_hash FROM {} l WHERE {}) \
         TO STDOUT",
        place.own(LABELS),
        in_scope(scope, "l"),
    );
    let reader = tx
        .copy_out(&sql)
        .map_err(|err| PgError::server("reading the labels on record", &err))?;
    let fused = Fused {
        inner: reader,
        done: false,
    };
    Diff::read(BufReader::with_capacity(1 << 16, fused)).map_err(|err| PgError::Server {
        doing: "reading the labels on record".to_owned(),
        detail: err.to_string(),
        sqlstate: None,
    })
}

/// Writes the changed labels and removes the vanished ones, each through
/// a staging table (few rows, as a rule: new labels went in by COPY).
fn apply_changes(tx: &mut Transaction<'_>, place: &Place, diff: &Diff) -> Result<(), PgError> {
    let labels = place.own(LABELS);
    if !diff.update.is_empty() {
        copy_in(
            tx,
            "COPY pg_temp.custclass_changed FROM STDIN",
            &diff.update,
            "staging the changed labels",
        )?;
        let sql = format!(
            "UPDATE {labels} l SET value = c.value, source = c.source, \
             setup_hash = c.setup_hash, classified_at = clock_timestamp() \
             FROM pg_temp.custclass_changed c \
             WHERE l.customer_id = c.customer_id AND l.target = c.target"
        );
        tx.execute(&sql, &[])
            .map_err(|err| PgError::server("writing the changed labels", &err))?;
    }
    if !diff.delete.is_empty() {
        copy_in(
            tx,
            "COPY pg_temp.custclass_gone FROM STDIN",
            &diff.delete,
            "staging the labels to remove",
        )?;
        let sql = format!(
            "DELETE FROM {labels} l USING pg_temp.custclass_gone g \
             WHERE l.customer_id = g.customer_id AND l.target = g.target"
        );
        tx.execute(&sql, &[])
            .map_err(|err| PgError::server("removing the labels no longer given", &err))?;
    }
    Ok(())
}

/// Writes the results into the customer table's own columns, for the
/// rows classified, where they differ.
fn merge_columns(
    tx: &mut Transaction<'_>,
    job: &Job<'_>,
    report: &mut Report,
) -> Result<(), PgError> {
    let plan = job.plan;
    let mut pivots = Vec::new();
    let mut sets = Vec::new();
    let mut olds = Vec::new();
    let mut news = Vec::new();
    for (n, write) in plan.writes.iter().enumerate() {
        let target = write.field.to_string().replace('\'', "''");
        let mut columns = vec![(&write.value, "value", format!("v{n}"))];
        if let Some(source) = &write.source {
            columns.push((source, "source", format!("s{n}")));
        }
        for (column, part, alias) in columns {
            pivots.push(format!(
                "max(i.{part}) FILTER (WHERE i.target = '{target}') AS {alias}"
            ));
            let new = format!("w.{alias}::{}", column.type_sql);
            sets.push(format!("{} = {new}", quote_ident(&column.name)));
            olds.push(format!("t.{}", quote_ident(&column.name)));
            news.push(new);
        }
    }
    let sql = format!(
        "WITH written AS (\n\
         UPDATE {table} t SET {sets}\n\
         FROM (SELECT j.customer_id, {pivots}\n\
               FROM pg_temp.custclass_judged j\n\
               LEFT JOIN pg_temp.custclass_incoming i ON i.customer_id = j.customer_id\n\
               GROUP BY j.customer_id) w\n\
         WHERE t.{id} = w.customer_id::{id_type}\n\
           AND ({olds}) IS DISTINCT FROM ({news})\n\
         RETURNING 1)\n\
         SELECT count(*) FROM written",
        table = job.place.table_sql(),
        sets = sets.join(", "),
        pivots = pivots.join(", "),
        id = quote_ident(&plan.id.name),
        id_type = plan.id.type_sql,
        olds = olds.join(", "),
        news = news.join(", "),
    );
    tx.batch_execute(&format!("SET LOCAL {WRITING} = 'on'"))
        .map_err(|err| PgError::server("writing the label columns", &err))?;
    report.written = count(tx, &sql, &[], "writing the label columns")?;
    tx.batch_execute(&format!("SET LOCAL {WRITING} = 'off'"))
        .map_err(|err| PgError::server("writing the label columns", &err))?;
    Ok(())
}

/// Records the new rejects and removes those that no longer hold.
fn merge_rejects(
    tx: &mut Transaction<'_>,
    place: &Place,
    scope: &Scope,
    hash: &str,
    report: &mut Report,
) -> Result<(), PgError> {
    let rejects = place.own(REJECTS);
    let same = "(i.customer_id, i.\"column\", i.code, i.message, $1::text) \
                IS NOT DISTINCT FROM (r.customer_id, r.\"column\", r.code, r.message, r.setup_hash)";
    let delete = format!(
        "WITH removed AS (\n\
         DELETE FROM {rejects} r WHERE {scope}\n\
         AND NOT EXISTS (SELECT 1 FROM pg_temp.custclass_incoming_rejects i WHERE {same})\n\
         RETURNING 1)\n\
         SELECT count(*) FROM removed",
        scope = in_scope(scope, "r"),
    );
    report.rejects_removed = count(
        tx,
        &delete,
        &[&hash],
        "removing the rejects that no longer hold",
    )?;
    let insert = format!(
        "WITH added AS (\n\
         INSERT INTO {rejects} (customer_id, \"column\", code, message, setup_hash)\n\
         SELECT i.customer_id, i.\"column\", i.code, i.message, $1\n\
         FROM pg_temp.custclass_incoming_rejects i\n\
         WHERE NOT EXISTS (SELECT 1 FROM {rejects} r WHERE {same})\n\
         RETURNING 1)\n\
         SELECT count(*) FROM added"
    );
    report.rejects_added = count(tx, &insert, &[&hash], "recording the rejects")?;
    Ok(())
}

/// The condition that limits a merge to the run's customers.
fn in_scope(scope: &Scope, alias: &str) -> String {
    match scope {
        Scope::All => "TRUE".to_owned(),
        Scope::Stale | Scope::Ids(_) => {
            format!("{alias}.customer_id IN (SELECT customer_id FROM pg_temp.custclass_scope)")
        }
    }
}

/// Runs a `SELECT count(*)` statement.
fn count(
    tx: &mut Transaction<'_>,
    sql: &str,
    params: &[&(dyn postgres::types::ToSql + Sync)],
    doing: &str,
) -> Result<u64, PgError> {
    let row = tx
        .query_one(sql, params)
        .map_err(|err| PgError::server(doing, &err))?;
    Ok(u64::try_from(row.get::<_, i64>(0)).unwrap_or(0))
}

/// Sends `text` with one `COPY … FROM STDIN`.
fn copy_in(tx: &mut Transaction<'_>, sql: &str, text: &[u8], doing: &str) -> Result<(), PgError> {
    let mut sender = Sender::open(tx, sql)?;
    sender.buffer.extend_from_slice(text);
    sender.doing = doing.to_owned();
    sender.finish()
}

/// A `COPY … FROM STDIN` fed a megabyte at a time.
struct Sender<'t> {
    writer: postgres::CopyInWriter<'t>,
    buffer: Vec<u8>,
    doing: String,
}

impl<'t> Sender<'t> {
    fn open(tx: &'t mut Transaction<'_>, sql: &str) -> Result<Sender<'t>, PgError> {
        let writer = tx
            .copy_in(sql)
            .map_err(|err| PgError::server("sending the labels", &err))?;
        Ok(Sender {
            writer,
            buffer: Vec::with_capacity(SEND_BYTES * 2),
            doing: "sending the labels".to_owned(),
        })
    }

    fn flush_if_full(&mut self) -> Result<(), PgError> {
        if self.buffer.len() >= SEND_BYTES {
            self.send()?;
        }
        Ok(())
    }

    fn send(&mut self) -> Result<(), PgError> {
        self.writer
            .write_all(&self.buffer)
            .map_err(|err| PgError::Server {
                doing: self.doing.clone(),
                detail: err.to_string(),
                sqlstate: None,
            })?;
        self.buffer.clear();
        Ok(())
    }

    fn finish(mut self) -> Result<(), PgError> {
        self.send()?;
        let doing = self.doing.clone();
        self.writer
            .finish()
            .map(|_| ())
            .map_err(|err| PgError::server(&doing, &err))
    }
}
