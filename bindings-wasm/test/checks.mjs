// Error checks shared by the Node suite (node.test.mjs) and the Chromium
// page (browser/main.mjs): plain JS, no test framework. Each check throws an
// Error saying what is wrong, or returns.
//
//   for (const [name, run] of errorChecks(binding)) run();

import { canonical } from '../../vectors/runner.mjs';

function ok(condition, message) {
  if (!condition) throw new Error(message);
}

function same(actual, expected, what) {
  ok(canonical(actual) === canonical(expected), `${what}: got ${canonical(actual)}, want ${canonical(expected)}`);
}

/** What `run` throws. */
function thrown(run) {
  try {
    run();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error, got none');
}

/** The package under test (its error classes), set by `errorChecks`. */
let classes = {};

/** A custclass error: an instance of its class with `name`, `code` and `data` that agree. */
function custclassError(err, name, code) {
  ok(err instanceof Error, `not an Error: ${err}`);
  ok(err instanceof classes.CustclassError, `not a CustclassError: ${err}`);
  ok(Object.getPrototypeOf(err) === classes[name]?.prototype, `not a ${name} instance: ${err}`);
  same([err.name, err.code, err.data?.code], [name, code, code], 'name, code, data.code');
  same(err.data.message, err.message, 'data.message');
  ok(Object.getPrototypeOf(err.data) === Object.prototype, 'data is not a plain object');
  ok(String(err).startsWith(`${name}: `), `String(err) is ${String(err)}`);
  return err;
}

/** A TypeError / RangeError whose message starts with `start`. */
function argumentError(err, kind, start) {
  ok(err instanceof kind, `not a ${kind.name}: ${err}`);
  ok(err.message.startsWith(start), `message ${JSON.stringify(err.message)} does not start with ${JSON.stringify(start)}`);
}

/** A small setup with price rules: dealers get 10% off tools. */
const pricingSetup = {
  home_country: 'NL',
  types: [{ code: 'B2B', default: true }],
  price_groups: [{ code: 'DEALER' }],
  groups: [{ code: 'DOMESTIC', type: 'B2B', price_group: 'DEALER', default: true }],
  pricing: {
    item_groups: [{ code: 'TOOLS' }, { code: 'DRILLS', parent: 'TOOLS' }],
    rules: [{
      id: 'dealer-tools-10',
      customers: { price_group: 'DEALER' },
      items: { item_group: 'TOOLS' },
      action: { discount_percent: '10' },
    }],
  },
};
const dealer = { id: 'D1', billing_address: { country: 'NL' } };
const drill = { item: 'DRILL-1', item_group: 'DRILLS', list_price: '100.00', quantity: '2', date: '2026-03-01', currency: 'EUR' };

/** `[name, run]` pairs. */
export function errorChecks(binding) {
  const { Customer, Engine, Setup, readCsv } = binding;
  classes = binding;
  const engine = () => new Engine(Setup.standard('NL'));
  const badSetup = { home_country: 'NL', types: [{ code: 'A' }, { code: 'A' }], groups: [{ code: 'G', type: 'NOPE' }] };
  const badText = '{\n  "home_country": "NL",\n  oops\n}';
  return [
    ['a bad setup throws SetupError listing every problem; Setup.validate lists the same', () => {
      const err = custclassError(thrown(() => new Engine(badSetup)), 'SetupError', 'invalid_setup');
      same(err.data.problems.map((p) => [p.code, p.path]),
        [['duplicate_code', '$.types[1].code'], ['unknown_type', '$.groups[0].type']], 'problems');
      same(Setup.validate(badSetup), err.data.problems, 'Setup.validate');
      same(Setup.validate(Setup.standard('NL')), [], 'Setup.validate of a valid setup');
    }],
    ['JSON text reaches the core unchanged: a syntax error has its line and column', () => {
      const err = custclassError(thrown(() => new Setup(badText)), 'SetupError', 'invalid_setup');
      same(err.data.problems.map((p) => [p.code, p.line, p.column]), [['json_syntax', 3, 3]], 'problems');
      same(Setup.validate(badText), err.data.problems, 'Setup.validate');
    }],
    ['a bad customer throws CustomerError naming the field', () => {
      const err = custclassError(thrown(() => engine().classify({ id: '1', nmae: 'x' })), 'CustomerError', 'json_unknown_field');
      same(err.data.field, '$.nmae', 'data.field');
      const unknown = custclassError(thrown(() => new Engine(Setup.standard('NL')).classify({ id: '1', group: 'NOPE' })),
        'CustomerError', 'unknown_group');
      same(unknown.data.value, 'NOPE', 'data.value');
      custclassError(thrown(() => new Customer('{"id": ')), 'CustomerError', 'json_syntax');
    }],
    ['a bad expression throws ExpressionError with the offset', () => {
      const err = custclassError(thrown(() => engine().segment("country = 'DE' and")), 'ExpressionError', 'unexpected_end');
      ok(Number.isInteger(err.data.offset), 'data.offset is not an integer');
      const unknown = custclassError(thrown(() => engine().segment("colour = 'red'")), 'ExpressionError', 'unknown_field');
      same(unknown.data.offset, 0, 'data.offset');
    }],
    ['limits end in typed errors, not a crash', () => {
      const deep = `${'('.repeat(100_000)}country = 'NL'${')'.repeat(100_000)}`;
      same(custclassError(thrown(() => engine().segment(deep)), 'ExpressionError', 'too_deep').data.limit, 64, 'data.limit');
      const ids = Array.from({ length: 120_000 }, (_, n) => `'${String(n).padStart(6, '0')}'`);
      const long = `id in (${ids.join(', ')})`;
      const err = custclassError(thrown(() => engine().segment(long)), 'ExpressionError', 'too_long');
      same([err.data.limit, err.data.length], [1 << 20, long.length], 'data.limit, data.length');
      // A 100 MB line: reported, and the rows after it read.
      const encoder = new TextEncoder();
      const head = encoder.encode('id;name\n1;Ada\n2;');
      const tail = encoder.encode('\n3;Grace\n');
      const file = new Uint8Array(head.length + (100 << 20) + tail.length);
      file.set(head);
      file.fill(120, head.length, head.length + (100 << 20));
      file.set(tail, head.length + (100 << 20));
      const rows = readCsv(file);
      same(rows.map((row) => row.line), [2, 3, 4], 'lines');
      same([rows[1].errors[0].code, rows[2].customer.name], ['row_too_long', 'Grace'], 'the long row and the next');
    }],
    ['a line that cannot be priced throws PricingError naming the field', () => {
      const pricing = new Engine(pricingSetup);
      same(custclassError(thrown(() => pricing.price(dealer, { ...drill, quantity: '-1' })), 'PricingError', 'invalid_quantity')
        .data.quantity, '-1', 'data.quantity');
      same(custclassError(thrown(() => pricing.price(dealer, { ...drill, date: '2026-02-30' })), 'PricingError', 'invalid_field')
        .data.field, '$.date', 'data.field');
      same(custclassError(thrown(() => pricing.price(dealer, JSON.stringify({ ...drill, currency: 'XYZ' }))), 'PricingError',
        'invalid_field').data.field, '$.currency', 'data.field');
      same(custclassError(thrown(() => pricing.price(dealer, { ...drill, item_group: 'GARDEN' })), 'PricingError',
        'unknown_item_group').data.value, 'GARDEN', 'data.value');
      same(custclassError(thrown(() => pricing.price({ ...dealer, price_group: 'GOLD' }, drill)), 'PricingError',
        'invalid_customer').data.error.code, 'unknown_price_group', 'data.error.code');
      // a customer that can't be read at all is the customer's own error
      custclassError(thrown(() => pricing.price({ ...dealer, nmae: 'typo' }, drill)), 'CustomerError', 'json_unknown_field');
    }],
    ['priceLines names the bad line; price and priceLines agree; Quote converts', () => {
      const pricing = new Engine(pricingSetup);
      const bad = custclassError(thrown(() => pricing.priceLines(dealer, [drill, { ...drill, quantity: 0 }])),
        'PricingError', 'invalid_quantity');
      same(bad.data.line, 1, 'data.line');
      ok(bad.message.startsWith('line 1: '), `message ${bad.message}`);
      const unreadable = custclassError(thrown(() => pricing.priceLines(dealer, JSON.stringify([drill, drill, { ...drill, date: '2026-02-30' }]))),
        'PricingError', 'invalid_field');
      same([unreadable.data.line, unreadable.data.field], [2, '$[2].date'], 'data.line, data.field');
      argumentError(thrown(() => pricing.priceLines(dealer, [drill, { ...drill, quantity: NaN }])), TypeError,
        'requests: $[1].quantity is NaN');
      custclassError(thrown(() => pricing.price(dealer, { ...drill, quantity: undefined })),
        'PricingError', 'json_missing_field');
      const quote = pricing.price(new Customer(dealer), { ...drill, quantity: 2 });
      ok(quote instanceof binding.Quote, 'price gives a Quote');
      same([quote.toObject().net_price, quote.toObject().line_total, quote.toObject().rule], ['90.00', '180.00', 'dealer-tools-10'],
        'net_price, line_total, rule');
      same(quote.toObject().explanation, [{
        rule: 'dealer-tools-10', description: '10% off for price group DEALER, item group TOOLS',
        verdict: 'applied', net_price: '90.00', text: 'applied: 90.00',
      }], 'explanation');
      ok(JSON.stringify(quote) === quote.toJson(), 'JSON.stringify is toJson');
      const lines = pricing.priceLines(dealer, JSON.stringify([drill, drill]));
      ok(lines.length === 2 && lines.every((line) => line instanceof binding.Quote), 'priceLines gives Quotes');
      const { explanation, ...withoutExplanation } = quote.toObject();
      same(lines[0].toObject(), withoutExplanation, 'priceLines leaves the explanation out');
      same(pricing.priceLines(dealer, []), [], 'no lines');
    }],
    ['a price rule the setup cannot hold throws SetupError', () => {
      const withRule = (rule) => ({ ...pricingSetup, pricing: { ...pricingSetup.pricing, rules: [rule] } });
      const rule = pricingSetup.pricing.rules[0];
      const percent = custclassError(thrown(() => new Engine(withRule({ ...rule, action: { discount_percent: '150' } }))),
        'SetupError', 'invalid_setup');
      same(percent.data.problems.map((p) => [p.code, p.path]),
        [['invalid_percent', '$.pricing.rules[0].action.discount_percent']], 'problems');
      const group = custclassError(thrown(() => new Engine(withRule({ ...rule, customers: { price_group: 'GOLD' } }))),
        'SetupError', 'invalid_setup');
      same(group.data.problems.map((p) => [p.code, p.path]),
        [['unknown_price_group', '$.pricing.rules[0].customers.price_group']], 'problems');
    }],
    ['a bad CSV header throws TableError', () => {
      const err = custclassError(thrown(() => readCsv('id;nmae\n1;x\n')), 'TableError', 'unknown_column');
      same([err.data.column, err.data.position], ['nmae', 2], 'column, position');
      custclassError(thrown(() => readCsv(new TextEncoder().encode('name\nx\n'))), 'TableError', 'missing_column');
      custclassError(thrown(() => readCsv('id,id\n')), 'TableError', 'duplicate_column');
    }],
    ['readCsv reads UTF-16LE with a byte-order mark, tab-separated', () => {
      const text = 'id\tname\tcity\r\n1\tMüller GmbH\tKöln\r\n2\tŒuvre €\t\r\n';
      const file = new Uint8Array(2 + 2 * text.length);
      file.set([0xff, 0xfe]);
      for (let i = 0; i < text.length; i += 1) {
        const unit = text.charCodeAt(i);
        file.set([unit & 0xff, unit >> 8], 2 + 2 * i);
      }
      const rows = readCsv(file);
      same(rows, [
        { line: 2, customer: { id: '1', name: 'Müller GmbH', billing_address: { city: 'Köln' } } },
        { line: 3, customer: { id: '2', name: 'Œuvre €' } },
      ], 'rows');
      same(readCsv(file, { encoding: 'windows-1252' }), rows, 'the mark decides, whatever the option says');
    }],
    ['readCsv reads windows-1252 and latin1 with their encoding', () => {
      // Excel's plain "CSV" in western Europe: windows-1252, no mark.
      const file = Uint8Array.from('id;name;attr.note\r\n1;M\xfcller;\x80 5\r\n', (c) => c.charCodeAt(0));
      const expected = [{ line: 2, customer: { id: '1', name: 'Müller', attributes: { note: '€ 5' } } }];
      same(readCsv(file, { encoding: 'windows-1252' }), expected, 'windows-1252');
      same(readCsv(file, { encoding: 'CP1252' }), expected, 'cp1252');
      const problem = readCsv(file)[0].errors[0];
      same([problem.code, problem.column, problem.line], ['invalid_utf8', 'name', 2], 'without the option');
      ok(problem.message.includes('windows-1252'), `the message names no encoding: ${problem.message}`);
      const latin1 = Uint8Array.from('id;name\n1;Ren\xe9e \xbd\n', (c) => c.charCodeAt(0));
      same(readCsv(latin1, { encoding: 'latin1' }), [{ line: 2, customer: { id: '1', name: 'Renée ½' } }], 'latin1');
      for (const options of [undefined, null, {}, { encoding: null }]) {
        same(readCsv('id;name\n1;Müller\n', options)[0].customer.name, 'Müller', `options ${canonical(options)}`);
      }
    }],
    ['an unknown encoding throws TableError; options of the wrong kind a TypeError', () => {
      const err = custclassError(thrown(() => readCsv('id\n1\n', { encoding: 'ansi' })), 'TableError', 'unknown_encoding');
      same(Object.keys(err.data).sort(), ['code', 'encoding', 'message'], 'data keys');
      same(err.data.encoding, 'ansi', 'data.encoding');
      for (const label of ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'latin1']) {
        ok(err.message.includes(label), `the message lists no ${label}: ${err.message}`);
      }
      argumentError(thrown(() => readCsv('id\n1\n', 'latin1')), TypeError, 'options: ');
      argumentError(thrown(() => readCsv('id\n1\n', { encoding: 1252 })), TypeError, 'options.encoding: ');
    }],
    ['values JSON cannot hold are TypeErrors naming where', () => {
      const cases = [
        [{ id: '1', attributes: { f: () => 1 } }, 'customer: $.attributes.f is a function'],
        [{ id: '1', attributes: { n: 10n } }, 'customer: $.attributes.n is a bigint'],
        [{ id: '1', attributes: { n: NaN } }, 'customer: $.attributes.n is NaN'],
        [{ id: '1', manual: ['group', Symbol('x')] }, 'customer: $.manual[1] is a symbol'],
        [{ id: '1', created_at: new Date(0) }, 'customer: $.created_at is a Date object'],
        [new Map([['id', '1']]), 'customer: $ is a Map object'],
        [Setup.standard('NL'), 'customer: $ is a Setup object'],
      ];
      for (const [customer, start] of cases) argumentError(thrown(() => engine().classify(customer)), TypeError, start);
      const cyclic = { id: '1' };
      cyclic.attributes = cyclic;
      argumentError(thrown(() => new Customer(cyclic)), TypeError, 'source: $.attributes.attributes');
      argumentError(thrown(() => readCsv(42)), TypeError, 'data: ');
    }],
    ['an undefined property is left out, as JSON.stringify and the Node addon do', () => {
      const shopper = { id: '1', billing_address: { country: 'DE' } };
      const typed = engine().classify({ ...shopper, vat_number: undefined, name: undefined });
      same(typed.toJson(), engine().classify(shopper).toJson(), 'classification');
    }],
    ['a bad country code or day is a RangeError; an unknown result name is null', () => {
      argumentError(thrown(() => Setup.standard('XX')), RangeError, 'homeCountry: ');
      const customer = { id: '1', billing_address: { country: 'GB' } };
      argumentError(thrown(() => engine().classify(customer, '2020-13-01')), RangeError, 'on: ');
      argumentError(thrown(() => engine().classify(customer, '2020-01-01T10:00')), RangeError, 'on: ');
      same(engine().classify(customer).get('grup'), null, 'get of an unknown name');
    }],
  ];
}

/** `rows` generated customers as column arrays: mixed countries, VAT numbers, channels, turnovers. */
export function generatedColumns(rows) {
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

/** Customer `row` of `generatedColumns` as a customer object. */
function customerOf(columns, row) {
  const customer = { id: columns.id[row] };
  if (columns.country[row] !== null) customer.billing_address = { country: columns.country[row] };
  if (columns.vat_number[row] !== null) customer.vat_number = columns.vat_number[row];
  if (columns.channel[row] !== null) customer.channel = columns.channel[row];
  if (columns['attr.turnover'][row] !== null) customer.attributes = { turnover: columns['attr.turnover'][row] };
  return customer;
}

/**
 * `[name, run]` pairs for the batch paths (`Engine#classifyMany`,
 * `Segment#filter`) beyond what the bulk vectors carry: columns JSON can
 * hold but an Arrow table can't, customer objects, empty and large batches.
 * `setup` is the bulk vectors' setup (vectors/bulk/classify_table.json).
 */
export function bulkChecks(binding, setup) {
  const engine = new binding.Engine(setup);
  classes = binding;
  return [
    ['columns of different lengths throw a TableError (column_length) naming the column', () => {
      // (the core reads the columns in name order: `country` is the first)
      const err = custclassError(thrown(() => engine.classifyMany({ country: ['NL', 'DE', 'BE'], id: ['1', '2'] })),
        'TableError', 'column_length');
      same([err.data.column, err.data.found, err.data.expected], ['id', 2, 3], 'column, found, expected');
      custclassError(thrown(() => engine.segment("country = 'NL'").filter({ id: ['1'], country: ['NL', 'DE'] })),
        'TableError', 'column_length');
    }],
    ['a column mixing text and numbers throws a TableError (column_type) naming the column', () => {
      const err = custclassError(thrown(() => engine.classifyMany({ id: ['1', '2'], country: ['NL', 7] })), 'TableError', 'column_type');
      same(err.data.column, 'country', 'data.column');
      ok(err.message.includes('a mix of text and numbers'), `message ${err.message}`);
      custclassError(thrown(() => engine.classifyMany({ id: ['1'], country: [{ code: 'NL' }] })), 'TableError', 'column_type');
      custclassError(thrown(() => engine.classifyMany({ id: ['1'], colour: ['red'] })), 'TableError', 'unknown_column');
      custclassError(thrown(() => engine.classifyMany({ country: ['NL'] })), 'TableError', 'missing_column');
    }],
    ['an array of customer objects: a bad customer is its row in errors, the others are classified', () => {
      const customers = [
        { id: '1', billing_address: { country: 'DE' }, vat_number: 'DE123456788' },
        { id: '2', billing_address: { country: 'NL' }, nmae: 'typo' },
        { id: '3', billing_address: { country: 'NL' }, channel: 'webshop' },
        { id: '4', classes: { class1: 'NOPE' } },
      ];
      const { columns, errors } = engine.classifyMany(customers);
      same(errors.map((e) => [e.row, e.id, e.column, e.code]), [
        [1, '2', '$.nmae', 'json_unknown_field'],
        [3, '4', 'class1', 'unknown_slot_value'],
      ], 'errors');
      same(columns.group, ['EU', null, 'WEBSHOP', null], 'group');
      same(columns.group_source, ['zone_default:eu', null, 'channel_default:webshop', null], 'group_source');
      same(columns.b2b, [true, null, false, null], 'b2b');
      for (const row of [0, 2]) {
        const one = engine.classify(customers[row]);
        for (const name of ['type', 'group', 'vat_zone', 'receivables_account', 'layout']) {
          same(columns[name][row], one.get(name)?.value ?? null, `${name} of row ${row}`);
        }
      }
      same(engine.segment("country = 'NL'").filter(customers).rows, [2], 'segment rows');
      custclassError(thrown(() => engine.classifyMany('[{"id": "1"},')), 'CustomerError', 'json_syntax');
      custclassError(thrown(() => engine.classifyMany('{"id": [')), 'TableError', 'unreadable_header');
    }],
    ['column arrays, customer objects and JSON text of either give the same answer', () => {
      const columns = generatedColumns(50);
      const customers = columns.id.map((_, row) => customerOf(columns, row));
      const fromColumns = engine.classifyMany(columns);
      same(engine.classifyMany(customers), fromColumns, 'customer objects');
      same(engine.classifyMany(JSON.stringify(columns)), fromColumns, 'columns as JSON text');
      same(engine.classifyMany(` ${JSON.stringify(customers)}`), fromColumns, 'customers as JSON text');
      const segment = engine.segment("vat_zone = 'eu' and b2b = true");
      same(segment.filter(customers), segment.filter(columns), 'segment rows');
      ok(segment.filter(columns).rows.length > 0, 'no rows in the segment');
      same(Object.keys(fromColumns.columns).slice(0, 4), ['class1', 'class1_source', 'class3', 'class3_source'], 'column order');
      same(Object.keys(fromColumns.columns).at(-1), 'b2b', 'last column');
    }],
    ['values JSON cannot hold in a batch are TypeErrors naming where', () => {
      argumentError(thrown(() => engine.classifyMany(42)), TypeError,
        'batch: expected an array of customers, an object of columns or a JSON string, not a number');
      argumentError(thrown(() => engine.classifyMany(undefined)), TypeError, 'batch: ');
      argumentError(thrown(() => engine.classifyMany({ id: ['1', NaN] })), TypeError, 'batch: $.id[1] is NaN');
      argumentError(thrown(() => engine.segment("country = 'NL'").filter([new Map()])), TypeError, 'batch: $[0] is a Map object');
    }],
    ['an empty batch gives empty columns', () => {
      // Column batches carry the attribute the rules test (missing_attribute otherwise).
      for (const batch of [[], { id: [], 'attr.turnover': [] }, { id: [], country: [], 'attr.turnover': [] }, '[]']) {
        const { columns, errors } = engine.classifyMany(batch);
        same(errors, [], 'errors');
        same(Object.keys(columns).length, 19, 'number of columns');
        for (const values of Object.values(columns)) same(values, [], 'values');
        same(engine.segment("country = 'NL'").filter(batch), { rows: [], errors: [], warnings: [] }, 'segment rows');
      }
    }],
    ['100,000 rows in one call', () => {
      const rows = 100_000;
      const columns = generatedColumns(rows);
      const { columns: result, errors } = engine.classifyMany(columns);
      same(errors, [], 'errors');
      for (const [name, values] of Object.entries(result)) ok(values.length === rows, `${name}: ${values.length} values`);
      for (const row of [0, 1, 4242, 99_999]) {
        const one = engine.classify(customerOf(columns, row));
        same(result.group[row], one.get('group').value, `group of row ${row}`);
        same(result.b2b[row], one.get('b2b').value, `b2b of row ${row}`);
      }
      const eu = engine.segment("vat_zone = 'eu'").filter(columns);
      same(eu.rows, result.vat_zone.flatMap((zone, row) => (zone === 'eu' ? [row] : [])), 'segment rows');
    }],
    ['a segment set answers per row and per segment what each segment answers alone', () => {
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
      same(set.names, Object.keys(segments), 'names');
      same(set.expressions, Object.values(segments), 'expressions');
      same(set.length, 6, 'length');
      const { masks, counts, errors, warnings } = set.masks(columns);
      ok(masks instanceof BigUint64Array && masks.length === 2_000, 'masks is a BigUint64Array, one per row');
      same(errors, [], 'errors');
      same(Object.keys(counts), Object.keys(segments), 'counts in the set order');
      same(set.counts(columns), { counts, errors, warnings }, 'counts');
      same(engine.segmentSet(Object.entries(segments)).masks(columns).counts, counts, 'pairs give the same set');
      Object.entries(segments).forEach(([name, expression], bit) => {
        const alone = engine.segment(expression).filter(columns).rows;
        const inSet = [...masks].flatMap((mask, row) => ((mask >> BigInt(bit)) & 1n ? [row] : []));
        same(inSet, alone, `rows of ${name}`);
        same(counts[name], alone.length, `count of ${name}`);
        same(set.filter(columns, name), { rows: alone, errors: [], warnings }, `filter ${name}`);
      });
      for (const row of [0, 1, 7, 1_999]) {
        same(set.mask(customerOf(columns, row)) === masks[row], true, `mask of row ${row}`);
        same(set.namesIn(masks[row]), Object.keys(segments).filter((_, bit) => (masks[row] >> BigInt(bit)) & 1n), `names of row ${row}`);
      }
      const bad = set.masks([{ id: '1', billing_address: { country: 'NL' } }, { id: '2', nmae: 'typo' }]);
      same([Array.from(bad.masks, Number), bad.errors.map((e) => e.row)], [[19, 0], [1]], 'a bad row is in no segment');
    }],
    ['a segment set refuses what cannot be one', () => {
      const err = custclassError(thrown(() => engine.segmentSet([['fine', 'true'], ['typo', "contry = 'NL'"]])), 'ExpressionError', 'invalid_segment');
      same([err.data.segment, err.data.offset, err.data.error.code], ['typo', 0, 'unknown_field'], 'segment, offset, error');
      custclassError(thrown(() => engine.segmentSet([['a', 'true'], ['a', 'false']])), 'ExpressionError', 'duplicate_segment');
      const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`s${i}`, 'true']));
      custclassError(thrown(() => engine.segmentSet(many)), 'ExpressionError', 'too_many_segments');
      const set = engine.segmentSet({ a: 'true' });
      argumentError(thrown(() => engine.segmentSet("country = 'NL'")), TypeError, 'segments must be an object');
      argumentError(thrown(() => engine.segmentSet([['only a name']])), TypeError, 'segments must be an object');
      argumentError(thrown(() => set.filter({ id: ['1'] }, 'nope')), RangeError, "no segment of the set is named 'nope'");
      argumentError(thrown(() => set.namesIn(-1n)), RangeError, 'a mask is a bigint');
    }],
  ];
}

/**
 * Quotes and classifications read as properties (`quote.net_price`) as well
 * as through `toObject()`, and prices explained in words; the Node suite
 * runs the same checks (bindings-node/test/quotes.test.mjs), so both
 * packages answer with the same names. `setup` is the one of
 * vectors/bulk/price_reasons.json.
 */
export function quoteChecks(binding, setup) {
  const engine = new binding.Engine(setup);
  const trade = { id: 'C1', billing_address: { country: 'NL' }, price_group: 'TRADE' };
  const retail = { id: 'C2', billing_address: { country: 'BE' }, price_group: 'RETAIL' };
  const pads = { item: 'PAD-1', item_group: 'BRAKES', list_price: '25.00', quantity: '9', date: '2026-11-20', currency: 'EUR' };
  const oil = { item: 'OIL-5L', item_group: 'OILS', list_price: '39.95', quantity: '1', date: '2026-11-20', currency: 'EUR' };
  /** Every field of the object form is a property with the same value. */
  const readable = (result, what) => {
    const object = result.toObject();
    for (const [name, value] of Object.entries(object)) same(result[name], value, `${what}.${name}`);
  };
  return [
    ['a quote reads as properties, with its reason and each verdict in words', () => {
      const quote = engine.price(trade, pads);
      same([quote.list_price, quote.net_price, quote.quantity, quote.line_total, quote.currency],
        ['25.00', '22.00', '9', '198.00', 'EUR'], 'amounts');
      same([quote.discount_percent, quote.discount_amount], ['12.00', '3.00'], 'discount');
      same([quote.rule, quote.stacked], ['trade-parts', ['trade-loyalty-2']], 'rule and stacked');
      same(quote.reason, '10% off for price group TRADE, item group PARTS + 2% off for price group TRADE, all items', 'reason');
      const brakes = quote.explanation.find((candidate) => candidate.rule === 'trade-brakes-10');
      same([brakes.verdict, brakes.text, brakes.description],
        ['below_min_quantity', 'below the minimum quantity 10: buy 1 more', '15% off for price group TRADE, item group BRAKES'],
        'a verdict in words');
      readable(quote, 'quote');
    }],
    ['a quote without a rule: null rule, no stacked rules, the list price in words, no explanation from priceLines', () => {
      const [quote] = engine.priceLines(retail, [oil]);
      same([quote.rule, quote.stacked, quote.explanation, quote.net_price], [null, [], null, '39.95'], 'no rule');
      same(quote.reason, 'no price rule applies: list price', 'reason');
      readable(quote, 'quote');
    }],
    ['priceMany: list price, discount and reason columns; explain gives the chosen lines every verdict', () => {
      const lines = [{ customer: 'C1', ...pads }, { customer: 'C2', ...oil }, { customer: 'C2', ...oil, quantity: '0' }];
      const customers = [trade, retail];
      const result = engine.priceMany(lines, customers, { explain: [0, 2] });
      same(result.columns.list_price, ['25.00', '39.95', null], 'list_price');
      same(result.columns.discount_percent, ['12.00', '0.00', null], 'discount_percent');
      same(result.columns.discount_amount, ['3.00', '0.00', null], 'discount_amount');
      same(result.columns.reason, [engine.price(trade, pads).reason, 'no price rule applies: list price', null], 'reason');
      same(Object.keys(result.explanations), ['0'], 'only the priced line asked for');
      same(result.explanations[0], engine.price(trade, pads).toObject(), 'the explained line is what price() gives');
      same('explanations' in engine.priceMany(lines, customers), false, 'no explanations unless asked');
      argumentError(thrown(() => engine.priceMany(lines, customers, { explain: [-1] })), TypeError, 'options.explain');
    }],
    ['a classification reads as properties', () => {
      const classification = engine.classify(trade);
      same(classification.price_group.value, 'TRADE', 'price_group');
      readable(classification, 'classification');
    }],
  ];
}

/** The webhook bodies and secrets `connectChecks` verifies, which the caller signs with its host's own HMAC. */
export const webhookSamples = ['shopify', 'woocommerce'].map((platform) => ({
  platform,
  body: JSON.stringify({ id: '706405506930370084', email: 'zoë@example.nl', platform }),
  secret: `hush-hush-${platform}`,
}));

/**
 * Connectors beyond the vectors: a payload as text, bytes or object reads
 * the same; a webhook body signed by the host (`signatures`: platform →
 * base64 HMAC-SHA256 of its sample's body under its secret, computed by
 * the caller with node:crypto or SubtleCrypto) verifies, and a tampered one
 * does not; ERP bodies are plain objects. `docs`: file name → the parsed
 * vectors/connect/<file>.
 */
export function connectChecks(binding, docs, signatures) {
  classes = binding;
  const payloadCase = (file) => {
    const found = docs[file].cases.find((c) =>
      c.expected !== undefined && typeof c.input.payload === 'object' && c.input.pad === undefined);
    ok(found, `connect/${file} has no payload given as an object`);
    return found;
  };
  const readers = [['shopify.json', 'fromShopify'], ['woocommerce.json', 'fromWooCommerce'], ['magento.json', 'fromMagento']];
  const verifiers = { shopify: 'verifyShopifyWebhook', woocommerce: 'verifyWooCommerceWebhook' };
  const exports = [['exact.json', 'toExact', 'to_exact'], ['economic.json', 'toEconomic', 'to_economic'],
    ['reviso.json', 'toReviso', 'to_reviso']];
  return [
    ...readers.map(([file, name]) => [`${name}: a payload as text, bytes or object reads the same`, () => {
      const { input, expected } = payloadCase(file);
      const imported = binding[name](input.payload, input.options);
      ok(imported instanceof binding.Imported, `${name} gives no Imported`);
      same(imported.toObject(), expected, 'toObject()');
      ok(imported.toJson() === canonical(expected), 'toJson() is the canonical JSON');
      const text = JSON.stringify(input.payload, null, 2);
      for (const form of [text, new TextEncoder().encode(text)]) {
        ok(binding[name](form, input.options).toJson() === imported.toJson(), `${name} of ${form.constructor.name}`);
      }
      ok(imported.customer instanceof binding.Customer, 'customer is a Customer');
      same([imported.customer.toObject(), imported.findings, imported.profile],
        [expected.customer, expected.findings, expected.profile], 'customer, findings, profile');
      ok(JSON.stringify(imported) === imported.toJson(), 'JSON.stringify is toJson');
    }]),
    ['import options are an object, or its JSON text, and are checked', () => {
      const { payload } = payloadCase('shopify.json').input;
      const imported = binding.fromShopify(payload, { id: 'C-1' });
      same(imported.customer.id, 'C-1', 'id');
      same(binding.fromShopify(payload, '{"id": "C-1"}').toJson(), imported.toJson(), 'options as JSON text');
      same(binding.fromShopify(payload, null).toJson(), binding.fromShopify(payload).toJson(), 'null options');
      const err = thrown(() => binding.fromShopify(payload, { idd: 'C-1' }));
      ok(err instanceof binding.ConnectError, `not a ConnectError: ${err}`);
    }],
    ['a payload that is no JSON throws ConnectError; one JSON cannot be, a TypeError', () => {
      custclassError(thrown(() => binding.fromShopify('{"id": ')), 'ConnectError', 'json_syntax');
      const notText = thrown(() => binding.fromMagento(new Uint8Array([0x7b, 0xff, 0x7d])));
      custclassError(notText, 'ConnectError', 'json_syntax');
      same(notText.message, 'not UTF-8 text (line 1, column 2)', 'bytes that are not text');
      argumentError(thrown(() => binding.fromWooCommerce({ id: () => 1 })), TypeError, 'payload: $.id is a function');
    }],
    ...webhookSamples.map(({ platform, body, secret }) => [`${verifiers[platform]}: a signed body verifies, a tampered one does not`, () => {
      const verify = binding[verifiers[platform]];
      const signature = signatures[platform];
      const bytes = new TextEncoder().encode(body);
      ok(typeof signature === 'string' && signature.length === 44, `no signature for ${platform}`);
      ok(verify(body, secret, signature) === undefined, 'text verifies');
      ok(verify(bytes, new TextEncoder().encode(secret), signature) === undefined, 'bytes verify');
      const tampered = body.replace('example.nl', 'example.com');
      custclassError(thrown(() => verify(tampered, secret, signature)), 'ConnectError', 'invalid_signature');
      custclassError(thrown(() => verify(bytes, 'another secret', signature)), 'ConnectError', 'invalid_signature');
      custclassError(thrown(() => verify(body, secret, null)), 'ConnectError', 'missing_signature');
      custclassError(thrown(() => verify(body, secret)), 'ConnectError', 'missing_signature');
    }]),
    ...exports.map(([file, method, op]) => [`Engine#${method}: the body is a plain object`, () => {
      const found = docs[file].cases.find((c) => c.expected !== undefined && c.input.op === op);
      ok(found, `connect/${file} has no ${op} case with an answer`);
      const engine = new binding.Engine(found.setup ?? docs[file].setup);
      const exported = engine[method](found.input.customer);
      ok(exported instanceof binding.Exported, `${method} gives no Exported`);
      ok(Object.getPrototypeOf(exported.body) === Object.prototype, 'body is not a plain object');
      same([exported.system, exported.body, exported.findings],
        [found.expected.system, found.expected.body, found.expected.findings], 'system, body, findings');
      ok(exported.toJson() === canonical(found.expected), 'toJson() is the canonical JSON');
      ok(JSON.stringify(exported) === exported.toJson(), 'JSON.stringify is toJson');
      same(engine[method](new binding.Customer(found.input.customer)).toJson(), exported.toJson(), 'from a Customer');
    }]),
  ];
}
