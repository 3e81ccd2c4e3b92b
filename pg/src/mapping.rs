//! Which table column is which customer field, and where `--columns`
//! writes each result. By default a field is read from the column of the
//! same name (an attribute `attr.turnover` from `attr.turnover`, else from
//! `turnover`), and results are written to same-named columns; a mapping
//! file covers schemas that differ from ours:
//!
//! ```json
//! {"columns": {"customer_no": "id", "company": "name", "land": "country"},
//!  "labels": {"group": {"value": "cust_group", "source": "cust_group_why"},
//!             "class1": "region"}}
//! ```
//!
//! A result written into a column the setup also reads (`group` into
//! `group`) is read back only where its source column says a person set
//! it (empty or `manual`); without a source column that is refused, since
//! every written value would come back as one chosen by hand.

use std::collections::{BTreeMap, BTreeSet};

use custclass::{Engine, ResultField};
use postgres::GenericClient;
use serde::Deserialize;

use crate::error::PgError;
use crate::place::Place;

/// A mapping file: table columns to customer fields, result fields to
/// table columns.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Table column → customer field (`"customer_no": "id"`).
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Result field → the column(s) `--columns` writes it to.
    #[serde(default)]
    pub labels: BTreeMap<String, LabelColumns>,
}

/// Where a result goes: its value's column, and its source's if wanted.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum LabelColumns {
    /// The value's column only.
    Value(String),
    /// The value's column and the source's.
    Both {
        /// The value's column.
        value: String,
        /// The source's column (`rule:web-eu`), if any.
        #[serde(default)]
        source: Option<String>,
    },
}

impl Mapping {
    /// Reads a mapping file's text.
    ///
    /// # Errors
    ///
    /// [`PgError::Mapping`] with the line and column of the problem.
    pub fn from_json(text: &str) -> Result<Mapping, PgError> {
        serde_json::from_str(text).map_err(|err| PgError::Mapping {
            detail: format!("{err}"),
        })
    }
}

/// A column of the customer table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableColumn {
    /// Its name, unquoted.
    pub name: String,
    /// Its type as SQL spells it, without its length or precision
    /// (`bigint`, `character varying`, `bpchar`): values are cast to it, and
    /// an explicit cast to `character varying(5)` would cut a longer value
    /// short without a word, where the assignment to the column refuses it.
    pub type_sql: String,
}

impl TableColumn {
    /// The column as a text the customer door reads: booleans as
    /// `true`/`false` (COPY writes `t`/`f`), date-times as their date
    /// (customer fields hold days), anything else as PostgreSQL writes it.
    pub(crate) fn as_text_sql(&self, qualifier: &str) -> String {
        let column = format!("{qualifier}{}", crate::place::quote_ident(&self.name));
        match self.type_sql.as_str() {
            "boolean" => {
                format!("CASE WHEN {column} THEN 'true' WHEN NOT {column} THEN 'false' END")
            }
            t if t.starts_with("timestamp") => format!("({column})::date::text"),
            _ => format!("({column})::text"),
        }
    }
}

/// Where `--columns` writes one result field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelTarget {
    /// The result field.
    pub field: ResultField,
    /// The column for its value.
    pub value: TableColumn,
    /// The column for its source, if any.
    pub source: Option<TableColumn>,
}

/// What a job reads and writes, resolved against the table.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The column holding the customer id.
    pub id: TableColumn,
    /// Every column read, with the customer field it is (the id first).
    pub reads: Vec<(TableColumn, String)>,
    /// Fields the setup reads that no column gives: read as missing in
    /// every row, and worth telling the user.
    pub missing: Vec<String>,
    /// `--columns`: where each result goes (empty for the labels table).
    pub writes: Vec<LabelTarget>,
    /// `--columns` into a column the setup also reads (`group`): the
    /// value column and its source column. Only the values set by hand
    /// (source empty or `manual`) are read; a value custclass wrote is
    /// its own answer, not an input, so a new setup can change it.
    pub read_by_hand: BTreeMap<String, String>,
}

/// The columns of the customer table, in table order.
///
/// # Errors
///
/// [`PgError::NoSuchTable`] when there is none the role can see.
pub fn table_columns(
    client: &mut impl GenericClient,
    place: &Place,
) -> Result<Vec<TableColumn>, PgError> {
    let exists = client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&place.table_sql()])
        .map_err(|err| PgError::server("looking up the customer table", &err))?;
    if !exists.get::<_, bool>(0) {
        return Err(PgError::NoSuchTable {
            table: place.table_sql(),
        });
    }
    let rows = client
        .query(
            "SELECT attname::text, CASE WHEN atttypid = 'bpchar'::regtype THEN 'bpchar' \
             ELSE format_type(atttypid, NULL) END FROM pg_attribute \
             WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped \
             ORDER BY attnum",
            &[&place.table_sql()],
        )
        .map_err(|err| PgError::server("reading the customer table's columns", &err))?;
    Ok(rows
        .iter()
        .map(|row| TableColumn {
            name: row.get(0),
            type_sql: row.get(1),
        })
        .collect())
}

/// Resolves `mapping` against the table's `columns` for `engine`'s setup;
/// `label_columns`: whether results go to table columns (`--columns`).
///
/// # Errors
///
/// [`PgError::NoSuchColumn`] for a mapped column the table lacks,
/// [`PgError::Mapping`] for a field mapped twice or a result that isn't
/// one, [`PgError::NoIdColumn`], [`PgError::NoLabelColumns`].
pub fn plan(
    place: &Place,
    columns: &[TableColumn],
    mapping: &Mapping,
    engine: &Engine,
    label_columns: bool,
) -> Result<Plan, PgError> {
    let column = |name: &str| -> Result<TableColumn, PgError> {
        columns
            .iter()
            .find(|c| c.name == name)
            .cloned()
            .ok_or_else(|| PgError::NoSuchColumn {
                table: place.table_sql(),
                column: name.to_owned(),
                suggestion: closest(name, columns.iter().map(|c| c.name.as_str())),
            })
    };
    let mut reads: Vec<(TableColumn, String)> = Vec::new();
    let mut fields: BTreeSet<String> = BTreeSet::new();
    for (name, field) in &mapping.columns {
        if !fields.insert(field.clone()) {
            return Err(PgError::Mapping {
                detail: format!("columns: two columns are mapped to the field {field}"),
            });
        }
        reads.push((column(name)?, field.clone()));
    }
    let mapped: BTreeSet<&str> = mapping.columns.keys().map(String::as_str).collect();
    let same_named = |field: &str| {
        let bare = field.strip_prefix("attr.");
        columns
            .iter()
            .filter(|c| !mapped.contains(c.name.as_str()))
            .find(|c| c.name == field)
            .or_else(|| {
                let bare = bare?;
                columns
                    .iter()
                    .filter(|c| !mapped.contains(c.name.as_str()))
                    .find(|c| c.name == bare)
            })
            .cloned()
    };
    let mut missing = Vec::new();
    let mut wanted: Vec<String> = vec!["id".to_owned()];
    wanted.extend(engine.input_columns().into_iter().filter(|f| f != "id"));
    for field in wanted {
        if fields.contains(&field) {
            continue;
        }
        match same_named(&field) {
            Some(column) => {
                fields.insert(field.clone());
                reads.push((column, field));
            }
            None if field == "id" => {
                return Err(PgError::NoIdColumn {
                    table: place.table_sql(),
                });
            }
            None => missing.push(field),
        }
    }
    // The id first: the reader and the writers find it there.
    reads.sort_by_key(|(_, field)| field != "id");
    let id = match reads.first() {
        Some((column, field)) if field == "id" => column.clone(),
        _ => {
            return Err(PgError::NoIdColumn {
                table: place.table_sql(),
            });
        }
    };
    let writes = if label_columns {
        label_targets(place, columns, mapping, &column)?
    } else {
        Vec::new()
    };
    let read_by_hand = read_by_hand(&reads, &writes)?;
    Ok(Plan {
        id,
        reads,
        missing,
        writes,
        read_by_hand,
    })
}

/// The written columns that are also read, with the source column that
/// tells a value set by hand from one custclass wrote. Without the
/// source column the next run would take every written value for one
/// chosen by a person and keep it whatever the setup says, so that is
/// refused, as is writing into a column read as another field.
fn read_by_hand(
    reads: &[(TableColumn, String)],
    writes: &[LabelTarget],
) -> Result<BTreeMap<String, String>, PgError> {
    let mut by_hand = BTreeMap::new();
    let mut unsourced = Vec::new();
    for write in writes {
        let field = write.field.to_string();
        for column in std::iter::once(&write.value).chain(&write.source) {
            if let Some((_, read_as)) = reads.iter().find(|(c, _)| c.name == column.name)
                && (*read_as != field || column != &write.value)
            {
                return Err(PgError::Mapping {
                    detail: format!(
                        "labels: {field} would be written to column {}, which is read as \
                         {read_as}: write it to a column of its own",
                        column.name
                    ),
                });
            }
        }
        if reads.iter().any(|(c, _)| c.name == write.value.name) {
            match &write.source {
                Some(source) => {
                    by_hand.insert(write.value.name.clone(), source.name.clone());
                }
                None => unsourced.push(write.value.name.clone()),
            }
        }
    }
    if !unsourced.is_empty() {
        let sources: Vec<String> = unsourced.iter().map(|c| format!("{c}_source")).collect();
        return Err(PgError::Mapping {
            detail: format!(
                "--columns would write {} and also read {}: with no source column the next \
                 run would take every value written for one set by hand. Add {} (custclass \
                 writes where each value came from, and reads only the values whose source \
                 is empty or 'manual'), or map the results to other columns under \"labels\"",
                unsourced.join(", "),
                if unsourced.len() == 1 { "it" } else { "them" },
                sources.join(", "),
            ),
        });
    }
    Ok(by_hand)
}

fn label_targets(
    place: &Place,
    columns: &[TableColumn],
    mapping: &Mapping,
    column: &dyn Fn(&str) -> Result<TableColumn, PgError>,
) -> Result<Vec<LabelTarget>, PgError> {
    let mut targets = Vec::new();
    if mapping.labels.is_empty() {
        for field in ResultField::ALL {
            let name = field.to_string();
            let Some(value) = columns.iter().find(|c| c.name == name) else {
                continue;
            };
            targets.push(LabelTarget {
                field,
                value: value.clone(),
                source: columns
                    .iter()
                    .find(|c| c.name == format!("{name}_source"))
                    .cloned(),
            });
        }
    } else {
        for (name, to) in &mapping.labels {
            let field = ResultField::ALL
                .into_iter()
                .find(|field| field.to_string() == *name)
                .ok_or_else(|| PgError::Mapping {
                    detail: format!(
                        "labels: {name} is not a result (class1..class8, type, group, \
                         price_group, vat_zone, b2b, receivables_account, revenue_account, layout)"
                    ),
                })?;
            let (value, source) = match to {
                LabelColumns::Value(value) => (value, None),
                LabelColumns::Both { value, source } => (value, source.as_ref()),
            };
            targets.push(LabelTarget {
                field,
                value: column(value)?,
                source: source.map(|s| column(s)).transpose()?,
            });
        }
    }
    if targets.is_empty() {
        return Err(PgError::NoLabelColumns {
            table: place.table_sql(),
        });
    }
    Ok(targets)
}

/// The candidate nearest to `name` by edit distance, if it is near.
fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    candidates
        .map(|candidate| (strsim::damerau_levenshtein(name, candidate), candidate))
        .filter(|(d, candidate)| *d <= 2.max(candidate.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, candidate)| candidate.to_owned())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn col(name: &str) -> TableColumn {
        TableColumn {
            name: name.to_owned(),
            type_sql: "text".to_owned(),
        }
    }

    fn engine() -> Engine {
        Engine::new(custclass::Setup::standard(
            "NL".to_owned().try_into().unwrap(),
        ))
        .unwrap()
    }

    #[test]
    fn same_named_columns_are_read_and_the_id_comes_first() {
        let columns = [col("name"), col("country"), col("id"), col("channel")];
        let plan = plan(
            &Place::new("public", "c"),
            &columns,
            &Mapping::default(),
            &engine(),
            false,
        )
        .unwrap();
        assert_eq!(plan.id.name, "id");
        let read: Vec<&str> = plan.reads.iter().map(|(_, f)| f.as_str()).collect();
        assert_eq!(read.first(), Some(&"id"));
        assert!(read.contains(&"country") && read.contains(&"channel"));
        assert!(!read.contains(&"name"), "only what the setup reads");
        assert!(plan.missing.contains(&"vat_number".to_owned()));
    }

    #[test]
    fn a_mapping_names_the_key_and_a_typo_gets_a_suggestion() {
        let columns = [col("customer_no"), col("land")];
        let mapping =
            Mapping::from_json(r#"{"columns": {"customer_no": "id", "land": "country"}}"#).unwrap();
        let plan = plan(&Place::new("s", "c"), &columns, &mapping, &engine(), false).unwrap();
        assert_eq!(plan.id.name, "customer_no");
        let typo = Mapping::from_json(r#"{"columns": {"customer_nr": "id"}}"#).unwrap();
        let err =
            super::plan(&Place::new("s", "c"), &columns, &typo, &engine(), false).unwrap_err();
        assert_eq!(err.code(), "no_such_column");
        assert!(
            err.to_string().contains("did you mean customer_no?"),
            "{err}"
        );
    }

    #[test]
    fn without_an_id_column_the_error_says_how_to_map_one() {
        let err = plan(
            &Place::new("s", "c"),
            &[col("name")],
            &Mapping::default(),
            &engine(),
            false,
        )
        .unwrap_err();
        assert_eq!(err.code(), "no_id_column");
    }

    #[test]
    fn label_columns_default_to_same_named_ones_with_their_source() {
        let columns = [col("id"), col("group"), col("group_source"), col("layout")];
        let plan = plan(
            &Place::new("s", "c"),
            &columns,
            &Mapping::default(),
            &engine(),
            true,
        )
        .unwrap();
        let writes: Vec<(String, Option<String>)> = plan
            .writes
            .iter()
            .map(|w| {
                (
                    w.value.name.clone(),
                    w.source.as_ref().map(|s| s.name.clone()),
                )
            })
            .collect();
        assert_eq!(
            writes,
            [
                ("group".to_owned(), Some("group_source".to_owned())),
                ("layout".to_owned(), None)
            ]
        );
        let none = plan_err(&[col("id")], &Mapping::default());
        assert_eq!(none, "no_label_columns");
        let bad = Mapping::from_json(r#"{"labels": {"groop": "x"}}"#).unwrap();
        assert_eq!(plan_err(&[col("id"), col("x")], &bad), "invalid_mapping");
    }

    #[test]
    fn a_column_both_read_and_written_is_read_only_where_set_by_hand() {
        let columns = [col("id"), col("group"), col("group_source")];
        let plan = plan(
            &Place::new("s", "c"),
            &columns,
            &Mapping::default(),
            &engine(),
            true,
        )
        .unwrap();
        assert_eq!(
            plan.read_by_hand.get("group").map(String::as_str),
            Some("group_source")
        );
        assert_eq!(
            plan_err(&[col("id"), col("group")], &Mapping::default()),
            "invalid_mapping"
        );
        let into_country = Mapping::from_json(r#"{"labels": {"group": "country"}}"#).unwrap();
        assert_eq!(
            plan_err(&[col("id"), col("country")], &into_country),
            "invalid_mapping"
        );
    }

    fn plan_err(columns: &[TableColumn], mapping: &Mapping) -> &'static str {
        plan(&Place::new("s", "c"), columns, mapping, &engine(), true)
            .unwrap_err()
            .code()
    }
}
