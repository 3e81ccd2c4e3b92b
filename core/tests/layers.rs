//! The core's modules import only downward: foundation → data → storage →
//! expression language → compile → evaluate → adapters (DESIGN.md,
//! "Shape"). This test reads every module's source, collects the other
//! top-level modules it names through `crate::`, and fails on an import
//! that goes up a layer, on a cycle within a layer, and on a module the
//! table below doesn't place.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed unwrap is a failed test"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module of `core/src` and its layer, lowest first.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "foundation",
        &[
            "limits",
            "iso",
            "bits",
            "threads",
            "bounded",
            "canonical",
            "fingerprint",
            "text_newtype",
            "scalar",
            "vat",
            "encoding",
        ],
    ),
    (
        "data",
        &["error", "customer", "classification", "setup", "eu"],
    ),
    ("storage", &["customer_file", "table"]),
    ("expression language", &["expr"]),
    ("compile", &["pricing", "compiled"]),
    ("evaluate", &["engine", "bulk", "masterdata"]),
    (
        "adapters",
        &["report", "arrow", "batch", "order_file", "connect"],
    ),
];

fn source_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its unit tests and comments.
fn code(text: &str) -> String {
    let text = text
        .split("#[cfg(test)]\nmod tests")
        .next()
        .unwrap_or_default();
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn ident_at(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The top-level modules `code` names: `crate::name` and the names in
/// `crate::{a, b::c}`.
fn named_modules(code: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut named = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                named.insert(ident_at(item.trim()).to_owned());
            }
        } else {
            named.insert(ident_at(rest).to_owned());
        }
    }
    named.retain(|name| modules.contains(name));
    named
}

#[test]
fn modules_import_only_downward() {
    let layer_of: BTreeMap<&str, usize> = LAYERS
        .iter()
        .enumerate()
        .flat_map(|(layer, (_, modules))| modules.iter().map(move |m| (*m, layer)))
        .collect();
    let mut files = Vec::new();
    rust_files(&source_dir(), &mut files);
    let module_of = |path: &Path| {
        let relative = path.strip_prefix(source_dir()).unwrap();
        let first = relative.components().next().unwrap();
        let name = first.as_os_str().to_str().unwrap();
        name.trim_end_matches(".rs").to_owned()
    };
    let modules: BTreeSet<String> = files
        .iter()
        .map(|path| module_of(path))
        .filter(|module| module != "lib")
        .collect();
    let unplaced: Vec<_> = modules
        .iter()
        .filter(|module| !layer_of.contains_key(module.as_str()))
        .collect();
    assert!(
        unplaced.is_empty(),
        "modules without a layer: {unplaced:?}; place them in LAYERS and in DESIGN.md"
    );

    let mut edges: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for path in &files {
        let from = module_of(path);
        if from == "lib" {
            continue;
        }
        let text = code(&std::fs::read_to_string(path).unwrap());
        for to in named_modules(&text, &modules) {
            if to != from {
                let file = path
                    .strip_prefix(source_dir())
                    .unwrap()
                    .display()
                    .to_string();
                edges
                    .entry(from.clone())
                    .or_default()
                    .entry(to)
                    .or_default()
                    .insert(file);
            }
        }
    }

    let mut upward = Vec::new();
    for (from, targets) in &edges {
        for (to, files) in targets {
            let (low, high) = (layer_of[to.as_str()], layer_of[from.as_str()]);
            if low > high {
                upward.push(format!(
                    "{from} ({}) imports {to} ({}) in {files:?}",
                    LAYERS[high].0, LAYERS[low].0
                ));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports going up a layer:\n{}",
        upward.join("\n")
    );

    // Within a layer: no cycle (a depth-first search for a back edge).
    fn visit<'a>(
        module: &'a str,
        edges: &'a BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
        state: &mut BTreeMap<&'a str, bool>,
        path: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        match state.get(module) {
            Some(true) => return None,
            Some(false) => {
                let start = path.iter().position(|m| *m == module).unwrap_or(0);
                let mut cycle: Vec<String> = path[start..].iter().map(|m| m.to_string()).collect();
                cycle.push(module.to_owned());
                return Some(cycle);
            }
            None => {}
        }
        state.insert(module, false);
        path.push(module);
        for to in edges.get(module).into_iter().flat_map(BTreeMap::keys) {
            if let Some(cycle) = visit(to, edges, state, path) {
                return Some(cycle);
            }
        }
        path.pop();
        state.insert(module, true);
        None
    }
    let mut state = BTreeMap::new();
    for module in &modules {
        let cycle = visit(module, &edges, &mut state, &mut Vec::new());
        assert!(
            cycle.is_none(),
            "an import cycle: {}",
            cycle.unwrap().join(" → ")
        );
    }
}
