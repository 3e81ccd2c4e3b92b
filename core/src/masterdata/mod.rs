//! Master-data checks on the customer card: what a back office needs when it
//! creates, edits or erases customers, apart from classifying them.

mod anonymise;
mod check;
mod duplicates;
mod email;
mod gtin;
mod phone;

pub use check::Finding;
pub use duplicates::{DuplicateGroup, DuplicateIndex, DuplicateReason};
pub use phone::PhoneFormats;
