// Writes vectors/classify/demo.json and vectors/pricing/demo.json from the
// demo's setup (./setup.json, the one copy) and items (./catalog.json), for
// the shoppers below, and vectors/connect/demo.json for the webhook of
// ./shopify-customer.json: the Rust answers test/demo.mjs checks the page
// against. The webhook's e-conomic case exports the customer the first case
// reads, so it is written once that case has its expectation (run twice).
//
//   node bindings-wasm/demo/make-vectors.mjs
//   BLESS=1 cargo test -j2 -p custclass --test vectors   # fills the expectations
//
// A case whose name, input and setup are unchanged keeps its expectation; any
// other case is written without one, for BLESS to fill. test/demo.mjs fails
// when the vector files' setup is not ./setup.json.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { canonical } from '../../vectors/runner.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

/**
 * The shoppers of the demo test: what they type into the sign-up form (the
 * page sends the customer exactly so: id NEW, name, country, VAT number,
 * channel), and the cart they fill: order date, currency, [item, quantity].
 * `explain` names the cart lines whose explanation the test opens.
 */
const shoppers = [
  {
    title: 'a rider in the Netherlands signs up in the webshop',
    customer: { id: 'NEW', name: 'Anna de Vries', billing_address: { country: 'NL' }, channel: 'webshop' },
    cart: { date: '2026-04-15', currency: 'EUR', lines: [['LIGHT-SET', '1'], ['TYRE-700', '1'], ['JERSEY', '2']] },
  },
  {
    title: 'a German bike shop with a VAT number signs up in the webshop',
    customer: {
      id: 'NEW', name: 'Fahrradhaus Müller GmbH', billing_address: { country: 'DE' }, vat_number: 'DE123456788', channel: 'webshop',
    },
    cart: { date: '2026-06-10', currency: 'EUR', lines: [['TYRE-700', '12'], ['BRAKE-PADS', '10'], ['LIGHT-SET', '4']] },
  },
  {
    title: 'a British business signs up through the sales team and orders in USD',
    customer: {
      id: 'NEW', name: 'Cycle Works Ltd', billing_address: { country: 'GB' }, vat_number: 'GB123456782', channel: 'manual',
    },
    cart: { date: '2026-03-20', currency: 'USD', lines: [['HELMET', '5'], ['BIKE-GRAVEL', '2'], ['CHAIN-11', '20']] },
    explain: ['HELMET'],
  },
  {
    title: 'a rider types rubbish into the VAT field: no trade prices',
    customer: {
      id: 'NEW', name: 'Tom Peeters', billing_address: { country: 'BE' }, vat_number: 'n/a', channel: 'webshop',
    },
    cart: { date: '2026-06-10', currency: 'EUR', lines: [['TYRE-700', '12'], ['LIGHT-SET', '4']] },
  },
  {
    title: 'a Swedish rider signs up through the sales team',
    customer: { id: 'NEW', name: 'Lena Svensson', billing_address: { country: 'SE' }, channel: 'manual' },
  },
  {
    title: 'a typo in the country code',
    customer: { id: 'NEW', name: 'Typo', billing_address: { country: 'XX' }, channel: 'webshop' },
  },
  {
    title: 'a rider signs up at the shop counter',
    customer: { id: 'NEW', name: 'Jan Jansen', billing_address: { country: 'NL' }, channel: 'pos' },
    cart: {
      date: '2026-05-02', currency: 'EUR', lines: [['BIKE-CITY', '1'], ['LIGHT-SET', '2'], ['TYRE-700', '2'], ['JERSEY', '1']],
    },
  },
  {
    title: 'a Dutch bike shop signs up through the sales team',
    customer: {
      id: 'NEW', name: 'Pedal Partners B.V.', billing_address: { country: 'NL' }, vat_number: 'NL123456782B01', channel: 'manual',
    },
    cart: { date: '2026-09-01', currency: 'EUR', lines: [['BIKE-GRAVEL', '3'], ['TYRE-700', '7'], ['JERSEY', '5']] },
    explain: ['TYRE-700'],
  },
];

/** The request the page sends for one cart line. */
function lineRequest(catalog, cart, [code, quantity]) {
  const item = catalog.items.find((entry) => entry.item === code);
  if (item === undefined) throw new Error(`${code} is not in catalog.json`);
  const request = { item: code, list_price: item.list_price[cart.currency], quantity, date: cart.date, currency: cart.currency };
  if (item.item_group) request.item_group = item.item_group;
  return request;
}

/** `value` with every object's keys sorted, as serde_json writes it. */
function sorted(value) {
  if (Array.isArray(value)) return value.map(sorted);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sorted(value[key])]));
  }
  return value;
}

function write(file, description, setup, cases) {
  const target = path.join(root, file);
  const old = fs.existsSync(target) ? JSON.parse(fs.readFileSync(target, 'utf8')) : { cases: [] };
  const sameSetup = canonical(old.setup ?? null) === canonical(setup);
  let kept = 0;
  const merged = cases.map((testCase) => {
    const before = old.cases.find((c) => c.name === testCase.name);
    if (!sameSetup || before === undefined || canonical(before.input) !== canonical(testCase.input)) return testCase;
    const expectation = 'expected' in before ? { expected: before.expected } : { expected_error: before.expected_error };
    if (Object.values(expectation)[0] === undefined) return testCase;
    kept += 1;
    return { ...testCase, ...expectation };
  });
  const text = `${JSON.stringify(sorted({ description, setup, cases: merged }), null, 2)}\n`;
  fs.writeFileSync(target, text);
  const missing = merged.length - kept;
  console.log(`${file}: ${merged.length} cases${missing ? `, ${missing} without an expectation (run BLESS)` : ''}`);
  return missing;
}

function main() {
  const setup = JSON.parse(fs.readFileSync(path.join(here, 'setup.json'), 'utf8'));
  const catalog = JSON.parse(fs.readFileSync(path.join(here, 'catalog.json'), 'utf8'));
  const from = 'Generated by bindings-wasm/demo/make-vectors.mjs from the demo setup (bindings-wasm/demo/setup.json);'
    + ' bindings-wasm/test/demo.mjs checks the demo page against these answers.';
  const classify = shoppers.map((shopper) => ({ name: `sign-up: ${shopper.title}`, input: { customer: shopper.customer } }));
  const pricing = shoppers.filter((shopper) => shopper.cart).flatMap((shopper) => {
    const requests = shopper.cart.lines.map((line) => lineRequest(catalog, shopper.cart, line));
    return [
      { name: `cart: ${shopper.title}`, input: { customer: shopper.customer, requests } },
      ...(shopper.explain ?? []).map((code) => ({
        name: `explain ${code}: ${shopper.title}`,
        input: { customer: shopper.customer, request: requests.find((r) => r.item === code) },
      })),
    ];
  });
  let missing = write('vectors/classify/demo.json', `The demo webshop's sign-up form: what each shopper's account gets. ${from}`, setup, classify);
  missing += write('vectors/pricing/demo.json', `The demo webshop's carts (priceLines) and explained lines (price). ${from}`, setup, pricing);
  const payload = JSON.parse(fs.readFileSync(path.join(here, 'shopify-customer.json'), 'utf8'));
  const connectFile = path.join(root, 'vectors/connect/demo.json');
  const before = fs.existsSync(connectFile) ? JSON.parse(fs.readFileSync(connectFile, 'utf8')) : { cases: [] };
  const read = { name: "webhook: the demo's Shopify customer, read", input: { op: 'from_shopify', payload } };
  const imported = canonical(before.cases[0]?.input ?? null) === canonical(read.input) ? before.cases[0]?.expected : undefined;
  const connect = [read];
  if (imported?.customer) {
    connect.push({ name: "webhook: the demo's Shopify customer as e-conomic's body", input: { op: 'to_economic', customer: imported.customer } });
  }
  missing += write('vectors/connect/demo.json', `The demo webshop's webhook panel (fromShopify, toEconomic). ${from}`, setup, connect);
  if (connect.length < 2) missing += 1;
  if (missing > 0) console.log('then: BLESS=1 cargo test -j2 -p custclass --test vectors');
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) main();
