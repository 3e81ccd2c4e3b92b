//! CSV records, read so that a broken row costs that row only.
//!
//! Files from POS, webshop and ERP exports are RFC 4180 CSV more or less: a
//! field may be quoted (`"…"`, a quote inside doubled), and a quoted field
//! may hold the delimiter and newlines. A stray quote (a shop called
//! `"Zum Anker` with its closing quote lost) opens a field that nothing
//! closes, and a plain CSV reader reads the rest of the file into it. Here a
//! record that runs over lines is kept only when it ends where a row should
//! (its quote closed, then the end of a line) with the header's number of
//! fields. Otherwise the quote was never meant to open a field: the row
//! where it opened is reported and reading resumes on the line after it,
//! so every line of the file ends up in exactly one row, good or bad.
//!
//! Lines are counted as the file has them (`\n` and `\r\n` alike), a row's
//! line being the one it starts on. No more than [`MAX_ROW_BYTES`] of one
//! line is held: the rest of a longer line is skipped unread and the record
//! is marked cut. A quoted field runs over lines for at most twice that
//! before it counts as never closed.

use std::collections::VecDeque;
use std::io::{self, BufRead};

use crate::limits::MAX_ROW_BYTES;

/// One line of the file, without its line break.
#[derive(Debug, Default)]
struct Line {
    /// 1-based.
    number: u64,
    bytes: Vec<u8>,
    /// It was longer than [`MAX_ROW_BYTES`]; the rest was skipped.
    cut: bool,
}

/// The lines of the input, and the lines to read again after a stray quote.
#[derive(Debug)]
struct Lines<R> {
    input: R,
    /// The number of the last line read from the input.
    read: u64,
    /// Lines a stray quote had run into, to read again before the input.
    again: VecDeque<Line>,
}

impl<R: BufRead> Lines<R> {
    /// Reads the next line into `line`; `false` at the end of the input.
    fn next(&mut self, line: &mut Line) -> io::Result<bool> {
        if let Some(held) = self.again.pop_front() {
            *line = held;
            return Ok(true);
        }
        line.bytes.clear();
        line.cut = false;
        let mut any = false;
        loop {
            let buf = match self.input.fill_buf() {
                Ok(buf) => buf,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => return Err(err),
            };
            if buf.is_empty() {
                break;
            }
            any = true;
            let (length, ends) = match memchr::memchr(b'\n', buf) {
                Some(at) => (at, true),
                None => (buf.len(), false),
            };
            let room = MAX_ROW_BYTES.saturating_sub(line.bytes.len());
            line.cut |= length > room;
            line.bytes
                .extend_from_slice(buf.get(..length.min(room)).unwrap_or_default());
            self.input.consume(length + usize::from(ends));
            if ends {
                break;
            }
        }
        if !any {
            return Ok(false);
        }
        if !line.cut && line.bytes.last() == Some(&b'\r') {
            line.bytes.pop();
        }
        self.read += 1;
        line.number = self.read;
        Ok(true)
    }
}

/// One record: its fields' bytes (unquoted), and the lines it spans.
#[derive(Debug, Default)]
pub(crate) struct Record {
    text: Vec<u8>,
    /// Each field's start and end in `text`.
    spans: Vec<(usize, usize)>,
    /// Where the field still open began in `text`.
    open_start: usize,
    /// The field (0-based) whose quote ran over the end of the first line.
    pub(crate) open_field: Option<usize>,
    /// The line it starts on.
    pub(crate) line: u64,
    /// The last line it spans.
    pub(crate) last: u64,
    /// A line of it was longer than [`MAX_ROW_BYTES`].
    pub(crate) cut: bool,
}

impl Record {
    fn clear(&mut self) {
        self.text.clear();
        self.spans.clear();
        self.open_field = None;
        self.cut = false;
    }

    /// Its number of fields.
    pub(crate) fn len(&self) -> usize {
        self.spans.len()
    }

    /// Field `at`, unquoted.
    pub(crate) fn get(&self, at: usize) -> Option<&[u8]> {
        let &(start, end) = self.spans.get(at)?;
        self.text.get(start..end)
    }

    /// Its fields, unquoted.
    pub(crate) fn fields(&self) -> impl Iterator<Item = &[u8]> + '_ {
        self.spans
            .iter()
            .map(|&(start, end)| self.text.get(start..end).unwrap_or_default())
    }

    /// The bytes of its fields together.
    pub(crate) fn bytes(&self) -> usize {
        self.text.len()
    }

    /// Reads a line of the record: a line of its own, or with `quoted`,
    /// the continuation of a quoted field. Returns whether a quoted field
    /// is still open at its end.
    fn read_line(&mut self, bytes: &[u8], delimiter: u8, quoted: bool) -> bool {
        if !quoted && memchr::memchr(b'"', bytes).is_none() {
            // The usual line: no quotes, fields between delimiters.
            let base = self.text.len();
            self.text.extend_from_slice(bytes);
            let mut start = base;
            for at in memchr::memchr_iter(delimiter, bytes) {
                self.spans.push((start, base + at));
                start = base + at + 1;
            }
            self.spans.push((start, self.text.len()));
            return false;
        }
        let rest = |from: usize| bytes.get(from..).unwrap_or_default();
        let mut at = 0;
        let mut quoted = quoted;
        loop {
            if quoted {
                let Some(quote) = memchr::memchr(b'"', rest(at)) else {
                    self.text.extend_from_slice(rest(at));
                    self.text.push(b'\n');
                    return true;
                };
                self.text
                    .extend_from_slice(bytes.get(at..at + quote).unwrap_or_default());
                at += quote + 1;
                if bytes.get(at) == Some(&b'"') {
                    self.text.push(b'"');
                    at += 1;
                    continue;
                }
                // Closed. Anything up to the delimiter is kept as written.
                quoted = false;
                match memchr::memchr(delimiter, rest(at)) {
                    Some(end) => {
                        self.text
                            .extend_from_slice(bytes.get(at..at + end).unwrap_or_default());
                        self.spans.push((self.open_start, self.text.len()));
                        at += end + 1;
                    }
                    None => {
                        self.text.extend_from_slice(rest(at));
                        self.spans.push((self.open_start, self.text.len()));
                        return false;
                    }
                }
            }
            // At the start of a field.
            if bytes.get(at) == Some(&b'"') {
                quoted = true;
                self.open_start = self.text.len();
                at += 1;
                continue;
            }
            let start = self.text.len();
            match memchr::memchr(delimiter, rest(at)) {
                Some(end) => {
                    self.text
                        .extend_from_slice(bytes.get(at..at + end).unwrap_or_default());
                    self.spans.push((start, self.text.len()));
                    at += end + 1;
                }
                None => {
                    self.text.extend_from_slice(rest(at));
                    self.spans.push((start, self.text.len()));
                    return false;
                }
            }
        }
    }
}

/// A row whose quote was never closed: reported, and skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unclosed {
    /// The line the row starts on (and its only line: the lines after it
    /// are read again).
    pub(crate) line: u64,
    /// The field (0-based) whose quote opened.
    pub(crate) field: usize,
    /// The lines the row would have spanned up to where reading gave up.
    pub(crate) until: u64,
    /// The fields it would have had, when a quote did close; `None` when
    /// none did before the end of the file or the record limit.
    pub(crate) fields: Option<usize>,
}

/// The records of a CSV input.
#[derive(Debug)]
pub(crate) struct Records<R> {
    lines: Lines<R>,
    delimiter: u8,
    /// The fields a row has (the header's), once known: a record over
    /// several lines with another number is a stray quote.
    width: Option<usize>,
    line: Line,
    /// The lines of a record whose quoted field runs over lines, to read
    /// again if the quote turns out never closed.
    held: Vec<Line>,
    record: Record,
    /// Empty lines skipped.
    blank: u64,
}

impl<R: BufRead> Records<R> {
    pub(crate) fn new(input: R, delimiter: u8) -> Records<R> {
        Records {
            lines: Lines {
                input,
                read: 0,
                again: VecDeque::new(),
            },
            delimiter,
            width: None,
            line: Line::default(),
            held: Vec::new(),
            record: Record::default(),
            blank: 0,
        }
    }

    /// From now on, a row has `width` fields.
    pub(crate) fn set_width(&mut self, width: usize) {
        self.width = Some(width);
    }

    /// The lines read from the input so far.
    pub(crate) fn lines(&self) -> u64 {
        self.lines.read
    }

    /// The empty lines skipped so far.
    pub(crate) fn blank_lines(&self) -> u64 {
        self.blank
    }

    /// The record read last.
    pub(crate) fn record(&self) -> &Record {
        &self.record
    }

    /// Reads the next record (then [`Records::record`]), or the row of a
    /// quote never closed; `None` at the end of the input.
    ///
    /// # Errors
    ///
    /// The input's own failure.
    pub(crate) fn next(&mut self) -> io::Result<Option<Result<(), Unclosed>>> {
        loop {
            if let Some(read) = self.next_in_buffer()? {
                if read {
                    return Ok(Some(Ok(())));
                }
                continue;
            }
            if !self.lines.next(&mut self.line)? {
                return Ok(None);
            }
            if self.line.bytes.is_empty() && !self.line.cut {
                self.blank += 1;
                continue;
            }
            self.record.clear();
            self.record.line = self.line.number;
            self.record.last = self.line.number;
            self.record.cut = self.line.cut;
            if !self
                .record
                .read_line(&self.line.bytes, self.delimiter, false)
            {
                return Ok(Some(Ok(())));
            }
            return self.read_on().map(Some);
        }
    }

    /// The usual case, without copying the line first: a whole line in the
    /// input's buffer that is a record of its own (or empty). `Some(true)`:
    /// the record is read; `Some(false)`: an empty line was skipped;
    /// `None`: the line needs the general path, and nothing was consumed.
    fn next_in_buffer(&mut self) -> io::Result<Option<bool>> {
        if !self.lines.again.is_empty() {
            return Ok(None);
        }
        let buf = self.lines.input.fill_buf()?;
        let Some(end) = memchr::memchr(b'\n', buf) else {
            return Ok(None);
        };
        let Some(line) = buf.get(..end) else {
            return Ok(None);
        };
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.len() > MAX_ROW_BYTES {
            return Ok(None);
        }
        if line.is_empty() {
            self.lines.input.consume(end + 1);
            self.lines.read += 1;
            self.blank += 1;
            return Ok(Some(false));
        }
        if memchr::memchr(b'"', line).is_some() {
            // Quotes may join lines: the general path keeps its lines.
            return Ok(None);
        }
        self.record.clear();
        self.record.read_line(line, self.delimiter, false);
        self.lines.input.consume(end + 1);
        self.lines.read += 1;
        self.record.line = self.lines.read;
        self.record.last = self.lines.read;
        Ok(Some(true))
    }

    /// Reads the lines a quoted field runs over, until it closes where a
    /// row ends, or turns out never closed.
    fn read_on(&mut self) -> io::Result<Result<(), Unclosed>> {
        let field = self.record.len();
        self.record.open_field = Some(field);
        self.held.clear();
        let mut held_bytes = self.line.bytes.len();
        self.held.push(std::mem::take(&mut self.line));
        let mut fields = None;
        while held_bytes <= 2 * MAX_ROW_BYTES {
            if !self.lines.next(&mut self.line)? {
                break;
            }
            self.record.last = self.line.number;
            self.record.cut |= self.line.cut;
            held_bytes += self.line.bytes.len() + 1;
            let open = self
                .record
                .read_line(&self.line.bytes, self.delimiter, true);
            self.held.push(std::mem::take(&mut self.line));
            if !open {
                if self.width.is_none_or(|width| width == self.record.len()) {
                    return Ok(Ok(()));
                }
                fields = Some(self.record.len());
                break;
            }
        }
        let until = self.record.last;
        let mut held = self.held.drain(..);
        let line = held.next().map_or(self.record.line, |first| first.number);
        for again in held.rev() {
            self.lines.again.push_front(again);
        }
        Ok(Err(Unclosed {
            line,
            field,
            until,
            fields,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record as its fields' text, or the line of an unclosed quote.
    fn read(input: &str, width: usize) -> Vec<Result<(u64, Vec<String>), u64>> {
        let mut records = Records::new(input.as_bytes(), b';');
        records.set_width(width);
        let mut out = Vec::new();
        while let Some(next) = records.next().unwrap() {
            out.push(match next {
                Ok(()) => {
                    let record = records.record();
                    let fields = record
                        .fields()
                        .map(|f| String::from_utf8(f.to_vec()).unwrap())
                        .collect();
                    Ok((record.line, fields))
                }
                Err(unclosed) => Err(unclosed.line),
            });
        }
        out
    }

    fn fields(line: u64, texts: &[&str]) -> Result<(u64, Vec<String>), u64> {
        Ok((line, texts.iter().map(|t| (*t).to_owned()).collect()))
    }

    #[test]
    fn plain_and_quoted_fields() {
        let got = read("a;b;c\n\"x;y\";\"say \"\"hi\"\"\";\n1;2;3", 3);
        assert_eq!(
            got,
            [
                fields(1, &["a", "b", "c"]),
                fields(2, &["x;y", "say \"hi\"", ""]),
                fields(3, &["1", "2", "3"]),
            ]
        );
    }

    #[test]
    fn a_quoted_field_may_span_lines_when_the_row_ends_right() {
        let got = read("1;\"Main St\r\n2nd floor\";x\r\n2;b;c\r\n", 3);
        assert_eq!(
            got,
            [
                fields(1, &["1", "Main St\n2nd floor", "x"]),
                fields(3, &["2", "b", "c"])
            ]
        );
    }

    #[test]
    fn a_quote_never_closed_costs_its_row_only() {
        let mut file = String::from("1;\"Zum Anker;x\n");
        for n in 2..=1000 {
            file.push_str(&format!("{n};b;c\n"));
        }
        let got = read(&file, 3);
        assert_eq!(got.len(), 1000);
        assert_eq!(got[0], Err(1));
        assert_eq!(got[1], fields(2, &["2", "b", "c"]));
        assert_eq!(got[999], fields(1000, &["1000", "b", "c"]));
    }

    #[test]
    fn a_quote_closed_on_a_later_line_with_the_wrong_width_resyncs() {
        let got = read("1;\"a;b\n2;x\";c;d\n3;e;f\n", 3);
        assert_eq!(
            got,
            [
                Err(1),
                Ok((2, vec!["2".into(), "x\"".into(), "c".into(), "d".into()])),
                fields(3, &["3", "e", "f"])
            ]
        );
    }

    #[test]
    fn line_numbers_count_crlf_and_blank_lines() {
        let got = read("a;b\r\n\r\n\r\nc;d\r\n", 2);
        assert_eq!(got, [fields(1, &["a", "b"]), fields(4, &["c", "d"])]);
    }

    #[test]
    fn a_record_past_the_limit_is_unclosed_and_the_rest_read() {
        let line = format!("{};b\n", "x".repeat(MAX_ROW_BYTES / 2));
        let mut file = String::from("1;\"open\n");
        for _ in 0..6 {
            file.push_str(&line);
        }
        let got = read(&file, 2);
        assert_eq!(got.len(), 7);
        assert_eq!(got[0], Err(1));
        assert!(got[1..].iter().all(Result::is_ok));
    }
}
