//! [`Target`] read from text: `FromStr` and `TryFrom<&str>`, beside its
//! definition in `classification`.

use std::str::FromStr;

use crate::classification::Target;
use crate::error::{CodeError, CodeKind};

impl FromStr for Target {
    type Err = CodeError;

    /// As [`Target::parse`]: `class3`, `type`, `group` or `price_group`.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Target::parse(name).ok_or_else(|| CodeError::new(CodeKind::Target, name))
    }
}

impl TryFrom<&str> for Target {
    type Error = CodeError;

    fn try_from(name: &str) -> Result<Self, Self::Error> {
        name.parse()
    }
}
