//! The labels a run gives, compared in memory with those on record, so
//! that only differences reach the server: new labels go straight into
//! `custclass_labels` by `COPY`, changed and vanished ones through small
//! staging tables. Comparing in the server instead (an upsert and an
//! anti-join over every label) costs minutes for a million customers and
//! a dozen labels each; reading the labels out costs seconds.
//!
//! Values, sources, targets and setup hashes repeat, so each is stored
//! once and labels hold numbers.

use std::collections::HashMap;
use std::io::BufRead;

use custclass::{CustomerTable, ResultField, TableClassification};

use crate::copy_text;

/// Texts that repeat, each stored once.
#[derive(Debug, Default)]
struct Interner {
    ids: HashMap<Box<str>, u32>,
    texts: Vec<Box<str>>,
}

impl Interner {
    fn id(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.texts.len() as u32;
        self.texts.push(text.into());
        self.ids.insert(text.into(), id);
        id
    }

    fn text(&self, id: u32) -> &str {
        self.texts.get(id as usize).map_or("", |text| text)
    }
}

/// One label: target, value, source and setup, as interned numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Label {
    target: u32,
    value: u32,
    source: u32,
    setup: u32,
}

/// One result field of a chunk: its target, its column, and per entry of
/// the column the interned value and source.
struct Given {
    target: u32,
    column: custclass::ResultColumn,
    entries: Vec<(u32, u32)>,
}

/// The labels on record for a run's customers, and what the run changes.
#[derive(Debug, Default)]
pub(crate) struct Diff {
    known: HashMap<Box<str>, Vec<Label>>,
    texts: Interner,
    /// COPY rows `customer_id, target, value, source, setup_hash` to add.
    pub(crate) insert: Vec<u8>,
    /// The same for labels whose value, source or setup changed.
    pub(crate) update: Vec<u8>,
    /// COPY rows `customer_id, target` of labels to remove.
    pub(crate) delete: Vec<u8>,
    pub(crate) inserted: u64,
    pub(crate) updated: u64,
    pub(crate) deleted: u64,
}

impl Diff {
    /// Reads the labels on record from `COPY (SELECT customer_id, target,
    /// value, source, setup_hash …) TO STDOUT` text.
    pub(crate) fn read(mut input: impl BufRead) -> std::io::Result<Diff> {
        let mut diff = Diff::default();
        let mut line = Vec::new();
        let mut fields: Vec<String> = Vec::with_capacity(5);
        loop {
            line.clear();
            if input.read_until(b'\n', &mut line)? == 0 {
                break;
            }
            if line.last() == Some(&b'\n') {
                line.pop();
            }
            copy_text::split_row(&line, &mut fields)?;
            let [customer, target, value, source, setup] = fields.as_slice() else {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("a label row with {} columns, not 5", fields.len()),
                ));
            };
            let label = Label {
                target: diff.texts.id(target),
                value: diff.texts.id(value),
                source: diff.texts.id(source),
                setup: diff.texts.id(setup),
            };
            match diff.known.get_mut(customer.as_str()) {
                Some(labels) => labels.push(label),
                None => {
                    diff.known.insert(customer.as_str().into(), vec![label]);
                }
            }
        }
        Ok(diff)
    }

    /// Compares the labels of `classified`'s rows (those classified) with
    /// the record, under setup `setup_hash`.
    pub(crate) fn compare(
        &mut self,
        table: &CustomerTable,
        classified: &TableClassification<'_>,
        setup_hash: &str,
    ) {
        let setup = self.texts.id(setup_hash);
        // Per result field: its target and, per dictionary entry, the
        // interned value and source.
        let columns: Vec<Given> = ResultField::ALL
            .into_iter()
            .filter_map(|field| {
                let column = classified.column(field)?;
                let target = self.texts.id(&field.to_string());
                let entries = column
                    .entries
                    .iter()
                    .map(|a| {
                        (
                            self.texts.id(&a.value),
                            self.texts.id(&a.source.to_string()),
                        )
                    })
                    .collect();
                Some(Given {
                    target,
                    column,
                    entries,
                })
            })
            .collect();
        let mut given: Vec<Label> = Vec::with_capacity(columns.len());
        for row in 0..classified.len() {
            if classified.error(row).is_some() {
                continue;
            }
            let Some(id) = table.id(row) else {
                continue;
            };
            given.clear();
            for Given {
                target,
                column,
                entries,
            } in &columns
            {
                let code = column.codes.get(row).copied().unwrap_or(0);
                if let Some(&(value, source)) =
                    (code as usize).checked_sub(1).and_then(|k| entries.get(k))
                {
                    given.push(Label {
                        target: *target,
                        value,
                        source,
                        setup,
                    });
                }
            }
            let known = self.known.remove(id).unwrap_or_default();
            for label in &given {
                match known.iter().find(|k| k.target == label.target) {
                    None => {
                        push_label(&mut self.insert, &self.texts, id, label);
                        self.inserted += 1;
                    }
                    Some(old) if old != label => {
                        push_label(&mut self.update, &self.texts, id, label);
                        self.updated += 1;
                    }
                    Some(_) => {}
                }
            }
            for old in known
                .iter()
                .filter(|k| !given.iter().any(|g| g.target == k.target))
            {
                copy_text::push_row(
                    &mut self.delete,
                    &[Some(id), Some(self.texts.text(old.target))],
                );
                self.deleted += 1;
            }
        }
    }

    /// Every label on record not compared yet goes: its customer is gone
    /// from the table, or rejected now.
    pub(crate) fn finish(&mut self) {
        for (id, labels) in std::mem::take(&mut self.known) {
            for label in labels {
                copy_text::push_row(
                    &mut self.delete,
                    &[Some(&id), Some(self.texts.text(label.target))],
                );
                self.deleted += 1;
            }
        }
    }
}

fn push_label(out: &mut Vec<u8>, texts: &Interner, id: &str, label: &Label) {
    copy_text::push_row(
        out,
        &[
            Some(id),
            Some(texts.text(label.target)),
            Some(texts.text(label.value)),
            Some(texts.text(label.source)),
            Some(texts.text(label.setup)),
        ],
    );
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use custclass::{Engine, Setup};

    use super::*;

    fn engine() -> Engine {
        Engine::new(Setup::standard("NL".to_owned().try_into().unwrap())).unwrap()
    }

    #[test]
    fn only_differences_are_written() {
        let engine = engine();
        let file = "id;country;channel\n1;NL;pos\n2;BE;webshop\n3;NL;pos\n";
        let (table, _) = CustomerTable::from_csv(file.as_bytes()).unwrap();
        let classified = engine.classify_table(&table);
        let hash = engine.fingerprint().to_string();

        let mut first = Diff::read(&b""[..]).unwrap();
        first.compare(&table, &classified, &hash);
        first.finish();
        assert!(first.inserted > 3);
        assert_eq!((first.updated, first.deleted), (0, 0));

        // The record as the first run left it, with customer 2's group
        // changed by hand, a label of a target no longer given, and a
        // customer gone from the table.
        let record = String::from_utf8(first.insert.clone())
            .unwrap()
            .replace("2\tgroup\tWEBSHOP", "2\tgroup\tOLD")
            + "1\tclass9\tx\ty\tz\n4\tgroup\tSTANDARD\tmanual\tz\n";
        let mut second = Diff::read(record.as_bytes()).unwrap();
        second.compare(&table, &classified, &hash);
        second.finish();
        assert_eq!(second.inserted, 0);
        assert_eq!(second.updated, 1);
        assert!(
            String::from_utf8(second.update)
                .unwrap()
                .starts_with("2\tgroup\tWEBSHOP\t")
        );
        assert_eq!(second.deleted, 2);
        let deleted = String::from_utf8(second.delete).unwrap();
        assert!(
            deleted.contains("1\tclass9\n") && deleted.contains("4\tgroup\n"),
            "{deleted}"
        );
    }
}
