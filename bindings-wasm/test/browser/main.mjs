// The Chromium page of the WASM suite (served by ../browser.mjs from the
// repository root): loads pkg/web, runs every test vector case, the surface
// parity check and the shared error and batch checks, and publishes
// `window.custclassResult = {done, passed, failed, failures, groups}`, where
// each group (`vectors`, `parity`, `errors`, `bulk`, `connect`) has its own
// `{passed, failed, failures}` and every failure is `{check, message}`.

import init, * as binding from '../../pkg/web/custclass_wasm.js';
import { checkParity, runVectors } from '../../../vectors/runner.mjs';
import { bulkChecks, connectChecks, errorChecks, quoteChecks, webhookSamples } from '../checks.mjs';

async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

function group() {
  return { passed: 0, failed: 0, failures: [] };
}

/** Runs one check of `into`: a failure is whatever `run` throws. */
function record(into, check, run) {
  try {
    run();
    into.passed += 1;
  } catch (err) {
    into.failed += 1;
    into.failures.push({ check, message: String(err?.stack ?? err) });
  }
}

async function main() {
  await init();
  const groups = { vectors: group(), parity: group(), errors: group(), bulk: group(), connect: group() };

  // The harness lists the vector files: ["vectors/classify/classify.json", …].
  const list = await getJson('/__custclass__/vector-files.json');
  const raised = new Map();
  let cases = 0;
  for (const file of list) {
    const doc = await getJson(`/${file}`);
    const path = file.replace(/^vectors\//, '');
    for (const testCase of doc.cases) {
      record(groups.vectors, `${path}: ${testCase.name}`, () => {
        const report = runVectors(binding, [{ path, doc: { ...doc, cases: [testCase] } }]);
        cases += report.count;
        for (const [key, count] of report.raised) raised.set(key, (raised.get(key) ?? 0) + count);
        if (report.failures.length > 0) throw new Error(report.failures.join('\n'));
      });
    }
  }

  const surface = await getJson('/vectors/surface.json');
  record(groups.parity, 'parity with vectors/surface.json', () => {
    if (cases < 134) throw new Error(`only ${cases} vector cases ran`);
    const { missing, unseen } = checkParity(binding, surface, raised, { nodeOnly: false });
    if (missing.length > 0 || unseen.length > 0) {
      throw new Error(`missing names: ${missing.join(', ') || '-'}; codes never raised: ${unseen.join(', ') || '-'}`);
    }
  });

  for (const [name, run] of errorChecks(binding)) record(groups.errors, name, run);

  const { setup } = await getJson('/vectors/bulk/classify_table.json');
  for (const [name, run] of bulkChecks(binding, setup)) record(groups.bulk, name, run);
  const reasons = await getJson('/vectors/bulk/price_reasons.json');
  for (const [name, run] of quoteChecks(binding, reasons.setup)) record(groups.bulk, name, run);

  // The webhook samples signed with the browser's own HMAC (SubtleCrypto).
  const signatures = {};
  for (const { platform, body, secret } of webhookSamples) {
    const encoder = new TextEncoder();
    const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(body)));
    signatures[platform] = btoa(String.fromCharCode(...mac));
  }
  const docs = {};
  for (const file of ['shopify.json', 'woocommerce.json', 'magento.json', 'exact.json', 'economic.json', 'reviso.json']) {
    docs[file] = await getJson(`/vectors/connect/${file}`);
  }
  for (const [name, run] of connectChecks(binding, docs, signatures)) record(groups.connect, name, run);

  return groups;
}

function publish(groups, crash) {
  const all = Object.values(groups);
  const result = {
    done: true,
    passed: all.reduce((sum, g) => sum + g.passed, 0),
    failed: all.reduce((sum, g) => sum + g.failed, 0) + (crash ? 1 : 0),
    failures: [
      ...Object.entries(groups).flatMap(([name, g]) => g.failures.map((f) => ({ ...f, check: `${name}: ${f.check}` }))),
      ...(crash ? [{ check: 'page', message: String(crash?.stack ?? crash) }] : []),
    ],
    groups,
  };
  window.custclassResult = result;
  document.getElementById('summary').textContent = `${result.passed} passed, ${result.failed} failed`;
  document.getElementById('result').textContent = JSON.stringify(result, null, 2);
}

main().then((groups) => publish(groups, null), (err) => publish({}, err));
