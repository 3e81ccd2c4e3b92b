//! Why a PostgreSQL job could not run: each variant names what to fix, and
//! none carries a password (the server is named as `user@host:port/db`).

use custclass::TableError;

/// A job that could not run at all. Rows that fail are not errors of the
/// job: they are written to `custclass_rejects` and counted in the report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PgError {
    /// The connection settings can't be used (a URL that isn't one, a port
    /// that isn't a number).
    #[error("connection settings: {detail}")]
    Settings {
        /// What is wrong.
        detail: String,
    },
    /// The server can't be reached, or refused the login.
    #[error("cannot connect to {server}: {detail}")]
    Connect {
        /// `user@host:port/db`.
        server: String,
        /// The server's or the network's reason.
        detail: String,
    },
    /// A statement failed on the server.
    #[error("{doing}: {detail}")]
    Server {
        /// What the job was doing ("reading the customers").
        doing: String,
        /// The server's message (and its detail or hint, when given).
        detail: String,
        /// The five-character SQLSTATE, when the server gave one.
        sqlstate: Option<String>,
    },
    /// The customer table doesn't exist, or the role can't see it.
    #[error("no table {table} (or this role may not see it)")]
    NoSuchTable {
        /// The table, quoted.
        table: String,
    },
    /// The mapping names a column the table doesn't have.
    #[error("{table} has no column {column}{}", did_you_mean(.suggestion))]
    NoSuchColumn {
        /// The table, quoted.
        table: String,
        /// The column named.
        column: String,
        /// The closest column the table has.
        suggestion: Option<String>,
    },
    /// Nothing in the table gives the customer id.
    #[error(
        "{table} has no column `id`: name the key column in a mapping file \
         ({{\"columns\": {{\"your_key\": \"id\"}}}})"
    )]
    NoIdColumn {
        /// The table, quoted.
        table: String,
    },
    /// The mapping file can't be used.
    #[error("mapping: {detail}")]
    Mapping {
        /// What is wrong, with the JSON path.
        detail: String,
    },
    /// `--columns` with no column to write any result to.
    #[error(
        "{table} has no column for any result (class1..class8, type, group, price_group, \
         vat_zone, b2b, receivables_account, revenue_account, layout): add them, or map them \
         under \"labels\" in a mapping file"
    )]
    NoLabelColumns {
        /// The table, quoted.
        table: String,
    },
    /// `custclass pg install` has not been run in this schema.
    #[error("custclass is not installed in schema {schema}: run `custclass pg install` first")]
    NotInstalled {
        /// The schema, quoted.
        schema: String,
    },
    /// custclass is installed in the schema for another customer table:
    /// its tables and trigger function serve one table per schema.
    #[error(
        "custclass in schema {schema} labels {installed}, not {table}: one customer table per \
         schema (after renaming the table, run `custclass pg install` again)"
    )]
    OtherTable {
        /// The schema, quoted.
        schema: String,
        /// The table custclass was installed for, quoted.
        installed: String,
        /// The table asked for, quoted.
        table: String,
    },
    /// The rows could not be read as customers at all (the door's own
    /// check of the columns; single bad rows are rejects instead).
    #[error("reading the customers: {0}")]
    Read(#[from] TableError),
}

impl PgError {
    /// Stable code, as every custclass error has.
    pub fn code(&self) -> &'static str {
        match self {
            PgError::Settings { .. } => "connection_settings",
            PgError::Connect { .. } => "cannot_connect",
            PgError::Server { .. } => "server_error",
            PgError::NoSuchTable { .. } => "no_such_table",
            PgError::NoSuchColumn { .. } => "no_such_column",
            PgError::NoIdColumn { .. } => "no_id_column",
            PgError::Mapping { .. } => "invalid_mapping",
            PgError::NoLabelColumns { .. } => "no_label_columns",
            PgError::NotInstalled { .. } => "not_installed",
            PgError::OtherTable { .. } => "installed_for_another_table",
            PgError::Read(err) => err.code(),
        }
    }

    /// A failed statement, while `doing` something.
    pub(crate) fn server(doing: &str, err: &postgres::Error) -> PgError {
        match err.as_db_error() {
            Some(db) => {
                let mut detail = db.message().to_owned();
                if let Some(more) = db.detail() {
                    detail.push_str(&format!(" ({more})"));
                }
                if let Some(hint) = db.hint() {
                    detail.push_str(&format!("; hint: {hint}"));
                }
                PgError::Server {
                    doing: doing.to_owned(),
                    detail,
                    sqlstate: Some(db.code().code().to_owned()),
                }
            }
            None => PgError::Server {
                doing: doing.to_owned(),
                detail: err.to_string(),
                sqlstate: None,
            },
        }
    }

    /// Whether the connection was lost (the server restarted, the network
    /// dropped): a watcher reconnects instead of stopping.
    pub fn is_connection_lost(&self) -> bool {
        match self {
            PgError::Connect { .. } => true,
            PgError::Server { sqlstate, .. } => match sqlstate.as_deref() {
                // Not a SQL error: the socket closed under the client.
                None => true,
                // connection_exception, admin_shutdown, crash_shutdown,
                // cannot_connect_now.
                Some(code) => code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03"),
            },
            _ => false,
        }
    }

    /// Whether the server rolled the transaction back for a reason that
    /// trying again cures: a deadlock (with `--columns` a watcher's batch
    /// updates customer rows an application may hold while it waits for
    /// the batch's queue entries) or a serialization failure.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            PgError::Server { sqlstate: Some(code), .. } if code.starts_with("40")
        )
    }
}

fn did_you_mean(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|s| format!(" (did you mean {s}?)"))
        .unwrap_or_default()
}
