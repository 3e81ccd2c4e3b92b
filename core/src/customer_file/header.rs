//! The header of a customer file: which field each column feeds.
//!
//! Names match the fields whatever their case and surrounding spaces
//! (`ID`, ` Country `): exports title-case their headers and spreadsheets
//! pad them. A column that matches nothing stops the file before any row
//! is read, naming the closest field, since reading on would drop its data
//! silently.

use std::collections::HashSet;

use crate::customer::fields::{self, Field};
use crate::customer::{AttrValue, Customer};
use crate::error::TableError;

/// What one CSV column feeds.
#[derive(Debug, Clone)]
pub(crate) enum Column {
    Field(&'static Field),
    Attr(String),
}

impl Column {
    /// The column a header names: a customer field (any case) or
    /// `attr.<name>` (the prefix in any case, the name as written).
    pub(crate) fn named(header: &str) -> Option<Column> {
        let header = header.trim();
        if let Some(prefix) = header.get(..5)
            && prefix.eq_ignore_ascii_case("attr.")
        {
            let attr = header.get(5..).unwrap_or_default();
            return (!attr.is_empty()).then(|| Column::Attr(attr.to_owned()));
        }
        fields::field(&header.to_ascii_lowercase()).map(Column::Field)
    }

    /// The column's name as the library writes it: the field's name, or
    /// `attr.<name>`.
    pub(crate) fn name(&self) -> String {
        match self {
            Column::Field(field) => field.name.to_owned(),
            Column::Attr(attr) => format!("attr.{attr}"),
        }
    }

    /// Writes a non-empty cell into the customer; the error says what the
    /// cell should be.
    pub(crate) fn set(&self, customer: &mut Customer, cell: &str) -> Result<(), String> {
        match self {
            Column::Field(field) => field.set_text(customer, cell),
            Column::Attr(attr) => {
                customer
                    .attributes
                    .insert(attr.clone(), AttrValue::Text(cell.to_owned()));
                Ok(())
            }
        }
    }
}

/// A customer file's columns, read from its header.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    pub(crate) columns: Vec<Column>,
    /// Each column's name as the library writes it.
    pub(crate) names: Vec<String>,
    /// Where the `id` column is.
    pub(crate) id: usize,
}

impl Header {
    /// Reads the header's cells.
    ///
    /// # Errors
    ///
    /// `unknown_column` (with the closest field), `duplicate_column`,
    /// `missing_column` (no `id`), or `unreadable_header` (a name that is
    /// not UTF-8).
    pub(crate) fn read<'a>(cells: impl Iterator<Item = &'a [u8]>) -> Result<Header, TableError> {
        let mut seen = HashSet::new();
        let mut columns = Vec::new();
        let mut names = Vec::new();
        for (index, cell) in cells.enumerate() {
            let position = index + 1;
            let Ok(header) = std::str::from_utf8(cell) else {
                return Err(TableError::UnreadableHeader {
                    detail: format!(
                        "column {position} is not UTF-8 text{}",
                        super::encoding_hint(cell)
                    ),
                });
            };
            let header = header.trim_start_matches('\u{feff}').trim();
            let Some(column) = Column::named(header) else {
                return Err(fields::unknown_column(header, position));
            };
            let name = column.name();
            if !seen.insert(name.clone()) {
                let column = header.to_owned();
                return Err(TableError::DuplicateColumn { column, position });
            }
            columns.push(column);
            names.push(name);
        }
        let Some(id) = names.iter().position(|name| name == "id") else {
            return Err(TableError::MissingColumn {
                column: "id".into(),
                table: false,
            });
        };
        Ok(Header { columns, names, id })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(header: &str) -> Result<Header, TableError> {
        Header::read(header.split(';').map(str::as_bytes))
    }

    #[test]
    fn names_match_in_any_case_and_padded() {
        let header = read(" ID ;Country;ATTR.Segment").unwrap();
        assert_eq!(header.names, ["id", "country", "attr.Segment"]);
        assert_eq!(header.id, 0);
    }

    #[test]
    fn an_unknown_column_names_the_closest_field() {
        let err = read("id;vat_numbr").unwrap_err();
        assert_eq!(err.code(), "unknown_column");
        assert!(
            err.to_string().contains("did you mean 'vat_number'?"),
            "{err}"
        );
        let err = read("id;zzzzzzzz").unwrap_err();
        assert!(!err.to_string().contains("did you mean"), "{err}");
        let err = read("id;;name").unwrap_err();
        assert!(!err.to_string().contains("did you mean"), "{err}");
    }

    #[test]
    fn the_same_column_twice_in_two_spellings_is_a_duplicate() {
        let err = read("id;country;COUNTRY").unwrap_err();
        assert_eq!(err.code(), "duplicate_column");
    }
}
