//! What a segment says of a table besides its rows.

use serde::Serialize;

/// Something a segment noticed about a table that the rows alone don't
/// show: a column it tests that is empty in every row (or absent), so the
/// tests on it can only be unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SegmentWarning {
    /// `empty_column`.
    pub code: &'static str,
    /// The column, as the customer file names it (`attr.turnover_12m`).
    pub column: String,
    /// In words, for a person.
    pub message: String,
}

impl SegmentWarning {
    pub(crate) fn empty_column(column: &str) -> SegmentWarning {
        SegmentWarning {
            code: "empty_column",
            column: column.to_owned(),
            message: format!(
                "column '{column}' has no value in any row (or is absent): every test on it \
                 is unknown and only `is null` holds; is the column named as the setup names it?"
            ),
        }
    }
}
