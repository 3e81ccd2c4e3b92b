// Quotes and classifications read as properties (`quote.net_price`, which
// was `undefined` before) as well as through `toObject()`, and prices in
// words: the checks the WASM package runs (bindings-wasm/test/checks.mjs),
// so both packages answer with the same names.
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import * as binding from 'custclass';
import { quoteChecks } from '../../bindings-wasm/test/checks.mjs';

const { setup } = JSON.parse(readFileSync(new URL('../../vectors/bulk/price_reasons.json', import.meta.url), 'utf8'));
for (const [name, run] of quoteChecks(binding, setup)) test(name, run);
