//! What a run writes: the labels that changed, the results into the
//! customer table's own columns (`--columns`), and the rejects; each
//! through `COPY … FROM STDIN` and a set-based statement.

use std::collections::HashMap;
use std::io::Write;

use custclass::{ResultField, RowProblem, TableClassification};
use postgres::Transaction;

use crate::copy_text;
use crate::diff::Diff;
use crate::error::PgError;
use crate::job::{Job, Report, Scope};
use crate::mapping::Plan;
use crate::place::{LABELS, Place, REJECTS, WRITING, quote_ident};
use crate::read::table_id;

/// Bytes of COPY text sent at a time.
const SEND_BYTES: usize = 1 << 20;

/// One row per customer and result that has a value:
/// `customer_id, target, value, source`, for the rows not `rejected`.
/// Each distinct value's text is made once, then copied for every row
/// that has it.
///
/// The rejected rows are skipped here rather than trusted to have no
/// codes: a result column leaves out the rows with a reason of their own
/// (a bad attribute), but a row whose group, type or price group is
/// refused still has its class slots in it.
pub(crate) fn encode_labels(
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
pub(crate) fn encode_rejects(
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

/// Writes the changed labels and removes the vanished ones, each through
/// a staging table (few rows, as a rule: new labels went in by COPY).
pub(crate) fn apply_changes(
    tx: &mut Transaction<'_>,
    place: &Place,
    diff: &Diff,
) -> Result<(), PgError> {
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
pub(crate) fn merge_columns(
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
pub(crate) fn merge_rejects(
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
        scope = scope.condition("r"),
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
pub(crate) fn copy_in(
    tx: &mut Transaction<'_>,
    sql: &str,
    text: &[u8],
    doing: &str,
) -> Result<(), PgError> {
    let mut sender = Sender::open(tx, sql)?;
    sender.buffer.extend_from_slice(text);
    sender.doing = doing.to_owned();
    sender.finish()
}

/// A `COPY … FROM STDIN` fed a megabyte at a time.
pub(crate) struct Sender<'t> {
    writer: postgres::CopyInWriter<'t>,
    pub(crate) buffer: Vec<u8>,
    doing: String,
}

impl<'t> Sender<'t> {
    pub(crate) fn open(tx: &'t mut Transaction<'_>, sql: &str) -> Result<Sender<'t>, PgError> {
        let writer = tx
            .copy_in(sql)
            .map_err(|err| PgError::server("sending the labels", &err))?;
        Ok(Sender {
            writer,
            buffer: Vec::with_capacity(SEND_BYTES * 2),
            doing: "sending the labels".to_owned(),
        })
    }

    pub(crate) fn flush_if_full(&mut self) -> Result<(), PgError> {
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

    pub(crate) fn finish(mut self) -> Result<(), PgError> {
        self.send()?;
        let doing = self.doing.clone();
        self.writer
            .finish()
            .map(|_| ())
            .map_err(|err| PgError::server(&doing, &err))
    }
}
