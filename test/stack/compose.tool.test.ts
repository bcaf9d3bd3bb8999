// docker-compose.yml checked without a Docker engine: Debian's docker-compose parses it, and the
// wiring is checked file by file: every mount exists, every host:port one service names is a
// service listening there, the configs each container reads pass promtool and amtool, and the
// secrets agree between the sides that share them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync, mkdirSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO } from '../helpers/cli.js';
import { promtool, tool } from '../helpers/tools.js';
import { execa } from 'execa';
import { dockerCompose, fileFields, hostPath, loadCompose, readEnvFile, service, type Service } from './compose-model.js';
import { haAlertmanagerConfig } from '../../deploy/receiver-ha/alertmanager.js';
import { simulatedServices } from '../../deploy/demo-workload/services.js';

const services = loadCompose();
const rel = (p: string) => path.relative(REPO, p);

/** The port a service listens on inside the stack network. */
const LISTEN: Record<string, number> = {
  prometheus: 9090,
  alertmanager: 9093,
  grafana: 3000,
  'sloforge-receiver': 9095,
  'demo-workload': 8080,
  // The receiver-ha profile (docs/receiver-postgres.md).
  postgres: 5432,
  'sloforge-receiver-a': 9095,
  'sloforge-receiver-b': 9095,
};
const HA_PROFILE = 'receiver-ha';
const HA_ENV_FILE = path.join(REPO, 'deploy/receiver-ha/compose.env');
const HA_RECEIVERS = ['sloforge-receiver-a', 'sloforge-receiver-b'];
/** The default stack: what `docker compose up` starts without a profile. */
const defaults = new Map([...services].filter(([, s]) => s.profiles.length === 0));

function mustMap(svc: Service, containerPath: string): string {
  const host = hostPath(svc, containerPath);
  assert.ok(host, `${svc.name}: nothing in the repository is mounted at ${containerPath}`);
  assert.ok(
    existsSync(host),
    `${svc.name}: ${containerPath} is mounted from ${rel(host)}, which does not exist (run \`npx sloforge generate\`?)`,
  );
  return host;
}

/** A `host:port` one container dials must be a compose service listening on that port. */
function assertReachable(from: string, hostPort: string): void {
  const [host, portText] = hostPort.split(':');
  const port = Number(portText);
  if (host === 'localhost' || host === '127.0.0.1') {
    assert.equal(port, LISTEN[from], `${from} dials ${hostPort}, but it listens on ${LISTEN[from]}`);
    return;
  }
  assert.ok(services.has(host!), `${from} dials ${hostPort}: no compose service ${host}`);
  assert.equal(port, LISTEN[host!], `${from} dials ${hostPort}, but ${host} listens on ${LISTEN[host!]}`);
}

function urlHostPort(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
}

test('Debian docker-compose 1.29 accepts docker-compose.yml', async () => {
  const r = await dockerCompose(['config', '-q']);
  assert.ok(r.ok, r.output);
});

test('every port is published on 127.0.0.1 unless SLOFORGE_BIND_ADDRESS says otherwise', async () => {
  // docker-compose's own reading of the file, interpolation included, and the test's model of it.
  const published = async (env: Record<string, string>) => {
    const r = await dockerCompose(['config'], env);
    assert.ok(r.ok, r.output);
    const doc = parse(r.stdout) as { services: Record<string, { ports?: string[]; profiles?: string[] }> };
    return Object.values(doc.services).flatMap((x) => x.ports ?? []);
  };
  const local = await published({ SLOFORGE_BIND_ADDRESS: '' });
  // docker-compose 1.29's `config` lists the profile's services too: five default, two receiver-ha.
  assert.equal(local.length, 7);
  for (const p of local) assert.match(p, /^127\.0\.0\.1:\d+:\d+\/tcp$/);
  for (const p of await published({ SLOFORGE_BIND_ADDRESS: '0.0.0.0' })) assert.match(p, /^0\.0\.0\.0:\d+:\d+\/tcp$/);
  for (const svc of services.values()) for (const p of svc.ports) assert.equal(p.hostIp, '127.0.0.1', svc.name);
  for (const svc of loadCompose(undefined, { SLOFORGE_BIND_ADDRESS: '0.0.0.0' }).values())
    for (const p of svc.ports) assert.equal(p.hostIp, '0.0.0.0', svc.name);
});

test('nothing reachable on a published port offers more than the demo needs', () => {
  const prom = service(services, 'prometheus');
  // Lifecycle endpoints would let anyone who reaches :9090 POST /-/quit.
  assert.ok(!prom.command.includes('--web.enable-lifecycle'), prom.command.join(' '));
  const grafana = service(services, 'grafana');
  assert.equal(
    grafana.environment.GF_SECURITY_ADMIN_PASSWORD,
    undefined,
    'the admin password belongs in a file, not in docker-compose.yml',
  );
  const password = readFileSync(mustMap(grafana, grafana.environment.GF_SECURITY_ADMIN_PASSWORD__FILE!), 'utf8').trim();
  assert.notEqual(password, 'admin');
  assert.ok(password.length >= 16);
});

test('every *_FILE variable names a file mounted into that service', () => {
  let files = 0;
  for (const svc of services.values()) {
    for (const [name, value] of Object.entries(svc.environment).filter(([k]) => k.endsWith('_FILE'))) {
      files++;
      assert.ok(statSync(mustMap(svc, value)).isFile(), `${svc.name}: ${name}=${value} is not a file`);
    }
  }
  assert.ok(files >= 3);
});

test('Prometheus starts once the demo workload passes its healthcheck', () => {
  const prom = service(services, 'prometheus');
  assert.equal(prom.dependsOn['demo-workload'], 'service_healthy');
  // Without a healthcheck compose would refuse to start Prometheus at all.
  assert.ok(service(services, 'demo-workload').healthcheck);
});

test('the Node services run node, not npx or npm, on the read-only project', () => {
  for (const svc of [...services.values()].filter((s) => s.image.startsWith('node:') && s.name !== 'stack-init')) {
    // npm writes into the package it runs (bin links, chmod), which the read-only /app refuses.
    assert.equal(svc.command[0], 'node', `${svc.name}: ${svc.command.join(' ')}`);
    assert.ok(
      svc.mounts.some((m) => m.target === '/app' && m.readOnly),
      svc.name,
    );
  }
});

test('the stack has the promised services, pinned to the versions sloforge targets', () => {
  assert.deepEqual([...defaults.keys()].sort(), [
    'alertmanager',
    'demo-workload',
    'grafana',
    'prometheus',
    'sloforge-receiver',
    'stack-init',
  ]);
  assert.deepEqual(
    [...services.values()]
      .filter((s) => s.profiles.length > 0)
      .map((s) => `${s.name}:${s.profiles.join()}`)
      .sort(),
    ['postgres', 'receiver-ha-init', ...HA_RECEIVERS].map((n) => `${n}:${HA_PROFILE}`),
  );
  // The official image's major, which docs/receiver-postgres.md names (PostgreSQL 12 or later works).
  assert.equal(service(services, 'postgres').image, 'postgres:17-bookworm');
  assert.equal(service(services, 'prometheus').image, 'prom/prometheus:v2.42.0');
  assert.equal(service(services, 'alertmanager').image, 'prom/alertmanager:v0.25.0');
  // The foundation SDK's classic dashboards (schemaVersion 42) need Grafana 12 or later.
  assert.match(service(services, 'grafana').image, /^grafana\/grafana:12\.\d+\.\d+$/);
  // The Node images run the LTS major that CI tests on (scripts/node-lts.sh).
  const lts = /^NODE_LTS_MAJOR=(\d+)$/m.exec(readFileSync(path.join(REPO, 'scripts/node-lts.sh'), 'utf8'))?.[1];
  assert.equal(lts, '26');
  for (const name of ['sloforge-receiver', 'demo-workload', 'stack-init', 'receiver-ha-init', ...HA_RECEIVERS])
    assert.equal(service(services, name).image, `node:${lts}-bookworm-slim`);
});

test('every bind mount comes from an existing path inside the repository', () => {
  let binds = 0;
  for (const svc of services.values()) {
    for (const m of svc.mounts.filter((x) => x.bind)) {
      binds++;
      assert.ok(!path.relative(REPO, m.source).startsWith('..'), `${svc.name}: ${m.source} is outside the repository`);
      assert.ok(existsSync(m.source), `${svc.name}: mounts ${rel(m.source)}, which does not exist`);
      if (svc.name !== 'stack-init') assert.ok(m.readOnly, `${svc.name}: ${rel(m.source)} should be mounted read-only`);
      // Shared SELinux label, so that containers may read the files on Fedora/RHEL and Podman.
      assert.ok(m.options.includes('z'), `${svc.name}: ${rel(m.source)} needs :z`);
    }
  }
  assert.ok(binds >= 12);
});

test('published ports are distinct and match what each service listens on', () => {
  const published = new Set<number>();
  for (const svc of services.values()) {
    for (const p of svc.ports) {
      assert.ok(!published.has(p.published), `port ${p.published} is published twice`);
      published.add(p.published);
      assert.equal(p.target, LISTEN[svc.name], `${svc.name} publishes container port ${p.target}, but listens on ${LISTEN[svc.name]}`);
    }
  }
  assert.equal(Number(service(services, 'sloforge-receiver').environment.SLOFORGE_RECEIVER_PORT), LISTEN['sloforge-receiver']);
  assert.equal(Number(service(services, 'demo-workload').environment.DEMO_PORT), LISTEN['demo-workload']);
  // Inside a container, 127.0.0.1 would be unreachable from the other services.
  assert.equal(service(services, 'sloforge-receiver').environment.SLOFORGE_RECEIVER_HOST, '0.0.0.0');
  assert.equal(service(services, 'demo-workload').environment.DEMO_HOST, '0.0.0.0');
});

test('Prometheus: rule_files matches the generated rules as mounted; targets are services; promtool accepts it', async () => {
  const prom = service(services, 'prometheus');
  const configArg = prom.command.find((a) => a.startsWith('--config.file='))!.slice('--config.file='.length);
  const configFile = mustMap(prom, configArg);
  const config = parse(readFileSync(configFile, 'utf8')) as {
    rule_files: string[];
    alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
    scrape_configs: Array<{ job_name: string; metrics_path?: string; static_configs: Array<{ targets: string[] }> }>;
  };

  const generated = readdirSync(path.join(REPO, 'generated/prometheus/rules'))
    .filter((f) => f.endsWith('.yml'))
    .sort();
  assert.ok(generated.length > 0);
  for (const glob of config.rule_files) {
    // Relative to the config file, as Prometheus resolves it, inside the container.
    const inContainer = path.posix.join(path.posix.dirname(configArg), glob);
    const dir = mustMap(prom, path.posix.dirname(inContainer));
    const pattern = new RegExp(
      `^${path.posix
        .basename(inContainer)
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')}$`,
    );
    const matched = readdirSync(dir)
      .filter((f) => pattern.test(f))
      .sort();
    assert.deepEqual(matched, generated, `${glob} in the container should load exactly the generated rule files`);
    assert.equal(statSync(dir).ino, statSync(path.join(REPO, 'generated/prometheus/rules')).ino);
  }

  for (const am of config.alerting.alertmanagers)
    for (const t of am.static_configs.flatMap((s) => s.targets)) assertReachable('prometheus', t);
  const jobs = new Map(config.scrape_configs.map((s) => [s.job_name, s]));
  for (const s of jobs.values()) for (const t of s.static_configs.flatMap((c) => c.targets)) assertReachable('prometheus', t);
  assert.ok(jobs.has('sloforge-receiver') && jobs.has('prometheus') && jobs.has('demo-workload'));

  // Every job an SLO selector names is scraped, from the demo workload path that simulates it.
  const rules = generated.map((f) => readFileSync(path.join(REPO, 'generated/prometheus/rules', f), 'utf8')).join('\n');
  const sloJobs = [...new Set([...rules.matchAll(/job="([^"]+)"/g)].map((m) => m[1]!))].sort();
  const simulated = simulatedServices().map((s) => s.job);
  assert.ok(sloJobs.length >= 5, sloJobs.join());
  for (const job of sloJobs) {
    const scrape = jobs.get(job);
    assert.ok(scrape, `no scrape job ${job}, which the SLOs read`);
    // slos/receiver.ts watches the receiver itself, on its own /metrics.
    if (job === 'sloforge-receiver') {
      assert.deepEqual(
        scrape.static_configs.flatMap((c) => c.targets),
        ['sloforge-receiver:9095'],
      );
      continue;
    }
    assert.equal(scrape.metrics_path, `/metrics/${job}`);
    assert.ok(simulated.includes(job), `the demo workload does not simulate ${job}`);
  }

  // promtool resolves rule_files relative to the config: once in the repository (through the
  // deploy/prometheus/rules symlink) and once in a copy laid out as the container sees it.
  const inRepo = await promtool('check', 'config', configFile);
  assert.ok(inRepo.ok, inRepo.output);
  assert.match(inRepo.output, new RegExp(`SUCCESS: ${generated.length} rule files found`));
  const root = mkdtempSync(path.join(os.tmpdir(), 'sloforge-stack-'));
  try {
    for (const m of prom.mounts.filter((x) => x.bind)) {
      const dest = path.join(root, m.target);
      mkdirSync(path.dirname(dest), { recursive: true });
      cpSync(m.source, dest, { recursive: true, dereference: true });
    }
    const asMounted = await promtool('check', 'config', path.join(root, configArg));
    assert.ok(asMounted.ok, asMounted.output);
    assert.match(asMounted.output, new RegExp(`SUCCESS: ${generated.length} rule files found`));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('Alertmanager: amtool accepts the config as mounted; its secrets exist; it reaches the receiver with the receiver token', async () => {
  const am = service(services, 'alertmanager');
  const configArg = am.command.find((a) => a.startsWith('--config.file='))!.slice('--config.file='.length);
  const configFile = mustMap(am, configArg);
  assert.equal(configFile, path.join(REPO, 'generated/alertmanager/alertmanager.yml'));
  // The templates glob is relative to the config: the whole folder must be mounted.
  assert.ok(existsSync(mustMap(am, path.posix.join(path.posix.dirname(configArg), 'templates/sloforge.tmpl'))));
  const r = await execa(await tool('amtool'), ['check-config', configFile], { reject: false, all: true });
  assert.equal(r.exitCode, 0, r.all);
  assert.match(r.all ?? '', /Found:\n - global config\n - route\n - \d+ inhibit rules\n - \d+ receivers\n - 1 templates/);

  const config = parse(readFileSync(configFile, 'utf8')) as {
    receivers: Array<{
      name: string;
      webhook_configs?: Array<{ url: string; http_config: { authorization: { credentials_file: string } } }>;
    }>;
  };
  const secrets = fileFields(config);
  assert.ok(secrets.length >= 7);
  for (const f of secrets) assert.ok(existsSync(mustMap(am, f)), f);

  const hook = config.receivers.find((x) => x.name === 'sloforge-remediation')!.webhook_configs![0]!;
  assertReachable('alertmanager', urlHostPort(hook.url));
  assert.equal(new URL(hook.url).pathname, '/alerts');
  const rx = service(services, 'sloforge-receiver');
  const sent = readFileSync(mustMap(am, hook.http_config.authorization.credentials_file), 'utf8').trim();
  const accepted = readFileSync(mustMap(rx, rx.environment.SLOFORGE_RECEIVER_TOKEN_FILE!), 'utf8').trim().split('\n');
  assert.ok(accepted.includes(sent), 'the token Alertmanager sends is not in the receiver token file');
  // The image has no time zone database; the zones the time intervals name come from stack-init.
  assert.ok(am.mounts.some((m) => m.target === '/usr/share/zoneinfo' && m.source === 'zoneinfo'));
  assert.ok(service(services, 'stack-init').mounts.some((m) => m.source === 'zoneinfo'));
});

test('receiver: actions file, token and header files are mounted; restart-checkout calls the demo workload with the header it checks', () => {
  const rx = service(services, 'sloforge-receiver');
  assert.deepEqual(rx.command.slice(-2), ['bin/sloforge.mjs', 'receiver']);
  const actionsFile = mustMap(rx, rx.environment.SLOFORGE_RECEIVER_ACTIONS!);
  assert.equal(actionsFile, path.join(REPO, 'generated/remediation/actions.json'));
  assert.ok(
    rx.mounts.some((m) => m.target === rx.environment.SLOFORGE_RECEIVER_DATA_DIR && !m.bind && !m.readOnly),
    'the data dir needs a writable volume',
  );
  const actions = JSON.parse(readFileSync(actionsFile, 'utf8')) as {
    remediations: Array<{ name: string; action: { kind: string; http?: { url: string; headerFiles: Record<string, string> } } }>;
  };
  const restart = actions.remediations.find((r) => r.name === 'restart-checkout')?.action.http;
  assert.ok(restart, 'restart-checkout is an http action');
  assertReachable('sloforge-receiver', urlHostPort(restart.url));
  assert.equal(new URL(restart.url).pathname, '/admin/restart');

  const demo = service(services, 'demo-workload');
  const expected = readFileSync(mustMap(demo, demo.environment.DEMO_ADMIN_AUTHORIZATION_FILE!), 'utf8').trim();
  assert.equal(readFileSync(mustMap(rx, restart.headerFiles.Authorization!), 'utf8').trim(), expected);
  for (const r of actions.remediations) {
    for (const f of Object.values(r.action.http?.headerFiles ?? {})) assert.ok(existsSync(mustMap(rx, f)), `${r.name}: ${f}`);
  }
  assert.deepEqual(demo.command.slice(-3), ['--import', 'tsx', 'deploy/demo-workload/main.ts']);
});

test('every remediation an alert names can act in the stack: an HTTP action on a stack service, or a dry run', () => {
  const rx = service(services, 'sloforge-receiver');
  const actions = JSON.parse(readFileSync(mustMap(rx, rx.environment.SLOFORGE_RECEIVER_ACTIONS!), 'utf8')) as {
    remediations: Array<{ name: string; dryRun: boolean; action: { kind: string; http?: { url: string } } }>;
  };
  const dir = path.join(REPO, 'generated/prometheus/rules');
  const named = new Set<string>();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.yml'))) {
    const doc = parse(readFileSync(path.join(dir, f), 'utf8')) as {
      groups: Array<{ rules: Array<{ alert?: string; labels?: Record<string, string> }> }>;
    };
    for (const r of doc.groups.flatMap((g) => g.rules)) if (r.alert && r.labels?.remediation) named.add(r.labels.remediation);
  }
  assert.ok(named.has('restart-checkout'), [...named].join());
  // Others (scale-workflow-workers needs a Kubernetes API the stack lacks) must stay unnamed or dry.
  for (const name of named) {
    const r = actions.remediations.find((x) => x.name === name);
    assert.ok(r, `an alert names ${name}, which actions.json lacks`);
    if (r.dryRun) continue;
    assert.ok(
      r.action.http,
      `${name} is a ${r.action.kind} action, which cannot act in the local stack; make it a dry run or name no alert`,
    );
    assert.ok(services.has(new URL(r.action.http.url).hostname), `${name} calls ${r.action.http.url}, outside the stack`);
  }
});

test('Grafana: provisioning and dashboards are mounted where the providers look; the datasource is Prometheus', () => {
  const grafana = service(services, 'grafana');
  const provisioning = mustMap(grafana, '/etc/grafana/provisioning');
  const ds = parse(readFileSync(path.join(provisioning, 'datasources/sloforge.yml'), 'utf8')) as { datasources: Array<{ url: string }> };
  for (const d of ds.datasources) assertReachable('grafana', urlHostPort(d.url));
  const providers = parse(readFileSync(path.join(provisioning, 'dashboards/sloforge.yml'), 'utf8')) as {
    providers: Array<{ options: { path: string } }>;
  };
  assert.ok(providers.providers.length > 0);
  for (const p of providers.providers) {
    const dir = mustMap(grafana, p.options.path);
    assert.ok(
      readdirSync(dir).some((f) => f.endsWith('.json')),
      `${p.options.path} holds no dashboard`,
    );
  }
});

test('deploy/secrets holds only marked local-development placeholders', () => {
  const dir = path.join(REPO, 'deploy/secrets');
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name !== 'README.md');
  assert.ok(files.length >= 8);
  for (const e of files) {
    const text = readFileSync(path.join(e.parentPath, e.name), 'utf8');
    assert.match(text, /local-dev/, `${e.name} is not marked as a local-development placeholder`);
  }
});

// The receiver-ha profile: PostgreSQL and two receivers behind Alertmanager, off by default.

test('receiver-ha: the default stack neither starts nor waits for the profile, and Alertmanager reads the generated config', () => {
  for (const svc of defaults.values()) {
    for (const dep of Object.keys(svc.dependsOn))
      assert.ok(defaults.has(dep), `${svc.name} depends on ${dep}, which only the profile starts`);
  }
  const am = service(services, 'alertmanager');
  assert.ok(am.command.includes('--config.file=/etc/alertmanager/sloforge/alertmanager.yml'), am.command.join(' '));
  // The env file is the profile's one switch: it turns the profile on and nothing else but Alertmanager's config.
  assert.deepEqual(Object.keys(readEnvFile(HA_ENV_FILE)).sort(), ['COMPOSE_PROFILES', 'SLOFORGE_ALERTMANAGER_CONFIG']);
  assert.equal(readEnvFile(HA_ENV_FILE).COMPOSE_PROFILES, HA_PROFILE);
});

test('receiver-ha: docker-compose accepts the stack with the env file', async () => {
  const r = await dockerCompose(['--env-file', HA_ENV_FILE, 'config']);
  assert.ok(r.ok, r.output);
  const doc = parse(r.stdout) as { services: Record<string, { command: string[] }> };
  assert.ok(doc.services.alertmanager!.command.includes(`--config.file=${readEnvFile(HA_ENV_FILE).SLOFORGE_ALERTMANAGER_CONFIG}`));
});

test('receiver-ha: Alertmanager reads the config the one-shot writes; amtool accepts it; it posts to both replicas with the token they accept', async () => {
  const ha = loadCompose(undefined, readEnvFile(HA_ENV_FILE));
  const am = service(ha, 'alertmanager');
  const init = service(ha, 'receiver-ha-init');
  const configArg = am.command.find((a) => a.startsWith('--config.file='))!.slice('--config.file='.length);
  // The same file in the same volume: where the one-shot writes is where Alertmanager reads.
  const volumeAt = (svc: Service, p: string) => {
    const m = svc.mounts.find((x) => !x.bind && (p === x.target || p.startsWith(`${x.target}/`)));
    assert.ok(m, `${svc.name}: no volume holds ${p}`);
    return `${m.source}:${path.posix.relative(m.target, p)}`;
  };
  assert.equal(volumeAt(init, init.environment.SLOFORGE_HA_OUT!), volumeAt(am, configArg));
  assert.equal(hostPath(init, init.environment.SLOFORGE_HA_SOURCE!), path.join(REPO, 'generated/alertmanager/alertmanager.yml'));
  assert.equal(init.dependsOn['stack-init'], 'service_completed_successfully', 'the one-shot runs tsx from the node-modules volume');

  // The one-shot itself, on the generated files, into a folder laid out as Alertmanager's volume.
  const root = mkdtempSync(path.join(os.tmpdir(), 'sloforge-receiver-ha-'));
  try {
    const out = path.join(root, 'receiver-ha/alertmanager.yml');
    const run = await execa(process.execPath, ['--import', 'tsx', 'deploy/receiver-ha/main.ts'], {
      cwd: REPO,
      reject: false,
      all: true,
      env: {
        SLOFORGE_HA_SOURCE: hostPath(init, init.environment.SLOFORGE_HA_SOURCE!)!,
        SLOFORGE_HA_OUT: out,
        SLOFORGE_HA_RECEIVER_URLS: init.environment.SLOFORGE_HA_RECEIVER_URLS!,
      },
    });
    assert.equal(run.exitCode, 0, run.all);
    const check = await execa(await tool('amtool'), ['check-config', out], { reject: false, all: true });
    assert.equal(check.exitCode, 0, check.all);
    assert.match(check.all ?? '', / - 1 templates/);

    const config = parse(readFileSync(out, 'utf8')) as {
      receivers: Array<{
        name: string;
        webhook_configs?: Array<{ url: string; http_config: { authorization: { credentials_file: string } } }>;
      }>;
    };
    for (const f of fileFields(config)) assert.ok(existsSync(mustMap(am, f)), f);
    const hooks = config.receivers.find((x) => x.name === 'sloforge-remediation')!.webhook_configs!;
    assert.deepEqual(
      hooks.map((h) => urlHostPort(h.url)),
      HA_RECEIVERS.map((r) => `${r}:9095`),
    );
    const sent = new Set(hooks.map((h) => readFileSync(mustMap(am, h.http_config.authorization.credentials_file), 'utf8').trim()));
    assert.equal(sent.size, 1);
    for (const h of hooks) assertReachable('alertmanager', urlHostPort(h.url));
    for (const name of HA_RECEIVERS) {
      const rx = service(ha, name);
      const accepted = readFileSync(mustMap(rx, rx.environment.SLOFORGE_RECEIVER_TOKEN_FILE!), 'utf8').trim().split('\n');
      assert.ok(accepted.includes([...sent][0]!), `${name} does not accept the token Alertmanager sends`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('receiver-ha: both replicas share one database, the password only in a file both sides read, no data folder', () => {
  const pgSvc = service(services, 'postgres');
  const pgPassword = readFileSync(mustMap(pgSvc, pgSvc.environment.POSTGRES_PASSWORD_FILE!), 'utf8').trim();
  assert.equal(pgSvc.environment.POSTGRES_PASSWORD, undefined, 'the password belongs in a file');
  assert.ok(pgPassword.length >= 16);
  assert.equal(pgSvc.ports.length, 0, 'only the receivers reach the database');
  assert.ok(pgSvc.healthcheck, 'the receivers wait for it to be healthy');
  const urls = new Set<string>();
  for (const name of HA_RECEIVERS) {
    const rx = service(services, name);
    assert.equal(rx.dependsOn.postgres, 'service_healthy', name);
    assert.equal(rx.dependsOn['stack-init'], 'service_completed_successfully', name);
    const url = new URL(rx.environment.SLOFORGE_DATABASE_URL!);
    assert.equal(url.password, '', `${name}: no password in the URL`);
    assertReachable(name, `${url.hostname}:${url.port}`);
    assert.equal(url.pathname.slice(1), pgSvc.environment.POSTGRES_DB);
    assert.equal(url.username, pgSvc.environment.POSTGRES_USER);
    urls.add(url.href);
    assert.equal(readFileSync(mustMap(rx, rx.environment.SLOFORGE_DATABASE_PASSWORD_FILE!), 'utf8').trim(), pgPassword);
    assert.equal(rx.environment.SLOFORGE_RECEIVER_DATA_DIR, undefined, `${name}: --data-dir and --database exclude each other`);
    assert.equal(rx.environment.SLOFORGE_RECEIVER_HOST, '0.0.0.0');
    assert.equal(mustMap(rx, rx.environment.SLOFORGE_RECEIVER_ACTIONS!), path.join(REPO, 'generated/remediation/actions.json'));
    assert.ok(rx.healthcheck, `${name}: /readyz fails while the database is unreachable`);
  }
  assert.equal(urls.size, 1, 'one database for both replicas');
});

test('receiver-ha: the Alertmanager overlay keeps everything but the remediation webhook, and refuses what it cannot do', () => {
  const text = readFileSync(path.join(REPO, 'generated/alertmanager/alertmanager.yml'), 'utf8');
  const urls = ['http://a:9095/alerts', 'http://b:9095/alerts'];
  const before = parse(text) as { receivers: Array<{ name: string; webhook_configs?: Array<Record<string, unknown>> }> };
  const after = parse(haAlertmanagerConfig(text, urls)) as typeof before;
  const hook = before.receivers.find((r) => r.name === 'sloforge-remediation')!.webhook_configs![0]!;
  after.receivers
    .find((r) => r.name === 'sloforge-remediation')!
    .webhook_configs!.forEach((h, i) => {
      assert.deepEqual(h, { ...hook, url: urls[i] });
    });
  const strip = (c: typeof before) => ({ ...c, receivers: c.receivers.filter((r) => r.name !== 'sloforge-remediation') });
  assert.deepEqual(strip(after), strip(before));
  assert.throws(() => haAlertmanagerConfig(text, []), /no receiver URL/);
  assert.throws(() => haAlertmanagerConfig(text, ['http://a:9095/']), /should end in \/alerts/);
  assert.throws(
    () => haAlertmanagerConfig('route: {receiver: x}\nreceivers: [{name: x}]\n', urls, 'am.yml'),
    /am.yml has no sloforge-remediation webhook/,
  );
});
