//! custclass where the customers live: label the rows of a PostgreSQL
//! customer table in bulk (`COPY` out, the bulk classifier, `COPY` in),
//! and keep labelling every row any application inserts or changes
//! (triggers queue the ids, a watcher labels them).
//!
//! The layers: [`conninfo`] finds the server as `psql` does; [`place`]
//! quotes every name; [`mapping`] pairs table columns with customer
//! fields; [`mod@install`] creates custclass's tables and triggers; [`job`]
//! reads, classifies and merges; [`mod@watch`] drives batches from the queue.
//! The core library knows nothing of any of this: rows enter it through
//! its CSV door, exactly as a file would, with the same checks and the
//! same row problems.

pub mod conninfo;
mod copy_text;
mod diff;
pub mod error;
pub mod install;
pub mod job;
pub mod mapping;
pub mod place;
mod read;
pub mod watch;
mod write;

pub use conninfo::ConnInfo;
pub use error::PgError;
pub use install::install;
pub use job::{Job, Report, Scope, classify};
pub use mapping::{Mapping, Plan, plan, table_columns};
pub use place::Place;
pub use watch::{Event, WatchOptions, watch};
