// Errors name the user's file, with line and column where the loader knows them, whether the
// user's package is ESM or CommonJS (tsx runs a .ts file as the package's "type" says, and the
// stack frames differ), and list every problem in one pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { cli, existsSync, writeTree } from '../helpers/cli.js';
import { binIn, linkBuiltSloforge } from '../helpers/built-cli.js';
import { baseConfig } from '../helpers/config.js';

const TYPES = ['module', 'commonjs'] as const;

/** A user's folder: package.json of the given type, sloforge linked into node_modules, `files` under slos/. */
function project(type: (typeof TYPES)[number], files: Record<string, string>): string {
  const tree: Record<string, string> = { 'package.json': JSON.stringify({ name: 'slos', private: true, type }) };
  for (const [rel, text] of Object.entries(files)) tree[`slos/${rel}`] = text;
  return linkBuiltSloforge(writeTree(tree));
}

const teams = JSON.stringify(baseConfig().teams);

// Errors point at the field itself: line 6, column 34 is `objective`, line 5 column 3 `team`.
const CHECKOUT = `import { defineService } from 'sloforge';

export const checkout = defineService({
  name: 'checkout',
  team: 'billing',
  slos: [{ name: 'availability', objective: 100, sli: { ratio: { errors: 'x_total{code="500"}', total: 'x_total' } } }],
});
`;

// Line 2, column 102: `warning`.
const THRESHOLDS = `import { defineThresholds } from 'sloforge';
export const thresholds = defineThresholds([{ name: 'cpu', expr: 'avg(rate(cpu_seconds_total[5m]))', warning: 90, critical: 80 }]);
`;

const INDEX = `import { defineConfig, defineService } from 'sloforge';
import { checkout } from './checkout.js';
import { thresholds } from './thresholds.js';

export default defineConfig({
  teams: ${teams},
  services: [checkout, defineService({ name: 'search', team: 'payments', thresholds })],
  remediations: [{ name: 'restart', action: { http: { url: 'http://127.0.0.1:1/restart' } } }],
});
`;

for (const type of TYPES) {
  test(`"type": "${type}": every problem names the file it is in, with line and column, in one list`, async () => {
    const dir = project(type, { 'index.ts': INDEX, 'checkout.ts': CHECKOUT, 'thresholds.ts': THRESHOLDS });
    const r = await binIn(dir, 'generate');
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stderr.trimEnd().split('\n');
    // The schema's problem and the cross-reference problems of the same run, together.
    assert.ok(
      lines.includes(
        'error: slos/checkout.ts:6:34: service "checkout" > SLO "availability" > field "objective": must be above 0 and below 100 (percent)',
      ),
      r.stderr,
    );
    assert.ok(
      lines.includes('slos/checkout.ts:5:3: service "checkout" > field "team": unknown team "billing" (teams: payments)'),
      r.stderr,
    );
    assert.ok(
      lines.some((l) => l.startsWith('slos/thresholds.ts:2:102: service "search" > threshold "cpu" > field "warning": ')),
      r.stderr,
    );
    assert.equal(lines.at(-1), `${lines.length - 1} problems; nothing was written`);
    assert.ok(!r.stderr.includes('translators'), r.stderr);
    assert.equal(existsSync(path.join(dir, 'generated')), false);
  });

  test(`"type": "${type}": a syntax error, a throw and a missing import name the file they are in`, async () => {
    const cases = [
      {
        file: 'checkout.ts',
        text: 'export const checkout = {\n  name: "checkout",\n  team: ,\n};\n',
        expect: /^error: slos\/checkout\.ts:3:9: could not be loaded: Unexpected ","$/m,
      },
      {
        file: 'checkout.ts',
        text: 'const x = 1;\nthrow new Error(`checkout.ts refuses to load (${x})`);\nexport const checkout = {};\n',
        expect: /^error: slos\/checkout\.ts:2:7: could not be loaded: checkout\.ts refuses to load \(1\)$/m,
      },
      {
        file: 'checkout.ts',
        text: "import { nope } from './nope.js';\nexport const checkout = nope;\n",
        expect: /^error: slos\/checkout\.ts: could not be loaded: Cannot find module '.*nope\.js'$/m,
      },
    ];
    await Promise.all(
      cases.map(async (c) => {
        const dir = project(type, {
          'index.ts': "import { checkout } from './checkout.js';\nexport default { teams: [], services: [checkout] };\n",
          [c.file]: c.text,
        });
        const r = await binIn(dir, 'generate');
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, c.expect);
        assert.ok(!r.stderr.includes('namespace='), r.stderr);
      }),
    );
  });
}

test('schema and cross-reference problems are listed together, ending with the count', async () => {
  const cfg = baseConfig();
  cfg.services[0].slos[0].objective = 0; // schema
  cfg.services[0].slos[1].alerting = { remediation: 'restart' }; // unknown remediation (cross-reference)
  cfg.services.push({ ...cfg.services[0], slos: [cfg.services[0].slos[1]] }); // duplicate name (cross-reference)
  cfg.teams.push({ name: 'search', page: { slack: {} } }); // schema: a broken team is not "unknown"...
  cfg.services.push({ name: 'search', team: 'search', slos: [] }); // ...so this reference is no second problem
  cfg.grafana = { folders: { nobody: 'Nobody' } }; // unknown team (cross-reference)
  const dir = writeTree({ 'slos/index.ts': `export default ${JSON.stringify(cfg)};\n` });
  const r = await cli('generate', '--slos', path.join(dir, 'slos'), '--out', path.join(dir, 'generated'));
  assert.equal(r.code, 1);
  const lines = r.stderr.trimEnd().split('\n');
  const expected = [
    'service "checkout" > SLO "availability" > field "objective": must be above 0',
    'team "search" > field "page.slack.apiUrlFile": is required',
    'service "checkout" > SLO "latency" > field "alerting.remediation": unknown remediation "restart"',
    'service "checkout" > field "name": duplicate service name "checkout"',
    'field "grafana.folders.nobody": unknown team "nobody"',
  ];
  for (const e of expected)
    assert.ok(
      lines.some((l) => l.includes(e)),
      `missing ${JSON.stringify(e)} in:\n${r.stderr}`,
    );
  assert.ok(!r.stderr.includes('unknown team "search"'), r.stderr);
  assert.equal(lines.at(-1), `${lines.length - 1} problems; nothing was written`);
});
