// The webshop demo (bindings-wasm/demo/) in headless Chromium, checked
// against the Rust answers: serves the repository read-only on 127.0.0.1,
// opens demo/index.html, and for every case of vectors/classify/demo.json
// fills the sign-up form and compares the labels, type, group, price group,
// VAT zone and receivables account shown with the case's `expected` (or the
// error shown with `expected_error`); for the shopper's cart in
// vectors/pricing/demo.json signs up, adds the lines and compares net
// prices, discounts, line totals and rules with the `expected` quotes; opens
// the explained lines and checks that they list every price rule with the
// Rust verdict; reads the Shopify webhook of demo/shopify-customer.json and
// compares the customer and e-conomic body shown with vectors/connect/demo.json.
// Saves demo/screenshot.png (paletted by ./png.mjs; at most
// 200 KB).
// Last line: "demo: N passed, N failed"; exit status 1 on any failure.
//
//   node test/demo.mjs        (after scripts/build-wasm)
//
// Environment: CHROMIUM (default /usr/bin/chromium).

import fs from 'node:fs';
import path from 'node:path';

import { canonical } from '../../vectors/runner.mjs';
import { openChromium, requireWebBuild, root, serveRepository } from './harness.mjs';
import { paletted } from './png.mjs';

const page = '/bindings-wasm/demo/index.html';
const screenshot = path.join(root, 'bindings-wasm/demo/screenshot.png');
const maxScreenshotBytes = 200 * 1024;

const readJson = (file) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));

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
    console.log(`FAIL ${name}\n  ${String(err?.message ?? err).replaceAll('\n', '\n  ')}`);
  }
}

function same(actual, expected, what) {
  if (canonical(actual) !== canonical(expected)) {
    throw new Error(`${what}:\n  shown ${canonical(actual)}\n  want  ${canonical(expected)}`);
  }
}

/** What the sign-up panel shows: `{field: text}`, and the error text if shown. */
function shownClassification(tab) {
  return tab.evaluate(() => {
    const fields = {};
    for (const element of document.querySelectorAll('#classification [data-field]')) {
      fields[element.dataset.field] = element.textContent.trim();
    }
    const error = document.querySelector('#classify-error');
    return { fields, error: error.hidden ? null : error.textContent.trim(), form: window.demoState.form };
  });
}

/** What the cart shows, one object per row. */
function shownCart(tab) {
  return tab.evaluate(() => [...document.querySelectorAll('#cart tbody tr')].map((row) => {
    const text = (field) => row.querySelector(`[data-field="${field}"]`)?.textContent.trim();
    return {
      item: row.dataset.item,
      net_price: text('net_price'),
      discount_percent: text('discount_percent'),
      line_total: text('line_total'),
      rule: [...row.querySelector('[data-field="rule"]').childNodes].map((node) => node.textContent.trim()),
    };
  }));
}

async function fillForm(tab, customer) {
  await tab.click('#reset-button');
  await tab.fill('#signup [name="name"]', customer.name ?? '');
  await tab.fill('#signup [name="country"]', customer.billing_address?.country ?? '');
  await tab.fill('#signup [name="vat_number"]', customer.vat_number ?? '');
  await tab.selectOption('#signup [name="channel"]', customer.channel);
}

async function main() {
  requireWebBuild();
  const setup = readJson('bindings-wasm/demo/setup.json');
  const classify = readJson('vectors/classify/demo.json');
  const pricing = readJson('vectors/pricing/demo.json');
  const connect = readJson('vectors/connect/demo.json');
  const webhook = readJson('bindings-wasm/demo/shopify-customer.json');
  const slots = setup.slots.map((slot) => `class${slot.slot}`);
  const ruleIds = setup.pricing.rules.map((rule) => rule.id);

  await check('vectors/{classify,pricing}/demo.json have the demo setup (run demo/make-vectors.mjs)', () => {
    same(classify.setup, setup, 'vectors/classify/demo.json setup');
    same(pricing.setup, setup, 'vectors/pricing/demo.json setup');
    same(connect.setup, setup, 'vectors/connect/demo.json setup');
    same(connect.cases[0].input.payload, webhook, 'vectors/connect/demo.json payload');
  });

  const server = await serveRepository();
  let browser;
  try {
    browser = await openChromium({ viewport: { width: 1280, height: 900 } });
    const { tab, problems } = browser;
    console.log(`serving ${root} read-only; opening ${server.origin}${page}`);
    await tab.goto(`${server.origin}${page}`);
    await tab.waitForFunction(() => document.documentElement.dataset.ready !== undefined, null, { timeout: 60_000 });
    const ready = await tab.evaluate(() => document.documentElement.dataset.ready);
    if (ready !== 'yes') throw new Error(`the page did not start: ${await tab.textContent('#status')}`);

    for (const signUp of classify.cases) {
      const { customer } = signUp.input;
      await check(signUp.name, async () => {
        await fillForm(tab, customer);
        const shown = await shownClassification(tab);
        same(shown.form, customer, 'the customer the page classified');
        if (signUp.expected_error) {
          if (shown.error === null || !shown.error.includes(signUp.expected_error.message)) {
            throw new Error(`error shown: ${shown.error}; want one with ${signUp.expected_error.message}`);
          }
          if (!(await tab.isDisabled('#signup-button'))) throw new Error('sign-up is possible with a bad customer');
          return;
        }
        const want = signUp.expected;
        const value = (assigned) => (assigned ? String(assigned.value) : '—');
        same(shown.error, null, 'error shown');
        same(
          Object.fromEntries([...slots, 'type', 'group', 'price_group', 'vat_zone', 'receivables_account']
            .map((field) => [field, shown.fields[field]])),
          {
            ...Object.fromEntries(slots.map((slot) => [slot, value(want.classes[slot])])),
            type: value(want.type),
            group: value(want.group),
            price_group: value(want.price_group),
            vat_zone: value(want.vat_zone),
            receivables_account: value(want.receivables_account),
          },
          'labels, type, group, price group, VAT zone, receivables account',
        );
      });

      const cart = pricing.cases.find((c) => c.input.requests && canonical(c.input.customer) === canonical(customer));
      if (cart === undefined) continue;
      const { requests } = cart.input;
      await check(cart.name, async () => {
        await tab.click('#signup-button');
        await tab.fill('#cart-options [name="date"]', requests[0].date);
        await tab.selectOption('#cart-options [name="currency"]', requests[0].currency);
        for (const line of requests) {
          await tab.selectOption('#add-line [name="item"]', line.item);
          await tab.fill('#add-line [name="quantity"]', line.quantity);
          await tab.click('#add-button');
        }
        const state = await tab.evaluate(() => window.demoState);
        same({ customer: state.customer, requests: state.requests }, cart.input, 'what the page priced');
        const rows = await shownCart(tab);
        same(rows, requests.map((line, index) => {
          const quote = cart.expected.quotes[index];
          return {
            item: line.item,
            net_price: quote.net_price,
            discount_percent: `${quote.discount_percent} %`,
            line_total: quote.line_total,
            rule: [quote.rule ?? 'list price', ...(quote.stacked ?? []).map((id) => `+ ${id}`)],
          };
        }), 'cart lines (net price, discount, line total, rule)');
      });

      const explained = pricing.cases.filter((c) => c.input.request && canonical(c.input.customer) === canonical(customer));
      for (const explain of explained) {
        await check(explain.name, async () => {
          const index = requests.findIndex((line) => canonical(line) === canonical(explain.input.request));
          if (index < 0) throw new Error('the explained line is not in the cart');
          await tab.click(`#cart tbody tr:nth-child(${index + 1}) [data-field="item"]`);
          if (await tab.isHidden('#explanation')) throw new Error('no explanation shown');
          const shown = await tab.evaluate(() => [...document.querySelectorAll('#explanation-rules li')].map((li) => ({
            rule: li.dataset.rule, verdict: li.dataset.verdict, text: li.querySelector('.verdict').textContent,
          })));
          same(shown.map((entry) => entry.rule), ruleIds, 'every price rule of the setup, in order');
          same(shown.map((entry) => [entry.rule, entry.verdict]),
            explain.expected.explanation.map((entry) => [entry.rule, entry.verdict]), 'verdicts');
          for (const [n, entry] of explain.expected.explanation.entries()) {
            const detail = {
              below_min_quantity: `buy ${entry.buy_more} more`,
              applied: entry.net_price,
              currency_mismatch: entry.currency,
            }[entry.verdict];
            const text = shown[n].text;
            if (!text.startsWith(`${entry.verdict} — `) || (detail !== undefined && !text.includes(detail))) {
              throw new Error(`${entry.rule}: shown "${text}", want "${entry.verdict} — …${detail ?? ''}…"`);
            }
          }
          const title = await tab.textContent('#explanation-title');
          if (!title.includes(`${explain.expected.currency} ${explain.expected.net_price} each`)) {
            throw new Error(`title "${title}" does not give the net price ${explain.expected.net_price}`);
          }
        });
      }
    }

    await check('the pasted Shopify webhook: its customer and e-conomic body', async () => {
      const [imported, exported] = connect.cases.map((c) => c.expected);
      same(connect.cases[1].input.customer, imported.customer, 'the e-conomic case exports the imported customer');
      await tab.click('#webhook-button');
      if (!(await tab.isHidden('#webhook-error'))) throw new Error(await tab.textContent('#webhook-error'));
      const shown = await tab.evaluate(() => ({
        payload: window.demoState.webhook,
        economic: window.demoState.economic,
        body: JSON.parse(document.querySelector('#webhook-body').textContent),
        name: document.querySelector('#webhook-customer [data-field="name"]').textContent,
        findings: [...document.querySelectorAll('#webhook-findings li[data-code]')].map((li) => li.dataset.code),
      }));
      same(JSON.parse(shown.payload), webhook, 'the payload read');
      same(shown.economic, exported, 'the e-conomic answer');
      same(shown.body, exported.body, 'the body shown');
      same(shown.name, imported.customer.name, 'the name shown');
      same(shown.findings, [...imported.findings, ...exported.findings].map((f) => f.code), 'the findings shown');
    });

    await check(`screenshot: bindings-wasm/demo/screenshot.png under ${maxScreenshotBytes / 1024} KB`, async () => {
      await tab.evaluate(() => document.activeElement?.blur());
      fs.writeFileSync(screenshot, paletted(await tab.screenshot({ fullPage: true })));
      const size = fs.statSync(screenshot).size;
      if (size > maxScreenshotBytes) throw new Error(`${size} bytes`);
      console.log(`     ${path.relative(root, screenshot)}: ${size} bytes`);
    });

    await check('the page ran clean (no console errors, page errors or failed requests)', () => {
      if (problems.length > 0) throw new Error(problems.join('\n'));
    });
  } finally {
    await browser?.close();
    await server.close();
  }
}

try {
  await main();
} catch (err) {
  console.log(`FAIL harness: ${err?.stack ?? err}`);
  failed += 1;
}
console.log(`demo: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
