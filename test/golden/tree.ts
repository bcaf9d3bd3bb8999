// Golden trees: a config folder compiled in-process and compared byte for byte with the tree
// committed beside it. Shared by the golden cases (test/golden/<case>/) and the examples
// (examples/<name>/), and by `npm run golden:bless`, which rewrites both trees.
import { existsSync, promises as fs, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load.js';
import { compileModel } from '../../src/compile.js';
import type { Artifact } from '../../src/output/artifact.js';
import { resolveModel } from '../../src/model/resolve.js';
import { ruleSet } from '../../src/prometheus/target.js';
import { generateNotices } from '../../src/generate-notices.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface GoldenTree {
  /** Shown in test names and bless output, e.g. `golden/sli-ratio` or `examples/minimal`. */
  name: string;
  /** The folder whose index.ts default-exports the config. */
  slos: string;
  /** The committed output of that config. */
  expected: string;
  /** The committed warnings and notes `generate` prints for it (golden cases only). */
  notices?: string;
}

function treesUnder(base: string, kind: string, outDir: string): GoldenTree[] {
  const dir = path.join(ROOT, base);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, 'slos', 'index.ts')))
    .map((e) => ({
      name: `${kind}/${e.name}`,
      slos: path.join(dir, e.name, 'slos'),
      expected: path.join(dir, e.name, outDir),
      ...(kind === 'golden' ? { notices: path.join(dir, e.name, 'notices.txt') } : {}),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** test/golden/<case>/slos -> test/golden/<case>/expected. */
export const goldenCases = (): GoldenTree[] => treesUnder('test/golden', 'golden', 'expected');

/** examples/<name>/slos -> examples/<name>/generated, as `npx sloforge generate` writes it there. */
export const examples = (): GoldenTree[] => treesUnder('examples', 'examples', 'generated');

export interface TreeOutput {
  /** What `sloforge generate` would write for the tree's config (loading validates it). */
  artifacts: Artifact[];
  /**
   * The warnings and notes it prints, with paths relative to the repository, one per line; empty
   * when it prints none.
   */
  notices: string;
}

/** The tree's config loaded, resolved and compiled once, as `generate` does. */
export async function compileTree(tree: GoldenTree): Promise<TreeOutput> {
  const loaded = await loadConfig(tree.slos);
  const model = resolveModel(loaded.config);
  const rules = ruleSet(model);
  const { warnings, notes } = generateNotices(loaded, model, rules);
  const lines = [...warnings, ...notes].map((l) => l.split(`${ROOT}${path.sep}`).join(''));
  return { artifacts: compileModel(model, rules), notices: lines.length === 0 ? '' : `${lines.join('\n')}\n` };
}

async function listFiles(dir: string, rel = ''): Promise<string[]> {
  if (!existsSync(path.join(dir, rel))) return [];
  const out: string[] = [];
  for (const e of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, p)));
    else out.push(p);
  }
  return out;
}

/** Where two texts first differ, as a line number and both lines, so a failure shows the change. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i])
      return `line ${i + 1}:\n      expected: ${JSON.stringify(a[i] ?? '<end of file>')}\n      actual:   ${JSON.stringify(b[i] ?? '<end of file>')}`;
  }
  return 'same lines, different bytes';
}

/** Every difference between the committed tree and the artifacts, one line per file; none when they match byte for byte. */
export async function treeDifferences(expectedDir: string, artifacts: readonly Artifact[]): Promise<string[]> {
  const present = new Set(await listFiles(expectedDir));
  const problems: string[] = [];
  for (const a of artifacts) {
    if (!present.delete(a.path)) {
      problems.push(`missing: ${a.path}`);
      continue;
    }
    const committed = await fs.readFile(path.join(expectedDir, a.path));
    if (!committed.equals(Buffer.from(a.content, 'utf8'))) {
      problems.push(`changed: ${a.path}, ${firstDifference(committed.toString('utf8'), a.content)}`);
    }
  }
  for (const extra of [...present].sort()) problems.push(`extra:   ${extra} (no longer generated)`);
  return problems;
}
