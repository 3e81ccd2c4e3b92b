// Connectors beyond the vectors: a payload as text, Buffer, Uint8Array or
// object reads the same; webhook signatures computed here with node:crypto
// verify, and fail for a tampered body; ERP bodies are plain objects.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import * as custclass from 'custclass';
import { canonical } from '../../vectors/runner.mjs';

const { ConnectError, CustclassError, Customer, Engine, Exported, Imported } = custclass;

/** vectors/connect/<file>. */
function vectors(file) {
  return JSON.parse(readFileSync(new URL(`../../vectors/connect/${file}`, import.meta.url), 'utf8'));
}

/** The first case of `file` that reads a payload given as an object. */
function payloadCase(file) {
  const found = vectors(file).cases.find((c) =>
    c.expected !== undefined && typeof c.input.payload === 'object' && c.input.pad === undefined);
  assert.ok(found, `connect/${file} has no payload given as an object`);
  return found;
}

/** A ConnectError with `code`. */
function connectError(code) {
  return (err) => {
    assert.ok(err instanceof ConnectError, `not a ConnectError: ${err}`);
    assert.ok(err instanceof CustclassError && err instanceof Error);
    assert.equal(err.name, 'ConnectError');
    assert.equal(err.code, code);
    assert.equal(err.data.code, code);
    assert.equal(err.message, err.data.message);
    return true;
  };
}

for (const [file, read] of [
  ['shopify.json', custclass.fromShopify],
  ['woocommerce.json', custclass.fromWooCommerce],
  ['magento.json', custclass.fromMagento],
]) {
  test(`${read.name}: a payload as text, Buffer, Uint8Array or object reads the same`, () => {
    const { input, expected } = payloadCase(file);
    const imported = read(input.payload, input.options);
    assert.ok(imported instanceof Imported);
    assert.equal(imported.toJson(), canonical(expected));
    const text = JSON.stringify(input.payload, null, 2);
    for (const form of [text, Buffer.from(text), new TextEncoder().encode(text)]) {
      assert.equal(read(form, input.options).toJson(), imported.toJson());
    }
    assert.ok(imported.customer instanceof Customer);
    assert.equal(imported.customer.toJson(), canonical(expected.customer));
    assert.deepEqual(imported.findings, expected.findings);
    assert.equal(imported.profile, expected.profile);
    assert.deepEqual(imported.toObject(), JSON.parse(imported.toJson()));
    assert.equal(JSON.stringify(imported), imported.toJson());
  });
}

test('import options are an object, or its JSON text, and are checked', () => {
  const { payload } = payloadCase('shopify.json').input;
  const imported = custclass.fromShopify(payload, { id: 'C-1' });
  assert.equal(imported.customer.id, 'C-1');
  assert.equal(custclass.fromShopify(payload, '{"id": "C-1"}').toJson(), imported.toJson());
  assert.equal(custclass.fromShopify(payload, null).toJson(), custclass.fromShopify(payload).toJson());
  assert.throws(() => custclass.fromShopify(payload, { idd: 'C-1' }), (err) => {
    assert.ok(err instanceof ConnectError, `${err}`);
    return true;
  });
});

test('a payload that is no JSON throws a ConnectError; one JSON cannot be, a TypeError', () => {
  assert.throws(() => custclass.fromShopify('{"id": '), connectError('json_syntax'));
  // Bytes that aren't text: the same json_syntax error as the CLI's, at its place.
  assert.throws(() => custclass.fromMagento(Buffer.from([0x7b, 0xff, 0x7d])), (err) => {
    connectError('json_syntax')(err);
    assert.equal(err.message, 'not UTF-8 text (line 1, column 2)');
    return true;
  });
  assert.throws(() => custclass.fromWooCommerce(7), TypeError);
  assert.throws(() => custclass.fromShopify(new Int32Array(2)), TypeError);
});

/** The header value as Shopify and WooCommerce send it, computed here independently. */
function sign(body, secret) {
  return createHmac('sha256', secret).update(body).digest('base64');
}

for (const verify of [custclass.verifyShopifyWebhook, custclass.verifyWooCommerceWebhook]) {
  test(`${verify.name}: a signed body verifies, a tampered one does not`, () => {
    const body = Buffer.from(JSON.stringify({ id: '706405506930370084', email: 'zoë@example.nl', via: verify.name }));
    const secret = `hush-hush-${verify.name}`;
    const signature = sign(body, secret);
    assert.equal(verify(body, secret, signature), undefined);
    assert.equal(verify(body.toString('utf8'), Buffer.from(secret), signature), undefined);
    assert.equal(verify(new Uint8Array(body), new TextEncoder().encode(secret), signature), undefined);
    const tampered = Buffer.from(body.toString('utf8').replace('example.nl', 'example.com'));
    assert.throws(() => verify(tampered, secret, signature), connectError('invalid_signature'));
    assert.throws(() => verify(body, 'another secret', signature), connectError('invalid_signature'));
    assert.throws(() => verify(body, secret, null), connectError('missing_signature'));
    assert.throws(() => verify(body, secret), connectError('missing_signature'));
  });
}

for (const [file, method] of [['exact.json', 'toExact'], ['economic.json', 'toEconomic'], ['reviso.json', 'toReviso']]) {
  test(`Engine#${method}: the body is a plain object`, () => {
    const doc = vectors(file);
    const key = method.replace(/^to/, 'to_').toLowerCase();
    const found = doc.cases.find((c) => c.expected !== undefined && c.input.op === key);
    assert.ok(found, `connect/${file} has no ${key} case with an answer`);
    const engine = new Engine(found.setup ?? doc.setup);
    const exported = engine[method](found.input.customer);
    assert.ok(exported instanceof Exported);
    assert.equal(Object.getPrototypeOf(exported.body), Object.prototype);
    assert.deepEqual(exported.body, found.expected.body);
    assert.equal(exported.system, found.expected.system);
    assert.deepEqual(exported.findings, found.expected.findings);
    assert.equal(exported.toJson(), canonical(found.expected));
    assert.equal(JSON.stringify(exported), exported.toJson());
    assert.equal(engine[method](new Customer(found.input.customer)).toJson(), exported.toJson());
  });
}
