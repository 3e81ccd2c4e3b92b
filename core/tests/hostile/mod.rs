//! Hostile customer files made as they are read, so that a test of 100 MB
//! of input holds none of it.

use std::io::{BufRead, BufReader, Read};

/// How much filler a generated file holds.
pub const HUNDRED_MB: u64 = 100 << 20;

/// `head`, then `fill` to 100 MB with a newline every `every` bytes (never
/// when 0), then `tail`, made as it is read.
pub fn generated(head: &'static str, every: usize, tail: &'static str) -> impl BufRead {
    struct Fill {
        left: u64,
        every: usize,
        at: usize,
    }
    impl Read for Fill {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = out
                .len()
                .min(usize::try_from(self.left).unwrap_or(usize::MAX));
            for byte in out.iter_mut().take(n) {
                self.at += 1;
                *byte = if self.every > 0 && self.at.is_multiple_of(self.every) {
                    b'\n'
                } else {
                    b'x'
                };
            }
            self.left -= n as u64;
            Ok(n)
        }
    }
    let fill = Fill {
        left: HUNDRED_MB,
        every,
        at: 0,
    };
    BufReader::new(head.as_bytes().chain(fill).chain(tail.as_bytes()))
}
