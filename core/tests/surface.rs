//! Surface parity, the core's side: every public function of the types that
//! `vectors/surface.json` scans is either offered by the bindings or listed
//! there as Rust-only with a reason, and the error codes listed there are
//! exactly those of the core's catalogue (`custclass::all_codes()`). Each binding's own parity test then
//! checks that it offers every name the file lists.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

fn read(relative: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)).unwrap()
}

fn surface() -> Value {
    serde_json::from_str(&read("../vectors/surface.json")).unwrap()
}

fn strings<'a>(items: &'a Value, key: &str) -> BTreeSet<&'a str> {
    items
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|item| item[key].as_str())
        .collect()
}

/// `Type::function` for every `pub fn` inside an inherent `impl` block of
/// one of `types` in the core's sources, and the bare name of every free
/// `pub fn`.
fn public_functions(types: &BTreeSet<&str>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.clone()];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut current: Option<&str> = None;
        for line in text.lines() {
            if line.starts_with("impl") && !line.contains(" for ") {
                // `impl Engine {`, `impl<R: BufRead> CsvCustomers<R> {`
                let head = line.trim_end_matches('{').trim();
                let name = head
                    .rsplit(|c: char| c.is_whitespace() || c == '>')
                    .find(|part| !part.is_empty())
                    .map(|part| part.split('<').next().unwrap_or(part));
                current = name.filter(|name| types.contains(name));
            } else if let Some(rest) = line.strip_prefix("pub fn ") {
                // A free function (at the left margin, so outside any impl).
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                found.insert(name);
            } else if line == "}" {
                current = None;
            } else if let Some(ty) = current
                && let Some(rest) = line.trim_start().strip_prefix("pub fn ")
            {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                found.insert(format!("{ty}::{name}"));
            }
        }
    }
    found
}

#[test]
fn every_public_operation_is_bound_or_declared_rust_only() {
    let surface = surface();
    let types: BTreeSet<&str> = surface["scanned_types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    let bound = strings(&surface["operations"], "core");
    let rust_only = strings(&surface["rust_only"], "core");
    for op in surface["operations"].as_array().unwrap() {
        assert!(
            op["python"].is_string() && op["js"].is_string(),
            "{op} lacks a Python or JS name"
        );
    }
    let public = public_functions(&types);
    assert!(public.len() > 15, "the scan found only {public:?}");
    let unlisted: Vec<&String> = public
        .iter()
        .filter(|f| !bound.contains(f.as_str()) && !rust_only.contains(f.as_str()))
        .collect();
    assert!(
        unlisted.is_empty(),
        "public core functions missing from vectors/surface.json (bind them, or list them as rust_only with a reason): {unlisted:?}"
    );
    let stale: Vec<&&str> = bound
        .iter()
        .chain(&rust_only)
        .filter(|f| !public.contains(**f))
        .collect();
    assert!(
        stale.is_empty(),
        "vectors/surface.json lists functions the core no longer has: {stale:?}"
    );
}

#[test]
fn every_error_code_is_listed_under_its_concern() {
    let surface = surface();
    let catalogue = custclass::all_codes();
    for concern in surface["errors"].as_array().unwrap() {
        let rust = concern["rust"].as_str().unwrap();
        let listed: BTreeSet<String> = concern["codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect();
        let name = concern["concern"].as_str().unwrap();
        let actual: BTreeSet<String> = catalogue
            .iter()
            .filter(|entry| entry.concern == name)
            .map(|entry| entry.code.to_owned())
            .collect();
        assert!(actual.len() >= 5, "{rust}: found only {actual:?}");
        assert_eq!(listed, actual, "vectors/surface.json's codes for {rust}");
    }
}

/// The exported functions of a binding source whose body doesn't start with
/// `guard(`: those in `#[pymethods]` and `#[napi]` impl blocks, and those
/// marked `#[pyfunction]` or `#[napi…]`. The sources are rustfmt's, so a
/// body ends at the `}` of its `fn`'s indentation.
fn unguarded(source: &str) -> Vec<String> {
    let lines: Vec<&str> = source.lines().collect();
    let mut missing = Vec::new();
    let mut in_block = false;
    for (at, line) in lines.iter().enumerate() {
        let before = at.checked_sub(1).map_or("", |i| lines[i].trim());
        if line.starts_with("impl") {
            in_block = before == "#[pymethods]" || before == "#[napi]";
        }
        let method =
            in_block && line.trim_start().starts_with("pub fn ") && line.starts_with("    ");
        let method = method || in_block && line.starts_with("    fn ");
        let attributes = lines[..at]
            .iter()
            .rev()
            .take_while(|l| l.trim_start().starts_with("#[") || l.trim_start().starts_with("///"));
        let marked = attributes
            .map(|l| l.trim())
            .any(|l| l.starts_with("#[pyfunction]") || l.starts_with("#[napi"));
        let trimmed = line.trim_start();
        let free = (trimmed.starts_with("fn ") || trimmed.starts_with("pub fn ")) && marked;
        if !(method || free) || before.starts_with("#[pymodule]") {
            continue;
        }
        let opens = lines[at..]
            .iter()
            .position(|l| l.trim_end().ends_with('{'))
            .unwrap();
        let first = lines[at + opens + 1].trim();
        if !first.starts_with("guard(") {
            missing.push(format!("line {}: {}", at + 1, line.trim()));
        }
    }
    missing
}

/// A panic that unwinds out of a Node-API callback aborts the process, and
/// one out of a pyo3 method is a `PanicException` that `except Exception`
/// lets through; each binding's `guard` turns it into an `InternalError`.
/// Every export has to run inside it, which this checks of the sources.
#[test]
fn every_binding_export_runs_inside_the_panic_guard() {
    for file in [
        "../bindings-python/src/lib.rs",
        "../bindings-python/src/arrow.rs",
        "../bindings-node/src/lib.rs",
    ] {
        let source = read(file);
        assert!(
            source.matches("guard(").count() > 5,
            "{file}: no guard found"
        );
        assert_eq!(unguarded(&source), Vec::<String>::new(), "{file}");
    }
}
