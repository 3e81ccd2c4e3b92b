// The one JS vector runner. The same module runs against the Node addon
// (`custclass`), the WASM build in Node and the WASM build in Chromium, so it
// uses nothing but the language: the caller loads the files.
//
//   import { runVectors, checkParity } from './runner.mjs';
//   const report = runVectors(binding, files);   // files: [{path, doc}]
//   // report: {count, failures: [text], raised: Map<"Name:code", count>}
//
// A case passes when the canonical JSON of the binding's answer equals the
// canonical JSON of the case's `expected` or `expected_error`, byte for byte.
// The rules for each area are those of core/tests/vectors.rs.

/** Canonical JSON: object keys sorted, no whitespace, arrays in order. */
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The binding's answer to one case: `{key, json}` where key is `expected` or `expected_error`. */
export function answer(binding, area, setup, input) {
  try {
    return { key: 'expected', json: compute(binding, area, setup, input) };
  } catch (err) {
    if (err === null || typeof err !== 'object' || typeof err.code !== 'string' || err.data === undefined) {
      throw err; // not a custclass error: a bug in the binding or the runner
    }
    return { key: 'expected_error', json: canonical(err.data), error: err };
  }
}

function compute(binding, area, setup, input) {
  switch (area) {
    case 'setup-errors': {
      // Setup.validate lists what `new Engine` refuses; check both agree.
      let problems;
      try {
        new binding.Engine(input);
        problems = [];
      } catch (err) {
        problems = err?.data?.problems ?? null;
        const listed = binding.Setup.validate(input);
        if (problems === null || canonical(listed) !== canonical(problems)) {
          throw new Error(`Setup.validate gave ${canonical(listed)} but new Engine threw ${canonical(err?.data)}`);
        }
        throw err;
      }
      const listed = binding.Setup.validate(input);
      if (listed.length !== 0) throw new Error(`Setup.validate found ${canonical(listed)} in a valid setup`);
      return canonical({ valid: true });
    }
    case 'classify': {
      const engine = new binding.Engine(setup);
      const op = input.op ?? 'classify';
      if (op === 'classify') {
        return (input.on === undefined
          ? engine.classify(input.customer)
          : engine.classify(input.customer, input.on)).toJson();
      }
      if (op === 'reclassify') return engine.reclassify(input.customer, input.previous).toJson();
      throw new Error(`unknown op ${op}`);
    }
    case 'expr': {
      if (input.op === 'format') return canonical({ canonical: binding.formatExpression(input.expr) });
      const engine = new binding.Engine(setup);
      const segment = input.stored === undefined
        ? engine.segment(input.expr)
        : engine.segment(input.expr, { stored: input.stored });
      return canonical({ matches: segment.matches(input.customer) });
    }
    case 'pricing': {
      const engine = new binding.Engine(setup);
      if (input.requests !== undefined) {
        const quotes = engine.priceLines(input.customer, input.requests);
        return canonical({ quotes: quotes.map(readable) });
      }
      const quote = engine.price(input.customer, input.request);
      if (canonical(readable(quote)) !== quote.toJson()) {
        throw new Error(`the quote's properties differ from toJson(): ${canonical(readable(quote))}`);
      }
      return quote.toJson();
    }
    case 'csv':
      return canonical({
        rows: input.encoding === undefined
          ? binding.readCsv(input.text)
          : binding.readCsv(input.text, { encoding: input.encoding }),
      });
    case 'masterdata':
      if (input.op === 'duplicates') {
        const groups = input.similar_names === undefined
          ? binding.findDuplicates(input.customers)
          : binding.findDuplicates(input.customers, input.similar_names);
        return canonical({ groups });
      }
      if (input.op === 'phone') return canonical(binding.formatPhone(input.number, input.country));
      if (input.op === 'vat') {
        const numbers = input.numbers.map((number) => {
          const card = { id: '1', vat_number: number };
          if (input.country !== null) card.billing_address = { country: input.country };
          const customer = new binding.Customer(card);
          return {
            number,
            vat_valid: customer.vatValid() ?? null,
            vat_number: customer.normalised().toObject().vat_number ?? null,
            findings: customer.check(),
          };
        });
        return canonical({ numbers });
      }
      if (input.op === 'engine_check') {
        return canonical({ findings: new binding.Engine(setup).check(input.customer) });
      }
      if (input.op === 'check_new') {
        return canonical({ findings: new binding.DuplicateIndex(input.customers).check(input.customer) });
      }
      if (input.op === 'anonymise') return new binding.Customer(input.customer).anonymise().toJson();
      if (input.op === 'check') return canonical({ findings: new binding.Customer(input.customer).check() });
      if (input.op === 'normalise') return new binding.Customer(input.customer).normalised().toJson();
      throw new Error(`unknown op ${input.op}`);
    case 'bulk': {
      const engine = new binding.Engine(setup);
      if (input.op === 'classify_table') {
        const { columns, errors } = engine.classifyMany(input.columns);
        return canonical({ columns, errors });
      }
      if (input.op === 'segment_rows') {
        const options = input.stored === undefined ? undefined : { stored: input.stored };
        const { rows, errors, warnings } = engine.segment(input.expression, options).filter(input.columns);
        return canonical({ rows, errors, warnings });
      }
      if (input.op === 'segment_set') {
        const options = input.stored === undefined ? undefined : { stored: input.stored };
        const set = engine.segmentSet(input.segments, options);
        const { masks, counts, errors, warnings } = set.masks(input.columns);
        // Every vector's masks stay below 2^53: plain numbers compare.
        return canonical({ masks: Array.from(masks, Number), counts, errors, warnings });
      }
      if (input.op === 'price_lines') {
        if (input.explain !== undefined) {
          const { columns, errors, explanations } = engine.priceMany(
            input.lines, input.customers ?? null, { explain: input.explain });
          return canonical({ columns, errors, explanations });
        }
        const { columns, errors } = engine.priceMany(input.lines, input.customers);
        return canonical({ columns, errors });
      }
      throw new Error(`unknown op ${input.op}`);
    }
    case 'connect':
      return connect(binding, setup, input);
    default:
      throw new Error(`unknown area ${area}`);
  }
}

/** The `connect` area's JS names, by the vectors' op. */
const IMPORTS = { from_shopify: 'fromShopify', from_woocommerce: 'fromWooCommerce', from_magento: 'fromMagento' };
const VERIFIES = { verify_shopify_webhook: 'verifyShopifyWebhook', verify_woocommerce_webhook: 'verifyWooCommerceWebhook' };
const EXPORTS = { to_exact: 'toExact', to_economic: 'toEconomic', to_reviso: 'toReviso' };

/**
 * A payload in (given as an object: the object; as text: the text, with
 * `pad` spaces after it), an ERP body out, or a webhook verified.
 */
function connect(binding, setup, input) {
  const { op } = input;
  if (op in IMPORTS) {
    let { payload } = input;
    if (input.pad !== undefined) {
      payload = (typeof payload === 'string' ? payload : canonical(payload)) + ' '.repeat(input.pad);
    }
    // As the Rust runner reads it: present options are read, JSON null included.
    const options = 'options' in input ? (input.options === null ? 'null' : input.options) : undefined;
    return binding[IMPORTS[op]](payload, options).toJson();
  }
  if (op in VERIFIES) {
    const text = (value) => (typeof value === 'string' ? value : '');
    const signature = typeof input.signature === 'string' ? input.signature : null;
    binding[VERIFIES[op]](text(input.body), text(input.secret), signature);
    return canonical({ verified: true });
  }
  if (op in EXPORTS) return new binding.Engine(setup)[EXPORTS[op]](input.customer).toJson();
  throw new Error(`unknown op ${op}`);
}

/**
 * A quote's object form read through its properties (`quote.net_price`, …):
 * what `toObject()` gives, `rule`, `stacked` and `explanation` left out when
 * there are none, as the object form leaves them out.
 */
function readable(quote) {
  const object = {
    list_price: quote.list_price,
    net_price: quote.net_price,
    discount_amount: quote.discount_amount,
    discount_percent: quote.discount_percent,
    quantity: quote.quantity,
    line_total: quote.line_total,
    currency: quote.currency,
    reason: quote.reason,
  };
  if (quote.rule !== null) object.rule = quote.rule;
  if (quote.stacked.length > 0) object.stacked = quote.stacked;
  if (quote.explanation !== null) object.explanation = quote.explanation;
  return object;
}

/** Runs every case of `files` ([{path: 'classify/classify.json', doc}]). */
export function runVectors(binding, files) {
  const failures = [];
  const raised = new Map();
  let count = 0;
  for (const { path, doc } of files) {
    const area = path.split('/').at(-2);
    for (const testCase of doc.cases) {
      count += 1;
      const setup = testCase.setup ?? doc.setup ?? null;
      let got;
      try {
        got = answer(binding, area, setup, testCase.input);
      } catch (err) {
        failures.push(`${path}: ${testCase.name}\n  threw ${err?.stack ?? err}`);
        continue;
      }
      if (got.error) {
        for (const code of [got.error.code, ...(got.error.data.problems ?? []).map((p) => p.code)]) {
          const key = `${got.error.name}:${code}`;
          raised.set(key, (raised.get(key) ?? 0) + 1);
        }
      }
      const want = testCase[got.key];
      if (want === undefined || canonical(want) !== got.json) {
        failures.push(`${path}: ${testCase.name}\n  want ${got.key}: ${want === undefined ? '(no such key)' : canonical(want)}\n  got: ${got.json}`);
      }
    }
  }
  return { count, failures, raised };
}

function resolve(binding, name) {
  const [owner, member] = name.split(/[#.]/);
  const value = binding[owner];
  if (member === undefined) return value;
  if (value === undefined) return undefined;
  if (name.includes('#')) return member in value.prototype ? true : undefined;
  return value[member];
}

/**
 * The names of `surface` (vectors/surface.json) that `binding` lacks, and the
 * error codes the vector run never saw raised with their concern's name.
 * `nodeOnly` says whether to require the Node-only async variants.
 */
export function checkParity(binding, surface, raised, { nodeOnly = false } = {}) {
  const missing = [];
  const names = surface.operations.map((op) => op.js);
  for (const cls of surface.results.classes) {
    for (const method of surface.results.js) names.push(`${cls}#${method}`);
  }
  if (nodeOnly) names.push(...surface.node_only.map((op) => op.js));
  for (const name of names) {
    if (resolve(binding, name) === undefined) missing.push(name);
  }
  // The binding's own error catalogue, each concern's JS name from surface.json.
  const unseen = [];
  const skip = new Set(surface.not_in_vectors.codes);
  const jsName = new Map(surface.errors.map((concern) => [concern.concern, concern.js]));
  for (const { concern, code } of binding.errorCodes()) {
    const name = `${jsName.get(concern)}:${code}`;
    if (!skip.has(code) && !raised.has(name)) unseen.push(name);
  }
  return { missing, unseen };
}
