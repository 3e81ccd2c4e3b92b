//! A problem with one row of a customer file or batch, as data: the other
//! rows are unaffected and go on.

use serde::{Deserialize, Serialize};

use super::CustomerError;

/// A problem with one input row; the other rows are unaffected.
///
/// The same type for a file (CSV, JSON lines), where `line` says where the
/// row starts, and for a batch (Arrow columns, a JSON array), which has no
/// lines; `row` counts the input's rows either way.
///
/// # Examples
///
/// ```
/// use custclass::CustomerTable;
///
/// let file = "id;country;credit_limit\n1;NL;500\n2;NL;1.000,00\n3;BE;\n";
/// let (table, problems) = CustomerTable::from_csv(file.as_bytes())?;
/// assert_eq!(table.len(), 2);                               // rows 1 and 3 go on
///
/// let problem = problems.first().ok_or("row 2 is bad")?;
/// assert_eq!(problem.row, 1);                               // 0-based data row
/// assert_eq!(problem.line, Some(3));                        // 1-based line of the file
/// assert_eq!(problem.id.as_deref(), Some("2"));
/// assert_eq!(problem.column.as_deref(), Some("credit_limit"));
/// assert_eq!(problem.code, "invalid_field");
/// // As data for a report or a response (`line` only for a file):
/// let json = serde_json::to_value(problem)?;
/// assert_eq!((&json["row"], &json["code"]), (&1.into(), &"invalid_field".into()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RowProblem {
    /// 0-based row of the input: the data rows of a file, the rows of a
    /// batch counted over all its record batches.
    pub row: usize,
    /// 1-based line of the file where the row starts; `None` for a batch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The customer id, when the row has one.
    pub id: Option<String>,
    /// The column (CSV, Arrow) or field path (JSON) at fault, if one is.
    pub column: Option<String>,
    /// Stable code: a [`CustomerError`] code, or one of the file's own
    /// (`field_count`, `invalid_utf8`, `unclosed_quote`, `duplicate_id`,
    /// `row_too_long`, `unreadable_row`;
    /// `invalid_field` for a bad cell).
    pub code: String,
    /// What is wrong, for people.
    pub message: String,
}

impl RowProblem {
    /// The problem of row `row` (starting on `line`, for a file) whose
    /// customer, `id`, doesn't fit: the customer error's field, code and
    /// message.
    pub fn from_customer(
        row: usize,
        line: Option<u64>,
        id: Option<&str>,
        err: &CustomerError,
    ) -> RowProblem {
        RowProblem {
            row,
            line,
            id: id.map(str::to_owned),
            column: err.field().map(str::to_owned),
            code: err.code().to_owned(),
            message: err.to_string(),
        }
    }
}
