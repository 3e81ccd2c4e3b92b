"""Beyond one machine, with Spark: the README's PySpark `mapInArrow` recipe,
run as written on Spark `local[2]` with Arrow batches of 100,000 rows, gives
exactly the single-process result, and builds one engine per task, not one
per batch. Run by scripts/suite-spark (opt-in: pyspark is a large download),
never by the default suite."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from pyspark import AccumulatorParam, TaskContext, cloudpickle
from pyspark.sql import SparkSession

import custclass

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
PARTITIONS = 3
BATCH_ROWS = 100_000
# A full batch and a half one per task, so that an engine built per batch
# would show.
TASK_ROWS = 150_000
ROWS = PARTITIONS * TASK_ROWS

# The workers can't import this module: what they run of it (the counting
# stand-in below) travels by value.
cloudpickle.register_pickle_by_value(sys.modules[__name__])  # type: ignore[no-untyped-call]
# PySpark 4.3 warns on import of its pandas layer that pandas 3 (the suite's
# pin) isn't fully supported; the recipe is Arrow only and uses none of it.
pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")


class Events(AccumulatorParam[list[tuple[int, ...]]]):
    """What the tasks report back to the driver: a list of tuples."""

    def zero(self, value: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
        return []

    def addInPlace(self, value1: list[tuple[int, ...]], value2: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
        value1.extend(value2)
        return value1


class CountingEngine:
    """A `custclass.Engine` that reports, to accumulators on the driver, the
    task that built it and each batch it classifies."""

    def __init__(self, setup: str, built: Any, batches: Any) -> None:
        self.engine = custclass.Engine(setup)
        self.task = _task()
        self.batches = batches
        built.add([(self.task,)])

    def classify_table(self, data: Any, like: Any = None) -> custclass.ArrowResult:
        self.batches.add([(self.task, _task(), data.num_rows)])
        return self.engine.classify_table(data, like)


class CountingCustclass:
    """Stands in for the `custclass` module inside the recipe."""

    def __init__(self, built: Any, batches: Any) -> None:
        self.built = built
        self.batches = batches

    def Engine(self, setup: str) -> CountingEngine:  # noqa: N802 (the module's name)
        return CountingEngine(setup, self.built, self.batches)


def _task() -> int:
    context = TaskContext.get()
    assert context is not None, "not in a Spark task"
    return context.partitionId()


def readme_recipe() -> str:
    """The README's PySpark block: the fenced `py` block with `mapInArrow`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```py\n(.*?)^```$", readme, re.MULTILINE | re.DOTALL)
    recipes = [code for code in blocks if "mapInArrow" in code]
    assert len(recipes) == 1, "the README has one PySpark recipe"
    return str(recipes[0])


def customers(rows: int) -> pa.Table:
    """The bundled customers, repeated to `rows` rows, each with its own id."""
    data = (EXAMPLES / "customers.csv").read_bytes()
    header = data.split(b"\n", 1)[0].decode().split(";")
    table = pacsv.read_csv(
        pa.BufferReader(data),
        parse_options=pacsv.ParseOptions(delimiter=";"),
        convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in header}, strings_can_be_null=True),
    )
    copies = -(-rows // table.num_rows)
    table = pa.concat_tables([table] * copies).slice(0, rows)
    ids = pa.array([f"{i:07}" for i in range(rows)], pa.string())
    return table.set_column(table.schema.get_field_index("id"), "id", ids)


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    # The workers are this interpreter, which has custclass installed.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("custclass-suite-spark")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(BATCH_ROWS))
        .config("spark.driver.memory", "2g")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        # One task per Parquet file: opening a file costs as much as a
        # partition holds, so Spark packs no two files together.
        .config("spark.sql.files.openCostInBytes", str(128 << 20))
        .config("spark.sql.files.maxPartitionBytes", str(128 << 20))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_the_readme_recipe_gives_the_single_process_result(spark: SparkSession, tmp_path: Path) -> None:
    table = customers(ROWS)
    engine = custclass.Engine(EXAMPLES / "setup.json")
    single = engine.classify_table(table)
    assert single.errors.num_rows == 0
    expected = single.table  # the input's id first

    # A partitioned dataset, as a data lake holds it: one file per task.
    for part in range(PARTITIONS):
        pq.write_table(table.slice(part * TASK_ROWS, TASK_ROWS), tmp_path / f"part-{part}.parquet")
    customers_df = spark.read.parquet(str(tmp_path))
    assert customers_df.rdd.getNumPartitions() == PARTITIONS
    built = spark.sparkContext.accumulator([], Events())
    batches = spark.sparkContext.accumulator([], Events())
    namespace: dict[str, Any] = {
        # Not importable: the recipe's functions travel by value, with the
        # stand-in for custclass that counts.
        "__name__": "readme_spark_recipe",
        "custclass": CountingCustclass(built, batches),
        "engine": engine,
        "customers_df": customers_df,
    }
    exec(readme_recipe(), namespace)
    got = namespace["labels"].toArrow()

    # One engine per task, each task a full batch and a half one.
    tasks = sorted(task for (task,) in built.value)
    assert tasks == list(range(PARTITIONS)), "one engine per task"
    per_task: dict[int, list[int]] = {}
    for engine_task, task, rows in batches.value:
        assert engine_task == task, "an engine stays in its task"
        per_task.setdefault(task, []).append(rows)
    assert {task: sorted(sizes) for task, sizes in per_task.items()} == {
        task: [TASK_ROWS - BATCH_ROWS, BATCH_ROWS] for task in tasks
    }

    # Row for row, by id, the single-process answers (as text: Spark has
    # them without the dictionaries).
    got = got.sort_by("id")
    assert got.num_rows == ROWS
    assert got.column_names == expected.column_names
    for name in expected.column_names:
        want = expected.column(name)
        if pa.types.is_dictionary(want.type):
            want = want.cast(want.type.value_type)
        have = got.column(name).cast(want.type)
        if not have.equals(want):
            diff = next(i for i in range(ROWS) if have[i] != want[i])
            pytest.fail(f"{name} differs at id {expected.column('id')[diff]}: {have[diff]} != {want[diff]}")
