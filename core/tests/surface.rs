//! Surface parity, the core's side: every public function of the types that
//! `vectors/surface.json` scans is either offered by the bindings or listed
//! there as Rust-only with a reason, and the error codes listed there are
//! exactly those of `src/error.rs`. Each binding's own parity test then
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
/// one of `types` in the core's sources.
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

/// The `=> "code"` arms of `impl <ty> { … fn code … }` in error.rs.
fn codes_of(errors: &str, ty: &str) -> BTreeSet<String> {
    let start = errors
        .find(&format!("impl {ty} {{"))
        .unwrap_or_else(|| panic!("no `impl {ty}` in error.rs"));
    let block = &errors[start..];
    let end = block.find("\n}\n").unwrap_or(block.len());
    block[..end]
        .lines()
        .filter_map(|line| line.trim().split_once("=> \"")?.1.strip_suffix("\","))
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_error_code_is_listed_under_its_concern() {
    let surface = surface();
    let errors = read("src/error.rs");
    for concern in surface["errors"].as_array().unwrap() {
        let rust = concern["rust"].as_str().unwrap();
        let listed: BTreeSet<String> = concern["codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect();
        let actual = match rust {
            // A setup error is one code with a list of problems, each with its own.
            "SetupError" => {
                let mut codes = codes_of(&errors, "SetupProblemKind");
                codes.insert("invalid_setup".to_owned());
                codes
            }
            // A pricing error is a kind and, in a batch, the line.
            "PricingError" => codes_of(&errors, "PricingErrorKind"),
            other => codes_of(&errors, other),
        };
        assert!(actual.len() >= 5, "{rust}: found only {actual:?}");
        assert_eq!(listed, actual, "vectors/surface.json's codes for {rust}");
    }
}
