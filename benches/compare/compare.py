"""custclass side by side with polars, pandas and DuckDB, on one workload.

Measures three tasks in one process, on data generated here with numpy from a
fixed seed with the distributions of benches/src/lib.rs:

* classify: 1,000,000 customers through the 40 auto-labelling rules of
  `bulk_setup()` (ten targets: class1..class8, type, group), plus what the
  engine derives after the rules: VAT zone, default group, type, price group
  and the group's accounts;
* segments: the ten queries of `SEGMENTS` on the same customers, each
  answered as the ascending row numbers that match;
* price: 1,000,000 order lines (orders of 50, as `order_book()`) against the
  2,005 price rules of `pricing_setup(2000)` under `best_price`: the winning
  rule, the net unit price and the line total;
* price_book: the order book of issue #18, 1,000,000 lines from ~630,000
  distinct customers of the classify table (most order once or twice, a few
  thousands of times), lines carrying only the customer's id. The price group
  comes from the customer's classification (14 price-group rules on country,
  connector, slots, turnover, VAT zone; else the group's price group), so
  each peer classifies the customers the lines name, joins the price group
  onto the lines, then prices them against 2,010 rules (`book_price_rules`:
  20 price groups × item groups, ladders of 2 to 6 quantity tiers, date
  windows, currency-only rules) under `best_price`. custclass gets the lines
  and the customer table: `Engine.price_lines(lines, customers=table)`. Each
  peer's peak memory is measured apart, in a fresh process per peer.

Every peer starts from the same pyarrow Tables, and converting from them
counts in its time; turning its result into the canonical form below does not.
A task's time is the best of three runs (time.perf_counter). Each peer's
result is brought to one canonical form per task, hashed with sha256, and all
peers must agree (exit status 1 when they don't):

* classify: class1..class8, type, group, price_group, vat_zone,
  receivables_account, revenue_account as text, a missing value as "", in row
  order, written as CSV;
* segments: per query, its number of rows and the rows as int64;
* price, price_book: rule id ("" for none), net price and line total as
  text with the currency's two decimals (EUR, USD, GBP, DKK and SEK all have
  two), written as CSV.

The workload has one source: the rules and segment queries are Python data
below (`Pred`, `And`, `Or`, `Not`), rendered to custclass's expression
language for the setup, to polars expressions, to pandas masks and to SQL.
custclass runs through its Python binding's Arrow API (`classify_table`,
`CustomerTable`, `Segment.rows`, `price_lines` on a table); where the
installed binding lacks it, custclass is skipped with the reason.

    benches/compare/run                     # venv, requirements, binding, then this
    python compare.py --customers 100000 --lines 100000 --runs 1
    python compare.py --tasks price_book --no-memory
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import json
import operator
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from typing import Any, Callable

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

import custclass

SEED = 20261201
HOME = "NL"
YEAR_START = dt.date(2026, 1, 1)

# --- The data's shape, as benches/src/lib.rs `customers()` and `order_book()` ---

COUNTRIES = [
    ("NL", 40), ("DE", 15), ("BE", 12), ("GB", 8), ("FR", 7),
    ("DK", 5), ("US", 5), ("SE", 4), ("AT", 3), ("ES", 1),
]
CHANNELS = ["webshop", "pos", "manual", "import"]
CONNECTORS = ["shopify", "woocommerce", "magento", "lightspeed"]
SLOT_LABELS = ["Region", "Segment", "Loyalty", "Size", "Branch", "Source", "Team", "Tier"]
SLOT_SIZES = [5, 8, 12, 20, 30, 40, 50, 6]
SLOTS = [f"class{slot}" for slot in range(1, 9)]
CITIES = 2_000

ITEM_GROUPS = 100          # 10 roots with 9 children each
ROOT_GROUPS = 10
PRICE_RULES = 2_000        # one per price group × item group
RULES_PER_PRICE_GROUP = ITEM_GROUPS
RULES_FOR_ALL = 5
ORDER_CUSTOMERS = 10_000
LINES_PER_ORDER = 50
ITEMS = 20_000

# EU membership periods (first day, last day or None), core/src/eu.rs
# BUILT_IN: the setup names no `eu_members`, so the engine uses these.
EU_MEMBERS = {
    "AT": (dt.date(1995, 1, 1), None), "BE": (dt.date(1958, 1, 1), None),
    "BG": (dt.date(2007, 1, 1), None), "CY": (dt.date(2004, 5, 1), None),
    "CZ": (dt.date(2004, 5, 1), None), "DE": (dt.date(1958, 1, 1), None),
    "DK": (dt.date(1973, 1, 1), None), "EE": (dt.date(2004, 5, 1), None),
    "ES": (dt.date(1986, 1, 1), None), "FI": (dt.date(1995, 1, 1), None),
    "FR": (dt.date(1958, 1, 1), None), "GB": (dt.date(1973, 1, 1), dt.date(2020, 12, 31)),
    "GR": (dt.date(1981, 1, 1), None), "HR": (dt.date(2013, 7, 1), None),
    "HU": (dt.date(2004, 5, 1), None), "IE": (dt.date(1973, 1, 1), None),
    "IT": (dt.date(1958, 1, 1), None), "LT": (dt.date(2004, 5, 1), None),
    "LU": (dt.date(1958, 1, 1), None), "LV": (dt.date(2004, 5, 1), None),
    "MT": (dt.date(2004, 5, 1), None), "NL": (dt.date(1958, 1, 1), None),
    "PL": (dt.date(2004, 5, 1), None), "PT": (dt.date(1986, 1, 1), None),
    "RO": (dt.date(2007, 1, 1), None), "SE": (dt.date(1995, 1, 1), None),
    "SI": (dt.date(2004, 5, 1), None), "SK": (dt.date(2004, 5, 1), None),
}
EU_FIRST = {country: first for country, (first, _) in EU_MEMBERS.items()}
EU_LAST = {country: last for country, (_, last) in EU_MEMBERS.items() if last}
EU_ONGOING = [country for country, (_, last) in EU_MEMBERS.items() if last is None]

# --- Conditions: one tree, four renderings ---


@dataclass(frozen=True)
class Pred:
    """One test on one field: `=`, `!=`, `<`, `>=`, `in`, `between`,
    `is null`, `is not null`, `starts_with` or `ends_with`."""

    field: str
    op: str
    value: Any = None


@dataclass(frozen=True)
class And:
    terms: tuple


@dataclass(frozen=True)
class Or:
    terms: tuple


@dataclass(frozen=True)
class Not:
    term: Any


def eq(field, value): return Pred(field, "=", value)
def ne(field, value): return Pred(field, "!=", value)
def lt(field, value): return Pred(field, "<", value)
def ge(field, value): return Pred(field, ">=", value)
def one_of(field, *values): return Pred(field, "in", values)
def between(field, low, high): return Pred(field, "between", (low, high))
def null(field): return Pred(field, "is null")
def not_null(field): return Pred(field, "is not null")
def starts_with(field, text): return Pred(field, "starts_with", text)
def ends_with(field, text): return Pred(field, "ends_with", text)
def all_of(*terms): return And(terms)
def any_of(*terms): return Or(terms)


def column(field: str) -> str:
    """The table column a field reads: `class.Segment` is the slot labelled
    Segment (class2); `vat_zone` and `b2b` are columns each peer derives."""
    if field.startswith("class."):
        return f"class{SLOT_LABELS.index(field.removeprefix('class.')) + 1}"
    return field


def expression(cond) -> str:
    """custclass's expression language: the very strings of lib.rs."""
    def literal(value):
        if isinstance(value, str):
            return "'" + value.replace("'", "''") + "'"
        if isinstance(value, bool):
            return str(value).lower()
        return str(value)  # Decimal, int, date (ISO)

    match cond:
        case And(terms):
            return " and ".join(f"({expression(t)})" if isinstance(t, Or) else expression(t) for t in terms)
        case Or(terms):
            return " or ".join(f"({expression(t)})" if isinstance(t, And) else expression(t) for t in terms)
        case Not(term):
            return f"not ({expression(term)})"
        case Pred(field, "in", values):
            return f"{field} in ({', '.join(map(literal, values))})"
        case Pred(field, "between", (low, high)):
            return f"{field} between {literal(low)} and {literal(high)}"
        case Pred(field, ("is null" | "is not null") as op):
            return f"{field} {op}"
        case Pred(field, op, value):
            return f"{field} {op} {literal(value)}"


def sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def sql(cond) -> str:
    """A DuckDB SQL condition (three-valued like custclass's)."""
    def literal(value):
        if isinstance(value, str):
            return sql_text(value)
        if isinstance(value, bool):
            return str(value).upper()
        if isinstance(value, dt.date):
            return f"DATE '{value}'"
        return str(value)

    match cond:
        case And(terms):
            return " AND ".join(f"({sql(t)})" for t in terms)
        case Or(terms):
            return " OR ".join(f"({sql(t)})" for t in terms)
        case Not(term):
            return f"NOT ({sql(term)})"
        case Pred(field, op, value):
            name = f'"{column(field)}"'
            match op:
                case "in":
                    return f"{name} IN ({', '.join(map(literal, value))})"
                case "between":
                    return f"{name} BETWEEN {literal(value[0])} AND {literal(value[1])}"
                case "is null":
                    return f"{name} IS NULL"
                case "is not null":
                    return f"{name} IS NOT NULL"
                case "starts_with" | "ends_with":
                    return f"{op}({name}, {literal(value)})"
                case "!=":
                    return f"{name} <> {literal(value)}"
                case _:
                    return f"{name} {op} {literal(value)}"


def polars_expr(cond) -> pl.Expr:
    """A polars expression; a test on null is null (Kleene logic), and
    filters and `when` take null for false, as custclass takes unknown."""
    match cond:
        case And(terms):
            return reduce(operator.and_, map(polars_expr, terms))
        case Or(terms):
            return reduce(operator.or_, map(polars_expr, terms))
        case Not(term):
            return ~polars_expr(term)
        case Pred(field, op, value):
            col = pl.col(column(field))
            match op:
                case "=":
                    return col == pl.lit(value)
                case "!=":
                    return col != pl.lit(value)
                case "<":
                    return col < pl.lit(value)
                case ">=":
                    return col >= pl.lit(value)
                case "in":
                    return col.is_in(list(value))
                case "between":
                    return col.is_between(pl.lit(value[0]), pl.lit(value[1]), closed="both")
                case "is null":
                    return col.is_null()
                case "is not null":
                    return col.is_not_null()
                case "starts_with":
                    return col.cast(pl.String).str.starts_with(value)
                case "ends_with":
                    return col.cast(pl.String).str.ends_with(value)


def pandas_mask(cond, df: pd.DataFrame) -> pd.arrays.BooleanArray:
    """A nullable boolean mask (Kleene logic). pandas compares a missing
    value as False, and `!=` as True, so each test puts NA back where the
    column is missing."""
    match cond:
        case And(terms):
            return reduce(operator.and_, (pandas_mask(t, df) for t in terms))
        case Or(terms):
            return reduce(operator.or_, (pandas_mask(t, df) for t in terms))
        case Not(term):
            return ~pandas_mask(term, df)
        case Pred(field, op, value):
            col = df[column(field)]
            if op in ("is null", "is not null"):
                return pd.array((col.isna() if op == "is null" else col.notna()).to_numpy(), dtype="boolean")
            value = pandas_literal(value)
            match op:
                case "=":
                    held = col == value
                case "!=":
                    held = col != value
                case "<":
                    held = col < value
                case ">=":
                    held = col >= value
                case "in":
                    held = col.isin(value)
                case "between":
                    held = (col >= value[0]) & (col <= value[1])
                case "starts_with":
                    held = col.str.startswith(value)
                case "ends_with":
                    held = col.str.endswith(value)
            mask = pd.array(held, dtype="boolean")
            mask[col.isna().to_numpy()] = pd.NA
            return mask


def pandas_literal(value):
    """Dates as Timestamps, to compare with datetime64 columns."""
    if isinstance(value, tuple):
        return tuple(map(pandas_literal, value))
    return pd.Timestamp(value) if isinstance(value, dt.date) else value


def pandas_true(cond, df: pd.DataFrame) -> np.ndarray:
    """The rows where `cond` is true (not false, not unknown)."""
    return pandas_mask(cond, df).fillna(False).to_numpy(dtype=bool)


# --- The workload: rules, segments, setups, price rules ---


@dataclass(frozen=True)
class Rule:
    """`when cond then set target = value`; `override` replaces a value set
    by hand (every value on a new customer counts as set by hand)."""

    id: str
    cond: Any
    target: str
    value: str
    override: bool = True

    def to_setup(self) -> dict:
        rule = {"id": self.id, "when": expression(self.cond), "set": {self.target: self.value}}
        return rule | ({"override": True} if self.override else {})


OVERSEAS = ["FR", "ES", "IT", "PL", "US", "CA", "AU", "JP", "CN", "BR", "MX", "ZA", "IN", "NZ"]

CLASSIFY_RULES = [
    Rule("nl", eq("country", "NL"), "class1", "V1"),
    Rule("dach", one_of("country", "DE", "AT", "CH"), "class1", "V2"),
    Rule("be", eq("country", "BE"), "class1", "V3"),
    Rule("nordic", one_of("country", "DK", "SE", "NO", "FI"), "class1", "V4"),
    Rule("uk", eq("country", "GB"), "class1", "V5"),
    Rule("rest", not_null("country"), "class1", "V0"),
    Rule("key", ge("attr.turnover_12m", Decimal(50000)), "class2", "V1"),
    Rule("mid", ge("attr.turnover_12m", Decimal(10000)), "class2", "V2"),
    Rule("small", not_null("attr.turnover_12m"), "class2", "V3"),
    Rule("shopify", all_of(eq("channel", "webshop"), eq("connector", "shopify")), "class3", "V1"),
    Rule("webshop", eq("channel", "webshop"), "class3", "V2"),
    Rule("counter", eq("channel", "pos"), "class3", "V3"),
    Rule("other-channel", not_null("channel"), "class3", "V4"),
    Rule("vat", not_null("vat_number"), "class4", "V1"),
    Rule("no-vat", null("vat_number"), "class4", "V2"),
    Rule("new", ge("created_at", dt.date(2026, 7, 1)), "class5", "V1"),
    Rule("old", lt("created_at", dt.date(2026, 7, 1)), "class5", "V2"),
    Rule("eu-b2b", all_of(eq("vat_zone", "eu"), eq("b2b", True)), "class6", "V1"),
    Rule("domestic-b2b", all_of(eq("vat_zone", "domestic"), eq("b2b", True)), "class6", "V2"),
    Rule("b2c", eq("b2b", False), "class6", "V3"),
    Rule("example", ends_with("email", "@example.com"), "class7", "V1"),
    Rule("tier1", all_of(eq("class1", "V1"), eq("class2", "V1")), "class8", "V1"),
    Rule("tier2", one_of("class2", "V1", "V2"), "class8", "V2"),
    Rule("tier3", eq("class2", "V3"), "class8", "V3"),
    Rule("business", not_null("vat_number"), "type", "BUSINESS", override=False),
    Rule("webshop-consumer", all_of(eq("channel", "webshop"), null("vat_number")),
         "group", "WEBSHOP", override=False),
] + [
    Rule(f"country-{country}", eq("country", country), "class7", f"V{i + 2}")
    for i, country in enumerate(OVERSEAS)
]

TARGETS = SLOTS + ["type", "group", "price_group"]
CLASSIFY_OUTPUT = TARGETS + ["vat_zone", "receivables_account", "revenue_account"]

SEGMENTS = [
    eq("country", "DE"),
    all_of(eq("channel", "webshop"), not_null("vat_number")),
    all_of(one_of("class1", "V1", "V2"), ge("attr.turnover_12m", Decimal(50000))),
    eq("vat_zone", "eu"),
    all_of(ends_with("email", "@example.com"), one_of("country", "NL", "BE")),
    any_of(eq("class.Segment", "V3"), eq("class.Tier", "V5")),
    all_of(between("created_at", dt.date(2026, 3, 1), dt.date(2026, 5, 31)), eq("channel", "webshop")),
    all_of(Not(eq("country", "NL")), eq("b2b", True), null("class4")),
    all_of(eq("connector", "shopify"), ne("class2", "V0"), lt("attr.turnover_12m", Decimal(1000)),
           eq("country", "DK")),
    starts_with("city", "City 1"),
]


def rules_for(target: str, rules: list[Rule] = CLASSIFY_RULES) -> list[Rule]:
    return [rule for rule in rules if rule.target == target]


def classification_setup() -> dict:
    """lib.rs `bulk_setup()`: the standard NL setup, eight labelled slots
    with the codes V0..V49, the number attribute turnover_12m, the 40 rules
    (in place of the standard one)."""
    setup = custclass.Setup.standard(HOME).to_dict()
    setup["slots"] = [
        {"slot": slot, "label": label, "values": [{"code": f"V{v}"} for v in range(50)]}
        for slot, label in enumerate(SLOT_LABELS, 1)
    ]
    setup["attributes"] = [{"name": "turnover_12m", "kind": "number"}]
    setup["rules"] = [rule.to_setup() for rule in CLASSIFY_RULES]
    return setup


@dataclass(frozen=True)
class Defaults:
    """What the engine does after the rules, read from a setup: a group no
    rule chose comes from the channel, else the VAT zone, else the default
    group of the type (the chosen one or the setup's default), skipping
    inactive groups and, once a type is chosen, groups of another type. The
    type, price group and accounts then follow from the group."""

    channel_groups: dict
    zone_groups: dict
    group_type: dict
    active_groups: list
    type_default_group: dict
    default_type: str | None
    group_price_group: dict
    group_receivables: dict
    group_revenue: dict
    default_receivables: str | None
    default_revenue: str | None

    @classmethod
    def of(cls, setup: dict) -> Defaults:
        groups = setup["groups"]
        defaults = setup.get("defaults", {})
        return cls(
            channel_groups=setup.get("channel_groups", {}),
            zone_groups=setup.get("zone_groups", {}),
            group_type={g["code"]: g["type"] for g in groups},
            active_groups=[g["code"] for g in groups if not g.get("inactive")],
            type_default_group={g["type"]: g["code"] for g in groups if g.get("default")},
            default_type=next((t["code"] for t in setup["types"] if t.get("default")), None),
            group_price_group={g["code"]: g["price_group"] for g in groups if g.get("price_group")},
            group_receivables={g["code"]: g["receivables_account"] for g in groups if g.get("receivables_account")},
            group_revenue={g["code"]: g["revenue_account"] for g in groups if g.get("revenue_account")},
            default_receivables=defaults.get("receivables_account"),
            default_revenue=defaults.get("revenue_account"),
        )


def item_group(index: int) -> str:
    return f"IG{index:03}"


def price_group(index: int) -> str:
    return f"PG{index:04}"


def item_groups() -> list[tuple[str, str | None]]:
    """(code, parent): 10 roots, the others under root `index % 10`."""
    return [(item_group(i), item_group(i % ROOT_GROUPS) if i >= ROOT_GROUPS else None)
            for i in range(ITEM_GROUPS)]


@dataclass(frozen=True)
class PriceRule:
    """A percentage off for one price group (None: all customers) and one
    item group with its subgroups, with optional conditions."""

    id: str
    price_group: str | None
    item_group: str
    percent: int
    min_quantity: int | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    currency: str | None

    def to_setup(self) -> dict:
        rule = {"id": self.id, "items": {"item_group": self.item_group},
                "action": {"discount_percent": str(self.percent)}}
        if self.price_group:
            rule["customers"] = {"price_group": self.price_group}
        optional = {"min_quantity": self.min_quantity, "valid_from": self.valid_from,
                    "valid_to": self.valid_to, "currency": self.currency}
        return rule | {key: str(value) for key, value in optional.items() if value is not None}


def price_rules(seed: int = SEED) -> list[PriceRule]:
    """lib.rs `pricing_setup(2000)`: one rule per price group × item group,
    then five for all customers on the first five roots. One draw n in 0..30
    decides each: n + 1 percent off, a minimum quantity (1..10) when n is a
    multiple of 3, a 60-day window when of 5, EUR only when of 10."""
    rng = np.random.default_rng(seed + 1)
    total = PRICE_RULES + RULES_FOR_ALL
    draws, starts, minimums = (rng.integers(0, 30, total), rng.integers(0, 300, total),
                               rng.integers(1, 11, total))
    scopes = [(f"r{k}", price_group(k // RULES_PER_PRICE_GROUP), item_group(k % RULES_PER_PRICE_GROUP))
              for k in range(PRICE_RULES)]
    scopes += [(f"all{k}", None, item_group(k)) for k in range(RULES_FOR_ALL)]
    rules = []
    for (rule_id, group, items), n, start, minimum in zip(scopes, draws, starts, minimums):
        window = n % 5 == 0
        rules.append(PriceRule(
            id=rule_id, price_group=group, item_group=items, percent=int(n) + 1,
            min_quantity=int(minimum) if n % 3 == 0 else None,
            valid_from=day(start) if window else None,
            valid_to=day(start + 60) if window else None,
            currency="EUR" if n % 10 == 0 else None,
        ))
    return rules


def pricing_setup(rules: list[PriceRule]) -> dict:
    """The standard NL setup, the price groups, the item-group tree and the
    rules (strategy best_price, rounding half-up: the defaults)."""
    setup = custclass.Setup.standard(HOME).to_dict()
    groups = sorted({rule.price_group for rule in rules if rule.price_group})
    setup["price_groups"] = [{"code": code} for code in groups]
    setup["pricing"] = {
        "item_groups": [{"code": code} | ({"parent": parent} if parent else {})
                        for code, parent in item_groups()],
        "rules": [rule.to_setup() for rule in rules],
    }
    return setup


def item_chains() -> pa.Table:
    """Each item group with itself and every ancestor: the groups a rule
    may name to reach the group's items."""
    parent = dict(item_groups())
    pairs = []
    for code in parent:
        at = code
        while at:
            pairs.append((code, at))
            at = parent[at]
    return pa.table({"item_group": [a for a, _ in pairs], "rule_group": [b for _, b in pairs]})


def price_rule_table(rules: list[PriceRule]) -> pa.Table:
    """The rules as a table for the peers. `scope` is the price group or
    "*" for all; `kept` is (100 - percent) / 100, exact; the ranks are the
    engine's specificity (customer scope: price group 4, all 0; item scope:
    the depth of the rule's item group)."""
    chains = item_chains()
    depth = dict(zip(*np.unique(chains["item_group"].to_numpy(zero_copy_only=False), return_counts=True)))
    return pa.table({
        "rule": pa.array(range(len(rules)), pa.int32()),
        "id": [r.id for r in rules],
        "scope": [r.price_group or "*" for r in rules],
        "rule_group": [r.item_group for r in rules],
        "min_quantity": pa.array([r.min_quantity for r in rules], pa.int64()),
        "valid_from": pa.array([r.valid_from for r in rules], pa.date32()),
        "valid_to": pa.array([r.valid_to for r in rules], pa.date32()),
        "rule_currency": pa.array([r.currency for r in rules], pa.string()),
        "kept": pa.array([Decimal(100 - r.percent) / 100 for r in rules], pa.decimal128(5, 2)),
        "customer_rank": pa.array([4 if r.price_group else 0 for r in rules], pa.int8()),
        "item_rank": pa.array([depth[r.item_group] for r in rules], pa.int8()),
    })


# --- The order book of issue #18: price groups from the classification ---

BOOK_PRICE_GROUPS = 20
BOOK_RULES_PER_PRICE_GROUP = 100
TIER_BREAKS = [None, 5, 10, 25, 50, 100]    # min_quantity of a ladder's tiers
BOOK_DISTINCT_SHARE = 0.63                  # distinct customers per line
BOOK_ITEMS = 50_000
BOOK_CURRENCIES = ["EUR", "USD", "GBP", "DKK", "SEK"]
COUNTRY_CURRENCY = {"US": "USD", "GB": "GBP", "DK": "DKK", "SE": "SEK"}

# The price group of a customer no price-group rule placed: its group's.
# STANDARD (the group of private customers at the counter) has none, so its
# customers get only the rules for all customers.
GROUP_PRICE_GROUPS = {"DOMESTIC": price_group(0), "EU": price_group(1), "OVERSEAS": price_group(2),
                      "WEBSHOP": price_group(3)}

# First match wins, in this order; conditions read the customer as given
# (the stored slots), as the 40 rules of `CLASSIFY_RULES` do.
PRICE_GROUP_RULES = [
    Rule("pg-key-dach", all_of(one_of("country", "DE", "AT"), ge("attr.turnover_12m", Decimal(50000))),
         "price_group", price_group(5)),
    Rule("pg-key", ge("attr.turnover_12m", Decimal(90000)), "price_group", price_group(6)),
    Rule("pg-shopify", eq("connector", "shopify"), "price_group", price_group(7)),
    Rule("pg-gold", eq("class3", "V0"), "price_group", price_group(8)),
    Rule("pg-silver", one_of("class3", "V1", "V2"), "price_group", price_group(9)),
    Rule("pg-nordic", one_of("country", "DK", "SE"), "price_group", price_group(10)),
    Rule("pg-eu-b2b", all_of(eq("vat_zone", "eu"), eq("b2b", True)), "price_group", price_group(11)),
    Rule("pg-pos-small", all_of(eq("channel", "pos"), lt("attr.turnover_12m", Decimal(5000))),
         "price_group", price_group(12)),
    Rule("pg-tier", eq("class8", "V1"), "price_group", price_group(13)),
    Rule("pg-size", all_of(one_of("class4", "V0", "V1", "V2"), not_null("vat_number")),
         "price_group", price_group(14)),
    Rule("pg-region", all_of(eq("class1", "V4"), eq("country", "NL")), "price_group", price_group(15)),
    Rule("pg-new", ge("created_at", dt.date(2026, 11, 1)), "price_group", price_group(16)),
    Rule("pg-team", one_of("class7", "V7", "V17", "V27"), "price_group", price_group(17)),
    Rule("pg-magento", all_of(eq("connector", "magento"), eq("b2b", True)), "price_group", price_group(18),
         override=False),
]
BOOK_CLASSIFY_RULES = CLASSIFY_RULES + PRICE_GROUP_RULES


def book_price_rules(seed: int = SEED) -> list[PriceRule]:
    """2,000 rules, 100 per price group: per price group, item groups (roots
    and children) drawn without repeats, each with a ladder of 2 to 6
    quantity tiers (`TIER_BREAKS`, deeper discounts further up), until the
    100 are reached; a rule has a 30- to 120-day window one time in seven
    and is for EUR or USD only one time in twelve. Then 10 rules for all
    customers, smaller discounts: two tiers on each of the first five
    roots."""
    rng = np.random.default_rng(seed + 4)
    rules = []

    def ladder(rule_id, group, items, tiers, most=20):
        base, step = int(rng.integers(1, most + 1)), int(rng.integers(1, 5))
        for tier in range(tiers):
            window = rng.random() < 1 / 7
            start, length = int(rng.integers(0, 300)), int(rng.integers(30, 121))
            only = rng.random() < 1 / 12
            rules.append(PriceRule(
                id=f"{rule_id}-t{tier}", price_group=group, item_group=items, percent=base + step * tier,
                min_quantity=TIER_BREAKS[tier], valid_from=day(start) if window else None,
                valid_to=day(start + length) if window else None,
                currency=str(rng.choice(["EUR", "USD"])) if only else None))

    for g in range(BOOK_PRICE_GROUPS):
        target = len(rules) + BOOK_RULES_PER_PRICE_GROUP
        for items in rng.permutation(ITEM_GROUPS):
            if len(rules) == target:
                break
            tiers = min(int(rng.integers(2, 7)), target - len(rules))
            ladder(f"pg{g}-{item_group(items)}", price_group(g), item_group(items), tiers)
    for root in range(RULES_FOR_ALL):
        ladder(f"all-{item_group(root)}", None, item_group(root), 2, most=4)
    return rules


def book_setup(rules: list[PriceRule]) -> dict:
    """`classification_setup()` with the 20 price groups, a price group on
    four of the five groups, the price-group rules after the 40, and the
    item-group tree and `rules` (strategy best_price)."""
    setup = classification_setup()
    setup["price_groups"] = [{"code": price_group(g)} for g in range(BOOK_PRICE_GROUPS)]
    for group in setup["groups"]:
        if group["code"] in GROUP_PRICE_GROUPS:
            group["price_group"] = GROUP_PRICE_GROUPS[group["code"]]
    setup["rules"] += [rule.to_setup() for rule in PRICE_GROUP_RULES]
    setup["pricing"] = pricing_setup(rules)["pricing"]
    return setup


# --- Data generation ---


def day(offset: int) -> dt.date:
    return YEAR_START + dt.timedelta(days=int(offset))


def days(offsets: np.ndarray) -> pa.Array:
    return pa.array(np.datetime64(YEAR_START, "D") + offsets, pa.date32())


def dictionary(indices: np.ndarray, values: list[str], present: np.ndarray | None = None) -> pa.Array:
    """dictionary<int32, string>, null where not `present`."""
    mask = None if present is None else ~present
    return pa.DictionaryArray.from_arrays(pa.array(indices.astype(np.int32), mask=mask), pa.array(values))


def numbered(prefix: str, numbers: np.ndarray, width: int = 0, suffix: str = "") -> pa.Array:
    """`{prefix}{number:0{width}}{suffix}` per number."""
    digits = pc.utf8_lpad(pa.array(numbers).cast(pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, digits, suffix, "")


def decimals(units: np.ndarray, precision: int, scale: int) -> pa.Array:
    """decimal128(precision, scale) from integers in units of 10^-scale."""
    words = np.empty((len(units), 2), np.int64)
    words[:, 0] = units
    words[:, 1] = units >> 63
    return pa.Array.from_buffers(pa.decimal128(precision, scale), len(units), [None, pa.py_buffer(words)])


def luhn_sum(digits: np.ndarray) -> np.ndarray:
    """Luhn's sum per row of `digits` (rows × places): from the right, every
    second digit doubled and its digits added."""
    doubled = np.arange(digits.shape[1])[::-1] % 2 == 1
    twice = digits * 2
    return np.where(doubled, twice // 10 + twice % 10, digits).sum(axis=1)


def joined(*parts) -> np.ndarray:
    """Row-wise concatenation of text (the same for every row), one digit
    per row (a 1-D array) or several (a rows × places matrix)."""
    rows = next(len(part) for part in parts if not isinstance(part, str))
    out = np.full(rows, "", dtype=object)
    for part in parts:
        if isinstance(part, str):
            out = out + part
        elif part.ndim == 1:
            out = out + part.astype(str).astype(object)
        else:
            out = out + np.array(["".join(map(str, row)) for row in part], dtype=object)
    return out


def valid_vat_numbers(codes: list[str], rng: np.random.Generator) -> np.ndarray:
    """One VAT number per row that passes its country's check (`codes`, ISO),
    its check digits worked out the way each country publishes them, so a
    peer's `b2b` (a VAT number that isn't blank) is custclass's (a number
    that passes); custclass still checks each one. None for the US: an EIN
    has no check, and custclass has no rule for it."""
    n = len(codes)
    codes = np.array(codes, dtype=object)
    d = rng.integers(0, 10, (n, 11))
    d[:, 0] = rng.integers(1, 10, n)
    out = np.full(n, None, dtype=object)

    def weighted(digits, weights):
        return (digits * np.array(weights)).sum(axis=1)

    for code in sorted(set(codes)):
        rows = codes == code
        x = d[rows]
        if code == "NL":  # the eleven-test, bumping the first digit past a check of 10
            c = weighted(x[:, :8], [9, 8, 7, 6, 5, 4, 3, 2]) % 11
            x[c == 10, 0] = x[c == 10, 0] % 9 + 1
            c = weighted(x[:, :8], [9, 8, 7, 6, 5, 4, 3, 2]) % 11
            out[rows] = joined("NL", x[:, :8], c, "B01")
        elif code == "DE":  # ISO 7064 MOD 11,10
            product = np.full(len(x), 10)
            for place in range(8):
                s = (x[:, place] + product) % 10
                product = np.where(s == 0, 10, s) * 2 % 11
            out[rows] = joined("DE", x[:, :8], (11 - product) % 10)
        elif code == "BE":  # 0 and 7 digits, then 97 minus them mod 97
            body = (x[:, :7] * 10 ** np.arange(6, -1, -1)).sum(axis=1)
            out[rows] = np.array([f"BE0{b:07d}{97 - b % 97:02d}" for b in body], dtype=object)
        elif code == "GB":  # weights 8..2, 10, 1 to a multiple of 97
            s = weighted(x[:, :7], [8, 7, 6, 5, 4, 3, 2])
            out[rows] = np.array([f"GB{''.join(map(str, r))}{(-t) % 97:02d}" for r, t in zip(x[:, :7], s)], dtype=object)
        elif code == "FR":  # a Luhn SIREN and its numeric key
            check = (10 - luhn_sum(np.hstack([x[:, :8], np.zeros((len(x), 1), int)])) % 10) % 10
            siren = (x[:, :8] * 10 ** np.arange(8, 0, -1)).sum(axis=1) + check
            out[rows] = np.array([f"FR{(s * 100 + 12) % 97:02d}{s:09d}" for s in siren], dtype=object)
        elif code == "DK":  # weights 2,7,6,5,4,3,2,1 to a multiple of 11
            c = (-weighted(x[:, :7], [2, 7, 6, 5, 4, 3, 2])) % 11
            x[c == 10, 0] = x[c == 10, 0] % 9 + 1
            c = (-weighted(x[:, :7], [2, 7, 6, 5, 4, 3, 2])) % 11
            out[rows] = joined("DK", x[:, :7], c)
        elif code == "SE":  # a Luhn organisation number and 01
            check = (10 - luhn_sum(np.hstack([x[:, :9], np.zeros((len(x), 1), int)])) % 10) % 10
            out[rows] = joined("SE", x[:, :9], check, "01")
        elif code == "AT":  # U, seven digits and (6 - their Luhn sum) mod 10
            out[rows] = joined("ATU", x[:, :7], (16 - luhn_sum(x[:, :7]) % 10) % 10)
        elif code == "ES":  # a company's CIF: a letter, seven digits, their Luhn digit
            check = (10 - luhn_sum(np.hstack([x[:, :7], np.zeros((len(x), 1), int)])) % 10) % 10
            out[rows] = joined("ESB", x[:, :7], check)
    return out


def make_customers(n: int, seed: int = SEED) -> pa.Table:
    """lib.rs `customers()`: skewed countries, 45 % webshop (with a
    connector), 35 % with a VAT number, eight slots ~70 % filled, a creation
    day in 2026 and a 12-month turnover below 100,000.00. Unlike lib.rs,
    every VAT number passes its country's check and US customers have none
    (`valid_vat_numbers`), so the peers can tell `b2b` by a number that
    isn't blank."""
    rng = np.random.default_rng(seed)
    weights = np.array([weight for _, weight in COUNTRIES], float)
    country = rng.choice(len(COUNTRIES), n, p=weights / weights.sum())
    webshop = rng.integers(0, 100, n) < 45
    has_vat = rng.integers(0, 100, n) < 35
    vat_number = valid_vat_numbers([COUNTRIES[c][0] for c in country], rng)
    i = np.arange(n)
    columns = {
        "id": numbered("", 1_000_000 + i, 7),
        "name": numbered("Customer ", i),
        "email": numbered("customer", i, suffix="@example.com"),
        "city": dictionary(rng.integers(0, CITIES, n), [f"City {k}" for k in range(CITIES)]),
        "country": dictionary(country, [code for code, _ in COUNTRIES]),
        "channel": dictionary(np.where(webshop, 0, rng.integers(1, 4, n)), CHANNELS),
        "connector": dictionary(rng.integers(0, len(CONNECTORS), n), CONNECTORS, present=webshop),
        "vat_number": pa.array(np.where(has_vat, vat_number, None), pa.string()),
    }
    for slot, size in zip(SLOTS, SLOT_SIZES):
        filled = rng.integers(0, 100, n) >= 30
        columns[slot] = dictionary(rng.integers(0, size, n), [f"V{v}" for v in range(size)], present=filled)
    columns["created_at"] = days(rng.integers(0, 365, n))
    columns["attr.turnover_12m"] = decimals(rng.integers(0, 10_000_000, n), 12, 2)
    return pa.table(columns)


def make_lines(orders: int, seed: int = SEED) -> pa.Table:
    """lib.rs `order_book(2000, 10_000, orders, 50, seed)`: each order one
    customer (C000000.. spread over the 20 price groups), one day in 2026
    and one currency (10 % USD); per line an item, one of the 100 item
    groups, a list price 1.00..500.99 and a quantity 1..20."""
    rng = np.random.default_rng(seed + 2)
    n = orders * LINES_PER_ORDER
    groups = PRICE_RULES // RULES_PER_PRICE_GROUP
    per_line = lambda values: np.repeat(values, LINES_PER_ORDER)  # noqa: E731
    customer = per_line(rng.integers(0, ORDER_CUSTOMERS, orders))
    return pa.table({
        "customer": numbered("C", customer, 6),
        "price_group": dictionary(customer % groups, [price_group(g) for g in range(groups)]),
        "item": numbered("SKU", rng.integers(0, ITEMS, n), 5),
        "item_group": dictionary(rng.integers(0, ITEM_GROUPS, n), [item_group(g) for g in range(ITEM_GROUPS)]),
        "list_price": decimals(100 + rng.integers(0, 50_000, n), 12, 2),
        "quantity": pa.array(1 + rng.integers(0, 20, n), pa.int64()),
        "date": days(per_line(rng.integers(0, 365, orders))),
        "currency": dictionary(per_line((rng.integers(0, 10, orders) == 0).astype(np.int32)), ["EUR", "USD"]),
    })


def make_book_lines(n: int, customers: pa.Table, seed: int = SEED) -> pa.Table:
    """Issue #18's order book: `n` lines naming ~0.63 n distinct customers
    of `customers` by id, drawn at random. Every one has a line; the other
    lines go to them by a skewed draw (weight 1 / (rank + 10)), so most
    customers have one or two lines and the busiest thousands. A customer's
    lines come in orders of its own size (1 + a geometric count), each
    order on one day (more towards the year's end) in the customer's
    currency (USD, GBP, DKK or SEK by country, else EUR; 4 % of orders in
    USD), and the orders are shuffled. Items (50,000, popular ones far more
    often) each have an item group (skewed over the 100) and a list price
    (log-normal around 25.00); quantities are 1 + a Zipf draw up to 1,000."""
    rng = np.random.default_rng(seed + 3)
    distinct = min(customers.num_rows, max(1, round(n * BOOK_DISTINCT_SHARE)))
    who = rng.choice(customers.num_rows, distinct, replace=False)
    weights = 1.0 / (np.arange(distinct) + 10.0)
    count = 1 + rng.multinomial(n - distinct, weights / weights.sum())
    person = np.repeat(np.arange(distinct), count)
    within = np.arange(n) - np.repeat(np.cumsum(count) - count, count)
    size = np.repeat(1 + rng.geometric(0.3, distinct), count)
    _, order = np.unique(person.astype(np.int64) * n + within // size, return_inverse=True)
    orders = int(order.max()) + 1
    at = np.argsort(rng.permutation(orders)[order], kind="stable")
    row, order = who[person[at]], order[at]

    codes = [code for code, _ in COUNTRIES]
    by_country = np.array([BOOK_CURRENCIES.index(COUNTRY_CURRENCY.get(code, "EUR")) for code in codes])
    country = customers["country"].combine_chunks().indices.to_numpy()
    currency = np.where((rng.random(orders) < 0.04)[order], BOOK_CURRENCIES.index("USD"),
                        by_country[country[row]])
    on = np.minimum(364, (365 * rng.beta(2.0, 1.2, orders)).astype(np.int64))[order]

    popular = rng.permutation(BOOK_ITEMS)
    item = popular[(rng.zipf(1.1, n) - 1) % BOOK_ITEMS]
    shares = 1.0 / (rng.permutation(ITEM_GROUPS) + 3.0)
    group_of_item = rng.choice(ITEM_GROUPS, BOOK_ITEMS, p=shares / shares.sum())
    cents_of_item = np.clip(rng.lognormal(np.log(2_500), 1.1, BOOK_ITEMS), 1, 10_000_000).astype(np.int64)
    return pa.table({
        "customer": customers["id"].take(pa.array(row)),
        "item": numbered("SKU", item, 5),
        "item_group": dictionary(group_of_item[item], [item_group(g) for g in range(ITEM_GROUPS)]),
        "list_price": decimals(cents_of_item[item], 12, 2),
        "quantity": pa.array(np.minimum(rng.zipf(1.7, n), 1_000), pa.int64()),
        "date": days(on),
        "currency": dictionary(currency, BOOK_CURRENCIES),
    })


@dataclass
class Workload:
    customers: pa.Table
    lines: pa.Table
    classification: dict
    pricing: dict
    defaults: Defaults
    price_rules: pa.Table
    item_chains: pa.Table
    book_lines: pa.Table
    book: dict
    book_defaults: Defaults
    book_rules: pa.Table

    @classmethod
    def make(cls, customers: int, orders: int, book_lines: int | None = None) -> Workload:
        """`book_lines` lines in issue #18's book (as many as the other
        book's without it)."""
        table = make_customers(customers)
        book_lines = orders * LINES_PER_ORDER if book_lines is None else book_lines
        return cls.of(table, make_lines(orders), make_book_lines(book_lines, table))

    @classmethod
    def of(cls, customers: pa.Table, lines: pa.Table, book_lines: pa.Table) -> Workload:
        """The workload on these tables; the rest is built from the code."""
        rules, book_rules = price_rules(), book_price_rules()
        classification, book = classification_setup(), book_setup(book_rules)
        return cls(
            customers=customers,
            lines=lines,
            classification=classification,
            pricing=pricing_setup(rules),
            defaults=Defaults.of(classification),
            price_rules=price_rule_table(rules),
            item_chains=item_chains(),
            book_lines=book_lines,
            book=book,
            book_defaults=Defaults.of(book),
            book_rules=price_rule_table(book_rules),
        )


# --- polars ---


def polars_lookup(expr: pl.Expr, mapping: dict) -> pl.Expr:
    if not mapping:
        return pl.lit(None, pl.String)
    return expr.replace_strict(mapping, default=None, return_dtype=pl.String)


def polars_derived(df: pl.DataFrame) -> pl.DataFrame:
    """The VAT zone (home country, else EU membership on created_at, or
    current membership without one, else abroad; none without a country)
    and B2B (a VAT number that isn't blank: every generated one passes its
    country's check, as custclass's `b2b` asks)."""
    country, day_ = pl.col("country"), pl.col("created_at")
    first = country.replace_strict(EU_FIRST, default=None, return_dtype=pl.Date)
    last = country.replace_strict(EU_LAST, default=None, return_dtype=pl.Date)
    member = (pl.when(day_.is_null()).then(first.is_not_null() & last.is_null())
              .otherwise((first <= day_) & (last.is_null() | (day_ <= last)))
              .fill_null(False))
    zone = (pl.when(country.is_null()).then(pl.lit(None, pl.String))
            .when(country == HOME).then(pl.lit("domestic"))
            .when(member).then(pl.lit("eu"))
            .otherwise(pl.lit("abroad")))
    b2b = pl.col("vat_number").str.strip_chars().str.len_bytes().fill_null(0) > 0
    return df.with_columns(vat_zone=zone, b2b=b2b)


def polars_first_match(rules: list[Rule], stored: pl.Expr) -> pl.Expr:
    """The value of the first rule that holds, else the stored value; a rule
    without override only for rows without one."""
    options = [pl.when(polars_expr(r.cond) if r.override else stored.is_null() & polars_expr(r.cond))
               .then(pl.lit(r.value)) for r in rules]
    return pl.coalesce(*options, stored)


def polars_classify(df: pl.DataFrame, d: Defaults, rules: list[Rule] = CLASSIFY_RULES,
                    output: list[str] = CLASSIFY_OUTPUT, keep: tuple[str, ...] = ()) -> pl.DataFrame:
    """The `output` columns of each customer (`keep`'s input columns first):
    the rules of the targets asked for (and of type and group, which the
    rest follows from), then the defaults after the rules."""
    df = polars_derived(df)

    def stored(target):
        return pl.col(target).cast(pl.String) if target in df.columns else pl.lit(None, pl.String)

    targets = [t for t in TARGETS if t in output or t in ("type", "group")]
    chosen = df.select(*keep, *[polars_first_match(rules_for(t, rules), stored(t)).alias(t) for t in targets],
                       "channel", "vat_zone")
    kind, group = pl.col("type"), pl.col("group")

    def fits(candidate):
        return candidate.is_in(d.active_groups) & (
            kind.is_null() | (polars_lookup(candidate, d.group_type) == kind))

    candidates = [polars_lookup(pl.col("channel"), d.channel_groups),
                  polars_lookup(pl.col("vat_zone"), d.zone_groups),
                  polars_lookup(pl.coalesce(kind, pl.lit(d.default_type, pl.String)), d.type_default_group)]
    by_default = pl.coalesce(*[pl.when(fits(c)).then(c) for c in candidates])
    results = {slot: pl.col(slot) for slot in SLOTS} | {
        "type": pl.coalesce(kind, polars_lookup(group, d.group_type), pl.lit(d.default_type, pl.String)),
        "group": group,
        "price_group": pl.coalesce(pl.col("price_group"), polars_lookup(group, d.group_price_group)),
        "vat_zone": pl.col("vat_zone"),
        "receivables_account": pl.coalesce(polars_lookup(group, d.group_receivables),
                                           pl.lit(d.default_receivables, pl.String)),
        "revenue_account": pl.coalesce(polars_lookup(group, d.group_revenue),
                                       pl.lit(d.default_revenue, pl.String)),
    }
    return chosen.with_columns(pl.coalesce(group, by_default).alias("group")).select(
        *keep, *[results[name].alias(name) for name in output])


def polars_price(lines: pl.DataFrame, rules: pa.Table, chains: pa.Table) -> pl.DataFrame:
    """Order lines with their customer's `price_group` (null: none) priced
    against the rule table: every rule of the line's price group or for all,
    on its item group or an ancestor, whose terms hold; the best by the
    engine's order (a rule for the line's currency first, then the lowest
    rounded price, the more specific customer scope, the deeper item group,
    the rule declared first)."""
    lines = lines.with_row_index("line")
    keys = lines.select("line", pl.col("price_group").cast(pl.String).alias("scope"),
                        pl.col("item_group").cast(pl.String), "list_price", "quantity", "date",
                        pl.col("currency").cast(pl.String))
    candidates = (
        pl.concat([keys, keys.with_columns(scope=pl.lit("*"))])
        .join(pl.from_arrow(chains), on="item_group")
        .join(pl.from_arrow(rules), on=["scope", "rule_group"])
        .filter(pl.col("min_quantity").is_null() | (pl.col("quantity") >= pl.col("min_quantity")),
                pl.col("valid_from").is_null() | (pl.col("date") >= pl.col("valid_from")),
                pl.col("valid_to").is_null() | (pl.col("date") <= pl.col("valid_to")),
                pl.col("rule_currency").is_null() | (pl.col("rule_currency") == pl.col("currency")))
        # Decimal(12,2) × Decimal(5,2) in polars keeps scale 2, rounding
        # half to even: widen first, then round half-up ourselves.
        .with_columns(net=(pl.col("list_price").cast(pl.Decimal(38, 4)) * pl.col("kept"))
                      .round(2, mode="half_away_from_zero"),
                      for_currency=pl.col("rule_currency").is_not_null())
    )
    best = (candidates
            .sort(["line", "for_currency", "net", "customer_rank", "item_rank", "rule"],
                  descending=[False, True, False, True, True, False])
            .unique("line", keep="first", maintain_order=True)
            .select("line", "id", "net"))
    net = pl.coalesce("net", "list_price")
    return (lines.join(best, on="line", how="left", maintain_order="left")
            .select(rule=pl.col("id"), net_price=net, line_total=net * pl.col("quantity")))


class Polars:
    name = "polars"

    def __init__(self, work: Workload):
        self.work = work

    def classify(self) -> pl.DataFrame:
        return polars_classify(pl.from_arrow(self.work.customers), self.work.defaults)

    def segments(self) -> list[np.ndarray]:
        df = polars_derived(pl.from_arrow(self.work.customers))
        row = pl.int_range(pl.len(), dtype=pl.Int64)
        return [df.select(row.filter(polars_expr(q))).to_series().to_numpy() for q in SEGMENTS]

    def price(self) -> pl.DataFrame:
        return polars_price(pl.from_arrow(self.work.lines), self.work.price_rules, self.work.item_chains)

    def price_book(self) -> pl.DataFrame:
        """The customers the lines name, classified for their price group,
        which is joined onto the lines; then priced as `price`."""
        lines = pl.from_arrow(self.work.book_lines)
        named = pl.from_arrow(self.work.customers).join(
            lines.select(id=pl.col("customer")).unique(), on="id", how="semi")
        groups = polars_classify(named, self.work.book_defaults, BOOK_CLASSIFY_RULES,
                                 output=["price_group"], keep=("id",))
        lines = lines.join(groups, left_on="customer", right_on="id", how="left", maintain_order="left")
        return polars_price(lines, self.work.book_rules, self.work.item_chains)


# --- pandas ---


def pandas_frame(table: pa.Table) -> pd.DataFrame:
    """Dictionary columns as categoricals, dates as datetime64, decimals as
    pyarrow decimals (pandas has no decimal dtype of its own)."""
    return table.to_pandas(date_as_object=False,
                           types_mapper=lambda t: pd.ArrowDtype(t) if pa.types.is_decimal(t) else None)


def pandas_derived(df: pd.DataFrame) -> pd.DataFrame:
    """As `polars_derived`."""
    country, day_ = df["country"], df["created_at"]
    first = country.map({c: pd.Timestamp(d) for c, d in EU_FIRST.items()})
    last = country.map({c: pd.Timestamp(d) for c, d in EU_LAST.items()})
    member = np.where(day_.isna(), first.notna() & last.isna(),
                      (first <= day_) & (last.isna() | (day_ <= last)))
    zone = np.select([country.isna().to_numpy(), (country == HOME).to_numpy(), member],
                     [None, "domestic", "eu"], default="abroad")
    b2b = df["vat_number"].notna() & (df["vat_number"].str.strip() != "")
    return df.assign(vat_zone=pd.Series(zone, index=df.index, dtype="category"), b2b=b2b)


def pandas_first_match(rules: list[Rule], df: pd.DataFrame, stored: pd.Series) -> pd.Series:
    """As `polars_first_match`."""
    if not rules:
        return stored.astype(object)
    missing = stored.isna().to_numpy()
    masks = [pandas_true(r.cond, df) & (r.override | missing) for r in rules]
    values = np.select(masks, [r.value for r in rules], default=stored.astype(object).to_numpy())
    return pd.Series(values, index=df.index, dtype=object)


def or_default(values: pd.Series, default: str | None) -> pd.Series:
    return values if default is None else values.fillna(default)


def pandas_classify(df: pd.DataFrame, d: Defaults, rules: list[Rule] = CLASSIFY_RULES,
                    output: list[str] = CLASSIFY_OUTPUT, keep: tuple[str, ...] = ()) -> pd.DataFrame:
    """As `polars_classify`."""
    df = pandas_derived(df)
    nothing = pd.Series(None, index=df.index, dtype=object)
    targets = [t for t in TARGETS if t in output or t in ("type", "group")]
    chosen = {t: pandas_first_match(rules_for(t, rules), df, df[t] if t in df else nothing) for t in targets}
    kind = chosen["type"]

    def fits(candidate):
        return (candidate.isin(d.active_groups)
                & (kind.isna() | (candidate.map(d.group_type) == kind))).to_numpy()

    candidates = [df["channel"].map(d.channel_groups).astype(object),
                  df["vat_zone"].map(d.zone_groups).astype(object),
                  or_default(kind, d.default_type).map(d.type_default_group)]
    by_default = np.select([fits(c) for c in candidates], [c.to_numpy() for c in candidates], default=None)
    group = chosen["group"].where(chosen["group"].notna(), by_default)
    results = {slot: lambda slot=slot: chosen[slot] for slot in SLOTS} | {
        "type": lambda: or_default(kind.fillna(group.map(d.group_type)), d.default_type),
        "group": lambda: group,
        "price_group": lambda: chosen["price_group"].fillna(group.map(d.group_price_group)),
        "vat_zone": lambda: df["vat_zone"],
        "receivables_account": lambda: or_default(group.map(d.group_receivables), d.default_receivables),
        "revenue_account": lambda: or_default(group.map(d.group_revenue), d.default_revenue),
    }
    return pd.DataFrame({**{name: df[name] for name in keep}, **{name: results[name]() for name in output}})


def pandas_price(lines: pd.DataFrame, rules: pa.Table, chains: pa.Table) -> pd.DataFrame:
    """As `polars_price`, with money in integer cents (list price × percent
    kept, rounded half-up by integer division), the pandas way to exact
    amounts."""
    keys = pd.DataFrame({
        "line": np.arange(len(lines)),
        "item_group": lines["item_group"].astype(str).to_numpy(),
        "cents": (lines["list_price"] * 100).astype("int64").to_numpy(),
        "quantity": lines["quantity"].to_numpy(),
        "date": lines["date"].to_numpy(),
        "currency": lines["currency"].astype(str).to_numpy(),
    })
    rules = pandas_frame(rules)
    rules["kept"] = (rules["kept"] * 100).astype("int64")
    # A customer without a price group gets the scope "nan", which no rule has.
    scoped = pd.concat([keys.assign(scope=lines["price_group"].astype(str).to_numpy()), keys.assign(scope="*")])
    c = (scoped.merge(pandas_frame(chains), on="item_group")
         .merge(rules, on=["scope", "rule_group"]))
    c = c[(c["min_quantity"].isna() | (c["quantity"] >= c["min_quantity"]))
          & (c["valid_from"].isna() | (c["date"] >= c["valid_from"]))
          & (c["valid_to"].isna() | (c["date"] <= c["valid_to"]))
          & (c["rule_currency"].isna() | (c["rule_currency"] == c["currency"]))]
    c = c.assign(net=(c["cents"] * c["kept"] + 50) // 100, for_currency=c["rule_currency"].notna())
    best = (c.sort_values(["line", "for_currency", "net", "customer_rank", "item_rank", "rule"],
                          ascending=[True, False, True, False, False, True])
            .drop_duplicates("line").set_index("line").reindex(keys["line"]))
    net = best["net"].fillna(keys["cents"]).astype("int64").to_numpy()
    return pd.DataFrame({"rule": best["id"].to_numpy(), "net_price": net,
                         "line_total": net * keys["quantity"].to_numpy()})


class Pandas:
    name = "pandas"

    def __init__(self, work: Workload):
        self.work = work

    def classify(self) -> pd.DataFrame:
        return pandas_classify(pandas_frame(self.work.customers), self.work.defaults)

    def segments(self) -> list[np.ndarray]:
        df = pandas_derived(pandas_frame(self.work.customers))
        return [np.flatnonzero(pandas_true(q, df)) for q in SEGMENTS]

    def price(self) -> pd.DataFrame:
        return pandas_price(pandas_frame(self.work.lines), self.work.price_rules, self.work.item_chains)

    def price_book(self) -> pd.DataFrame:
        """As `Polars.price_book`."""
        lines = pandas_frame(self.work.book_lines)
        customers = pandas_frame(self.work.customers)
        named = customers[customers["id"].isin(lines["customer"].unique())]
        groups = pandas_classify(named, self.work.book_defaults, BOOK_CLASSIFY_RULES,
                                 output=["price_group"], keep=("id",))
        lines = lines.merge(groups, left_on="customer", right_on="id", how="left")
        return pandas_price(lines, self.work.book_rules, self.work.item_chains)


# --- DuckDB ---


def sql_lookup(expr: str, mapping: dict) -> str:
    if not mapping:
        return "CAST(NULL AS VARCHAR)"
    cases = " ".join(f"WHEN {sql_text(k)} THEN {sql_text(v)}" for k, v in mapping.items())
    return f"CASE {expr} {cases} END"


def sql_or_null(value: str | None) -> str:
    return sql_text(value) if value is not None else "CAST(NULL AS VARCHAR)"


def sql_derived() -> str:
    """The select list adding `vat_zone` and `b2b`, as `polars_derived`."""
    periods = " ".join(
        f"WHEN {sql_text(c)} THEN created_at >= DATE '{first}'"
        + (f" AND created_at <= DATE '{last}'" if last else "")
        for c, (first, last) in EU_MEMBERS.items())
    ongoing = ", ".join(map(sql_text, EU_ONGOING))
    member = (f"CASE WHEN created_at IS NULL THEN country IN ({ongoing}) "
              f"ELSE CASE country {periods} ELSE FALSE END END")
    zone = (f"CASE WHEN country IS NULL THEN NULL WHEN country = {sql_text(HOME)} THEN 'domestic' "
            f"WHEN {member} THEN 'eu' ELSE 'abroad' END")
    return f"*, {zone} AS vat_zone, coalesce(length(trim(vat_number)) > 0, FALSE) AS b2b"


def sql_first_match(rules: list[Rule], stored: str) -> str:
    if not rules:
        return stored
    cases = " ".join(f"WHEN {'' if r.override else f'{stored} IS NULL AND '}({sql(r.cond)}) "
                     f"THEN {sql_text(r.value)}" for r in rules)
    return f"CASE {cases} ELSE {stored} END"


def duckdb_classify_sql(columns: list[str], d: Defaults, rules: list[Rule] = CLASSIFY_RULES,
                        output: list[str] = CLASSIFY_OUTPUT, keep: tuple[str, ...] = (),
                        source: str = "customers") -> str:
    """As `polars_classify`, on the customers of `source` (a table or a
    parenthesised query) with `columns`."""
    stored = {t: f'"{t}"' if t in columns else "CAST(NULL AS VARCHAR)" for t in TARGETS}
    targets = [t for t in TARGETS if t in output or t in ("type", "group")]
    chosen = ", ".join(f'{sql_first_match(rules_for(t, rules), stored[t])} AS "{t}"' for t in targets)
    kept = "".join(f'"{name}", ' for name in keep)

    def fits(candidate):
        return (f"{candidate} IN ({', '.join(map(sql_text, d.active_groups))}) "
                f'AND ("type" IS NULL OR {sql_lookup(candidate, d.group_type)} = "type")')

    default_type = sql_or_null(d.default_type)
    results = {slot: slot for slot in SLOTS} | {
        "type": f'coalesce("type", {sql_lookup(chr(34) + "group" + chr(34), d.group_type)}, {default_type})',
        "group": '"group"',
        "price_group": f"""coalesce(price_group, {sql_lookup('"group"', d.group_price_group)})""",
        "vat_zone": "vat_zone",
        "receivables_account": f"""coalesce({sql_lookup('"group"', d.group_receivables)},
                                           {sql_or_null(d.default_receivables)})""",
        "revenue_account": f"""coalesce({sql_lookup('"group"', d.group_revenue)},
                                       {sql_or_null(d.default_revenue)})""",
    }
    return f"""
        WITH derived AS (SELECT {sql_derived()} FROM {source}),
        chosen AS (SELECT {kept}{chosen}, channel, vat_zone FROM derived),
        candidates AS (
            SELECT *, {sql_lookup('channel', d.channel_groups)} AS by_channel,
                      {sql_lookup('vat_zone', d.zone_groups)} AS by_zone,
                      {sql_lookup(f'coalesce("type", {default_type})', d.type_default_group)} AS by_type
            FROM chosen),
        grouped AS (
            SELECT * REPLACE (coalesce("group", CASE WHEN {fits('by_channel')} THEN by_channel
                                                     WHEN {fits('by_zone')} THEN by_zone
                                                     WHEN {fits('by_type')} THEN by_type END) AS "group")
            FROM candidates)
        SELECT {kept}{', '.join(f'{results[name]} AS "{name}"' for name in output)}
        FROM grouped"""


PRICE_SQL = """
    WITH keys AS (
        SELECT rowid AS line, price_group AS scope, item_group, list_price, quantity, date, currency FROM lines
        UNION ALL
        SELECT rowid, '*', item_group, list_price, quantity, date, currency FROM lines),
    candidates AS (
        SELECT k.line, r.rule, r.id, r.customer_rank, r.item_rank,
               r.rule_currency IS NOT NULL AS for_currency,
               round(k.list_price * r.kept, 2) AS net
        FROM keys k
        JOIN chains c ON c.item_group = k.item_group
        JOIN rules r ON r.scope = k.scope AND r.rule_group = c.rule_group
        WHERE (r.min_quantity IS NULL OR k.quantity >= r.min_quantity)
          AND (r.valid_from IS NULL OR k.date >= r.valid_from)
          AND (r.valid_to IS NULL OR k.date <= r.valid_to)
          AND (r.rule_currency IS NULL OR r.rule_currency = k.currency)),
    best AS (
        SELECT line, id, net FROM candidates
        QUALIFY row_number() OVER (PARTITION BY line ORDER BY for_currency DESC, net,
                                   customer_rank DESC, item_rank DESC, rule) = 1)
    SELECT b.id AS rule, coalesce(b.net, l.list_price) AS net_price,
           coalesce(b.net, l.list_price) * l.quantity AS line_total
    FROM lines l LEFT JOIN best b ON b.line = l.rowid
    ORDER BY l.rowid"""


class DuckDB:
    name = "duckdb"

    def __init__(self, work: Workload):
        self.work = work

    def classify(self) -> pa.Table:
        query = duckdb_classify_sql(self.work.customers.column_names, self.work.defaults)
        with duckdb.connect() as con:
            con.register("customers", self.work.customers)
            return con.sql(query).to_arrow_table()

    def segments(self) -> list[np.ndarray]:
        """Loaded once into a table (its rowid is the row number), as
        custclass converts once into a CustomerTable."""
        with duckdb.connect() as con:
            con.register("source", self.work.customers)
            con.execute(f"CREATE TABLE customers AS SELECT {sql_derived()} FROM source")
            return [con.sql(f"SELECT rowid FROM customers WHERE {sql(q)} ORDER BY rowid").fetchnumpy()["rowid"]
                    for q in SEGMENTS]

    def price(self) -> pa.Table:
        with duckdb.connect() as con:
            con.register("source", self.work.lines)
            con.register("rules", self.work.price_rules)
            con.register("chains", self.work.item_chains)
            con.execute("CREATE TABLE lines AS SELECT * FROM source")
            return con.sql(PRICE_SQL).to_arrow_table()

    def price_book(self) -> pa.Table:
        """As `Polars.price_book`: the lines loaded (their rowid is the line
        number), the customers they name classified for their price group,
        the lines with it stored in line order, then `PRICE_SQL`."""
        named = "(SELECT * FROM customers WHERE id IN (SELECT customer FROM source))"
        groups = duckdb_classify_sql(self.work.customers.column_names, self.work.book_defaults,
                                     BOOK_CLASSIFY_RULES, output=["price_group"], keep=("id",), source=named)
        with duckdb.connect() as con:
            con.register("customers", self.work.customers)
            con.register("lines_in", self.work.book_lines)
            con.register("rules", self.work.book_rules)
            con.register("chains", self.work.item_chains)
            con.execute("CREATE TABLE source AS SELECT * FROM lines_in")
            con.execute(f"""CREATE TABLE lines AS
                            SELECT s.*, g.price_group FROM source s LEFT JOIN ({groups}) g ON g.id = s.customer
                            ORDER BY s.rowid""")
            return con.sql(PRICE_SQL).to_arrow_table()


# --- custclass ---


class Custclass:
    name = "custclass"

    def __init__(self, work: Workload):
        self.work = work
        self.classifier = custclass.Engine(work.classification)
        self.pricer = custclass.Engine(work.pricing)
        self.book_pricer = custclass.Engine(work.book)

    def missing(self, task: str) -> str | None:
        """Why the installed binding can't run `task` yet, or None."""
        version = f"custclass {custclass.__version__}"
        if task == "classify" and not hasattr(custclass.Engine, "classify_table"):
            return f"{version} has no Engine.classify_table"
        if task == "segment_set" and not hasattr(custclass.Engine, "segment_set"):
            return f"{version} has no Engine.segment_set"
        if task == "segments" and not (hasattr(custclass, "CustomerTable")
                                       and hasattr(custclass.Segment, "rows")):
            return f"{version} has no CustomerTable / Segment.rows"
        if task == "price":
            try:
                self.pricer.price_lines(self.work.lines.slice(0, 1))
            except TypeError as error:
                return f"{version}: Engine.price_lines takes no table ({error})"
        if task == "price_book":
            try:
                self.book_pricer.price_lines(self.work.book_lines.slice(0, 1),
                                             customers=self.work.customers.slice(0, 1))
            except TypeError as error:
                return f"{version}: Engine.price_lines takes no customers= ({error})"
        return None

    def classify(self) -> pa.Table:
        return self.classifier.classify_table(self.work.customers).table

    def segments(self) -> list[np.ndarray]:
        table = custclass.CustomerTable(self.work.customers)
        return [np.asarray(self.classifier.segment(expression(q)).rows(table)) for q in SEGMENTS]

    def segment_set(self) -> list[np.ndarray]:
        """The ten segments in one pass (`Engine.segment_set`), each row's
        bit mask turned into the row lists the peers give."""
        table = custclass.CustomerTable(self.work.customers)
        segments = self.classifier.segment_set([(f"q{i}", expression(q)) for i, q in enumerate(SEGMENTS)])
        masks = segments.masks(table).table.column("mask").to_numpy()
        return [np.flatnonzero((masks >> np.uint64(i)) & np.uint64(1)) for i in range(len(SEGMENTS))]

    def price(self) -> pa.Table:
        return self.pricer.price_lines(self.work.lines).table

    def price_book(self) -> pa.Table:
        """The lines name their customers by id; the engine finds each in
        the customer table and classifies it for its price group."""
        return self.book_pricer.price_lines(self.work.book_lines, customers=self.work.customers).table


PEERS = [Polars, Pandas, DuckDB, Custclass]
TASKS = ["classify", "segments", "segment_set", "price", "price_book"]
# Issue #6 (and #18 for price_book): custclass's speed as a multiple of the
# best peer's, per task.
SPEED_TARGETS = {"classify": 10, "segments": 5, "segment_set": 5, "price": 10, "price_book": 5}
# The tasks whose peak memory is measured, each peer in a process of its own.
MEMORY_TASKS = ["price_book"]

# --- Canonical forms ---


def arrow(result) -> pa.Table:
    if isinstance(result, pl.DataFrame):
        return result.to_arrow()
    if isinstance(result, pd.DataFrame):
        return pa.Table.from_pandas(result, preserve_index=False)
    return result


def text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.fill_null(column.cast(pa.string()), "")


def money(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Two decimals as text; integers are cents. The cast refuses to drop
    a non-zero digit."""
    if pa.types.is_integer(column.type):
        column = decimals(column.to_numpy(), 38, 2)
    return column.cast(pa.decimal128(38, 2)).cast(pa.string())


def job(peer, task: str) -> Callable[[], Any]:
    """The peer's work for `task`; a peer without a one-pass form of the
    ten segments gives its ten queries (the same job) for `segment_set`."""
    if task == "segment_set" and not hasattr(peer, task):
        return peer.segments
    return getattr(peer, task)


def canonical(task: str, result):
    """The task's canonical form: a table of text, or the row lists."""
    if task in ("segments", "segment_set"):
        return [np.asarray(rows, np.int64) for rows in result]
    table = arrow(result)
    if task == "classify":
        return pa.table({name: text(table[name]) for name in CLASSIFY_OUTPUT})
    return pa.table({"rule": text(table["rule"]), "net_price": money(table["net_price"]),
                     "line_total": money(table["line_total"])})


def digest(form) -> str:
    sha = hashlib.sha256()
    if isinstance(form, pa.Table):
        sink = pa.BufferOutputStream()
        pacsv.write_csv(form, sink)
        sha.update(sink.getvalue())
    else:
        for rows in form:
            sha.update(np.int64(len(rows)).tobytes())
            sha.update(rows.tobytes())
    return sha.hexdigest()


# --- Timing and report ---


def best_of(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(runs):
        result = None
        gc.collect()
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def versions() -> str:
    libraries = [("python", platform.python_version()), ("numpy", np.__version__),
                 ("pyarrow", pa.__version__), ("polars", pl.__version__), ("pandas", pd.__version__),
                 ("duckdb", duckdb.__version__), ("custclass", custclass.__version__)]
    return ", ".join(f"{name} {version}" for name, version in libraries)


def cpu() -> str:
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                  if line.startswith("model name")), platform.processor() or "unknown")
    return f"{os.cpu_count()} CPUs ({len(os.sched_getaffinity(0))} usable), {model}"


def rate(rows: float) -> str:
    return f"{rows / 1e6:,.2f} M" if rows >= 1e5 else f"{rows / 1e3:,.1f} k"


def status_kb(field: str) -> int:
    """A size from /proc/self/status (`VmRSS`, `VmHWM`), in kB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise LookupError(field)


INPUTS = ["customers", "lines", "book_lines"]


def child(task: str, name: str, folder: str) -> int:
    """One run of `task` by the peer `name` in this fresh process, on the
    tables the parent wrote to `folder`: prints the resident memory before
    (the interpreter, the four libraries, the inputs, custclass's engines)
    and its peak during the run, in kB, as JSON. The peak is reset just
    before the run (`/proc/self/clear_refs`), so loading the inputs doesn't
    count."""
    tables = {}
    for table in INPUTS:
        with pa.OSFile(os.path.join(folder, f"{table}.arrow")) as source:
            tables[table] = pa.ipc.open_file(source).read_all()
    peer = next(peer for peer in PEERS if peer.name == name)(Workload.of(**tables))
    gc.collect()
    before = status_kb("VmRSS")
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")
    result = job(peer, task)()
    peak = status_kb("VmHWM")
    del result
    print(json.dumps({"before_kb": before, "peak_kb": peak}))
    return 0


def peak_memory(task: str, names: list[str], work: Workload) -> dict[str, dict | str]:
    """Per peer, `child`'s figures for one run of `task`, or why there are
    none."""
    found: dict[str, dict | str] = {}
    with tempfile.TemporaryDirectory(prefix="compare-") as folder:
        for table in INPUTS:
            with pa.OSFile(os.path.join(folder, f"{table}.arrow"), "wb") as sink:
                with pa.ipc.new_file(sink, getattr(work, table).schema) as writer:
                    writer.write_table(getattr(work, table))
        for name in names:
            done = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", task, name, folder],
                                  capture_output=True, text=True, check=False)
            lines = done.stdout.strip().splitlines()
            if done.returncode or not lines:
                last = (done.stderr.strip().splitlines() or ["no output"])[-1]
                found[name] = f"failed (exit {done.returncode}): {last}"
            else:
                found[name] = json.loads(lines[-1])
    return found


def book_shape(lines: pa.Table) -> str:
    counts = np.unique(lines["customer"].to_numpy(zero_copy_only=False), return_counts=True)[1]
    return (f"{len(counts):,} distinct customers ({np.mean(counts == 1):.0%} with one line, "
            f"{np.mean(counts == 2):.0%} with two, the busiest {counts.max():,})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--lines", type=int, default=1_000_000,
                        help="in each book; a multiple of 50 (the orders of `price`)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tasks", default=",".join(TASKS), help=f"comma-separated, of {', '.join(TASKS)}")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak memory of "
                        + ", ".join(MEMORY_TASKS) + " (a fresh process per peer)")
    parser.add_argument("--child", nargs=3, metavar=("TASK", "PEER", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)
    tasks = [task for task in args.tasks.split(",") if task]
    if unknown := set(tasks) - set(TASKS):
        parser.error(f"unknown tasks: {', '.join(sorted(unknown))}")

    print(versions())
    print(cpu())
    start = time.perf_counter()
    work = Workload.make(args.customers, args.lines // LINES_PER_ORDER, args.lines)
    print(f"{work.customers.num_rows:,} customers, {work.lines.num_rows:,} order lines, "
          f"{len(CLASSIFY_RULES)} rules, {len(SEGMENTS)} segments, {work.price_rules.num_rows:,} price rules; "
          f"price_book: {work.book_lines.num_rows:,} lines from {book_shape(work.book_lines)}, "
          f"{len(PRICE_GROUP_RULES)} price-group rules, {work.book_rules.num_rows:,} price rules: "
          f"generated in {time.perf_counter() - start:.1f} s; best of {args.runs}\n")

    rows = {"classify": work.customers.num_rows, "segments": work.customers.num_rows * len(SEGMENTS),
            "segment_set": work.customers.num_rows * len(SEGMENTS),
            "price": work.lines.num_rows, "price_book": work.book_lines.num_rows}
    peers = [peer(work) for peer in PEERS]
    report, memory, agreed = [], {}, True
    for task in tasks:
        seconds, hashes = {}, {}
        for peer in peers:
            reason = peer.missing(task) if isinstance(peer, Custclass) else None
            if reason:
                print(f"{task:10} {peer.name:10} skipped: {reason}")
                continue
            seconds[peer.name], result = best_of(args.runs, job(peer, task))
            hashes[peer.name] = digest(canonical(task, result))
            del result
            print(f"{task:10} {peer.name:10} {seconds[peer.name]:8.3f} s  sha256 {hashes[peer.name]}")
        same = len(set(hashes.values())) == 1
        agreed &= same
        print(f"{task:10} {'all agree' if same else 'DISAGREE'} ({', '.join(hashes)})")
        if task in MEMORY_TASKS and not args.no_memory:
            memory[task] = peak_memory(task, list(seconds), work)
            for name, found in memory[task].items():
                shown = found if isinstance(found, str) else (
                    f"peak {found['peak_kb'] / 1024:,.0f} MB resident, "
                    f"{(found['peak_kb'] - found['before_kb']) / 1024:,.0f} MB above the "
                    f"{found['before_kb'] / 1024:,.0f} MB before the run")
                print(f"{task:10} {name:10} {shown}")
        print()
        report.append((task, seconds))

    print(f"{'task':10} {'peer':10} {'seconds':>8} {'rows':>11} {'rows/s':>10} {'speed vs best peer':>19}"
          f" {'peak MB':>8} {'+MB':>7}")
    for task, seconds in report:
        best_name, best_peer = min(((n, s) for n, s in seconds.items() if n != "custclass"), key=lambda p: p[1])
        peaks = {name: found for name, found in memory.get(task, {}).items() if isinstance(found, dict)}
        for name, s in seconds.items():
            found = peaks.get(name)
            used = (f" {found['peak_kb'] / 1024:>8,.0f} {(found['peak_kb'] - found['before_kb']) / 1024:>7,.0f}"
                    if found else "")
            print(f"{task:10} {name:10} {s:8.3f} {rows[task]:>11,} {rate(rows[task] / s):>10} "
                  f"{best_peer / s:>18.2f}×{used}")
        if "custclass" in seconds:
            speed = best_peer / seconds["custclass"]
            target = SPEED_TARGETS[task]
            verdict = "met" if speed >= target else "missed"
            print(f"{task:10} custclass is {speed:.2f}× {best_name} (target ≥ {target}×: {verdict})")
            if "custclass" in peaks and "polars" in peaks:
                ours, theirs = peaks["custclass"]["peak_kb"], peaks["polars"]["peak_kb"]
                verdict = "met" if ours <= theirs else "missed"
                print(f"{task:10} custclass peaks at {ours / 1024:,.0f} MB, polars at {theirs / 1024:,.0f} MB "
                      f"(target ≤ polars': {verdict})")
        else:
            print(f"{task:10} custclass skipped")
    return 0 if agreed else 1


if __name__ == "__main__":
    sys.exit(main())
