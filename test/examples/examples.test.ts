// The configurations under examples/ are what users copy from, so each must compile without a
// warning and its committed generated/ must be exactly what `sloforge generate` writes (the
// `generate --check` of every example; `npm run golden:bless` rewrites them). The Sloth example's
// slos/ must still be what `sloforge import sloth` writes, but for the files it says it edited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { resolveModel } from '../../src/model/resolve.js';
import { modelWarnings } from '../../src/model/warnings.js';
import { targetWarnings } from '../../src/compile.js';
import { selectorWarnings } from '../../src/config/checks/selector-lint.js';
import { compileTree, examples, treeDifferences } from '../golden/tree.js';
import { cliIn, REPO, tempDir } from '../helpers/cli.js';

const all = examples();

test('the examples are there: minimal, Kubernetes with the Operator, grouped multi-tenant, imported from Sloth', () => {
  assert.deepEqual(
    all.map((e) => e.name),
    ['examples/grouped-multi-tenant', 'examples/kubernetes-operator', 'examples/minimal', 'examples/sloth-import'],
  );
});

for (const example of all) {
  test(`${example.name}: generated/ is current`, async () => {
    const differences = await treeDifferences(example.expected, (await compileTree(example)).artifacts);
    assert.deepEqual(
      differences,
      [],
      `${example.name}/generated is stale (npm run golden:bless -- ${path.basename(path.dirname(example.slos))}):\n  ${differences.join('\n  ')}`,
    );
  });

  test(`${example.name}: compiles without a warning`, async () => {
    const { config } = await loadConfig(example.slos);
    const model = resolveModel(config);
    const warnings = [...modelWarnings(model), ...targetWarnings(model), ...selectorWarnings(config)];
    assert.deepEqual(
      warnings.map((w) => `${w.path.join('.')}: ${w.message}`),
      [],
    );
  });
}

test('examples/sloth-import: slos/ is what `sloforge import sloth` writes from sloth/, but for index.ts and teams.ts, edited after the import', async () => {
  const dir = path.join(REPO, 'examples/sloth-import');
  const out = path.join(tempDir(), 'slos');
  // From the example's folder, as its README says to run it: the headers name the specs by that path.
  const r = await cliIn(dir, 'import', 'sloth', 'sloth', '--out', out);
  assert.equal(r.code, 0, r.stderr);
  const committed = readdirSync(path.join(dir, 'slos')).sort();
  assert.deepEqual(readdirSync(out).sort(), committed);
  const edited = ['index.ts', 'teams.ts'];
  for (const file of committed.filter((f) => !edited.includes(f))) {
    assert.equal(
      readFileSync(path.join(out, file), 'utf8'),
      readFileSync(path.join(dir, 'slos', file), 'utf8'),
      `examples/sloth-import/slos/${file} differs from the import`,
    );
  }
  for (const file of edited)
    assert.match(
      readFileSync(path.join(dir, 'slos', file), 'utf8'),
      /^\/\/ Imported from sloth by `sloforge import`, then edited: /,
      `${file} says what was edited`,
    );
});
