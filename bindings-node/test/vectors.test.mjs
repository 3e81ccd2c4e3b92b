// Every test vector under vectors/ through the shared JS runner, one test per
// case, then surface parity with vectors/surface.json.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

import * as binding from 'custclass';
import { checkParity, runVectors } from '../../vectors/runner.mjs';

const vectorsDir = new URL('../../vectors/', import.meta.url);
const surface = JSON.parse(readFileSync(new URL('surface.json', vectorsDir), 'utf8'));

/** Every `vectors/<area>/*.json`, in sorted order, as `{path, doc}`. */
function vectorFiles() {
  const files = [];
  const areas = readdirSync(vectorsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const area of areas) {
    const names = readdirSync(new URL(`${area}/`, vectorsDir)).filter((name) => name.endsWith('.json')).sort();
    for (const name of names) {
      const doc = JSON.parse(readFileSync(new URL(`${area}/${name}`, vectorsDir), 'utf8'));
      files.push({ path: `${area}/${name}`, doc });
    }
  }
  return files;
}

const files = vectorFiles();
const raised = new Map();
let ran = 0;

for (const { path, doc } of files) {
  for (const testCase of doc.cases) {
    test(`${path}: ${testCase.name}`, () => {
      const report = runVectors(binding, [{ path, doc: { ...doc, cases: [testCase] } }]);
      ran += report.count;
      for (const [key, count] of report.raised) raised.set(key, (raised.get(key) ?? 0) + count);
      if (report.failures.length > 0) assert.fail(report.failures.join('\n'));
    });
  }
}

test('every vector case ran', () => {
  const cases = files.reduce((sum, { doc }) => sum + doc.cases.length, 0);
  assert.ok(cases >= 134, `only ${cases} vector cases found`);
  assert.equal(ran, cases);
});

test('surface parity with vectors/surface.json', () => {
  const { missing, unseen } = checkParity(binding, surface, raised, { nodeOnly: true });
  assert.deepEqual(missing, [], `names the binding lacks: ${missing.join(', ')}`);
  assert.deepEqual(unseen, [], `error codes never raised with their concern: ${unseen.join(', ')}`);
});
