//! `CustomerObject`, the JavaScript packages' type of a customer as plain
//! data (types/data.d.ts), written from the field registry: a test here
//! fails when the committed type is stale, and `BLESS=1` rewrites it. Each
//! field's nullability is what the JSON reader accepts, asked of the reader
//! itself, so the type can't promise more than `Customer::from_json` takes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fmt::Write as _;

use super::Customer;
use super::fields::{Access, Domain, FIELDS, Field};

const START: &str = "// --- CustomerObject: generated from core/src/customer/fields.rs (core test customer::typescript; BLESS=1 rewrites it) ---\n";
const END: &str = "// --- end of CustomerObject ---\n";

/// A node of the customer's JSON: a field, or an object of nodes.
enum Node<'f> {
    Leaf(&'f Field),
    Object(Vec<(&'static str, Node<'f>)>),
}

fn insert<'f>(nodes: &mut Vec<(&'static str, Node<'f>)>, keys: &[&'static str], field: &'f Field) {
    let (key, rest) = keys.split_first().unwrap();
    if rest.is_empty() {
        nodes.push((key, Node::Leaf(field)));
        return;
    }
    if !nodes.iter().any(|(name, _)| name == key) {
        nodes.push((key, Node::Object(Vec::new())));
    }
    let (_, node) = nodes.iter_mut().find(|(name, _)| name == key).unwrap();
    let Node::Object(children) = node else {
        panic!("{key} is a field and an object")
    };
    insert(children, rest, field);
}

/// Whether the JSON reader takes `null` at `path` (keys under the root).
fn takes_null(path: &[&str]) -> bool {
    let mut json = String::from("null");
    for key in path.iter().rev() {
        json = format!("{{\"{key}\": {json}}}");
    }
    let json = format!("{{\"id\": \"1\", {}", &json[1..]);
    serde_json::from_str::<Customer>(&json).is_ok()
}

fn leaf_type(field: &Field) -> &'static str {
    match (field.access, field.domain) {
        (Access::Coded { .. }, Domain::Zone) => "VatZone",
        (Access::Text { .. } | Access::Coded { .. }, _) => "string",
        (Access::Number { .. }, _) => "string | number",
        (Access::Day { .. }, _) => "string",
        (Access::Flag { .. }, _) => "boolean",
        (Access::List { .. }, _) => "string[]",
    }
}

fn leaf_doc(field: &Field) -> String {
    let what = match field.access {
        Access::Number { .. } => ": a decimal, best as a string (`'5000.00'`)",
        Access::Day { .. } => ": `YYYY-MM-DD`",
        Access::List { .. } => ": the result names set by hand, which rules leave alone",
        _ => "",
    };
    format!("Column `{}`{what}.", field.name)
}

fn write_nodes(
    out: &mut String,
    nodes: &[(&'static str, Node<'_>)],
    path: &mut Vec<&'static str>,
    indent: usize,
) {
    let pad = "  ".repeat(indent);
    for (key, node) in nodes {
        path.push(key);
        let optional = if path.as_slice() == ["id"] { "" } else { "?" };
        let null = if path.as_slice() != ["id"] && takes_null(path) {
            " | null"
        } else {
            ""
        };
        match node {
            Node::Leaf(field) => {
                writeln!(out, "{pad}/** {} */", leaf_doc(field)).unwrap();
                writeln!(out, "{pad}{key}{optional}: {}{null}", leaf_type(field)).unwrap();
            }
            Node::Object(children) => {
                writeln!(out, "{pad}{key}{optional}: {{").unwrap();
                write_nodes(out, children, path, indent + 1);
                writeln!(out, "{pad}}}{null}").unwrap();
            }
        }
        path.pop();
    }
}

/// The generated block, markers included.
fn customer_object() -> String {
    let mut nodes = Vec::new();
    for field in FIELDS {
        let keys: Vec<&'static str> = field.path.strip_prefix("$.").unwrap().split('.').collect();
        insert(&mut nodes, &keys, field);
    }
    let mut out = String::from(START);
    out.push_str(
        "/**\n * A customer as plain data: every field of the customer's JSON with its\n \
         * type (`toObject()` writes decimals as strings). Unknown fields are\n \
         * refused (`json_unknown_field`), so a typo is a type error here.\n */\n",
    );
    out.push_str("export interface CustomerObject {\n");
    write_nodes(&mut out, &nodes, &mut Vec::new(), 1);
    out.push_str(
        "  /** The setup's declared attributes (columns `attr.<name>`): text or a decimal. */\n",
    );
    out.push_str("  attributes?: Record<string, string | number>\n");
    out.push_str("}\n");
    out.push_str(END);
    out
}

#[test]
fn types_data_d_ts_has_the_customer_object_of_the_field_registry() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../types/data.d.ts");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text
        .find(START)
        .expect("types/data.d.ts has the CustomerObject start marker");
    let end = text
        .find(END)
        .expect("types/data.d.ts has the CustomerObject end marker")
        + END.len();
    let wanted = customer_object();
    if text[start..end] == wanted {
        return;
    }
    if std::env::var_os("BLESS").is_some() {
        let updated = format!("{}{wanted}{}", &text[..start], &text[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    panic!(
        "types/data.d.ts: CustomerObject is stale; run `BLESS=1 cargo test -p custclass --lib customer::typescript`, \
         then scripts/js-types\nwanted:\n{wanted}"
    );
}
