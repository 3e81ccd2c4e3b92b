//! Where classified customers go: the CSV report or JSON lines, a whole
//! classified table at a time, written from its columns.

use std::io::{self, Write};

use custclass::report::{JsonLinesWriter, ReportWriter};
use custclass::{CustomerTable, Engine, TableClassification};

use crate::Format;

/// The output of `classify` and `demo`. The writers gather their bytes in
/// large blocks themselves, so the output needs no buffer of its own.
pub(crate) enum Sink<W: Write> {
    Report(Box<ReportWriter<W>>),
    Lines(Box<JsonLinesWriter<W>>),
}

impl<W: Write> Sink<W> {
    /// Starts the output (the CSV report's header is written at once).
    pub(crate) fn new(output: W, engine: &Engine, format: Format) -> io::Result<Sink<W>> {
        Ok(match format {
            Format::Csv => Sink::Report(Box::new(ReportWriter::new(output, engine, b';')?)),
            Format::Jsonl => Sink::Lines(Box::new(JsonLinesWriter::new(output))),
        })
    }

    /// Writes every row of `table` that `classified` could classify, in
    /// row order, and returns how many; `classified.errors()` gives the
    /// others, for the summary.
    pub(crate) fn write_table(
        &mut self,
        table: &CustomerTable,
        classified: &TableClassification<'_>,
    ) -> io::Result<usize> {
        match self {
            Sink::Report(report) => report.write_table(table, classified),
            Sink::Lines(lines) => lines.write_table(table, classified),
        }
    }

    /// Writes what is left and flushes the output.
    pub(crate) fn finish(self) -> io::Result<()> {
        match self {
            Sink::Report(report) => report.finish()?.flush(),
            Sink::Lines(lines) => lines.finish()?.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(clippy::unwrap_used, reason = "test code")]
    #[test]
    fn both_formats_write_the_classified_rows_only() {
        let engine = Engine::new(custclass::Setup::standard(
            "NL".to_owned().try_into().unwrap(),
        ))
        .unwrap();
        let file = "id;country;group\n1;NL;\n2;NL;GOLD\n3;DE;\n";
        let (table, _) = CustomerTable::from_csv(file.as_bytes()).unwrap();
        let classified = engine.classify_table(&table);
        for format in [Format::Csv, Format::Jsonl] {
            let mut out = Vec::new();
            let mut sink = Sink::new(&mut out, &engine, format).unwrap();
            assert_eq!(sink.write_table(&table, &classified).unwrap(), 2);
            sink.finish().unwrap();
            let text = String::from_utf8(out).unwrap();
            let header = usize::from(format == Format::Csv);
            assert_eq!(text.lines().count(), 2 + header, "{text}");
            assert!(!text.contains("GOLD"), "{text}");
        }
        let rejected: Vec<usize> = classified.errors().map(|(row, _)| row).collect();
        assert_eq!(rejected, [1]);
    }
}
