// Pyrra fields sloforge cannot carry over are refused per SLO, each naming the file, service, SLO
// and field with the reason, all in one run, and nothing is written; documents of the other
// formats are pointed at their command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { cli, existsSync, writeTree } from '../helpers/cli.js';

const slo = (name: string, spec: string, meta = '  namespace: api\n') => `apiVersion: pyrra.dev/v1alpha1
kind: ServiceLevelObjective
metadata:
  name: ${name}
${meta}spec:
${spec}`;

const ratio = `  indicator:
    ratio:
      errors: { metric: 'api_requests_total{code=~"5.."}' }
      total: { metric: api_requests_total }
`;

test('each field that cannot be carried over is refused with its reason, all in one run, and nothing is written', async () => {
  const dir = writeTree({
    'specs/slos.yaml': [
      slo('target-text', `  target: "ninety-nine"\n  window: 28d\n${ratio}`),
      slo('short-window', `  target: "99"\n  window: 12h\n${ratio}`),
      slo('two-kinds', `  target: "99"\n  window: 28d\n${ratio}    bool_gauge: { metric: up }\n`),
      slo(
        'rate-written',
        `  target: "99"\n  window: 28d\n  indicator:\n    ratio:\n      errors: { metric: 'sum(rate(api_requests_total{code=~"5.."}[5m]))' }\n      total: { metric: api_requests_total }\n`,
      ),
      slo(
        'native-bound',
        `  target: "99"\n  window: 28d\n  indicator:\n    latencyNative:\n      total: { metric: rpc_duration_seconds }\n      latency: fast\n`,
      ),
      slo('indicator-extra', `  target: "99"\n  window: 28d\n${ratio}      filter: { metric: up }\n`),
    ].join('---\n'),
  });
  const out = path.join(dir, 'slos');
  const r = await cli('import', 'pyrra', path.join(dir, 'specs'), '--out', out);
  assert.equal(r.code, 1, r.stdout);
  const at = (n: number, sloName: string, field: string) =>
    new RegExp(`slos\\.yaml \\(document ${n}\\): service "api" > SLO "${sloName}" > field "${field.replace(/[.[\]]/g, '\\$&')}": `);
  assert.match(r.stderr, new RegExp(at(1, 'target-text', 'spec.target').source + 'must be a number'));
  assert.match(r.stderr, new RegExp(at(2, 'short-window', 'spec.window').source + 'is 12h; sloforge periods are between 1d and 365d'));
  assert.match(
    r.stderr,
    new RegExp(
      at(3, 'two-kinds', 'spec.indicator').source +
        'must have exactly one of ratio, latency, latencyNative or bool_gauge, got ratio and bool_gauge',
    ),
  );
  assert.match(
    r.stderr,
    new RegExp(
      at(4, 'rate-written', 'spec.indicator.ratio.errors.metric').source + 'must be a series selector .*Pyrra applies rate\\(\\) itself',
    ),
  );
  assert.match(
    r.stderr,
    new RegExp(at(5, 'native-bound', 'spec.indicator.latencyNative.latency').source + 'must be a duration such as "200ms"'),
  );
  assert.match(r.stderr, new RegExp(at(6, 'indicator-extra', 'spec.indicator.ratio.filter').source + 'is unknown'));
  assert.match(r.stderr, /^6 problems; nothing was written$/m);
  assert.equal(existsSync(out), false);
});

test('labels: pyrra.dev/service names the service and pyrra.dev/team the team; without a namespace the service is "default", said in a note', async () => {
  const dir = writeTree({
    'specs/a.yaml': slo(
      'a',
      `  target: "99"\n  window: 28d\n${ratio}`,
      '  labels:\n    pyrra.dev/service: billing\n    pyrra.dev/team: money\n    pyrra.dev/severity: page\n  namespace: ns\n',
    ),
    'specs/b.yaml': slo('b', `  target: "99"\n  window: 28d\n${ratio}`, ''),
  });
  const r = await cli('import', 'pyrra', path.join(dir, 'specs'), '--out', path.join(dir, 'slos'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /imported 2 service\(s\) and 2 SLO\(s\)/);
  assert.match(r.stderr, /b\.yaml: service "default" > field "metadata\.namespace": not set: service "default"/);
  assert.match(
    r.stderr,
    /a\.yaml: service "billing" > SLO "a" > field "metadata\.labels\.pyrra\.dev\/severity": label "severity" dropped: sloforge sets it itself on every alert/,
  );
});

test('other formats are named with their command, and a folder without Pyrra SLOs says which command fits', async () => {
  const dir = writeTree({
    'specs/sloth.yml': 'version: prometheus/v1\nservice: api\nslos: []\n',
    'specs/pyrra.yaml': slo('a', `  target: "99"\n  window: 28d\n${ratio}`),
  });
  const asSloth = await cli('import', 'sloth', path.join(dir, 'specs/pyrra.yaml'), '--out', path.join(dir, 'x'));
  assert.equal(asSloth.code, 1);
  assert.match(asSloth.stderr, /no Sloth service specs found, but 1 Pyrra ServiceLevelObjective\(s\): use `sloforge import pyrra /);
  const asPyrra = await cli('import', 'pyrra', path.join(dir, 'specs/sloth.yml'), '--out', path.join(dir, 'y'));
  assert.equal(asPyrra.code, 1);
  assert.match(asPyrra.stderr, /no Pyrra ServiceLevelObjectives found, but 1 Sloth spec\(s\): use `sloforge import sloth /);
});
