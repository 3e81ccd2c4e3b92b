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

/// Splits a row of `COPY … TO STDOUT` text (without its newline) into
/// `fields`, undoing the escapes PostgreSQL writes. A null (`\N`) reads
/// as an empty text: the columns read this way are `NOT NULL`.
pub(crate) fn split_row(row: &[u8], fields: &mut Vec<String>) -> std::io::Result<()> {
    fn done(field: &mut Vec<u8>, fields: &mut Vec<String>) -> std::io::Result<()> {
        let text = String::from_utf8(std::mem::take(field))
            .map_err(|err| std::io::Error::new(std::io::ErrorKind::InvalidData, err))?;
        fields.push(text);
        Ok(())
    }
    fields.clear();
    let mut field = Vec::new();
    let mut bytes = row.iter();
    while let Some(&byte) = bytes.next() {
        match byte {
            b'\t' => done(&mut field, fields)?,
            b'\\' => match bytes.next() {
                Some(b't') => field.push(b'\t'),
                Some(b'n') => field.push(b'\n'),
                Some(b'r') => field.push(b'\r'),
                Some(b'b') => field.push(8),
                Some(b'f') => field.push(12),
                Some(b'v') => field.push(11),
                // A null: nothing.
                Some(b'N') => {}
                Some(&other) => field.push(other),
                None => {}
            },
            other => field.push(other),
        }
    }
    done(&mut field, fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_inside_values_are_escaped() {
        let mut out = Vec::new();
        push_row(
            &mut out,
            &[Some("a\tb"), None, Some("c\\n\nd\r"), Some("\\N")],
        );
        assert_eq!(out, b"a\\tb\t\\N\tc\\\\n\\nd\\r\t\\\\N\n");
        let mut fields = Vec::new();
        split_row(out.strip_suffix(b"\n").unwrap_or(&out), &mut fields).unwrap_or_default();
        assert_eq!(fields, ["a\tb", "", "c\\n\nd\r", "\\N"]);
    }
}
