//! Rows for `COPY … FROM STDIN` in its text format: columns separated by
//! tabs, rows by newlines, and those characters and the backslash escaped
//! inside values, so no value can start a column or a row of its own.

/// Appends `value`, escaped, to `out`.
pub(crate) fn push_value(out: &mut Vec<u8>, value: &str) {
    let bytes = value.as_bytes();
    if !bytes
        .iter()
        .any(|b| matches!(b, b'\\' | b'\t' | b'\n' | b'\r'))
    {
        out.extend_from_slice(bytes);
        return;
    }
    for &byte in bytes {
        match byte {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            other => out.push(other),
        }
    }
}

/// Appends `value` (`\N` for none), escaped, to `out`.
pub(crate) fn push_optional(out: &mut Vec<u8>, value: Option<&str>) {
    match value {
        Some(value) => push_value(out, value),
        None => out.extend_from_slice(b"\\N"),
    }
}

/// Appends one row of `values` to `out`.
pub(crate) fn push_row(out: &mut Vec<u8>, values: &[Option<&str>]) {
    for (n, value) in values.iter().enumerate() {
        if n > 0 {
            out.push(b'\t');
        }
        push_optional(out, *value);
    }
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_inside_values_are_escaped() {
        let mut out = Vec::new();
        push_row(&mut out, &[Some("a\tb"), None, Some("c\\n\nd\r")]);
        assert_eq!(out, b"a\\tb\t\\N\tc\\\\n\\nd\\r\n");
    }
}
