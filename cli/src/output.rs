//! Where a command writes: standard output, a stream (a FIFO, a device), or
//! a file that appears whole or not at all.
//!
//! A file is written under a temporary name beside it and renamed over it
//! only when the command succeeds, so a run that is interrupted (killed,
//! out of disk, an error half-way) never leaves a half report that looks
//! complete. The temporary file is created exclusively under a name nobody
//! can guess, so a link planted in the folder can't redirect the report
//! into another file. A link given as the output is written through: the
//! file at the end of the chain is replaced and the link stays. A replaced
//! file keeps its permission bits. A FIFO or a device is written directly:
//! replacing it with a file would break whoever reads it.
//!
//! The checks that can refuse a run (the output is one of the inputs, or a
//! folder) are in [`Destination::new`], for a command to call before it
//! reads anything.

use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use tempfile::NamedTempFile;

use crate::{Fatal, input, signals};

/// Where a command will write, checked but not yet opened.
#[derive(Debug)]
pub(crate) struct Destination {
    /// The output as the user named it, for messages.
    shown: PathBuf,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Stdout,
    /// Opened and written as it is.
    Stream,
    /// A regular file (or none yet) at this path, links resolved: replaced
    /// through a temporary file beside it.
    File(PathBuf),
}

impl Destination {
    /// Standard output for `None` or `-`, else the file at `out`. Refuses
    /// an output that is the same file as one of `inputs` (following links,
    /// hard links included; `-` is standard input): writing it would
    /// destroy the input.
    pub(crate) fn new(out: Option<&Path>, inputs: &[&Path]) -> Result<Destination, Fatal> {
        let Some(out) = out.filter(|path| !input::is_stdin(path)) else {
            return Ok(Destination {
                shown: PathBuf::from("stdout"),
                kind: Kind::Stdout,
            });
        };
        let failed = |err: io::Error| Fatal(format!("{}: {err}", out.display()));
        let kind = match fs::metadata(out) {
            Ok(meta) if meta.is_dir() => {
                return Err(Fatal(format!("{}: is a folder", out.display())));
            }
            Ok(meta) if meta.is_file() => {
                refuse_inputs(out, &meta, inputs)?;
                Kind::File(fs::canonicalize(out).map_err(failed)?)
            }
            Ok(_) => Kind::Stream,
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                Kind::File(end_of_links(out).map_err(failed)?)
            }
            Err(err) => return Err(failed(err)),
        };
        Ok(Destination {
            shown: out.to_owned(),
            kind,
        })
    }

    /// Opens the output: from here on, an error or a signal removes what
    /// was written, and [`Output::finish`] puts it in place.
    pub(crate) fn create(self) -> Result<Output, Fatal> {
        let failed = |err: io::Error| Fatal(format!("{}: {err}", self.shown.display()));
        match self.kind {
            Kind::Stdout => Ok(Output::stdout()),
            Kind::Stream => {
                let stream = OpenOptions::new()
                    .write(true)
                    .open(&self.shown)
                    .map_err(failed)?;
                Ok(Output::Stream(BufWriter::new(stream), self.shown))
            }
            Kind::File(target) => {
                let file = temporary_beside(&target).map_err(failed)?;
                Ok(Output::File(Pending {
                    temporary: file.path().to_owned(),
                    file: Some(BufWriter::new(file)),
                    target,
                    shown: self.shown,
                }))
            }
        }
    }
}

/// A command's output.
#[derive(Debug)]
pub(crate) enum Output {
    Stdout(io::Stdout),
    /// With its name, for messages.
    Stream(BufWriter<File>, PathBuf),
    File(Pending),
}

/// A file being written under a temporary name.
#[derive(Debug)]
pub(crate) struct Pending {
    /// `None` once renamed into place.
    file: Option<BufWriter<NamedTempFile>>,
    temporary: PathBuf,
    target: PathBuf,
    shown: PathBuf,
}

impl Output {
    /// Standard output, for what a command prints besides its report.
    pub(crate) fn stdout() -> Output {
        Output::Stdout(io::stdout())
    }

    /// Flushes, and puts a file in place under its name: the output is
    /// complete.
    pub(crate) fn finish(self) -> Result<(), Fatal> {
        match self {
            Output::Stdout(mut out) => {
                noticed(out.flush()).map_err(|err| Fatal(format!("stdout: {err}")))
            }
            Output::Stream(mut out, shown) => {
                noticed(out.flush()).map_err(|err| Fatal(format!("{}: {err}", shown.display())))
            }
            Output::File(mut pending) => {
                let shown = pending.shown.clone();
                let failed = |err: io::Error| Fatal(format!("{}: {err}", shown.display()));
                let Some(file) = pending.file.as_mut() else {
                    return Ok(());
                };
                file.flush().map_err(failed)?;
                file.get_ref().as_file().sync_all().map_err(failed)?;
                let Some(file) = pending.file.take() else {
                    return Ok(());
                };
                let target = pending.target.clone();
                // A file that can't be renamed is removed (dropped) before
                // the registry forgets it.
                signals::settled(&pending.temporary, || {
                    let file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
                    file.persist(&target).map(drop).map_err(|err| err.error)
                })
                .map_err(failed)
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        match self {
            Output::Stdout(out) => noticed(out.write(bytes)),
            Output::Stream(out, _) => noticed(out.write(bytes)),
            Output::File(pending) => match &mut pending.file {
                Some(file) => file.write(bytes),
                None => Err(io::Error::other("written after it was finished")),
            },
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Stdout(out) => noticed(out.flush()),
            Output::Stream(out, _) => noticed(out.flush()),
            Output::File(pending) => pending.file.as_mut().map_or(Ok(()), Write::flush),
        }
    }
}

/// A command that stops with an error removes its partial file; only a
/// killed process (SIGKILL, a crash) leaves one, under its temporary name.
impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(file) = self.file.take() {
            // Dropping a `NamedTempFile` removes it.
            signals::settled(&self.temporary, || drop(file));
        }
    }
}

/// Set once a write to standard output or a stream finds its reader gone.
static READER_GONE: AtomicBool = AtomicBool::new(false);

/// Whether the reader of the output went away (`custclass … | head`): it
/// has what it wanted, so the error that stopped the run is no failure and
/// nothing is worth saying. Errors that carry it on as text (a core error's
/// message) lose its kind; this doesn't.
pub(crate) fn reader_gone() -> bool {
    READER_GONE.load(Ordering::Relaxed)
}

fn noticed<T>(outcome: io::Result<T>) -> io::Result<T> {
    if let Err(err) = &outcome
        && err.kind() == io::ErrorKind::BrokenPipe
    {
        READER_GONE.store(true, Ordering::Relaxed);
    }
    outcome
}

fn refuse_inputs(out: &Path, meta: &Metadata, inputs: &[&Path]) -> Result<(), Fatal> {
    for path in inputs {
        if input::metadata(path).is_ok_and(|input| same_file(meta, &input)) {
            return Err(Fatal(format!(
                "--out {} is the same file as the input {}: writing it would destroy the input",
                out.display(),
                input::name(path)
            )));
        }
    }
    Ok(())
}

#[cfg(unix)]
fn same_file(a: &Metadata, b: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    (a.dev(), a.ino()) == (b.dev(), b.ino())
}

#[cfg(not(unix))]
fn same_file(_: &Metadata, _: &Metadata) -> bool {
    false
}

/// The path at the end of a chain of links that leads nowhere (or `path`
/// itself when it is no link): where the output is to be created.
fn end_of_links(path: &Path) -> io::Result<PathBuf> {
    // The kernel's own limit on Linux.
    const MOST_LINKS: usize = 40;
    let mut path = path.to_owned();
    for _ in 0..MOST_LINKS {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let next = fs::read_link(&path)?;
                // Relative to the link's folder; an absolute one replaces it.
                path = match path.parent() {
                    Some(folder) => folder.join(next),
                    None => next,
                };
            }
            Ok(_) => return Ok(path),
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(path),
            Err(err) => return Err(err),
        }
    }
    Err(io::Error::other("too many levels of links"))
}

/// A new temporary file in `target`'s folder (so the rename stays on one
/// file system), with the permissions `target` has, or for a new file the
/// usual ones (0666 less the umask).
fn temporary_beside(target: &Path) -> io::Result<NamedTempFile> {
    let folder = match target.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .map_or_else(|| "output".into(), |name| name.to_string_lossy());
    let prefix = format!(".{name}.partial-");
    let kept = fs::metadata(target).ok().filter(Metadata::is_file);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        let mode = kept
            .as_ref()
            .map_or(0o666, |meta| meta.permissions().mode() & 0o777);
        // Created with the mode (less the umask) rather than widened later:
        // whoever opens the file meanwhile gets no more than it will have.
        builder.permissions(fs::Permissions::from_mode(mode));
        kept.is_some().then_some(mode)
    };
    let file = signals::created(|| builder.tempfile_in(folder))?;
    #[cfg(unix)]
    if let Some(mode) = mode {
        use std::os::unix::fs::PermissionsExt;
        // The bits the umask took: the replaced file had them.
        file.as_file()
            .set_permissions(fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = kept;
    Ok(file)
}
