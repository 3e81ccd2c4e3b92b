//! A run stopped by Ctrl-C, `kill` or a closed terminal removes the
//! temporary files of the outputs it had not finished, then ends as that
//! signal would have ended it (a shell shows 130 for Ctrl-C, 143 for
//! `kill`; a shell loop around the command stops too, which it would not if
//! the command merely exited with that code).
//!
//! The paths of unfinished temporary files are kept here, and only here:
//! [`created`] and [`settled`] change the list under the same lock the
//! signal's clean-up takes, so a signal never sees a file half-registered.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use tempfile::NamedTempFile;

struct Registry {
    /// Whether the signals are watched yet: only once there is something
    /// to clean up, so a run that writes to standard output keeps the
    /// default handling.
    watching: bool,
    /// Temporary files not yet renamed into place nor removed.
    pending: Vec<PathBuf>,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    watching: false,
    pending: Vec::new(),
});

fn lock() -> MutexGuard<'static, Registry> {
    // A panic elsewhere while holding the lock leaves the list usable.
    REGISTRY.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Creates a temporary file through `create` and records it for removal
/// on a signal.
pub(crate) fn created(
    create: impl FnOnce() -> io::Result<NamedTempFile>,
) -> io::Result<NamedTempFile> {
    let mut registry = lock();
    if !registry.watching {
        watch()?;
        registry.watching = true;
    }
    let file = create()?;
    registry.pending.push(file.path().to_owned());
    Ok(file)
}

/// Settles a temporary file through `settle` (renaming it into place, or
/// removing it) and forgets it.
pub(crate) fn settled<T>(path: &Path, settle: impl FnOnce() -> T) -> T {
    let mut registry = lock();
    let outcome = settle();
    registry.pending.retain(|pending| pending != path);
    outcome
}

#[cfg(unix)]
fn watch() -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    use signal_hook::iterator::Signals;

    let mut signals = Signals::new([SIGINT, SIGTERM, SIGHUP])?;
    std::thread::Builder::new()
        .name("signals".to_owned())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                // Held until the end: nothing is created or renamed meanwhile.
                let registry = lock();
                for path in &registry.pending {
                    let _ = std::fs::remove_file(path);
                }
                // Ends the process as killed by `signal`; the exit is for a
                // system where that fails.
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        })?;
    Ok(())
}

/// Without Unix signals, a stopped run leaves its temporary file (never a
/// half report under the output's name).
#[cfg(not(unix))]
fn watch() -> io::Result<()> {
    Ok(())
}
