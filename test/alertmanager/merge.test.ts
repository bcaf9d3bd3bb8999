// Merging sloforge's fragment into an existing alertmanager.yml (src/alertmanager/merge.ts):
// the existing file keeps what it had, comments included; clashes are refused; merging again
// replaces the earlier merge. amtool's view of the result: merge.tool.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { UserError } from '../../src/errors.js';
import { alertmanagerFragment, SLOFORGE_ALERTS_MATCHER } from '../../src/alertmanager/target.js';
import { mergeAlertmanager, type Fragment, type MergeInput } from '../../src/alertmanager/merge.js';
import { templateNames } from '../../src/alertmanager/cli.js';
import { TEMPLATE_TEXT } from '../../src/alertmanager/templates.js';
import { config, everyKind, EXISTING } from './helpers.js';
import { cli, writeTree } from '../helpers/cli.js';
import { baseConfig, configSource } from '../helpers/config.js';

const fragment = (input: unknown = everyKind) => JSON.parse(JSON.stringify(alertmanagerFragment(config(input as never)))) as Fragment;

function merge(existing: string, frag: Fragment = fragment(), theirs: MergeInput['templates']['theirs'] = []) {
  return mergeAlertmanager({
    existing,
    file: 'alertmanager.yml',
    fragment: frag,
    templatePath: 'sloforge/templates/sloforge.tmpl',
    templates: { ours: templateNames(TEMPLATE_TEXT), theirs },
  });
}

interface Am {
  route: { receiver: string; group_by: string[]; routes: Array<{ receiver: string; matchers: string[] }> };
  receivers: Array<{ name: string }>;
  inhibit_rules: Array<{ source_matchers: string[]; target_matchers: string[] }>;
  time_intervals?: Array<{ name: string }>;
  templates: string[];
  global: unknown;
}

test("the existing routes, receivers, inhibit rules and comments stay; sloforge's route goes first, for its alerts only", () => {
  const r = merge(EXISTING);
  const am = parse(r.text) as Am;
  const before = parse(EXISTING) as Am;
  assert.deepEqual(am.global, before.global);
  assert.equal(am.route.receiver, 'ops-email');
  assert.deepEqual(am.route.group_by, ['alertname', 'cluster']);
  assert.deepEqual(
    am.route.routes.map((x) => x.receiver),
    ['sloforge-default', 'db-pager'],
  );
  assert.deepEqual(am.route.routes[0]!.matchers, [SLOFORGE_ALERTS_MATCHER]);
  assert.deepEqual(am.receivers.slice(0, 2), before.receivers);
  assert.deepEqual(
    am.receivers.slice(2).map((x) => x.name),
    r.receivers,
  );
  assert.ok(r.receivers.includes('payments-page') && r.receivers.includes('sloforge-remediation'));
  assert.deepEqual(am.inhibit_rules[0], before.inhibit_rules[0]);
  for (const rule of am.inhibit_rules.slice(1)) {
    assert.equal(rule.source_matchers[0], SLOFORGE_ALERTS_MATCHER);
    assert.equal(rule.target_matchers[0], SLOFORGE_ALERTS_MATCHER);
  }
  assert.deepEqual(
    am.time_intervals!.map((t) => t.name),
    ['payments-maintenance', 'payments-business-hours'],
  );
  assert.deepEqual(am.templates, ['sloforge/templates/sloforge.tmpl']);
  for (const comment of ["# The platform team's Alertmanager.", '# everything unrouted', '# databases page their own on-call'])
    assert.ok(r.text.includes(comment), comment);
  assert.equal(r.replaced, false);
});

test('a comment above the first existing route stays above that route, merge after merge', () => {
  const once = merge(EXISTING);
  const lines = once.text.split('\n');
  const comment = lines.findIndex((l) => l.trim() === '# databases page their own on-call');
  assert.equal(lines[comment + 1]!.trim(), '- receiver: db-pager', once.text);
  // sloforge's own comment is above sloforge's route, not above the user's.
  const ours = lines.findIndex((l) => l.includes('# sloforge: its alerts'));
  assert.ok(ours < comment && lines.slice(ours, comment).some((l) => l.trim() === '- receiver: sloforge-default'), once.text);
  assert.equal(merge(once.text).text, once.text);
});

test('merging again replaces the earlier merge: the same text, and a team that is gone takes its receivers along', () => {
  const once = merge(EXISTING);
  const twice = merge(once.text);
  assert.equal(twice.text, once.text);
  assert.equal(twice.replaced, true);
  const smaller = { ...everyKind, teams: everyKind.teams.filter((t) => t.name === 'payments'), services: [] };
  const after = parse(merge(once.text, fragment(smaller)).text) as Am;
  const names = after.receivers.map((x) => x.name);
  assert.ok(!names.includes('automation-ticket'), names.join());
  assert.ok(names.includes('payments-page') && names.includes('ops-email') && names.includes('db-pager'));
  assert.equal(after.inhibit_rules.length, 1 + 4);
  assert.equal(after.templates.length, 1);
});

test('receivers and time intervals of the same name are refused, every one, and nothing is merged', () => {
  const existing = `${EXISTING}  - name: payments-page
    webhook_configs: [{ url: 'http://elsewhere.example.com/' }]
mute_time_intervals:
  - name: payments-maintenance
    time_intervals: [{ weekdays: [sunday] }]
`;
  assert.throws(
    () => merge(existing),
    (e: unknown) => {
      assert.ok(e instanceof UserError);
      const lines = e.message.split('\n');
      assert.match(lines[0]!, /^alertmanager\.yml: receiver "payments-page" exists already/);
      assert.match(lines[1]!, /^alertmanager\.yml: time interval "payments-maintenance" exists already/);
      assert.equal(lines[2], '2 problems; nothing was written');
      return true;
    },
  );
});

test('a template of the same name in the existing templates is refused', () => {
  assert.throws(
    () => merge(EXISTING, fragment(), [{ name: 'sloforge.title', file: 'templates/mine.tmpl' }]),
    /templates\/mine\.tmpl: defines template "sloforge\.title", which sloforge's sloforge\.tmpl defines too/,
  );
});

test('a file that is not an Alertmanager config is refused with where it went wrong', () => {
  assert.throws(
    () => merge('route: [\n'),
    /alertmanager\.yml:2:1: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a \]\n/,
  );
  assert.throws(() => merge('receivers: []\n'), /alertmanager\.yml: has no route/);
});

test('sloforge alertmanager merge writes in place (mode kept) or to --out, from the fragment generate wrote', async () => {
  const dir = writeTree({ 'slos/index.ts': configSource(baseConfig()), 'am/alertmanager.yml': EXISTING });
  const gen = await cli('generate', '--slos', path.join(dir, 'slos'), '--out', path.join(dir, 'generated'));
  assert.equal(gen.code, 0, gen.stderr);
  const file = path.join(dir, 'am/alertmanager.yml');
  chmodSync(file, 0o640);
  const fragmentFile = path.join(dir, 'generated/alertmanager/fragment.yml');
  const toOut = await cli(
    'alertmanager',
    'merge',
    '--into',
    file,
    '--fragment',
    fragmentFile,
    '--out',
    path.join(dir, 'am/merged.yml'),
    '--no-amtool',
  );
  assert.equal(toOut.code, 0, toOut.stderr);
  assert.equal(readFileSync(file, 'utf8'), EXISTING);
  const r = await cli('alertmanager', 'merge', '--into', file, '--fragment', fragmentFile, '--no-amtool');
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /^merged into .*alertmanager\.yml: sloforge's route .*, 3 receiver\(s\), 0 time interval\(s\), 4 inhibit rule\(s\), the template entry; not checked/,
  );
  assert.equal(statSync(file).mode & 0o777, 0o640);
  const am = parse(readFileSync(file, 'utf8')) as Am;
  // The generated template, named as Alertmanager resolves it from the merged file's folder.
  assert.deepEqual(
    am.templates.map((t) => path.resolve(path.dirname(file), t)),
    [path.join(dir, 'generated/alertmanager/templates/sloforge.tmpl')],
  );
  assert.equal(readFileSync(path.join(dir, 'am/merged.yml'), 'utf8'), readFileSync(file, 'utf8'));

  const missing = await cli('alertmanager', 'merge', '--into', file, '--fragment', path.join(dir, 'nowhere/fragment.yml'));
  assert.equal(missing.code, 1);
  assert.match(
    missing.stderr,
    /nowhere\/fragment\.yml: cannot read the Alertmanager fragment \(--fragment\): ENOENT; run `npx sloforge generate` first/,
  );
  writeFileSync(file, 'route: {}\nreceivers: [{ name: sloforge-default }]\n');
  const clash = await cli('alertmanager', 'merge', '--into', file, '--fragment', fragmentFile, '--no-amtool');
  assert.equal(clash.code, 1);
  assert.equal(readFileSync(file, 'utf8'), 'route: {}\nreceivers: [{ name: sloforge-default }]\n');
});

test("a root route without child routes gets sloforge's as its first; legacy mute_time_intervals stay", () => {
  const existing =
    'route:\n  receiver: all\nreceivers:\n  - name: all\nmute_time_intervals:\n  - name: weekend\n    time_intervals: [{ weekdays: [saturday, sunday] }]\n';
  const am = parse(merge(existing).text) as Am & { mute_time_intervals: Array<{ name: string }> };
  assert.deepEqual(
    am.route.routes.map((r) => r.receiver),
    ['sloforge-default'],
  );
  assert.deepEqual(
    am.mute_time_intervals.map((t) => t.name),
    ['weekend'],
  );
  assert.deepEqual(
    am.time_intervals!.map((t) => t.name),
    ['payments-maintenance', 'payments-business-hours'],
  );
});
