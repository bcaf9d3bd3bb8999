// writeArtifacts: what other users can read of generated/, and the swap of an existing folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/cli.js';
import { writeArtifacts, MARKER_FILE, MARKER_TEXT } from '../../src/output/write.js';

const artifacts = [
  { path: MARKER_FILE, content: `# ${MARKER_TEXT}\n` },
  { path: 'prometheus/rules/checkout.yml', content: 'groups: []\n' },
  { path: 'grafana/dashboards/teams/payments/checkout.json', content: '{}\n' },
];

/** Every folder and file under `root` (itself included) with its permission bits. */
function modes(root: string): Map<string, number> {
  const out = new Map<string, number>([['.', statSync(root).mode & 0o777]]);
  for (const e of readdirSync(root, { recursive: true, withFileTypes: true })) {
    const p = path.join(e.parentPath, e.name);
    out.set(path.relative(root, p), statSync(p).mode & 0o777);
  }
  return out;
}

for (const umask of [0o077, 0o027, 0o022]) {
  test(`generated folders end 0755 and files 0644 under umask ${umask.toString(8).padStart(3, '0')}, first write and replacement`, async (t) => {
    const parent = tempDir();
    const previous = process.umask(umask);
    t.after(() => {
      process.umask(previous);
      rmSync(parent, { recursive: true, force: true });
    });
    const out = path.join(parent, 'generated');
    for (const round of ['first', 'replace']) {
      await writeArtifacts(out, artifacts);
      const seen = modes(out);
      assert.equal(seen.size, 10, `${round}: ${[...seen.keys()].join(', ')}`);
      for (const [rel, mode] of seen) {
        const isFile = artifacts.some((a) => a.path === rel);
        assert.equal(mode.toString(8), isFile ? '644' : '755', `${round}: ${rel}`);
      }
      assert.equal(readFileSync(path.join(out, 'prometheus/rules/checkout.yml'), 'utf8'), 'groups: []\n');
      // Nothing of the staging or the old folder is left beside it.
      assert.deepEqual(readdirSync(parent), ['generated']);
    }
  });
}
