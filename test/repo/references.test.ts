// The repository stands on its own: no doc, test or source file sends a reader to a file that
// only the original authors had (a design document, a folder beside the checkout).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO } from '../helpers/cli.js';

// Spelt in pieces so that this file does not name them itself.
const OUTSIDE = [
  ['DESIGN', '.md'],
  ['../', 'shared'],
  ['/work/', 'shared'],
].map((parts) => parts.join(''));
const SKIP = new Set(['node_modules', '.git', 'generated', 'expected', 'dist', '.tools']);

function textFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIP.has(e.name)) return [];
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return textFiles(p);
    return /\.(ts|mts|mjs|cjs|js|md|sh|json|ya?ml)$/.test(e.name) && e.name !== 'package-lock.json' ? [p] : [];
  });
}

test('no file refers to a document or folder outside the repository', () => {
  const found = textFiles(REPO).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return OUTSIDE.filter((name) => text.includes(name)).map((name) => `${path.relative(REPO, file)}: ${name}`);
  });
  assert.deepEqual(found, []);
});
