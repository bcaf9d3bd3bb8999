// The written folder: deterministic, type-checked TypeScript; never written over without --force;
// names kept, or renamed only when sloforge cannot take them, and then said.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { cli, REPO, writeTree } from '../helpers/cli.js';
import { FIXTURES, readTree, userProject } from './helpers.js';

test('importing twice writes the same bytes', async () => {
  const dir = userProject();
  const a = await cli('import', 'sloth', path.join(FIXTURES, 'sloth'), '--out', path.join(dir, 'a'));
  const b = await cli('import', 'sloth', path.join(FIXTURES, 'sloth'), '--out', path.join(dir, 'b'));
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  assert.deepEqual(readTree(path.join(dir, 'a')), readTree(path.join(dir, 'b')));
  assert.deepEqual(Object.keys(readTree(path.join(dir, 'a'))), [
    'checkout.ts',
    'gateway.ts',
    'index.ts',
    'search-indexer.ts',
    'search.ts',
    'teams.ts',
  ]);
});

test('a non-empty --out folder is refused unless --force', async () => {
  const dir = userProject();
  const out = path.join(dir, 'slos');
  mkdirSync(out);
  writeFileSync(path.join(out, 'mine.ts'), 'export {};\n');
  const refused = await cli('import', 'sloth', path.join(FIXTURES, 'sloth/checkout.yml'), '--out', out);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /slos: folder is not empty; .*--force/);
  assert.deepEqual(Object.keys(readTree(out)), ['mine.ts']);
  const forced = await cli('import', 'sloth', path.join(FIXTURES, 'sloth/checkout.yml'), '--out', out, '--force');
  assert.equal(forced.code, 0, forced.stderr);
  assert.deepEqual(Object.keys(readTree(out)), ['checkout.ts', 'index.ts', 'mine.ts', 'teams.ts']);
});

test('the written folders type-check against sloforge', async () => {
  const dir = userProject();
  for (const kind of ['sloth', 'openslo'] as const) {
    const r = await cli('import', kind, path.join(FIXTURES, kind), '--out', path.join(dir, kind));
    assert.equal(r.code, 0, r.stderr);
  }
  const tsconfig = JSON.parse(readFileSync(path.join(REPO, 'tsconfig.json'), 'utf8'));
  tsconfig.include = ['sloth', 'openslo'];
  tsconfig.compilerOptions.typeRoots = [path.join(REPO, 'node_modules/@types')];
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  // The program `tsc -p` would build, asked for the diagnostics of the written files and of the
  // program as a whole, not for those of sloforge's sources they import: the tsc run beside the
  // tests checks those, under the same options. They are still parsed and bound (the written
  // files' types come from them), but no longer checked a second time.
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.join(dir, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
    },
  )!;
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  const written = program.getSourceFiles().filter((sf) => !path.relative(dir, sf.fileName).startsWith('..'));
  assert.deepEqual(
    written.map((sf) => path.relative(dir, sf.fileName).split('/')[0]).filter((d, i, all) => all.indexOf(d) === i),
    ['sloth', 'openslo'],
  );
  const diagnostics = [
    ...parsed.errors,
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...written.flatMap((sf) => [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]),
  ];
  assert.equal(
    ts.formatDiagnostics(diagnostics, { getCurrentDirectory: () => dir, getCanonicalFileName: (f) => f, getNewLine: () => '\n' }),
    '',
  );
});

test('a name sloforge cannot take is renamed and the rename is reported', async () => {
  const specs = writeTree({
    'specs/api.yml': `version: prometheus/v1
service: Payments_API
labels:
  owner: Team Payments
slos:
  - name: availability
    objective: 99.9
    sli:
      events:
        error_query: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))
        total_query: sum(rate(http_requests_total[{{.window}}]))
`,
  });
  const dir = userProject();
  const out = path.join(dir, 'slos');
  const r = await cli('import', 'sloth', path.join(specs, 'specs'), '--out', out);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /api\.yml: service "payments-api" > field "service": service name "Payments_API" is not valid in sloforge \(\[a-z\]\[a-z0-9-\]\*\): renamed to "payments-api"/,
  );
  assert.match(r.stderr, /field "labels\.owner": team name "Team Payments" .*renamed to "team-payments"/);
  const file = readFileSync(path.join(out, 'payments-api.ts'), 'utf8');
  assert.match(file, /^\/\/ - service name "Payments_API" is not valid/m);
  assert.match(file, /name: "availability"/);
  const gen = await cli('generate', '--slos', out, '--out', path.join(dir, 'generated'));
  assert.equal(gen.code, 0, gen.stderr);
});

test('services spread over several specs are merged; a duplicate SLO is an error', async () => {
  const spec = (slo: string) => `version: prometheus/v1
service: api
slos:
  - name: ${slo}
    objective: 99
    sli:
      events:
        error_query: sum(rate(e_total[{{.window}}]))
        total_query: sum(rate(t_total[{{.window}}]))
`;
  const ok = writeTree({ 'a.yml': spec('one'), 'b.yml': spec('two') });
  const dir = userProject();
  const r = await cli('import', 'sloth', ok, '--out', path.join(dir, 'ok'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(readFileSync(path.join(dir, 'ok/api.ts'), 'utf8'), /name: "one"[\s\S]*name: "two"/);

  const clash = writeTree({ 'a.yml': spec('one'), 'b.yml': spec('two').replace('service: api', 'service: API') });
  const renamedInto = await cli('import', 'sloth', clash, '--out', path.join(dir, 'clash'));
  assert.equal(renamedInto.code, 1);
  assert.match(renamedInto.stderr, /b\.yml: service "api": service "API" and service "api" would both be named "api" in sloforge/);

  const dup = writeTree({ 'a.yml': spec('one'), 'b.yml': spec('one') });
  const bad = await cli('import', 'sloth', dup, '--out', path.join(dir, 'dup'));
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /b\.yml: service "api" > SLO "one": duplicate SLO name "one" in service "api"/);
});
