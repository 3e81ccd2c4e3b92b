//! Classification reports as CSV, for people and spreadsheets: per customer
//! the fields that say who it is, then each assigned value beside its
//! provenance. (JSON lines, for machines, carry the whole customer and
//! classification instead.)

use std::io::Write;

use crate::classification::{Assigned, Classification, Target};
use crate::customer::Customer;
use crate::customer::fields;
use crate::engine::Engine;

/// The customer fields a report starts with: who the customer is.
const WHO: [&str; 5] = ["id", "name", "country", "channel", "connector"];

/// Writes classification reports as CSV: per customer its id, name, country,
/// channel and connector, then each assigned value beside its provenance.
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
#[derive(Debug)]
pub struct ReportWriter<W: Write> {
    writer: csv::Writer<W>,
    slots: Vec<usize>,
}

impl<W: Write> ReportWriter<W> {
    /// Starts a report for `engine`'s setup (one pair of columns per defined
    /// slot) and writes the header.
    ///
    /// # Errors
    ///
    /// The writer's I/O error.
    pub fn new(output: W, engine: &Engine, delimiter: u8) -> std::io::Result<ReportWriter<W>> {
        let slots: Vec<usize> = (1..=8)
            .filter(|slot| engine.slot_label(*slot).is_some())
            .collect();
        let mut writer = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .from_writer(output);
        let mut header: Vec<String> = WHO.map(String::from).to_vec();
        let targets = slots.iter().map(|slot| Target::Class(*slot)).chain([
            Target::Type,
            Target::Group,
            Target::PriceGroup,
        ]);
        let facts = [
            "vat_zone",
            "receivables_account",
            "revenue_account",
            "layout",
        ];
        for name in targets
            .map(|t| t.to_string())
            .chain(facts.map(String::from))
        {
            let source = format!("{name}_source");
            header.extend([name, source]);
        }
        header.push("b2b".into());
        writer
            .write_record(&header)
            .map_err(std::io::Error::other)?;
        Ok(ReportWriter { writer, slots })
    }

    /// Writes one customer's row.
    ///
    /// # Errors
    ///
    /// The writer's I/O error.
    pub fn write(&mut self, customer: &Customer, result: &Classification) -> std::io::Result<()> {
        let mut row: Vec<String> = WHO
            .iter()
            .map(|name| {
                fields::field(name)
                    .and_then(|field| field.text(customer))
                    .unwrap_or_default()
                    .into_owned()
            })
            .collect();
        let mut pair = |value: Option<&Assigned>| {
            row.push(value.map(|a| a.value.clone()).unwrap_or_default());
            row.push(value.map(|a| a.source.to_string()).unwrap_or_default());
        };
        for slot in &self.slots {
            pair(result.classes.get(*slot));
        }
        pair(result.customer_type.as_ref());
        pair(result.group.as_ref());
        pair(result.price_group.as_ref());
        let zone = result.vat_zone.as_ref().map(|zone| Assigned {
            value: zone.value.to_string(),
            source: zone.source.clone(),
        });
        pair(zone.as_ref());
        pair(result.receivables_account.as_ref());
        pair(result.revenue_account.as_ref());
        pair(result.layout.as_ref());
        row.push(result.b2b.value.to_string());
        self.writer
            .write_record(&row)
            .map_err(std::io::Error::other)
    }

    /// Flushes and returns the output.
    ///
    /// # Errors
    ///
    /// The writer's I/O error.
    pub fn finish(self) -> std::io::Result<W> {
        self.writer
            .into_inner()
            .map_err(|err| std::io::Error::other(err.to_string()))
    }
}
