//! What every command-line test file needs: the binary run in a folder of
//! its own, and the repository's examples.

#![allow(dead_code, reason = "each test file uses some of these")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The path of `examples/<name>`, as an argument.
pub fn example(name: &str) -> String {
    repo().join("examples").join(name).display().to_string()
}

/// Runs the binary in `dir`, with nothing on standard input.
pub fn custclass(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_custclass"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// An empty folder of its own for test `name`, removed when the test ends
/// (a killed run's 100,000-row files must not pile up in the temp dir).
pub fn scratch(name: &str) -> Scratch {
    Scratch(
        tempfile::Builder::new()
            .prefix(&format!("custclass-test-{name}-"))
            .tempdir()
            .unwrap(),
    )
}

/// A test's folder: a path that deletes itself.
pub struct Scratch(tempfile::TempDir);

impl std::ops::Deref for Scratch {
    type Target = Path;

    fn deref(&self) -> &Path {
        self.0.path()
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        self.0.path()
    }
}
