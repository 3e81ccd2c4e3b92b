// The batch paths (`Engine#classifyMany`, `Engine#classifyManyAsync`,
// `Segment#filter`) beyond what the bulk vectors carry: columns JSON can hold
// but an Arrow table can't, customer objects, the async variant, empty and
// large batches (bindings-wasm/test/checks.mjs has the same for WASM).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { Engine, Setup } from 'custclass';

const setup = JSON.parse(readFileSync(new URL('../../vectors/bulk/classify_table.json', import.meta.url), 'utf8')).setup;
const engine = new Engine(setup);

/** `rows` generated customers as column arrays: mixed countries, VAT numbers, channels, turnovers. */
function generatedColumns(rows) {
  const countries = ['NL', 'DE', 'BE', 'US', 'FR', 'AT', null];
  const channels = ['webshop', 'pos', null];
  const columns = { id: [], country: [], vat_number: [], channel: [], 'attr.turnover': [] };
  for (let row = 0; row < rows; row += 1) {
    columns.id.push(String(100000 + row));
    columns.country.push(countries[row % countries.length]);
    columns.vat_number.push(row % 3 === 0 ? `NL${String(row).padStart(9, '0')}B01` : null);
    columns.channel.push(channels[row % channels.length]);
    columns['attr.turnover'].push(row % 5 === 0 ? null : (row * 37) % 120000);
  }
  return columns;
}

/** Customer `row` of `columns` as a customer object. */
function customerOf(columns, row) {
  const customer = { id: columns.id[row] };
  if (columns.country[row] !== null) customer.billing_address = { country: columns.country[row] };
  if (columns.vat_number[row] !== null) customer.vat_number = columns.vat_number[row];
  if (columns.channel[row] !== null) customer.channel = columns.channel[row];
  if (columns['attr.turnover'][row] !== null) customer.attributes = { turnover: columns['attr.turnover'][row] };
  return customer;
}

/** What `run` throws, checked to be a custclass error of `name` and `code`. */
function custclassError(run, name, code) {
  let thrown;
  assert.throws(run, (err) => {
    thrown = err;
    return err instanceof Error && err.name === name && err.code === code && err.data?.code === code
      && err.message === err.data.message;
  });
  return thrown;
}

test('columns of different lengths throw a TableError (column_length) naming the column', () => {
  // (the core reads the columns in name order: `country` is the first)
  const err = custclassError(() => engine.classifyMany({ country: ['NL', 'DE', 'BE'], id: ['1', '2'] }),
    'TableError', 'column_length');
  assert.deepEqual([err.data.column, err.data.found, err.data.expected], ['id', 2, 3]);
  custclassError(() => engine.segment("country = 'NL'").filter({ id: ['1'], country: ['NL', 'DE'] }),
    'TableError', 'column_length');
});

test('a column mixing text and numbers throws a TableError (column_type) naming the column', () => {
  const err = custclassError(() => engine.classifyMany({ id: ['1', '2'], country: ['NL', 7] }), 'TableError', 'column_type');
  assert.equal(err.data.column, 'country');
  assert.match(err.message, /a mix of text and numbers/);
  custclassError(() => engine.classifyMany({ id: ['1'], country: [{ code: 'NL' }] }), 'TableError', 'column_type');
  custclassError(() => engine.classifyMany({ id: ['1'], colour: ['red'] }), 'TableError', 'unknown_column');
  custclassError(() => engine.classifyMany({ country: ['NL'] }), 'TableError', 'missing_column');
});

test('an array of customer objects: a bad customer is its row in errors, the others are classified', () => {
  const customers = [
    { id: '1', billing_address: { country: 'DE' }, vat_number: 'DE123456788' },
    { id: '2', billing_address: { country: 'NL' }, nmae: 'typo' },
    { id: '3', billing_address: { country: 'NL' }, channel: 'webshop' },
    { id: '4', classes: { class1: 'NOPE' } },
  ];
  const { columns, errors } = engine.classifyMany(customers);
  assert.deepEqual(errors.map((e) => [e.row, e.id, e.column, e.code]), [
    [1, '2', '$.nmae', 'json_unknown_field'],
    [3, '4', 'class1', 'unknown_slot_value'],
  ]);
  assert.deepEqual(columns.group, ['EU', null, 'WEBSHOP', null]);
  assert.deepEqual(columns.group_source, ['zone_default:eu', null, 'channel_default:webshop', null]);
  assert.deepEqual(columns.b2b, [true, null, false, null]);
  // the same as one customer at a time
  for (const row of [0, 2]) {
    const one = engine.classify(customers[row]);
    for (const name of ['type', 'group', 'vat_zone', 'receivables_account', 'layout']) {
      assert.equal(columns[name][row], one.get(name)?.value ?? null, `${name} of row ${row}`);
    }
  }
  const rows = engine.segment("country = 'NL'").filter(customers);
  assert.deepEqual(rows.rows, [2]);
  assert.deepEqual(rows.errors.map((e) => e.row), [1]);
  // a batch that isn't JSON at all
  custclassError(() => engine.classifyMany('[{"id": "1"},'), 'CustomerError', 'json_syntax');
  custclassError(() => engine.classifyMany('{"id": ['), 'TableError', 'unreadable_header');
});

test('column arrays, customer objects and JSON text of either give the same answer', () => {
  const columns = generatedColumns(50);
  const customers = columns.id.map((_, row) => customerOf(columns, row));
  const fromColumns = engine.classifyMany(columns);
  assert.deepEqual(engine.classifyMany(customers), fromColumns);
  assert.deepEqual(engine.classifyMany(JSON.stringify(columns)), fromColumns);
  assert.deepEqual(engine.classifyMany(` ${JSON.stringify(customers)}`), fromColumns);
  const segment = engine.segment("vat_zone = 'eu' and b2b = true");
  assert.deepEqual(segment.filter(customers), segment.filter(columns));
  assert.ok(segment.filter(columns).rows.length > 0);
  // columns keep the core's order: the slots, then type … layout, each with its source, then b2b
  assert.deepEqual(Object.keys(fromColumns.columns).slice(0, 4), ['class1', 'class1_source', 'class3', 'class3_source']);
  assert.equal(Object.keys(fromColumns.columns).at(-1), 'b2b');
});

test('values JSON can not hold are TypeErrors naming where', () => {
  assert.throws(() => engine.classifyMany(42), { name: 'TypeError', message: /^batch must be an array of customers, an object of columns or a JSON string, not a number/ });
  assert.throws(() => engine.classifyMany(undefined), TypeError);
  assert.throws(() => engine.classifyMany({ id: ['1', NaN] }), { name: 'TypeError', message: /^batch: \$\.id\[1\] is NaN/ });
  assert.throws(() => engine.segment("country = 'NL'").filter([new Map()]), { name: 'TypeError', message: /^batch: \$\[0\] is not a plain object/ });
});

test('an empty batch gives empty columns', () => {
  // Column batches carry the attribute the rules test (missing_attribute otherwise, issue 19).
  for (const batch of [[], { id: [], 'attr.turnover': [] }, { id: [], country: [], 'attr.turnover': [] }, '[]']) {
    const { columns, errors } = engine.classifyMany(batch);
    assert.deepEqual(errors, []);
    assert.equal(Object.keys(columns).length, 19);
    for (const values of Object.values(columns)) assert.deepEqual(values, []);
    assert.deepEqual(engine.segment("country = 'NL'").filter(batch), { rows: [], errors: [], warnings: [] });
  }
});

test('classifyManyAsync gives what classifyMany gives, and rejects as it throws', async () => {
  const columns = generatedColumns(2000);
  columns.country[7] = 'XX';
  const sync = engine.classifyMany(columns);
  assert.equal(sync.errors.length, 1);
  assert.deepEqual(await engine.classifyManyAsync(columns), sync);
  const customers = columns.id.map((_, row) => customerOf(columns, row));
  const [fromCustomers, fromText] = await Promise.all([
    engine.classifyManyAsync(customers), engine.classifyManyAsync(JSON.stringify(columns))]);
  assert.deepEqual(fromText, sync);
  assert.deepEqual(fromCustomers.columns, sync.columns);
  assert.deepEqual(await engine.classifyManyAsync([]), engine.classifyMany([]));
  await assert.rejects(engine.classifyManyAsync({ id: ['1'], country: ['NL', 'DE'] }),
    (err) => err instanceof Error && err.name === 'TableError' && err.code === 'column_length');
  await assert.rejects(engine.classifyManyAsync('[1,'), (err) => err.name === 'CustomerError' && err.code === 'json_syntax');
  await assert.rejects(engine.classifyManyAsync({ id: [() => 1] }), TypeError);
  // an engine compiled off the event loop classifies the same
  const later = await Engine.createAsync(setup);
  assert.deepEqual(await later.classifyManyAsync(columns), sync);
});

test('100,000 rows in one call', async () => {
  const rows = 100_000;
  const columns = generatedColumns(rows);
  const { columns: result, errors } = engine.classifyMany(columns);
  assert.deepEqual(errors, []);
  for (const [name, values] of Object.entries(result)) assert.equal(values.length, rows, name);
  for (const row of [0, 1, 4242, 99_999]) {
    const one = engine.classify(customerOf(columns, row));
    assert.equal(result.group[row], one.get('group').value, `group of row ${row}`);
    assert.equal(result.b2b[row], one.get('b2b').value, `b2b of row ${row}`);
  }
  const eu = engine.segment("vat_zone = 'eu'").filter(columns);
  assert.deepEqual(eu.rows, result.vat_zone.flatMap((zone, row) => (zone === 'eu' ? [row] : [])));
  assert.deepEqual((await engine.classifyManyAsync(columns)).columns.group, result.group);
});

test('priceMany takes flat line objects as it takes column arrays, and a customer table', () => {
  const doc = JSON.parse(readFileSync(new URL('../../vectors/bulk/price_lines.json', import.meta.url), 'utf8'));
  const pricer = new Engine(doc.setup);
  const lines = doc.cases[0].input.lines;
  const rows = lines.customer.map((_, row) => Object.fromEntries(Object.entries(lines).map(([name, values]) => [name, values[row]])));
  const byColumns = pricer.priceMany(lines);
  assert.deepEqual(pricer.priceMany(rows), byColumns);
  assert.deepEqual(pricer.priceMany(JSON.stringify(rows)), byColumns);
  assert.equal(byColumns.columns.net_price[0], '22.50');
  const joined = doc.cases[1].input;
  const withTable = pricer.priceMany(joined.lines, joined.customers);
  assert.deepEqual(withTable.errors.map((e) => e.code), ['invalid_quantity', 'unknown_item_group', 'unknown_customer']);
  custclassError(() => pricer.priceMany({ item: ['A'] }), 'TableError', 'missing_column');
});

test('classifyManyAsync jobs in parallel answer as one synchronous call', async () => {
  const columns = generatedColumns(20000);
  const alone = engine.classifyMany(columns);
  const answers = await Promise.all(Array.from({ length: 8 }, () => engine.classifyManyAsync(columns)));
  for (const answer of answers) assert.deepEqual(answer, alone);
});

test('a segment set answers per row and per segment what each segment answers alone', () => {
  const columns = generatedColumns(2_000);
  const segments = {
    everyone: 'true',
    dutch: "country = 'NL'",
    'dutch webshop': "country = 'NL' and channel = 'webshop'",
    'eu business': "vat_zone = 'eu' and b2b = true",
    turnover: 'attr.turnover >= 50000 or channel is null',
    nobody: 'false',
  };
  const set = engine.segmentSet(segments);
  assert.deepEqual(set.names, Object.keys(segments), 'names');
  assert.deepEqual(set.expressions, Object.values(segments), 'expressions');
  assert.deepEqual(set.length, 6, 'length');
  const { masks, counts, errors, warnings } = set.masks(columns);
  assert.ok(masks instanceof BigUint64Array && masks.length === 2_000, 'masks is a BigUint64Array, one per row');
  assert.deepEqual(errors, [], 'errors');
  assert.deepEqual(Object.keys(counts), Object.keys(segments), 'counts in the set order');
  assert.deepEqual(set.counts(columns), { counts, errors, warnings }, 'counts');
  assert.deepEqual(engine.segmentSet(Object.entries(segments)).masks(columns).counts, counts, 'pairs give the same set');
  Object.entries(segments).forEach(([name, expression], bit) => {
    const alone = engine.segment(expression).filter(columns).rows;
    const inSet = [...masks].flatMap((mask, row) => ((mask >> BigInt(bit)) & 1n ? [row] : []));
    assert.deepEqual(inSet, alone, `rows of ${name}`);
    assert.deepEqual(counts[name], alone.length, `count of ${name}`);
    assert.deepEqual(set.filter(columns, name), { rows: alone, errors: [], warnings }, `filter ${name}`);
  });
  for (const row of [0, 1, 7, 1_999]) {
    assert.deepEqual(set.mask(customerOf(columns, row)) === masks[row], true, `mask of row ${row}`);
    assert.deepEqual(set.namesIn(masks[row]), Object.keys(segments).filter((_, bit) => (masks[row] >> BigInt(bit)) & 1n), `names of row ${row}`);
  }
  const bad = set.masks([{ id: '1', billing_address: { country: 'NL' } }, { id: '2', nmae: 'typo' }]);
  assert.deepEqual([Array.from(bad.masks, Number), bad.errors.map((e) => e.row)], [[19, 0], [1]], 'a bad row is in no segment');
});

test('a segment set refuses what cannot be one', () => {
  const err = custclassError(() => engine.segmentSet([['fine', 'true'], ['typo', "contry = 'NL'"]]), 'ExpressionError', 'invalid_segment');
  assert.deepEqual([err.data.segment, err.data.offset, err.data.error.code], ['typo', 0, 'unknown_field'], 'segment, offset, error');
  custclassError(() => engine.segmentSet([['a', 'true'], ['a', 'false']]), 'ExpressionError', 'duplicate_segment');
  const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`s${i}`, 'true']));
  custclassError(() => engine.segmentSet(many), 'ExpressionError', 'too_many_segments');
  const set = engine.segmentSet({ a: 'true' });
  assert.throws(() => engine.segmentSet("country = 'NL'"), (err) => err instanceof TypeError && err.message.startsWith('segments must be an object'));
  assert.throws(() => engine.segmentSet([['only a name']]), (err) => err instanceof TypeError && err.message.startsWith('segments must be an object'));
  assert.throws(() => set.filter({ id: ['1'] }, 'nope'), (err) => err instanceof RangeError && err.message.startsWith("no segment of the set is named 'nope'"));
  assert.throws(() => set.namesIn(-1n), (err) => err instanceof RangeError && err.message.startsWith('a mask is a bigint'));
});
