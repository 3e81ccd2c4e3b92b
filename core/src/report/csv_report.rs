//! The CSV report: per customer the fields that say who it is, then each
//! assigned value beside its provenance.

use std::io::{self, Write};

use super::prepared::Prepared;
use super::text::csv_field;
use crate::bulk::TableClassification;
use crate::classification::{Assigned, Classification, Source, Target};
use crate::customer::Customer;
use crate::customer::fields;
use crate::engine::Engine;
use crate::table::CustomerTable;

/// The customer fields a report starts with: who the customer is.
const WHO: [&str; 5] = ["id", "name", "country", "channel", "connector"];

/// The facts after the targets, each a pair of columns.
const FACTS: [&str; 4] = [
    "vat_zone",
    "receivables_account",
    "revenue_account",
    "layout",
];

/// Bytes gathered before they go to the output: few large writes instead
/// of one per field.
const FLUSH_AT: usize = 1 << 16;

/// Writes classification reports as CSV: per customer its id, name, country,
/// channel and connector, then each assigned value beside its provenance.
///
/// Fields are quoted as the `csv` crate quotes them (only when they hold the
/// delimiter, a quote or a line end). [`ReportWriter::write_table`] writes a
/// whole classified table from its columns, byte for byte as
/// [`ReportWriter::write`] writes its rows one customer at a time. Call
/// [`ReportWriter::finish`] at the end: rows are gathered in a buffer.
///
/// # Examples
///
/// ```
/// use custclass::report::ReportWriter;
/// use custclass::{Customer, Engine, Setup};
///
/// let engine = Engine::new(Setup::standard("NL".to_owned().try_into()?))?;
/// let mut report = ReportWriter::new(Vec::new(), &engine, b';')?;
/// for json in [
///     r#"{"id": "1", "name": "Jansen", "billing_address": {"country": "NL"}, "channel": "pos"}"#,
///     r#"{"id": "2", "name": "Berg GmbH", "billing_address": {"country": "DE"}, "vat_number": "DE123456788"}"#,
/// ] {
///     let customer = Customer::from_json(json)?;
///     report.write(&customer, &engine.classify(&customer)?)?;
/// }
/// let csv = String::from_utf8(report.finish()?)?;
/// let lines: Vec<&str> = csv.lines().collect();
/// assert_eq!(lines.len(), 3);
/// assert!(lines[0].starts_with("id;name;country;channel;connector;type;type_source;group;group_source;"));
/// assert!(lines[2].starts_with("2;Berg GmbH;DE;;;BUSINESS;rule:vat-number-means-business;EU;zone_default:eu;"));
/// assert!(lines[2].ends_with(";invoice-en;group:EU;true"));           // layout, its source, b2b
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// A whole table, its rows that can't be classified left for the caller to
/// report:
///
/// ```
/// use custclass::report::ReportWriter;
/// use custclass::{CustomerTable, Engine, Setup};
///
/// let engine = Engine::new(Setup::standard("NL".to_owned().try_into()?))?;
/// let file = "id;name;country;group\n1;Jansen;NL;\n2;Smit;NL;GOLD\n3;\"Berg; Zn\";DE;\n";
/// let (table, _) = CustomerTable::from_csv(file.as_bytes())?;
/// let classified = engine.classify_table(&table);
///
/// let mut report = ReportWriter::new(Vec::new(), &engine, b';')?;
/// assert_eq!(report.write_table(&table, &classified)?, 2);
/// let csv = String::from_utf8(report.finish()?)?;
/// let ids: Vec<&str> = csv.lines().skip(1).map(|line| &line[..1]).collect();
/// assert_eq!(ids, ["1", "3"]);
/// assert!(csv.contains("3;\"Berg; Zn\";DE;"));
/// let rejected: Vec<usize> = classified.errors().map(|(row, _)| row).collect();
/// assert_eq!(rejected, [1]);                               // GOLD is no group
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct ReportWriter<W: Write> {
    output: W,
    buffer: Vec<u8>,
    delimiter: u8,
    /// The slots the setup defines, each a pair of columns.
    slots: Vec<usize>,
}

impl<W: Write> ReportWriter<W> {
    /// Starts a report for `engine`'s setup (one pair of columns per defined
    /// slot) and writes the header.
    ///
    /// # Errors
    ///
    /// The writer's I/O error.
    pub fn new(output: W, engine: &Engine, delimiter: u8) -> io::Result<ReportWriter<W>> {
        let slots: Vec<usize> = (1..=8)
            .filter(|slot| engine.slot_label(*slot).is_some())
            .collect();
        let mut header: Vec<String> = WHO.map(String::from).to_vec();
        let targets = slots.iter().map(|slot| Target::Class(*slot)).chain([
            Target::Type,
            Target::Group,
            Target::PriceGroup,
        ]);
        for name in targets
            .map(|t| t.to_string())
            .chain(FACTS.map(String::from))
        {
            let source = format!("{name}_source");
            header.extend([name, source]);
        }
        header.push("b2b".into());
        let mut report = ReportWriter {
            output,
            buffer: Vec::with_capacity(FLUSH_AT + 4096),
            delimiter,
            slots,
        };
        for (index, name) in header.iter().enumerate() {
            if index > 0 {
                report.buffer.push(delimiter);
            }
            csv_field(&mut report.buffer, name.as_bytes(), delimiter);
        }
        report.buffer.push(b'\n');
        report.flush_full()?;
        Ok(report)
    }

    /// Writes one customer's row.
    ///
    /// # Errors
    ///
    /// The writer's I/O error.
    pub fn write(&mut self, customer: &Customer, result: &Classification) -> io::Result<()> {
        let delimiter = self.delimiter;
        for (index, name) in WHO.iter().enumerate() {
            if index > 0 {
                self.buffer.push(delimiter);
            }
            let text = fields::field(name).and_then(|field| field.text(customer));
            csv_field(
                &mut self.buffer,
                text.unwrap_or_default().as_bytes(),
                delimiter,
            );
        }
        for slot in &self.slots {
            slot_pair(&mut self.buffer, result.classes.get(*slot), delimiter);
        }
        result_tail(&mut self.buffer, result, delimiter);
        self.buffer.push(b'\n');
        self.flush_full()
    }

    /// Writes the row of every customer of `table` that `classified` (its
    /// classification) could classify, in row order, straight from the
    /// columns: the text of each distinct result is made once. Returns the
    /// number of rows written; [`TableClassification::errors`] lists the
    /// others.
    ///
    /// # Errors
    ///
    /// The writer's I/O error; `InvalidInput` when `classified` is the
    /// classification of another table.
    pub fn write_table(
        &mut self,
        table: &CustomerTable,
        classified: &TableClassification<'_>,
    ) -> io::Result<usize> {
        let prepared = Prepared::new(table, classified)?;
        let delimiter = self.delimiter;
        let who: Vec<_> = WHO.iter().map(|name| table.text(name)).collect();
        // Per defined slot, each entry's pair of fields (entry 0: none).
        let slots: Vec<(usize, Vec<Vec<u8>>)> = self
            .slots
            .iter()
            .map(|&slot| {
                let entries = prepared
                    .slots
                    .get(slot - 1)
                    .map(|column| column.entries.as_slice())
                    .unwrap_or_default();
                let pairs = std::iter::once(None)
                    .chain(entries.iter().map(Some))
                    .map(|entry| {
                        let mut pair = Vec::new();
                        slot_pair(&mut pair, entry, delimiter);
                        pair
                    })
                    .collect();
                (slot, pairs)
            })
            .collect();
        // Per distinct result, the fields from the type to B2B.
        let tails: Vec<Vec<u8>> = classified
            .core_results()
            .iter()
            .map(|result| {
                let mut tail = Vec::new();
                if let Ok(result) = result {
                    result_tail(&mut tail, result, delimiter);
                }
                tail
            })
            .collect();
        let mut written = 0;
        for row in 0..prepared.rows() {
            let Some(core) = prepared.core(row) else {
                continue;
            };
            for (index, column) in who.iter().enumerate() {
                if index > 0 {
                    self.buffer.push(delimiter);
                }
                if let Some(text) = column.and_then(|column| column.get(row)) {
                    csv_field(&mut self.buffer, text.as_bytes(), delimiter);
                }
            }
            for (slot, pairs) in &slots {
                let code = prepared.slot_code(*slot, row);
                self.buffer
                    .extend_from_slice(pairs.get(code).map_or(&[][..], Vec::as_slice));
            }
            self.buffer
                .extend_from_slice(tails.get(core).map_or(&[][..], Vec::as_slice));
            self.buffer.push(b'\n');
            written += 1;
            self.flush_full()?;
        }
        Ok(written)
    }

    /// Flushes and returns the output.
    ///
    /// # Errors
    ///
    /// The writer's I/O error.
    pub fn finish(mut self) -> io::Result<W> {
        self.output.write_all(&self.buffer)?;
        self.output.flush()?;
        Ok(self.output)
    }

    fn flush_full(&mut self) -> io::Result<()> {
        if self.buffer.len() >= FLUSH_AT {
            self.output.write_all(&self.buffer)?;
            self.buffer.clear();
        }
        Ok(())
    }
}

/// `;value;source` of a slot, or `;;`.
fn slot_pair(out: &mut Vec<u8>, value: Option<&Assigned>, delimiter: u8) {
    pair(out, value.map(|a| (a.value.as_str(), &a.source)), delimiter);
}

/// A delimiter, the value, a delimiter, the source (both empty for none).
fn pair(out: &mut Vec<u8>, value: Option<(&str, &Source)>, delimiter: u8) {
    out.push(delimiter);
    if let Some((value, source)) = value {
        csv_field(out, value.as_bytes(), delimiter);
        out.push(delimiter);
        csv_field(out, source.to_string().as_bytes(), delimiter);
    } else {
        out.push(delimiter);
    }
}

/// The fields after the slots: type, group, price group, the facts and
/// B2B, each after a delimiter.
fn result_tail(out: &mut Vec<u8>, result: &Classification, delimiter: u8) {
    fn text(assigned: Option<&Assigned>) -> Option<(&str, &Source)> {
        assigned.map(|a| (a.value.as_str(), &a.source))
    }
    pair(out, text(result.customer_type.as_ref()), delimiter);
    pair(out, text(result.group.as_ref()), delimiter);
    pair(out, text(result.price_group.as_ref()), delimiter);
    let zone = result
        .vat_zone
        .as_ref()
        .map(|zone| (zone.value.as_str(), &zone.source));
    pair(out, zone, delimiter);
    pair(out, text(result.receivables_account.as_ref()), delimiter);
    pair(out, text(result.revenue_account.as_ref()), delimiter);
    pair(out, text(result.layout.as_ref()), delimiter);
    out.push(delimiter);
    out.extend_from_slice(if result.b2b.value { b"true" } else { b"false" });
}
