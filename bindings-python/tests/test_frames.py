"""Frames as analysts hold them: `pd.read_csv(f, sep=";")` and
`pl.read_csv(...)` as read, an index named `id`, results that line up with
the input when joined back, messages that name a table as one."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

import custclass

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def engine() -> custclass.Engine:
    return custclass.Engine(EXAMPLES / "setup.json")


def analyst_frame() -> pd.DataFrame:
    """The example file as pandas reads it: ids as integers, every empty
    column a column of NaN floats."""
    return pd.read_csv(EXAMPLES / "customers.csv", sep=";")


def expected_groups() -> dict[str, str | None]:
    """Each customer's group, one customer at a time."""
    eng = engine()
    rows = custclass.read_csv((EXAMPLES / "customers.csv").read_bytes())
    return {
        row["customer"]["id"]: eng.classify(row["customer"]).to_dict()["group"]["value"]
        for row in rows
    }


def test_pandas_read_csv_as_read_classifies() -> None:
    frame = analyst_frame()
    assert frame["type"].dtype == "float64"  # empty in every row
    assert frame["receivables_account"].dtype == "float64"  # whole numbers with gaps
    result, errors = engine().classify_table(frame, like="pandas")
    assert len(errors) == 0
    groups = expected_groups()
    assert list(result["group"]) == [groups[str(i)] for i in frame["id"]]


def test_pandas_results_join_back_on_the_input_index() -> None:
    frame = analyst_frame()
    # A selection, shuffled: the index is neither 0..n nor in order.
    some = frame[frame["country"] != "NL"].sample(frac=1.0, random_state=7)
    assert list(some.index) != list(range(len(some)))
    result, errors = engine().classify_table(some, like="pandas")
    assert result.index.equals(some.index)
    assert "id" not in result.columns  # the index is the key: df.join needs no suffix
    # The file has classification columns of its own; the analyst keeps
    # the others.
    joined = some[["id", "name", "country"]].join(result)
    groups = expected_groups()
    assert [groups[str(i)] for i in joined["id"]] == list(joined["group"])
    side_by_side = pd.concat([some[["id", "name"]], result], axis=1)
    assert len(side_by_side) == len(some)
    assert list(side_by_side["group"]) == list(joined["group"])
    assert len(errors) == 0


def test_an_index_named_id_is_the_id() -> None:
    eng = engine()
    for ids in (analyst_frame(), analyst_frame().astype({"id": str})):
        frame = ids.set_index("id")
        result, errors = eng.classify_table(frame, like="pandas")
        assert result.index.equals(frame.index)
        assert len(errors) == 0
        groups = expected_groups()
        assert [groups[str(i)] for i in frame.index] == list(frame[["country"]].join(result)["group"])
        # As pyarrow or polars, the id comes first.
        assert eng.classify_table(frame).table.column_names[0] == "id"
        table = custclass.CustomerTable(frame)
        assert len(table) == len(frame)
        dutch = eng.segment("country = 'NL'").filter(table, like="pandas").table
        assert dutch.index.name == "id"
        assert set(dutch["country"]) == {"NL"}


def test_errors_name_the_input_index_label_and_row() -> None:
    frame = pd.DataFrame(
        {"id": ["a", "b", "c"], "country": ["NL", "XX", "DE"]}, index=[30, 10, 20]
    )
    # The standard setup: the example's rules test attributes this frame lacks.
    standard = custclass.Engine(custclass.Setup.standard("NL"))
    result, errors = standard.classify_table(frame, like="pandas")
    assert list(errors.index) == [10]
    assert list(errors["row"]) == [1]
    assert list(errors["id"]) == ["b"]
    assert result.index.equals(frame.index)
    assert result["group"].isna().tolist() == [False, True, False]


def test_polars_results_carry_the_id_to_join_on() -> None:
    frame = pl.read_csv(EXAMPLES / "customers.csv", separator=";").sample(
        fraction=1.0, shuffle=True, seed=3
    )
    result, errors = engine().classify_table(frame, like="polars")
    assert result.columns[0] == "id"
    assert errors.height == 0
    joined = frame.select("id", "name").join(result, on="id")
    groups = expected_groups()
    assert [groups[str(i)] for i in joined["id"]] == joined["group"].to_list()
    masks = engine().segment_set({"dutch": "country = 'NL'"}).masks(frame, like="polars").table
    assert masks.columns == ["id", "mask"]
    assert masks["id"].to_list() == frame["id"].to_list()


def test_polars_all_null_float_columns_are_no_text() -> None:
    frame = pl.DataFrame(
        {"id": ["1", "2"], "country": ["NL", "DE"], "vat_number": [None, float("nan")]},
        schema_overrides={"vat_number": pl.Float64},
    )
    standard = custclass.Engine(custclass.Setup.standard("NL"))
    result, errors = standard.classify_table(frame, like="polars")
    assert errors.height == 0
    assert result["group"].null_count() == 0


def test_a_lazy_frame_is_refused_saying_collect() -> None:
    lazy = pl.read_csv(EXAMPLES / "customers.csv", separator=";").lazy()
    with pytest.raises(TypeError, match=r"LazyFrame.*call `\.collect\(\)`"):
        engine().classify_table(lazy)
    with pytest.raises(TypeError, match=r"\.collect\(\)"):
        custclass.CustomerTable(lazy)
    assert engine().classify_table(lazy.collect()).table.num_rows == 1000


def test_slot_columns_by_their_labels() -> None:
    eng = engine()
    frame = analyst_frame()
    plain = eng.classify_table(frame, like="pandas").table
    named = eng.classify_table(frame, like="pandas", labels=True).table
    assert "class1" in plain.columns and "class1" not in named.columns
    assert list(named["class.Region"]) == list(plain["class1"])
    assert list(named["class.Region_source"]) == list(plain["class1_source"])
    assert "class.Sales channel" in named.columns
    chosen = eng.classify_table(frame, columns=["class1", "group"], labels=True).table
    assert chosen.column_names == ["id", "class.Region", "group"]


def test_without_pyarrow_the_error_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    eng = engine()
    frame = analyst_frame()
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ModuleNotFoundError, match=r"pip install custclass\[arrow\]"):
        eng.classify_table(frame)
    with pytest.raises(ModuleNotFoundError, match=r"pip install custclass\[arrow\]"):
        custclass.CustomerTable(frame)


def test_frame_errors_name_a_table_and_suggest_a_column() -> None:
    eng = engine()
    with pytest.raises(custclass.TableError, match="the table has no 'id' column"):
        eng.classify_table(pd.DataFrame({"country": ["NL"]}))
    with pytest.raises(custclass.TableError) as misspelt:
        eng.classify_table(pl.DataFrame({"id": ["1"], "contry": ["NL"]}))
    assert "did you mean 'country'?" in str(misspelt.value)
    assert misspelt.value.data["suggestion"] == "country"
    # A file keeps its own word.
    with pytest.raises(custclass.TableError, match="the file has no 'id' column"):
        custclass.read_csv(b"country\nNL\n")


def test_segments_hand_back_the_input_rows_with_their_index() -> None:
    eng = engine()
    frame = analyst_frame()
    frame.index = frame.index + 1000
    dutch = eng.segment("country = 'NL'").filter(frame, like="pandas").table
    assert dutch.index.equals(frame.index[frame["country"] == "NL"])
    assert dutch.equals(frame[frame["country"] == "NL"])
    both = eng.segment_set({"dutch": "country = 'NL'", "all": "true"})
    masks = both.masks(frame, like="pandas").table
    assert masks.index.equals(frame.index)
    assert list(masks.columns) == ["mask"]
    assert both.filter(frame, "dutch", like="pandas").table.equals(dutch)
    polars_dutch = eng.segment("country = 'NL'").filter(pl.from_pandas(frame), like="polars").table
    assert polars_dutch["id"].to_list() == dutch["id"].to_list()


def test_price_lines_keep_the_lines_index() -> None:
    eng = engine()
    customers = analyst_frame().set_index("id")
    lines = pd.read_csv(EXAMPLES / "order-lines.csv", sep=";").iloc[::-1]
    quotes, errors = eng.price_lines(lines, customers=customers, like="pandas")
    assert quotes.index.equals(lines.index)
    joined = lines.join(quotes.drop(columns="list_price"))  # a quote repeats the list price
    assert joined["net_price"].notna().all()
    assert len(errors) == 0
    # The same lines in file order price the same.
    in_order, _ = eng.price_lines(lines.sort_index(), customers=customers, like="pandas")
    assert list(in_order.sort_index()["line_total"]) == list(quotes.sort_index()["line_total"])
