// Warnings of the model that concern the remediation receiver.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelWarnings } from '../../src/model/warnings.js';
import { receiverThresholds } from '../../src/index.js';
import { baseConfig, modelOf } from '../helpers/config.js';

function withRemediation(): any {
  const raw = baseConfig();
  raw.grafana = { url: 'https://grafana.example', datasource: { url: 'http://prometheus.example:9090' } };
  raw.remediations = [{ name: 'restart', action: { http: { url: 'https://admin.example/restart' } } }];
  raw.services[0].slos[0].alerting = { remediation: 'restart' };
  raw.alertmanager = { remediation: { url: 'https://receiver.example:9095/alerts' } };
  return raw;
}

test('remediations without alerts on the receiver are a warning; receiverThresholds on any service answers it', () => {
  const warned = modelWarnings(modelOf(withRemediation()));
  assert.deepEqual(
    warned.map((w) => w.path.join('.')),
    ['remediations'],
  );
  assert.match(warned[0]!.message, /no threshold reads the receiver's sloforge_receiver_\* metrics.*receiverThresholds\(\{ job: /);

  const raw = withRemediation();
  raw.services.push({
    name: 'remediation-receiver',
    team: 'payments',
    slos: [],
    thresholds: receiverThresholds({ job: 'sloforge-receiver' }),
  });
  assert.deepEqual(modelWarnings(modelOf(raw)), []);
});

test('no warning without remediations that any alert triggers', () => {
  const raw = withRemediation();
  delete raw.services[0].slos[0].alerting;
  const paths = modelWarnings(modelOf(raw)).map((w) => w.path.join('.'));
  assert.deepEqual(paths, ['remediations.0'], 'only the unused-remediation warning');
});

test('receiverThresholds: names, the job in every selector, no no-data alert but on receiver-up, the window', () => {
  const list = receiverThresholds({ job: 'rx "q"', window: '1h' });
  assert.deepEqual(
    list.map((t) => t.name),
    ['receiver-up', 'remediation-failures', 'remediation-halted', 'receiver-persist-failures', 'receiver-log-skipped-lines'],
  );
  for (const t of list) assert.match(t.expr!, /job="rx \\"q\\""/, t.name);
  assert.deepEqual(
    list.filter((t) => t.noData?.enabled !== false).map((t) => t.name),
    ['receiver-up'],
  );
  assert.match(list[1]!.expr!, /\[1h\]/);
  // The remediation label never reaches an alert: it would ask the receiver to run it.
  for (const t of list.slice(1, 3)) assert.match(t.expr!, /label_replace\(.*"action", "\$1", "remediation"/, t.name);
});

test('remediations with no receiver URL are a warning naming the local stack default, unless the receiver runs in the cluster', () => {
  const raw = withRemediation();
  delete raw.alertmanager;
  raw.services.push({
    name: 'remediation-receiver',
    team: 'payments',
    slos: [],
    thresholds: receiverThresholds({ job: 'sloforge-receiver' }),
  });
  const warned = modelWarnings(modelOf(raw));
  assert.deepEqual(
    warned.map((w) => w.path.join('.')),
    ['alertmanager.remediation.url'],
  );
  assert.match(
    warned[0]!.message,
    /posts the alerts that name a remediation to http:\/\/sloforge-receiver:9095\/alerts, the local stack's receiver/,
  );
  raw.kubernetes = { namespace: 'monitoring', receiver: { image: 'registry.example.com/sloforge:1' } };
  assert.deepEqual(modelWarnings(modelOf(raw)), []);
});
