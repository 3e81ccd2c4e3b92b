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

/// An empty folder for test `name` of this process.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("custclass-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
