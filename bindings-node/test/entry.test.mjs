// The package entries: `require('custclass')` and `import 'custclass'` give
// the same classes; the async reader works off the event loop.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import * as esm from 'custclass';

const require = createRequire(import.meta.url);
const cjs = require('custclass');

const surfaceNames = [
  'Engine', 'Segment', 'SegmentSet', 'Setup', 'Customer', 'Classification', 'Reclassification', 'Quote',
  'DuplicateIndex', 'errorCodes', 'findDuplicates', 'formatExpression', 'formatPhone',
  'readCsv', 'readCsvAsync', 'readJsonLines', 'readJsonLinesAsync',
  'Imported', 'Exported', 'fromShopify', 'fromWooCommerce', 'fromMagento', 'verifyShopifyWebhook', 'verifyWooCommerceWebhook',
  'CustclassError', 'SetupError', 'ExpressionError', 'CustomerError', 'PricingError', 'TableError', 'ConnectError',
  'InternalError',
];

test('CommonJS and ESM entries give the same classes and functions', () => {
  for (const name of surfaceNames) {
    assert.equal(typeof cjs[name], 'function', name);
    assert.equal(esm[name], cjs[name], name);
  }
  assert.equal(esm.default, cjs);
  // Everything the addon exports (napi's `Js*` type aliases are undefined at
  // run time; `__napiBindingTarget` is the loader's own) is an ESM export too.
  const exported = Object.keys(cjs).filter((name) => cjs[name] !== undefined && !name.startsWith('__'));
  assert.deepEqual(exported.sort(), [...surfaceNames].sort());
  const engine = new cjs.Engine(esm.Setup.standard('NL'));
  assert.ok(engine instanceof esm.Engine);
  assert.ok(engine.classify({ id: '1' }) instanceof cjs.Classification);
});

test('the entries resolve through package.json exports', () => {
  assert.match(require.resolve('custclass'), /bindings-node\/main\.js$/);
  assert.match(import.meta.resolve('custclass'), /bindings-node\/index\.mjs$/);
});

/** A CSV file with `rows` data rows, every tenth one bad. */
function bigCsv(rows) {
  const lines = ['id;name;country;vat_number;credit_limit'];
  for (let i = 1; i <= rows; i += 1) {
    lines.push(`${i};Customer ${i};${i % 10 === 0 ? 'XX' : 'NL'};${i % 3 === 0 ? `NL${i}B01` : ''};${i}.50`);
  }
  return `${lines.join('\n')}\n`;
}

test('readCsvAsync resolves to the rows readCsv returns', async () => {
  const text = bigCsv(2_000);
  const rows = await esm.readCsvAsync(text);
  assert.deepEqual(rows, esm.readCsv(text));
  assert.deepEqual(await esm.readCsvAsync(new TextEncoder().encode(text)), rows);
  assert.equal(rows.length, 2_000);
  assert.equal(rows[9].errors[0].column, 'country');
  assert.deepEqual(rows[0], { customer: { credit_limit: '1.50', id: '1', name: 'Customer 1', billing_address: { country: 'NL' } }, line: 2 });
});

test('readCsvAsync lets the event loop run while a large file is read', async () => {
  const text = bigCsv(200_000);
  // Count the timers that fire until the promise settles: a read on the JS
  // thread would let none fire.
  let turns = 0;
  let settled = false;
  const tick = () => {
    if (settled) return;
    turns += 1;
    setTimeout(tick, 1);
  };
  const pending = esm.readCsvAsync(text).finally(() => {
    settled = true;
  });
  setImmediate(tick);
  const rows = await pending;
  assert.ok(turns > 0, 'no timer ran while the file was read');
  assert.equal(rows.length, 200_000);
  assert.equal(rows.at(-1).line, 200_001);
  assert.deepEqual(rows.at(-1).errors.map((error) => error.column), ['country']);
  // The synchronous reader, by contrast, lets nothing run until it returns.
  let blockedTurns = 0;
  const immediate = setImmediate(() => {
    blockedTurns += 1;
  });
  esm.readCsv(bigCsv(2_000));
  assert.equal(blockedTurns, 0);
  clearImmediate(immediate);
});

test('reclassify reads the earlier classification as an instance, a plain object or JSON text', () => {
  const engine = new esm.Engine(esm.Setup.standard('NL'));
  const customer = { id: '6', vat_number: 'DE136695976', billing_address: { country: 'DE' } };
  const earlier = engine.classify(customer);
  assert.equal(earlier.fingerprint, engine.fingerprint);
  const record = {
    ...earlier.apply(customer).toObject(),
    receivables_account: earlier.get('receivables_account').value,
    billing_address: { country: 'US' },
  };
  for (const previous of [earlier, earlier.toObject(), earlier.toJson()]) {
    const audit = engine.reclassify(record, previous);
    const account = audit.changes.find((change) => change.target === 'receivables_account');
    assert.deepEqual(account.from.source, { kind: 'group', group: 'EU' });
    assert.deepEqual(account.to.source, { kind: 'group', group: 'OVERSEAS' });
    assert.equal(account.from_setup, engine.fingerprint);
  }
  assert.deepEqual(engine.reclassify(record, undefined).toObject(), engine.reclassify(record).toObject());
});
