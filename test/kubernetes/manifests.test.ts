// The Kubernetes target: every object validates against the Prometheus Operator's CRD schemas
// and the core object shapes, a broken object fails that validation, and each object holds what
// the plain outputs hold (rule groups, routes, dashboards, actions) with secrets as references.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compile } from '../../src/compile.js';
import { validateConfig } from '../../src/config/validate.js';
import { cli, REPO, writeTree } from '../helpers/cli.js';
import { configSource, modelOf, problemsOf } from '../helpers/config.js';
import { modelWarnings } from '../../src/model/warnings.js';
import { artifact, compileConfig, everyOption, k8sConfig, manifests, NAMESPACE, ofKind, yaml, type Manifest } from './fixture.js';
import { manifestProblems } from './schemas.js';
import { plainRules } from '../helpers/engines.js';

const exampleArtifacts = async () => {
  const mod = (await import(path.join(REPO, 'slos/index.ts'))) as { default: unknown };
  return compile(validateConfig(mod.default));
};

function assertValid(list: readonly Manifest[]): void {
  assert.ok(list.length > 0, 'no manifests');
  for (const m of list) assert.deepEqual(manifestProblems(m.object), [], m.path);
}

test('every object of the example config and of a config using every option validates against the CRDs and core shapes', async () => {
  const example = manifests(await exampleArtifacts());
  assertValid(example);
  const every = manifests(compileConfig(everyOption()));
  assertValid(every);
  const kinds = new Set(every.map((m) => `${m.object.apiVersion}/${m.object.kind}`));
  for (const k of [
    'monitoring.coreos.com/v1/PrometheusRule',
    'monitoring.coreos.com/v1alpha1/AlertmanagerConfig',
    'v1/ConfigMap',
    'apps/v1/Deployment',
    'v1/Service',
    'v1/PersistentVolumeClaim',
    'v1/ServiceAccount',
    'rbac.authorization.k8s.io/v1/Role',
    'rbac.authorization.k8s.io/v1/RoleBinding',
    'monitoring.coreos.com/v1/ServiceMonitor',
  ]) {
    assert.ok(kinds.has(k), `no ${k} generated`);
  }
  // The checked-in generated/ folder is what the example compiles to (generate --check covers it).
  for (const m of example) assert.equal(readFileSync(path.join(REPO, 'generated', m.path), 'utf8'), m.content, m.path);
});

test('a broken object fails validation', () => {
  const list = manifests(compileConfig(everyOption()));
  const broken = (kind: string, edit: (o: any) => void) => {
    // The payments team's objects have every part (child routes, time intervals).
    const o = structuredClone(
      (ofKind(list, kind).find((m) => m.object.metadata.name === 'sloforge-payments') ?? ofKind(list, kind)[0]!).object,
    );
    assert.deepEqual(manifestProblems(o), []);
    edit(o);
    return manifestProblems(o);
  };
  // CRD schemas: a field of alertmanager.yml's spelling, an unknown match type, a child route
  // (free-form in the CRD) with a bad duration, a group without name, a bad `for`.
  assert.match(
    broken('AlertmanagerConfig', (o) => {
      o.spec.receivers[0].slack_configs = [];
    }).join('\n'),
    /additional properties.*slack_configs/,
  );
  assert.match(
    broken('AlertmanagerConfig', (o) => {
      o.spec.route.matchers[0].matchType = '==';
    }).join('\n'),
    /allowed values/,
  );
  assert.match(
    broken('AlertmanagerConfig', (o) => {
      o.spec.route.routes[0].groupWait = '10 seconds';
    }).join('\n'),
    /routes\/0\/groupWait must match pattern/,
  );
  assert.match(
    broken('AlertmanagerConfig', (o) => {
      o.spec.muteTimeIntervals[0].timeIntervals[0].weekdays = ['someday'];
    }).join('\n'),
    /weekdays\/0 must match pattern/,
  );
  assert.match(
    broken('PrometheusRule', (o) => {
      delete o.spec.groups[0].name;
    }).join('\n'),
    /must have required property 'name'/,
  );
  assert.match(
    broken('PrometheusRule', (o) => {
      o.spec.groups[0].rules.find((r: any) => r.alert).for = '5 minutes';
    }).join('\n'),
    /for must match pattern/,
  );
  // Core shapes.
  assert.match(
    broken('Deployment', (o) => {
      o.spec.replicas = 'one';
    }).join('\n'),
    /replicas must be integer/,
  );
  assert.match(
    broken('Service', (o) => {
      o.spec.ports[0].port = 'http';
    }).join('\n'),
    /port must be integer/,
  );
  assert.match(
    broken('ConfigMap', (o) => {
      o.data = { 'a.json': 1 };
    }).join('\n'),
    /must be string/,
  );
  assert.match(
    broken('ServiceMonitor', (o) => {
      o.spec.endpoints[0].interval = '30 seconds';
    }).join('\n'),
    /interval must match pattern/,
  );
  assert.match(
    broken('PersistentVolumeClaim', (o) => {
      delete o.metadata.namespace;
    }).join('\n'),
    /metadata.namespace must be set/,
  );
  assert.match(
    manifestProblems({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'y' } }).join('\n'),
    /no validator for v1\/Pod/,
  );
});

test('each PrometheusRule holds exactly the groups of the plain rule file, with the namespace and labels', () => {
  for (const cfg of [k8sConfig(), everyOption()]) {
    const artifacts = compileConfig(cfg);
    const rules = ofKind(manifests(artifacts), 'PrometheusRule');
    const plain = Object.entries(plainRules(artifacts));
    assert.equal(rules.length, plain.length);
    for (const [file, { groups }] of plain) {
      const service = path.basename(file, '.yml');
      const rule = rules.find((r) => r.object.metadata.name === `sloforge-${service}`);
      assert.ok(rule, `no PrometheusRule for ${service}`);
      assert.deepEqual(rule.object.spec.groups, groups, service);
      // The CRD lists groups as a map keyed by name (x-kubernetes-list-type: map).
      const names = rule.object.spec.groups.map((g: any) => g.name);
      assert.equal(new Set(names).size, names.length);
      assert.equal(rule.object.metadata.namespace, cfg.kubernetes.namespace);
      for (const [k, v] of Object.entries(cfg.kubernetes.labels as Record<string, string>)) assert.equal(rule.object.metadata.labels[k], v);
      assert.equal(rule.object.metadata.labels['app.kubernetes.io/managed-by'], 'sloforge');
    }
  }
});

test('every rule carries the namespace label the Operator routes AlertmanagerConfigs by, unless turned off', () => {
  const labelled = (cfg: unknown) => {
    const artifacts = compileConfig(cfg);
    const rules = artifacts
      .filter((a) => a.path.startsWith('prometheus/rules/'))
      .flatMap((a) => yaml(a.content).groups.flatMap((g: any) => g.rules));
    // Alerts take it from the recorded series they compare, as the generated promtool tests
    // assert: every ALERTS sample they expect carries it.
    const alerts = artifacts
      .filter((a) => a.path.startsWith('prometheus/tests/'))
      .flatMap((a) => a.content.match(/\{__name__="ALERTS"[^}]*\}/g) ?? []);
    assert.ok(alerts.length > 0);
    return {
      records: rules.filter((r: any) => r.record).map((r: any) => r.labels?.namespace),
      alerts: alerts.map((a) => /namespace="([^"]*)"/.exec(a)?.[1]),
    };
  };
  const on = labelled(k8sConfig());
  assert.deepEqual([...new Set([...on.records, ...on.alerts])], [NAMESPACE]);
  const off = k8sConfig();
  off.kubernetes.alertmanagerConfig = { namespaceLabel: false };
  const offLabels = labelled(off);
  assert.deepEqual([...new Set([...offLabels.records, ...offLabels.alerts])], [undefined]);
});

/** A route of alertmanager.yml as the AlertmanagerConfig spells it (matchers as text again). */
function amRoute(r: any): any {
  const matcher = (m: any) => `${m.name}${m.matchType}${JSON.stringify(m.value)}`;
  const out: any = {
    receiver: r.receiver,
    matchers: r.matchers?.map(matcher),
    group_by: r.groupBy,
    group_wait: r.groupWait,
    group_interval: r.groupInterval,
    repeat_interval: r.repeatInterval,
    continue: r.continue,
    mute_time_intervals: r.muteTimeIntervals,
    active_time_intervals: r.activeTimeIntervals,
    routes: r.routes?.map(amRoute),
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

test('each AlertmanagerConfig routes, inhibits and notifies as the team branch of alertmanager.yml does', () => {
  const artifacts = compileConfig(everyOption());
  const am = yaml(artifact(artifacts, 'alertmanager/alertmanager.yml').content);
  const configs = ofKind(manifests(artifacts), 'AlertmanagerConfig');
  assert.deepEqual(
    configs.map((c) => c.object.metadata.name),
    ['sloforge-payments', 'sloforge-automation', 'sloforge-ml-platform', 'sloforge-no-receivers'].sort(),
  );
  for (const c of configs) {
    const team = c.object.metadata.name.replace(/^sloforge-/, '');
    const branch = am.route.routes.find((r: any) => r.matchers[0] === `team="${team}"`);
    const route = amRoute(c.object.spec.route);
    // The top route states its timing in full: it hangs below the user's own root route.
    for (const f of ['group_by', 'group_wait', 'group_interval', 'repeat_interval']) assert.ok(route[f] !== undefined, `${team}: ${f}`);
    const strip = (r: any) =>
      Object.fromEntries(Object.entries(r).filter(([k]) => !['group_by', 'group_wait', 'group_interval', 'repeat_interval'].includes(k)));
    assert.deepEqual(strip(route), strip(branch), team);
    for (const f of ['group_by', 'group_wait', 'group_interval', 'repeat_interval'])
      assert.deepEqual(route[f], branch[f] ?? am.route[f], `${team}: ${f}`);

    // Every receiver the routes name, with the same kinds and texts as in alertmanager.yml.
    const names = new Set<string>();
    const walk = (r: any) => {
      names.add(r.receiver);
      (r.routes ?? []).forEach(walk);
    };
    walk(c.object.spec.route);
    assert.deepEqual(c.object.spec.receivers.map((r: any) => r.name).sort(), [...names].sort(), team);
    for (const rx of c.object.spec.receivers) {
      const plain = am.receivers.find((r: any) => r.name === rx.name);
      const kinds = (o: any, suffix: string) =>
        Object.keys(o)
          .filter((k) => k.endsWith(suffix))
          .map((k) => k.slice(0, -suffix.length).toLowerCase())
          .sort();
      assert.deepEqual(kinds(rx, 'Configs'), kinds(plain, '_configs'), `${team}: receiver ${rx.name}`);
      for (const kind of kinds(rx, 'Configs')) {
        const crd = rx[Object.keys(rx).find((k) => k.toLowerCase() === `${kind}configs`)!][0];
        const amc = plain[`${kind}_configs`][0];
        for (const text of ['title', 'text', 'message', 'description'])
          if (amc[text] !== undefined) assert.equal(crd[text], amc[text], `${rx.name} ${kind} ${text}`);
      }
    }

    // The inhibit rules of alertmanager.yml, each held to the team's own alerts.
    assert.equal(c.object.spec.inhibitRules.length, am.inhibit_rules.length);
    c.object.spec.inhibitRules.forEach((rule: any, i: number) => {
      const text = (ms: any[]) => ms.map((m) => `${m.name}${m.matchType}${JSON.stringify(m.value)}`);
      assert.deepEqual(text(rule.sourceMatch), [...am.inhibit_rules[i].source_matchers, `team="${team}"`]);
      assert.deepEqual(text(rule.targetMatch), [...am.inhibit_rules[i].target_matchers, `team="${team}"`]);
      assert.deepEqual(rule.equal, am.inhibit_rules[i].equal);
    });
  }
  const payments = configs.find((c) => c.object.metadata.name === 'sloforge-payments')!.object;
  assert.deepEqual(
    payments.spec.muteTimeIntervals.map((m: any) => m.name),
    ['payments-maintenance', 'payments-business-hours'],
  );
  assert.deepEqual(payments.spec.muteTimeIntervals[1].timeIntervals[0].times, [
    { startTime: '09:00', endTime: '12:30' },
    { startTime: '13:30', endTime: '17:45' },
  ]);
});

test('receiver secrets are Secret key references named like their files, never inline', () => {
  const cfg = everyOption();
  const artifacts = compileConfig(cfg);
  const text = manifests(artifacts)
    .map((m) => m.content)
    .join('\n');
  // No Alertmanager secret file path and no inline secret of the config appears in any manifest
  // (the actions file in the receiver's ConfigMap names its files, as generated/remediation does).
  const value = (line: string) =>
    line
      .trim()
      .replace(/^- /, '')
      .split(': ')
      .slice(1)
      .join(': ')
      .replace(/^["']|["']$/g, '');
  for (const secret of [
    '/s/pd',
    '/s/og',
    '/s/slack',
    '/s/hook',
    '/s/webex',
    '/s/smtp',
    'bot-token',
    'https://discord.example.com/api/webhooks/1/x',
  ]) {
    // A secret file may be where a pod finds its content (mountPath), never anything else.
    const lines = text
      .split('\n')
      .filter((l) => (secret.startsWith('/') ? l.includes(secret) : value(l) === secret) && !l.includes('mountPath'));
    assert.deepEqual(lines, [], secret);
  }
  const configs = ofKind(manifests(artifacts), 'AlertmanagerConfig').map((c) => c.object);
  const rx = (team: string, name: string) =>
    configs.find((c) => c.metadata.name === `sloforge-${team}`).spec.receivers.find((r: any) => r.name === name);
  const ref = (key: string) => ({ name: 'alerting-secrets', key });
  assert.deepEqual(rx('payments', 'payments-page').pagerdutyConfigs[0].routingKey, ref('pd'));
  assert.deepEqual(rx('payments', 'payments-page').opsgenieConfigs[0].apiKey, ref('og'));
  assert.deepEqual(rx('payments', 'payments-ticket').slackConfigs[0].apiURL, ref('slack'));
  assert.deepEqual(rx('payments', 'payments-ticket').emailConfigs[0].authPassword, ref('smtp'));
  assert.deepEqual(rx('automation', 'automation-page').webhookConfigs[0].httpConfig.authorization, {
    type: 'Bearer',
    credentials: ref('hook'),
  });
  assert.deepEqual(rx('automation', 'automation-page').webexConfigs[0].httpConfig.authorization.credentials, ref('webex'));
  assert.deepEqual(rx('automation', 'automation-ticket').discordConfigs[0].apiURL, ref('automation-ticket-discord-webhook-url'));
  assert.deepEqual(rx('automation', 'automation-ticket').telegramConfigs[0].botToken, ref('automation-ticket-telegram-bot-token'));
  assert.equal(rx('automation', 'automation-ticket').telegramConfigs[0].chatID, -100123);
  // The team without receivers falls back to the default receiver, inside its own object.
  assert.equal(rx('no-receivers', 'sloforge-default').webhookConfigs[0].url, 'https://hooks.example.com/unrouted');
  // Alerts naming a remediation go to the receiver's Service with the token from its Secret.
  const hook = rx('payments', 'sloforge-remediation').webhookConfigs[0];
  assert.equal(hook.url, 'http://sloforge-receiver.observability.svc:9095/alerts');
  assert.deepEqual(hook.httpConfig.authorization, { type: 'Bearer', credentials: { name: 'receiver-token', key: 'bearer' } });
  // The templates the receivers name, as alertmanager/templates/sloforge.tmpl holds them.
  const templates = ofKind(manifests(artifacts), 'ConfigMap').find((m) => m.object.metadata.name === 'sloforge-alertmanager-templates')!;
  assert.equal(templates.object.data['sloforge.tmpl'], artifact(artifacts, 'alertmanager/templates/sloforge.tmpl').content);
});

test('one ConfigMap per dashboard for the Grafana sidecar: default label, data key <name>.json, folder annotation', () => {
  const artifacts = compileConfig(k8sConfig());
  const maps = ofKind(manifests(artifacts), 'ConfigMap').filter((m) => m.path.startsWith('kubernetes/grafana-dashboards/'));
  assert.deepEqual(maps.map((m) => m.object.metadata.name).sort(), ['sloforge-dashboard-checkout', 'sloforge-overview-dashboard']);
  for (const m of maps) {
    assert.equal(m.object.metadata.labels.grafana_dashboard, '1');
    assert.match(m.content, /grafana_dashboard: "1"/);
    const [key] = Object.keys(m.object.data);
    const file = artifacts.find((a) => a.path.startsWith('grafana/dashboards/') && a.path.endsWith(`/${key}`))!;
    assert.equal(m.object.data[key!], file.content);
  }
  const checkout = maps.find((m) => m.object.metadata.name === 'sloforge-dashboard-checkout')!.object;
  assert.deepEqual(Object.keys(checkout.data), ['checkout.json']);
  assert.equal(checkout.metadata.annotations.grafana_folder, 'payments');
  // Configured label and annotation; a ConfigMap holds at most 1 MiB.
  for (const m of ofKind(manifests(compileConfig(everyOption())), 'ConfigMap').filter((x) =>
    x.path.startsWith('kubernetes/grafana-dashboards/'),
  )) {
    assert.equal(m.object.metadata.labels['grafana.example.com/dashboard'], 'yes');
    assert.ok(m.object.metadata.annotations['grafana.example.com/folder']);
    assert.ok(Buffer.byteLength(JSON.stringify(m.object.data)) < 1024 * 1024);
  }
});

test('the receiver: one replica, probes, non-root, its data on a claim, secrets by reference, scale rights only where used', () => {
  const artifacts = compileConfig(everyOption());
  const list = manifests(artifacts);
  const dep = ofKind(list, 'Deployment')[0]!.object;
  assert.equal(dep.spec.replicas, 1);
  assert.equal(dep.spec.strategy.type, 'Recreate');
  const pod = dep.spec.template.spec;
  const c = pod.containers[0];
  assert.equal(c.image, 'registry.example.com/sloforge@sha256:0123');
  assert.equal(c.readinessProbe.httpGet.path, '/readyz');
  assert.equal(c.livenessProbe.httpGet.path, '/healthz');
  assert.equal(pod.securityContext.runAsNonRoot, true);
  assert.equal(c.securityContext.allowPrivilegeEscalation, false);
  assert.equal(c.securityContext.readOnlyRootFilesystem, true);
  const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value]));
  const mountOf = (file: string) => c.volumeMounts.find((m: any) => file.startsWith(m.mountPath));
  const volume = (name: string) => pod.volumes.find((v: any) => v.name === name);
  // The token file comes from its Secret; the actions file is the generated one.
  assert.deepEqual(volume(mountOf(env.SLOFORGE_RECEIVER_TOKEN_FILE).name).secret, {
    secretName: 'receiver-token',
    items: [{ key: 'bearer', path: 'token' }],
  });
  // SIGTERM drains running actions for the receiver's grace; the pod's grace leaves it time to close its log.
  assert.equal(env.SLOFORGE_RECEIVER_SHUTDOWN_GRACE, '25s');
  assert.equal(pod.terminationGracePeriodSeconds, 30);
  assert.ok(dep.spec.template.metadata.annotations['sloforge/config-checksum']);
  const actions = ofKind(list, 'ConfigMap').find((m) => m.object.metadata.name === 'sloforge-receiver-actions')!.object;
  assert.equal(volume(mountOf(env.SLOFORGE_RECEIVER_ACTIONS).name).configMap.name, 'sloforge-receiver-actions');
  assert.equal(actions.data[path.basename(env.SLOFORGE_RECEIVER_ACTIONS)], artifact(artifacts, 'remediation/actions.json').content);
  const claim = ofKind(list, 'PersistentVolumeClaim')[0]!.object;
  assert.equal(volume(mountOf(env.SLOFORGE_RECEIVER_DATA_DIR).name).persistentVolumeClaim.claimName, claim.metadata.name);
  assert.deepEqual(claim.spec, { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } }, storageClassName: 'fast' });
  // Each file an action reads is mounted from the receiver's Secret at its own path; the
  // service account's token is Kubernetes' own.
  for (const [file, key] of [
    ['/etc/sloforge/secrets/restart-token', 'restart-token'],
    ['/run/tenant', 'tenant'],
    ['/etc/k8s/token', 'token'],
    ['/etc/k8s/ca.crt', 'ca.crt'],
  ]) {
    const m = c.volumeMounts.find((x: any) => x.mountPath === file);
    assert.equal(m?.subPath, key, file);
    assert.equal(volume(m.name).secret.secretName, 'receiver-files');
  }
  assert.equal(pod.automountServiceAccountToken, true);
  const svc = ofKind(list, 'Service')[0]!.object;
  assert.deepEqual(svc.spec.selector, dep.spec.selector.matchLabels);
  assert.equal(svc.spec.ports[0].port, 9095);
  // Get and patch on the scale of the one deployment scaled with the pod's token.
  const roles = ofKind(list, 'Role');
  assert.deepEqual(
    roles.map((r) => [r.object.metadata.namespace, r.object.rules]),
    [['apps', [{ apiGroups: ['apps'], resources: ['deployments/scale'], resourceNames: ['worker'], verbs: ['get', 'patch'] }]]],
  );
  assert.deepEqual(ofKind(list, 'RoleBinding')[0]!.object.subjects, [
    { kind: 'ServiceAccount', name: 'sloforge-receiver', namespace: 'observability' },
  ]);

  // Without a kubernetesScale action on the pod's token, no token is mounted and no Role made.
  const plain = manifests(compileConfig(k8sConfig()));
  assert.equal(ofKind(plain, 'Deployment')[0]!.object.spec.template.spec.automountServiceAccountToken, false);
  assert.equal(ofKind(plain, 'Role').length, 0);
});

test('the smallest section, { namespace, labels }, writes every object; the receiver image defaults with a warning', () => {
  const cfg = k8sConfig();
  cfg.kubernetes = { namespace: 'monitoring', labels: { release: 'kube-prometheus-stack' } };
  const list = manifests(compileConfig(cfg));
  assertValid(list);
  assert.deepEqual([...new Set(list.map((m) => m.object.kind))].sort(), [
    'AlertmanagerConfig',
    'ConfigMap',
    'Deployment',
    'PersistentVolumeClaim',
    'PrometheusRule',
    'Service',
    'ServiceAccount',
    'ServiceMonitor',
  ]);
  assert.equal(ofKind(list, 'Deployment')[0]!.object.spec.template.spec.containers[0].image, 'sloforge:latest');
  const warnings = modelWarnings(modelOf(cfg)).map((w) => `${w.path.join('.')}: ${w.message}`);
  assert.match(warnings.join('\n'), /^kubernetes\.receiver\.image: is not set/m);
  assert.doesNotMatch(
    modelWarnings(modelOf(k8sConfig()))
      .map((w) => w.path.join('.'))
      .join('\n'),
    /kubernetes/,
  );
});

test('Kubernetes output is opt-in, and parts of it can be left out', () => {
  const none = k8sConfig();
  delete none.kubernetes;
  none.remediations = [];
  delete none.services[0].slos[0].alerting;
  const plain = compileConfig(none);
  assert.deepEqual(
    plain.filter((a) => a.path.startsWith('kubernetes/')),
    [],
  );
  assert.doesNotMatch(artifact(plain, 'README.md').content, /kubernetes/);
  assert.match(artifact(compileConfig(k8sConfig()), 'README.md').content, /`kubernetes\/`/);

  // The ServiceMonitor scrapes the receiver's Service by its own labels, on the named port.
  const scraped = manifests(compileConfig(k8sConfig()));
  const monitor = ofKind(scraped, 'ServiceMonitor')[0]!.object;
  const svc = ofKind(scraped, 'Service')[0]!.object;
  assert.equal(monitor.metadata.name, svc.metadata.name, 'Prometheus names the job after the Service: job="sloforge-receiver"');
  for (const [k, v] of Object.entries(monitor.spec.selector.matchLabels as Record<string, string>)) assert.equal(svc.metadata.labels[k], v);
  assert.deepEqual(monitor.spec.endpoints, [{ port: svc.spec.ports[0].name, path: '/metrics' }]);
  const unmonitored = k8sConfig();
  unmonitored.kubernetes.receiver.serviceMonitor = false;
  assert.deepEqual(ofKind(manifests(compileConfig(unmonitored)), 'ServiceMonitor'), []);

  const some = k8sConfig();
  Object.assign(some.kubernetes, { alertmanagerConfig: false, dashboards: false, receiver: false });
  const kinds = manifests(compileConfig(some)).map((m) => m.object.kind);
  assert.deepEqual([...new Set(kinds)], ['PrometheusRule']);
});

test('validation refuses what the Kubernetes objects cannot hold', () => {
  const problems = (edit: (cfg: any) => void) => {
    const cfg = k8sConfig();
    edit(cfg);
    return problemsOf(cfg);
  };
  assert.deepEqual(
    problems(() => {}),
    [],
  );
  assert.match(
    problems((c) => {
      c.teams[0].businessHours = [{ weekdays: ['monday:friday'], location: 'Europe/Berlin' }];
    }).join('\n'),
    /^teams\.0\.businessHours\.0\.location: AlertmanagerConfig .* no time zone/m,
  );
  assert.deepEqual(
    problems((c) => {
      c.teams[0].businessHours = [{ weekdays: ['monday:friday'], location: 'Europe/Berlin' }];
      c.kubernetes.alertmanagerConfig = false;
    }),
    [],
  );
  assert.match(
    problems((c) => {
      c.services[0].labels = { namespace: 'shop' };
    }).join('\n'),
    /^services\.0\.labels\.namespace: would replace the label namespace="monitoring"/m,
  );
  assert.match(
    problems((c) => {
      c.teams[0].ticket.slack.apiUrlFile = '/other/pd';
    }).join('\n'),
    /teams\.0\.(page|ticket)\..*would both be key "pd" of Secret "sloforge-alertmanager"/,
  );
  assert.match(
    problems((c) => {
      c.teams[0].page.pagerduty.routingKeyFile = '/s/p d';
    }).join('\n'),
    /is no Kubernetes Secret key/,
  );
  assert.match(
    problems((c) => {
      c.remediations[0].action.http.headerFiles = { Authorization: '/etc/x/token' };
    }).join('\n'),
    /holds the receiver's token/,
  );
  assert.match(
    problems((c) => {
      c.kubernetes.namespace = 'Monitoring';
    }).join('\n'),
    /^kubernetes\.namespace: must be a Kubernetes namespace name/m,
  );
  assert.match(
    problems((c) => {
      c.kubernetes.labels = { 'bad key!': 'x', ok: 'a b' };
    }).join('\n'),
    /kubernetes\.labels/,
  );
  assert.match(
    problems((c) => {
      c.services[0].name = 'checkout-';
    }).join('\n'),
    /must end in a letter or digit/,
  );
  assert.match(
    problems((c) => {
      c.kubernetes.receiver.storage = 'lots';
    }).join('\n'),
    /^kubernetes\.receiver\.storage: must be a storage size/m,
  );
  assert.match(
    problems((c) => {
      c.kubernetes.receiver.serviceMonitor = { interval: '30 seconds' };
    }).join('\n'),
    /^kubernetes\.receiver\.serviceMonitor\.interval: is not a duration: "30 seconds"/m,
  );
  assert.match(
    problems((c) => {
      c.kubernetes.receiver.serviceMonitor = true;
    }).join('\n'),
    /^kubernetes\.receiver\.serviceMonitor: must be false \(leave these objects out\) or an object$/m,
  );
});

test('generate writes generated/kubernetes/ and --check covers it', async () => {
  const dir = writeTree({ 'slos/index.ts': configSource(k8sConfig()) });
  const slos = path.join(dir, 'slos');
  const out = path.join(dir, 'generated');
  const r = await cli('generate', '--slos', slos, '--out', out);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await cli('generate', '--slos', slos, '--out', out, '--check')).code, 0);
  const rule = path.join(out, 'kubernetes/prometheus-rules/checkout.yaml');
  writeFileSync(rule, readFileSync(rule, 'utf8').replace('namespace: monitoring', 'namespace: default'));
  unlinkSync(path.join(out, 'kubernetes/receiver/deployment.yaml'));
  const stale = await cli('generate', '--slos', slos, '--out', out, '--check');
  assert.equal(stale.code, 1);
  assert.match(stale.stderr, /stale: +.*kubernetes\/prometheus-rules\/checkout\.yaml/);
  assert.match(stale.stderr, /missing: +.*kubernetes\/receiver\/deployment\.yaml/);
});
