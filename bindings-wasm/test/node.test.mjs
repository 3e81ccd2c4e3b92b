// The WASM binding in Node (pkg/node, reached through the package's own
// `exports`): every test vector, the surface parity check, the errors, the
// batch paths, the argument conversions and the README's JavaScript example.
//
//   node --test test/node.test.mjs        (after scripts/build-wasm)

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import * as binding from 'custclass-wasm';
import { checkParity, runVectors } from '../../vectors/runner.mjs';
import { bulkChecks, connectChecks, errorChecks, quoteChecks, webhookSamples } from './checks.mjs';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(packageDir, '..');
const vectorsDir = path.join(root, 'vectors');

/** Every vector file as `{path: 'area/file.json', doc}`, in a fixed order. */
function vectorFiles() {
  const files = [];
  for (const area of fs.readdirSync(vectorsDir).sort()) {
    const dir = path.join(vectorsDir, area);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
      files.push({ path: `${area}/${name}`, doc: JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) });
    }
  }
  return files;
}

const raised = new Map();
let cases = 0;

test('the Node build is what the package exports under the `node` condition', () => {
  assert.equal(fileURLToPath(import.meta.resolve('custclass-wasm')), path.join(packageDir, 'pkg/node/custclass_wasm.js'));
});

for (const file of vectorFiles()) {
  describe(`vectors/${file.path}`, () => {
    for (const testCase of file.doc.cases) {
      test(testCase.name, () => {
        const report = runVectors(binding, [{ path: file.path, doc: { ...file.doc, cases: [testCase] } }]);
        cases += report.count;
        for (const [key, count] of report.raised) raised.set(key, (raised.get(key) ?? 0) + count);
        assert.deepEqual(report.failures, []);
      });
    }
  });
}

test('parity with vectors/surface.json: every name exists, every error code was raised', () => {
  assert.ok(cases >= 134, `only ${cases} vector cases ran`);
  const surface = JSON.parse(fs.readFileSync(path.join(vectorsDir, 'surface.json'), 'utf8'));
  const { missing, unseen } = checkParity(binding, surface, raised, { nodeOnly: false });
  assert.deepEqual(missing, []);
  assert.deepEqual(unseen, []);
});

describe('errors (shared with the Chromium page: test/checks.mjs)', () => {
  for (const [name, run] of errorChecks(binding)) test(name, run);
});

describe('batches: classifyMany, Segment#filter (shared with the Chromium page: test/checks.mjs)', () => {
  const { setup } = JSON.parse(fs.readFileSync(path.join(vectorsDir, 'bulk/classify_table.json'), 'utf8'));
  for (const [name, run] of bulkChecks(binding, setup)) test(name, run);
});

describe('quotes and classifications as properties, prices in words (shared with Node and the Chromium page: test/checks.mjs)', () => {
  const { setup } = JSON.parse(fs.readFileSync(path.join(vectorsDir, 'bulk/price_reasons.json'), 'utf8'));
  for (const [name, run] of quoteChecks(binding, setup)) test(name, run);
});

describe('connectors: payloads in, ERP bodies out, webhooks signed with node:crypto (shared with the Chromium page: test/checks.mjs)', () => {
  const docs = {};
  for (const file of ['shopify.json', 'woocommerce.json', 'magento.json', 'exact.json', 'economic.json', 'reviso.json']) {
    docs[file] = JSON.parse(fs.readFileSync(path.join(vectorsDir, 'connect', file), 'utf8'));
  }
  const signatures = Object.fromEntries(webhookSamples.map(({ platform, body, secret }) =>
    [platform, createHmac('sha256', secret).update(body).digest('base64')]));
  for (const [name, run] of connectChecks(binding, docs, signatures)) test(name, run);
});

describe('surface', () => {
  const engine = new binding.Engine(binding.Setup.standard('NL'));
  const german = {
    id: '10001', billing_address: { country: 'DE' }, vat_number: 'DE123456788', channel: 'webshop',
  };

  test('numbers: safe integers stay integers, other numbers go as floats', () => {
    const customer = new binding.Customer({ id: '7', credit_limit: 5000, attributes: { a: 12.5, b: 2 ** 53 } });
    assert.equal(customer.toJson(), '{"attributes":{"a":"12.5","b":"9007199254740992.0"},"credit_limit":"5000","id":"7"}');
    assert.equal(customer.id, '7');
  });

  test('a Customer or Setup instance is read, not moved', () => {
    const customer = new binding.Customer(german);
    const first = engine.classify(customer);
    assert.equal(engine.classify(customer).toJson(), first.toJson());
    assert.equal(engine.segment("country = 'DE'").matches(customer), true);
    assert.equal(customer.id, '10001');
    const setup = binding.Setup.standard('NL');
    const again = new binding.Engine(setup);
    assert.equal(again.setup.toJson(), setup.toJson());
    assert.equal(new binding.Engine(setup.toObject()).setup.toJson(), setup.toJson());
    assert.equal(new binding.Customer(customer).toJson(), customer.toJson());
  });

  test('classify, classify on a day, get, apply', () => {
    const result = engine.classify(german);
    assert.equal(result.customer, '10001');
    assert.deepEqual(result.get('group'), { value: 'EU', source: { kind: 'zone_default', zone: 'eu' } });
    assert.deepEqual(result.get('b2b'), { value: true, source: { kind: 'vat_number' } });
    assert.equal(result.get('class1'), null);
    assert.equal(result.get('price_group'), null);
    assert.equal(JSON.stringify(result), result.toJson());
    const applied = result.apply(german);
    assert.ok(applied instanceof binding.Customer);
    assert.equal(applied.toObject().group, 'EU');
    // the United Kingdom was in the EU in 2019, and is not now
    const british = { id: '2', billing_address: { country: 'GB' } };
    assert.equal(engine.classify(british, '2019-06-01').get('vat_zone').value, 'eu');
    assert.equal(engine.classify(british, '2021-06-01').get('vat_zone').value, 'abroad');
  });

  test('reclassify', () => {
    const change = engine.reclassify({ id: '5', type: 'BUSINESS', group: 'EU', billing_address: { country: 'US' } });
    assert.equal(change.customer, '5');
    assert.deepEqual(change.changes, [
      {
        target: 'group',
        from: { value: 'EU', source: { kind: 'stored' } },
        to: { value: 'OVERSEAS', source: { kind: 'zone_default', zone: 'abroad' } },
        setup: engine.fingerprint,
      },
    ]);
    assert.ok(change.classification instanceof binding.Classification);
    assert.equal(change.toObject().classification.group.value, 'OVERSEAS');
  });

  test('reclassify against a stored classification', () => {
    const customer = { id: '6', vat_number: 'DE136695976', billing_address: { country: 'DE' } };
    const earlier = engine.classify(customer);
    assert.equal(earlier.fingerprint, engine.fingerprint);
    assert.equal(engine.fingerprint.length, 64);
    const record = {
      ...earlier.apply(customer).toObject(),
      receivables_account: earlier.get('receivables_account').value,
      billing_address: { country: 'US' },
    };
    // The earlier classification as a host has it: the object, a plain object, JSON text.
    for (const previous of [earlier, earlier.toObject(), earlier.toJson()]) {
      const audit = engine.reclassify(record, previous);
      const account = audit.changes.find((change) => change.target === 'receivables_account');
      assert.deepEqual(account.from.source, { kind: 'group', group: 'EU' });
      assert.deepEqual(account.to.source, { kind: 'group', group: 'OVERSEAS' });
      assert.equal(account.from_setup, engine.fingerprint);
    }
    assert.throws(
      () => engine.reclassify(record, { ...earlier.toObject(), fingerprint: 'abc' }),
      (err) => err.name === 'CustomerError' && err.data.field === '$.fingerprint',
    );
  });

  test('engine setup and slot labels', () => {
    const withSlot = new binding.Engine({ home_country: 'NL', slots: [{ slot: 2, label: 'Region', values: [] }] });
    assert.equal(withSlot.slotLabel(2), 'Region');
    assert.equal(withSlot.slotLabel(1), null);
    assert.equal(withSlot.setup.toObject().home_country, 'NL');
    assert.ok(withSlot.setup instanceof binding.Setup);
  });

  test('readCsv and readJsonLines take text or bytes', () => {
    const csv = 'id;name;country\n1;Ada;NL\n2;Bob;XX\n';
    const rows = binding.readCsv(new TextEncoder().encode(csv));
    assert.deepEqual(binding.readCsv(csv), rows);
    assert.deepEqual(rows[0], { line: 2, customer: { id: '1', name: 'Ada', billing_address: { country: 'NL' } } });
    assert.equal(rows[1].errors[0].column, 'country');
    // A whole-number id is read as its text; a fraction is not an id.
    const lines = binding.readJsonLines('{"id": "1"}\n\n{"id": 2.5}\n{"id": 4}\n');
    assert.deepEqual(lines.map((row) => [row.line, 'customer' in row]), [[1, true], [3, false], [4, true]]);
    assert.equal(lines[2].customer.id, '4');
    assert.deepEqual(binding.readJsonLines(new TextEncoder().encode('{"id": "1"}\n')), [lines[0]]);
  });
});

/** The text of the first ```lang fence after `heading` inside the `## Quick start` section. */
function readmeBlock(readme, heading, lang) {
  const section = readme.slice(readme.indexOf('## Quick start'));
  const from = section.indexOf(`${heading}\n`);
  assert.ok(from >= 0, `README.md has no ${heading} in its Quick start`);
  const match = section.slice(from).match(new RegExp('```' + lang + '\\n([\\s\\S]*?)```'));
  assert.ok(match, `README.md has no \`\`\`${lang} block under ${heading}`);
  return match[1];
}

test('the README Quick start prints the README output with the WASM build', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const code = readmeBlock(readme, '### JavaScript', 'js');
  const expected = readmeBlock(readme, '### Output (the same in every language)', 'text');
  assert.ok(code.includes("from 'custclass'"));
  // run in the package's folder, where `custclass-wasm` resolves to pkg/node
  const stdout = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', code.replaceAll("from 'custclass'", "from 'custclass-wasm'")],
    { cwd: packageDir, encoding: 'utf8' },
  );
  assert.equal(stdout, expected);
});
