// `Engine#classifyManyAsync` and `Engine#priceManyAsync`: the batch calls
// that keep the event loop free.
//
// Node-API can read JS objects only on the event loop, and reading 200,000
// customer objects there took 8 s. So the batch is made into UTF-8 JSON text
// here, a slice of rows per turn of the loop (`setImmediate` between them),
// and handed to the addon as byte arrays it reads on a libuv thread; the
// result comes back compact and is expanded a column per turn. The fast
// input is JSON text as bytes (a `Buffer` or `Uint8Array`): the addon reads
// it in place, nothing is done on the loop. JSON text as a string is cut and
// encoded in slices; column arrays and arrays of objects are stringified in
// slices of `SLICE_ROWS` rows, checked as the sync calls check them.
'use strict';

/** Rows stringified per turn of the loop: a few milliseconds each. */
const SLICE_ROWS = 1000;
/** Characters of a JSON string encoded per turn of the loop. */
const SLICE_CHARS = 1 << 18;
/** Result rows of a column made per turn of the loop. */
const EXPAND_ROWS = 50000;
/** How deep a value may nest, as the addon's own reader allows. */
const MAX_DEPTH = 64;

const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * `JSON.stringify(value)`, refusing with the addon's own `TypeError`s what
 * JSON can't hold (NaN, a BigInt, a function, a class instance such as a
 * `Date`) where `JSON.stringify` would write `null` or a string instead.
 * Paths are kept for objects only and written out only for a refusal.
 */
function strictJson(value, path) {
  if (value === undefined) throw new TypeError(`batch: ${path} is undefined; JSON can't hold it`);
  const places = new Map();
  const place = (holder, key) => {
    const outer = places.get(holder);
    if (outer === undefined) return { path, depth: 0 };
    return { path: outer.path + (Array.isArray(holder) ? `[${key}]` : `.${key}`), depth: outer.depth + 1 };
  };
  const refuse = (holder, key, why) => new TypeError(`batch: ${place(holder, key).path} ${why}`);
  return JSON.stringify(value, function check(key, item) {
    const original = this[key];
    switch (typeof original) {
      case 'string':
      case 'boolean':
        return item;
      case 'number':
        if (!Number.isFinite(original)) throw refuse(this, key, `is ${original}; JSON can't hold that number`);
        return item;
      case 'undefined':
        if (Array.isArray(this)) throw refuse(this, key, "is undefined; JSON can't hold it");
        return item;
      case 'object': {
        if (original === null) return item;
        const at = place(this, key);
        if (at.depth >= MAX_DEPTH) throw refuse(this, key, `is nested more than ${MAX_DEPTH} deep (a cycle?)`);
        const prototype = Object.getPrototypeOf(original);
        if (!Array.isArray(original) && prototype !== null && prototype !== Object.prototype) {
          throw refuse(this, key, "is not a plain object or array; JSON can't hold it");
        }
        places.set(original, at);
        return item;
      }
      case 'bigint':
        throw refuse(this, key, "is a BigInt; JSON can't hold it");
      case 'symbol':
        throw refuse(this, key, "is a Symbol; JSON can't hold it");
      case 'function':
        throw refuse(this, key, "is a function; JSON can't hold it");
      default:
        throw refuse(this, key, "is a value of unknown type; JSON can't hold it");
    }
  });
}

/** The text between a JSON array's brackets. */
const inner = (text) => text.slice(1, -1);

/** `batch` (as the sync call takes it, or JSON bytes) as UTF-8 JSON slices, yielding between them. */
async function encode(batch) {
  if (batch instanceof Uint8Array) return [batch];
  if (typeof batch === 'string') return encodeText(batch);
  if (batch === null || typeof batch !== 'object') {
    throw new TypeError(
      `batch must be an array of customers, an object of columns or a JSON string, not ${describe(batch)}`,
    );
  }
  const parts = [];
  const push = (text) => parts.push(Buffer.from(text, 'utf8'));
  if (Array.isArray(batch)) {
    push('[');
    for (let start = 0; start < batch.length; start += SLICE_ROWS) {
      const slice = batch.slice(start, start + SLICE_ROWS);
      const texts = slice.map((row, at) => strictJson(row, `$[${start + at}]`));
      push((start > 0 ? ',' : '') + texts.join(','));
      await turn();
    }
    push(']');
    return parts;
  }
  const prototype = Object.getPrototypeOf(batch);
  if (prototype !== null && prototype !== Object.prototype) {
    throw new TypeError(`batch: $ is not a plain object or array; JSON can't hold it`);
  }
  push('{');
  let first = true;
  for (const [name, column] of Object.entries(batch)) {
    if (column === undefined) continue;
    push(`${first ? '' : ','}${JSON.stringify(name)}:`);
    first = false;
    if (!Array.isArray(column)) {
      push(strictJson(column, `$.${name}`));
      continue;
    }
    push('[');
    for (let start = 0; start < column.length; start += SLICE_ROWS) {
      const slice = column.slice(start, start + SLICE_ROWS);
      const texts = slice.map((cell, at) => strictJson(cell, `$.${name}[${start + at}]`));
      push((start > 0 ? ',' : '') + texts.join(','));
      await turn();
    }
    push(']');
  }
  push('}');
  return parts;
}

/** A JSON string as UTF-8 slices, cut between characters (never inside a surrogate pair). */
async function encodeText(text) {
  if (text.length <= SLICE_CHARS) return [Buffer.from(text, 'utf8')];
  const parts = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + SLICE_CHARS, text.length);
    const code = text.charCodeAt(end - 1);
    if (end < text.length && code >= 0xd800 && code <= 0xdbff) end += 1;
    parts.push(Buffer.from(text.slice(start, end), 'utf8'));
    start = end;
    await turn();
  }
  return parts;
}

function describe(value) {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return 'a BigInt';
  if (typeof value === 'symbol') return 'a Symbol';
  return `a ${typeof value}`;
}

/**
 * The compact result of the addon (`[name, values, keys]` or `[name, [json]]`
 * per column, JSON texts of a few thousand rows each; the row problems as JSON texts of a few hundred each) as a
 * `BatchResult`, a column or a text per turn.
 */
async function expand(compact) {
  const columns = {};
  for (const column of compact.columns) {
    const [name, values, keys] = column;
    if (keys === undefined) {
      const rows = [];
      for (const text of values) {
        for (const value of JSON.parse(text)) rows.push(value);
        await turn();
      }
      columns[name] = rows;
    } else {
      const rows = new Array(keys.length);
      for (let start = 0; start < keys.length; start += EXPAND_ROWS) {
        const end = Math.min(start + EXPAND_ROWS, keys.length);
        for (let row = start; row < end; row += 1) {
          const key = keys[row];
          rows[row] = key < 0 ? null : values[key];
        }
        if (end < keys.length) await turn();
      }
      columns[name] = rows;
    }
    await turn();
  }
  const errors = [];
  for (const text of compact.errors) {
    for (const problem of JSON.parse(text)) errors.push(problem);
    await turn();
  }
  return { columns, errors };
}

/** Adds the async batch calls to the addon's `Engine`. */
function install(Engine) {
  Object.defineProperties(Engine.prototype, {
    classifyManyAsync: {
      configurable: true,
      writable: true,
      value: async function classifyManyAsync(batch) {
        const text = await encode(batch);
        return expand(await this.__classifyManyText(text));
      },
    },
    priceManyAsync: {
      configurable: true,
      writable: true,
      value: async function priceManyAsync(lines, customers) {
        const lineText = await encode(lines);
        const customerText = customers === undefined || customers === null ? null : await encode(customers);
        return expand(await this.__priceManyText(lineText, customerText));
      },
    },
  });
}

module.exports = { install };
