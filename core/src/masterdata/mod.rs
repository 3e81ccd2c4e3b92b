//! Master-data checks on the customer card: what a back office needs when it
//! creates, edits or erases customers, apart from classifying them.

mod anonymise;
mod check;
mod duplicates;
mod email;
mod gtin;
#[cfg(feature = "phones")]
mod phone;

pub use check::Finding;
pub use duplicates::{DuplicateGroup, DuplicateIndex, DuplicateReason};
#[cfg(feature = "phones")]
pub use phone::PhoneFormats;
