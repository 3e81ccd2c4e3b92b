//! What one input may ask of the library. custclass runs inside other
//! vendors' servers and in shoppers' browsers, so hostile or broken input
//! must cost bounded time and memory and end in a typed error, never a
//! stack overflow, a hang or an allocation as large as the input allows.
//!
//! Each limit sits far above what a real setup or file holds: they refuse
//! what can only be a mistake or an attack, and are fixed rather than
//! configurable so that a setup accepted by one front end is accepted by
//! every other.

/// Deepest nesting of parentheses and `not`s in an expression (error code
/// `too_deep`): deeper input is refused before it can exhaust the stack.
pub const MAX_EXPRESSION_DEPTH: usize = 64;

/// Longest expression text in bytes (code `too_long`): 1 MiB, room for an
/// `in` list of tens of thousands of customer numbers.
pub const MAX_EXPRESSION_BYTES: usize = 1 << 20;

/// Most segments in one [`SegmentSet`](crate::SegmentSet) (code
/// `too_many_segments`): a row's answer is one bit per segment of a `u64`.
/// A larger overview is two sets, each still one pass.
pub const MAX_SEGMENTS_IN_SET: usize = 64;

/// Longest row of a customer file in bytes (code `row_too_long`); see
/// [`crate::customer_file::MAX_ROW_BYTES`], which is this limit.
pub const MAX_ROW_BYTES: usize = 1 << 20;

/// Most classification rules in a setup (setup problem `too_many` at
/// `$.rules`).
pub const MAX_RULES: usize = 10_000;

/// Most values of one classification slot (`too_many` at
/// `$.slots[i].values`).
pub const MAX_SLOT_VALUES: usize = 100_000;

/// Most price rules in a setup (`too_many` at `$.pricing.rules`).
pub const MAX_PRICE_RULES: usize = 1_000_000;

/// Most item groups in a setup (`too_many` at `$.pricing.item_groups`).
pub const MAX_ITEM_GROUPS: usize = 100_000;

/// Most levels from an item group up to its root, itself included
/// (`too_many` at `$.pricing.item_groups[i].parent`). A line walks its
/// group's ancestors, and the price book keeps each group's chain.
pub const MAX_ITEM_GROUP_DEPTH: usize = 64;

/// Most price rules with the same customer scope and the same item scope
/// (`too_many` at the first rule past it): the rules a line weighs from one
/// bucket, and the set whose pairs the `priority` strategy checks for ties.
pub const MAX_PRICE_RULES_PER_BUCKET: usize = 10_000;

/// Most copies of price rules on item groups in the price book (`too_many`
/// at the rule that passes it): a rule on a group is listed under the group
/// and every group below it, so that a line reads its candidates from one
/// list. Ten million copies are about a gigabyte.
pub const MAX_PRICE_RULE_REACH: usize = 10_000_000;

/// Longest text of one number in bytes (a list price, a quantity, a credit
/// limit, a numeric attribute; `invalid_field`), checked before the text is
/// parsed: a `Decimal` holds 28 significant digits, so even with a sign,
/// a point and padding zeros a real number is far shorter.
pub const MAX_NUMBER_BYTES: usize = 64;

/// The most decimal places a number given as a float may carry: a JSON
/// number, a Python `float`, a JavaScript number, a float Arrow column.
/// Money and quantities have a few places; a float that needs more in its
/// shortest form (`0.30000000000000004`, `43.94500000000001`) is almost
/// always arithmetic gone wrong, and pricing it as given would be a silent
/// wrong answer. Exact values with more places come as text or decimals.
pub const FLOAT_PLACES: u32 = 6;

/// The largest webshop payload a connector reads (1 MiB): a customer with
/// every address a shop keeps is a few kilobytes, so more is not a customer
/// and is refused before it is parsed.
pub const MAX_PAYLOAD_BYTES: usize = 1 << 20;
