//! # custclass
//!
//! Customer classification for ERP and webshop software: a company describes
//! its classification once in a [`Setup`] (labelled slots, types → groups →
//! price groups, accounts, ordered auto-labelling rules); the [`Engine`]
//! compiled from it labels every customer and says why each value was chosen.
//!
//! ```
//! use custclass::{Customer, Engine, Setup};
//!
//! let setup = Setup::standard("NL".to_owned().try_into()?);
//! let engine = Engine::new(setup)?;
//! let customer = Customer::from_json(r#"{
//!     "id": "10001", "billing_address": {"country": "DE"},
//!     "vat_number": "DE123456788", "channel": "webshop"
//! }"#)?;
//! let result = engine.classify(&customer)?;
//! assert_eq!(result.group.as_ref().unwrap().value, "EU");
//! assert_eq!(result.receivables_account.as_ref().unwrap().value, "1110");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The crate does no I/O of its own beyond `Read`/`Write`: bindings and the
//! command line bring the files.
#![deny(missing_docs)]
// Library code indexes only through `get`: an index out of bounds would be a
// panic in the host. (Tests index freely: a failed index is a failed test.)
#![deny(clippy::indexing_slicing)]

/// Enters a `tracing` span (level INFO) for the rest of the block around a
/// bulk entry point, with counts as fields: `span!("classify_table", rows =
/// table.len())`. Without the `tracing` feature it expands to nothing, the
/// fields are not even computed.
macro_rules! span {
    ($name:literal $(, $field:ident = $value:expr)* $(,)?) => {
        #[cfg(feature = "tracing")]
        let _span = tracing::info_span!(
            target: "custclass",
            $name
            $(, $field = $value)*
        )
        .entered();
    };
}

#[cfg(feature = "arrow")]
pub mod arrow;
#[cfg(feature = "batch")]
pub mod batch;
mod bits;
mod bounded;
mod bulk;
pub mod canonical;
mod classification;
mod compiled;
mod connect;
mod customer;
pub mod customer_file;
pub mod encoding;
mod engine;
mod error;
mod eu;
mod expr;
mod fingerprint;
pub mod iso;
pub mod limits;
mod masterdata;
pub mod order_file;
mod pricing;
pub mod report;
mod scalar;
mod setup;
mod table;
mod text_newtype;
mod threads;
mod vat;

pub use bulk::{ResultColumn, TableClassification};
pub use classification::{
    Assigned, AssignedClasses, Change, Classification, Reclassification, ResultField, Source,
    Target,
};
pub use connect::{
    Exported, ImportOptions, Imported, from_magento, from_shopify, from_woocommerce, payload_text,
};
#[cfg(feature = "webhooks")]
pub use connect::{verify_shopify_webhook, verify_woocommerce_webhook};
pub use customer::{
    Address, AttrValue, Channel, Classes, CountryCode, CurrencyCode, Customer, CustomerId,
    DocumentEmails, OtherChannel, VatZone,
};
pub use encoding::{Encoding, UnknownEncoding};
pub use engine::{Engine, Segment, SegmentMasks, SegmentSet, UnknownColumns};
pub use error::{
    CodeError, CodeKind, ConnectError, CustomerError, ErrorCode, ErrorJson, ExprError,
    InternalError, PricingError, PricingErrorKind, RowProblem, SetupError, SetupProblem,
    SetupProblemKind, TableError, all_codes,
};
pub use expr::format_expression;
pub use fingerprint::{Fingerprint, NotAFingerprint};
#[cfg(feature = "phones")]
pub use masterdata::PhoneFormats;
pub use masterdata::{DuplicateGroup, DuplicateIndex, DuplicateReason, Finding};
pub use pricing::{Candidate, PriceRequest, Quote, RuleId, Verdict};
pub use setup::{
    AttributeDef, AttributeKind, CustomerScope, CustomerType, Defaults, Erp, EuMembership,
    ExactMapping, Group, ItemGroup, ItemScope, NumberMapping, PaymentTerms, PriceAction,
    PriceGroup, PriceRule, Pricing, Rounding, Rule, Setup, Slot, SlotValue, Stacking, Strategy,
};
pub use table::{CustomerTable, SegmentWarning, Selection, TableBuilder, TableIndex, TableMemory};

/// The exact decimal of amounts, quantities, credit limits and numeric
/// attributes (`rust_decimal`), re-exported so hosts need not depend on the
/// same version themselves.
pub use rust_decimal::Decimal;

/// The calendar day of dates in customers, price requests and rules
/// (`jiff::civil::Date`), re-exported as [`Decimal`] is.
pub use jiff::civil::Date;

/// The README's Rust example, compiled and run as a doc test.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
