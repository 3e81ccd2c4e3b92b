//! Classified customers written out: CSV reports for people and
//! spreadsheets (per customer the fields that say who it is, then each
//! assigned value beside its provenance), JSON lines for machines (the
//! whole customer and classification).
//!
//! Both write one customer at a time or a whole classified table straight
//! from its columns, the same bytes either way: a table's rows share a few
//! distinct results, whose text is made once, so writing a million rows
//! costs little more than copying their bytes.

mod csv_report;
mod customer_json;
mod json_lines;
mod prepared;
mod result_json;
mod table_lines;
mod text;

pub use csv_report::ReportWriter;
pub use json_lines::JsonLinesWriter;
