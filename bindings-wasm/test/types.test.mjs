// The package's type declarations in use: a strict TypeScript program that
// imports `custclass-wasm` as an installed package would (its `exports`
// pick pkg/node's or pkg/web's declarations) type-checks against them,
// including the data shapes both JavaScript packages share
// (types/data.d.ts); a wrong use doesn't.
//
//   node --test test/types.test.mjs        (after scripts/build-wasm)

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const program = `
import { Engine, Setup, readCsv } from 'custclass-wasm';
import type {
  Assigned, BatchResult, Candidate, ColumnBatch, CsvOptions, CustomerRow, Finding, PriceRequest, PriceVerdict, QuoteObject,
  Row, RowProblem, SegmentRows, VatZone,
} from 'custclass-wasm';

const engine = new Engine(Setup.standard('NL'));
const result = engine.classify({ id: '1', billing_address: { country: 'DE' } });
const group = result.get('group') as Assigned | null;
const zone: VatZone | undefined = result.toObject().vat_zone?.value;
const line: PriceRequest = { item: 'DRILL-1', list_price: '100.00', quantity: 2, date: '2026-03-01', currency: 'EUR' };
const quote: QuoteObject = engine.price({ id: '1' }, line).toObject();
const verdicts: PriceVerdict[] = quote.explanation ?? [];
const candidates: Candidate[] = verdicts;
const findings: Finding[] = engine.check({ id: '1', email: 'x' });
const rows: Row[] = readCsv('id\\n1\\n');
const sameRows: CustomerRow[] = [...rows, ...readCsv(new Uint8Array(), { encoding: 'windows-1252' })];
const options: CsvOptions = { encoding: null };
console.log(readCsv('id\\n1\\n', options));
const columns: ColumnBatch = { id: ['1', '2'], country: ['NL', null] };
const batch: BatchResult = engine.classifyMany(columns);
const problems: RowProblem[] = batch.errors;
const dutch: SegmentRows = engine.segment("country = 'NL'").filter(columns);
console.log(group?.source.kind, zone, candidates, findings, sameRows, problems, dutch.rows);
`;

/** The connectors in use: payloads in, ERP bodies out, webhooks verified. */
const connect = `
import { ConnectError, Engine, Exported, Imported, Setup, fromMagento, fromShopify, fromWooCommerce, verifyShopifyWebhook,
  verifyWooCommerceWebhook } from 'custclass-wasm';
import type { ErpSystem, ExportedObject, Finding, ImportOptions, ImportedObject, ShopPayload } from 'custclass-wasm';

const engine = new Engine(Setup.standard('NL'));
const options: ImportOptions = { id: 'C-1', vat_meta_keys: ['vat_number'] };
const payloads: ShopPayload[] = ['{"id": 1}', new TextEncoder().encode('{"id": 1}'), { id: 1, email: 'ada@example.nl' }];
const imported: Imported = fromShopify(payloads[0], options);
const woo: ImportedObject = fromWooCommerce(payloads[1]).toObject();
const magento: string = fromMagento(payloads[2], null).profile;
const findings: Finding[] = imported.findings;
const exported: Exported = engine.toEconomic(imported.customer);
const system: ErpSystem = exported.system;
const body: Record<string, unknown> = engine.toExact(woo.customer).body;
const plain: ExportedObject = engine.toReviso({ id: '1' }).toObject();
try {
  verifyShopifyWebhook(new TextEncoder().encode('{}'), 'secret', null);
  verifyWooCommerceWebhook('{}', new TextEncoder().encode('secret'));
} catch (err) {
  if (err instanceof ConnectError) console.log(err.code, err.data.path);
}
console.log(magento, findings, system, body, plain.findings);
`;

/** Runs tsc over `files` ({name: source}) importing the package; returns its result. */
function typeCheck(files, lib = ['esnext', 'dom'], options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'custclass-wasm-types-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(packageDir, join(dir, 'node_modules', 'custclass-wasm'), 'dir');
    for (const [name, source] of Object.entries(files)) writeFileSync(join(dir, name), source);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, module: 'node16', target: 'es2022', ...(lib ? { lib } : {}), types: [],
        ...options,
      },
      files: Object.keys(files),
    }));
    return spawnSync(process.execPath, [tsc, '-p', '.'], { cwd: dir, encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a strict TypeScript program type-checks against the declarations and the shared data shapes', () => {
  const { status, stdout, stderr } = typeCheck({ 'main.mts': program, 'connect.mts': connect });
  assert.equal(status, 0, stdout + stderr);
});

test('a wrong use of a shared data shape does not type-check', () => {
  const wrong = `
import type { QuoteObject } from 'custclass-wasm';
const net: number = ({} as QuoteObject).net_price;
console.log(net);
`;
  const { status, stdout } = typeCheck({ 'wrong.mts': wrong });
  assert.notEqual(status, 0);
  assert.match(stdout, /net_price|not assignable/);
});

test('the declarations type-check with the default lib, error classes included', () => {
  const program = `
import { CustclassError, Engine, Setup, SetupError } from 'custclass-wasm';
import type { CustomerObject, SetupProblem } from 'custclass-wasm';
const card: CustomerObject = { id: '1', billing_address: { country: 'DE' } };
const engine = new Engine(Setup.standard('NL'));
try {
  engine.classify(card);
} catch (err) {
  if (err instanceof SetupError) {
    const problems: SetupProblem[] = err.data.problems;
    console.log(problems);
  } else if (err instanceof CustclassError) {
    console.log(err.code, err.data.message);
  }
}
engine.free();
`;
  const { status, stdout, stderr } = typeCheck({ 'main.mts': program }, null);
  assert.equal(status, 0, stdout + stderr);
});

test('the README Quick start type-checks against custclass-wasm with the default lib', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const quickStart = readme.split('## Quick start')[1].split('### JavaScript')[1];
  const code = quickStart.match(/^```js\n([\s\S]*?)^```$/m)[1].replaceAll("from 'custclass'", "from 'custclass-wasm'");
  const { status, stdout, stderr } = typeCheck({ 'quick-start.mts': code }, null);
  assert.equal(status, 0, stdout + stderr);
});

test("the README webshop guide's checkout page type-checks as JavaScript (checkJs) with the default lib", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const code = readme.match(/^```js\n(\/\/ checkout\.mjs\n[\s\S]*?)^```$/m)?.[1];
  assert.ok(code, 'the README has a // checkout.mjs block');
  const setup = readFileSync(new URL('../../examples/setup.json', import.meta.url), 'utf8');
  const { status, stdout, stderr } = typeCheck({ 'checkout.mjs': code, 'setup.json': setup }, null, {
    allowJs: true, checkJs: true, resolveJsonModule: true, module: 'esnext', moduleResolution: 'bundler',
  });
  assert.equal(status, 0, stdout + stderr);
});

test('both targets declare the error classes of types/errors.d.ts as they are', () => {
  const shared = readFileSync(new URL('../../types/errors.d.ts', import.meta.url), 'utf8');
  for (const target of ['web', 'node']) {
    const dts = readFileSync(new URL(`../pkg/${target}/custclass_wasm.d.ts`, import.meta.url), 'utf8');
    assert.ok(dts.includes(shared), `pkg/${target}: run scripts/build-wasm`);
  }
});

/**
 * The declared surface of a package's declarations: per class member and
 * function, its parameters and type, comments dropped, getters and
 * read-only properties alike, `Array<T>` as `T[]`.
 */
function surface(text) {
  const out = new Map();
  let cls = null;
  for (let line of text.replace(/\/\*\*[\s\S]*?\*\//g, '').split('\n')) {
    line = line.trim().replace(/;$/, '').replace(/Array<(\w+)>/g, '$1[]').replace(/ \| undefined/g, '');
    let m;
    if ((m = line.match(/^export (?:declare )?class (\w+)/))) { cls = m[1]; continue; }
    if (line === '}') { cls = null; continue; }
    if ((m = line.match(/^export (?:declare )?function (\w+)\((.*)\): (.*)$/))) { out.set(m[1], `(${m[2]}): ${m[3]}`); continue; }
    if (!cls) continue;
    if ((m = line.match(/^(?:get |readonly )(\w+)(?:\(\))?: (.*)$/))) out.set(`${cls}#${m[1]}`, `: ${m[2]}`);
    else if ((m = line.match(/^(static )?(\w+)\((.*)\)(?:: (.*))?$/))) out.set(`${cls}${m[1] ? '.' : '#'}${m[2]}`, `(${m[3]}): ${m[4] ?? ''}`);
  }
  return out;
}

test('Node and WASM declare the same names, nullability and arities', () => {
  const node = surface(readFileSync(new URL('../../bindings-node/index.d.ts', import.meta.url), 'utf8'));
  const wasm = surface(readFileSync(new URL('../pkg/web/custclass_wasm.d.ts', import.meta.url), 'utf8'));
  const surfaceJson = JSON.parse(readFileSync(new URL('../../vectors/surface.json', import.meta.url), 'utf8'));
  const nodeOnly = new Set(surfaceJson.node_only.map((op) => op.js));
  // Differences known and left for now (each a finding of issue #19 still open):
  const known = new Set([
    'Engine#reclassify', // `previous` optional in Node, required in WASM
    'Engine#priceMany', // `customers?` in Node, `customers: … | null` in WASM (wasm-bindgen)
  ]);
  const wasmOnly = (name) => name.startsWith('__') || name === 'initSync' || name === 'default' || name.endsWith('#free')
    || name.endsWith('#[Symbol.dispose]');
  const differences = [];
  for (const name of new Set([...node.keys(), ...wasm.keys()])) {
    if (known.has(name) || nodeOnly.has(name) || wasmOnly(name)) continue;
    if (node.get(name) !== wasm.get(name)) differences.push(`${name}: node ${node.get(name)} | wasm ${wasm.get(name)}`);
  }
  assert.deepEqual(differences, []);
});
