//! Where a command reads: a file, or standard input for `-` (so that a
//! command can sit at the end of a pipe). A file literally named `-` is
//! `./-`.

use std::fs::{File, Metadata};
use std::io::{self, BufRead, BufReader};
use std::path::Path;

use crate::Fatal;

/// Whether `path` stands for standard input.
pub(crate) fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Bytes read at a time: a few hundred lines, so that few lines straddle
/// two reads (the CSV reader splits a line where it lies in the buffer).
const BUFFER: usize = 256 << 10;

/// Opens an input for reading, naming it in the error.
pub(crate) fn open(path: &Path) -> Result<Box<dyn BufRead + Send>, Fatal> {
    if is_stdin(path) {
        return Ok(Box::new(BufReader::with_capacity(BUFFER, io::stdin())));
    }
    let file = File::open(path).map_err(|err| Fatal(format!("{}: {err}", path.display())))?;
    Ok(Box::new(BufReader::with_capacity(BUFFER, file)))
}

/// Refuses more than one input read from standard input: it can be read
/// only once.
pub(crate) fn one_stdin(paths: &[&Path]) -> Result<(), Fatal> {
    if paths.iter().filter(|path| is_stdin(path)).count() > 1 {
        return Err(Fatal(
            "only one input can be `-` (standard input): give the others as files".to_owned(),
        ));
    }
    Ok(())
}

/// How an input is named in a message.
pub(crate) fn name(path: &Path) -> String {
    if is_stdin(path) {
        "standard input".to_owned()
    } else {
        path.display().to_string()
    }
}

/// What the input is on disk (following links): for `-`, the file or pipe
/// standard input is.
pub(crate) fn metadata(path: &Path) -> io::Result<Metadata> {
    if is_stdin(path) {
        return stdin_metadata();
    }
    std::fs::metadata(path)
}

#[cfg(unix)]
fn stdin_metadata() -> io::Result<Metadata> {
    use std::os::fd::AsFd;
    // A duplicate of the descriptor, so that closing it leaves stdin open.
    let stdin = File::from(io::stdin().as_fd().try_clone_to_owned()?);
    stdin.metadata()
}

#[cfg(not(unix))]
fn stdin_metadata() -> io::Result<Metadata> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}
