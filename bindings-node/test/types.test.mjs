// index.d.ts in use: a strict TypeScript program (an ES module importing
// `custclass` as an installed package would) type-checks against it,
// including the hand-written error and data shapes; a wrong use doesn't.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const program = `
import { CustclassError, Engine, Quote, Setup, SetupError, TableError, readCsv, readCsvAsync } from 'custclass';
import type {
  Assigned, BatchResult, ColumnBatch, CsvOptions, CustomerObject, PriceRequest, PricingError, QuoteObject, Row, RowProblem, SegmentRows,
  SetupProblem,
} from 'custclass';

const engine: Engine = await Engine.createAsync(Setup.standard('NL'));
const result = engine.classify({ id: '1', billing_address: { country: 'DE' } }, '2024-06-01');
const group: Assigned | null = result.get('group');
const value: string | boolean | undefined = group?.value;
const kind: string | undefined = group?.source.kind;
const zone: string | undefined = result.toObject().vat_zone?.value;
const changes: { target: string; to: Assigned<string> | null }[] = engine.reclassify('{"id": "2"}').changes;
const earlier = engine.classify({ id: '2' });
const audit: { from_setup?: string; setup: string }[] = engine.reclassify({ id: '2' }, earlier.toObject()).changes;
const fingerprint: string = engine.fingerprint + earlier.fingerprint;
try {
  new Engine({ home_country: 'NL' });
} catch (err) {
  const error = err as SetupError;
  const codes: string[] = error.data.problems.map((problem) => problem.code);
  const base: CustclassError = error;
  const asError: Error = base;
  console.log(codes, base.name, base.code, asError.message);
}
const line: PriceRequest = { item: 'DRILL-1', item_group: 'DRILLS', list_price: '100.00', quantity: 2, date: '2026-03-01', currency: 'EUR' };
const quote: Quote = engine.price({ id: '1' }, line);
const priced: QuoteObject = quote.toObject();
const net: string = priced.net_price;
const winners: (string | undefined)[] = priced.explanation?.map((verdict) => verdict.winner) ?? [];
const totals: string[] = engine.priceLines('{"id": "1"}', [line, line]).map((q) => q.toObject().line_total);
try {
  engine.priceLines({ id: '1' }, '[]');
} catch (err) {
  const error = err as PricingError;
  const at: number | undefined = error.data.line;
  console.log(error.name, error.code, at);
}
console.log(net, winners, totals, quote.toJson(), JSON.stringify(quote));
const rows: Row[] = readCsv(new Uint8Array());
for (const row of rows) if ('errors' in row) console.log(row.errors[0].column);
const later: Row[] = await readCsvAsync('id\\n1\\n', { encoding: 'windows-1252' });
const options: CsvOptions = { encoding: 'latin1' };
const read: Row[] = [...readCsv('id\\n1\\n', options), ...readCsv('id\\n1\\n', { encoding: null })];
console.log(value, kind, zone, changes, audit, fingerprint, later, read, engine.segment("country = 'NL'").expression);
const columns: ColumnBatch = { id: ['1', '2'], country: ['NL', null], 'attr.turnover': [1200, 80000.5] };
const batch: BatchResult = engine.classifyMany(columns);
const groups: (string | boolean | null)[] | undefined = batch.columns.group;
const problems: RowProblem[] = batch.errors;
const firstRow: number | undefined = problems[0]?.row;
const fromObjects: BatchResult = await engine.classifyManyAsync([{ id: '1' }, { id: '2', billing_address: { country: 'DE' } }]);
const fromText: BatchResult = engine.classifyMany(JSON.stringify(columns));
const dutch: SegmentRows = engine.segment("country = 'NL'").filter(columns);
const dutchRows: number[] = dutch.rows;
console.log(groups, firstRow, fromObjects.errors, fromText.columns, dutchRows, dutch.errors.map((p) => p.code));
try {
  await engine.priceManyAsync({ item: ['A'] }, null);
} catch (err) {
  // the classes narrow: \`data\` is typed per concern
  if (err instanceof SetupError) {
    const listed: SetupProblem[] = err.data.problems;
    console.log(listed);
  } else if (err instanceof TableError) {
    const column: string | undefined = err.data.column;
    console.log(column);
  } else if (err instanceof CustclassError) {
    const code: string = err.code;
    console.log(code);
  }
}
const card: CustomerObject = { id: '1', billing_address: { country: 'DE' }, credit_limit: '5000.00', attributes: { turnover: 5 } };
const bytes: BatchResult = await engine.classifyManyAsync(new TextEncoder().encode(JSON.stringify([card])));
console.log(engine.classify(card).fingerprint, bytes.errors);
`;

/** The connectors in use: payloads in, ERP bodies out, webhooks verified. */
const connect = `
import { ConnectError, Engine, Exported, Imported, Setup, fromMagento, fromShopify, fromWooCommerce, verifyShopifyWebhook,
  verifyWooCommerceWebhook } from 'custclass';
import type { ErpSystem, ExportedObject, Finding, ImportOptions, ImportedObject, ShopPayload } from 'custclass';

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
function typeCheck(files) {
  const dir = mkdtempSync(join(tmpdir(), 'custclass-types-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(packageDir, join(dir, 'node_modules', 'custclass'), 'dir');
    for (const [name, source] of Object.entries(files)) writeFileSync(join(dir, name), source);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'node16', target: 'es2022', types: [] },
      files: Object.keys(files),
    }));
    return spawnSync(process.execPath, [tsc, '-p', '.'], { cwd: dir, encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('index.d.ts type-checks a strict TypeScript program, and refuses a wrong one', () => {
  // One tsc run for both: the only errors must be the wrong program's.
  const wrong = "import { Engine, Setup } from 'custclass';\n"
    + "const label: number = new Engine(Setup.standard('NL')).slotLabel(1);\n";
  // A misspelt field of a customer object literal: CustomerObject lists the fields.
  const typo = "import { Engine, Setup } from 'custclass';\n"
    + "new Engine(Setup.standard('NL')).classify({ id: '1', billing_adress: { country: 'DE' } });\n";
  const result = typeCheck({ 'use.mts': program, 'connect.mts': connect, 'wrong.mts': wrong, 'typo.mts': typo });
  const errors = result.stdout.split('\n').filter((line) => line.includes('error TS'));
  assert.equal(errors.length, 2, result.stdout + result.stderr);
  assert.match(errors.find((line) => line.startsWith('wrong')) ?? '', /^wrong\.mts\(2,7\): error TS2322/);
  assert.match(errors.find((line) => line.startsWith('typo')) ?? '', /^typo\.mts\(2,\d+\): error TS2353: .*'billing_adress'/);
});
