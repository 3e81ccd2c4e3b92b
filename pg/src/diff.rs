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
use crate::error::PgError;
use crate::read::table_id;

/// Bytes of new labels handed to the sender at a time.
const SEND_BYTES: usize = 1 << 20;

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

/// A chunk's rows: the table, its classification, and which rows are
/// rejected (not labelled: the classification's errors, and ids that
/// more than one row has).
pub(crate) struct Rows<'c> {
    pub(crate) table: &'c CustomerTable,
    pub(crate) classified: &'c TableClassification<'c>,
    pub(crate) rejected: &'c [bool],
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

    /// Compares the labels of the classified rows of `chunks` with the
    /// record, under setup `setup_hash`, customers in the order of their
    /// ids and each one's labels in the order of their targets: the order
    /// of the labels' primary key, so that new labels are appended to its
    /// index rather than scattered over it (a third faster for a million
    /// customers). `send` takes the new labels a megabyte at a time.
    pub(crate) fn compare(
        &mut self,
        chunks: &[Rows<'_>],
        raw_ids: Option<&HashMap<String, String>>,
        setup_hash: &str,
        send: &mut dyn FnMut(&mut Vec<u8>) -> Result<(), PgError>,
    ) -> Result<(), PgError> {
        let setup = self.texts.id(setup_hash);
        let given_by_chunk: Vec<Vec<Given>> = chunks
            .iter()
            .map(|rows| self.given(rows.classified))
            .collect();
        let mut order: Vec<(u32, u32)> = Vec::new();
        for (n, rows) in chunks.iter().enumerate() {
            for row in 0..rows.classified.len() {
                let rejected = rows.rejected.get(row).copied().unwrap_or(true);
                if !rejected && rows.table.id(row).is_some() {
                    order.push((n as u32, row as u32));
                }
            }
        }
        let id = |&(chunk, row): &(u32, u32)| {
            chunks
                .get(chunk as usize)
                .and_then(|rows| rows.table.id(row as usize))
                .map_or("", |id| table_id(raw_ids, id))
        };
        order.sort_unstable_by(|a, b| id(a).cmp(id(b)));
        let mut given: Vec<Label> = Vec::with_capacity(ResultField::ALL.len());
        let no_columns = Vec::new();
        for place in &order {
            let row = place.1 as usize;
            let columns = given_by_chunk.get(place.0 as usize).unwrap_or(&no_columns);
            given.clear();
            for Given {
                target,
                column,
                entries,
            } in columns
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
            self.compare_customer(id(place), &given);
            if self.insert.len() >= SEND_BYTES {
                send(&mut self.insert)?;
            }
        }
        send(&mut self.insert)
    }

    /// A chunk's result fields, ordered by target: each with its column
    /// and, per entry, the interned value and source.
    fn given(&mut self, classified: &TableClassification<'_>) -> Vec<Given> {
        let mut fields = ResultField::ALL.map(|field| (field.to_string(), field));
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        fields
            .into_iter()
            .filter_map(|(name, field)| {
                let column = classified.column(field)?;
                let target = self.texts.id(&name);
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
            .collect()
    }

    /// One customer's labels against its record.
    fn compare_customer(&mut self, id: &str, given: &[Label]) {
        let known = self.known.remove(id).unwrap_or_default();
        for label in given {
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
        let mut sent = Vec::new();
        let rejected = vec![false; table.len()];
        let rows = [Rows {
            table: &table,
            classified: &classified,
            rejected: &rejected,
        }];
        first
            .compare(&rows, None, &hash, &mut |buffer| {
                sent.append(buffer);
                Ok(())
            })
            .unwrap();
        first.finish();
        assert_eq!(first.insert, b"", "all sent");
        let keys: Vec<(String, String)> = String::from_utf8(sent.clone())
            .unwrap()
            .lines()
            .map(|line| {
                let mut fields = line.split('\t');
                (
                    fields.next().unwrap().to_owned(),
                    fields.next().unwrap().to_owned(),
                )
            })
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "in the order of the primary key");
        first.insert = sent;
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
        second.compare(&rows, None, &hash, &mut |_| Ok(())).unwrap();
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
