//! Text into the table's sorted dictionary, code to code: each distinct
//! text a row uses is checked once, the texts kept are sorted into the
//! dictionary, and each row's code is then one look-up in a table of codes
//! (an Arrow dictionary's keys, or the codes of distinct texts gathered
//! from plain strings), written straight in the narrowest width. No text
//! is copied per row; a dictionary value no row uses is never looked at.

use std::borrow::Cow;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    ArrowDictionaryKeyType, Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type, UInt16Type,
    UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef};
use arrow_buffer::{ArrowNativeType, NullBuffer};
use arrow_schema::DataType;
use rustc_hash::FxHashMap;

use super::read::{Bad, Kind};
use super::valid;
use crate::scalar;
use crate::table::column::Codes;
use crate::table::strings::Strings;
use crate::table::{TextColumn, stored_text};

/// What a distinct text becomes in the table.
enum Verdict<'a> {
    /// No value (blank text, an empty `manual` list).
    Null,
    /// The text the column stores.
    Stored(Cow<'a, str>),
    /// A value the field can't take: the rows with it are bad cells.
    Refused(String),
}

/// The distinct texts of a column, each checked once, then sorted into the
/// table's dictionary. A text is known by its verdict number (from 1; 0 is
/// null).
pub(super) struct Checked<'a> {
    name: String,
    kind: Kind,
    verdicts: Vec<Verdict<'a>>,
    seen: FxHashMap<&'a str, u32>,
    /// Per verdict number, the dictionary code (after [`Checked::sort`]).
    codes: Vec<u32>,
    values: Strings,
}

impl<'a> Checked<'a> {
    pub(super) fn new(name: &str, kind: Kind) -> Checked<'a> {
        Checked {
            name: name.to_owned(),
            kind,
            verdicts: Vec::new(),
            seen: FxHashMap::default(),
            codes: Vec::new(),
            values: Strings::default(),
        }
    }

    /// The verdict number of `text`, checked the first time it comes.
    pub(super) fn verdict(&mut self, text: &'a str) -> u32 {
        if let Some(&number) = self.seen.get(text) {
            return number;
        }
        let verdict = if scalar::is_blank(text) {
            Verdict::Null
        } else if self.kind == Kind::Text {
            Verdict::Stored(Cow::Borrowed(text))
        } else {
            match stored_text(&self.name, text) {
                Ok(Some(stored)) if stored == text => Verdict::Stored(Cow::Borrowed(text)),
                Ok(Some(stored)) => Verdict::Stored(Cow::Owned(stored)),
                Ok(None) => Verdict::Null,
                Err(message) => Verdict::Refused(message),
            }
        };
        self.verdicts.push(verdict);
        let number = self.verdicts.len() as u32;
        self.seen.insert(text, number);
        number
    }

    /// Sorts the stored texts into the dictionary (equal ones once).
    pub(super) fn sort(&mut self) {
        let mut order: Vec<(&str, usize)> = self
            .verdicts
            .iter()
            .enumerate()
            .filter_map(|(at, verdict)| match verdict {
                Verdict::Stored(text) => Some((&**text, at)),
                _ => None,
            })
            .collect();
        order.sort_unstable();
        let mut codes = vec![0; self.verdicts.len() + 1];
        let mut values = Strings::default();
        let mut last: Option<&str> = None;
        for (text, at) in order {
            if last != Some(text) {
                values.push(text);
                last = Some(text);
            }
            if let Some(code) = codes.get_mut(at + 1) {
                *code = values.len() as u32;
            }
        }
        self.codes = codes;
        self.values = values;
    }

    /// The dictionary code of verdict `number` (0 for null and refused).
    pub(super) fn code(&self, number: u32) -> u32 {
        self.codes.get(number as usize).copied().unwrap_or(0)
    }

    /// Why verdict `number` was refused, if it was.
    pub(super) fn refusal(&self, number: u32) -> Option<&str> {
        match self.verdicts.get((number as usize).checked_sub(1)?)? {
            Verdict::Refused(message) => Some(message),
            _ => None,
        }
    }

    /// The dictionary's size, after [`Checked::sort`].
    pub(super) fn len(&self) -> usize {
        self.values.len()
    }

    /// The column: the sorted dictionary and `codes`.
    pub(super) fn finish(self, codes: Codes) -> TextColumn {
        TextColumn {
            values: self.values,
            codes,
            sorted: true,
        }
    }
}

/// A dictionary code in the width of a column's codes.
pub(super) trait Code: Copy + Default + TryFrom<u32> {}
impl Code for u8 {}
impl Code for u16 {}
impl Code for u32 {}

/// `code` in the width `C` (0 if it doesn't fit, which the width chosen
/// for the dictionary's size rules out).
pub(super) fn narrow<C: Code>(code: u32) -> C {
    C::try_from(code).unwrap_or_default()
}

/// Codes of the width the dictionary's size needs, from `fill` (which
/// writes the rows' codes, given the width).
pub(super) fn in_width(size: usize, rows: usize, fill: &mut dyn FnMut(&mut dyn Sink)) -> Codes {
    if size <= usize::from(u8::MAX) {
        let mut codes = Vec::with_capacity(rows);
        fill(&mut codes);
        Codes::U8(codes)
    } else if size <= usize::from(u16::MAX) {
        let mut codes = Vec::with_capacity(rows);
        fill(&mut codes);
        Codes::U16(codes)
    } else {
        let mut codes = Vec::with_capacity(rows);
        fill(&mut codes);
        Codes::U32(codes)
    }
}

/// Where rows' codes go, whatever their width: a chunk at a time, through a
/// table from the chunk's own numbers (its dictionary keys or codes) to the
/// column's.
pub(super) trait Sink {
    /// Appends `len` null rows.
    fn nulls(&mut self, len: usize);
    /// Appends a row per key: `table[key]` (0 for a key past it), 0 for a
    /// null row.
    fn keys(&mut self, keys: Keys<'_>, nulls: Option<&NullBuffer>, table: &[u32]);
}

/// A chunk's keys in their own width.
#[derive(Debug, Clone, Copy)]
pub(super) enum Keys<'k> {
    I8(&'k [i8]),
    I16(&'k [i16]),
    I32(&'k [i32]),
    I64(&'k [i64]),
    U8(&'k [u8]),
    U16(&'k [u16]),
    U32(&'k [u32]),
    U64(&'k [u64]),
}

macro_rules! each_width {
    ($keys:expr, |$slice:ident| $body:expr) => {
        match $keys {
            Keys::I8($slice) => $body,
            Keys::I16($slice) => $body,
            Keys::I32($slice) => $body,
            Keys::I64($slice) => $body,
            Keys::U8($slice) => $body,
            Keys::U16($slice) => $body,
            Keys::U32($slice) => $body,
            Keys::U64($slice) => $body,
        }
    };
}

impl Keys<'_> {
    /// Calls `key` with the key (as an index) of each row `nulls` says is
    /// valid, in order, with the row.
    pub(super) fn each_valid(&self, nulls: Option<&NullBuffer>, mut key: impl FnMut(usize, usize)) {
        each_width!(*self, |slice| {
            valid::each_valid(slice.len(), nulls, |row| {
                if let Some(k) = slice.get(row) {
                    key(row, k.as_usize());
                }
            })
        })
    }

    /// Marks `used[key + 1]` for the key of each valid row (`used[0]` for
    /// the null rows): one pass without a branch per row.
    pub(super) fn mark_used(&self, nulls: Option<&NullBuffer>, used: &mut [bool]) {
        each_width!(*self, |slice| {
            each_slot(slice, nulls, |slot| {
                if let Some(used) = used.get_mut(slot) {
                    *used = true;
                }
            })
        })
    }
}

/// Calls `slot` with `key + 1` for each valid row's key and 0 for each null
/// row, in order: the validity bit multiplies, so a word of rows is one
/// tight loop whatever its nulls.
fn each_slot<K: ArrowNativeType>(
    keys: &[K],
    nulls: Option<&NullBuffer>,
    mut slot: impl FnMut(usize),
) {
    let place = |key: &K| key.as_usize().wrapping_add(1);
    match nulls.filter(|nulls| nulls.null_count() > 0) {
        None => keys.iter().for_each(|key| slot(place(key))),
        Some(nulls) => {
            let words = nulls.inner().bit_chunks().iter_padded();
            for (keys, word) in keys.chunks(64).zip(words) {
                for (bit, key) in keys.iter().enumerate() {
                    slot(place(key) * (word >> bit & 1) as usize);
                }
            }
        }
    }
}

impl<C: Code> Sink for Vec<C> {
    fn nulls(&mut self, len: usize) {
        self.extend(std::iter::repeat_n(C::default(), len));
    }

    fn keys(&mut self, keys: Keys<'_>, nulls: Option<&NullBuffer>, table: &[u32]) {
        // Slot 0 for the null rows, key k at k + 1.
        let table: Vec<C> = std::iter::once(C::default())
            .chain(table.iter().map(|&code| narrow(code)))
            .collect();
        each_width!(keys, |slice| gather(slice, nulls, &table, self));
    }
}

/// `table[key + 1]` per valid row's key, `table[0]` per null row, in one
/// tight pass: the validity bit multiplies the slot, 64 rows to a word.
fn gather<K: ArrowNativeType, C: Code>(
    keys: &[K],
    nulls: Option<&NullBuffer>,
    table: &[C],
    out: &mut Vec<C>,
) {
    let at = |slot: usize| table.get(slot).copied().unwrap_or_default();
    let place = |key: &K| key.as_usize().wrapping_add(1);
    match nulls.filter(|nulls| nulls.null_count() > 0) {
        None => out.extend(keys.iter().map(|key| at(place(key)))),
        Some(nulls) => {
            let words = nulls.inner().bit_chunks().iter_padded();
            for (keys, word) in keys.chunks(64).zip(words) {
                out.extend(
                    keys.iter()
                        .enumerate()
                        .map(|(bit, key)| at(place(key) * (word >> bit & 1) as usize)),
                );
            }
        }
    }
}

/// The keys and their validity of a dictionary chunk.
fn keys_of(chunk: &ArrayRef) -> Option<(Keys<'_>, Option<&NullBuffer>)> {
    fn typed<K: ArrowDictionaryKeyType>(
        chunk: &ArrayRef,
    ) -> Option<(&[K::Native], Option<&NullBuffer>)> {
        let keys = chunk.as_dictionary_opt::<K>()?.keys();
        Some((keys.values(), keys.nulls()))
    }
    let DataType::Dictionary(key, _) = chunk.data_type() else {
        return None;
    };
    Some(match key.as_ref() {
        DataType::Int8 => typed::<Int8Type>(chunk).map(|(k, n)| (Keys::I8(k), n))?,
        DataType::Int16 => typed::<Int16Type>(chunk).map(|(k, n)| (Keys::I16(k), n))?,
        DataType::Int32 => typed::<Int32Type>(chunk).map(|(k, n)| (Keys::I32(k), n))?,
        DataType::Int64 => typed::<Int64Type>(chunk).map(|(k, n)| (Keys::I64(k), n))?,
        DataType::UInt8 => typed::<UInt8Type>(chunk).map(|(k, n)| (Keys::U8(k), n))?,
        DataType::UInt16 => typed::<UInt16Type>(chunk).map(|(k, n)| (Keys::U16(k), n))?,
        DataType::UInt32 => typed::<UInt32Type>(chunk).map(|(k, n)| (Keys::U32(k), n))?,
        DataType::UInt64 => typed::<UInt64Type>(chunk).map(|(k, n)| (Keys::U64(k), n))?,
        _ => return None,
    })
}

/// The value at a place of a dictionary's values (strings of any kind);
/// `None` for a null value.
pub(super) fn text_values<'a>(
    values: &'a ArrayRef,
) -> Option<Box<dyn Fn(usize) -> Option<&'a str> + 'a>> {
    fn at<'a, T: Array>(array: &T, at: usize, value: impl Fn(usize) -> &'a str) -> Option<&'a str> {
        (at < array.len() && array.is_valid(at)).then(|| value(at))
    }
    Some(match values.data_type() {
        DataType::Utf8 => {
            let strings = values.as_string_opt::<i32>()?;
            Box::new(move |i| at(strings, i, |i| strings.value(i)))
        }
        DataType::LargeUtf8 => {
            let strings = values.as_string_opt::<i64>()?;
            Box::new(move |i| at(strings, i, |i| strings.value(i)))
        }
        DataType::Utf8View => {
            let strings = values.as_string_view_opt()?;
            Box::new(move |i| at(strings, i, |i| strings.value(i)))
        }
        _ => return None,
    })
}

/// One chunk of a dictionary column: its keys, and per dictionary value the
/// verdict number of its text (0 for a value no row uses, or null).
struct Chunk<'a> {
    len: usize,
    keys: Option<(Keys<'a>, Option<&'a NullBuffer>)>,
    verdicts: Vec<u32>,
}

/// Reads a column whose chunks are all dictionaries of strings (or all
/// null) code to code; `None` for any other column.
pub(super) fn dictionary_column(
    name: &str,
    kind: Kind,
    chunks: &[&ArrayRef],
    rows: usize,
    bad: &mut Vec<Bad>,
) -> Option<TextColumn> {
    let mut checked = Checked::new(name, kind);
    let mut read: Vec<Chunk<'_>> = Vec::with_capacity(chunks.len());
    for &chunk in chunks {
        if chunk.data_type() == &DataType::Null {
            read.push(Chunk {
                len: chunk.len(),
                keys: None,
                verdicts: Vec::new(),
            });
            continue;
        }
        let values = chunk.as_any_dictionary_opt()?.values();
        let text = text_values(values)?;
        let (keys, nulls) = keys_of(chunk)?;
        // A dictionary as large as its chunk has its used values found
        // first; a small one has each value checked, and the values no row
        // has leave at the end, found from the codes.
        let mut used = vec![true; values.len() + 1];
        if values.len().saturating_mul(4) > chunk.len() {
            used.fill(false);
            keys.mark_used(nulls, &mut used);
        }
        let verdicts = used
            .iter()
            .skip(1)
            .enumerate()
            .map(|(at, &used)| match used.then(|| text(at)).flatten() {
                Some(text) => checked.verdict(text),
                None => 0,
            })
            .collect();
        read.push(Chunk {
            len: chunk.len(),
            keys: Some((keys, nulls)),
            verdicts,
        });
    }
    checked.sort();
    let mut start = 0;
    for chunk in &read {
        if let Some((keys, nulls)) = chunk.keys
            && chunk.verdicts.iter().any(|&v| checked.refusal(v).is_some())
        {
            keys.each_valid(nulls, |row, key| {
                let verdict = chunk.verdicts.get(key).copied().unwrap_or(0);
                if let Some(message) = checked.refusal(verdict) {
                    bad.push((start + row, message.to_owned()));
                }
            });
        }
        start += chunk.len;
    }
    let codes = in_width(checked.len(), rows, &mut |sink| {
        for chunk in &read {
            match chunk.keys {
                None => sink.nulls(chunk.len),
                Some((keys, nulls)) => {
                    let table: Vec<u32> = chunk.verdicts.iter().map(|&v| checked.code(v)).collect();
                    sink.keys(keys, nulls, &table);
                }
            }
        }
    });
    Some(without_unused(checked.finish(codes)))
}

/// The column without the dictionary values no row has (each code
/// renumbered and narrowed, when there are such values).
fn without_unused(column: TextColumn) -> TextColumn {
    let size = column.values.len();
    let mut used = vec![false; size + 1];
    match &column.codes {
        Codes::U8(codes) => {
            let mut seen = [false; 256];
            for &code in codes {
                if let Some(seen) = seen.get_mut(usize::from(code)) {
                    *seen = true;
                }
            }
            used.iter_mut()
                .zip(seen)
                .for_each(|(used, seen)| *used = seen);
        }
        Codes::U16(codes) => mark(codes, &mut used),
        Codes::U32(codes) => mark(codes, &mut used),
    }
    if used.iter().skip(1).all(|&used| used) {
        return column;
    }
    let mut values = Strings::default();
    let mut table = vec![0u32; size + 1];
    for (code, text) in column.values.iter().enumerate() {
        if used.get(code + 1).copied().unwrap_or(false) {
            values.push(text);
            if let Some(slot) = table.get_mut(code + 1) {
                *slot = values.len() as u32;
            }
        }
    }
    let rows = column.codes.len();
    let codes = in_width(values.len(), rows, &mut |sink| {
        // The old codes as keys (0, null, stays 0).
        match &column.codes {
            Codes::U8(codes) => sink.keys(Keys::U8(codes), None, &table),
            Codes::U16(codes) => sink.keys(Keys::U16(codes), None, &table),
            Codes::U32(codes) => sink.keys(Keys::U32(codes), None, &table),
        }
    });
    TextColumn {
        values,
        codes,
        sorted: true,
    }
}

/// `used[code]` for each code.
fn mark<C: Copy + Into<u32>>(codes: &[C], used: &mut [bool]) {
    for &code in codes {
        if let Some(used) = used.get_mut(code.into() as usize) {
            *used = true;
        }
    }
}
