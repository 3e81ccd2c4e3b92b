//! One Arrow column into one table column, value by distinct value.
//!
//! Text is gathered into a dictionary first (an Arrow dictionary column
//! already is one), so a country or slot code is checked once, not once
//! per row; numbers and days are copied as they are.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Decimal128Type, Float32Type, Float64Type, Int8Type, Int16Type,
    Int32Type, Int64Type, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, ArrowPrimitiveType, Date32Array};
use arrow_schema::{DataType, TimeUnit};
use rust_decimal::Decimal;

use super::text::{Dictionary, in_row_order, mostly_distinct};
use super::{coded, valid};
use crate::bits::Bits;
use crate::customer::fields::{self, Access};
use crate::error::TableError;
use crate::scalar;
use crate::table::column::day_number;
use crate::table::{Column, DateColumn, DecimalColumn};

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
    // Floats as pandas reads a column with gaps: empty in every row is no
    // text (nor day, nor flag); whole numbers are the integers they stand
    // for (an account 1400 read as 1400.0).
    let read_as: Vec<ArrayRef>;
    let chunks_as: Vec<&ArrayRef>;
    let chunks = match kind {
        Kind::Number => chunks,
        _ if all_empty_floats(chunks) => {
            read_as = (chunks.iter())
                .map(|chunk| arrow_array::new_null_array(&DataType::Null, chunk.len()))
                .collect();
            chunks_as = read_as.iter().collect();
            &chunks_as[..]
        }
        Kind::Text | Kind::CheckedText => match whole_floats(chunks) {
            Some(integers) => {
                read_as = integers;
                chunks_as = read_as.iter().collect();
                &chunks_as[..]
            }
            None => chunks,
        },
        _ => chunks,
    };
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
    // Dictionaries (categoricals) code to code.
    if matches!(kind, Kind::Text | Kind::CheckedText)
        && let Some(column) = coded::dictionary_column(name, kind, chunks, rows, &mut bad)
    {
        return Ok((Column::Text(column), bad));
    }
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

/// Whether the column is floats with no value in any row (null or NaN):
/// pandas reads a column empty in every row of a CSV (`;;`) as such, when
/// it means no text at all. A column of numbers keeps NaN a bad cell.
fn all_empty_floats(chunks: &[&ArrayRef]) -> bool {
    let empty = |chunk: &ArrayRef| match chunk.data_type() {
        DataType::Null => Some(true),
        DataType::Float64 => Some(
            chunk
                .as_primitive_opt::<Float64Type>()?
                .iter()
                .all(|value| value.is_none_or(f64::is_nan)),
        ),
        DataType::Float32 => Some(
            chunk
                .as_primitive_opt::<Float32Type>()?
                .iter()
                .all(|value| value.is_none_or(f32::is_nan)),
        ),
        _ => Some(false),
    };
    chunks.iter().any(|chunk| chunk.data_type().is_floating())
        && chunks.iter().all(|chunk| empty(chunk).unwrap_or(false))
}

/// A column of floats that are all whole numbers (or null, or NaN) as
/// integers, NaN null: pandas' form of a column of integers with gaps.
/// `None` for any other column, or a float that isn't a whole number held
/// exactly.
fn whole_floats(chunks: &[&ArrayRef]) -> Option<Vec<ArrayRef>> {
    /// Beyond 2^53 a float is no longer every integer.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    let whole = |value: Option<f64>| -> Option<Option<i64>> {
        match value {
            None => Some(None),
            Some(value) if value.is_nan() => Some(None),
            Some(value) if value.fract() == 0.0 && value.abs() <= EXACT => Some(Some(value as i64)),
            Some(_) => None,
        }
    };
    if !chunks.iter().any(|chunk| chunk.data_type().is_floating()) {
        return None;
    }
    (chunks.iter())
        .map(|chunk| -> Option<ArrayRef> {
            let integers: Vec<Option<i64>> = match chunk.data_type() {
                DataType::Null => vec![None; chunk.len()],
                DataType::Float64 => (chunk.as_primitive_opt::<Float64Type>()?.iter())
                    .map(whole)
                    .collect::<Option<_>>()?,
                DataType::Float32 => (chunk.as_primitive_opt::<Float32Type>()?.iter())
                    .map(|value| whole(value.map(f64::from)))
                    .collect::<Option<_>>()?,
                _ => return None,
            };
            Some(std::sync::Arc::new(arrow_array::Int64Array::from(integers)))
        })
        .collect()
}

/// Numbers as decimals: integers and Arrow decimals exactly (kept as
/// integers at their scale when they fit 64 bits), floats as the shortest
/// decimal that reads back as the same float (0.1 is 0.1). NaN,
/// infinities and floats with more places than a float may carry
/// (`scalar::float_decimal`) are bad cells.
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
            DataType::Float32 => each!(Float32Type, scalar::float_decimal),
            DataType::Float64 => each!(Float64Type, scalar::float_decimal),
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
        let nulls = chunk.nulls();
        let start = mantissas.len();
        match chunk.data_type() {
            DataType::Int64 => {
                mantissas.extend_from_slice(chunk.as_primitive_opt::<Int64Type>()?.values())
            }
            _ => {
                // One pass, no branch: the values cut to 64 bits, and
                // whether each fitted.
                let mut fits = true;
                let values = chunk.as_primitive_opt::<Decimal128Type>()?.values();
                mantissas.extend(values.iter().map(|&value| {
                    fits &= i128::from(value as i64) == value;
                    value as i64
                }));
                // A null may hold anything; a value must fit.
                let too_wide =
                    |row: usize| values.get(row).is_some_and(|&v| i64::try_from(v).is_err());
                if !fits
                    && (0..chunk.len())
                        .any(|row| nulls.is_none_or(|n| n.is_valid(row)) && too_wide(row))
                {
                    return None;
                }
            }
        }
        valid::set_valid(&mut valid, start, chunk.len(), nulls);
        valid::each_null(nulls, |row| {
            if let Some(m) = mantissas.get_mut(start + row) {
                *m = 0;
            }
        });
    }
    Some(DecimalColumn::from_scaled(
        mantissas,
        scale.unwrap_or(0),
        valid,
    ))
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
        if let Some(dates) = chunk.as_primitive_opt::<Date32Type>() {
            date32(dates, &mut numbers, &mut valid, bad);
            row += chunk.len();
            continue;
        }
        let since_epoch: Vec<Option<i64>> = match chunk.data_type() {
            DataType::Null => vec![None; chunk.len()],
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
                    bad.push((row, OUT_OF_RANGE.to_owned()));
                    numbers.push(0);
                }
                None => numbers.push(0),
            }
            row += 1;
        }
    }
    Some(DateColumn::from_numbers(numbers, valid))
}

const OUT_OF_RANGE: &str = "the date is outside the years -9999 to 9999";

/// A day jiff doesn't know, while converting (no day number is this low).
const NO_DAY: i32 = i32::MIN;

/// `date32` days into day numbers: through a table of the days between the
/// first and the last when they are near (a year of creation days is 366
/// conversions, not a million), else one by one; a day outside jiff's
/// years is a bad cell.
fn date32(dates: &Date32Array, numbers: &mut Vec<i32>, valid: &mut Bits, bad: &mut Vec<Bad>) {
    let start = numbers.len();
    let values = dates.values();
    let low = values.iter().copied().min().unwrap_or(0);
    let high = values.iter().copied().max().unwrap_or(0);
    let span = i64::from(high) - i64::from(low);
    let near = (4096usize.max(values.len() / 4)) as i64;
    if span < near {
        let table: Vec<i32> = (i64::from(low)..=i64::from(high))
            .map(|day| civil_day(day).unwrap_or(NO_DAY))
            .collect();
        numbers.extend(values.iter().map(|&day| {
            let at = (i64::from(day) - i64::from(low)) as usize;
            table.get(at).copied().unwrap_or(NO_DAY)
        }));
    } else {
        numbers.extend(
            values
                .iter()
                .map(|&day| civil_day(i64::from(day)).unwrap_or(NO_DAY)),
        );
    }
    valid::set_valid(valid, start, dates.len(), dates.nulls());
    valid::each_null(dates.nulls(), |row| {
        if let Some(number) = numbers.get_mut(start + row) {
            *number = 0;
        }
    });
    if let Some(mine) = numbers.get_mut(start..) {
        for (row, number) in mine.iter_mut().enumerate() {
            if *number == NO_DAY {
                *number = 0;
                valid.clear(start + row);
                bad.push((start + row, OUT_OF_RANGE.to_owned()));
            }
        }
    }
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
