// README.md's webshop guide, the checkout page: checkout.mjs and
// checkout.html as the guide spells them out, bundled by the guide's own
// esbuild command against this package (installed as `custclass-wasm` in a
// temp dir), served on 127.0.0.1 and opened in headless Chromium. The page
// must load the WebAssembly module the bundler copied (no failed request)
// and say which prices apply as the VAT number is typed.
// Last line: "bundle: N passed, N failed"; exit status 1 on any failure.
//
//   node test/bundle.mjs        (after scripts/build-wasm)

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { blocks, files, readme, section } from '../../scripts/lib/readme.mjs';
import { openChromium, requireWebBuild, root, serveDirectory } from './harness.mjs';

const timeout = 30_000;
let passed = 0;
let failed = 0;

/** Runs one check; a failure is whatever it throws. */
async function check(name, run) {
  try {
    await run();
    passed += 1;
    console.log(`ok   ${name}`);
  } catch (err) {
    failed += 1;
    console.log(`FAIL ${name}\n${err.stack ?? err}`);
  }
}

function expect(actual, wanted, what) {
  if (actual !== wanted) throw new Error(`${what}: ${JSON.stringify(actual)}, wanted ${JSON.stringify(wanted)}`);
}

async function main() {
  requireWebBuild();
  const guide = section(section(readme, '## A webshop in 15 minutes (JavaScript)'), '### The checkout page');
  const page = files(guide);
  const command = blocks(guide).find((block) => block.language === 'sh')?.body
    .split('\n').find((line) => line.startsWith('npx esbuild '));
  if (!page['checkout.mjs'] || !page['checkout.html'] || !command) {
    throw new Error('the guide lacks checkout.mjs, checkout.html or its esbuild command');
  }

  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'custclass-bundle-')));
  let server;
  let browser;
  try {
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(path.join(root, 'bindings-wasm'), path.join(dir, 'node_modules', 'custclass-wasm'), 'dir');
    fs.copyFileSync(path.join(root, 'examples/setup.json'), path.join(dir, 'setup.json'));
    for (const [name, text] of Object.entries(page)) fs.writeFileSync(path.join(dir, name), text);
    // `npx esbuild …` as the guide says, with the esbuild this package's tests install.
    const esbuild = path.join(root, 'bindings-wasm/node_modules/.bin/esbuild');
    const args = command.split(/\s+/).slice(2);
    execFileSync(esbuild, args, { cwd: dir, stdio: 'inherit' });
    const copied = fs.readdirSync(path.join(dir, 'dist')).filter((name) => name.endsWith('.wasm'));
    await check('esbuild copies the WebAssembly module beside the bundle', () => expect(copied.length, 1, 'modules in dist/'));

    fs.rmSync(path.join(dir, 'node_modules'), { recursive: true }); // served: only what the shop deploys
    server = await serveDirectory(dir, { '/favicon.ico': () => ['image/x-icon', ''] });
    browser = await openChromium();
    const { tab, problems } = browser;
    await tab.goto(`${server.origin}/checkout.html`);
    const output = tab.locator('output');
    const shows = async (text) => {
      await tab.waitForFunction((wanted) => document.querySelector('output')?.value === wanted, text, { timeout })
        .catch(async () => { throw new Error(`the page shows ${JSON.stringify(await output.textContent())}, wanted ${JSON.stringify(text)}`); });
    };
    await check('a shopper without a VAT number sees consumer prices', () => shows('Consumer prices, VAT included'));
    await check('a valid VAT number gives trade prices', async () => {
      await tab.fill('input[name=vat_number]', 'DE123456788');
      await shows('Trade prices, VAT shown separately');
    });
    await check('a VAT number with a wrong check digit does not', async () => {
      await tab.fill('input[name=vat_number]', 'DE123456789');
      await shows('Consumer prices, VAT included');
    });
    await check('no failed request and no console error', () => expect(problems.join('\n'), '', 'problems'));
  } finally {
    await browser?.close();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (err) {
  failed += 1;
  console.log(`FAIL bundle\n${err.stack ?? err}`);
}
console.log(`bundle: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
