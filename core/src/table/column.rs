//! The column kinds of a [`CustomerTable`](super::CustomerTable): text as
//! codes into a sorted dictionary, decimals and days beside a validity
//! bit set, flags as a bit set.

use rustc_hash::FxHashMap;

use jiff::civil::Date;
use rust_decimal::Decimal;

use super::strings::Strings;
use crate::bits::{Bits, ByteTable};

/// Dictionary codes, as narrow as the dictionary allows: 0 is null, `k` is
/// the dictionary's `k - 1`th value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Codes {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
}

impl Codes {
    pub(crate) fn len(&self) -> usize {
        match self {
            Codes::U8(codes) => codes.len(),
            Codes::U16(codes) => codes.len(),
            Codes::U32(codes) => codes.len(),
        }
    }

    pub(crate) fn get(&self, row: usize) -> u32 {
        match self {
            Codes::U8(codes) => codes.get(row).map_or(0, |&c| u32::from(c)),
            Codes::U16(codes) => codes.get(row).map_or(0, |&c| u32::from(c)),
            Codes::U32(codes) => codes.get(row).copied().unwrap_or(0),
        }
    }

    /// The rows whose code passes `test`, 64 rows to a word, in one pass
    /// over the codes of one width.
    pub(crate) fn select(&self, test: impl Fn(u32) -> bool) -> Bits {
        match self {
            Codes::U8(codes) => Bits::from_test(codes, |c| test(u32::from(c))),
            Codes::U16(codes) => Bits::from_test(codes, |c| test(u32::from(c))),
            Codes::U32(codes) => Bits::from_test(codes, test),
        }
    }

    /// The rows whose code is in `low..high`: one unsigned comparison per
    /// row, in the codes' own width where the range fits it (64 one-byte
    /// codes to a vector instead of 16 widened ones).
    pub(crate) fn select_range(&self, low: u32, high: u32) -> Bits {
        let width = high.saturating_sub(low);
        match self {
            Codes::U8(codes) => match (u8::try_from(low), u8::try_from(width)) {
                (Ok(low), Ok(width)) => Bits::from_test(codes, |c| c.wrapping_sub(low) < width),
                _ => self.select(|code| code.wrapping_sub(low) < width),
            },
            Codes::U16(codes) => match (u16::try_from(low), u16::try_from(width)) {
                (Ok(low), Ok(width)) => Bits::from_test(codes, |c| c.wrapping_sub(low) < width),
                _ => self.select(|code| code.wrapping_sub(low) < width),
            },
            Codes::U32(_) => self.select(|code| code.wrapping_sub(low) < width),
        }
    }

    /// The rows with a value (code not 0), and those whose code is in
    /// `low..high`, in one pass over the codes where they are one byte
    /// (the test of a country, a channel, a slot), else in two.
    pub(crate) fn present_and_range(&self, low: u32, high: u32) -> (Bits, Bits) {
        let width = high.saturating_sub(low);
        match (self, u8::try_from(low), u8::try_from(width)) {
            (Codes::U8(codes), Ok(low), Ok(width)) => {
                Bits::pair_from_test(codes, |c| (c != 0, c.wrapping_sub(low) < width))
            }
            _ => (self.select(|code| code != 0), self.select_range(low, high)),
        }
    }

    /// The rows with a value, and those whose code `hit` marks, in one pass
    /// over one-byte codes (else in two).
    pub(crate) fn present_and_codes(&self, hit: &[bool]) -> (Bits, Bits) {
        match self {
            Codes::U8(codes) => {
                let marks = ByteTable::new(hit.iter().copied());
                Bits::pair_from_test(codes, |c| (c != 0, marks.get(c)))
            }
            _ => (self.select(|code| code != 0), self.select_codes(hit)),
        }
    }

    /// The rows whose code `hit` marks (codes past its end are not).
    pub(crate) fn select_codes(&self, hit: &[bool]) -> Bits {
        match self {
            Codes::U8(codes) => {
                let marks = ByteTable::new(hit.iter().copied());
                Bits::from_test(codes, |c| marks.get(c))
            }
            _ => self.select(|code| hit.get(code as usize).copied().unwrap_or(false)),
        }
    }

    /// `table[code]` for each row's code (0 past the table's end).
    pub(crate) fn lookup(&self, table: &[u8]) -> Vec<u8> {
        let get = |code: usize| table.get(code).copied().unwrap_or(0);
        match self {
            Codes::U8(codes) => codes.iter().map(|&c| get(usize::from(c))).collect(),
            Codes::U16(codes) => codes.iter().map(|&c| get(usize::from(c))).collect(),
            Codes::U32(codes) => codes.iter().map(|&c| get(c as usize)).collect(),
        }
    }

    fn bytes(&self) -> usize {
        match self {
            Codes::U8(codes) => codes.len(),
            Codes::U16(codes) => codes.len() * 2,
            Codes::U32(codes) => codes.len() * 4,
        }
    }

    /// `codes` in the narrowest width that holds `largest`.
    fn narrow(codes: Vec<u32>, largest: u32) -> Codes {
        if largest <= u32::from(u8::MAX) {
            Codes::U8(codes.iter().map(|&c| c as u8).collect())
        } else if largest <= u32::from(u16::MAX) {
            Codes::U16(codes.iter().map(|&c| c as u16).collect())
        } else {
            Codes::U32(codes)
        }
    }
}

/// Dictionary-encoded text. The dictionary is usually sorted, so the order
/// of codes is the order of the texts: a range of text is a range of
/// codes. A column of mostly distinct values read from Arrow (ids, e-mail
/// addresses) keeps its values in row order instead, one per row, because
/// finding its distinct values and sorting them would cost far more than
/// every test on it: then `sorted` is false, and tests scan the values.
#[derive(Debug, Clone)]
pub(crate) struct TextColumn {
    pub(crate) values: Strings,
    pub(crate) codes: Codes,
    /// Whether the dictionary is sorted and without repeats.
    pub(crate) sorted: bool,
}

/// Two columns are equal when every row holds the same text, however
/// their dictionaries are laid out.
impl PartialEq for TextColumn {
    fn eq(&self, other: &TextColumn) -> bool {
        if self.sorted && other.sorted {
            return self.values == other.values && self.codes == other.codes;
        }
        self.codes.len() == other.codes.len()
            && (0..self.codes.len()).all(|row| self.get(row) == other.get(row))
    }
}

impl Eq for TextColumn {}

impl TextColumn {
    pub(crate) fn get(&self, row: usize) -> Option<&str> {
        let code = self.codes.get(row);
        let index = usize::try_from(code).ok()?.checked_sub(1)?;
        self.values.get(index)
    }

    /// The distinct values: their text and where each ends.
    fn dictionary_bytes(&self) -> usize {
        self.values.bytes()
    }
}

/// Text as it arrives: codes in order of first appearance.
#[derive(Debug, Default)]
pub(crate) struct TextBuilder {
    lookup: FxHashMap<Box<str>, u32>,
    codes: Vec<u32>,
}

impl TextBuilder {
    pub(crate) fn with_nulls(rows: usize) -> TextBuilder {
        TextBuilder {
            codes: vec![0; rows],
            ..TextBuilder::default()
        }
    }

    pub(crate) fn push(&mut self, value: Option<&str>) {
        let code = match value {
            None => 0,
            Some(text) => match self.lookup.get(text) {
                Some(&code) => code,
                None => {
                    let code = self.lookup.len() as u32 + 1;
                    self.lookup.insert(text.into(), code);
                    code
                }
            },
        };
        self.codes.push(code);
    }

    /// Sorts the dictionary, renumbers the codes to match, and narrows them.
    pub(crate) fn finish(self) -> TextColumn {
        let mut values: Vec<&str> = vec![""; self.lookup.len()];
        for (value, &code) in &self.lookup {
            if let Some(place) = values.get_mut(code as usize - 1) {
                *place = value;
            }
        }
        TextColumn::from_dictionary(&values, self.codes)
    }
}

impl TextColumn {
    /// A column from a dictionary in any order, repeats and unused values
    /// allowed, and codes into it (`k` is `values[k - 1]`, 0 is null; a
    /// code past the end is null too): the dictionary is sorted, without
    /// repeats and the values no row uses, the codes renumbered to match
    /// and narrowed.
    pub(crate) fn from_dictionary(values: &[&str], codes: Vec<u32>) -> TextColumn {
        let mut used = vec![false; values.len() + 1];
        for &code in &codes {
            if let Some(flag) = used.get_mut(code as usize) {
                *flag = true;
            }
        }
        let mut order: Vec<u32> = (0..values.len() as u32)
            .filter(|&index| used.get(index as usize + 1).copied().unwrap_or(false))
            .collect();
        let text = |index: u32| values.get(index as usize).copied().unwrap_or_default();
        order.sort_unstable_by(|&a, &b| text(a).cmp(text(b)));
        // renumber[old code] = new code; 0 (null) stays 0.
        let mut renumber = vec![0u32; values.len() + 1];
        let mut sorted = Strings::default();
        let mut last: Option<&str> = None;
        for &index in &order {
            let value = text(index);
            if last != Some(value) {
                sorted.push(value);
                last = Some(value);
            }
            if let Some(slot) = renumber.get_mut(index as usize + 1) {
                *slot = sorted.len() as u32;
            }
        }
        let codes = codes
            .into_iter()
            .map(|code| renumber.get(code as usize).copied().unwrap_or(0))
            .collect();
        let largest = sorted.len() as u32;
        TextColumn {
            values: sorted,
            codes: Codes::narrow(codes, largest),
            sorted: true,
        }
    }

    /// A column whose dictionary is its values in row order, one per row
    /// with a value (`codes[row]` is 0 for a row without one): nothing is
    /// sorted or looked up.
    pub(crate) fn in_row_order(values: Strings, codes: Vec<u32>) -> TextColumn {
        let largest = values.len() as u32;
        TextColumn {
            values,
            codes: Codes::narrow(codes, largest),
            sorted: false,
        }
    }
}

/// Exact decimals beside a validity bitmap. While building, and when the
/// values differ in scale, each is a `Decimal` (16 bytes); once finished, a
/// column whose values share one scale and fit 64 bits keeps only the
/// integers (8 bytes, or 4 when every one fits 32 bits: a turnover below
/// 21 million with cents, read twice as fast by a range test), and reads
/// back the very same decimals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DecimalColumn {
    values: Decimals,
    valid: Bits,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Decimals {
    Exact(Vec<Decimal>),
    Scaled { mantissas: Mantissas, scale: u32 },
}

/// The integers of a column at one scale, as narrow as they allow.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mantissas {
    Narrow(Vec<i32>),
    Wide(Vec<i64>),
}

impl Mantissas {
    /// In 32 bits when every one fits.
    fn new(wide: Vec<i64>) -> Mantissas {
        match wide.iter().map(|&m| i32::try_from(m)).collect() {
            Ok(narrow) => Mantissas::Narrow(narrow),
            Err(_) => Mantissas::Wide(wide),
        }
    }

    fn slice(&self) -> ScaledSlice<'_> {
        match self {
            Mantissas::Narrow(m) => ScaledSlice::Narrow(m),
            Mantissas::Wide(m) => ScaledSlice::Wide(m),
        }
    }
}

/// A column's integers at one scale, borrowed in their width.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ScaledSlice<'a> {
    Narrow(&'a [i32]),
    Wide(&'a [i64]),
}

impl ScaledSlice<'_> {
    pub(crate) fn len(&self) -> usize {
        match self {
            ScaledSlice::Narrow(m) => m.len(),
            ScaledSlice::Wide(m) => m.len(),
        }
    }

    pub(crate) fn get(&self, row: usize) -> Option<i64> {
        match self {
            ScaledSlice::Narrow(m) => m.get(row).map(|&m| i64::from(m)),
            ScaledSlice::Wide(m) => m.get(row).copied(),
        }
    }
}

impl Default for DecimalColumn {
    fn default() -> DecimalColumn {
        DecimalColumn {
            values: Decimals::Exact(Vec::new()),
            valid: Bits::default(),
        }
    }
}

impl DecimalColumn {
    pub(crate) fn with_nulls(rows: usize) -> DecimalColumn {
        let mut column = DecimalColumn::default();
        (0..rows).for_each(|_| column.push(None));
        column
    }

    #[cfg(feature = "arrow")]
    /// A finished column of integers at one `scale` (nulls hold 0).
    pub(crate) fn from_scaled(mantissas: Vec<i64>, scale: u32, valid: Bits) -> DecimalColumn {
        DecimalColumn {
            values: Decimals::Scaled {
                mantissas: Mantissas::new(mantissas),
                scale,
            },
            valid,
        }
    }

    /// Adds a row; only while building (before `compact`).
    pub(crate) fn push(&mut self, value: Option<Decimal>) {
        if let Decimals::Exact(values) = &mut self.values {
            values.push(value.unwrap_or_default());
            self.valid.push(value.is_some());
        }
    }

    /// Keeps the integers only, when every value has the same scale and
    /// fits 64 bits.
    pub(crate) fn compact(self) -> DecimalColumn {
        let Decimals::Exact(values) = &self.values else {
            return self;
        };
        let mut present = values
            .iter()
            .enumerate()
            .filter(|(row, _)| self.valid.get(*row));
        let scale = present.next().map_or(0, |(_, value)| value.scale());
        let mut mantissas = Vec::with_capacity(values.len());
        for (row, value) in values.iter().enumerate() {
            let fits = i64::try_from(value.mantissa()).ok();
            match fits {
                Some(m) if !self.valid.get(row) || value.scale() == scale => {
                    mantissas.push(if self.valid.get(row) { m } else { 0 });
                }
                _ => return self,
            }
        }
        DecimalColumn {
            values: Decimals::Scaled {
                mantissas: Mantissas::new(mantissas),
                scale,
            },
            valid: self.valid,
        }
    }

    /// The integers and their scale, when the column keeps integers.
    pub(crate) fn scaled(&self) -> Option<(ScaledSlice<'_>, u32)> {
        match &self.values {
            Decimals::Scaled { mantissas, scale } => Some((mantissas.slice(), *scale)),
            Decimals::Exact(_) => None,
        }
    }

    /// Which rows have a value.
    pub(crate) fn valid(&self) -> &Bits {
        &self.valid
    }

    pub(crate) fn get(&self, row: usize) -> Option<Decimal> {
        if !self.valid.get(row) {
            return None;
        }
        match &self.values {
            Decimals::Exact(values) => values.get(row).copied(),
            Decimals::Scaled { mantissas, scale } => {
                Decimal::try_new(mantissas.slice().get(row)?, *scale).ok()
            }
        }
    }

    fn bytes(&self) -> usize {
        let values = match &self.values {
            Decimals::Exact(values) => values.len() * std::mem::size_of::<Decimal>(),
            Decimals::Scaled {
                mantissas: Mantissas::Narrow(m),
                ..
            } => m.len() * 4,
            Decimals::Scaled {
                mantissas: Mantissas::Wide(m),
                ..
            } => m.len() * 8,
        };
        values + self.valid.bytes()
    }
}

/// Days; a null row holds the zero day and a clear validity bit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct DateColumn {
    /// Each row's day as its [`day_number`] (0 where there is none), so
    /// that a range of days is a range of integers.
    numbers: Vec<i32>,
    valid: Bits,
}

/// A day as an integer in the order of days: year, month and day in bit
/// fields (`year << 9 | month << 5 | day`).
pub(crate) fn day_number(day: Date) -> i32 {
    i32::from(day.year()) << 9 | i32::from(day.month()) << 5 | i32::from(day.day())
}

fn day_of_number(number: i32) -> Option<Date> {
    Date::new(
        (number >> 9) as i16,
        (number >> 5 & 15) as i8,
        (number & 31) as i8,
    )
    .ok()
}

impl DateColumn {
    pub(crate) fn with_nulls(rows: usize) -> DateColumn {
        let mut column = DateColumn::default();
        (0..rows).for_each(|_| column.push(None));
        column
    }

    /// A column of [`day_number`]s (0 where `valid` is clear).
    pub(crate) fn from_numbers(numbers: Vec<i32>, valid: Bits) -> DateColumn {
        DateColumn { numbers, valid }
    }

    pub(crate) fn push(&mut self, value: Option<Date>) {
        self.numbers.push(value.map_or(0, day_number));
        self.valid.push(value.is_some());
    }

    /// The day numbers of every row (0 where there is none) and which rows
    /// have one.
    pub(crate) fn parts(&self) -> (&[i32], &Bits) {
        (&self.numbers, &self.valid)
    }

    pub(crate) fn get(&self, row: usize) -> Option<Date> {
        if !self.valid.get(row) {
            return None;
        }
        day_of_number(*self.numbers.get(row)?)
    }

    /// The first and the last day of the rows that have one.
    pub(crate) fn span(&self) -> Option<(Date, Date)> {
        let (mut first, mut last) = (i32::MAX, i32::MIN);
        for (numbers, &word) in self.numbers.chunks(64).zip(self.valid.words()) {
            for (offset, &number) in numbers.iter().enumerate() {
                let known = word >> offset & 1 == 1;
                first = if known { first.min(number) } else { first };
                last = if known { last.max(number) } else { last };
            }
        }
        day_of_number(first).zip(day_of_number(last))
    }

    fn bytes(&self) -> usize {
        self.numbers.len() * std::mem::size_of::<i32>() + self.valid.bytes()
    }
}

/// A column of any kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Column {
    Text(TextColumn),
    Decimal(DecimalColumn),
    Date(DateColumn),
    Flag(Bits),
}

impl Column {
    /// The rows `rows` (ascending), in that order.
    pub(crate) fn take(self, rows: &[usize]) -> Column {
        match self {
            Column::Text(column) => {
                let values: Vec<&str> = column.values.iter().collect();
                let codes = rows.iter().map(|&row| column.codes.get(row)).collect();
                Column::Text(TextColumn::from_dictionary(&values, codes))
            }
            Column::Decimal(column) => {
                let mut taken = DecimalColumn::default();
                rows.iter().for_each(|&row| taken.push(column.get(row)));
                Column::Decimal(taken.compact())
            }
            Column::Date(column) => {
                let (numbers, valid) = column.parts();
                let mut kept = Bits::none(rows.len());
                for (at, &row) in rows.iter().enumerate() {
                    if valid.get(row) {
                        kept.set(at);
                    }
                }
                let numbers = rows
                    .iter()
                    .map(|&row| numbers.get(row).copied().unwrap_or(0));
                Column::Date(DateColumn::from_numbers(numbers.collect(), kept))
            }
            Column::Flag(bits) => {
                let mut kept = Bits::none(rows.len());
                for (at, &row) in rows.iter().enumerate() {
                    if bits.get(row) {
                        kept.set(at);
                    }
                }
                Column::Flag(kept)
            }
        }
    }

    /// Whether any row has a value (a flag column: is set).
    pub(crate) fn has_values(&self) -> bool {
        match self {
            Column::Text(column) => match &column.codes {
                Codes::U8(codes) => codes.iter().any(|&code| code != 0),
                Codes::U16(codes) => codes.iter().any(|&code| code != 0),
                Codes::U32(codes) => codes.iter().any(|&code| code != 0),
            },
            Column::Decimal(column) => column.valid().count() > 0,
            Column::Date(column) => column.parts().1.count() > 0,
            Column::Flag(bits) => bits.count() > 0,
        }
    }

    /// Bytes per row in total: codes, values and validity bits.
    pub(crate) fn row_bytes(&self) -> usize {
        match self {
            Column::Text(column) => column.codes.bytes(),
            Column::Decimal(column) => column.bytes(),
            Column::Date(column) => column.bytes(),
            Column::Flag(bits) => bits.bytes(),
        }
    }

    /// Bytes of the dictionary of distinct values (text columns only).
    pub(crate) fn dictionary_bytes(&self) -> usize {
        match self {
            Column::Text(column) => column.dictionary_bytes(),
            _ => 0,
        }
    }
}
