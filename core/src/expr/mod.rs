//! The expression language shared by rule conditions, segments and (later)
//! price-rule scopes: parse, type-check against a setup, evaluate.

mod columns;
mod compile;
mod parse;

pub(crate) use columns::{Derived, ZoneSource};
pub(crate) use compile::{
    Codebook, Cond, Subject, TextGetter, Vocabulary, ZONE_COLUMNS, text_fields,
};

use crate::error::ExprError;

/// Parses and type-checks `src` against a setup's vocabulary.
pub(crate) fn compile(src: &str, vocab: &dyn Vocabulary) -> Result<Cond, ExprError> {
    compile::compile(&parse::parse(src)?, vocab)
}
