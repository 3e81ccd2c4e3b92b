// README.md's Quick start, JavaScript: the snippet runs unchanged against
// this package (installed as `custclass` in a temp dir, as `npm install
// ./bindings-node` would) and prints exactly the README's output block.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The text under the `marker` heading, up to the next heading of its level or above (outside code blocks). */
function section(text, marker) {
  const lines = text.split('\n');
  const level = marker.match(/^#+/)[0].length;
  let start = -1;
  let end = lines.length;
  let fenced = false;
  for (const [index, line] of lines.entries()) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = fenced ? null : line.match(/^(#+) /);
    if (start < 0 && !fenced && line === marker) {
      start = index;
    } else if (start >= 0 && heading !== null && heading[1].length <= level) {
      end = index;
      break;
    }
  }
  assert.ok(start >= 0, `README.md has no "${marker}" heading`);
  return lines.slice(start + 1, end).join('\n');
}

/** The body of the first fenced block with `language` in `text`. */
function block(text, language) {
  const match = text.match(new RegExp('^```' + language + '\\n([\\s\\S]*?)^```$', 'm'));
  assert.ok(match, `no \`\`\`${language} block`);
  return match[1];
}

test('the README Quick start JavaScript example prints the README output', () => {
  const quickStart = section(readme, '## Quick start');
  const code = block(section(quickStart, '### JavaScript'), 'js');
  const expected = block(section(quickStart, '### Output (the same in every language)'), 'text');
  assert.match(code, /from 'custclass'/);

  const dir = mkdtempSync(join(tmpdir(), 'custclass-readme-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(packageDir, join(dir, 'node_modules', 'custclass'), 'dir');
    writeFileSync(join(dir, 'quick-start.mjs'), code);
    const stdout = execFileSync(process.execPath, ['quick-start.mjs'], { cwd: dir, encoding: 'utf8' });
    assert.equal(stdout, expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
