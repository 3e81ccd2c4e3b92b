// Runs the WASM suite in headless Chromium: serves the repository read-only
// on 127.0.0.1 (a free port), opens test/browser/index.html with
// playwright-core driving Debian's chromium, waits for the page's
// `window.custclassResult`, prints console errors and failures, and ends
// with "chromium: N passed, N failed"; exit status 1 on any failure.
//
//   node test/browser.mjs        (after scripts/build-wasm)
//
// Environment: CHROMIUM (default /usr/bin/chromium), CUSTCLASS_BROWSER_TIMEOUT_MS
// (default 120000).

import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const root = fs.realpathSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'));
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const timeout = Number(process.env.CUSTCLASS_BROWSER_TIMEOUT_MS ?? 120_000);
const page = '/bindings-wasm/test/browser/index.html';
const vectorList = '/__custclass__/vector-files.json';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
};

/** Every vector file, as paths from the repository root. */
function vectorFiles() {
  const dir = path.join(root, 'vectors');
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .flatMap((area) => fs.readdirSync(path.join(dir, area))
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => `vectors/${area}/${name}`));
}

/** The file under the repository root that `pathname` names, or null. */
function fileFor(pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  // no NUL, and nothing hidden (.git, .env …)
  if (decoded.includes('\0') || decoded.split('/').some((part) => part.startsWith('.'))) return null;
  const candidate = path.resolve(root, `.${decoded}`);
  if (!candidate.startsWith(root + path.sep)) return null;
  let real;
  try {
    real = fs.realpathSync(candidate); // symlinks must stay inside too
  } catch {
    return null;
  }
  if (!real.startsWith(root + path.sep) || !fs.statSync(real).isFile()) return null;
  return real;
}

function serve(request, response) {
  const send = (status, type, body) => {
    response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : body);
  };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    send(405, 'text/plain', 'read-only\n');
    return;
  }
  const { pathname } = new URL(request.url, 'http://127.0.0.1');
  if (pathname === vectorList) {
    send(200, types['.json'], JSON.stringify(vectorFiles()));
    return;
  }
  const file = fileFor(pathname);
  if (file === null) {
    send(404, 'text/plain', 'not found\n');
    return;
  }
  send(200, types[path.extname(file)] ?? 'application/octet-stream', fs.readFileSync(file));
}

async function main() {
  if (!fs.existsSync(path.join(root, 'bindings-wasm/pkg/web/custclass_wasm.js'))) {
    throw new Error('bindings-wasm/pkg/web is missing: run scripts/build-wasm first');
  }
  const server = http.createServer(serve);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${server.address().port}${page}`;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'custclass-chromium-'));
  const consoleErrors = [];
  console.log(`serving ${root} read-only at ${url}`);
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const tab = context.pages()[0] ?? await context.newPage();
    tab.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`console: ${message.text()}`);
    });
    tab.on('pageerror', (err) => consoleErrors.push(`page error: ${err.stack ?? err}`));
    tab.on('requestfailed', (req) => consoleErrors.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
    console.log(`chromium ${context.browser()?.version() ?? ''}`);
    await tab.goto(url);
    await tab.waitForFunction(() => window.custclassResult?.done === true, null, { timeout });
    const result = await tab.evaluate(() => window.custclassResult);
    return { result, consoleErrors };
  } finally {
    await context?.close();
    server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

let passed = 0;
let failed = 0;
try {
  const { result, consoleErrors } = await main();
  for (const [name, group] of Object.entries(result.groups)) {
    console.log(`  ${name}: ${group.passed} passed, ${group.failed} failed`);
  }
  for (const failure of result.failures) console.log(`FAIL ${failure.check}\n  ${failure.message.replaceAll('\n', '\n  ')}`);
  for (const line of consoleErrors) console.log(line);
  passed = result.passed;
  // A console error is a failure of its own: the page must run clean.
  failed = result.failed + (consoleErrors.length > 0 ? 1 : 0);
} catch (err) {
  console.log(`FAIL harness: ${err?.stack ?? err}`);
  failed += 1;
}
console.log(`chromium: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
