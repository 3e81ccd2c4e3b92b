//! `custclass segments`: many segments of one customer file in one pass,
//! counted: a marketing overview.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use custclass::{Encoding, Engine, ExprError, SegmentWarning};

use crate::customers::Customers;
use crate::output::Destination;
use crate::{Fatal, caret, describe_setup, input, progress, read_setup};

/// A segment as given on the command line: `NAME=EXPRESSION`.
pub(crate) fn parse_segment(text: &str) -> Result<(String, String), String> {
    let (name, expression) = text
        .split_once('=')
        .ok_or_else(|| format!("expected NAME=EXPRESSION, got {text:?}"))?;
    let plain = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.');
    if name.is_empty() || !name.chars().all(plain) {
        return Err(format!(
            "expected NAME=EXPRESSION, the name of letters, digits, '_', '-' and '.', got {text:?}"
        ));
    }
    Ok((name.to_owned(), expression.to_owned()))
}

/// The segments asked for, and whether they test stored values only.
pub(crate) struct Segments {
    pub(crate) segments: Vec<(String, String)>,
    pub(crate) stored: bool,
}

/// The columns a segment tests that are empty in every chunk read so far:
/// a file is read in chunks, and a column empty in one may be filled in
/// the next.
#[derive(Debug, Default)]
pub(crate) struct EmptyColumns(Option<Vec<SegmentWarning>>);

impl EmptyColumns {
    /// Keeps the warnings of a chunk of `rows` rows that every earlier
    /// chunk gave too (a chunk without rows says nothing).
    pub(crate) fn see(&mut self, rows: usize, warnings: &[SegmentWarning]) {
        if rows == 0 {
            return;
        }
        self.0 = Some(match self.0.take() {
            None => warnings.to_vec(),
            Some(seen) => seen.into_iter().filter(|w| warnings.contains(w)).collect(),
        });
    }

    /// Prints each on standard error, so an empty list isn't taken for an
    /// answer.
    pub(crate) fn print(&self) {
        for warning in self.0.iter().flatten() {
            eprintln!("warning: {} ({})", warning.message, warning.code);
        }
    }
}

/// Counts the customers of `input` in each of `segments`, one pass over
/// each chunk of the file, and writes `segment;expression;customers`.
pub(crate) fn segments(
    setup: &Path,
    Segments { segments, stored }: Segments,
    input: &Path,
    out: Option<&Path>,
    encoding: Option<Encoding>,
) -> Result<ExitCode, Fatal> {
    let destination = Destination::new(out, &[setup, input])?;
    let engine =
        Engine::new(read_setup(setup)?).map_err(|err| Fatal(describe_setup(setup, &err)))?;
    let set = match stored {
        true => engine.segment_set_stored(segments.iter().cloned()),
        false => engine.segment_set(segments.iter().cloned()),
    }
    .map_err(|err| Fatal(describe(&err, &segments)))?;
    let name = input::name(input);
    let bar = progress::reading(input);
    let reader = Box::new(bar.wrap_read(input::open(input)?));
    let mut customers = Customers::open(input, reader, encoding)?;
    let mut counts = vec![0_usize; set.len()];
    let (mut read, mut rejected, mut not_judged) = (0, 0, 0);
    let mut empty = EmptyColumns::default();
    while let Some(chunk) = customers
        .next()
        .map_err(|Fatal(message)| Fatal(format!("{name}: {message}")))?
    {
        let answer = set.masks(&chunk.table);
        empty.see(chunk.table.len(), answer.warnings());
        for (total, count) in counts.iter_mut().zip(answer.counts()) {
            *total += count;
        }
        let bad_rows = chunk.report(answer.rejected());
        read += chunk.table.len() + bad_rows;
        rejected += bad_rows;
        not_judged += answer.rejected().len();
    }
    let mut output = destination.create()?;
    writeln!(output, "segment;expression;customers")?;
    for ((segment, expression), count) in set.names().zip(set.expressions()).zip(&counts) {
        writeln!(output, "{};{};{count}", cell(segment), cell(expression))?;
    }
    output.finish()?;
    bar.finish_and_clear();
    empty.print();
    eprintln!(
        "{read} customers read: {} segments counted, {rejected} rows rejected, {not_judged} not judged",
        set.len()
    );
    Ok(if rejected == 0 && not_judged == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// What went wrong with the set, with a caret under an expression's
/// problem.
fn describe(err: &ExprError, segments: &[(String, String)]) -> String {
    match err {
        ExprError::InvalidSegment { segment, error, .. } => {
            let expression = segments
                .iter()
                .find(|(name, _)| name == segment)
                .map_or("", |(_, expression)| expression.as_str());
            format!(
                "--segment {segment}: {error} ({}){}",
                error.code(),
                caret(expression, error.offset())
            )
        }
        err => format!("{err} ({})", err.code()),
    }
}

/// A CSV cell: quoted when it holds the separator, a quote or a line break.
fn cell(text: &str) -> String {
    if text.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_is_a_name_and_an_expression() {
        assert_eq!(
            parse_segment("dutch=country = 'NL'"),
            Ok(("dutch".to_owned(), "country = 'NL'".to_owned()))
        );
        assert!(parse_segment("country = 'NL'").is_err());
        assert!(parse_segment("=true").is_err());
        assert!(parse_segment("no expression").is_err());
        assert_eq!(cell("a;b"), "\"a;b\"");
        assert_eq!(cell("plain"), "plain");
    }
}
