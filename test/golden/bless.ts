// `npm run golden:bless [-- NAME...]`: rewrites the committed trees of the golden cases
// (test/golden/<case>/expected/) and the examples (examples/<name>/generated/) from their
// configs, and says which files changed. Without a name, every tree; a name is a case or example
// folder name (`sli-ratio`, `minimal`). Review the diff before committing it: a blessed tree is
// what the tests then hold the compiler to.
import path from 'node:path';
import { writeArtifacts } from '../../src/output/write.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { compileTree, examples, goldenCases, treeDifferences } from './tree.js';

const wanted = process.argv.slice(2);
const all = [...goldenCases(), ...examples()];
const trees =
  wanted.length === 0 ? all : all.filter((t) => wanted.includes(path.basename(path.dirname(t.slos))) || wanted.includes(t.name));
const unknown = wanted.filter((w) => !all.some((t) => t.name === w || path.basename(path.dirname(t.slos)) === w));
if (unknown.length > 0) {
  console.error(`no golden case or example named ${unknown.join(', ')}; there are: ${all.map((t) => t.name).join(', ')}`);
  process.exit(2);
}
let changed = 0;
for (const tree of trees) {
  const { artifacts, notices } = await compileTree(tree);
  if (tree.notices !== undefined && (!existsSync(tree.notices) || readFileSync(tree.notices, 'utf8') !== notices)) {
    writeFileSync(tree.notices, notices);
    changed++;
    console.log(`${tree.name}: notices.txt rewritten`);
  }
  const differences = await treeDifferences(tree.expected, artifacts);
  if (differences.length === 0) continue;
  changed++;
  await writeArtifacts(tree.expected, artifacts);
  console.log(`${tree.name}: ${differences.length} file(s) rewritten\n${differences.map((d) => `  ${d.split('\n')[0]}`).join('\n')}`);
}
console.log(`${trees.length} tree(s) checked, ${changed} rewritten${changed > 0 ? ': review `git diff` before committing' : ''}`);
