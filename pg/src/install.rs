//! `custclass pg install`: custclass's own tables beside the customer
//! table, and the triggers that queue every inserted, changed or deleted
//! customer for the watcher. Running it again brings an installation up
//! to date (new columns the setup reads) and changes nothing else.

use postgres::Client;

use crate::error::PgError;
use crate::mapping::Plan;
use crate::place::{
    CHANNEL, ENQUEUE, LABELS, OUTBOX, Place, REJECTS, WRITING, quote_ident, quote_literal,
};

/// SQLSTATE of "permission denied".
const INSUFFICIENT_PRIVILEGE: &str = "42501";

/// Creates (or brings up to date) the labels, rejects and outbox tables
/// and the triggers on the customer table, in one transaction. The
/// triggers watch the columns `plan` reads, so an update of another
/// column (or of a label column `--columns` writes) queues nothing.
///
/// # Errors
///
/// [`PgError::Server`] when a statement fails, e.g. for a role that may
/// not create tables in the schema or triggers on the table.
pub fn install(client: &mut Client, place: &Place, plan: &Plan) -> Result<(), PgError> {
    let sql = install_sql(place, plan);
    let mut tx = client
        .transaction()
        .map_err(|err| PgError::server("starting the installation", &err))?;
    // The trigger function is the schema's one: installing for a second
    // table would point it at that table's id column and break every
    // insert into the first.
    if let Some(other) = installed_for(&mut tx, place)?
        && other != place.table_sql()
    {
        let still_there = tx
            .query_one("SELECT to_regclass($1) IS NOT NULL", &[&other])
            .map_err(|err| PgError::server("looking up the installed table", &err))?;
        if still_there.get::<_, bool>(0) {
            return Err(PgError::OtherTable {
                schema: place.schema_sql(),
                installed: other,
                table: place.table_sql(),
            });
        }
    }
    tx.batch_execute(&sql).map_err(|err| {
        let mut err = PgError::server("installing", &err);
        if let PgError::Server {
            detail, sqlstate, ..
        } = &mut err
            && sqlstate.as_deref() == Some(INSUFFICIENT_PRIVILEGE)
        {
            detail.push_str(
                " (install as the customer table's owner, or a role that may create \
                 tables in the schema; the role that classifies and watches needs only \
                 SELECT on the customers, SELECT, INSERT, UPDATE, DELETE on \
                 custclass_labels, custclass_rejects and custclass_outbox, and TEMPORARY \
                 on the database)",
            );
        }
        err
    })?;
    tx.commit()
        .map_err(|err| PgError::server("committing the installation", &err))
}

/// What the labels table's comment starts with: the rest is the
/// customer table custclass was installed for.
const INSTALLED_FOR: &str = "custclass: the labels of ";

/// The customer table (quoted, qualified) custclass was installed for in
/// `place`'s schema; `None` when not installed, or by a version that
/// didn't record it.
///
/// # Errors
///
/// [`PgError::Server`] when the catalog can't be read.
pub fn installed_for(
    client: &mut impl postgres::GenericClient,
    place: &Place,
) -> Result<Option<String>, PgError> {
    let row = client
        .query_one(
            "SELECT obj_description(to_regclass($1), 'pg_class')",
            &[&place.own(LABELS)],
        )
        .map_err(|err| PgError::server("looking up the installed table", &err))?;
    let comment: Option<String> = row.get(0);
    Ok(comment.and_then(|c| c.strip_prefix(INSTALLED_FOR).map(str::to_owned)))
}

/// Whether custclass's tables are in `place`'s schema.
///
/// # Errors
///
/// [`PgError::Server`] when the catalog can't be read.
pub fn is_installed(
    client: &mut impl postgres::GenericClient,
    place: &Place,
) -> Result<bool, PgError> {
    let row = client
        .query_one(
            "SELECT to_regclass($1) IS NOT NULL AND to_regclass($2) IS NOT NULL \
             AND to_regclass($3) IS NOT NULL",
            &[&place.own(LABELS), &place.own(REJECTS), &place.own(OUTBOX)],
        )
        .map_err(|err| PgError::server("looking for custclass's tables", &err))?;
    Ok(row.get(0))
}

/// The installation script. Names are quoted; the trigger function's body
/// is dollar-quoted with a tag the body doesn't contain, so no column name
/// can end it early.
fn install_sql(place: &Place, plan: &Plan) -> String {
    let labels = place.own(LABELS);
    let rejects = place.own(REJECTS);
    let outbox = place.own(OUTBOX);
    let enqueue = place.own(ENQUEUE);
    let table = place.table_sql();
    let id = quote_ident(&plan.id.name);
    let watched: Vec<String> = plan
        .reads
        .iter()
        .map(|(c, _)| quote_ident(&c.name))
        .collect();
    let old_new = |side: &str| {
        watched
            .iter()
            .map(|c| format!("{side}.{c}::text"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // A customer already queued is locked by the change (a no-op update
    // of its outbox row) rather than left alone: a watcher claims with
    // SKIP LOCKED, so it can't take the customer before the change is
    // committed and label what the change replaces (an update or delete
    // committed after the watcher read the row would be lost).
    let requeue = "ON CONFLICT (customer_id) DO UPDATE SET queued_at = o.queued_at";
    let body = format!(
        "\nBEGIN\n\
         \x20 IF TG_LEVEL = 'ROW' THEN\n\
         \x20   IF current_setting('{WRITING}', true) = 'on' THEN\n\
         \x20     RETURN NULL;\n\
         \x20   END IF;\n\
         \x20   IF NEW.{id} IS NOT NULL THEN\n\
         \x20     INSERT INTO {outbox} AS o (customer_id) VALUES (NEW.{id}::text) {requeue};\n\
         \x20   END IF;\n\
         \x20   IF OLD.{id} IS NOT NULL AND OLD.{id} IS DISTINCT FROM NEW.{id} THEN\n\
         \x20     INSERT INTO {outbox} AS o (customer_id) VALUES (OLD.{id}::text) {requeue};\n\
         \x20   END IF;\n\
         \x20 ELSIF TG_OP = 'INSERT' THEN\n\
         \x20   INSERT INTO {outbox} AS o (customer_id)\n\
         \x20     SELECT DISTINCT {id}::text FROM custclass_changed WHERE {id} IS NOT NULL\n\
         \x20     {requeue};\n\
         \x20 ELSE\n\
         \x20   INSERT INTO {outbox} AS o (customer_id)\n\
         \x20     SELECT DISTINCT {id}::text FROM custclass_gone WHERE {id} IS NOT NULL\n\
         \x20     {requeue};\n\
         \x20 END IF;\n\
         \x20 PERFORM pg_notify('{CHANNEL}', '');\n\
         \x20 RETURN NULL;\n\
         END\n"
    );
    let tag = dollar_tag(&body);
    // Customer ids in custclass's tables collate as bytes: `pg classify`
    // sends new labels in byte order, so they are appended to the key's
    // index, and comparing bytes is cheaper than the database's locale
    // (equality is the same). Statements that join them with a staging
    // table say `COLLATE "C"` there too, or the index could not be used.
    format!(
        "CREATE TABLE IF NOT EXISTS {labels} (\n\
         \x20 customer_id text COLLATE \"C\" NOT NULL,\n\
         \x20 target text COLLATE \"C\" NOT NULL,\n\
         \x20 value text NOT NULL,\n\
         \x20 source text NOT NULL,\n\
         \x20 setup_hash text NOT NULL,\n\
         \x20 classified_at timestamptz NOT NULL DEFAULT clock_timestamp(),\n\
         \x20 PRIMARY KEY (customer_id, target));\n\
         CREATE TABLE IF NOT EXISTS {rejects} (\n\
         \x20 customer_id text COLLATE \"C\",\n\
         \x20 \"column\" text,\n\
         \x20 code text NOT NULL,\n\
         \x20 message text NOT NULL,\n\
         \x20 setup_hash text NOT NULL,\n\
         \x20 rejected_at timestamptz NOT NULL DEFAULT clock_timestamp());\n\
         CREATE INDEX IF NOT EXISTS {rejects_index} ON {rejects} (customer_id);\n\
         CREATE TABLE IF NOT EXISTS {outbox} (\n\
         \x20 customer_id text PRIMARY KEY,\n\
         \x20 queued_at timestamptz NOT NULL DEFAULT clock_timestamp());\n\
         CREATE INDEX IF NOT EXISTS {outbox_index} ON {outbox} (queued_at);\n\
         CREATE OR REPLACE FUNCTION {enqueue}() RETURNS trigger\n\
         \x20 LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp\n\
         \x20 AS {tag}{body}{tag};\n\
         REVOKE ALL ON FUNCTION {enqueue}() FROM PUBLIC;\n\
         DROP TRIGGER IF EXISTS custclass_inserted ON {table};\n\
         DROP TRIGGER IF EXISTS custclass_updated ON {table};\n\
         DROP TRIGGER IF EXISTS custclass_deleted ON {table};\n\
         CREATE TRIGGER custclass_inserted AFTER INSERT ON {table}\n\
         \x20 REFERENCING NEW TABLE AS custclass_changed\n\
         \x20 FOR EACH STATEMENT EXECUTE FUNCTION {enqueue}();\n\
         CREATE TRIGGER custclass_deleted AFTER DELETE ON {table}\n\
         \x20 REFERENCING OLD TABLE AS custclass_gone\n\
         \x20 FOR EACH STATEMENT EXECUTE FUNCTION {enqueue}();\n\
         CREATE TRIGGER custclass_updated AFTER UPDATE OF {columns} ON {table}\n\
         \x20 FOR EACH ROW WHEN (({old}) IS DISTINCT FROM ({new}))\n\
         \x20 EXECUTE FUNCTION {enqueue}();\n\
         COMMENT ON TABLE {labels} IS {installed_for};\n",
        rejects_index = quote_ident("custclass_rejects_customer"),
        outbox_index = quote_ident("custclass_outbox_queued"),
        columns = watched.join(", "),
        old = old_new("OLD"),
        new = old_new("NEW"),
        installed_for = quote_literal(&format!("{INSTALLED_FOR}{table}")),
    )
}

/// A dollar-quote tag that does not occur in `body`.
fn dollar_tag(body: &str) -> String {
    (0..)
        .map(|n| format!("$custclass{n}$"))
        .find(|tag| !body.contains(tag.as_str()))
        .unwrap_or_else(|| "$custclass$".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::TableColumn;

    #[test]
    fn a_column_name_cannot_end_the_function_body() {
        let hostile = TableColumn {
            name: "x$custclass0$; drop table y; --".to_owned(),
            type_sql: "text".to_owned(),
        };
        let plan = Plan {
            id: hostile.clone(),
            reads: vec![(hostile, "id".to_owned())],
            missing: Vec::new(),
            writes: Vec::new(),
            read_by_hand: Default::default(),
        };
        let sql = install_sql(&Place::new("public", "t"), &plan);
        assert!(sql.contains("AS $custclass1$"), "{sql}");
        assert_eq!(sql.matches("$custclass1$").count(), 2);
    }
}
