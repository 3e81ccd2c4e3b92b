// README.md's Quick start, JavaScript: the snippet runs unchanged against
// this package (installed as `custclass` in a temp dir, as `npm install
// ./bindings-node` would) and prints exactly the README's output block.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
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

/** The body of every fenced block of `languages` in `text`, with the line it starts on. */
function blocks(text, languages) {
  const found = [];
  const pattern = new RegExp('^```(' + languages.join('|') + ')\\n([\\s\\S]*?)^```$', 'gm');
  for (const match of text.matchAll(pattern)) {
    found.push({ line: text.slice(0, match.index).split('\n').length + 1, code: match[2] });
  }
  return found;
}

test('every JavaScript and TypeScript snippet of the README type-checks with tsc --strict and the default lib', () => {
  const snippets = blocks(readme, ['js', 'mjs', 'ts', 'mts', 'javascript', 'typescript']);
  assert.ok(snippets.length >= 2, 'the README has JavaScript snippets');
  const dir = mkdtempSync(join(tmpdir(), 'custclass-readme-tsc-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(packageDir, join(dir, 'node_modules', 'custclass'), 'dir');
    const files = {};
    const guideFiles = {};
    for (const { line, code } of snippets) {
      // A guide's file (`// server.mjs`) is JavaScript for Node, checked
      // as such (JSDoc types, @types/node); the WASM package's are checked
      // by bindings-wasm/test/types.test.mjs.
      const named = code.match(/^\/\/ ([\w-]+\.mjs)\n/)?.[1];
      if (named && code.includes("from 'custclass-wasm'")) continue;
      const name = named ? `readme-line-${line}-${named}` : `readme-line-${line}.mts`;
      (named ? guideFiles : files)[name] = code;
      writeFileSync(join(dir, name), code);
    }
    // No `lib`: the default of the target, as a new project has it.
    const options = { strict: true, noEmit: true, module: 'node16', target: 'es2022', types: [] };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, files: Object.keys(files) }));
    writeFileSync(join(dir, 'tsconfig.guides.json'), JSON.stringify({
      compilerOptions: { ...options, allowJs: true, checkJs: true, types: ['node'], typeRoots: [join(packageDir, 'node_modules/@types')] },
      files: Object.keys(guideFiles),
    }));
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    for (const project of ['tsconfig.json', 'tsconfig.guides.json']) {
      const result = spawnSync(process.execPath, [tsc, '-p', project], { cwd: dir, encoding: 'utf8' });
      assert.equal(result.status, 0, `README.md snippets (file names give the README line), ${project}:\n${result.stdout}${result.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
