// `sloforge import ... --merge`: imported services next to the existing ones. The existing files
// stay byte for byte, their services compile to the same rules, clashes are refused, and
// index.ts is extended only where its shape is known (otherwise the lines to add are printed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cli, cliIn, writeTree } from '../helpers/cli.js';
import { baseConfig } from '../helpers/config.js';
import { FIXTURES, readTree } from './helpers.js';
import { editIndex } from '../../src/import/index-edit.js';

const cfg = baseConfig();
const TEAMS = `import type { TeamInput } from 'sloforge';\n\nexport const teams: TeamInput[] = ${JSON.stringify(cfg.teams, null, 2)};\n`;
const CHECKOUT = `export const checkout = ${JSON.stringify(cfg.services[0], null, 2)};\n`;
const INDEX = `// Our SLOs.
import { teams } from './teams.js';
import {
  checkout,
} from './checkout.js';

export default {
  teams,
  // more services soon: [ ] } {
  services: [
    checkout, // the shop
  ],
  grafana: { url: 'https://grafana.example.com' },
};
`;

/** A user's slos folder and what generate made of it before the merge. */
async function existing(index = INDEX) {
  const dir = writeTree({ 'slos/index.ts': index, 'slos/teams.ts': TEAMS, 'slos/checkout.ts': CHECKOUT });
  const gen = await cliIn(dir, 'generate', '--out', 'before');
  assert.equal(gen.code, 0, gen.stderr);
  return {
    dir,
    slos: path.join(dir, 'slos'),
    before: readTree(path.join(dir, 'slos')),
    rules: readFileSync(path.join(dir, 'before/prometheus/rules/checkout.yml'), 'utf8'),
  };
}

test('--merge adds the imported services next to the existing ones, which stay intact', async () => {
  const e = await existing();
  const r = await cliIn(e.dir, 'import', 'sloth', path.join(FIXTURES, 'sloth/gateway.yml'), '--out', 'slos', '--merge');
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /imported 1 service\(s\) and \d+ SLO\(s\) into slos next to its 1 service\(s\), with new team\(s\) edge in sloth-teams\.ts/,
  );
  assert.match(r.stdout, /slos\/index\.ts: added 2 import\(s\) and the services and teams/);
  const after = readTree(e.slos);
  assert.deepEqual(Object.keys(after), ['checkout.ts', 'gateway.ts', 'index.ts', 'sloth-teams.ts', 'teams.ts']);
  assert.equal(after['checkout.ts'], e.before['checkout.ts']);
  assert.equal(after['teams.ts'], e.before['teams.ts']);
  assert.equal(
    after['index.ts'],
    INDEX.replace(
      "} from './checkout.js';",
      "} from './checkout.js';\nimport { gatewayService } from './gateway.js';\nimport { slothTeams } from './sloth-teams.js';",
    )
      .replace('  teams,\n', '  teams: [...teams, ...slothTeams],\n')
      .replace('    checkout, // the shop\n', '    checkout, gatewayService, // the shop\n'),
  );
  const gen = await cliIn(e.dir, 'generate', '--out', 'after');
  assert.equal(gen.code, 0, gen.stderr);
  assert.match(gen.stdout, /2 service\(s\)/);
  // The existing service compiles to exactly what it did.
  assert.equal(readFileSync(path.join(e.dir, 'after/prometheus/rules/checkout.yml'), 'utf8'), e.rules);
});

test('an imported service of an existing name is refused and nothing is written; an existing team is joined', async () => {
  const e = await existing();
  const specs = writeTree({
    'checkout.yml': readFileSync(path.join(FIXTURES, 'sloth/gateway.yml'), 'utf8').replace(/^service: .*$/m, 'service: checkout'),
    'payments.yml': readFileSync(path.join(FIXTURES, 'sloth/gateway.yml'), 'utf8')
      .replace(/^service: .*$/m, 'service: ledger')
      .replace(/team: .*/, 'team: payments'),
  });
  const clash = await cliIn(e.dir, 'import', 'sloth', path.join(specs, 'checkout.yml'), '--out', 'slos', '--merge');
  assert.equal(clash.code, 1);
  assert.match(
    clash.stderr,
    /^error: slos\/index\.ts: service "checkout" exists already; the import would add a second one \(from .*checkout\.yml\)/,
  );
  assert.match(clash.stderr, /^1 problem; nothing was written$/m);
  assert.deepEqual(readTree(e.slos), e.before);

  const joined = await cliIn(e.dir, 'import', 'sloth', path.join(specs, 'payments.yml'), '--out', 'slos', '--merge');
  assert.equal(joined.code, 0, joined.stderr);
  assert.match(joined.stdout, /joining the existing team\(s\) payments; wrote ledger\.ts$/m);
  assert.deepEqual(Object.keys(readTree(e.slos)), ['checkout.ts', 'index.ts', 'ledger.ts', 'teams.ts']);
  assert.match(readTree(e.slos)['index.ts']!, /^  teams,$/m);
});

test('an index.ts of another shape is left alone: the new files are written and the lines to add printed', async () => {
  const index = `import { teams } from './teams.js';\nimport { checkout } from './checkout.js';\n\nconst config = { teams, services: [checkout] };\nexport default config;\n`;
  const e = await existing(index);
  const r = await cliIn(e.dir, 'import', 'sloth', path.join(FIXTURES, 'sloth/gateway.yml'), '--out', 'slos', '--merge');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readTree(e.slos)['index.ts'], index);
  assert.match(
    r.stdout,
    /slos\/index\.ts was left as it is .* Add:\n  import \{ gatewayService \} from '\.\/gateway\.js';\n  import \{ slothTeams \} from '\.\/sloth-teams\.js';\n  to services: gatewayService\n  to teams: \.\.\.slothTeams$/m,
  );
  assert.ok(readTree(e.slos)['gateway.ts']);
});

test('--merge needs a folder that loads, and no --force', async () => {
  const dir = writeTree({ 'slos/readme.md': 'nothing' });
  const none = await cliIn(dir, 'import', 'sloth', path.join(FIXTURES, 'sloth/gateway.yml'), '--out', 'slos', '--merge');
  assert.equal(none.code, 1);
  assert.match(none.stderr, /slos: --merge adds to a slos folder that loads, and this one does not:\nslos\/index\.ts: not found/);
  const both = await cli(
    'import',
    'sloth',
    path.join(FIXTURES, 'sloth/gateway.yml'),
    '--out',
    path.join(dir, 'slos'),
    '--merge',
    '--force',
  );
  assert.equal(both.code, 1);
  assert.match(both.stderr, /--merge and --force: choose one/);
});

test('editIndex: the shapes of index.ts it extends, and those it leaves alone', () => {
  const add = { imports: ["import { b } from './b.js';"], services: ['b'], teams: [] };
  const cases: Array<[string, string | undefined]> = [
    [
      "import { a } from './a.js';\nexport default defineConfig({ teams: [], services: [a] });\n",
      "import { a } from './a.js';\nimport { b } from './b.js';\nexport default defineConfig({ teams: [], services: [a, b] });\n",
    ],
    [
      'export default { teams: [], services: [] } satisfies ConfigInput;\n',
      "import { b } from './b.js';\n\nexport default { teams: [], services: [b] } satisfies ConfigInput;\n",
    ],
    [
      "import x from 'x';\nexport default { teams: [], 'services': all.filter((s) => s.on), };\n",
      "import x from 'x';\nimport { b } from './b.js';\nexport default { teams: [], 'services': [...(all.filter((s) => s.on)), b], };\n",
    ],
    [
      'export default { teams: [], services: [`services: [${x}]`, /* ] */ a /* last */] };\n',
      "import { b } from './b.js';\n\nexport default { teams: [], services: [`services: [${x}]`, /* ] */ a, b /* last */] };\n",
    ],
    ['const c = { services: [] };\nexport default c;\n', undefined],
    ['export default { teams: [], services: [a], services: [b] };\n', undefined],
    ['export default { teams: [], get services() { return []; } };\n', undefined],
  ];
  for (const [input, expected] of cases) assert.equal(editIndex(input, add), expected, input);
});
