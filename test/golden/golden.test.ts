// Every golden case compiled in-process and compared byte for byte with its committed tree: a
// change to any generated file fails here, named with its first changed line, until the case is
// re-blessed (`npm run golden:bless`, CONTRIBUTING.md) and the diff reviewed. The warnings and
// notes `generate` prints for the case are pinned the same way (notices.txt, empty when none).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { compileTree, goldenCases, treeDifferences, type TreeOutput } from './tree.js';

const cases = goldenCases();

test('golden cases exist', () => {
  assert.ok(cases.length > 0, 'no test/golden/<case>/slos/index.ts found');
});

for (const tree of cases) {
  // One compile serves both tests of the case.
  let output: Promise<TreeOutput> | undefined;
  const compiled = () => (output ??= compileTree(tree));
  test(`${tree.name}: output is byte-identical to ${tree.name}/expected`, async () => {
    const differences = await treeDifferences(tree.expected, (await compiled()).artifacts);
    assert.deepEqual(
      differences,
      [],
      `${tree.name} differs from its committed tree (if the change is intended: npm run golden:bless -- ${tree.name.split('/')[1]}):\n  ${differences.join('\n  ')}`,
    );
  });
  test(`${tree.name}: generate's warnings and notes are those of ${tree.name}/notices.txt`, async () => {
    const committed = existsSync(tree.notices!) ? readFileSync(tree.notices!, 'utf8') : undefined;
    assert.equal(
      (await compiled()).notices,
      committed,
      `${tree.name}'s warnings and notes changed (if intended: npm run golden:bless -- ${tree.name.split('/')[1]})`,
    );
  });
}
