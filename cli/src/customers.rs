//! A customer file read a chunk of rows at a time, CSV or JSON lines, so
//! that a command holds one chunk however long the file is.

use std::io::BufRead;
use std::path::Path;

use custclass::customer_file::{CsvChunks, CsvOptions, JsonLinesCustomers};
use custclass::encoding::{self, Decoded};
use custclass::{CustomerError, CustomerTable, Encoding, RowProblem, TableBuilder};

use crate::Fatal;

/// Rows per chunk: enough to keep every core busy classifying, few enough
/// that a chunk's table is a few megabytes.
const CHUNK_ROWS: usize = 1 << 16;

type Input = Box<dyn BufRead + Send>;

/// A chunk of the file: its good rows as a table, the problems of its bad
/// ones.
pub(crate) struct Chunk {
    pub(crate) table: CustomerTable,
    /// Per table row, the line it starts on.
    pub(crate) lines: Vec<u64>,
    /// Per table row, its data row in the file.
    pub(crate) rows: Vec<usize>,
    pub(crate) problems: Vec<RowProblem>,
}

impl Chunk {
    /// Tells on stderr which rows were rejected (unreadable) and which
    /// were read but not judged (`not_judged`: table rows and why), and
    /// returns how many rows were rejected.
    pub(crate) fn report(&self, not_judged: &[(usize, CustomerError)]) -> usize {
        let rejected: std::collections::BTreeSet<usize> =
            self.problems.iter().map(|p| p.row).collect();
        for problem in &self.problems {
            let column = problem
                .column
                .as_deref()
                .map(|c| format!(", column {c}"))
                .unwrap_or_default();
            eprintln!(
                "rejected: line {}{column}: [{}] {}",
                problem.line.unwrap_or_default(),
                problem.code,
                problem.message
            );
        }
        for (row, err) in not_judged {
            let line = self.lines.get(*row).copied().unwrap_or_default();
            eprintln!("not judged: line {line}: [{}] {err}", err.code());
        }
        rejected.len()
    }
}

/// A customer file being read.
pub(crate) enum Customers {
    Csv(Box<CsvChunks<Input>>),
    Lines {
        rows: Box<JsonLinesCustomers<Decoded<Input>>>,
        /// Data rows read so far.
        read: usize,
        done: bool,
    },
}

impl Customers {
    /// Opens `input` (named `path`): JSON lines for `.jsonl`/`.ndjson`, else
    /// CSV, whose header is read now.
    pub(crate) fn open(
        path: &Path,
        input: Input,
        encoding: Option<Encoding>,
    ) -> Result<Customers, Fatal> {
        let name = crate::input::name(path);
        if crate::is_json_lines(path) {
            let decoded = encoding::decoded(input, encoding)
                .map_err(|err| Fatal(format!("{name}: {err}")))?;
            return Ok(Customers::Lines {
                rows: Box::new(JsonLinesCustomers::new(decoded)),
                read: 0,
                done: false,
            });
        }
        let mut options = CsvOptions::default();
        if let Some(encoding) = encoding {
            options = options.encoding(encoding);
        }
        let chunks = CsvChunks::with_options(input, &options)
            .map_err(|err| Fatal(format!("{name}: {err} ({})", err.code())))?;
        Ok(Customers::Csv(Box::new(chunks)))
    }

    /// The CSV file's columns; `None` for JSON lines.
    pub(crate) fn columns(&self) -> Option<Vec<String>> {
        match self {
            Customers::Csv(chunks) => Some(chunks.columns().map(str::to_owned).collect()),
            Customers::Lines { .. } => None,
        }
    }

    /// The next chunk; `None` at the end of the file.
    pub(crate) fn next(&mut self) -> Result<Option<Chunk>, Fatal> {
        match self {
            Customers::Csv(chunks) => Ok(chunks
                .next_chunk(CHUNK_ROWS)
                .map_err(|err| Fatal(format!("{err} ({})", err.code())))?
                .map(|chunk| Chunk {
                    table: chunk.table,
                    lines: chunk.lines,
                    rows: chunk.rows,
                    problems: chunk.problems,
                })),
            Customers::Lines { rows, read, done } => {
                if *done {
                    return Ok(None);
                }
                let mut builder = TableBuilder::new();
                let mut chunk = Chunk {
                    table: CustomerTable::default(),
                    lines: Vec::new(),
                    rows: Vec::new(),
                    problems: Vec::new(),
                };
                for _ in 0..CHUNK_ROWS {
                    let Some((line, row)) = rows.next() else {
                        *done = true;
                        break;
                    };
                    match row {
                        Ok(customer) => {
                            builder.push(&customer);
                            chunk.lines.push(line);
                            chunk.rows.push(*read);
                        }
                        Err(problems) => chunk.problems.extend(problems),
                    }
                    *read += 1;
                }
                if builder.is_empty() && chunk.problems.is_empty() {
                    return Ok(None);
                }
                chunk.table = builder.finish();
                Ok(Some(chunk))
            }
        }
    }

    /// The lines read so far, header and empty lines included (CSV).
    pub(crate) fn lines_read(&self) -> Option<(u64, u64)> {
        match self {
            Customers::Csv(chunks) => Some((chunks.lines_read(), chunks.blank_lines())),
            Customers::Lines { .. } => None,
        }
    }
}
