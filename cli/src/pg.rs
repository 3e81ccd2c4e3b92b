//! `custclass pg install | classify | watch`: the customer table of a
//! PostgreSQL database labelled where it is (the work is `custclass-pg`'s;
//! this is the command line around it).
//!
//! The server is found as `psql` finds it: `--url`, else `PGHOST`,
//! `PGPORT`, `PGUSER`, `PGDATABASE`, with the password from the URL,
//! `PGPASSWORD` or the password file. Messages name the server as
//! `user@host:port/db`, never with its password.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use clap::{Args, Subcommand};
use custclass::Engine;
use custclass_pg::{ConnInfo, Event, Job, Mapping, Place, Plan, Report, Scope, WatchOptions};

use crate::Fatal;

#[derive(Subcommand)]
pub(crate) enum PgCommand {
    /// Create custclass's tables (custclass_labels, custclass_rejects,
    /// custclass_outbox) beside the customer table, and the triggers that
    /// queue every inserted, changed or deleted customer for `pg watch`.
    /// Run it again after the setup reads new columns.
    Install(Target),
    /// Label every customer of the table now, in one transaction; only
    /// what changed is written.
    Classify {
        #[command(flatten)]
        target: Target,
        /// Write the results into the customer table's own columns
        /// (same-named ones, or those the mapping file's "labels" names)
        /// instead of custclass_labels. A column the setup also reads
        /// (group, class1, …) needs its source column beside it
        /// (group_source): only values whose source is empty or 'manual'
        /// are read back, as set by hand.
        #[arg(long)]
        columns: bool,
        /// Only the customers labelled (or rejected) by another setup than
        /// this one: after a setup change. Not with --columns: only
        /// custclass_labels records which setup gave a label, so after a
        /// setup change run a full `pg classify --columns`.
        #[arg(long, conflicts_with = "columns")]
        stale: bool,
    },
    /// Label the customers the triggers queue, as they are queued: the
    /// backlog first, then each new batch. Stops on Ctrl-C or `kill`;
    /// a batch is committed whole or not at all.
    Watch {
        #[command(flatten)]
        target: Target,
        /// As for `pg classify`.
        #[arg(long)]
        columns: bool,
        /// Customers per batch (one transaction each).
        #[arg(long, default_value_t = 1000)]
        batch: i64,
        /// Work off the backlog, then stop.
        #[arg(long)]
        once: bool,
    },
}

/// Which table, with which setup, on which server.
#[derive(Args)]
pub(crate) struct Target {
    /// The setup file (JSON).
    #[arg(long)]
    setup: PathBuf,
    /// The server: `postgresql://user@host:port/db` or `host=… dbname=…`.
    /// Missing: PGHOST, PGPORT, PGUSER, PGDATABASE. Keep the password
    /// out of it (PGPASSWORD or ~/.pgpass): other users see command lines.
    #[arg(long)]
    url: Option<String>,
    /// The customer table.
    #[arg(long, default_value = "customers")]
    table: String,
    /// The schema of the customer table and of custclass's tables.
    #[arg(long, default_value = "public")]
    schema: String,
    /// A mapping file (JSON): {"columns": {"table_column": "field"},
    /// "labels": {"group": "column"}}. Missing: same-named columns.
    #[arg(long)]
    mapping: Option<PathBuf>,
}

pub(crate) fn pg(command: PgCommand) -> Result<ExitCode, Fatal> {
    match command {
        PgCommand::Install(target) => {
            let context = Context::open(&target, false)?;
            let mut client = context.conninfo.connect()?;
            let plan = context.plan(&mut client)?;
            custclass_pg::install(&mut client, &context.place, &plan)?;
            println!(
                "installed in {} on {}: custclass_labels, custclass_rejects, custclass_outbox; \
                 triggers on {} watch {} column(s)",
                context.place.schema_sql(),
                context.conninfo.server(),
                context.place.table_sql(),
                plan.reads.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        PgCommand::Classify {
            target,
            columns,
            stale,
        } => {
            let context = Context::open(&target, columns)?;
            let mut client = context.conninfo.connect()?;
            let plan = context.plan(&mut client)?;
            let scope = if stale { Scope::Stale } else { Scope::All };
            let job = context.job(&plan);
            let report = custclass_pg::classify(&mut client, &job, &scope)?;
            println!("{}", describe(&report, columns));
            Ok(if report.rejected > 0 {
                eprintln!(
                    "{} row(s) rejected: see {}.custclass_rejects",
                    report.rejected,
                    context.place.schema_sql()
                );
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        PgCommand::Watch {
            target,
            columns,
            batch,
            once,
        } => {
            let context = Context::open(&target, columns)?;
            let plan = {
                let mut client = context.conninfo.connect()?;
                context.plan(&mut client)?
            };
            let job = context.job(&plan);
            let options = WatchOptions {
                batch: batch.max(1),
                poll: Duration::from_secs(1),
                once,
            };
            let stop = stop_flag()?;
            let mut events = |event: Event<'_>| match event {
                Event::Connected => eprintln!(
                    "watching {} on {}",
                    context.place.table_sql(),
                    context.conninfo.server()
                ),
                Event::Batch(report) => println!("{}", describe(report, columns)),
                Event::Lost(err, pause) => eprintln!(
                    "connection lost ({err}); retrying in {} ms",
                    pause.as_millis()
                ),
                Event::RolledBack(err) => eprintln!("batch rolled back ({err}); trying again"),
                _ => {}
            };
            custclass_pg::watch(
                &context.conninfo,
                &job,
                &options,
                &|| stop.load(Ordering::Relaxed),
                &mut events,
            )?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// What every subcommand needs before it talks to the server.
struct Context {
    engine: Engine,
    place: Place,
    mapping: Mapping,
    conninfo: ConnInfo,
    label_columns: bool,
}

impl Context {
    fn open(target: &Target, label_columns: bool) -> Result<Context, Fatal> {
        let setup = crate::read_setup(&target.setup)?;
        let engine =
            Engine::new(setup).map_err(|err| Fatal(crate::describe_setup(&target.setup, &err)))?;
        let mapping = match &target.mapping {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|err| format!("{}: {err}", path.display()))?;
                Mapping::from_json(&text).map_err(|err| format!("{}: {err}", path.display()))?
            }
            None => Mapping::default(),
        };
        Ok(Context {
            engine,
            place: Place::new(&target.schema, &target.table),
            mapping,
            conninfo: ConnInfo::new(target.url.as_deref())?,
            label_columns,
        })
    }

    /// The table's columns resolved against the mapping; says which
    /// fields the setup reads that no column gives.
    fn plan(&self, client: &mut postgres::Client) -> Result<Plan, Fatal> {
        let columns = custclass_pg::table_columns(client, &self.place)?;
        let plan = custclass_pg::plan(
            &self.place,
            &columns,
            &self.mapping,
            &self.engine,
            self.label_columns,
        )?;
        if !plan.missing.is_empty() {
            eprintln!(
                "note: no column of {} gives {}; every row reads as missing there",
                self.place.table_sql(),
                plan.missing.join(", ")
            );
        }
        Ok(plan)
    }

    fn job<'a>(&'a self, plan: &'a Plan) -> Job<'a> {
        Job {
            engine: &self.engine,
            place: &self.place,
            plan,
        }
    }
}

fn describe(report: &Report, columns: bool) -> String {
    let written = if columns {
        format!("{} customer row(s) updated", report.written)
    } else {
        format!(
            "{} label(s) written, {} removed",
            report.written, report.removed
        )
    };
    format!(
        "{} read, {} classified, {} rejected; {written}; rejects: {} added, {} removed",
        report.read,
        report.classified,
        report.rejected,
        report.rejects_added,
        report.rejects_removed
    )
}

/// Set by Ctrl-C or `kill`: the watcher finishes its batch and stops.
fn stop_flag() -> Result<Arc<AtomicBool>, Fatal> {
    let stop = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    for signal in [
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    Ok(stop)
}
