"""Beyond one machine: a partitioned dataset classified by Dask workers in
other processes gives exactly the single-process result. The engine
travels to the workers as its setup's JSON (its pickle), never as
compiled state."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from dask import dataframe as dd
from distributed import Client, LocalCluster

import custclass

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def customers(copies: int) -> pd.DataFrame:
    data = (EXAMPLES / "customers.csv").read_bytes()
    header = data.split(b"\n", 1)[0].decode().split(";")
    table = pacsv.read_csv(
        pa.BufferReader(data),
        parse_options=pacsv.ParseOptions(delimiter=";"),
        convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in header}, strings_can_be_null=True),
    )
    frame = pd.concat([table.to_pandas()] * copies, ignore_index=True)
    frame["id"] = [f"{i:07}" for i in range(len(frame))]
    return frame


def classify_partition(partition: pd.DataFrame, engine: custclass.Engine) -> pd.DataFrame:
    """What each worker runs: the Arrow path on its partition; the ids come
    first in the result (rows come back in input order)."""
    table = pa.Table.from_pandas(partition, preserve_index=False)
    result = engine.classify_table(table, like="pandas").table.astype(object)
    assert list(result["id"]) == list(partition["id"])
    return result


def test_engines_pickle_as_their_setup() -> None:
    engine = custclass.Engine(EXAMPLES / "setup.json")
    payload = pickle.dumps(engine)
    assert b"home_country" in payload  # the setup's JSON, readable in the pickle
    again = pickle.loads(payload)
    assert again.setup == engine.setup


def test_dask_workers_give_the_single_process_result(tmp_path: Path) -> None:
    engine = custclass.Engine(EXAMPLES / "setup.json")
    frame = customers(copies=20)
    # A partitioned dataset: seven Parquet files, as a data lake holds it.
    table = pa.Table.from_pandas(frame, preserve_index=False)
    step = -(-len(frame) // 7)
    for part in range(7):
        pq.write_table(table.slice(part * step, step), tmp_path / f"part-{part}.parquet")
    expected = engine.classify_table(table, like="pandas").table.astype(object)
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)  # type: ignore[no-untyped-call]
    with cluster, Client(cluster):  # type: ignore[no-untyped-call]
        parts = dd.read_parquet(str(tmp_path))
        assert parts.npartitions == 7
        meta: Any = classify_partition(frame.head(0), engine)
        got = parts.map_partitions(classify_partition, engine, meta=meta).compute()
    got = got.sort_values("id").reset_index(drop=True)
    assert len(got) == len(frame)
    assert got.equals(expected)
