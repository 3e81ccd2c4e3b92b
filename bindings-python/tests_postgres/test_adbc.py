"""The analyst's path to PostgreSQL, against a real server: the README's
ADBC example (`adbc-driver-postgresql`: the table read as Arrow,
`classify_table`, the labels written back with `adbc_ingest` and merged by
one statement) run as written, in a database of its own holding the
example customers and some messy rows. The labels it leaves equal what
`classify_table` and `classify` answer row by row, rejected rows are
reported and not labelled, and a second run changes nothing.

Run by scripts/suite-postgres-python with `CUSTCLASS_PG_URL` (a superuser's
`postgresql://user:password@host:port/db`) set, never by the default suite."""

from __future__ import annotations

import io
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import adbc_driver_postgresql.dbapi as pg
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

import custclass

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
HEADING = "### From Python, with the Arrow driver (ADBC)"
TARGETS = [f"class{slot}" for slot in range(1, 9)] + [
    "type", "group", "price_group", "vat_zone", "b2b", "receivables_account", "revenue_account", "layout",
]
# What the ERP calls the attribute columns the setup's rules test.
ATTRIBUTES = {"attr.turnover_12m": "turnover_12m", "attr.orders_12m": "orders_12m"}
TYPES = {"id": "text PRIMARY KEY", "credit_limit": "numeric(14,2)", "created_at": "date",
         "anonymised": "boolean", "turnover_12m": "numeric(14,2)", "orders_12m": "integer"}
VAT_NL = "NL686011181B01"  # valid, from the example file

# Rows an ERP's users leave behind: blanks that mean nothing, NULLs, text
# beyond Latin-1, a group and a country that do not exist.
MESSY = [
    # A webshop customer with blank text where nothing was chosen.
    {"id": "M-blank", "name": "Zoë Ångström-Ødegård 東京", "country": "NL", "channel": "webshop",
     "group": "", "class1": " ", "price_group": "", "vat_number": "", "email": "zoe@example.com"},
    # A key account: a valid VAT number and a turnover the numeric column holds.
    {"id": "M-key", "name": "Großhandel Müller & Söhne", "country": "NL", "channel": "manual",
     "vat_number": VAT_NL, "business_type": "company", "turnover_12m": "75000.50", "orders_12m": "31"},
    # Nothing but an id and a country, the rest NULL.
    {"id": "M-null", "country": "DK"},
    # Set by hand: a slot and the group.
    {"id": "M-manual", "name": "Ÿves Ñúñez", "country": "BE", "vat_number": "BE0518093232",
     "business_type": "company", "class1": "OTHER", "group": "EU", "turnover_12m": "0", "orders_12m": "0"},
    # Rejected: a group the setup does not define...
    {"id": "M-nogroup", "name": "Bad Group BV", "country": "DE", "group": "NOPE", "turnover_12m": "100"},
    # ...and a country that is none.
    {"id": "M-nocountry", "name": "Nowhere Ltd", "country": "XX", "channel": "pos"},
]
REJECTED = {"M-nogroup": "unknown_group", "M-nocountry": "invalid_field"}


def example_file() -> pa.Table:
    """The example customers, every column text, empty cells as blank text
    (not NULL), as many ERPs store them."""
    data = (EXAMPLES / "customers.csv").read_bytes()
    header = data.split(b"\n", 1)[0].decode().split(";")
    convert = pacsv.ConvertOptions(column_types={name: pa.string() for name in header}, strings_can_be_null=False)
    return pacsv.read_csv(io.BytesIO(data), parse_options=pacsv.ParseOptions(delimiter=";"), convert_options=convert)


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def database_url(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path="/" + name))


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    """A database of the test's own, with a `customers` table in the ERP's
    types: the example file (1,000 rows) and the messy rows."""
    server = os.environ.get("CUSTCLASS_PG_URL")
    if not server:
        pytest.fail("CUSTCLASS_PG_URL is not set: scripts/suite-postgres starts a server and sets it")
    name = f"custclass_adbc_{secrets.token_hex(4)}"
    with pg.connect(server, autocommit=True) as admin, admin.cursor() as cur:
        cur.execute(f"CREATE DATABASE {quoted(name)}")
    try:
        dsn = database_url(server, name)
        fill(dsn)
        yield dsn
    finally:
        with pg.connect(server, autocommit=True) as admin, admin.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS {quoted(name)} WITH (FORCE)")


def fill(dsn: str) -> None:
    """Creates and fills `customers`: the file goes in as text over COPY
    (`adbc_ingest`) and is cast by one INSERT; the messy rows follow."""
    data = example_file()
    data = data.rename_columns([ATTRIBUTES.get(n, n) for n in data.column_names])
    columns = data.column_names
    with pg.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE customers (" + ", ".join(f"{quoted(c)} {TYPES.get(c, 'text')}" for c in columns) + ")")
        cur.adbc_ingest("customers_file", data, mode="create", temporary=True)
        cast = [quoted(c) if c not in TYPES else f"NULLIF({quoted(c)}, '')::{TYPES[c].split()[0]}" for c in columns]
        cur.execute(f"INSERT INTO customers SELECT {', '.join(cast)} FROM customers_file")
        for row in MESSY:  # each value a parameter, none spliced into the SQL
            names = list(row)
            cast_values = ", ".join(
                f"${i}::{TYPES[n].split()[0]}" if n in TYPES else f"${i}" for i, n in enumerate(names, 1))
            cur.execute(
                f"INSERT INTO customers ({', '.join(quoted(n) for n in names)}) VALUES ({cast_values})",
                tuple(row[n] for n in names),
            )
        conn.commit()


def readme_code() -> str:
    """The README's ADBC example."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert HEADING in text, f"no section {HEADING!r} in README.md"
    after = text.split(HEADING, 1)[1]
    match = re.search(r"^```python\n(.*?)^```$", after, re.MULTILINE | re.DOTALL)
    assert match, f"no ```python block under {HEADING!r} in README.md"
    return match.group(1)


def run_readme(dsn: str) -> tuple[int, int, int, list[str]]:
    """Runs the example as a user would; its counts: labels, written, deleted,
    and its lines about rejected rows."""
    env = {**os.environ, "CUSTCLASS_PG_URL": dsn}
    run = subprocess.run([sys.executable, "-c", readme_code()], cwd=ROOT, env=env,
                         capture_output=True, text=True, encoding="utf-8", check=False)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    match = re.fullmatch(r"(\d+) labels, (\d+) written, (\d+) deleted", lines[0])
    assert match, run.stdout
    labels, written, deleted = (int(n) for n in match.groups())
    return labels, written, deleted, lines[1:]


def query(dsn: str, sql: str) -> list[tuple[Any, ...]]:
    with pg.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute(sql)
        return list(cur.fetchall())


def customers_as_arrow(dsn: str) -> pa.Table:
    with pg.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT * FROM customers")
        table = cur.fetch_arrow_table()
    renamed = {erp: ours for ours, erp in ATTRIBUTES.items()}
    return table.rename_columns([renamed.get(n, n) for n in table.column_names])


def compact(source: dict[str, Any]) -> str:
    """A source as the result's `_source` columns write it: `rule:web-eu`."""
    detail = [str(v) for k, v in source.items() if k != "kind"]
    return ":".join([source["kind"], *detail])


def one_by_one(engine: custclass.Engine, customers: pa.Table) -> tuple[set[tuple[str, ...]], dict[str, str]]:
    """The labels `classify` gives each row, read from the rows as the
    customer file's reader reads a file (blank cells are missing), and the
    rows it rejects with their codes."""
    text = customers.cast(pa.schema([pa.field(f.name, pa.string()) for f in customers.schema]))
    buffer = io.BytesIO()
    pacsv.write_csv(text, buffer, pacsv.WriteOptions(delimiter=";"))
    labels: set[tuple[str, ...]] = set()
    rejected: dict[str, str] = {}
    for row, read in zip(text.to_pylist(), custclass.read_csv(buffer.getvalue())):
        if "errors" in read:
            rejected[row["id"]] = read["errors"][0]["code"]
            continue
        try:
            answer = engine.classify(read["customer"]).to_dict()
        except custclass.CustomerError as error:
            rejected[row["id"]] = error.code
            continue
        assigned = {**answer["classes"], **{t: answer.get(t) for t in TARGETS if not t.startswith("class")}}
        for target, given in assigned.items():
            if given is not None:
                value = given["value"]
                value = ("true" if value else "false") if isinstance(value, bool) else value
                labels.add((answer["customer"], target, value, compact(given["source"]), answer["fingerprint"]))
    return labels, rejected


def from_the_table(engine: custclass.Engine, customers: pa.Table) -> set[tuple[str, ...]]:
    """The labels `classify_table`'s wide rows hold, read one row at a time."""
    result = engine.classify_table(customers)
    failed = {error["row"] for error in result.errors.to_pylist()}
    # What the README's example relies on to leave rejected rows out.
    assert failed == {n for n, b2b in enumerate(result.table.column("b2b").to_pylist()) if b2b is None}
    labels: set[tuple[str, ...]] = set()
    for number, row in enumerate(result.table.to_pylist()):
        if number in failed:
            continue
        for target in TARGETS:
            value = row.get(target)
            if value is None:
                continue
            if target == "b2b":
                labels.add((str(row["id"]), target, "true" if value else "false", "vat_number", engine.fingerprint))
            else:
                labels.add((str(row["id"]), target, value, row[f"{target}_source"], engine.fingerprint))
    return labels


def stored(dsn: str) -> set[tuple[str, ...]]:
    rows = query(dsn, "SELECT customer_id, target, value, source, setup_hash FROM custclass_labels")
    return {tuple(row) for row in rows}


def versions(dsn: str) -> dict[tuple[str, str], tuple[str, Any]]:
    """Each label's row version and time: unchanged when nothing wrote it."""
    rows = query(dsn, "SELECT customer_id, target, xmin::text, classified_at FROM custclass_labels")
    return {(row[0], row[1]): (row[2], row[3]) for row in rows}


def test_the_readme_example_labels_every_good_row_as_classify_does(url: str) -> None:
    engine = custclass.Engine(EXAMPLES / "setup.json")
    customers = customers_as_arrow(url)
    assert customers.num_rows == 1000 + len(MESSY)
    # NUMERIC arrives as text (an opaque extension type) and is read as a number.
    assert pa.types.is_string(customers.schema.field("attr.turnover_12m").type.storage_type)

    count, written, deleted, reports = run_readme(url)
    labels = stored(url)
    expected, rejected = one_by_one(engine, customers)
    assert labels == expected
    assert labels == from_the_table(engine, customers)
    assert (count, written, deleted) == (len(labels), len(labels), 0)
    assert {target for _, target, *_ in labels} <= set(TARGETS)
    assert all(len(hash_) == 64 and hash_ == engine.fingerprint for *_, hash_ in labels)

    # Rejected rows: reported, with the code `classify` gives, and not labelled.
    assert rejected == REJECTED
    result = engine.classify_table(customers)
    assert {e["id"]: e["code"] for e in result.errors.to_pylist()} == REJECTED
    assert sorted(line.split(":")[0] for line in reports) == sorted(f"rejected {i}" for i in REJECTED)
    assert any("NOPE" in line for line in reports)
    labelled = {customer for customer, *_ in labels}
    assert labelled.isdisjoint(REJECTED)
    assert labelled == {str(i) for i in customers.column("id").to_pylist()} - set(REJECTED)

    # The messy rows, by name: blank text is missing, the numeric column counts.
    by = {(c, t): (v, s) for c, t, v, s, _ in labels}
    assert by["M-blank", "class1"] == ("BENELUX", "rule:region-benelux")  # " " is no manual value
    assert by["M-blank", "group"] == ("WEBSHOP", "channel_default:webshop")  # "" is no group
    assert by["M-key", "class2"] == ("KEY", "rule:key-account")  # 75000.50 >= 50000
    assert by["M-key", "price_group"] == ("KEY", "rule:key-account")
    assert by["M-key", "class5"] == ("GOLD", "rule:loyalty-gold")
    assert by["M-key", "b2b"] == ("true", "vat_number")
    assert by["M-manual", "class1"] == ("OTHER", "manual")
    assert by["M-manual", "group"] == ("EU", "manual")
    assert by["M-null", "class1"] == ("NORDIC", "rule:region-nordic")
    assert ("M-null", "class5") not in by


def test_a_second_run_changes_nothing_and_a_changed_customer_only_its_labels(url: str) -> None:
    run_readme(url)  # whatever the first test left, the labels are now current
    before = versions(url)
    count, written, deleted, _ = run_readme(url)
    assert (written, deleted) == (0, 0) and count == len(before)
    assert versions(url) == before

    # One customer leaves the webshop: its sales channel goes, its group and
    # what follows from it change; no other label is touched.
    assert ("M-blank", "class3") in before
    with pg.connect(url) as conn, conn.cursor() as cur:
        cur.execute("UPDATE customers SET channel = '' WHERE id = 'M-blank'")
        conn.commit()
    count, written, deleted, _ = run_readme(url)
    after = versions(url)
    assert deleted == 1 and ("M-blank", "class3") not in after
    changed = {key for key in after if after[key] != before.get(key)}
    assert written == len(changed) > 0
    assert {customer for customer, _ in changed} == {"M-blank"}
    assert {key: v for key, v in after.items() if key[0] != "M-blank"} == {
        key: v for key, v in before.items() if key[0] != "M-blank"}
    assert stored(url) == one_by_one(custclass.Engine(EXAMPLES / "setup.json"), customers_as_arrow(url))[0]


def test_a_customer_rejected_now_loses_its_labels(url: str) -> None:
    run_readme(url)
    assert any(customer == "M-manual" for customer, _ in versions(url))
    with pg.connect(url) as conn, conn.cursor() as cur:
        cur.execute("""UPDATE customers SET "group" = 'NO-SUCH-GROUP' WHERE id = 'M-manual'""")
        conn.commit()
    try:
        _, _, deleted, reports = run_readme(url)
        assert deleted > 0
        assert not any(customer == "M-manual" for customer, _ in versions(url))
        assert any(line.startswith("rejected M-manual:") for line in reports)
    finally:
        with pg.connect(url) as conn, conn.cursor() as cur:
            cur.execute("""UPDATE customers SET "group" = 'EU' WHERE id = 'M-manual'""")
            conn.commit()
