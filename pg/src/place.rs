//! Names in SQL: every table, column and schema name reaches a statement
//! quoted, so a table called `cust"; drop table x; --` is just a name.
//! No statement is built from a value: values travel as parameters or
//! through COPY.

/// `name` as a quoted SQL identifier.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `text` as a SQL string literal, for the one statement that takes no
/// parameters (`COMMENT ON`). The session has standard_conforming_strings
/// on, so a backslash is just a character and only `'` needs doubling.
pub fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The customer table and the schema that also holds custclass's own
/// tables (`custclass_labels`, `custclass_rejects`, `custclass_outbox`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The schema (`public` unless given).
    pub schema: String,
    /// The customer table, unquoted.
    pub table: String,
}

impl Place {
    /// The customer table `table` in `schema`.
    pub fn new(schema: impl Into<String>, table: impl Into<String>) -> Place {
        Place {
            schema: schema.into(),
            table: table.into(),
        }
    }

    /// The customer table, schema-qualified and quoted.
    pub fn table_sql(&self) -> String {
        format!("{}.{}", quote_ident(&self.schema), quote_ident(&self.table))
    }

    /// One of custclass's own tables or functions, qualified and quoted.
    pub fn own(&self, name: &str) -> String {
        format!("{}.{}", quote_ident(&self.schema), quote_ident(name))
    }

    /// The schema, quoted.
    pub fn schema_sql(&self) -> String {
        quote_ident(&self.schema)
    }
}

/// The labels, one row per customer and target.
pub const LABELS: &str = "custclass_labels";
/// The rows that could not be labelled, and why.
pub const REJECTS: &str = "custclass_rejects";
/// The ids of inserted, updated and deleted customers, waiting for the watcher.
pub const OUTBOX: &str = "custclass_outbox";
/// The trigger function that fills the outbox.
pub const ENQUEUE: &str = "custclass_enqueue";
/// The setting `--columns` turns on while it writes results into the
/// customer table: its own writes queue nothing (they would only be
/// classified again to the same values).
pub const WRITING: &str = "custclass.writing";
/// The channel the trigger notifies and the watcher listens on.
pub const CHANNEL: &str = "custclass_outbox";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hostile_name_stays_one_identifier() {
        let place = Place::new("public", "cust\"; drop table x; --");
        assert_eq!(place.table_sql(), r#""public"."cust""; drop table x; --""#);
    }
}
