//! JSON lines: per customer one line, `{"classification": …, "customer":
//! …}`, the customer with its assigned values applied, in canonical JSON.

use std::io::{self, Write};

use super::customer_json::{
    Member, OfCustomer, Place, customer_members, every_place, write_object,
};
use super::result_json;
use super::table_lines::write_lines;
use crate::bulk::TableClassification;
use crate::classification::Classification;
use crate::customer::Customer;
use crate::table::CustomerTable;

/// Bytes gathered before they go to the output.
const FLUSH_AT: usize = 1 << 16;

/// Writes classified customers as JSON lines: per customer
/// `{"classification": …, "customer": …}` in canonical JSON (keys sorted,
/// decimals as strings), the customer with its assigned values applied
/// ([`Classification::apply`]).
///
/// A line is `canonical::to_string` of
/// `{"customer": result.apply(customer), "classification": result}`, byte
/// for byte, written without building a JSON value.
/// [`JsonLinesWriter::write_table`] writes a whole classified table from
/// its columns, the same bytes as [`JsonLinesWriter::write`] per row. Call
/// [`JsonLinesWriter::finish`] at the end: lines are gathered in a buffer.
///
/// # Examples
///
/// ```
/// use custclass::report::JsonLinesWriter;
/// use custclass::{Customer, CustomerTable, Engine, Setup, canonical};
///
/// let engine = Engine::new(Setup::standard("NL".to_owned().try_into()?))?;
/// let file = "id;name;country;group\n1;Jansen;NL;\n2;Smit;NL;GOLD\n3;Berg;DE;\n";
/// let (table, _) = CustomerTable::from_csv(file.as_bytes())?;
/// let classified = engine.classify_table(&table);
///
/// let mut lines = JsonLinesWriter::new(Vec::new());
/// assert_eq!(lines.write_table(&table, &classified)?, 2);  // row 2's group is unknown
/// let text = String::from_utf8(lines.finish()?)?;
///
/// let first = table.customer(0).ok_or("no row 0")?;
/// let result = engine.classify(&first)?;
/// let expected = canonical::to_string(&serde_json::json!({
///     "customer": result.apply(&first),
///     "classification": result,
/// }));
/// assert_eq!(text.lines().next(), Some(expected.as_str()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct JsonLinesWriter<W: Write> {
    output: W,
    buffer: Vec<u8>,
    /// The shape of a customer's JSON, its values read off a `Customer`.
    customer: Vec<Member<Place>>,
}

impl<W: Write> JsonLinesWriter<W> {
    /// Starts writing JSON lines to `output`.
    pub fn new(output: W) -> JsonLinesWriter<W> {
        JsonLinesWriter {
            output,
            buffer: Vec::with_capacity(FLUSH_AT + 4096),
            customer: customer_members(every_place),
        }
    }

    /// Writes one customer's line.
    ///
    /// # Errors
    ///
    /// The writer's I/O error.
    pub fn write(&mut self, customer: &Customer, result: &Classification) -> io::Result<()> {
        let applied = result.apply(customer);
        self.buffer.extend_from_slice(b"{\"classification\":");
        result_json::classification(&mut self.buffer, result);
        self.buffer.extend_from_slice(b",\"customer\":");
        write_object(&mut self.buffer, &self.customer, &mut OfCustomer(&applied));
        self.buffer.extend_from_slice(b"}\n");
        self.flush_full()
    }

    /// Writes the line of every customer of `table` that `classified` (its
    /// classification) could classify, in row order, straight from the
    /// columns: the text of each distinct result is made once. Returns the
    /// number of lines written; [`TableClassification::errors`] lists the
    /// rows left out.
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
        let (output, buffer) = (&mut self.output, &mut self.buffer);
        write_lines(table, classified, buffer, |buffer| {
            flush_full(output, buffer)
        })
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
        flush_full(&mut self.output, &mut self.buffer)
    }
}

/// Writes `buffer` out once it holds [`FLUSH_AT`] bytes.
fn flush_full(output: &mut impl Write, buffer: &mut Vec<u8>) -> io::Result<()> {
    if buffer.len() >= FLUSH_AT {
        output.write_all(buffer)?;
        buffer.clear();
    }
    Ok(())
}
