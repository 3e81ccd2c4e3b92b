"""Checks compare.py's workload against custclass's per-row API on a sample.

The per-row API (`Engine.classify`, `Segment.matches`, `Engine.price_lines`
for one customer's order, or for all the lines of one customer of the order
book of price_book, the engine classifying it) is the reference. On about
5,000 customers and 5,000 order lines in each book generated as compare.py
generates them, every peer of compare.py (polars, pandas, DuckDB, and
custclass's Arrow API where the installed binding has it) is compared with
it in the canonical form of each task, and the disagreements are counted:
rows for classify and the pricing tasks, rows in one answer but not the
other for segments.

Before that, the rules' and segments' custclass text is compared with the
strings of benches/src/lib.rs, and the three setups are validated by
custclass.

    python check_sample.py [--customers N] [--orders N]

Exit status 1 when anything disagrees.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa

import compare
import custclass

LIB_RS = Path(__file__).resolve().parents[1] / "src" / "lib.rs"


def lib_rs_differences() -> list[str]:
    """Where the rules and segments rendered by compare.py differ from the
    strings in lib.rs (`rule(...)` calls, the country loop, `SEGMENTS`)."""
    source = LIB_RS.read_text()
    quoted = r'"((?:[^"\\]|\\.)*)"'
    calls = re.findall(rf"rule\(\s*{quoted},\s*{quoted},\s*{quoted},\s*{quoted},\s*(true|false),?\s*\)", source)
    countries = re.search(r"for \(i, country\) in \[(.*?)\]", source, re.S).group(1)
    expected = [(id_, when, target, value, flag == "true") for id_, when, target, value, flag in calls]
    expected += [(f"country-{c}", f"country = '{c}'", "class7", f"V{i + 2}", True)
                 for i, c in enumerate(re.findall(r'"(\w\w)"', countries))]
    segments = re.findall(quoted, re.search(r"pub const SEGMENTS.*?\[(.*?)\];", source, re.S).group(1))
    ours = [(r.id, compare.expression(r.cond), r.target, r.value, r.override) for r in compare.CLASSIFY_RULES]
    problems = [f"rule {a} != lib.rs {b}" for a, b in zip(ours, expected) if a != b]
    problems += [f"segment {a!r} != lib.rs {b!r}"
                 for a, b in zip(map(compare.expression, compare.SEGMENTS), segments) if a != b]
    if (len(ours), len(compare.SEGMENTS)) != (len(expected), len(segments)):
        problems.append(f"{len(ours)} rules and {len(compare.SEGMENTS)} segments; "
                        f"lib.rs has {len(expected)} and {len(segments)}")
    return problems


def customer_dict(row: dict) -> dict:
    """A table row as the per-row API's customer."""
    customer = {key: row[key] for key in ("id", "name", "email", "channel", "connector", "vat_number")
                if row[key] is not None}
    customer["billing_address"] = {key: row[key] for key in ("city", "country") if row[key] is not None}
    customer["classes"] = {slot: row[slot] for slot in compare.SLOTS if row[slot] is not None}
    if row["created_at"] is not None:
        customer["created_at"] = row["created_at"].isoformat()
    customer["attributes"] = {"turnover_12m": row["attr.turnover_12m"]}
    return customer


def value(classification: dict, name: str):
    assigned = classification["classes"].get(name) if name in compare.SLOTS else classification.get(name)
    return assigned["value"] if assigned else None


def reference_classify(engine: custclass.Engine, customers: list[dict]) -> pa.Table:
    results = [engine.classify(c).to_dict() for c in customers]
    return pa.table({name: pa.array([value(r, name) for r in results], pa.string())
                     for name in compare.CLASSIFY_OUTPUT})


def reference_segments(engine: custclass.Engine, customers: list[dict]) -> list[np.ndarray]:
    segments = [engine.segment(compare.expression(q)) for q in compare.SEGMENTS]
    return [np.array([i for i, c in enumerate(customers) if s.matches(c)], np.int64) for s in segments]


def reference_price(engine: custclass.Engine, lines: pa.Table) -> pa.Table:
    """One `price_lines` call per order (50 lines of one customer)."""
    rows = lines.to_pylist()
    quotes = []
    for start in range(0, len(rows), compare.LINES_PER_ORDER):
        order = rows[start:start + compare.LINES_PER_ORDER]
        first = order[0]
        customer = {"id": first["customer"], "price_group": first["price_group"],
                    "billing_address": {"country": compare.HOME}}
        requests = [{"item": r["item"], "item_group": r["item_group"], "list_price": str(r["list_price"]),
                     "quantity": str(r["quantity"]), "date": r["date"].isoformat(), "currency": r["currency"]}
                    for r in order]
        quotes += engine.price_lines(customer, requests)
    return pa.table({
        "rule": pa.array([q.rule for q in quotes], pa.string()),
        "net_price": pa.array([q.net_price for q in quotes], pa.decimal128(38, 2)),
        "line_total": pa.array([q.line_total for q in quotes], pa.decimal128(38, 2)),
    })


def reference_price_book(engine: custclass.Engine, customers: list[dict], lines: pa.Table) -> pa.Table:
    """One `price_lines` call per customer, with the customer as the
    classify task's per-row reference reads it: the engine classifies it
    for its price group."""
    by_id = {customer["id"]: customer for customer in customers}
    mine: dict[str, list[int]] = {}
    rows = lines.to_pylist()
    for at, row in enumerate(rows):
        mine.setdefault(row["customer"], []).append(at)
    quotes = [None] * len(rows)
    for customer, ats in mine.items():
        requests = [{"item": rows[at]["item"], "item_group": rows[at]["item_group"],
                     "list_price": str(rows[at]["list_price"]), "quantity": str(rows[at]["quantity"]),
                     "date": rows[at]["date"].isoformat(), "currency": rows[at]["currency"]} for at in ats]
        for at, quote in zip(ats, engine.price_lines(by_id[customer], requests)):
            quotes[at] = quote
    return pa.table({
        "rule": pa.array([q.rule for q in quotes], pa.string()),
        "net_price": pa.array([q.net_price for q in quotes], pa.decimal128(38, 2)),
        "line_total": pa.array([q.line_total for q in quotes], pa.decimal128(38, 2)),
    })


def disagreements(task: str, ours, reference) -> int:
    if task == "segments":
        return sum(len(np.setxor1d(a, b)) for a, b in zip(ours, reference))
    differ = np.zeros(reference.num_rows, bool)
    for name in reference.column_names:
        differ |= (ours[name].to_numpy(zero_copy_only=False) != reference[name].to_numpy(zero_copy_only=False))
    return int(differ.sum())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=5_000)
    parser.add_argument("--orders", type=int, default=100, help="of 50 lines each")
    args = parser.parse_args()

    problems = lib_rs_differences()
    for problem in problems:
        print(problem)
    print(f"rules and segments as in lib.rs: {'no' if problems else 'yes'}")
    for name, setup in (("classification", compare.classification_setup()),
                        ("pricing", compare.pricing_setup(compare.price_rules())),
                        ("order book", compare.book_setup(compare.book_price_rules()))):
        setup_problems = custclass.Setup.validate(setup)
        problems += setup_problems
        print(f"{name} setup valid: {'no ' + str(setup_problems) if setup_problems else 'yes'}")

    work = compare.Workload.make(args.customers, args.orders)
    customers = [customer_dict(row) for row in work.customers.to_pylist()]
    classifier, pricer = custclass.Engine(work.classification), custclass.Engine(work.pricing)
    reference = {
        "classify": compare.canonical("classify", reference_classify(classifier, customers)),
        "segments": reference_segments(classifier, customers),
        "price": compare.canonical("price", reference_price(pricer, work.lines)),
        "price_book": compare.canonical(
            "price_book", reference_price_book(custclass.Engine(work.book), customers, work.book_lines)),
    }
    print(f"\n{work.customers.num_rows:,} customers, {work.lines.num_rows:,} order lines, "
          f"{work.book_lines.num_rows:,} lines in the order book of price_book; "
          f"disagreements with custclass's per-row API:")
    total = len(problems)
    for peer in (peer_class(work) for peer_class in compare.PEERS):
        for task in compare.TASKS:
            reason = peer.missing(task) if isinstance(peer, compare.Custclass) else None
            if reason:
                print(f"  {task:10} {peer.name:10} skipped: {reason}")
                continue
            count = disagreements(task, compare.canonical(task, getattr(peer, task)()), reference[task])
            total += count
            print(f"  {task:10} {peer.name:10} {count}")
    print(f"\n{'all agree' if total == 0 else f'{total} disagreements'}")
    return 0 if total == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
