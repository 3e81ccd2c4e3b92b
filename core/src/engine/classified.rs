//! What a segment sees of a customer: for the classification targets, the
//! values the customer has once classified (given or assigned by rules and
//! defaults), unless the caller asks for the stored ones; and what a
//! segment says when a column it tests holds nothing at all.

use std::borrow::Cow;
use std::collections::BTreeSet;

use super::Engine;
use crate::classification::{Classification, ResultField, Target};
use crate::customer::Customer;
use crate::error::CustomerError;
use crate::expr::Cond;
use crate::table::column::TextColumn;
use crate::table::{Column, CustomerTable, SegmentWarning};

/// Which values a segment tests for the classification targets (slots,
/// type, group, price group, accounts).
///
/// A segment answers for a marketing list or an export, where "the DACH
/// customers" means those the setup's rules put in DACH, not only those
/// whose record says so; stored values are for auditing the records
/// themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum SegmentValues {
    /// The values after classification: given on the record, or assigned
    /// by the rules and defaults. Classification runs only when the
    /// segment reads a target.
    #[default]
    Classified,
    /// The values on the record (input columns) only.
    Stored,
}

/// The columns of the classification targets a condition may read.
const TARGET_COLUMNS: [(&str, ResultField); 13] = [
    ("class1", ResultField::Target(Target::Class(1))),
    ("class2", ResultField::Target(Target::Class(2))),
    ("class3", ResultField::Target(Target::Class(3))),
    ("class4", ResultField::Target(Target::Class(4))),
    ("class5", ResultField::Target(Target::Class(5))),
    ("class6", ResultField::Target(Target::Class(6))),
    ("class7", ResultField::Target(Target::Class(7))),
    ("class8", ResultField::Target(Target::Class(8))),
    ("type", ResultField::Target(Target::Type)),
    ("group", ResultField::Target(Target::Group)),
    ("price_group", ResultField::Target(Target::PriceGroup)),
    ("receivables_account", ResultField::ReceivablesAccount),
    ("revenue_account", ResultField::RevenueAccount),
];

/// The target columns among `conds`' tests when `values` asks for
/// classified ones: empty means the segment runs on the input as is.
pub(super) fn targets_read<'c>(
    values: SegmentValues,
    conds: impl Iterator<Item = &'c Cond>,
) -> Vec<(&'static str, ResultField)> {
    if values == SegmentValues::Stored {
        return Vec::new();
    }
    let mut columns = BTreeSet::new();
    conds.for_each(|cond| cond.columns(&mut columns));
    TARGET_COLUMNS
        .into_iter()
        .filter(|(name, _)| columns.contains(*name))
        .collect()
}

/// What a segment evaluates over: the table, or a view of it with the
/// classified values in the target columns read, and the rows whose
/// classification failed.
pub(super) struct Seen<'t> {
    pub(super) table: Cow<'t, CustomerTable>,
    /// Rows that can't be classified, with their error.
    pub(super) rejected: Vec<(usize, CustomerError)>,
}

impl Seen<'_> {
    /// Whether the view differs from the table (an index of the table
    /// doesn't answer for it).
    pub(super) fn is_view(&self) -> bool {
        matches!(self.table, Cow::Owned(_))
    }
}

impl Engine {
    /// `customer` as a segment reading `targets` sees it: classified, with
    /// the values it got in the target fields.
    ///
    /// # Errors
    ///
    /// The error classifying the customer gives.
    pub(super) fn seen_customer<'c>(
        &self,
        customer: &'c Customer,
        targets: &[(&'static str, ResultField)],
    ) -> Result<Cow<'c, Customer>, CustomerError> {
        if targets.is_empty() {
            return Ok(Cow::Borrowed(customer));
        }
        let classification = self.classify_row(customer)?;
        let mut seen = customer.clone();
        for (_, field) in targets {
            put(&mut seen, *field, &classification);
        }
        Ok(Cow::Owned(seen))
    }

    /// `table` as a segment reading `targets` sees it: the columns in
    /// `keep`, with the target columns replaced by every row's classified
    /// value (classified column by column, as
    /// [`Engine::classify_table`] does), and the rows that can't be
    /// classified. Without targets, the table itself and its unreadable
    /// numeric attributes.
    pub(super) fn seen_table<'t>(
        &self,
        table: &'t CustomerTable,
        targets: &[(&'static str, ResultField)],
        keep: &BTreeSet<String>,
    ) -> Seen<'t> {
        if targets.is_empty() {
            return Seen {
                table: Cow::Borrowed(table),
                rejected: self.unreadable_attributes(table),
            };
        }
        span!(
            "segment_classify",
            rows = table.len(),
            targets = targets.len()
        );
        let classified = self.classify_table(table);
        let rejected = classified
            .errors()
            .map(|(row, error)| (row, error.clone()))
            .collect();
        let replaced: Vec<(String, Column)> = targets
            .iter()
            .filter_map(|(name, field)| {
                let column = classified.column(*field)?;
                let values: Vec<&str> = column.entries.iter().map(|e| e.value.as_str()).collect();
                let text = TextColumn::from_dictionary(&values, column.codes);
                Some(((*name).to_owned(), Column::Text(text)))
            })
            .collect();
        let view = table.view(keep, replaced);
        Seen {
            table: Cow::Owned(view),
            rejected,
        }
    }
}

/// Sets `field` of `customer` to the value `classification` gives it.
fn put(customer: &mut Customer, field: ResultField, classification: &Classification) {
    let value = classification
        .assigned(field)
        .map(|assigned| assigned.value);
    match field {
        ResultField::Target(Target::Class(slot)) => {
            if let Some(place) = customer.classes.0.get_mut(slot.wrapping_sub(1)) {
                *place = value;
            }
        }
        ResultField::Target(Target::Type) => customer.customer_type = value,
        ResultField::Target(Target::Group) => customer.group = value,
        ResultField::Target(Target::PriceGroup) => customer.price_group = value,
        ResultField::ReceivablesAccount => customer.receivables_account = value,
        ResultField::RevenueAccount => customer.revenue_account = value,
        ResultField::VatZone | ResultField::B2b | ResultField::Layout => {}
    }
}

/// The warnings for the columns `conds` test that hold no value in any
/// row of `table` (a table without rows warns of nothing), leaving out
/// the targets seen classified, which every classified row has.
pub(super) fn empty_columns<'c>(
    table: &CustomerTable,
    conds: impl Iterator<Item = &'c Cond>,
    targets: &[(&'static str, ResultField)],
) -> Vec<SegmentWarning> {
    if table.is_empty() {
        return Vec::new();
    }
    let mut tested = BTreeSet::new();
    conds.for_each(|cond| cond.tested_columns(&mut tested));
    tested
        .iter()
        .filter(|column| !targets.iter().any(|(name, _)| name == column))
        .filter(|column| table.columns_named(column).is_empty())
        .map(|column| SegmentWarning::empty_column(column))
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::{Customer, CustomerTable, Engine, Setup};

    fn engine() -> Engine {
        let setup = Setup::from_json(
            r#"{
            "home_country": "NL",
            "types": [{"code": "PRIVATE", "default": true}],
            "groups": [
                {"code": "WEBSHOP", "type": "PRIVATE", "receivables_account": "1130"},
                {"code": "STANDARD", "type": "PRIVATE", "receivables_account": "1100", "default": true}
            ],
            "slots": [{"slot": 1, "label": "Region", "values": [{"code": "BENELUX"}, {"code": "DACH"}]}],
            "channel_groups": {"webshop": "WEBSHOP"},
            "rules": [
                {"id": "benelux", "when": "country in ('NL', 'BE')", "set": {"class.Region": "BENELUX"}},
                {"id": "dach", "when": "country in ('DE', 'AT')", "set": {"class.Region": "DACH"}}
            ]
        }"#,
        )
        .unwrap();
        Engine::new(setup).unwrap()
    }

    fn customers() -> Vec<Customer> {
        Customer::list_from_json(
            r#"[
            {"id": "1", "billing_address": {"country": "BE"}, "channel": "webshop"},
            {"id": "2", "billing_address": {"country": "DE"}},
            {"id": "3", "billing_address": {"country": "AT"}, "group": "GOLD"},
            {"id": "4", "billing_address": {"country": "DK"}, "classes": {"class1": "DACH"}},
            {"id": "5", "billing_address": {"country": "NL"}, "receivables_account": "1999"}
        ]"#,
        )
        .unwrap()
    }

    /// Row, table, indexed table and set: one answer, and the row that
    /// can't be classified is rejected in each.
    #[test]
    fn every_path_sees_the_classified_values() {
        let engine = engine();
        let customers = customers();
        let table = CustomerTable::from_customers(&customers);
        let index = table.index();
        for (expression, want) in [
            ("class.Region = 'DACH'", vec![1, 3]),
            ("class.Region = 'BENELUX' and group = 'WEBSHOP'", vec![0]),
            (
                "group = 'STANDARD' and receivables_account = '1100'",
                vec![1, 3],
            ),
            ("receivables_account = '1999'", vec![4]),
            ("type = 'PRIVATE' and country != 'DK'", vec![0, 1, 4]),
        ] {
            let segment = engine.segment(expression).unwrap();
            let selection = segment.filter(&table);
            assert_eq!(selection.rows().collect::<Vec<_>>(), want, "{expression}");
            assert_eq!(segment.filter_indexed(&table, &index), selection);
            let rejected: Vec<_> = selection
                .rejected()
                .iter()
                .map(|(row, e)| (*row, e.code()))
                .collect();
            assert_eq!(rejected, [(2, "unknown_group")], "{expression}");
            for (row, customer) in customers.iter().enumerate() {
                match segment.matches(customer) {
                    Ok(matches) => assert_eq!(matches, want.contains(&row), "{expression} {row}"),
                    Err(err) => assert_eq!((row, err.code()), (2, "unknown_group")),
                }
            }
            let set = engine
                .segment_set([("s", expression), ("all", "true")])
                .unwrap();
            let masks = set.masks(&table);
            assert_eq!(masks.rows(0).collect::<Vec<_>>(), want, "{expression}");
            assert_eq!(
                masks.rows(1).count(),
                4,
                "the rejected row is in no segment"
            );
            assert_eq!(set.masks_indexed(&table, &index), masks);
            assert!(set.mask(&customers[2]).is_err());
        }
    }

    #[test]
    fn stored_values_and_segments_without_targets_dont_classify() {
        let engine = engine();
        let table = CustomerTable::from_customers(&customers());
        let stored = engine.segment_stored("class.Region = 'DACH'").unwrap();
        let selection = stored.filter(&table);
        assert_eq!(selection.rows().collect::<Vec<_>>(), [3]);
        assert!(selection.rejected().is_empty());
        assert!(
            !stored.matches(&customers()[2]).unwrap(),
            "AT is DACH only once classified"
        );
        let plain = engine.segment("country in ('AT', 'DK')").unwrap();
        assert_eq!(plain.filter(&table).rows().collect::<Vec<_>>(), [2, 3]);
        assert!(plain.filter(&table).rejected().is_empty());
        let set = engine
            .segment_set_stored([("dach", "class.Region = 'DACH'")])
            .unwrap();
        assert_eq!(set.masks(&table).masks(), [0, 0, 0, 1, 0]);
    }

    #[test]
    fn a_column_empty_in_every_row_is_named() {
        let engine = engine();
        let table = CustomerTable::from_customers(&customers());
        let segment = engine
            .segment("sector = 'retail' or class.Region = 'DACH' or country = 'NL'")
            .unwrap();
        let selection = segment.filter(&table);
        let named: Vec<_> = selection
            .warnings()
            .iter()
            .map(|w| (w.code, w.column.as_str()))
            .collect();
        assert_eq!(named, [("empty_column", "sector")]);
        // Stored, the price group is empty too; classified it never is.
        let set = engine
            .segment_set_stored([("a", "price_group is null"), ("b", "sector = 'x'")])
            .unwrap();
        let named: Vec<_> = (set.masks(&table).warnings().iter())
            .map(|w| w.column.clone())
            .collect();
        assert_eq!(named, ["price_group", "sector"]);
        let set = engine.segment_set([("a", "price_group is null")]).unwrap();
        assert!(set.masks(&table).warnings().is_empty());
        assert!(
            engine
                .segment("sector = 'x'")
                .unwrap()
                .filter(&CustomerTable::default())
                .warnings()
                .is_empty()
        );
    }
}
