//! A reader that bounds what one line of a JSON-lines file may cost in
//! memory, whatever the file holds: a 100 MB line is not read whole.
//!
//! A line longer than the line limit is cut there: the rest of it is
//! skipped without being kept, the line ends at once, and its number is
//! noted for the file reader to report the row it belonged to. Rows after
//! it are read as usual. (CSV records bound their lines themselves:
//! `customer_file::records`.)

use std::collections::VecDeque;
use std::io::{self, BufRead, Read};

/// `inner` with the line limit applied; see the module.
#[derive(Debug)]
pub(crate) struct Bounded<R> {
    inner: R,
    line_limit: usize,
    /// Bytes of the current line handed out so far.
    in_line: usize,
    /// The number (from 1) of the line being handed out.
    line: u64,
    /// A cut line's rest was skipped and its newline not yet handed out.
    newline_due: bool,
    /// Lines cut, in order, until the reader asks about them.
    cut: VecDeque<u64>,
}

impl<R: BufRead> Bounded<R> {
    pub(crate) fn new(inner: R, line_limit: usize) -> Bounded<R> {
        Bounded {
            inner,
            line_limit,
            in_line: 0,
            line: 1,
            newline_due: false,
            cut: VecDeque::new(),
        }
    }

    /// Whether a line from `first` to `last` (inclusive) was cut; lines
    /// before `first` are forgotten, since records are read in order.
    pub(crate) fn was_cut(&mut self, first: u64, last: u64) -> bool {
        while self.cut.front().is_some_and(|&line| line < first) {
            self.cut.pop_front();
        }
        self.cut.front().is_some_and(|&line| line <= last)
    }

    /// How much of the inner buffer to hand out: whole lines, and of a line
    /// no more than its limit allows; or that the current line is over.
    fn whole_lines(&mut self) -> io::Result<(usize, bool)> {
        let (line_limit, mut in_line) = (self.line_limit, self.in_line);
        let buf = self.inner.fill_buf()?;
        if in_line.saturating_add(buf.len()) <= line_limit {
            // No line in it can pass the limit: the usual case, unscanned.
            return Ok((buf.len(), false));
        }
        let mut end = 0;
        for newline in memchr::memchr_iter(b'\n', buf) {
            if in_line + (newline - end) > line_limit {
                break;
            }
            in_line = 0;
            end = newline + 1;
        }
        let rest = buf.len() - end;
        let end = end + rest.min(line_limit.saturating_sub(in_line));
        Ok((end, end == 0 && !buf.is_empty()))
    }

    /// Skips the rest of an over-long line, up to and including its newline.
    fn skip_line(&mut self) -> io::Result<()> {
        loop {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            if let Some(at) = memchr::memchr(b'\n', buf) {
                self.inner.consume(at + 1);
                break;
            }
            let all = buf.len();
            self.inner.consume(all);
        }
        self.cut.push_back(self.line);
        self.newline_due = true;
        Ok(())
    }
}

impl<R: BufRead> BufRead for Bounded<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if !self.newline_due {
            let (end, over) = self.whole_lines()?;
            if !over {
                return Ok(self.inner.fill_buf()?.get(..end).unwrap_or_default());
            }
            self.skip_line()?;
        }
        Ok(b"\n")
    }

    fn consume(&mut self, amount: usize) {
        if self.newline_due {
            // `amount` is 0 or the 1 of the newline handed out for the cut.
            if amount > 0 {
                self.newline_due = false;
                self.in_line = 0;
                self.line += 1;
            }
            return;
        }
        if let Ok(buf) = self.inner.fill_buf()
            && let Some(taken) = buf.get(..amount)
        {
            match memchr::memrchr(b'\n', taken) {
                Some(last) => {
                    self.line += memchr::memchr_iter(b'\n', taken).count() as u64;
                    self.in_line = amount - last - 1;
                }
                None => self.in_line += amount,
            }
        }
        self.inner.consume(amount);
    }
}

impl<R: BufRead> Read for Bounded<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let buf = self.fill_buf()?;
        let n = buf.len().min(out.len());
        if let (Some(to), Some(from)) = (out.get_mut(..n), buf.get(..n)) {
            to.copy_from_slice(from);
        }
        self.consume(n);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(input: &[u8], limit: usize) -> (Vec<u8>, Bounded<&[u8]>) {
        let mut bounded = Bounded::new(input, limit);
        let mut out = Vec::new();
        loop {
            let mut line = Vec::new();
            if bounded.read_until(b'\n', &mut line).unwrap() == 0 {
                break;
            }
            out.extend(line);
        }
        (out, bounded)
    }

    #[test]
    fn lines_within_the_limit_pass_unchanged() {
        let input = b"abc\ndefg\n\nhij";
        let (out, mut bounded) = read_all(input, 4);
        assert_eq!(out, input);
        assert!(!bounded.was_cut(1, 4));
    }

    #[test]
    fn a_long_line_is_cut_at_the_limit_and_the_next_lines_read() {
        let input = b"ab\nabcdefghij\ncd\nklmnopqrstuvwxyz";
        let (out, mut bounded) = read_all(input, 4);
        assert_eq!(out, b"ab\nabcd\ncd\nklmn\n");
        assert!(!bounded.was_cut(1, 1));
        assert!(bounded.was_cut(2, 2));
        assert!(!bounded.was_cut(3, 3));
        assert!(bounded.was_cut(4, 4));
    }

    #[test]
    fn lines_are_cut_the_same_through_read_with_any_buffer() {
        let input = b"ab\nabcdefghij\ncd\n";
        for size in 1..20 {
            let mut bounded = Bounded::new(&input[..], 4);
            let mut out = Vec::new();
            let mut chunk = vec![0; size];
            loop {
                let n = bounded.read(&mut chunk).unwrap();
                if n == 0 {
                    break;
                }
                out.extend_from_slice(&chunk[..n]);
            }
            assert_eq!(out, b"ab\nabcd\ncd\n", "buffer of {size}");
        }
    }

    #[test]
    fn lines_are_cut_the_same_over_inner_buffers_of_any_size() {
        // Buffers smaller than the limit take the path that doesn't scan.
        let input = b"ab\nabcdefghij\ncd\nabcd\n";
        for capacity in 1..24 {
            let inner = std::io::BufReader::with_capacity(capacity, &input[..]);
            let mut bounded = Bounded::new(inner, 4);
            let mut out = Vec::new();
            loop {
                let mut line = Vec::new();
                if bounded.read_until(b'\n', &mut line).unwrap() == 0 {
                    break;
                }
                out.extend(line);
            }
            assert_eq!(out, b"ab\nabcd\ncd\nabcd\n", "inner buffer of {capacity}");
            assert!(bounded.was_cut(2, 2) && !bounded.was_cut(3, 4));
        }
    }
}
