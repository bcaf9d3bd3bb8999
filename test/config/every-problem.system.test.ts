// A new user's everyday mistakes, all at once, in a realistic slos/ folder (define* helpers in one
// file, plain object literals in another): one run lists every one of them (schema, duplicate
// name, reference, test series) and the warnings next to them, each at the file, line and column
// of the field it is about, exits 1 and writes nothing. Then, fixed, the same folder generates
// and still warns about what is legal but suspicious, again at the field; those warnings go when
// the selectors say they are meant, and --strict refuses the ones that remain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { existsSync, writeTree } from '../helpers/cli.js';
import { binIn, linkBuiltSloforge } from '../helpers/built-cli.js';

const SEARCH = `import { defineService } from 'sloforge';

const requests = 'http_requests_total{job="search-api"}';

export const search = defineService({
  name: 'search-api',
  team: 'search',
  slos: [
    {
      name: 'availability',
      objective: 0.999,
      sli: {
        ratio: {
          errors: 'http_requests_total{job="search-api",code="5.."}',
          total: 'http_requests_total{job="serach-api"}',
        },
      },
    },
    {
      name: 'availability',
      objective: 99,
      sli: { ratio: { errors: 'http_errors_total{job="search-api"}', total: requests } },
      alerting: { remediation: 'restart-serch' },
    },
  ],
});
`;

const INDEX = `import { defineConfig } from 'sloforge';
import { search } from './search.js';

export default defineConfig({
  teams: [
    {
      name: 'search',
      page: { pagerduty: { routingKeyFile: '/etc/alertmanager/secrets/pd' } },
      ticket: { slack: { apiUrlFile: '/etc/alertmanager/secrets/slack', channel: '#search' } },
    },
  ],
  grafana: { url: 'https://grafana.example', datasource: { uid: 'prom', provision: false } },
  services: [search],
  remediations: [{ name: 'restart-search', action: { http: { url: 'http://127.0.0.1:9/restart' } } }],
});
`;

/** `file:line:column` of the `nth` (0-based) occurrence of `needle` in `text`. */
function at(file: string, text: string, needle: string, nth = 0): string {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  assert.notEqual(i, -1, `${needle} in ${file}`);
  const before = text.slice(0, i).split('\n');
  return `${file}:${before.length}:${before.at(-1)!.length + 1}`;
}

test('one run lists every mistake at its field, with the warnings, and writes nothing; fixed, it generates and warns at the field', async () => {
  const dir = linkBuiltSloforge(writeTree({ 'package.json': '{"type":"module"}', 'slos/index.ts': INDEX, 'slos/search.ts': SEARCH }));
  const r = await binIn(dir, 'generate');
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stderr.trimEnd().split('\n');
  const s = (needle: string, nth = 0) => at('slos/search.ts', SEARCH, needle, nth);
  const first = 'service "search-api" > SLO "availability"';
  const expected = [
    `error: ${s('objective: 0.999')}: ${first} > field "objective": is 0.999, which reads as 0.999% (an error budget of 99.001%): objective is a percentage, not a ratio (did you mean 99.9?)`,
    `${s("name: 'availability'", 1)}: ${first} > field "name": duplicate SLO name "availability" (also #1)`,
    `${s("remediation: 'restart-serch'")}: ${first} > field "alerting.remediation": unknown remediation "restart-serch" (declare it under remediations)`,
    `warning: ${s("errors: 'http_requests_total")}: ${first} > field "sli.ratio.errors": compares code="5.." with =, which takes the value literally, but "5.." looks like a regular expression: no series has that label value, so this matches nothing; write code=~"5.."`,
    `warning: ${s("errors: 'http_errors_total")}: ${first} > field "sli.ratio.errors": reads http_errors_total but sli.ratio.total reads http_requests_total: a ratio usually counts its failed events and all events on one metric (http_requests_total{...}), and two names are often a typo in one of them; if they are meant to differ, say so with sli.ratio.distinctMetrics: true`,
  ];
  for (const e of expected) assert.ok(lines.includes(e), `missing:\n${e}\nin:\n${r.stderr}`);
  // The misspelt job is in total, and total is blamed; errors is not.
  assert.ok(
    lines.includes(
      `${s("total: 'http_requests_total")}: ${first} > field "sli.ratio.total": cannot build test series for this selector: it must also count the events of sli.ratio.errors, but cannot find a value for label "job" that matches ="search-api" and ="serach-api"`,
    ),
    r.stderr,
  );
  assert.ok(!r.stderr.includes('field "sli.ratio.errors": cannot build'), r.stderr);
  // The SLO with the bad objective fails the schema, and its test series are still checked.
  assert.equal(lines.at(-1), '4 problems; nothing was written');
  assert.equal(existsSync(path.join(dir, 'generated')), false);

  // Fixed, except the two legal but suspicious selectors: generate succeeds and warns at them.
  const fixed = SEARCH.replace('objective: 0.999', 'objective: 99.9')
    .replace('serach-api', 'search-api')
    .replace("name: 'availability',\n      objective: 99,", "name: 'errors',\n      objective: 99,")
    .replace('restart-serch', 'restart-search');
  writeFileSync(path.join(dir, 'slos/search.ts'), fixed);
  const ok = await binIn(dir, 'generate');
  assert.equal(ok.code, 0, ok.stderr);
  const f = (needle: string) => at('slos/search.ts', fixed, needle);
  assert.ok(
    ok.stderr.includes(`warning: ${f("errors: 'http_requests_total")}: ${first} > field "sli.ratio.errors": compares code="5.." with =`),
    ok.stderr,
  );
  assert.ok(
    ok.stderr.includes(
      `warning: ${f("errors: 'http_errors_total")}: service "search-api" > SLO "errors" > field "sli.ratio.errors": reads http_errors_total`,
    ),
    ok.stderr,
  );

  // Said on purpose, the second warning goes; =~ silences the first. The remediation warnings
  // remain, so --strict (asked here rather than in a run of its own) still exits 1 and writes nothing.
  writeFileSync(
    path.join(dir, 'slos/search.ts'),
    fixed.replace('code="5.."', 'code=~"5.."').replace('total: requests }', 'total: requests, distinctMetrics: true }'),
  );
  const quiet = await binIn(dir, 'generate', '--strict', '--out', 'strict');
  assert.equal(quiet.code, 1, quiet.stderr);
  assert.match(quiet.stderr, /warning: /, 'the remediation warnings remain');
  assert.doesNotMatch(quiet.stderr, /field "sli\./);
  assert.match(quiet.stderr, /^\d+ warning\(s\) and --strict: nothing was written$/m);
  assert.equal(existsSync(path.join(dir, 'strict')), false);
});
