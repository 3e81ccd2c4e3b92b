"""Data frames in and out of the Arrow path, the way analysts hold them.

The native module reads Arrow; this module decides what Arrow a frame
stands for (a pandas index named ``id`` is the id) and hands results back
so that they line up with the input: a pandas result keeps the input's
index (``df.join(result)``), any other result starts with the input's
``id`` column (``df.join(result, on="id")``).
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

_INSTALL = "pip install custclass[arrow]"


def _pyarrow() -> Any:
    """pyarrow, or an error that says how to get it (it is an extra)."""
    try:
        import pyarrow  # type: ignore[import-untyped, unused-ignore]
    except ModuleNotFoundError as err:
        raise ModuleNotFoundError(
            f"custclass reads and writes data frames through pyarrow, which is not "
            f"installed: {_INSTALL}",
            name="pyarrow",
        ) from err
    return pyarrow


def _kind(data: object) -> str:
    """The library a frame comes from (``pandas``, ``polars``), or ``""``."""
    return type(data).__module__.split(".", 1)[0]


class Source:
    """Arrow data as the caller gave it: ``table`` (a pyarrow Table) and, for
    a pandas DataFrame, the ``frame`` itself (rows of it are handed back as
    they are, and its index lines results up)."""

    __slots__ = ("table", "frame")

    def __init__(self, table: Any, frame: Any = None) -> None:
        self.table = table
        self.frame = frame

    def key(self) -> Any:
        """The input's ``id`` column, if it has one."""
        names: Sequence[str] = self.table.schema.names
        return self.table.column("id") if "id" in names else None


def read(data: object) -> Source:
    """``data`` as a pyarrow Table: a pyarrow Table or RecordBatch, a polars
    or pandas DataFrame, or anything with ``__arrow_c_stream__``."""
    kind = _kind(data)
    if kind == "polars" and type(data).__name__ == "LazyFrame":
        raise TypeError(
            "got a polars LazyFrame, a query not yet run: call `.collect()` on it "
            "and pass the DataFrame (custclass reads every row, so collecting is "
            "the caller's choice of when and where)"
        )
    pa = _pyarrow()
    if isinstance(data, pa.Table):
        return Source(data)
    if kind == "pandas" and hasattr(data, "index") and hasattr(data, "columns"):
        frame: Any = data
        index = frame.index
        as_column = frame
        if index.nlevels == 1 and index.name == "id" and "id" not in frame.columns:
            # `df.set_index("id")`: the index is the id.
            as_column = frame.reset_index()
        table = pa.Table.from_pandas(as_column, preserve_index=False)
        return Source(table, frame)
    try:
        return Source(pa.table(data))
    except (TypeError, ValueError, pa.ArrowException) as err:
        raise TypeError(
            "expected Arrow data (a pyarrow Table or RecordBatch, a polars or pandas "
            f"DataFrame, or an object with __arrow_c_stream__), got "
            f"{type(data).__name__}: {err}"
        ) from None


def hand_back(
    table: Any,
    like: Optional[str],
    source: Optional[Source],
    rows: Any = None,
    key: bool = True,
) -> Any:
    """A pyarrow result as the kind ``like`` names, lined up with the input:
    with ``rows`` (the input row of each result row; all rows in order when
    ``None``), and the input's ``id`` first when ``key``."""
    pa = _pyarrow()
    if like not in (None, "pyarrow", "polars", "pandas"):
        raise ValueError(f"like='{like}': use 'pyarrow', 'polars' or 'pandas'")
    frame = source.frame if source is not None else None
    if like == "pandas" and frame is not None:
        result = table.to_pandas()
        result.index = frame.index if rows is None else frame.index.take(_numbers(rows))
        return result
    if key and source is not None:
        ids = source.key()
        if ids is not None and rows is not None:
            ids = ids.take(pa.array(rows, pa.int64()))
        if ids is not None and "id" not in table.schema.names:
            table = table.add_column(0, "id", ids)
    if like == "polars":
        import polars

        return polars.from_arrow(table)
    if like == "pandas":
        return table.to_pandas()
    return table


def _numbers(rows: Any) -> Any:
    """Row numbers from Arrow as numpy, for pandas to take."""
    return rows.to_numpy() if hasattr(rows, "to_numpy") else rows


def rows_back(table: Any, like: Optional[str], source: Optional[Source], rows: Any) -> Any:
    """Input rows ``rows`` (ascending; ``table`` holds them as Arrow): a
    pandas frame's rows are its own, with their index and dtypes."""
    frame = source.frame if source is not None else None
    if like == "pandas" and frame is not None:
        return frame.iloc[_numbers(rows)]
    return hand_back(table, like, source, key=False)


def errors_back(errors: Any, like: Optional[str], source: Optional[Source]) -> Any:
    """The errors table as the kind ``like`` names; for a pandas frame each
    error's index label is its input row's, beside the row number."""
    return hand_back(errors, like, source, rows=errors.column("row"), key=False)
