//! Text columns from Arrow: strings, dictionaries of them, and integers
//! written in decimal, gathered into the distinct values and each row's
//! code, so a value is checked once, not once per row. Blank text is no
//! value.

use std::borrow::Cow;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    ArrowDictionaryKeyType, Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type, UInt16Type,
    UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, GenericStringArray, OffsetSizeTrait};
use arrow_buffer::ArrowNativeType;
use arrow_schema::DataType;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::coded::{Checked, Keys, in_width};
use super::read::{Bad, Kind};
use super::valid;
use crate::bits::Bits;
use crate::scalar;
use crate::table::strings::Strings;
use crate::table::{DateColumn, DecimalColumn, TextColumn};

/// Whether a text column of many rows has mostly distinct values (ids,
/// e-mail addresses, names), judged by its first 1,024: then its values
/// are kept in row order, without looking up or sorting a million texts.
pub(super) fn mostly_distinct(chunks: &[&ArrayRef], rows: usize) -> bool {
    const SAMPLE: usize = 1024;
    // Below this, finding the distinct values costs little.
    const MANY: usize = 1 << 16;
    if rows < MANY {
        return false;
    }
    let mut sample: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    let mut present = 0;
    'chunks: for chunk in chunks {
        let texts: Box<dyn Iterator<Item = Option<&str>>> = match chunk.data_type() {
            DataType::Utf8 => Box::new(
                chunk
                    .as_string_opt::<i32>()
                    .into_iter()
                    .flat_map(|a| a.iter()),
            ),
            DataType::LargeUtf8 => Box::new(
                chunk
                    .as_string_opt::<i64>()
                    .into_iter()
                    .flat_map(|a| a.iter()),
            ),
            DataType::Utf8View => Box::new(
                chunk
                    .as_string_view_opt()
                    .into_iter()
                    .flat_map(|a| a.iter()),
            ),
            _ => return false,
        };
        for text in texts.flatten() {
            sample.insert(text);
            present += 1;
            if present == SAMPLE {
                break 'chunks;
            }
        }
    }
    present > 0 && sample.len() * 10 >= present * 9
}

/// Text columns as a dictionary in row order. Plain and large strings are
/// copied a chunk at a time (their bytes as one block, their offsets as
/// the ends), so the dictionary holds a text for every row, the rows
/// without a value (null, blank) coded 0; string views are copied one by
/// one, their texts scattered over buffers.
pub(super) fn in_row_order(chunks: &[&ArrayRef], rows: usize) -> Option<TextColumn> {
    let mut values = Strings::default();
    let mut codes = Vec::with_capacity(rows);
    for chunk in chunks {
        match chunk.data_type() {
            DataType::Utf8 => packed(chunk.as_string_opt::<i32>()?, &mut values, &mut codes),
            DataType::LargeUtf8 => packed(chunk.as_string_opt::<i64>()?, &mut values, &mut codes),
            DataType::Utf8View => {
                one_by_one(chunk.as_string_view_opt()?.iter(), &mut values, &mut codes)
            }
            _ => return None,
        }
    }
    Some(TextColumn::in_row_order(values, codes))
}

/// Each text with a value copied on its own.
fn one_by_one<'a>(
    texts: impl Iterator<Item = Option<&'a str>>,
    values: &mut Strings,
    codes: &mut Vec<u32>,
) {
    for text in texts {
        match text {
            Some(text) if !scalar::is_blank(text) => {
                values.push(text);
                codes.push(values.len() as u32);
            }
            _ => codes.push(0),
        }
    }
}

/// A chunk of strings as one block of text: row `r` is text `base + r`.
fn packed<O: OffsetSizeTrait>(
    array: &GenericStringArray<O>,
    values: &mut Strings,
    codes: &mut Vec<u32>,
) {
    let offsets = array.value_offsets();
    let first = offsets.first().map_or(0, |o| o.as_usize());
    let last = offsets.last().map_or(0, |o| o.as_usize());
    // The bytes of null rows may be anything; then text by text.
    let block = array
        .values()
        .as_slice()
        .get(first..last)
        .and_then(|bytes| std::str::from_utf8(bytes).ok());
    let Some(block) = block else {
        return one_by_one(array.iter(), values, codes);
    };
    let base = values.len() as u32;
    let ends = offsets.iter().skip(1).map(|end| end.as_usize() - first);
    values.extend_packed(block, ends);
    let start = codes.len();
    let spans = offsets.iter().zip(offsets.iter().skip(1));
    codes.extend(spans.zip(1..).map(|((from, to), number)| {
        let (from, to) = (from.as_usize() - first, to.as_usize() - first);
        if has_text(block, from, to) {
            base + number
        } else {
            0
        }
    }));
    valid::each_null(array.nulls(), |row| {
        if let Some(code) = codes.get_mut(start + row) {
            *code = 0;
        }
    });
}

/// Whether `text[from..to]` is not blank: told by its first byte, unless
/// that is white space or not ASCII.
fn has_text(text: &str, from: usize, to: usize) -> bool {
    match text.as_bytes().get(from) {
        _ if to <= from => false,
        Some(byte) if byte.is_ascii() && !matches!(byte, b'\t'..=b'\r' | b' ') => true,
        _ => text.get(from..to).is_some_and(|t| !scalar::is_blank(t)),
    }
}

/// A text column's distinct values by first appearance, and per row the
/// code of its value (`k` for `values[k - 1]`, 0 for null).
pub(super) struct Dictionary<'a> {
    values: Vec<Cow<'a, str>>,
    codes: Vec<u32>,
}

impl<'a> Dictionary<'a> {
    /// Reads text, a dictionary of text, or integers (written in decimal);
    /// `None` for any other type.
    pub(super) fn read(chunks: &[&'a ArrayRef], rows: usize) -> Option<Dictionary<'a>> {
        let mut interner = Interner::default();
        let mut codes = Vec::with_capacity(rows);
        for chunk in chunks {
            match chunk.data_type() {
                DataType::Null => codes.extend(std::iter::repeat_n(0, chunk.len())),
                DataType::Dictionary(_, _) => {
                    let dictionary = chunk.as_any_dictionary_opt()?;
                    if dictionary.values().is_empty() {
                        // Every key is null (and arrow's key reader refuses
                        // an empty dictionary).
                        codes.extend(std::iter::repeat_n(0, chunk.len()));
                        continue;
                    }
                    // Each value of the chunk's dictionary is looked up once.
                    let local =
                        Dictionary::read(&[dictionary.values()], dictionary.values().len())?;
                    let global: Vec<u32> = local
                        .codes
                        .iter()
                        .map(|&code| match code.checked_sub(1) {
                            Some(at) => local
                                .values
                                .get(at as usize)
                                .map_or(0, |v| interner.code(v.clone())),
                            None => 0,
                        })
                        .collect();
                    // A null value has code 0 in `global`; a null key is
                    // 0 below.
                    match chunk.data_type() {
                        DataType::Dictionary(key, _) => match key.as_ref() {
                            DataType::Int8 => keyed::<Int8Type>(chunk, &global, &mut codes)?,
                            DataType::Int16 => keyed::<Int16Type>(chunk, &global, &mut codes)?,
                            DataType::Int32 => keyed::<Int32Type>(chunk, &global, &mut codes)?,
                            DataType::Int64 => keyed::<Int64Type>(chunk, &global, &mut codes)?,
                            DataType::UInt8 => keyed::<UInt8Type>(chunk, &global, &mut codes)?,
                            DataType::UInt16 => keyed::<UInt16Type>(chunk, &global, &mut codes)?,
                            DataType::UInt32 => keyed::<UInt32Type>(chunk, &global, &mut codes)?,
                            DataType::UInt64 => keyed::<UInt64Type>(chunk, &global, &mut codes)?,
                            _ => return None,
                        },
                        _ => return None,
                    }
                }
                DataType::Utf8 => {
                    interner.strings(chunk.as_string_opt::<i32>()?.iter(), &mut codes)
                }
                DataType::LargeUtf8 => {
                    interner.strings(chunk.as_string_opt::<i64>()?.iter(), &mut codes)
                }
                DataType::Utf8View => {
                    interner.strings(chunk.as_string_view_opt()?.iter(), &mut codes)
                }
                data_type if data_type.is_integer() => {
                    for text in integers_as_text(chunk)? {
                        codes.push(text.map_or(0, |text| interner.code(Cow::Owned(text))));
                    }
                }
                _ => return None,
            }
        }
        Some(
            Dictionary {
                values: interner.finish(),
                codes,
            }
            .without_blanks(),
        )
    }

    /// Blank text is no value: its rows become null, and it leaves the
    /// dictionary.
    fn without_blanks(mut self) -> Dictionary<'a> {
        if !self.values.iter().any(|value| scalar::is_blank(value)) {
            return self;
        }
        let mut kept = Vec::with_capacity(self.values.len());
        let renumbered: Vec<u32> = std::mem::take(&mut self.values)
            .into_iter()
            .map(|value| {
                if scalar::is_blank(&value) {
                    return 0;
                }
                kept.push(value);
                kept.len() as u32
            })
            .collect();
        for code in &mut self.codes {
            *code = code
                .checked_sub(1)
                .and_then(|at| renumbered.get(at as usize).copied())
                .unwrap_or(0);
        }
        self.values = kept;
        self
    }

    /// The distinct values, blank text left out.
    pub(super) fn values(&self) -> &[Cow<'a, str>] {
        &self.values
    }

    /// Per row, its value's place in [`Dictionary::values`] plus one; 0 for
    /// no value.
    pub(super) fn codes(&self) -> &[u32] {
        &self.codes
    }

    /// `parse` applied once per distinct value.
    pub(super) fn parse<T>(
        &self,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Vec<Result<T, String>> {
        self.values.iter().map(|value| parse(value)).collect()
    }

    /// The rows whose value `parsed` refuses, each with the reason, into
    /// `bad`; the rows' values through `value` (`None` for null and bad).
    fn each_row<T: Copy>(
        &self,
        parsed: &[Result<T, String>],
        bad: &mut Vec<Bad>,
        mut value: impl FnMut(Option<T>),
    ) {
        for (row, &code) in self.codes.iter().enumerate() {
            match code.checked_sub(1).and_then(|at| parsed.get(at as usize)) {
                Some(Ok(parsed)) => value(Some(*parsed)),
                Some(Err(message)) => {
                    bad.push((row, message.clone()));
                    value(None);
                }
                None => value(None),
            }
        }
    }

    pub(super) fn decimals(
        &self,
        parsed: &[Result<Decimal, String>],
        bad: &mut Vec<Bad>,
    ) -> DecimalColumn {
        let mut column = DecimalColumn::default();
        self.each_row(parsed, bad, |value| column.push(value));
        column.compact()
    }

    pub(super) fn days(&self, parsed: &[Result<i32, String>], bad: &mut Vec<Bad>) -> DateColumn {
        let mut numbers = Vec::with_capacity(self.codes.len());
        let mut valid = Bits::none(self.codes.len());
        let mut row = 0;
        self.each_row(parsed, bad, |value| {
            numbers.push(value.unwrap_or(0));
            if value.is_some() {
                valid.set(row);
            }
            row += 1;
        });
        DateColumn::from_numbers(numbers, valid)
    }

    pub(super) fn flags(&self, parsed: &[Result<bool, String>], bad: &mut Vec<Bad>) -> Bits {
        let mut flags = Bits::none(self.codes.len());
        let mut row = 0;
        self.each_row(parsed, bad, |value| {
            if value == Some(true) {
                flags.set(row);
            }
            row += 1;
        });
        flags
    }

    /// The text column: values as given, or for checked text as the
    /// customer file writes them, a refused value's rows listed in `bad`.
    /// Each distinct value some row has is checked once; the rows' codes
    /// are then one look-up each, into the sorted dictionary's.
    pub(super) fn finish(self, name: &str, kind: Kind, bad: &mut Vec<Bad>) -> TextColumn {
        let mut used = vec![false; self.values.len() + 1];
        for &code in &self.codes {
            if let Some(used) = used.get_mut(code as usize) {
                *used = true;
            }
        }
        let mut checked = Checked::new(name, kind);
        let verdicts: Vec<u32> = std::iter::once(0)
            .chain(
                self.values
                    .iter()
                    .zip(used.iter().skip(1))
                    .map(
                        |(value, &used)| {
                            if used { checked.verdict(value) } else { 0 }
                        },
                    ),
            )
            .collect();
        checked.sort();
        if verdicts.iter().any(|&v| checked.refusal(v).is_some()) {
            for (row, &code) in self.codes.iter().enumerate() {
                let verdict = verdicts.get(code as usize).copied().unwrap_or(0);
                if let Some(message) = checked.refusal(verdict) {
                    bad.push((row, message.to_owned()));
                }
            }
        }
        let table: Vec<u32> = verdicts.iter().map(|&v| checked.code(v)).collect();
        let codes = in_width(checked.len(), self.codes.len(), &mut |sink| {
            sink.keys(Keys::U32(&self.codes), None, &table)
        });
        checked.finish(codes)
    }
}

/// The codes of a dictionary chunk's rows: `global[key]`, 0 for a null
/// key; one pass over the keys, no per-row allocation.
fn keyed<K: ArrowDictionaryKeyType>(
    chunk: &ArrayRef,
    global: &[u32],
    codes: &mut Vec<u32>,
) -> Option<()> {
    let keys = chunk.as_dictionary_opt::<K>()?.keys();
    let start = codes.len();
    codes.extend(
        keys.values()
            .iter()
            .map(|key| global.get(key.as_usize()).copied().unwrap_or(0)),
    );
    if let Some(nulls) = keys.nulls() {
        for row in nulls
            .iter()
            .enumerate()
            .filter(|(_, valid)| !valid)
            .map(|(row, _)| row)
        {
            if let Some(code) = codes.get_mut(start + row) {
                *code = 0;
            }
        }
    }
    Some(())
}

/// Distinct texts by first appearance, borrowed from the Arrow buffers
/// where they can be.
#[derive(Default)]
struct Interner<'a> {
    codes: FxHashMap<Cow<'a, str>, u32>,
}

impl<'a> Interner<'a> {
    fn code(&mut self, text: Cow<'a, str>) -> u32 {
        let next = self.codes.len() as u32 + 1;
        *self.codes.entry(text).or_insert(next)
    }

    fn strings(
        &mut self,
        texts: impl ExactSizeIterator<Item = Option<&'a str>> + Clone,
        codes: &mut Vec<u32>,
    ) {
        // A column of mostly distinct values (ids, e-mail addresses) gets
        // its whole table at once instead of growing it a dozen times.
        const SAMPLE: usize = 1024;
        let rows = texts.len();
        let sample: rustc_hash::FxHashSet<&str> = texts.clone().take(SAMPLE).flatten().collect();
        if sample.len() * 2 > SAMPLE.min(rows) {
            self.codes.reserve(rows);
        }
        codes.extend(texts.map(|text| text.map_or(0, |text| self.code(Cow::Borrowed(text)))));
    }

    fn finish(self) -> Vec<Cow<'a, str>> {
        let mut values = vec![Cow::Borrowed(""); self.codes.len()];
        for (text, code) in self.codes {
            if let Some(place) = values.get_mut(code as usize - 1) {
                *place = text;
            }
        }
        values
    }
}

fn integers_as_text(chunk: &ArrayRef) -> Option<Vec<Option<String>>> {
    macro_rules! text {
        ($type:ty) => {
            chunk
                .as_primitive_opt::<$type>()?
                .iter()
                .map(|value| value.map(|v| v.to_string()))
                .collect()
        };
    }
    Some(match chunk.data_type() {
        DataType::Int8 => text!(Int8Type),
        DataType::Int16 => text!(Int16Type),
        DataType::Int32 => text!(Int32Type),
        DataType::Int64 => text!(Int64Type),
        DataType::UInt8 => text!(UInt8Type),
        DataType::UInt16 => text!(UInt16Type),
        DataType::UInt32 => text!(UInt32Type),
        DataType::UInt64 => text!(UInt64Type),
        _ => return None,
    })
}
