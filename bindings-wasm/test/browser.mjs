// Runs the WASM suite in headless Chromium: serves the repository read-only
// on 127.0.0.1 (a free port), opens test/browser/index.html with
// playwright-core driving Debian's chromium (server and browser come from
// ./harness.mjs), waits for the page's `window.custclassResult`, prints
// console errors and failures, and ends with "chromium: N passed, N failed";
// exit status 1 on any failure.
//
//   node test/browser.mjs        (after scripts/build-wasm)
//
// Environment: CHROMIUM (default /usr/bin/chromium), CUSTCLASS_BROWSER_TIMEOUT_MS
// (default 120000).

import fs from 'node:fs';
import path from 'node:path';

import { openChromium, requireWebBuild, root, serveRepository, types } from './harness.mjs';

const timeout = Number(process.env.CUSTCLASS_BROWSER_TIMEOUT_MS ?? 120_000);
const page = '/bindings-wasm/test/browser/index.html';
const vectorList = '/__custclass__/vector-files.json';

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

async function main() {
  requireWebBuild();
  const server = await serveRepository({ [vectorList]: () => [types['.json'], JSON.stringify(vectorFiles())] });
  const url = `${server.origin}${page}`;
  console.log(`serving ${root} read-only at ${url}`);
  let browser;
  try {
    browser = await openChromium();
    const { context, tab, problems } = browser;
    console.log(`chromium ${context.browser()?.version() ?? ''}`);
    await tab.goto(url);
    await tab.waitForFunction(() => window.custclassResult?.done === true, null, { timeout });
    const result = await tab.evaluate(() => window.custclassResult);
    return { result, consoleErrors: problems };
  } finally {
    await browser?.close();
    await server.close();
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
