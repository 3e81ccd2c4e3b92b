//! Text encodings of customer and order-line files, and the reader that turns
//! them into UTF-8 on the way in.
//!
//! Back offices export their files from Excel on Windows, which writes
//! "Unicode text" as UTF-16 with a byte-order mark, "CSV" in the machine's
//! ANSI code page (windows-1252 in western Europe) and "CSV UTF-8" with a
//! UTF-8 byte-order mark. The CSV reader reads UTF-8; [`decoded`] sits in
//! front of it:
//!
//! - A byte-order mark (UTF-8, UTF-16 LE or BE) is honoured and removed
//!   whatever encoding the caller named: it is written by the program that
//!   wrote the file, the caller's option by someone guessing.
//! - UTF-8, by far the most common, costs nothing: the inner reader's
//!   buffer is passed through as it is. It is not validated here either;
//!   the CSV reader reports a cell that isn't UTF-8 with its line and
//!   column, and [`likely`] says which encoding the cell's bytes look like.
//! - UTF-16 and windows-1252 are decoded by `encoding_rs` (WHATWG), in a
//!   buffer of [`BUFFER`] bytes however large the file. Latin-1 is done
//!   here: WHATWG reads the label `latin1` as windows-1252, while a file
//!   that really is ISO-8859-1 has C1 controls at 0x80–0x9F.
//! - Nothing is lost silently: a malformed UTF-16 sequence (a lone
//!   surrogate, an odd last byte) becomes the byte 0xFF, which is never
//!   valid UTF-8, so the CSV reader refuses exactly the cell it stood in
//!   instead of the text quietly holding U+FFFD.
//! - Every newline of the input is one newline of the output and `\r\n`
//!   stays `\r\n`, so line numbers in messages are the file's. Byte offsets
//!   are the UTF-8 text's, which are the file's only for UTF-8.

use std::fmt;
use std::io::{self, BufRead, Read};
use std::str::FromStr;

use encoding_rs::DecoderResult;

/// The encodings a customer or order-line file may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark: the default.
    Utf8,
    /// UTF-16 little-endian: Excel's "Unicode text" on Windows.
    Utf16Le,
    /// UTF-16 big-endian.
    Utf16Be,
    /// Windows' western European code page (cp1252): Excel's plain "CSV".
    Windows1252,
    /// ISO-8859-1: each byte is the code point of the same number.
    Latin1,
}

/// Every label [`Encoding::from_str`] takes, lowercase.
const LABELS: &[(&str, Encoding)] = &[
    ("utf-8", Encoding::Utf8),
    ("utf8", Encoding::Utf8),
    ("utf-16le", Encoding::Utf16Le),
    ("utf16le", Encoding::Utf16Le),
    ("utf-16be", Encoding::Utf16Be),
    ("utf16be", Encoding::Utf16Be),
    ("windows-1252", Encoding::Windows1252),
    ("cp1252", Encoding::Windows1252),
    ("latin1", Encoding::Latin1),
    ("latin-1", Encoding::Latin1),
    ("iso-8859-1", Encoding::Latin1),
];

impl Encoding {
    /// Every encoding, in the order messages list them.
    pub const ALL: &'static [Encoding] = &[
        Encoding::Utf8,
        Encoding::Utf16Le,
        Encoding::Utf16Be,
        Encoding::Windows1252,
        Encoding::Latin1,
    ];

    /// The name options and messages use; [`Encoding::from_str`] reads it
    /// back.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1252 => "windows-1252",
            Encoding::Latin1 => "latin1",
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for Encoding {
    type Err = UnknownEncoding;

    /// Any case of a label or a common alias: `UTF-8`, `utf8`, `UTF-16LE`,
    /// `cp1252`, `ISO-8859-1`, `latin-1`.
    fn from_str(text: &str) -> Result<Encoding, UnknownEncoding> {
        LABELS
            .iter()
            .find(|(label, _)| label.eq_ignore_ascii_case(text))
            .map(|(_, encoding)| *encoding)
            .ok_or_else(|| UnknownEncoding {
                value: text.to_owned(),
            })
    }
}

/// Text that names none of the encodings: what [`Encoding::from_str`]
/// returns. Its message lists the labels to choose from.
///
/// ```
/// use custclass::Encoding;
///
/// let err = "utf-32".parse::<Encoding>().unwrap_err();
/// assert_eq!(err.code(), "unknown_encoding");
/// assert_eq!(
///     err.to_string(),
///     "`utf-32` is not an encoding; use utf-8, utf-16le, utf-16be, windows-1252 or latin1"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEncoding {
    value: String,
}

impl UnknownEncoding {
    /// The stable code.
    pub const CODE: &'static str = "unknown_encoding";

    /// The stable code, [`UnknownEncoding::CODE`].
    pub fn code(&self) -> &'static str {
        Self::CODE
    }

    /// The text as given.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for UnknownEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not an encoding; use ", self.value)?;
        let count = Encoding::ALL.len();
        for (i, encoding) in Encoding::ALL.iter().enumerate() {
            let separator = match i {
                0 => "",
                _ if i + 1 == count => " or ",
                _ => ", ",
            };
            write!(f, "{separator}{encoding}")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownEncoding {}

/// The size of the UTF-8 buffer of a decoding reader: each refill decodes
/// at most this much, whatever the size of the file.
pub const BUFFER: usize = 32 * 1024;

/// The byte that stands in for a malformed UTF-16 sequence: never valid in
/// UTF-8, so the cell holding it is reported rather than read.
const MALFORMED: u8 = 0xFF;

/// The byte-order marks, each with the encoding it announces.
const BOMS: &[(&[u8], Encoding)] = &[
    (b"\xEF\xBB\xBF", Encoding::Utf8),
    (b"\xFF\xFE", Encoding::Utf16Le),
    (b"\xFE\xFF", Encoding::Utf16Be),
];

/// Wraps `input` so it yields UTF-8: a UTF-8 or UTF-16 LE/BE byte-order
/// mark is honoured (and removed) whatever `encoding` says; without one,
/// `encoding` (None = UTF-8) decides.
///
/// Fails only when reading the first bytes (to look for the mark) fails.
///
/// ```
/// use std::io::Read;
/// use custclass::{Encoding, encoding::decoded};
///
/// // Excel's "Unicode text": UTF-16LE with a byte-order mark.
/// let file = b"\xFF\xFEi\0d\0\t\0n\0a\0m\0e\0\r\0\n\0";
/// let mut text = String::new();
/// decoded(&file[..], None)?.read_to_string(&mut text)?;
/// assert_eq!(text, "id\tname\r\n");
///
/// // Excel's plain "CSV" in western Europe.
/// let mut text = String::new();
/// decoded(&b"M\xFCller;K\xF6ln"[..], Some(Encoding::Windows1252))?.read_to_string(&mut text)?;
/// assert_eq!(text, "Müller;Köln");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn decoded<R: BufRead>(mut input: R, encoding: Option<Encoding>) -> io::Result<Decoded<R>> {
    let (bom, held) = byte_order_mark(&mut input)?;
    let encoding = bom.or(encoding).unwrap_or(Encoding::Utf8);
    let method = match encoding {
        Encoding::Utf8 => None,
        Encoding::Utf16Le => Some(Method::Library(
            encoding_rs::UTF_16LE.new_decoder_without_bom_handling(),
        )),
        Encoding::Utf16Be => Some(Method::Library(
            encoding_rs::UTF_16BE.new_decoder_without_bom_handling(),
        )),
        Encoding::Windows1252 => Some(Method::Library(
            encoding_rs::WINDOWS_1252.new_decoder_without_bom_handling(),
        )),
        Encoding::Latin1 => Some(Method::Latin1),
    };
    Ok(Decoded {
        source: Source { held, inner: input },
        encoding,
        from_bom: bom.is_some(),
        transcoder: method.map(|method| {
            Box::new(Transcoder {
                method,
                out: vec![0; BUFFER].into_boxed_slice(),
                start: 0,
                end: 0,
                finished: false,
            })
        }),
    })
}

/// Reads a byte-order mark off the front of `input`, byte by byte so that a
/// mark split across the inner reader's refills is still found. The bytes
/// that began like a mark but weren't one come back to be read first.
fn byte_order_mark<R: BufRead>(input: &mut R) -> io::Result<(Option<Encoding>, Held)> {
    let mut held = Held::default();
    while let Some(&byte) = input.fill_buf()?.first() {
        let mut bytes = held.bytes;
        let Some(slot) = bytes.get_mut(held.end) else {
            break;
        };
        *slot = byte;
        let seen = bytes.get(..held.end + 1).unwrap_or_default();
        if !BOMS.iter().any(|(mark, _)| mark.starts_with(seen)) {
            break;
        }
        input.consume(1);
        if let Some((_, encoding)) = BOMS.iter().find(|(mark, _)| *mark == seen) {
            return Ok((Some(*encoding), Held::default()));
        }
        held.bytes = bytes;
        held.end += 1;
    }
    Ok((None, held))
}

/// A reader of UTF-8 from a file in any of the [`Encoding`]s, made by
/// [`decoded`].
pub struct Decoded<R> {
    source: Source<R>,
    encoding: Encoding,
    from_bom: bool,
    /// None for UTF-8, which is passed through.
    transcoder: Option<Box<Transcoder>>,
}

impl<R> Decoded<R> {
    /// The encoding the input is read in: the byte-order mark's, else the
    /// one asked for, else UTF-8.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Whether the encoding came from a byte-order mark rather than the
    /// caller (for a message that says why a file was read as it was).
    pub fn from_bom(&self) -> bool {
        self.from_bom
    }
}

impl<R: fmt::Debug> fmt::Debug for Decoded<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Decoded")
            .field("inner", &self.source.inner)
            .field("encoding", &self.encoding)
            .field("from_bom", &self.from_bom)
            .finish_non_exhaustive()
    }
}

impl<R: BufRead> BufRead for Decoded<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        match &mut self.transcoder {
            None => self.source.fill_buf(),
            Some(transcoder) => {
                if transcoder.start == transcoder.end {
                    transcoder.refill(&mut self.source)?;
                }
                Ok(transcoder
                    .out
                    .get(transcoder.start..transcoder.end)
                    .unwrap_or_default())
            }
        }
    }

    fn consume(&mut self, amount: usize) {
        match &mut self.transcoder {
            None => self.source.consume(amount),
            Some(transcoder) => {
                transcoder.start = transcoder.end.min(transcoder.start + amount);
            }
        }
    }
}

impl<R: BufRead> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.transcoder.is_none() {
            return self.source.read(buf);
        }
        let available = self.fill_buf()?;
        let amount = available.len().min(buf.len());
        buf.iter_mut()
            .zip(available)
            .for_each(|(to, from)| *to = *from);
        self.consume(amount);
        Ok(amount)
    }
}

/// Up to three bytes read while looking for a byte-order mark that turned
/// out not to be one: the start of the text.
#[derive(Debug, Default)]
struct Held {
    bytes: [u8; 3],
    start: usize,
    end: usize,
}

impl Held {
    fn bytes(&self) -> &[u8] {
        self.bytes.get(self.start..self.end).unwrap_or_default()
    }
}

/// The input as it is: the held bytes, then the inner reader's.
struct Source<R> {
    held: Held,
    inner: R,
}

impl<R: BufRead> Read for Source<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.held.start == self.held.end {
            return self.inner.read(buf);
        }
        let held = self.held.bytes();
        let amount = held.len().min(buf.len());
        buf.iter_mut().zip(held).for_each(|(to, from)| *to = *from);
        self.held.start += amount;
        Ok(amount)
    }
}

impl<R: BufRead> BufRead for Source<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.held.start == self.held.end {
            self.inner.fill_buf()
        } else {
            Ok(self.held.bytes())
        }
    }

    fn consume(&mut self, amount: usize) {
        if self.held.start == self.held.end {
            self.inner.consume(amount);
        } else {
            self.held.start = self.held.end.min(self.held.start + amount);
        }
    }
}

enum Method {
    Library(encoding_rs::Decoder),
    Latin1,
}

/// The decoded UTF-8 of an encoding other than UTF-8, a buffer at a time.
struct Transcoder {
    method: Method,
    out: Box<[u8]>,
    start: usize,
    end: usize,
    /// The decoder has seen the end of the input and given all it had.
    finished: bool,
}

impl Transcoder {
    /// Decodes the next stretch of input into `out`, which has been read;
    /// leaves it empty only at the end of the input.
    fn refill<R: BufRead>(&mut self, source: &mut Source<R>) -> io::Result<()> {
        self.start = 0;
        self.end = 0;
        // Each turn consumes input, writes output or finishes: a code unit
        // split across the inner reader's refills waits in the decoder.
        while self.end == 0 && !self.finished {
            let input = source.fill_buf()?;
            let last = input.is_empty();
            let (read, written) = match &mut self.method {
                Method::Library(decoder) => {
                    // One byte kept free for a malformed sequence's stand-in.
                    let room = self.out.len().saturating_sub(1);
                    let out = self.out.get_mut(..room).unwrap_or_default();
                    let (result, read, mut written) =
                        decoder.decode_to_utf8_without_replacement(input, out, last);
                    match result {
                        DecoderResult::InputEmpty => self.finished = last,
                        DecoderResult::OutputFull => {}
                        DecoderResult::Malformed(..) => {
                            if let Some(slot) = self.out.get_mut(written) {
                                *slot = MALFORMED;
                                written += 1;
                            }
                        }
                    }
                    (read, written)
                }
                Method::Latin1 => {
                    self.finished = last;
                    latin1(input, &mut self.out)
                }
            };
            source.consume(read);
            self.end = written;
        }
        Ok(())
    }
}

/// ISO-8859-1 to UTF-8: as much of `input` as fits in `out`; how many bytes
/// were read and written.
fn latin1(input: &[u8], out: &mut [u8]) -> (usize, usize) {
    let mut written = 0;
    for (read, &byte) in input.iter().enumerate() {
        if byte.is_ascii() {
            let Some(slot) = out.get_mut(written) else {
                return (read, written);
            };
            *slot = byte;
            written += 1;
        } else {
            let Some([high, low]) = out.get_mut(written..written + 2) else {
                return (read, written);
            };
            *high = 0xC0 | byte >> 6;
            *low = 0x80 | (byte & 0x3F);
            written += 2;
        }
    }
    (input.len(), written)
}

/// For a cell or line that is not valid UTF-8: the encoding the bytes most
/// likely are in, for the message that suggests it (None: no good guess).
///
/// Every other byte NUL is UTF-16, mostly Latin text: the NULs in the odd
/// places make it little-endian, in the even places big-endian. (For a cell
/// cut out of the middle of a line the byte order is a guess; a whole line
/// gives the right one.) High bytes that aren't UTF-8 in plain text are
/// windows-1252. Latin-1 is never the guess: it differs from windows-1252
/// only at 0x80–0x9F, where it has control characters, which text doesn't
/// hold. Bytes with other control characters are no text at all (a
/// spreadsheet saved as `.xlsx`, say): None. Valid UTF-8 is [`Encoding::Utf8`].
///
/// ```
/// use custclass::{Encoding, encoding::likely};
///
/// assert_eq!(likely(b"M\xFCller"), Some(Encoding::Windows1252));
/// assert_eq!(likely(b"M\0\xFC\0l\0l\0e\0r\0"), Some(Encoding::Utf16Le));
/// assert_eq!(likely(b"PK\x03\x04\x14\0\x06\0\x08\0\0\0"), None);
/// ```
pub fn likely(bytes: &[u8]) -> Option<Encoding> {
    if let Some(utf16) = utf16(bytes) {
        return Some(utf16);
    }
    if bytes.iter().any(|byte| control(u16::from(*byte))) {
        return None;
    }
    if std::str::from_utf8(bytes).is_ok() {
        return Some(Encoding::Utf8);
    }
    // The five bytes windows-1252 leaves undefined.
    let undefined = |byte: &u8| matches!(byte, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D);
    if bytes.iter().any(undefined) {
        return None;
    }
    Some(Encoding::Windows1252)
}

/// UTF-16 of either byte order, if most code units have a NUL high byte
/// and none is a control character.
fn utf16(bytes: &[u8]) -> Option<Encoding> {
    if bytes.len() < 2 {
        return None;
    }
    let nuls_at = |parity: usize| {
        bytes
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|byte| **byte == 0)
            .count()
    };
    let (even, odd) = (nuls_at(0), nuls_at(1));
    let (order, nuls, places) = if odd > even {
        (Encoding::Utf16Le, odd, bytes.len() / 2)
    } else if even > odd {
        (Encoding::Utf16Be, even, bytes.len().div_ceil(2))
    } else {
        return None;
    };
    if nuls * 2 < places {
        return None;
    }
    let unit = |pair: &[u8]| match (order, pair) {
        (Encoding::Utf16Le, [low, high]) => u16::from_le_bytes([*low, *high]),
        (_, [high, low]) => u16::from_be_bytes([*high, *low]),
        _ => 0,
    };
    let text = bytes.chunks_exact(2).all(|pair| !control(unit(pair)));
    text.then_some(order)
}

/// A control character that text doesn't hold (anything below a space but
/// tab, newline, form feed and carriage return).
fn control(unit: u16) -> bool {
    unit < 0x20 && !matches!(unit, 0x09 | 0x0A | 0x0C | 0x0D)
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::indexing_slicing,
        reason = "test code: a failed unwrap or index is a failed test"
    )]

    use super::*;
    use std::io::BufReader;

    use proptest::prelude::*;

    /// All of `bytes` read through `decoded` with `read_to_end`, the inner
    /// reader's buffer `capacity` bytes.
    fn decode(bytes: &[u8], encoding: Option<Encoding>, capacity: usize) -> Vec<u8> {
        let inner = BufReader::with_capacity(capacity, bytes);
        let mut out = Vec::new();
        decoded(inner, encoding)
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    /// The same through `BufRead`, a line at a time.
    fn decode_lines(bytes: &[u8], encoding: Option<Encoding>, capacity: usize) -> Vec<Vec<u8>> {
        let inner = BufReader::with_capacity(capacity, bytes);
        let mut reader = decoded(inner, encoding).unwrap();
        let mut lines = Vec::new();
        loop {
            let mut line = Vec::new();
            if reader.read_until(b'\n', &mut line).unwrap() == 0 {
                return lines;
            }
            lines.push(line);
        }
    }

    fn utf16le(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    fn utf16be(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_be_bytes).collect()
    }

    fn with(prefix: &[u8], body: &[u8]) -> Vec<u8> {
        [prefix, body].concat()
    }

    const TEXT: &str = "id;name;city\r\n10001;Müller GmbH;Köln\r\n10002;Œuvre € 😀;Zürich\n";

    #[test]
    fn each_byte_order_mark_is_read_and_removed() {
        let cases = [
            (with(b"\xEF\xBB\xBF", TEXT.as_bytes()), Encoding::Utf8),
            (with(b"\xFF\xFE", &utf16le(TEXT)), Encoding::Utf16Le),
            (with(b"\xFE\xFF", &utf16be(TEXT)), Encoding::Utf16Be),
        ];
        for (bytes, encoding) in cases {
            let reader = decoded(&bytes[..], None).unwrap();
            assert_eq!((reader.encoding(), reader.from_bom()), (encoding, true));
            assert_eq!(decode(&bytes, None, 8192), TEXT.as_bytes(), "{encoding}");
        }
    }

    #[test]
    fn each_encoding_given_explicitly() {
        let cp1252 = b"10001;M\xFCller;\x80 5;\x9Cuvre\r\n".to_vec();
        let latin1: Vec<u8> = "10001;Müller;½ ÿ\r\n".chars().map(|c| c as u8).collect();
        let cases = [
            (TEXT.as_bytes().to_vec(), Encoding::Utf8, TEXT),
            (utf16le(TEXT), Encoding::Utf16Le, TEXT),
            (utf16be(TEXT), Encoding::Utf16Be, TEXT),
            (cp1252, Encoding::Windows1252, "10001;Müller;€ 5;œuvre\r\n"),
            (latin1, Encoding::Latin1, "10001;Müller;½ ÿ\r\n"),
        ];
        for (bytes, encoding, text) in cases {
            let reader = decoded(&bytes[..], Some(encoding)).unwrap();
            assert_eq!((reader.encoding(), reader.from_bom()), (encoding, false));
            assert_eq!(decode(&bytes, Some(encoding), 8192), text.as_bytes());
        }
    }

    #[test]
    fn latin1_keeps_the_c1_controls_windows_1252_would_print() {
        let bytes = b"\x80\x9F\xA0";
        assert_eq!(
            decode(bytes, Some(Encoding::Latin1), 8192),
            "\u{80}\u{9F}\u{A0}".as_bytes()
        );
        assert_eq!(
            decode(bytes, Some(Encoding::Windows1252), 8192),
            "€Ÿ\u{A0}".as_bytes()
        );
    }

    #[test]
    fn a_byte_order_mark_overrides_the_option() {
        let bytes = with(b"\xFF\xFE", &utf16le(TEXT));
        for option in [Encoding::Utf8, Encoding::Windows1252, Encoding::Utf16Be] {
            let reader = decoded(&bytes[..], Some(option)).unwrap();
            assert_eq!(reader.encoding(), Encoding::Utf16Le);
            assert_eq!(decode(&bytes, Some(option), 8192), TEXT.as_bytes());
        }
        let bytes = with(b"\xEF\xBB\xBF", TEXT.as_bytes());
        let reader = decoded(&bytes[..], Some(Encoding::Windows1252)).unwrap();
        assert_eq!(reader.encoding(), Encoding::Utf8);
        assert_eq!(
            decode(&bytes, Some(Encoding::Latin1), 8192),
            TEXT.as_bytes()
        );
    }

    #[test]
    fn the_start_of_a_mark_that_isnt_one_is_kept() {
        // windows-1252 "ï»" (EF BB) and "ÿ" (FF) begin like marks.
        for (bytes, text) in [
            (&b"\xEF\xBB!"[..], "ï»!"),
            (b"\xEF", "ï"),
            (b"\xFFa", "ÿa"),
            (b"\xFE", "þ"),
            (b"", ""),
        ] {
            for capacity in 1..=7 {
                let out = decode(bytes, Some(Encoding::Windows1252), capacity);
                assert_eq!(out, text.as_bytes(), "{bytes:?} at {capacity}");
                assert_eq!(decode(bytes, None, capacity), bytes);
            }
        }
    }

    #[test]
    fn utf8_is_passed_through_without_a_copy() {
        let bytes = with(b"\xEF\xBB\xBF", b"id\n10001;M\xFCller\n");
        let mut reader = decoded(&bytes[..], None).unwrap();
        let buffer = reader.fill_buf().unwrap();
        // The inner reader's own bytes, not a copy, and not validated.
        assert_eq!(buffer.as_ptr(), bytes[3..].as_ptr());
        assert_eq!(buffer, b"id\n10001;M\xFCller\n");
    }

    #[test]
    fn every_inner_buffer_size_gives_the_same_text() {
        let long = TEXT.repeat(50);
        let cases = [
            (with(b"\xEF\xBB\xBF", long.as_bytes()), None),
            (long.as_bytes().to_vec(), None),
            (with(b"\xFF\xFE", &utf16le(&long)), None),
            (with(b"\xFE\xFF", &utf16be(&long)), None),
            (utf16le(&long), Some(Encoding::Utf16Le)),
            (utf16be(&long), Some(Encoding::Utf16Be)),
            (
                b"M\xFCller;\x80\r\n".repeat(100),
                Some(Encoding::Windows1252),
            ),
            (b"M\xFCller;\xBD\r\n".repeat(100), Some(Encoding::Latin1)),
        ];
        for (bytes, encoding) in cases {
            let whole = decode(&bytes, encoding, 8192);
            let lines = decode_lines(&bytes, encoding, 8192);
            assert_eq!(lines.concat(), whole);
            for capacity in 1..=7 {
                assert_eq!(decode(&bytes, encoding, capacity), whole, "{capacity}");
                assert_eq!(decode_lines(&bytes, encoding, capacity), lines);
            }
        }
    }

    #[test]
    fn output_longer_than_the_buffer_comes_whole() {
        // 3 UTF-8 bytes per 2 UTF-16 bytes: many refills of the buffer.
        let text = "€".repeat(3 * BUFFER) + "\n";
        let bytes = with(b"\xFF\xFE", &utf16le(&text));
        assert_eq!(decode(&bytes, None, 8192), text.as_bytes());
        let bytes: Vec<u8> = [0xE9u8].repeat(BUFFER + 1);
        let text = "é".repeat(BUFFER + 1);
        assert_eq!(
            decode(&bytes, Some(Encoding::Latin1), 8192),
            text.as_bytes()
        );
    }

    #[test]
    fn newlines_stay_where_they_were() {
        let text = "a\r\nb\nc\rd\r\n\n";
        for bytes in [with(b"\xFF\xFE", &utf16le(text)), utf16be(text)] {
            let lines = decode_lines(&bytes, Some(Encoding::Utf16Be), 3);
            assert_eq!(
                lines,
                [&b"a\r\n"[..], b"b\n", b"c\rd\r\n", b"\n"].map(<[u8]>::to_vec)
            );
        }
    }

    #[test]
    fn a_lone_surrogate_becomes_an_invalid_byte_and_the_rest_is_kept() {
        // "ab;" then a high surrogate without its low half, then ";cd\n".
        let mut units: Vec<u16> = "ab;".encode_utf16().collect();
        units.push(0xD83D);
        units.extend(";cd\n".encode_utf16());
        let bytes: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
        for capacity in 1..=7 {
            let out = decode(&with(b"\xFF\xFE", &bytes), None, capacity);
            assert_eq!(out, b"ab;\xFF;cd\n", "{capacity}");
        }
        // A low surrogate alone, big-endian.
        let bytes = [0x00, b'x', 0xDC, 0x00, 0x00, b'y'];
        assert_eq!(decode(&bytes, Some(Encoding::Utf16Be), 8192), b"x\xFFy");
    }

    #[test]
    fn an_odd_last_byte_becomes_an_invalid_byte() {
        let bytes = with(&utf16le("ab"), b"c");
        for capacity in 1..=7 {
            let out = decode(&bytes, Some(Encoding::Utf16Le), capacity);
            assert_eq!(out, b"ab\xFF");
        }
    }

    #[test]
    fn likely_guesses_windows_1252_and_utf16() {
        assert_eq!(likely(b"M\xFCller"), Some(Encoding::Windows1252));
        assert_eq!(
            likely(b"10001;M\xFCller GmbH;\x80 12,50\r\n"),
            Some(Encoding::Windows1252)
        );
        assert_eq!(likely(&utf16le("id;name\r\n")), Some(Encoding::Utf16Le));
        assert_eq!(likely(&utf16be("id;name\r\n")), Some(Encoding::Utf16Be));
        assert_eq!(likely(&utf16le("Müller")), Some(Encoding::Utf16Le));
        assert_eq!(likely("Müller".as_bytes()), Some(Encoding::Utf8));
        // No text: NULs and control characters, bytes undefined in cp1252.
        assert_eq!(likely(b"PK\x03\x04\x14\0\x06\0\x08\0\0\0"), None);
        assert_eq!(likely(b"\x01\x02\xFC"), None);
        assert_eq!(likely(b"M\x81ller"), None);
        assert_eq!(likely(b"\0"), None);
    }

    #[test]
    fn labels_read_back_in_any_case() {
        for encoding in Encoding::ALL {
            assert_eq!(encoding.label().parse::<Encoding>().unwrap(), *encoding);
            assert_eq!(encoding.to_string(), encoding.label());
        }
        for (text, encoding) in [
            ("UTF-8", Encoding::Utf8),
            ("utf8", Encoding::Utf8),
            ("UTF-16LE", Encoding::Utf16Le),
            ("utf16le", Encoding::Utf16Le),
            ("Utf-16Be", Encoding::Utf16Be),
            ("Windows-1252", Encoding::Windows1252),
            ("CP1252", Encoding::Windows1252),
            ("Latin-1", Encoding::Latin1),
            ("ISO-8859-1", Encoding::Latin1),
        ] {
            assert_eq!(text.parse::<Encoding>().unwrap(), encoding, "{text}");
        }
    }

    #[test]
    fn an_unknown_label_lists_the_choices() {
        let err = "ansi".parse::<Encoding>().unwrap_err();
        assert_eq!((err.code(), err.value()), ("unknown_encoding", "ansi"));
        let message = err.to_string();
        for encoding in Encoding::ALL {
            assert!(message.contains(encoding.label()), "{message}");
        }
        assert!(" utf-8".parse::<Encoding>().is_err());
    }

    proptest! {
        #[test]
        fn utf16_with_a_mark_decodes_back(text in any::<String>(), capacity in 1usize..=9) {
            let le = with(b"\xFF\xFE", &utf16le(&text));
            prop_assert_eq!(decode(&le, None, capacity), text.as_bytes());
            let be = with(b"\xFE\xFF", &utf16be(&text));
            prop_assert_eq!(decode(&be, Some(Encoding::Utf8), capacity), text.as_bytes());
        }

        #[test]
        fn latin1_decodes_back(
            text in proptest::collection::vec(any::<u8>(), 0..300)
                .prop_map(|bytes| bytes.into_iter().map(char::from).collect::<String>()),
            capacity in 1usize..=9,
        ) {
            let bytes: Vec<u8> = text.chars().map(|c| c as u8).collect();
            // Text that begins with a byte-order mark is read by the mark.
            prop_assume!(!BOMS.iter().any(|(mark, _)| bytes.starts_with(mark)));
            prop_assert_eq!(decode(&bytes, Some(Encoding::Latin1), capacity), text.as_bytes());
        }
    }
}
