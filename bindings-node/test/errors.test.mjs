// Errors: real `Error` objects with the concern as `name`, the core's `code`,
// `data` (the core's JSON form) and `message`; TypeErrors for values JSON
// can't hold.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import * as custclass from 'custclass';
import { Customer, CustclassError, Engine, Setup, readCsv, readCsvAsync, readJsonLinesAsync } from 'custclass';

const engine = new Engine(Setup.standard('NL'));

/** A setup with three problems of different kinds. */
const badSetup = {
  home_country: 'NL',
  types: [{ code: 'PRIVATE', default: true }, { code: '' }],
  groups: [
    { code: 'A', type: 'NOPE', receivables_account: '1100' },
    { code: 'B', type: 'PRIVATE', receivables_account: '1100', default: true },
  ],
  rules: [{ id: 'r', when: "country = 'NL'", set: {} }],
};

/** Checks the shape every custclass error has and returns it. */
function custclassError(err, name, code) {
  assert.ok(err instanceof Error, 'an Error instance');
  assert.ok(err instanceof CustclassError, 'a CustclassError');
  assert.ok(err instanceof custclass[name], `a ${name}`);
  assert.equal(Object.getPrototypeOf(err), custclass[name].prototype);
  assert.equal(err.name, name);
  assert.equal(err.code, code);
  assert.equal(typeof err.data, 'object');
  assert.equal(err.data.code, code);
  assert.equal(err.message, err.data.message);
  assert.ok(err.stack.startsWith(`${name}: ${err.message}`), err.stack);
  return true;
}

test('a bad setup throws a SetupError listing every problem', () => {
  let thrown;
  assert.throws(() => new Engine(badSetup), (err) => {
    thrown = err;
    return custclassError(err, 'SetupError', 'invalid_setup');
  });
  const codes = thrown.data.problems.map((problem) => problem.code);
  assert.deepEqual(codes, ['empty_code', 'unknown_type', 'empty_rule']);
  for (const problem of thrown.data.problems) {
    assert.equal(typeof problem.path, 'string');
    assert.equal(typeof problem.message, 'string');
  }
  assert.match(thrown.message, /^the setup has 3 problem\(s\); first: /);
});

test('Setup.validate lists every problem of a setup, as the thrown error does', () => {
  let thrown;
  try {
    new Engine(badSetup);
  } catch (err) {
    thrown = err;
  }
  const problems = Setup.validate(badSetup);
  assert.equal(problems.length, 3);
  assert.deepEqual(problems, thrown.data.problems);
  assert.deepEqual(Setup.validate(JSON.stringify(badSetup)), problems);
  assert.deepEqual(Setup.validate(new Setup(badSetup)), problems);
  assert.deepEqual(Setup.validate(Setup.standard('NL')), []);
});

test('Setup.validate reports a setup that is not JSON instead of throwing', () => {
  const problems = Setup.validate('{"home_country": "NL",');
  assert.equal(problems.length, 1);
  assert.equal(problems[0].code, 'json_syntax');
  assert.equal(problems[0].line, 1);
});

test('a setup that cannot be read throws a SetupError with line and column', () => {
  assert.throws(() => new Setup('{"home_country": 7}'), (err) => {
    custclassError(err, 'SetupError', 'invalid_setup');
    assert.equal(err.data.problems[0].code, 'json_invalid_value');
    assert.equal(err.data.problems[0].path, '$.home_country');
    assert.equal(err.data.problems[0].column, 18);
    return true;
  });
});

test('a bad customer throws a CustomerError naming the field', () => {
  assert.throws(() => engine.classify({ id: '1', billing_address: { country: 'XX' } }), (err) => {
    custclassError(err, 'CustomerError', 'invalid_field');
    assert.equal(err.data.field, '$.billing_address.country');
    return true;
  });
  assert.throws(() => new Customer({ id: '1', nmae: 'typo' }), (err) => {
    custclassError(err, 'CustomerError', 'json_unknown_field');
    assert.equal(err.data.field, '$.nmae');
    return true;
  });
  assert.throws(() => engine.classify({ id: '1', group: 'NOPE' }), (err) =>
    custclassError(err, 'CustomerError', 'unknown_group'));
});

test('a bad expression throws an ExpressionError with its offset', () => {
  assert.throws(() => engine.segment("country = 'NL' and contry = 'BE'"), (err) => {
    custclassError(err, 'ExpressionError', 'unknown_field');
    assert.equal(err.data.offset, 19);
    assert.equal(err.data.name, 'contry');
    assert.equal(err.data.suggestion, 'country');
    return true;
  });
  assert.throws(() => engine.segment('country = '), (err) => {
    custclassError(err, 'ExpressionError', 'unexpected_end');
    assert.equal(err.data.offset, 10);
    return true;
  });
});

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

test('a line that cannot be priced throws a PricingError naming the field', () => {
  const pricing = new Engine(pricingSetup);
  assert.throws(() => pricing.price(dealer, { ...drill, quantity: '-1' }), (err) => {
    custclassError(err, 'PricingError', 'invalid_quantity');
    assert.equal(err.data.quantity, '-1');
    return true;
  });
  assert.throws(() => pricing.price(dealer, { ...drill, date: '2026-02-30' }), (err) => {
    custclassError(err, 'PricingError', 'invalid_field');
    assert.equal(err.data.field, '$.date');
    return true;
  });
  assert.throws(() => pricing.price(dealer, JSON.stringify({ ...drill, currency: 'XYZ' })), (err) => {
    custclassError(err, 'PricingError', 'invalid_field');
    assert.equal(err.data.field, '$.currency');
    return true;
  });
  assert.throws(() => pricing.price(dealer, { ...drill, item_group: 'GARDEN' }), (err) => {
    custclassError(err, 'PricingError', 'unknown_item_group');
    assert.equal(err.data.value, 'GARDEN');
    return true;
  });
  assert.throws(() => pricing.price({ ...dealer, price_group: 'GOLD' }, drill), (err) => {
    custclassError(err, 'PricingError', 'invalid_customer');
    assert.equal(err.data.error.code, 'unknown_price_group');
    return true;
  });
  // A customer that can't be read at all is the customer's own error.
  assert.throws(() => pricing.price({ ...dealer, nmae: 'typo' }, drill), (err) =>
    custclassError(err, 'CustomerError', 'json_unknown_field'));
});

test('priceLines names the bad line, whether it is wrong or unreadable', () => {
  const pricing = new Engine(pricingSetup);
  assert.throws(() => pricing.priceLines(dealer, [drill, { ...drill, quantity: '0' }]), (err) => {
    custclassError(err, 'PricingError', 'invalid_quantity');
    assert.equal(err.data.line, 1);
    assert.match(err.message, /^line 1: /);
    return true;
  });
  assert.throws(() => pricing.priceLines(dealer, JSON.stringify([drill, drill, { ...drill, date: '2026-02-30' }])), (err) => {
    custclassError(err, 'PricingError', 'invalid_field');
    assert.equal(err.data.line, 2);
    assert.equal(err.data.field, '$[2].date');
    return true;
  });
  assert.throws(() => pricing.priceLines(dealer, [drill, { ...drill, quantity: Number.NaN }]), (err) => {
    assert.ok(err instanceof TypeError, `${err}`);
    assert.match(err.message, /^requests: \$\[1\]\.quantity is NaN/);
    return true;
  });
  assert.throws(() => pricing.price(dealer, 7), (err) => {
    assert.ok(err instanceof TypeError, `${err}`);
    assert.match(err.message, /^request must be an object or a JSON string, not a number/);
    return true;
  });
});

test('a price rule the setup cannot hold throws a SetupError', () => {
  const withRule = (rule) => ({ ...pricingSetup, pricing: { ...pricingSetup.pricing, rules: [rule] } });
  const rule = pricingSetup.pricing.rules[0];
  assert.throws(() => new Engine(withRule({ ...rule, action: { discount_percent: '150' } })), (err) => {
    custclassError(err, 'SetupError', 'invalid_setup');
    assert.deepEqual(err.data.problems.map((problem) => [problem.code, problem.path]),
      [['invalid_percent', '$.pricing.rules[0].action.discount_percent']]);
    return true;
  });
  assert.throws(() => new Engine(withRule({ ...rule, customers: { price_group: 'GOLD' } })), (err) => {
    custclassError(err, 'SetupError', 'invalid_setup');
    assert.deepEqual(err.data.problems.map((problem) => [problem.code, problem.path]),
      [['unknown_price_group', '$.pricing.rules[0].customers.price_group']]);
    return true;
  });
});

test('a bad CSV header throws a TableError', () => {
  assert.throws(() => readCsv('id;nmae\n1;Jansen\n'), (err) => {
    custclassError(err, 'TableError', 'unknown_column');
    assert.equal(err.data.column, 'nmae');
    assert.equal(err.data.position, 2);
    return true;
  });
  assert.throws(() => readCsv('name\nJansen\n'), (err) => {
    custclassError(err, 'TableError', 'missing_column');
    assert.equal(err.data.column, 'id');
    return true;
  });
});

test('the async variants reject with the same errors', async () => {
  let syncError;
  try {
    new Engine(badSetup);
  } catch (err) {
    syncError = err;
  }
  await assert.rejects(Engine.createAsync(badSetup), (err) => {
    custclassError(err, 'SetupError', 'invalid_setup');
    assert.deepEqual(err.data, syncError.data);
    return true;
  });
  await assert.rejects(Engine.createAsync('{"home_country": '), (err) => {
    custclassError(err, 'SetupError', 'invalid_setup');
    assert.equal(err.data.problems[0].code, 'json_syntax');
    return true;
  });
  await assert.rejects(readCsvAsync('id;nmae\n1;Jansen\n'), (err) => {
    custclassError(err, 'TableError', 'unknown_column');
    assert.equal(err.data.position, 2);
    return true;
  });
  await assert.rejects(Engine.createAsync({ home_country: 'NL', hook: () => 1 }), (err) => {
    assert.ok(err instanceof TypeError);
    assert.match(err.message, /\$\.hook is a function/);
    return true;
  });
});

test('the async variants resolve to what the sync ones return', async () => {
  const created = await Engine.createAsync(Setup.standard('NL').toObject());
  assert.equal(created.setup.toJson(), Setup.standard('NL').toJson());
  const lines = '{"id": "1", "name": "Ada"}\n\n{"id": "2", "nmae": "typo"}\n';
  const rows = await readJsonLinesAsync(lines);
  assert.equal(rows.length, 2);
  assert.deepEqual(rows[0], { customer: { id: '1', name: 'Ada' }, line: 1 });
  assert.equal(rows[1].line, 3);
  assert.equal(rows[1].errors[0].code, 'json_unknown_field');
});

test('a value JSON cannot hold is a TypeError naming where it is', () => {
  const cases = [
    [{ id: '1', attributes: { callback: () => 1 } }, /customer: \$\.attributes\.callback is a function/],
    [{ id: 10n }, /customer: \$\.id is a BigInt/],
    [{ id: '1', tags: ['a', Symbol('b')] }, /customer: \$\.tags\[1\] is a Symbol/],
    [{ id: '1', credit_limit: Number.NaN }, /customer: \$\.credit_limit is NaN/],
    [{ id: '1', created_at: new Date(0) }, /customer: \$\.created_at is not a plain object/],
  ];
  for (const [customer, message] of cases) {
    assert.throws(() => engine.classify(customer), (err) => {
      assert.ok(err instanceof TypeError, `${err}`);
      assert.match(err.message, message);
      return true;
    });
  }
  assert.throws(() => engine.classify(undefined), TypeError);
  assert.throws(() => new Engine({ home_country: 'NL', f: Symbol('x') }), /setup: \$\.f is a Symbol/);
  const cycle = { id: '1' };
  cycle.self = cycle;
  assert.throws(() => engine.classify(cycle), /nested more than/);
});

test('arguments of the right type with a bad value are RangeErrors', () => {
  assert.throws(() => Setup.standard('XX'), RangeError);
  assert.throws(() => engine.classify({ id: '1' }, '2024-13-01'), RangeError);
});

/** The addon itself, beside the package's entry, for its test-only exports. */
function addon() {
  const here = dirname(fileURLToPath(import.meta.url));
  const file = readdirSync(join(here, '..')).find((name) => name.endsWith('.node'));
  return createRequire(import.meta.url)(join(here, '..', file));
}

test('a panic becomes an InternalError and the process goes on', async () => {
  // Without the guard every export has, the panic would unwind into
  // Node-API's C frames and abort the process: this test would never end.
  const { __panic, __panicAsync } = addon();
  assert.throws(() => __panic('the engine lost its rules'), (err) => {
    custclassError(err, 'InternalError', 'internal');
    assert.equal(err.data.detail, 'the engine lost its rules');
    assert.match(err.message, /please report it/);
    return true;
  });
  await assert.rejects(__panicAsync('off the event loop'), (err) => {
    custclassError(err, 'InternalError', 'internal');
    assert.equal(err.data.detail, 'off the event loop');
    return true;
  });
  assert.equal(engine.classify({ id: '1' }).get('type').value, 'PRIVATE');
});

test('limits end in typed errors', () => {
  const deep = `${'('.repeat(100_000)}country = 'NL'${')'.repeat(100_000)}`;
  assert.throws(() => engine.segment(deep), (err) => {
    custclassError(err, 'ExpressionError', 'too_deep');
    assert.equal(err.data.limit, 64);
    return true;
  });
  const ids = Array.from({ length: 120_000 }, (_, n) => `'${String(n).padStart(6, '0')}'`);
  const long = `id in (${ids.join(', ')})`;
  assert.throws(() => engine.segment(long), (err) => {
    custclassError(err, 'ExpressionError', 'too_long');
    assert.deepEqual([err.data.limit, err.data.length], [1 << 20, long.length]);
    return true;
  });
  const file = Buffer.concat([
    Buffer.from('id;name\n1;Ada\n2;'),
    Buffer.alloc(100 << 20, 'x'),
    Buffer.from('\n3;Grace\n'),
  ]);
  const rows = readCsv(file);
  assert.deepEqual(rows.map((row) => row.line), [2, 3, 4]);
  assert.equal(rows[1].errors[0].code, 'row_too_long');
  assert.equal(rows[2].customer.name, 'Grace');
});
