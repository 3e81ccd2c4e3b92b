//! Where a command writes: standard output, or a file that appears whole
//! or not at all. A file is written under a temporary name beside it and
//! renamed over the target only when the command succeeds, so a run that
//! is interrupted (killed, out of disk, an error half-way) never leaves a
//! half report that looks complete.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::Fatal;

/// A command's output.
#[derive(Debug)]
pub(crate) enum Output {
    Stdout(io::Stdout),
    File(Pending),
}

/// A file being written under a temporary name.
#[derive(Debug)]
pub(crate) struct Pending {
    file: BufWriter<File>,
    temporary: PathBuf,
    target: PathBuf,
}

impl Output {
    /// Standard output, or a new file at `path` (written under a temporary
    /// name until [`Output::finish`]).
    pub(crate) fn create(path: Option<&Path>) -> Result<Output, Fatal> {
        let Some(target) = path else {
            return Ok(Output::Stdout(io::stdout()));
        };
        let name = target
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".to_owned());
        // Beside the target, so the rename stays on one file system.
        let temporary = target.with_file_name(format!(".{name}.partial-{}", std::process::id()));
        let file = File::create(&temporary)
            .map_err(|err| Fatal(format!("{}: {err}", target.display())))?;
        Ok(Output::File(Pending {
            file: BufWriter::new(file),
            temporary,
            target: target.to_owned(),
        }))
    }

    /// Flushes, and puts a file in place under its name: the output is
    /// complete.
    pub(crate) fn finish(self) -> Result<(), Fatal> {
        match self {
            Output::Stdout(mut out) => out.flush().map_err(|err| Fatal(format!("stdout: {err}"))),
            Output::File(mut pending) => {
                let target = pending.target.clone();
                let failed = |err: io::Error| Fatal(format!("{}: {err}", target.display()));
                pending.file.flush().map_err(failed)?;
                pending.file.get_ref().sync_all().map_err(failed)?;
                std::fs::rename(&pending.temporary, &pending.target).map_err(failed)?;
                // Renamed: nothing left for `drop` to remove.
                pending.temporary = PathBuf::new();
                Ok(())
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        match self {
            Output::Stdout(out) => out.write(bytes),
            Output::File(pending) => pending.file.write(bytes),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Stdout(out) => out.flush(),
            Output::File(pending) => pending.file.flush(),
        }
    }
}

/// A command that stops with an error removes its partial file; only a
/// killed process leaves one, under its temporary name.
impl Drop for Pending {
    fn drop(&mut self) {
        if !self.temporary.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
}
