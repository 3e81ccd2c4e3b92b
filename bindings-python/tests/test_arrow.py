"""The Arrow path: pyarrow, polars and pandas in, pyarrow (or frames) out,
the same answers as one customer at a time, bad rows as an errors table."""

from __future__ import annotations

import io
import threading
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

import custclass

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def engine() -> custclass.Engine:
    return custclass.Engine(EXAMPLES / "setup.json")


def example_customers(inferred: bool = False) -> pa.Table:
    """The example customer file; every column text unless `inferred`
    (then pyarrow picks int64 ids, float credit limits, dates, booleans)."""
    data = (EXAMPLES / "customers.csv").read_bytes()
    header = data.split(b"\n", 1)[0].decode().split(";")
    convert = pacsv.ConvertOptions(
        column_types=None if inferred else {name: pa.string() for name in header},
        strings_can_be_null=True,
    )
    return pacsv.read_csv(io.BytesIO(data), parse_options=pacsv.ParseOptions(delimiter=";"), convert_options=convert)


def one_by_one(eng: custclass.Engine) -> list[dict[str, Any]]:
    rows = custclass.read_csv((EXAMPLES / "customers.csv").read_bytes())
    return [eng.classify(row["customer"]).to_dict() for row in rows]


def test_classify_table_writes_only_the_columns_asked_for() -> None:
    eng = engine()
    data = example_customers()
    whole, errors = eng.classify_table(data)
    asked = ["b2b", "group_source", "group"]
    some, some_errors = eng.classify_table(data, columns=asked)
    # The input's id first, to join on.
    assert some.column_names == ["id", *asked]
    for name in asked:
        assert some.column(name).equals(whole.column(name)), name
    assert some_errors.equals(errors)
    assert eng.classify_table(data, columns=[]).table.column_names == ["id"]
    with pytest.raises(ValueError, match="'colour' is not a result column"):
        eng.classify_table(data, columns=["group", "colour"])


def test_classify_table_matches_classify_row_by_row() -> None:
    eng = engine()
    result = eng.classify_table(example_customers())
    assert result.errors.num_rows == 0
    table = result.table.to_pylist()
    expected = one_by_one(eng)
    assert len(table) == len(expected)
    for got, want in zip(table, expected):
        for name in ("type", "group", "price_group", "vat_zone", "receivables_account", "layout"):
            assigned = want.get(name)
            assert got[name] == (assigned["value"] if assigned else None), name
        for slot, assigned in want["classes"].items():
            assert got[slot] == assigned["value"], slot
            if assigned["source"]["kind"] == "rule":
                assert got[f"{slot}_source"] == f"rule:{assigned['source']['rule']}"
        assert got["b2b"] == want["b2b"]["value"]


def test_pyarrow_polars_and_pandas_give_identical_results() -> None:
    eng = engine()
    data = example_customers()
    expected = eng.classify_table(data).table
    frames: list[Any] = [
        data,
        data.to_batches()[0],
        pl.from_arrow(data),
        data.to_pandas(),
        example_customers(inferred=True),
        pl.DataFrame(data).with_columns(pl.col("country", "channel", "class1").cast(pl.Categorical)),
        data.to_pandas().astype({"country": "category", "channel": "category"}),
        data.cast(pa.schema([pa.field(f.name, pa.large_string()) for f in data.schema])),
        data.cast(pa.schema([pa.field(f.name, pa.string_view()) for f in data.schema])),
    ]
    for frame in frames:
        got = eng.classify_table(frame).table
        # The input's id comes first, of the input's own type.
        assert got.column("id").cast(pa.string()).to_pylist() == [str(i) for i in data.column("id").to_pylist()]
        assert got.drop_columns(["id"]).equals(expected.drop_columns(["id"])), type(frame)
    assert eng.classify_table(data, like="polars").table.equals(pl.from_arrow(expected))
    pandas = eng.classify_table(data, like="pandas").table
    assert isinstance(pandas, pd.DataFrame)
    assert list(pandas["group"].astype(str)) == [str(v) for v in expected.column("group").to_pylist()]
    table, errors = eng.classify_table(data)
    assert table.equals(expected) and errors.num_rows == 0


def attrs(rows: int) -> dict[str, Any]:
    """The attribute columns the example setup's rules test, empty: a table
    without them is refused (missing_attribute, issue 19)."""
    return {name: pa.nulls(rows, pa.float64()) for name in ("attr.turnover_12m", "attr.orders_12m")}


def test_bad_rows_come_back_as_an_errors_table() -> None:
    eng = engine()
    data = pa.table(
        {
            "id": ["1", "2", None, "4"],
            "country": pa.array(["NL", "XX", "DE", None]).dictionary_encode(),
            "credit_limit": ["10", "5", "1", "1,5x"],
            **attrs(4),
        }
    )
    table, errors = eng.classify_table(data)
    assert table.num_rows == 4
    assert [v is not None for v in table.column("group").to_pylist()] == [True, False, False, True]
    assert errors.column_names == ["row", "id", "column", "code", "message"]
    rows = errors.to_pylist()
    assert [(r["row"], r["id"], r["column"], r["code"]) for r in rows] == [
        (1, "2", "country", "invalid_field"),
        (2, None, "id", "invalid_field"),
    ]
    assert "XX" in rows[0]["message"]
    # credit_limit is not read to classify: its bad cell doesn't matter here,
    # and a table reading every column reports it.
    read = custclass.CustomerTable(data)
    assert [(r["row"], r["column"]) for r in read.errors.to_pylist()] == [(1, "country"), (2, "id"), (3, "credit_limit")]


def test_a_misspelt_attribute_column_is_refused_or_a_warning_nowhere_silent() -> None:
    eng = engine()
    data = pa.table({"id": ["1"], "attr.turnover": [250000], "attr.orders_12m": [3]})
    with pytest.raises(custclass.TableError) as caught:
        eng.classify_table(data)
    assert caught.value.code == "undeclared_attribute"
    assert "did you mean 'attr.turnover_12m'?" in str(caught.value)


def test_a_column_of_the_wrong_type_names_it() -> None:
    eng = engine()
    with pytest.raises(custclass.TableError) as caught:
        eng.classify_table(pa.table({"id": ["1"], "country": [1.5]}))
    assert caught.value.code == "column_type"
    assert caught.value.column == "country"
    assert "float64" in str(caught.value).lower()
    with pytest.raises(custclass.TableError) as unknown:
        eng.classify_table(pa.table({"id": ["1"], "colour": ["red"]}))
    assert (unknown.value.code, unknown.value.column) == ("unknown_column", "colour")
    with pytest.raises(TypeError, match="Arrow data"):
        eng.classify_table([{"id": "1"}])
    with pytest.raises(ValueError, match="like='numpy'"):
        eng.classify_table(pa.table({"id": ["1"], **attrs(1)}), like="numpy")  # type: ignore[arg-type]


def test_nulls_empty_tables_and_large_strings() -> None:
    eng = engine()
    empty = eng.classify_table(example_customers().slice(0, 0))
    assert empty.table.num_rows == 0 and "group" in empty.table.column_names
    nulls = pa.table({"id": ["1", "2"], "country": pa.nulls(2, pa.string()), "class1": pa.nulls(2), **attrs(2)})
    assert eng.classify_table(nulls).table.num_rows == 2
    big = "x" * 5_000_000
    long = pa.table({"id": pa.array(["1", "2"], pa.large_string()), "name": pa.array([big, None], pa.large_string())})
    read = custclass.CustomerTable(long)
    assert len(read) == 2 and read.errors.num_rows == 0
    # pandas' own index column is not customer data.
    frame = pd.DataFrame({"id": ["1", "2"], "country": ["NL", "DE"], "attr.turnover_12m": [None, 5.0], "attr.orders_12m": [1, 2]}, index=[10, 20])
    assert eng.classify_table(frame).table.num_rows == 2


def test_segments_filter_arrow_data_and_indexed_tables() -> None:
    eng = engine()
    data = example_customers()
    customers = [row["customer"] for row in custclass.read_csv((EXAMPLES / "customers.csv").read_bytes())]
    table = custclass.CustomerTable(data)
    for expression in ["country = 'NL'", "vat_zone = 'eu' and b2b = true", "channel = 'webshop' or credit_limit > 1000"]:
        segment = eng.segment(expression)
        expected = [i for i, customer in enumerate(customers) if segment.matches(customer)]
        assert segment.rows(data).to_pylist() == expected, expression
        assert segment.rows(table).to_pylist() == expected, expression
        table.index()
        assert table.indexed and segment.rows(table).to_pylist() == expected, expression
        assert segment.rows(pl.from_arrow(data)).to_pylist() == expected, expression
        rows, errors = segment.filter(data)
        assert rows.column("id").to_pylist() == [customers[i]["id"] for i in expected]
        assert rows.column_names == data.column_names and errors.num_rows == 0
        assert segment.filter(table, like="polars").table.height == len(expected)


SEGMENTS = {
    "everyone": "true",
    "dutch": "country = 'NL'",
    "dutch webshop": "country = 'NL' and channel = 'webshop'",
    "eu business": "vat_zone = 'eu' and b2b = true",
    "webshop or credit": "channel = 'webshop' or credit_limit > 1000",
    "nobody": "false",
}


def test_a_segment_set_answers_what_each_segment_answers_alone() -> None:
    eng = engine()
    data = example_customers()
    customers = [row["customer"] for row in custclass.read_csv((EXAMPLES / "customers.csv").read_bytes())]
    overview = eng.segment_set(SEGMENTS)
    assert overview.names == list(SEGMENTS) and overview.expressions == list(SEGMENTS.values())
    assert len(overview) == 6 and repr(overview).startswith('SegmentSet(["everyone", "dutch"')
    table = custclass.CustomerTable(data)
    result = overview.masks(data)
    masks = result.table.column("mask")
    assert masks.type == pa.uint64() and len(masks) == len(customers) and result.errors.num_rows == 0
    masks_list = masks.to_pylist()
    for source in (table, pl.from_arrow(data), data.to_pandas()):
        assert overview.masks(source).table.column("mask").to_pylist() == masks_list
    table.index()
    assert overview.masks(table).table.column("mask").to_pylist() == masks_list
    counts = overview.counts(data)
    assert list(counts) == list(SEGMENTS) and counts["everyone"] == len(customers) and counts["nobody"] == 0
    for bit, (name, expression) in enumerate(SEGMENTS.items()):
        alone = eng.segment(expression).rows(data).to_pylist()
        assert [row for row, mask in enumerate(masks_list) if mask >> bit & 1] == alone, name
        assert counts[name] == len(alone), name
        rows, errors = overview.filter(table, name)
        assert rows.column("id").to_pylist() == [customers[i]["id"] for i in alone], name
    for row in (0, 1, 17, 999):
        assert overview.mask(customers[row]) == masks_list[row]
        assert overview.names_in(masks_list[row]) == [n for b, n in enumerate(SEGMENTS) if masks_list[row] >> b & 1]
    assert overview.masks(data, like="polars").table.schema["mask"] == pl.UInt64


def test_a_segment_set_refuses_what_cannot_be_one() -> None:
    eng = engine()
    with pytest.raises(custclass.ExpressionError) as caught:
        eng.segment_set([("fine", "true"), ("typo", "contry = 'NL'")])
    err: Any = caught.value
    assert (err.code, err.segment, err.offset) == ("invalid_segment", "typo", 0)
    assert err.error["code"] == "unknown_field" and err.error["suggestion"] == "country"
    with pytest.raises(custclass.ExpressionError, match="two segments are named 'a'"):
        eng.segment_set([("a", "true"), ("a", "false")])
    with pytest.raises(custclass.ExpressionError) as too_many:
        eng.segment_set({f"s{i}": "true" for i in range(65)})
    assert too_many.value.code == "too_many_segments"
    assert len(eng.segment_set({f"s{i}": "true" for i in range(64)})) == 64
    with pytest.raises(TypeError, match="dict of name to expression"):
        eng.segment_set("country = 'NL'")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        eng.segment_set([("only a name",)])  # type: ignore[list-item]
    with pytest.raises(KeyError, match="no segment of the set is named 'nope'"):
        eng.segment_set(SEGMENTS).filter(example_customers(), "nope")


def test_the_gil_is_free_while_classifying() -> None:
    eng = engine()
    data = pa.concat_tables([example_customers()] * 200)
    results: list[pa.Table] = []
    threads = [threading.Thread(target=lambda: results.append(eng.classify_table(data).table)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4 and all(r.equals(results[0]) for r in results)


def test_price_lines_through_arrow_match_price_per_line() -> None:
    eng = engine()
    lines_data = pacsv.read_csv(
        io.BytesIO((EXAMPLES / "order-lines.csv").read_bytes()),
        parse_options=pacsv.ParseOptions(delimiter=";"),
        convert_options=pacsv.ConvertOptions(column_types={"customer": pa.string()}, strings_can_be_null=True),
    )
    customers = example_customers()
    by_id = {row["customer"]["id"]: row["customer"] for row in custclass.read_csv((EXAMPLES / "customers.csv").read_bytes())}
    for given in (customers, custclass.CustomerTable(customers), pl.from_arrow(customers)):
        table, errors = eng.price_lines(lines_data, customers=given)
        assert errors.num_rows == 0
        for line, got in zip(lines_data.to_pylist(), table.to_pylist()):
            request = {k: str(v) for k, v in line.items() if k != "customer" and v is not None}
            quote = eng.price(by_id[line["customer"]], request)
            assert (got["net_price"], got["line_total"], got["rule"]) == (quote.net_price, quote.line_total, quote.rule)
            assert (got["list_price"], got["discount_percent"], got["discount_amount"], got["reason"]) == (
                quote.list_price, quote.discount_percent, quote.discount_amount, quote.reason)
    # explain=: the chosen lines' quotes with every verdict, as Engine.price gives them.
    explained = eng.price_lines(lines_data, customers=customers, explain=[2, 0, 10**9])
    assert sorted(explained.explanations) == [0, 2]
    first = lines_data.to_pylist()[0]
    request = {k: str(v) for k, v in first.items() if k != "customer" and v is not None}
    alone = eng.price(by_id[first["customer"]], request)
    got = explained.explanations[0]
    assert (got.net_price, got.reason, got.explanation) == (alone.net_price, alone.reason, alone.explanation)
    assert got.explanation is not None and all(c["text"] for c in got.explanation)
    assert eng.price_lines(lines_data, customers=customers).explanations == {}
    frame = eng.price_lines(pl.DataFrame(lines_data).drop("customer").with_columns(pl.lit("TRADE").alias("price_group")), like="polars")
    assert frame.table.height == lines_data.num_rows
    with pytest.raises(TypeError, match="customers=, like= and explain="):
        eng.price_lines({"id": "1"}, [], like="pyarrow")  # type: ignore[call-overload]
