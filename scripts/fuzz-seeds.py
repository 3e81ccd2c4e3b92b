#!/usr/bin/env python3
"""Writes seed corpora for the fuzz targets (fuzz/fuzz_targets) from the
test vectors and the bundled examples: one file per setup, customer,
expression, CSV text and price request found. Usage: fuzz-seeds.py DIR."""

import json
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parents[1]
out = pathlib.Path(sys.argv[1])
seeds = {name: set() for name in ["setup", "csv", "price", "customer", "expression"]}
# Webshop payloads by the op that reads them (vectors/connect).
PAYLOAD_TARGETS = {
    "from_shopify": "connect_shopify",
    "from_woocommerce": "connect_woocommerce",
    "from_magento": "connect_magento",
}
seeds.update({target: set() for target in PAYLOAD_TARGETS.values()})


def text(value):
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def walk(value, key=None):
    if isinstance(value, dict) and value.get("op") in PAYLOAD_TARGETS and "payload" in value:
        seeds[PAYLOAD_TARGETS[value["op"]]].add(text(value["payload"]))
    if isinstance(value, dict):
        for k, v in value.items():
            walk(v, k)
    elif isinstance(value, list):
        if key == "requests":
            seeds["price"].update(text(item) for item in value)
        for item in value:
            walk(item, key if key in ("requests",) else None)
    if key == "setup" or key == "input" and isinstance(value, dict) and "home_country" in value:
        seeds["setup"].add(text(value))
    elif key == "customer" and value is not None:
        seeds["customer"].add(text(value))
    elif key in ("expr", "expression", "when") and isinstance(value, str):
        seeds["expression"].add(value)
    elif key == "request":
        seeds["price"].add(text(value))
    elif key == "text" and isinstance(value, str):
        seeds["csv"].add(value)


for path in sorted((root / "vectors").glob("*/*.json")):
    walk(json.loads(path.read_text(encoding="utf-8")))
seeds["setup"].add((root / "examples" / "setup.json").read_text(encoding="utf-8"))
# The head of the example file: a few rows are as good a seed as a thousand,
# and small inputs keep the CSV target quick.
seeds["csv"].add((root / "examples" / "customers.csv").read_text(encoding="utf-8")[:4000])
# The round trip of expressions starts from the same expressions, the
# resynchronising reader from the same files plus a stray quote and CRLF.
seeds["expression_roundtrip"] = seeds["expression"]
seeds["csv_resync"] = seeds["csv"] | {
    'id;name;country\r\n1;"Zum Anker;NL\r\n2;Smit;NL\r\n\r\n3;"a\r\nb";DE\r\n',
}

for target, found in seeds.items():
    folder = out / target
    folder.mkdir(parents=True, exist_ok=True)
    for number, seed in enumerate(sorted(found)):
        (folder / f"seed-{number:04}").write_text(seed, encoding="utf-8")
    print(f"{target}: {len(found)} seeds")
