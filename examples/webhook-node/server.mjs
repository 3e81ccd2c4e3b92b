// A Shopify webhook receiver: every new or changed shop customer gets its
// labels and leaves as the body of e-conomic's POST /customers.
//
//   SHOPIFY_WEBHOOK_SECRET=… node server.mjs      (PORT, SETUP optional)
//
// The signature is checked on the raw bytes before anything is parsed; a
// bad one is answered 401 and nothing is read or classified. Sending the
// body on to e-conomic is the one step left out: it needs your agreement's
// tokens, and is one `fetch` with the body printed here.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { ConnectError, CustclassError, Engine, fromShopify, verifyShopifyWebhook } from 'custclass';

const secret = process.env.SHOPIFY_WEBHOOK_SECRET;
if (!secret) {
  console.error('set SHOPIFY_WEBHOOK_SECRET to the secret of your Shopify app');
  process.exit(2);
}
const engine = new Engine(readFileSync(process.env.SETUP ?? 'setup.json', 'utf8'));

/** A customer payload is a few kilobytes; a body past this is refused unread. */
const maxBody = 1 << 20;

/** The topics whose payload is a customer. */
const customerTopics = new Set(['customers/create', 'customers/update']);

/**
 * The request's body, or null once it grows past `maxBody`.
 * @param {import('node:http').IncomingMessage} request
 * @returns {Promise<Buffer | null>}
 */
async function rawBody(request) {
  const chunks = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > maxBody) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * What to answer a webhook: its status and JSON.
 * @param {Buffer} body
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @returns {{status: number, json: unknown}}
 */
function receive(body, headers) {
  const signature = headers['x-shopify-hmac-sha256'];
  try {
    verifyShopifyWebhook(body, secret ?? '', typeof signature === 'string' ? signature : null);
  } catch (err) {
    if (err instanceof ConnectError) return { status: 401, json: { error: err.data } };
    throw err;
  }
  const topic = String(headers['x-shopify-topic'] ?? '');
  if (!customerTopics.has(topic)) return { status: 202, json: { ignored: topic } };
  try {
    const imported = fromShopify(body);
    const economic = engine.toEconomic(imported.customer);
    console.log(JSON.stringify(economic.body));
    return {
      status: 200,
      json: {
        customer: imported.customer.id,
        findings: [...imported.findings, ...economic.findings],
        economic: economic.body,
      },
    };
  } catch (err) {
    // A payload that isn't a customer, or a customer the setup can't map:
    // Shopify's retries won't change it, so say what to fix.
    if (err instanceof CustclassError) return { status: 422, json: { error: err.data } };
    throw err;
  }
}

const server = createServer(async (request, response) => {
  const answer = (/** @type {number} */ status, /** @type {unknown} */ json) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(`${JSON.stringify(json)}\n`);
  };
  if (request.method !== 'POST' || request.url !== '/webhooks/shopify') {
    answer(404, { error: 'POST Shopify webhooks to /webhooks/shopify' });
    return;
  }
  const body = await rawBody(request);
  if (body === null) {
    // The rest of the body is not read: the connection closes after the answer.
    response.setHeader('connection', 'close');
    answer(413, { error: `a webhook body has at most ${maxBody} bytes` });
    return;
  }
  try {
    const { status, json } = receive(body, request.headers);
    answer(status, json);
  } catch (err) {
    console.error(err);
    answer(500, { error: 'internal error' });
  }
});

server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : address;
  console.error(`listening on http://127.0.0.1:${port}/webhooks/shopify`);
});
