//! Errors of a customer file or batch as a whole.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{ErrorJson, tagged_context};

/// A customer file that can't be read as a whole: a bad header or a failing
/// reader. Problems in single rows are [`RowProblem`](crate::RowProblem)s instead.
///
/// # Examples
///
/// ```
/// use custclass::{CustomerTable, ErrorJson, TableError};
///
/// // A misspelt column would drop data silently, so the file is refused:
/// let file = "id;name;vat_numbr\n1;Jansen;NL123456782B01\n";
/// let err = CustomerTable::from_csv(file.as_bytes()).err().ok_or("vat_numbr is no field")?;
/// assert!(matches!(&err, TableError::UnknownColumn { column, position: 3, .. } if column == "vat_numbr"));
/// assert_eq!(err.code(), "unknown_column");
/// assert_eq!(
///     err.to_json().to_string(),
///     r#"{"code":"unknown_column","column":"vat_numbr","message":"column 3 'vat_numbr' is not a customer field (did you mean 'vat_number'?); custom columns are named attr.<name>","position":3,"suggestion":"vat_number"}"#
/// );
///
/// // A bad cell is a problem of its row only, with its line and column:
/// let file = "id;name;country\n1;Jansen;NL\n2;Smit;XX\n";
/// let (table, problems) = CustomerTable::from_csv(file.as_bytes())?;
/// assert_eq!(table.len(), 1);
/// let problem = problems.first().ok_or("row 2 is bad")?;
/// assert_eq!((problem.row, problem.line, problem.column.as_deref()), (1, Some(3), Some("country")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TableError {
    /// A header the customer format doesn't know.
    #[error(
        "column {position} '{column}' is not a customer field{}; custom columns are named attr.<name>",
        did_you_mean(suggestion)
    )]
    UnknownColumn {
        /// The header.
        column: String,
        /// 1-based column number.
        position: usize,
        /// The field it most likely means, when one is close.
        #[serde(skip_serializing_if = "Option::is_none")]
        suggestion: Option<String>,
    },
    /// A header an order-line file doesn't have.
    #[error(
        "column {position} '{column}' is not an order-line column{}; the columns are customer, item, item_group, list_price, quantity, date and currency",
        did_you_mean(suggestion)
    )]
    UnknownOrderColumn {
        /// The header.
        column: String,
        /// 1-based column number.
        position: usize,
        /// The column it most likely means, when one is close.
        #[serde(skip_serializing_if = "Option::is_none")]
        suggestion: Option<String>,
    },
    /// An attribute column the setup doesn't declare: nothing would read
    /// it, so a typo would change every row's answer without a word.
    #[error(
        "column {position} '{column}' is not an attribute the setup declares{}",
        did_you_mean(suggestion)
    )]
    UndeclaredAttribute {
        /// The header.
        column: String,
        /// 1-based column number.
        position: usize,
        /// The declared attribute it most likely means.
        #[serde(skip_serializing_if = "Option::is_none")]
        suggestion: Option<String>,
    },
    /// A declared attribute that a rule or segment tests, missing from the
    /// input altogether: the test would be unknown on every row.
    #[error("the input has no '{column}' column, which the conditions test")]
    MissingAttribute {
        /// The column.
        column: String,
    },
    /// A required column is missing.
    #[error("the {} has no '{column}' column", if *.table { "table" } else { "file" })]
    MissingColumn {
        /// The column.
        column: String,
        /// Whether the input is a table of columns (Arrow, a data frame)
        /// rather than a file: the message names it as what the caller
        /// gave.
        #[serde(skip)]
        table: bool,
    },
    /// The same header twice.
    #[error("column {position} '{column}' appears twice")]
    DuplicateColumn {
        /// The header.
        column: String,
        /// 1-based column number of the second one.
        position: usize,
    },
    /// The header row can't be read.
    #[error("the header row can't be read: {detail}")]
    UnreadableHeader {
        /// What went wrong.
        detail: String,
    },
    /// A column whose data type can't hold the field (Arrow input).
    #[error("column '{column}' holds {found}; it must hold {expected}")]
    ColumnType {
        /// The column.
        column: String,
        /// Its data type.
        found: String,
        /// What the field takes.
        expected: &'static str,
    },
    /// A customer column on order lines priced against a customer table,
    /// which is where their customers' columns come from.
    #[error(
        "column {position} '{column}' describes the customer; with a customer table, the lines name their customer by id only"
    )]
    CustomerColumnOnLines {
        /// The column.
        column: String,
        /// 1-based column number.
        position: usize,
    },
    /// A column of a columnar batch longer or shorter than the first.
    #[error("column '{column}' has {found} values where the first column has {expected}")]
    ColumnLength {
        /// The column.
        column: String,
        /// Its number of values.
        found: usize,
        /// The first column's.
        expected: usize,
    },
    /// Reading failed part-way.
    #[error("reading failed at line {line}: {detail}")]
    Io {
        /// The line reached.
        line: u64,
        /// What went wrong.
        detail: String,
    },
}

fn did_you_mean(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(name) => format!(" (did you mean '{name}'?)"),
        None => String::new(),
    }
}

impl TableError {
    /// `unknown_column`: column `position` (1-based), `column`, is not one
    /// the input may have; `suggestion` is the closest one that is.
    pub(crate) fn unknown_column(
        column: &str,
        position: usize,
        suggestion: Option<String>,
    ) -> TableError {
        TableError::UnknownColumn {
            column: column.to_owned(),
            position,
            suggestion,
        }
    }

    /// Every code, in declaration order (the catalogue, [`all_codes`](crate::all_codes)).
    pub(crate) const VARIANTS: &'static [&'static str] = &[
        "unknown_column",
        "unknown_order_column",
        "undeclared_attribute",
        "missing_attribute",
        "missing_column",
        "duplicate_column",
        "unreadable_header",
        "column_type",
        "customer_column_on_lines",
        "column_length",
        "io",
    ];

    /// The stable code: the variant's name in snake case, as its JSON
    /// `code` tag.
    pub fn code(&self) -> &'static str {
        match self {
            TableError::UnknownColumn { .. } => "unknown_column",
            TableError::UnknownOrderColumn { .. } => "unknown_order_column",
            TableError::UndeclaredAttribute { .. } => "undeclared_attribute",
            TableError::MissingAttribute { .. } => "missing_attribute",
            TableError::MissingColumn { .. } => "missing_column",
            TableError::DuplicateColumn { .. } => "duplicate_column",
            TableError::UnreadableHeader { .. } => "unreadable_header",
            TableError::ColumnType { .. } => "column_type",
            TableError::CustomerColumnOnLines { .. } => "customer_column_on_lines",
            TableError::ColumnLength { .. } => "column_length",
            TableError::Io { .. } => "io",
        }
    }
}

error_json!(TableError);
