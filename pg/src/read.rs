//! What a run reads: the customers of its scope, through the core's CSV
//! door (`COPY … TO STDOUT (FORMAT csv)`), and the labels on record for
//! them.

use std::collections::HashMap;
use std::io::BufReader;

use custclass::customer_file::{CsvChunk, CsvChunks, CsvOptions};
use postgres::Transaction;

use crate::diff::Diff;
use crate::error::PgError;
use crate::job::{Job, Scope};
use crate::mapping::Plan;
use crate::place::{LABELS, Place, quote_ident};

/// Rows per chunk read through the door: enough for every core.
const CHUNK_ROWS: usize = 1 << 16;

/// The customers of `scope`, read through the CSV door in chunks.
pub(crate) fn read(
    tx: &mut Transaction<'_>,
    job: &Job<'_>,
    scope: &Scope,
) -> Result<Vec<CsvChunk>, PgError> {
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
pub(crate) fn untrimmed_ids(
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

/// The labels on record for the run's customers.
pub(crate) fn known_labels(
    tx: &mut Transaction<'_>,
    place: &Place,
    scope: &Scope,
) -> Result<Diff, PgError> {
    let sql = format!(
        "COPY (SELECT customer_id, target, value, source, setup_hash FROM {} l WHERE {}) \
         TO STDOUT",
        place.own(LABELS),
        scope.condition("l"),
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
