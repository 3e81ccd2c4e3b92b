// What the Chromium scripts share (test/browser.mjs, test/demo.mjs): a
// read-only static server for the repository on 127.0.0.1 (a free port), and
// headless Chromium through playwright-core with the page's console errors,
// uncaught errors and failed requests collected.
//
// Environment: CHROMIUM (default /usr/bin/chromium).

import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

/** The repository root, symlinks resolved. */
export const root = fs.realpathSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'));

const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

export const types = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
  '.png': 'image/png',
};

/** Throws unless scripts/build-wasm has built pkg/web. */
export function requireWebBuild() {
  if (!fs.existsSync(path.join(root, 'bindings-wasm/pkg/web/custclass_wasm.js'))) {
    throw new Error('bindings-wasm/pkg/web is missing: run scripts/build-wasm first');
  }
}

/** The file under `base` that `pathname` names, or null. */
function fileFor(pathname, base) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  // no NUL, and nothing hidden (.git, .env …)
  if (decoded.includes('\0') || decoded.split('/').some((part) => part.startsWith('.'))) return null;
  const candidate = path.resolve(base, `.${decoded}`);
  if (!candidate.startsWith(base + path.sep)) return null;
  let real;
  try {
    real = fs.realpathSync(candidate); // symlinks must stay inside too
  } catch {
    return null;
  }
  if (!real.startsWith(base + path.sep) || !fs.statSync(real).isFile()) return null;
  return real;
}

/**
 * Serves the repository read-only on 127.0.0.1. `routes` maps a pathname to
 * a function giving `[contentType, body]` (generated answers, such as a file
 * list). Resolves to `{origin, close}`.
 */
export function serveRepository(routes = {}) {
  return serveDirectory(root, routes);
}

/** As `serveRepository`, for the directory `base` (symlinks resolved). */
export async function serveDirectory(base, routes = {}) {
  const server = http.createServer((request, response) => {
    const send = (status, type, body) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(405, 'text/plain', 'read-only\n');
      return;
    }
    const { pathname } = new URL(request.url, 'http://127.0.0.1');
    if (Object.hasOwn(routes, pathname)) {
      send(200, ...routes[pathname]());
      return;
    }
    const file = fileFor(pathname, base);
    if (file === null) {
      send(404, 'text/plain', 'not found\n');
      return;
    }
    send(200, types[path.extname(file)] ?? 'application/octet-stream', fs.readFileSync(file));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * Headless Chromium with a fresh profile and one tab. Resolves to
 * `{context, tab, problems, close}`: `problems` collects console errors,
 * uncaught page errors and failed requests as lines of text.
 */
export async function openChromium({ viewport } = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'custclass-chromium-'));
  const problems = [];
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      viewport: viewport ?? { width: 1280, height: 720 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  } catch (err) {
    fs.rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  const tab = context.pages()[0] ?? await context.newPage();
  tab.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  tab.on('pageerror', (err) => problems.push(`page error: ${err.stack ?? err}`));
  tab.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
  return {
    context,
    tab,
    problems,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
