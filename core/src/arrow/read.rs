//! One Arrow column into one table column, value by distinct value.
//!
//! Text is gathered into a dictionary first (an Arrow dictionary column
//! already is one), so a country or slot code is checked once, not once
//! per row; numbers and days are copied as they are.

use std::borrow::Cow;

use arrow_array::cast::AsArray;
use arrow_array::types::ArrowDictionaryKeyType;
use arrow_array::types::{
    Date32Type, Date64Type, Decimal128Type, Float32Type, Float64Type, Int8Type, Int16Type,
    Int32Type, Int64Type, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, ArrowPrimitiveType};
use arrow_buffer::ArrowNativeType;
use arrow_schema::{DataType, TimeUnit};
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;
use rustc_hash::FxHashMap;

use crate::bits::Bits;
use crate::customer::fields::{self, Access};
use crate::error::TableError;
use crate::scalar;
use crate::table::column::day_number;
use crate::table::strings::Strings;
use crate::table::{Column, DateColumn, DecimalColumn, TextColumn, stored_text};

/// What a customer column holds, whatever the Arrow type it comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Text kept as given (names, addresses, slot codes).
    Text,
    /// Text the customer file checks and writes one way (country, currency,
    /// channel, VAT zone, `manual`, id).
    CheckedText,
    Number,
    Day,
    Flag,
}

impl Kind {
    /// The kind of column `name`, given its Arrow type: an `attr.<name>`
    /// column is numbers when Arrow has numbers, else text.
    pub(super) fn of(name: &str, data_type: &DataType) -> Kind {
        match fields::field(name).map(|field| field.access) {
            Some(Access::Number { .. }) => Kind::Number,
            Some(Access::Day { .. }) => Kind::Day,
            Some(Access::Flag { .. }) => Kind::Flag,
            Some(Access::Text { .. }) => Kind::Text,
            // The customer file takes any id as it is.
            Some(Access::Coded { .. }) if name == "id" => Kind::Text,
            Some(Access::Coded { .. } | Access::List { .. }) => Kind::CheckedText,
            None if is_numeric(data_type) => Kind::Number,
            None => Kind::Text,
        }
    }

    fn expected(self) -> &'static str {
        match self {
            Kind::Text | Kind::CheckedText => {
                "text (string, large string, string view or a dictionary of them) or integers"
            }
            Kind::Number => "numbers (decimal, integer or float) or text",
            Kind::Day => {
                "dates (date32, date64 or a timestamp without time zone) or text like 2026-01-31"
            }
            Kind::Flag => "booleans or text (true/false)",
        }
    }
}

fn is_numeric(data_type: &DataType) -> bool {
    data_type.is_integer()
        || data_type.is_floating()
        || matches!(data_type, DataType::Decimal128(..))
}

fn is_text(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
    )
}

/// A bad cell: the row (counted over all chunks) and what is wrong.
pub(super) type Bad = (usize, String);

/// Converts the chunks of column `name` into a table column, listing the
/// cells that can't be read.
pub(super) fn column(
    name: &str,
    kind: Kind,
    chunks: &[&ArrayRef],
    rows: usize,
) -> Result<(Column, Vec<Bad>), TableError> {
    let data_type = chunks
        .first()
        .map_or(DataType::Null, |c| c.data_type().clone());
    let wrong_type = || TableError::ColumnType {
        column: name.to_owned(),
        found: data_type.to_string(),
        expected: kind.expected(),
    };
    let texts = is_text(&data_type)
        || matches!(&data_type, DataType::Dictionary(_, values) if is_text(values))
        || matches!(data_type, DataType::Null);
    let mut bad = Vec::new();
    let column = match kind {
        Kind::Text if is_text(&data_type) && mostly_distinct(chunks, rows) => {
            Column::Text(in_row_order(chunks, rows).ok_or_else(wrong_type)?)
        }
        Kind::Text | Kind::CheckedText if texts || data_type.is_integer() => {
            let dictionary = Dictionary::read(chunks, rows).ok_or_else(wrong_type)?;
            Column::Text(dictionary.finish(name, kind, &mut bad))
        }
        Kind::Number if texts => {
            let dictionary = Dictionary::read(chunks, rows).ok_or_else(wrong_type)?;
            let parsed = dictionary.parse(|text| {
                scalar::decimal(text).map_err(|why| {
                    why.message(text, || format!("`{text}` is not a decimal number"))
                })
            });
            Column::Decimal(dictionary.decimals(&parsed, &mut bad))
        }
        Kind::Number if is_numeric(&data_type) => {
            Column::Decimal(numbers(chunks, &mut bad).ok_or_else(wrong_type)?)
        }
        Kind::Day if texts => {
            let dictionary = Dictionary::read(chunks, rows).ok_or_else(wrong_type)?;
            let parsed = dictionary.parse(|text| scalar::day(text).map(day_number));
            Column::Date(dictionary.days(&parsed, &mut bad))
        }
        Kind::Day => Column::Date(days(chunks, rows, &mut bad).ok_or_else(wrong_type)?),
        Kind::Flag if texts => {
            let dictionary = Dictionary::read(chunks, rows).ok_or_else(wrong_type)?;
            let parsed = dictionary.parse(scalar::flag);
            Column::Flag(dictionary.flags(&parsed, &mut bad))
        }
        Kind::Flag if data_type == DataType::Boolean => Column::Flag(flags(chunks, rows)),
        _ => return Err(wrong_type()),
    };
    Ok((column, bad))
}

/// Whether a text column of many rows has mostly distinct values (ids,
/// e-mail addresses, names), judged by its first 1,024: then its values
/// are kept in row order, without looking up or sorting a million texts.
fn mostly_distinct(chunks: &[&ArrayRef], rows: usize) -> bool {
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

/// Text columns as a dictionary in row order: each row's text copied once.
fn in_row_order(chunks: &[&ArrayRef], rows: usize) -> Option<TextColumn> {
    let mut values = Strings::default();
    let mut codes = Vec::with_capacity(rows);
    let mut push = |text: Option<&str>| match text {
        Some(text) if !scalar::is_blank(text) => {
            values.push(text);
            codes.push(values.len() as u32);
        }
        _ => codes.push(0),
    };
    for chunk in chunks {
        match chunk.data_type() {
            DataType::Utf8 => chunk.as_string_opt::<i32>()?.iter().for_each(&mut push),
            DataType::LargeUtf8 => chunk.as_string_opt::<i64>()?.iter().for_each(&mut push),
            DataType::Utf8View => chunk.as_string_view_opt()?.iter().for_each(&mut push),
            _ => return None,
        }
    }
    Some(TextColumn::in_row_order(values, codes))
}

/// A text column's distinct values by first appearance, and per row the
/// code of its value (`k` for `values[k - 1]`, 0 for null).
struct Dictionary<'a> {
    values: Vec<Cow<'a, str>>,
    codes: Vec<u32>,
}

impl<'a> Dictionary<'a> {
    /// Reads text, a dictionary of text, or integers (written in decimal);
    /// `None` for any other type.
    fn read(chunks: &[&'a ArrayRef], rows: usize) -> Option<Dictionary<'a>> {
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

    /// `parse` applied once per distinct value.
    fn parse<T>(&self, parse: impl Fn(&str) -> Result<T, String>) -> Vec<Result<T, String>> {
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

    fn decimals(&self, parsed: &[Result<Decimal, String>], bad: &mut Vec<Bad>) -> DecimalColumn {
        let mut column = DecimalColumn::default();
        self.each_row(parsed, bad, |value| column.push(value));
        column.compact()
    }

    fn days(&self, parsed: &[Result<i32, String>], bad: &mut Vec<Bad>) -> DateColumn {
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

    fn flags(&self, parsed: &[Result<bool, String>], bad: &mut Vec<Bad>) -> Bits {
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
    fn finish(self, name: &str, kind: Kind, bad: &mut Vec<Bad>) -> TextColumn {
        let values: Vec<&str> = self.values.iter().map(|v| &**v).collect();
        if kind == Kind::Text {
            return TextColumn::from_dictionary(&values, self.codes);
        }
        let checked: Vec<Result<Option<String>, String>> = values
            .iter()
            .map(|value| stored_text(name, value))
            .collect();
        let mut codes = self.codes;
        for (row, code) in codes.iter_mut().enumerate() {
            match code.checked_sub(1).and_then(|at| checked.get(at as usize)) {
                Some(Ok(Some(_))) => {}
                Some(Ok(None)) => *code = 0,
                Some(Err(message)) => {
                    bad.push((row, message.clone()));
                    *code = 0;
                }
                None => *code = 0,
            }
        }
        let stored: Vec<&str> = checked
            .iter()
            .map(|value| match value {
                Ok(Some(text)) => text.as_str(),
                _ => "",
            })
            .collect();
        TextColumn::from_dictionary(&stored, codes)
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

/// Numbers as decimals: integers and Arrow decimals exactly (kept as
/// integers at their scale when they fit 64 bits), floats as the shortest
/// decimal that reads back as the same float (0.1 is 0.1). NaN and
/// infinities are bad cells.
fn numbers(chunks: &[&ArrayRef], bad: &mut Vec<Bad>) -> Option<DecimalColumn> {
    if let Some(column) = scaled_integers(chunks) {
        return Some(column);
    }
    let mut column = DecimalColumn::default();
    let mut row = 0;
    for chunk in chunks {
        macro_rules! each {
            ($type:ty, $convert:expr) => {
                for value in chunk.as_primitive_opt::<$type>()?.iter() {
                    let converted: Option<Result<Decimal, String>> = value.map($convert);
                    match converted {
                        Some(Ok(number)) => column.push(Some(number)),
                        Some(Err(message)) => {
                            bad.push((row, message));
                            column.push(None);
                        }
                        None => column.push(None),
                    }
                    row += 1;
                }
            };
        }
        let scale = match chunk.data_type() {
            DataType::Decimal128(_, scale) => *scale,
            _ => 0,
        };
        match chunk.data_type() {
            DataType::Null => {
                (0..chunk.len()).for_each(|_| column.push(None));
                row += chunk.len();
            }
            DataType::Int8 => each!(Int8Type, |v| Ok(Decimal::from(v))),
            DataType::Int16 => each!(Int16Type, |v| Ok(Decimal::from(v))),
            DataType::Int32 => each!(Int32Type, |v| Ok(Decimal::from(v))),
            DataType::Int64 => each!(Int64Type, |v| Ok(Decimal::from(v))),
            DataType::UInt8 => each!(UInt8Type, |v| Ok(Decimal::from(v))),
            DataType::UInt16 => each!(UInt16Type, |v| Ok(Decimal::from(v))),
            DataType::UInt32 => each!(UInt32Type, |v| Ok(Decimal::from(v))),
            DataType::UInt64 => each!(UInt64Type, |v| Ok(Decimal::from(v))),
            DataType::Float32 => each!(Float32Type, |v| float(f64::from(v))),
            DataType::Float64 => each!(Float64Type, float),
            DataType::Decimal128(..) => each!(Decimal128Type, |v| decimal(v, scale)),
            _ => return None,
        }
    }
    Some(column.compact())
}

/// Arrow decimals of one scale that fit 64 bits, or 64-bit integers, as
/// the table keeps them: the integers copied, no decimal per row.
fn scaled_integers(chunks: &[&ArrayRef]) -> Option<DecimalColumn> {
    let rows = chunks.iter().map(|chunk| chunk.len()).sum();
    let mut mantissas = Vec::with_capacity(rows);
    let mut valid = Bits::none(rows);
    let mut scale = None;
    for chunk in chunks {
        let this = match chunk.data_type() {
            DataType::Decimal128(_, scale) => u32::try_from(*scale).ok().filter(|s| *s <= 28)?,
            DataType::Int64 => 0,
            _ => return None,
        };
        if *scale.get_or_insert(this) != this {
            return None;
        }
        let nulls = chunk.logical_nulls();
        let start = mantissas.len();
        match chunk.data_type() {
            DataType::Int64 => {
                mantissas.extend(chunk.as_primitive_opt::<Int64Type>()?.values().iter())
            }
            _ => {
                for &value in chunk.as_primitive_opt::<Decimal128Type>()?.values().iter() {
                    mantissas.push(i64::try_from(value).ok()?);
                }
            }
        }
        for row in 0..chunk.len() {
            if nulls.as_ref().is_none_or(|n| n.is_valid(row)) {
                valid.set(start + row);
            } else if let Some(m) = mantissas.get_mut(start + row) {
                *m = 0;
            }
        }
    }
    Some(DecimalColumn::from_scaled(
        mantissas,
        scale.unwrap_or(0),
        valid,
    ))
}

fn float(value: f64) -> Result<Decimal, String> {
    if !value.is_finite() {
        return Err(format!("`{value}` is not a finite number"));
    }
    scalar::decimal(&value.to_string())
        .ok()
        .or_else(|| Decimal::from_f64(value))
        .ok_or_else(|| format!("`{value}` is too large for a decimal"))
}

fn decimal(mantissa: i128, scale: i8) -> Result<Decimal, String> {
    let scaled = match u32::try_from(scale) {
        Ok(scale) => Decimal::try_from_i128_with_scale(mantissa, scale).ok(),
        // A negative scale multiplies.
        Err(_) => 10i128
            .checked_pow(u32::from(scale.unsigned_abs()))
            .and_then(|factor| mantissa.checked_mul(factor))
            .and_then(|value| Decimal::try_from_i128_with_scale(value, 0).ok()),
    };
    scaled.ok_or_else(|| {
        format!(
            "{mantissa}e{} does not fit a 96-bit decimal",
            -i32::from(scale)
        )
    })
}

/// Days from Arrow dates or timestamps without a time zone (the day of
/// the timestamp); a day outside jiff's years -9999..=9999 is a bad cell.
fn days(chunks: &[&ArrayRef], rows: usize, bad: &mut Vec<Bad>) -> Option<DateColumn> {
    let mut numbers = Vec::with_capacity(rows);
    let mut valid = Bits::none(rows);
    let mut row = 0;
    for chunk in chunks {
        let since_epoch: Vec<Option<i64>> = match chunk.data_type() {
            DataType::Null => vec![None; chunk.len()],
            DataType::Date32 => chunk
                .as_primitive_opt::<Date32Type>()?
                .iter()
                .map(|d| d.map(i64::from))
                .collect(),
            DataType::Date64 => chunk
                .as_primitive_opt::<Date64Type>()?
                .iter()
                .map(|ms| ms.map(|ms| ms.div_euclid(86_400_000)))
                .collect(),
            DataType::Timestamp(TimeUnit::Second, None) => {
                stamps::<TimestampSecondType>(chunk, 86_400)?
            }
            DataType::Timestamp(TimeUnit::Millisecond, None) => {
                stamps::<TimestampMillisecondType>(chunk, 86_400_000)?
            }
            DataType::Timestamp(TimeUnit::Microsecond, None) => {
                stamps::<TimestampMicrosecondType>(chunk, 86_400_000_000)?
            }
            DataType::Timestamp(TimeUnit::Nanosecond, None) => {
                stamps::<TimestampNanosecondType>(chunk, 86_400_000_000_000)?
            }
            _ => return None,
        };
        for day in since_epoch {
            match day.map(civil_day) {
                Some(Some(number)) => {
                    numbers.push(number);
                    valid.set(row);
                }
                Some(None) => {
                    bad.push((
                        row,
                        "the date is outside the years -9999 to 9999".to_owned(),
                    ));
                    numbers.push(0);
                }
                None => numbers.push(0),
            }
            row += 1;
        }
    }
    Some(DateColumn::from_numbers(numbers, valid))
}

/// Each timestamp's day since the epoch.
fn stamps<T: ArrowPrimitiveType<Native = i64>>(
    chunk: &ArrayRef,
    per_day: i64,
) -> Option<Vec<Option<i64>>> {
    Some(
        chunk
            .as_primitive_opt::<T>()?
            .iter()
            .map(|t| t.map(|t| t.div_euclid(per_day)))
            .collect(),
    )
}

/// The [`day_number`] of the day `days` after 1970-01-01 (H. Hinnant's
/// `civil_from_days`), when its year is one jiff knows.
fn civil_day(days: i64) -> Option<i32> {
    let z = days.checked_add(719_468)?;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let date = jiff::civil::Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()?;
    Some(day_number(date))
}

/// Booleans; null is false, as a customer without the flag.
fn flags(chunks: &[&ArrayRef], rows: usize) -> Bits {
    let mut flags = Bits::none(rows);
    let mut row = 0;
    for chunk in chunks {
        if let Some(booleans) = chunk.as_boolean_opt() {
            for value in booleans.iter() {
                if value == Some(true) {
                    flags.set(row);
                }
                row += 1;
            }
        } else {
            row += chunk.len();
        }
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_since_the_epoch_become_civil_days() {
        let day = |y, m, d| day_number(jiff::civil::Date::new(y, m, d).unwrap_or_default());
        assert_eq!(civil_day(0), Some(day(1970, 1, 1)));
        assert_eq!(civil_day(-1), Some(day(1969, 12, 31)));
        assert_eq!(civil_day(20_454), Some(day(2026, 1, 1)));
        assert_eq!(civil_day(11_016), Some(day(2000, 2, 29)));
        assert_eq!(civil_day(i64::from(i32::MAX)), None);
        // Every day of four centuries, against jiff.
        let epoch = jiff::civil::Date::new(1970, 1, 1).unwrap_or_default();
        for days in (-200_000..200_000).step_by(7) {
            let expected = epoch
                .checked_add(jiff::Span::new().days(days))
                .ok()
                .map(day_number);
            assert_eq!(civil_day(days), expected, "{days}");
        }
    }
}
