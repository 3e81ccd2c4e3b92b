#!/usr/bin/env python3
"""The webhook signature vectors (vectors/connect/webhooks.json), computed
with Python's own hmac, hashlib and base64, apart from the Rust code they
test: each case's body, secret and header value as a platform would send
them (Shopify's X-Shopify-Hmac-Sha256 and WooCommerce's
X-WC-Webhook-Signature are both base64(HMAC-SHA256(secret, raw body))).

Usage:
  gen-webhook-vectors.py           print each case: name, body, secret, header
  gen-webhook-vectors.py --write   write the cases' inputs into the vector
                                   file, keeping the expectations of cases
                                   whose input is unchanged (the others get
                                   none: bless them,
                                   BLESS=1 cargo test -p custclass
                                   --features webhooks --test vectors)
  gen-webhook-vectors.py --check   exit 1 when the file's inputs are not
                                   the ones computed here
"""

import base64
import hashlib
import hmac
import json
import pathlib
import sys

FILE = pathlib.Path(__file__).resolve().parents[1] / "vectors" / "connect" / "webhooks.json"

DESCRIPTION = (
    "Webhook signatures: base64(HMAC-SHA256(secret, raw body)) in X-Shopify-Hmac-Sha256 "
    "or X-WC-Webhook-Signature, checked before anything is parsed. Every header value "
    "was computed by scripts/gen-webhook-vectors.py with Python's hmac module."
)

# Our own payloads and secrets, in the platforms' shapes, as the bytes they send.
SHOPIFY_BODY = (
    '{"id":7301009911,"email":"inkoop@fietsenmaker-vos.example","first_name":"Marieke",'
    '"last_name":"Vos","phone":"+31612345678","tax_exempt":false,"tax_exemptions":[],'
    '"currency":"EUR","default_address":{"company":"Fietsenmaker Vos","city":"Zwolle",'
    '"zip":"8011 AB","country_code":"NL"}}'
)
SHOPIFY_SECRET = "shpss_vectors_only_4f9c2a7e"
WOO_BODY = (
    '{"id":418,"email":"achats@atelier-brun.example","first_name":"Lucie","last_name":"Brun",'
    '"billing":{"company":"Atelier Brun","city":"Lyon","postcode":"69002","country":"FR"},'
    '"meta_data":[{"id":9021,"key":"_vat_number","value":"FR40123456824"}]}'
)
WOO_SECRET = "wc whsec: vectors & tests only"
# Non-ASCII in the body: the MAC is over its UTF-8 bytes.
NON_ASCII_BODY = (
    '{"id":7301009912,"email":"zoe@kaffeehaus-muller.example","first_name":"Zoë",'
    '"last_name":"Müller-Łukasiewicz","default_address":{"company":"Kaffeehaus Müller & Søn",'
    '"city":"Gdańsk","country_code":"PL"}}'
)


def sign(body: str, secret: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), body.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def tampered(body: str) -> str:
    """The body with one byte changed: the first digit of the customer id."""
    at = body.index('"id":') + len('"id":')
    digit = body[at]
    return body[:at] + str((int(digit) + 1) % 10) + body[at + 1 :]


def cases():
    shopify = "verify_shopify_webhook"
    woo = "verify_woocommerce_webhook"
    good_shopify = sign(SHOPIFY_BODY, SHOPIFY_SECRET)
    good_woo = sign(WOO_BODY, WOO_SECRET)
    hex_digest = hmac.new(
        SHOPIFY_SECRET.encode(), SHOPIFY_BODY.encode(), hashlib.sha256
    ).hexdigest()
    pretty = json.dumps(json.loads(SHOPIFY_BODY), indent=2, ensure_ascii=False)
    return [
        ("a Shopify customers/create body signed with the app's secret",
         shopify, SHOPIFY_BODY, SHOPIFY_SECRET, good_shopify),
        ("a WooCommerce customer body signed with the webhook's secret",
         woo, WOO_BODY, WOO_SECRET, good_woo),
        ("a body with non-ASCII names: the MAC is over its UTF-8 bytes",
         shopify, NON_ASCII_BODY, SHOPIFY_SECRET, sign(NON_ASCII_BODY, SHOPIFY_SECRET)),
        ("white space around the header's value is not part of it",
         woo, WOO_BODY, WOO_SECRET, " " + good_woo + "\t"),
        ("a tampered body (one digit of the id changed) fails",
         shopify, tampered(SHOPIFY_BODY), SHOPIFY_SECRET, good_shopify),
        ("a tampered WooCommerce body fails",
         woo, tampered(WOO_BODY), WOO_SECRET, good_woo),
        ("a signature made with another secret fails",
         shopify, SHOPIFY_BODY, SHOPIFY_SECRET, sign(SHOPIFY_BODY, SHOPIFY_SECRET + "x")),
        ("a WooCommerce body signed with the Shopify app's secret fails",
         woo, WOO_BODY, WOO_SECRET, sign(WOO_BODY, SHOPIFY_SECRET)),
        ("the same JSON pretty-printed is other bytes, so not the signed body",
         shopify, pretty, SHOPIFY_SECRET, good_shopify),
        ("no header: missing_signature naming Shopify's header",
         shopify, SHOPIFY_BODY, SHOPIFY_SECRET, None),
        ("no header: missing_signature naming WooCommerce's header",
         woo, WOO_BODY, WOO_SECRET, None),
        ("a blank header is a missing one",
         shopify, SHOPIFY_BODY, SHOPIFY_SECRET, "  "),
        ("a header that is not base64 is invalid_signature, like a wrong one",
         woo, WOO_BODY, WOO_SECRET, "sha256=not%base64!"),
        ("the hex digest is not the base64 one",
         shopify, SHOPIFY_BODY, SHOPIFY_SECRET, hex_digest),
        ("base64 of 16 bytes (a truncated MAC) fails",
         shopify, SHOPIFY_BODY, SHOPIFY_SECRET,
         base64.b64encode(base64.b64decode(good_shopify)[:16]).decode("ascii")),
        ("an empty secret verifies nothing, even a body signed with it",
         woo, WOO_BODY, "", sign(WOO_BODY, "")),
    ]


def inputs():
    for name, op, body, secret, signature in cases():
        yield name, {"op": op, "body": body, "secret": secret, "signature": signature}


def main(argv):
    if argv == []:
        for name, case in inputs():
            print(f"{name}\n  op:        {case['op']}\n  body:      {case['body']!r}")
            print(f"  secret:    {case['secret']!r}\n  signature: {case['signature']!r}")
        return 0
    if argv == ["--check"]:
        doc = json.loads(FILE.read_text(encoding="utf-8"))
        have = [(case["name"], case["input"]) for case in doc["cases"]]
        if have != list(inputs()):
            print(f"{FILE}: the inputs are not the ones this script computes", file=sys.stderr)
            return 1
        print(f"{FILE}: {len(have)} cases as computed")
        return 0
    if argv == ["--write"]:
        old = {}
        if FILE.exists():
            for case in json.loads(FILE.read_text(encoding="utf-8"))["cases"]:
                old[(case["name"], json.dumps(case["input"], sort_keys=True))] = case
        cases_out = []
        for name, case in inputs():
            kept = old.get((name, json.dumps(case, sort_keys=True)), {})
            entry = {"name": name, "input": case}
            for key in ("expected", "expected_error"):
                if key in kept:
                    entry[key] = kept[key]
            cases_out.append(entry)
        doc = {"description": DESCRIPTION, "cases": cases_out}
        FILE.parent.mkdir(parents=True, exist_ok=True)
        FILE.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {FILE}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
