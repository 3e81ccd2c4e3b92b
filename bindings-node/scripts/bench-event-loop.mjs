// The longest event-loop stall of the async batch calls (issue #19): 200,000
// customers, skewed as a real customer base is (most in a few countries, a
// long tail of the rest; a third businesses with VAT numbers; attributes on
// some), and 200,000 order lines for them, through `classifyManyAsync` and
// `priceManyAsync` in each input form. The stall is the largest delay
// `perf_hooks.monitorEventLoopDelay` sees (1 ms resolution) while the call
// runs. Target: at most 20 ms.
//
//   node bindings-node/scripts/bench-event-loop.mjs [rows] [entry]
//
// `entry` is the module to load (default `custclass`; a path such as
// `./bindings-node/index.js` measures the bare addon, e.g. an older build).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const rows = Number(process.argv[2] ?? 200_000);
const entry = process.argv[3] ?? 'custclass';
const require = createRequire(import.meta.url);
const { Engine } = require(entry.startsWith('.') ? pathToFileURL(entry).pathname : entry);

const vector = (name) => JSON.parse(readFileSync(new URL(`../../vectors/bulk/${name}.json`, import.meta.url), 'utf8')).setup;
const engine = new Engine(vector('classify_table'));
const pricer = new Engine(vector('price_lines'));

/** A seeded linear congruential generator: the same data on every run. */
let seed = 19;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
/** An index into `n` choices, the first ones much likelier (Zipf-like). */
const skewed = (n) => Math.min(n - 1, Math.floor(n * random() ** 3));

const countries = ['NL', 'DE', 'BE', 'FR', 'AT', 'GB', 'US', 'IT', 'ES', 'PL', 'DK', 'SE', 'CH', 'LU', 'IE', 'PT'];
const channels = ['webshop', 'pos'];
const priceGroups = ['TRADE', 'RETAIL'];

function customer(row) {
  const country = countries[skewed(countries.length)];
  const out = {
    id: `C${row}`,
    name: random() < 0.01 ? `Müller & Söhne ${row} GmbH` : `Customer ${row}`,
    email: `buyer${row}@example.com`,
    billing_address: { street: `Street ${row % 500}`, city: 'Somewhere', postcode: String(1000 + (row % 9000)), country },
  };
  if (random() < 0.6) out.channel = channels[skewed(channels.length)];
  if (random() < 0.3) out.vat_number = `${country}${String(100000000 + row)}`;
  if (random() < 0.7) out.attributes = { turnover: Math.floor(1000 * 200 ** random()) };
  return out;
}

function line(row) {
  const items = [['PAD-1', 'BRAKES', '25.00'], ['OIL-5L', 'OILS', '39.95'], ['DISC-2', 'BRAKES', '72.50']];
  const [item, group, price] = items[skewed(items.length)];
  return {
    customer: `C${Math.floor(random() * rows)}`,
    item,
    item_group: group,
    list_price: price,
    quantity: 1 + skewed(24),
    date: `2026-11-${String(1 + (row % 28)).padStart(2, '0')}`,
    currency: 'EUR',
    price_group: priceGroups[skewed(priceGroups.length)],
  };
}

const customers = Array.from({ length: rows }, (_, row) => customer(row));
const lines = Array.from({ length: rows }, (_, row) => line(row));
const columnsOf = (objects) => {
  const columns = {};
  for (const name of Object.keys(objects[0])) columns[name] = objects.map((object) => object[name] ?? null);
  return columns;
};
const lineColumns = columnsOf(lines);
const customerColumns = {
  id: customers.map((c) => c.id),
  name: customers.map((c) => c.name),
  email: customers.map((c) => c.email),
  country: customers.map((c) => c.billing_address.country),
  channel: customers.map((c) => c.channel ?? null),
  vat_number: customers.map((c) => c.vat_number ?? null),
  'attr.turnover': customers.map((c) => c.attributes?.turnover ?? null),
};
const customersText = JSON.stringify(customers);
const linesText = JSON.stringify(lines);
const customersBytes = Buffer.from(customersText);
const linesBytes = Buffer.from(linesText);

/**
 * Runs `call` with the loop watched: the longest stall (the larger of what
 * `monitorEventLoopDelay` saw and the longest gap between the ticks of a
 * 1 ms interval, as a server's timers would see it) and the wall time, in ms.
 * The watch runs for 50 ms before the call, so a call that blocks as soon
 * as it is made is seen too.
 */
async function measure(name, call) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let gap = 0;
  const ticking = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
  }, 1);
  histogram.enable();
  await new Promise((resolve) => setTimeout(resolve, 50));
  gap = 0;
  histogram.reset();
  const start = performance.now();
  const result = await call();
  const wall = performance.now() - start;
  await new Promise((resolve) => setTimeout(resolve, 5));
  histogram.disable();
  clearInterval(ticking);
  const stall = Math.max(histogram.max / 1e6, gap);
  const count = `${Object.values(result.columns)[0]?.length}, errors ${result.errors.length}`;
  console.log(`${name.padEnd(44)} longest stall ${stall.toFixed(1).padStart(7)} ms   wall ${wall.toFixed(0).padStart(6)} ms   rows ${count}`);
  return stall;
}

console.log(`${rows} rows, node ${process.version}, entry ${entry}`);
const stalls = [];
stalls.push(await measure('classifyManyAsync(array of objects)', () => engine.classifyManyAsync(customers)));
stalls.push(await measure('classifyManyAsync(columns)', () => engine.classifyManyAsync(customerColumns)));
stalls.push(await measure('classifyManyAsync(JSON string)', () => engine.classifyManyAsync(customersText)));
if (typeof pricer.priceManyAsync === 'function') {
  // (bytes: new in the same change as priceManyAsync)
  stalls.push(await measure('classifyManyAsync(JSON bytes)', () => engine.classifyManyAsync(customersBytes)));
}
if (typeof pricer.priceManyAsync === 'function') {
  stalls.push(await measure('priceManyAsync(array of line objects)', () => pricer.priceManyAsync(lines)));
  stalls.push(await measure('priceManyAsync(columns)', () => pricer.priceManyAsync(lineColumns)));
  stalls.push(await measure('priceManyAsync(JSON bytes)', () => pricer.priceManyAsync(linesBytes)));
} else {
  stalls.push(await measure('priceMany(array of line objects), sync', async () => pricer.priceMany(lines)));
}
console.log(`longest stall of all: ${Math.max(...stalls).toFixed(1)} ms (target: at most 20 ms)`);
