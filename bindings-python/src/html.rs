//! `_repr_html_` for notebooks: a quote with its explanation, a
//! classification with where each value came from, a bulk result's
//! counts and first rows. Plain tables, every text escaped.

use std::fmt::Write;

use custclass::{Classification, Quote, ResultField};
use pyo3::prelude::*;
use serde_json::Value;

/// `text` with the five HTML specials escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A table with a header row; every cell escaped.
fn html_table(caption: &str, header: &[&str], rows: &[Vec<String>]) -> String {
    let mut html = format!("<table><caption>{}</caption><thead><tr>", escape(caption));
    for name in header {
        let _ = write!(html, "<th>{}</th>", escape(name));
    }
    html.push_str("</tr></thead><tbody>");
    for row in rows {
        html.push_str("<tr>");
        for cell in row {
            let _ = write!(html, "<td>{}</td>", escape(cell));
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table>");
    html
}

/// A JSON value as a cell: text as is, anything else as JSON.
fn cell(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The price, then every candidate rule with its verdict and what else
/// the explanation says of it (the winner it lost to, how many more to
/// buy).
pub(crate) fn quote(quote: &Quote) -> String {
    let caption = format!(
        "{} × {} = {} {} (list price {}, {}% off){}",
        quote.net_price,
        quote.quantity,
        quote.line_total,
        quote.currency,
        quote.list_price,
        quote.discount_percent(),
        match &quote.rule {
            Some(rule) => format!(", rule {rule}"),
            None => ", no rule applied".to_owned(),
        }
    );
    let candidates = quote
        .explanation
        .as_ref()
        .and_then(|explanation| serde_json::to_value(explanation).ok());
    let rows: Vec<Vec<String>> = match &candidates {
        Some(Value::Array(candidates)) => candidates
            .iter()
            .map(|candidate| {
                let detail: Vec<String> = candidate
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(key, _)| !["rule", "verdict"].contains(&key.as_str()))
                    .map(|(key, value)| format!("{}: {}", key.replace('_', " "), cell(value)))
                    .collect();
                vec![
                    cell(&candidate["rule"]),
                    cell(&candidate["verdict"]).replace('_', " "),
                    detail.join(", "),
                ]
            })
            .collect(),
        _ => Vec::new(),
    };
    if rows.is_empty() {
        return html_table(&caption, &[], &[]);
    }
    html_table(&caption, &["rule", "verdict", "detail"], &rows)
}

/// Each value of a classification with its source.
pub(crate) fn classification(result: &Classification) -> String {
    let rows: Vec<Vec<String>> = ResultField::ALL
        .into_iter()
        .filter_map(|name| {
            let value = result.field(name)?;
            let source = value.get("source").map(source_text).unwrap_or_default();
            let shown = value.get("value").map(cell).unwrap_or_default();
            Some(vec![name.to_string(), shown, source])
        })
        .collect();
    html_table(
        &format!("customer {}", result.customer.0),
        &["field", "value", "source"],
        &rows,
    )
}

/// A source as the compact form results print: `rule:web-eu`, `group:EU`.
fn source_text(source: &Value) -> String {
    let kind = cell(&source["kind"]);
    let detail: Vec<String> = source
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(key, _)| key.as_str() != "kind")
        .map(|(_, value)| cell(value))
        .collect();
    match detail.is_empty() {
        true => kind,
        false => format!("{kind}:{}", detail.join(",")),
    }
}

/// A bulk result: its size, its errors, and its first rows.
pub(crate) fn arrow_result(
    table: &Bound<'_, PyAny>,
    errors: &Bound<'_, PyAny>,
) -> PyResult<String> {
    const SHOWN: usize = 10;
    let rows: usize = table.len()?;
    let problems: usize = errors.len()?;
    let names: Vec<String> = table.getattr("column_names")?.extract()?;
    let head = table
        .call_method1("slice", (0, SHOWN))?
        .call_method0("to_pylist")?;
    let mut body = Vec::new();
    for row in head.try_iter()? {
        let row = row?;
        let mut cells = Vec::new();
        for name in &names {
            let value = row.get_item(name)?;
            cells.push(if value.is_none() {
                String::new()
            } else {
                value.str()?.to_string()
            });
        }
        body.push(cells);
    }
    let header: Vec<&str> = names.iter().map(String::as_str).collect();
    let caption = format!(
        "{rows} rows{}, {problems} without a result",
        if rows > SHOWN {
            format!(" (the first {SHOWN} shown)")
        } else {
            String::new()
        }
    );
    let mut html = html_table(&caption, &header, &body);
    if problems > 0 {
        let first = errors
            .call_method1("slice", (0, SHOWN))?
            .call_method0("to_pylist")?;
        let mut listed = Vec::new();
        for problem in first.try_iter()? {
            let problem = problem?;
            let text = |key: &str| -> PyResult<String> {
                let value = problem.get_item(key)?;
                Ok(if value.is_none() {
                    String::new()
                } else {
                    value.str()?.to_string()
                })
            };
            listed.push(vec![
                text("row")?,
                text("id")?,
                text("column")?,
                text("code")?,
                text("message")?,
            ]);
        }
        html.push_str(&html_table(
            "errors",
            &["row", "id", "column", "code", "message"],
            &listed,
        ));
    }
    Ok(html)
}
