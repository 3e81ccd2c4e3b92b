//! The expression language shared by rule conditions, segments and (later)
//! price-rule scopes: parse, type-check against a setup, evaluate.

mod columns;
mod compile;
mod in_list;
mod lex;
mod parse;
mod print;
mod shared;

pub(crate) use columns::{Derived, ZoneSource};
pub(crate) use compile::{Cond, Subject, Vocabulary, ZONE_COLUMNS};
pub(crate) use shared::SharedTests;

use crate::error::ExprError;

/// Parses and type-checks `src` against a setup's vocabulary.
pub(crate) fn compile(src: &str, vocab: &dyn Vocabulary) -> Result<Cond, ExprError> {
    compile::compile(&parse::parse(src)?, vocab)
}

/// Parses an expression and prints it in its canonical form: keywords in
/// lower case, one space between tokens, `(a, b)` lists, and parentheses
/// only where the grouping needs them. The canonical text parses to the
/// same expression, so setups written by tools compare and diff cleanly.
/// The setup isn't consulted: a canonical expression may still name a field
/// a setup doesn't have.
///
/// # Errors
///
/// An [`ExprError`] when `src` doesn't parse, with the byte offset.
///
/// # Examples
///
/// ```
/// use custclass::format_expression;
///
/// let written = "country IN ('DE','AT')  AND ((channel='webshop'))";
/// let canonical = format_expression(written)?;
/// assert_eq!(canonical, "country in ('DE', 'AT') and channel = 'webshop'");
/// assert_eq!(format_expression(&canonical)?, canonical);    // a fixed point
///
/// let err = format_expression("country = 'DE' and").err().ok_or("unfinished")?;
/// assert_eq!((err.code(), err.offset()), ("unexpected_end", 18));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn format_expression(src: &str) -> Result<String, ExprError> {
    Ok(parse::parse(src)?.to_string())
}
