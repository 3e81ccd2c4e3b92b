// The webhook receiver as Shopify meets it: server.mjs runs on 127.0.0.1
// with this repository's Node package installed as `custclass` and the
// bundled setup; webhooks signed here with node:crypto (independently of
// custclass) are answered with the customer's e-conomic body, and badly
// signed ones with 401 before anything is classified.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = (/** @type {string} */ file) => fileURLToPath(new URL(file, import.meta.url));
const secret = 'whsec-test-3f9a71c2';

/** A customers/create payload in Shopify's 2025-01 shape (our own values). */
const payload = JSON.stringify({
  id: 7408130342973,
  email: 'marieke.bos@example.nl',
  created_at: '2026-11-30T14:02:11+01:00',
  updated_at: '2026-11-30T14:02:11+01:00',
  first_name: 'Marieke',
  last_name: 'Bos',
  state: 'enabled',
  note: null,
  verified_email: true,
  tax_exempt: false,
  tax_exemptions: [],
  phone: '+31612345678',
  currency: 'EUR',
  addresses: [],
  default_address: {
    id: 1, customer_id: 7408130342973, company: null,
    address1: 'Lange Nieuwstraat 12', address2: '', city: 'Utrecht', province: '', zip: '3512 PH',
    country: 'Netherlands', country_code: 'NL', country_name: 'Netherlands', phone: null, default: true,
  },
  admin_graphql_api_id: 'gid://shopify/Customer/7408130342973',
});

const sign = (/** @type {string | Buffer} */ body, key = secret) => createHmac('sha256', key).update(body).digest('base64');

/** @type {import('node:child_process').ChildProcess} */
let server;
/** @type {string} */
let dir;
/** @type {string} */
let url;
/** What the server printed on stdout, line by line. */
const printed = /** @type {string[]} */ ([]);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'custclass-webhook-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(here('../../bindings-node'), join(dir, 'node_modules', 'custclass'), 'dir');
  copyFileSync(here('server.mjs'), join(dir, 'server.mjs'));
  copyFileSync(here('../setup.json'), join(dir, 'setup.json'));
  server = spawn(process.execPath, ['server.mjs'], {
    cwd: dir,
    env: { ...process.env, PORT: '0', SHOPIFY_WEBHOOK_SECRET: secret },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let pending = '';
  server.stdout?.setEncoding('utf8').on('data', (/** @type {string} */ text) => {
    const lines = (pending + text).split('\n');
    pending = lines.pop() ?? '';
    printed.push(...lines);
  });
  // The server says where it listens once it does (port 0: any free port).
  url = await new Promise((resolve, reject) => {
    let said = '';
    server.stderr?.setEncoding('utf8').on('data', (/** @type {string} */ text) => {
      said += text;
      const match = said.match(/listening on (\S+)/);
      if (match) resolve(match[1]);
    });
    server.on('exit', (code) => reject(new Error(`server.mjs exited with ${code}: ${said}`)));
  });
});

after(() => {
  server?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * POSTs a webhook as Shopify would.
 * @param {string | Buffer} body
 * @param {Record<string, string>} headers
 */
async function post(body, headers) {
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-shopify-topic': 'customers/create', ...headers },
  });
  return { status: response.status, json: await response.json() };
}

/** Lets the server's stdout arrive before it is counted. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

test('a signed customers/create webhook is answered with the e-conomic body, and printed', async () => {
  const { status, json } = await post(payload, { 'x-shopify-hmac-sha256': sign(payload) });
  assert.equal(status, 200, JSON.stringify(json));
  assert.equal(json.customer, '7408130342973');
  const body = json.economic;
  assert.equal(body.name, 'Marieke Bos');
  assert.equal(body.email, 'marieke.bos@example.nl');
  assert.equal(body.currency, 'EUR');
  for (const field of ['customerGroup', 'vatZone', 'paymentTerms']) {
    assert.equal(typeof body[field], 'object', `${field} in ${JSON.stringify(body)}`);
  }
  assert.equal(typeof body.customerGroup.customerGroupNumber, 'number');
  await settle();
  assert.deepEqual(printed.map((line) => JSON.parse(line)), [body]);
});

test('a bad signature is 401 and nothing is classified', async () => {
  const before = printed.length;
  const tampered = payload.replace('Marieke', 'Mariek3');
  const answers = [
    await post(tampered, { 'x-shopify-hmac-sha256': sign(payload) }),
    await post(payload, { 'x-shopify-hmac-sha256': sign(payload, 'another secret') }),
    await post(payload, { 'x-shopify-hmac-sha256': 'not base64 at all' }),
    await post(payload, {}),
  ];
  assert.deepEqual(
    answers.map(({ status, json }) => [status, json.error?.code]),
    [[401, 'invalid_signature'], [401, 'invalid_signature'], [401, 'invalid_signature'], [401, 'missing_signature']],
  );
  await settle();
  assert.equal(printed.length, before);
});

test('a signed body that is no Shopify customer is 422 naming the path', async () => {
  const body = JSON.stringify({ id: 5, default_address: 'Utrecht' });
  const { status, json } = await post(body, { 'x-shopify-hmac-sha256': sign(body) });
  assert.equal(status, 422);
  assert.equal(json.error.code, 'wrong_shape');
  assert.equal(json.error.path, '$.default_address');
});

test('another topic is acknowledged and left alone', async () => {
  const { status, json } = await post(payload, { 'x-shopify-hmac-sha256': sign(payload), 'x-shopify-topic': 'orders/create' });
  assert.deepEqual([status, json], [202, { ignored: 'orders/create' }]);
});

test('a body over 1 MiB is refused unread', async () => {
  const body = Buffer.alloc((1 << 20) + 1, 0x20);
  const { status } = await post(body, { 'x-shopify-hmac-sha256': sign(body) });
  assert.equal(status, 413);
});

test('server.mjs type-checks against the package\'s declarations (tsc --strict, checkJs)', () => {
  const packageDir = here('../../bindings-node');
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, module: 'node16', target: 'es2022', allowJs: true, checkJs: true,
      types: ['node'], typeRoots: [join(packageDir, 'node_modules/@types')],
    },
    files: ['server.mjs'],
  }));
  const tsc = createRequire(join(packageDir, 'package.json')).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: dir, encoding: 'utf8' });
  assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
});
