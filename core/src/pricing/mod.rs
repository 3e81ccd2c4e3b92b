//! Price-group discount resolution: for a customer and an order line, which
//! price or discount applies, at what rounded amount, and why.
//!
//! The rules live in the setup ([`Pricing`](crate::Pricing)); the engine compiles them into
//! a price book indexed by customer scope and item group, and answers with
//! a [`Quote`] whose explanation gives every rule its verdict.

// Money is computed with checked decimal operations, each overflow a
// `PricingError` (`amount_overflow`) rather than a panic.
#![deny(clippy::arithmetic_side_effects)]

pub(crate) mod book;
mod money;
pub(crate) mod quote;
pub(crate) mod resolve;

pub use quote::{Candidate, PriceRequest, Quote, RuleId, Verdict};
