"""The encodings of customer files as Excel and ERP systems write them:
read_csv(data, encoding=...), and the byte-order marks that decide alone."""

from __future__ import annotations

import pytest

import custclass


def test_utf16le_with_a_byte_order_mark_and_tabs() -> None:
    # Excel's "Unicode text": UTF-16LE with a mark, tab-separated.
    data = b"\xff\xfe" + "id\tname\tcity\r\n1\tMüller GmbH\tKöln\r\n2\tŒuvre €\t\r\n".encode("utf-16-le")
    assert custclass.read_csv(data) == [
        {"line": 2, "customer": {"id": "1", "name": "Müller GmbH", "billing_address": {"city": "Köln"}}},
        {"line": 3, "customer": {"id": "2", "name": "Œuvre €"}},
    ]
    # The mark decides, whatever the option says.
    assert custclass.read_csv(data, encoding="windows-1252") == custclass.read_csv(data)


def test_windows_1252_read_with_its_encoding() -> None:
    # Excel's plain "CSV" in western Europe: windows-1252, no mark.
    data = b"id;name;attr.note\r\n1;M\xfcller;\x80 5\r\n"
    rows = custclass.read_csv(data, encoding="windows-1252")
    assert rows == [
        {"line": 2, "customer": {"id": "1", "name": "Müller", "attributes": {"note": "€ 5"}}},
    ]
    assert custclass.read_csv(data, encoding="CP1252") == rows


def test_windows_1252_without_the_option_says_which_encoding_to_name() -> None:
    rows = custclass.read_csv(b"id;name\n1;M\xfcller\n2;Smit\n")
    (problem,) = rows[0]["errors"]
    assert (problem["code"], problem["column"], problem["line"], problem["row"]) == ("invalid_utf8", "name", 2, 0)
    assert "windows-1252" in problem["message"]
    assert rows[1] == {"line": 3, "customer": {"id": "2", "name": "Smit"}}


def test_latin1() -> None:
    data = b"id;name\n1;Ren\xe9e \xbd\n"
    expected = [{"line": 2, "customer": {"id": "1", "name": "Renée ½"}}]
    assert custclass.read_csv(data, encoding="latin1") == expected
    assert custclass.read_csv(data, encoding="ISO-8859-1") == expected


def test_an_unknown_encoding_raises_table_error() -> None:
    with pytest.raises(custclass.TableError) as caught:
        custclass.read_csv(b"id\n1\n", encoding="ansi")
    err = caught.value
    assert err.code == err.data["code"] == "unknown_encoding"
    assert err.data["encoding"] == "ansi"
    assert err.message == str(err) == err.data["message"]
    for label in ("utf-8", "utf-16le", "utf-16be", "windows-1252", "latin1"):
        assert label in err.message


def test_encoding_is_a_keyword() -> None:
    with pytest.raises(TypeError):
        custclass.read_csv(b"id\n1\n", "latin1")  # type: ignore[call-arg]
