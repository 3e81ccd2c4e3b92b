// Reading README.md's guides in the JavaScript tests: a section under a
// heading, and the files its code blocks spell out (a block whose first
// line is `// name.mjs` or `<!-- name.html -->` is that file).

import fs from 'node:fs';

export const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The text under the `heading` line, up to the next heading of its level or above (outside code blocks). */
export function section(text, heading) {
  const lines = text.split('\n');
  const level = heading.match(/^#+/)[0].length;
  let start = -1;
  let end = lines.length;
  let fenced = false;
  for (const [index, line] of lines.entries()) {
    if (line.startsWith('```')) fenced = !fenced;
    const match = fenced ? null : line.match(/^(#+) /);
    if (start < 0 && !fenced && line === heading) {
      start = index;
    } else if (start >= 0 && match !== null && match[1].length <= level) {
      end = index;
      break;
    }
  }
  if (start < 0) throw new Error(`README.md has no "${heading}" heading`);
  return lines.slice(start + 1, end).join('\n');
}

/** Every fenced block in `text`: `{language, body}`, in order. */
export function blocks(text) {
  return [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map(([, language, body]) => ({ language, body }));
}

/** The files the blocks of `text` spell out, by name. */
export function files(text) {
  const named = {};
  for (const { body } of blocks(text)) {
    const name = body.match(/^(?:\/\/|<!--) ([\w.-]+\.(?:mjs|js|ts|html))(?: -->)?\n/)?.[1];
    if (name) named[name] = body;
  }
  return named;
}
