// README.md's "A webshop in 15 minutes": server.mjs, as the guide spells it
// out, runs against this package (installed as `custclass` in a temp dir),
// and every `curl` line of the guide gets exactly the answer the guide
// shows.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { blocks, files, readme, section } from '../../scripts/lib/readme.mjs';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const setupFile = fileURLToPath(new URL('../../examples/setup.json', import.meta.url));
const guide = section(readme, '## A webshop in 15 minutes (JavaScript)');

/** A port nobody listens on now. */
async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Resolves once something accepts connections on `port`. */
async function listening(port, server) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (server.exitCode !== null) throw new Error(`server.mjs exited with ${server.exitCode}`);
    try {
      await fetch(`http://127.0.0.1:${port}/`, { method: 'HEAD' });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error('server.mjs did not listen');
}

test("the webshop guide's server answers its curl lines as the guide shows", async () => {
  const server = files(guide)['server.mjs'];
  assert.ok(server, 'the guide has a // server.mjs block');
  const shell = blocks(guide).filter((block) => block.language === 'sh').map((block) => block.body).join('');
  const curls = shell.split('\n').filter((line) => line.startsWith('curl '));
  assert.ok(curls.length >= 4, 'the guide shows its curl lines');
  const expected = blocks(guide).find((block) => block.language === 'text' && block.body.startsWith('{'));
  assert.ok(expected, 'the guide shows the answers');

  const dir = mkdtempSync(join(tmpdir(), 'custclass-guide-'));
  const port = await freePort();
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(packageDir, join(dir, 'node_modules', 'custclass'), 'dir');
  copyFileSync(setupFile, join(dir, 'setup.json'));
  writeFileSync(join(dir, 'server.mjs'), server);
  const child = spawn(process.execPath, ['server.mjs'], {
    cwd: dir, env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    await listening(port, child);
    const answers = curls.map((line) => execFileSync('/bin/sh', ['-c', line.replaceAll('localhost:8080', `127.0.0.1:${port}`)], { encoding: 'utf8' }));
    assert.equal(answers.join(''), expected.body);
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
