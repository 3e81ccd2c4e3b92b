// `Engine#classifyManyAsync` and `#priceManyAsync` (bindings-node/async.js):
// the batch is encoded in slices on the event loop and read off it, so each
// input form must give exactly what the sync call gives, and refuse what it
// refuses with the same error. (How long the loop stalls is measured by
// scripts/bench-event-loop.mjs, not here.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { CustclassError, Engine, PricingError, TableError } from 'custclass';

const doc = JSON.parse(readFileSync(new URL('../../vectors/bulk/price_lines.json', import.meta.url), 'utf8'));
const pricer = new Engine(doc.setup);
const setup = JSON.parse(readFileSync(new URL('../../vectors/bulk/classify_table.json', import.meta.url), 'utf8')).setup;
const engine = new Engine(setup);

/** Column arrays as an array of row objects. */
const rowsOf = (columns) => columns[Object.keys(columns)[0]].map((_, row) =>
  Object.fromEntries(Object.entries(columns).map(([name, values]) => [name, values[row]])));

/** `lines` repeated to `count` lines (many slices of the JS half). */
function repeated(lines, count) {
  const out = Object.fromEntries(Object.keys(lines).map((name) => [name, []]));
  for (let row = 0; row < count; row += 1) {
    for (const [name, values] of Object.entries(lines)) out[name].push(values[row % values.length]);
  }
  return out;
}

test('priceManyAsync gives what priceMany gives, for every input form', async () => {
  for (const { input } of doc.cases) {
    const lines = repeated(input.lines, 5003);
    const customers = input.customers;
    let sync;
    try {
      sync = pricer.priceMany(lines, customers);
    } catch (thrown) {
      await assert.rejects(pricer.priceManyAsync(lines, customers), (err) => {
        assert.ok(err instanceof thrown.constructor);
        assert.deepEqual([err.name, err.code, err.message, err.data], [thrown.name, thrown.code, thrown.message, thrown.data]);
        return true;
      });
      continue;
    }
    assert.ok(sync.errors.length > 0, 'the vectors have bad lines');
    assert.deepEqual(await pricer.priceManyAsync(lines, customers), sync);
    assert.deepEqual(await pricer.priceManyAsync(rowsOf(lines), customers), sync);
    assert.deepEqual(await pricer.priceManyAsync(JSON.stringify(lines), customers && JSON.stringify(customers)), sync);
    const bytes = Buffer.from(JSON.stringify(rowsOf(lines)));
    assert.deepEqual(await pricer.priceManyAsync(new Uint8Array(bytes), customers), sync);
  }
});

test('classifyManyAsync reads JSON bytes and long JSON strings as classifyMany reads the text', async () => {
  const customers = Array.from({ length: 30000 }, (_, row) => ({
    id: String(row),
    name: row % 7 === 0 ? 'Müller 😀 GmbH' : `Customer ${row}`,
    billing_address: { country: ['NL', 'DE', 'BE', 'US'][row % 4] },
  }));
  const text = JSON.stringify(customers);
  assert.ok(text.length > 1 << 20, 'more than one slice of text');
  const sync = engine.classifyMany(text);
  assert.deepEqual(await engine.classifyManyAsync(text), sync);
  assert.deepEqual(await engine.classifyManyAsync(Buffer.from(text)), sync);
  assert.deepEqual(await engine.classifyManyAsync(customers), sync);
});

test('the async calls refuse what JSON cannot hold with the TypeError the sync calls throw', async () => {
  const bad = [
    [{ id: '1', attributes: { turnover: Number.NaN } }],
    [{ id: '1' }, { id: '2', since: new Date(0) }],
    [{ id: '1' }, undefined],
    { id: ['1', 2n] },
    42,
  ];
  for (const batch of bad) {
    let expected;
    assert.throws(() => engine.classifyMany(batch), (err) => { expected = err; return err instanceof TypeError; });
    await assert.rejects(engine.classifyManyAsync(batch), (err) => {
      assert.ok(err instanceof TypeError);
      assert.equal(err.message, expected.message);
      return true;
    });
  }
  await assert.rejects(engine.classifyManyAsync(new Uint8Array([0x5b, 0xff, 0x5d])), TypeError);
});

test('the async calls reject with the error classes the sync calls throw', async () => {
  await assert.rejects(pricer.priceManyAsync({ item: ['A'] }), (err) => {
    assert.ok(err instanceof TableError && err instanceof CustclassError && err instanceof Error);
    assert.equal(err.code, 'missing_column');
    return true;
  });
  assert.throws(() => pricer.priceLines({ id: '1' }, [{ item: 'A' }]), PricingError);
});
