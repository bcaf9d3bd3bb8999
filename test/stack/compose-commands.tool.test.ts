// docker-compose.yml's Node services started from their own `command`, `environment`, working
// folder and mounts (read-only where compose says so), each in its own namespaces as a fresh
// container with an empty npm cache (test/stack/container.ts), in the order depends_on sets:
// the one-shot stack-init to completion, then every long-running service until its own
// healthcheck command passes. The native stack test starts the same programs its own way; this
// one catches what only the compose commands do, such as npx writing through the read-only /app.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { REPO } from '../helpers/cli.js';
import { tool } from '../helpers/tools.js';
import { loadCompose, service, type Service } from './compose-model.js';
import { ComposeSandbox, type Extra, type Outcome } from './container.js';

const compose = loadCompose();
// The default stack's; the receiver-ha profile's one-shot has a test of its own below, and its
// receivers (the same command on a database) are started natively in native-receiver-ha.tool.test.ts.
const nodeServices = [...compose.values()].filter((s) => s.image.startsWith('node:') && s.profiles.length === 0);
/** Services another one waits for to finish (`service_completed_successfully`). */
const oneShots = nodeServices.filter((s) => [...compose.values()].some((o) => o.dependsOn[s.name] === 'service_completed_successfully'));
const longRunning = nodeServices.filter((s) => !oneShots.includes(s));

describe('compose commands of the Node services', { timeout: 300_000 }, () => {
  let sandbox: ComposeSandbox;
  let dir: string;
  let oneShotsDone: Promise<Map<string, Outcome>> | undefined;

  before(async () => {
    await ComposeSandbox.check();
    dir = mkdtempSync(path.join(os.tmpdir(), 'sloforge-compose-commands-'));
    sandbox = new ComposeSandbox(dir);
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // The one-shots install packages, which needs a registry; the tests reach none. They read the
  // machine's npm cache offline instead (filled by `npm ci` before any test runs); the
  // long-running services keep the empty cache of a new container.
  async function offlineNpm(): Promise<Extra> {
    const cache = (await execa('npm', ['config', 'get', 'cache'])).stdout.trim();
    return {
      mounts: [{ source: cache, target: '/root/.npm', bind: true, readOnly: false, options: ['rw'] }],
      env: { npm_config_offline: 'true' },
    };
  }
  async function runOneShots(): Promise<Map<string, Outcome>> {
    const results = new Map<string, Outcome>();
    for (const svc of oneShots) results.set(svc.name, await sandbox.run(svc, await offlineNpm()));
    return results;
  }
  const oneShotsFinished = () => (oneShotsDone ??= runOneShots());

  test('the stack has Node services of both kinds, and each long-running one has a healthcheck', () => {
    assert.deepEqual(
      oneShots.map((s) => s.name),
      ['stack-init'],
    );
    assert.deepEqual(longRunning.map((s) => s.name).sort(), ['demo-workload', 'sloforge-receiver']);
    for (const s of longRunning) assert.ok(s.healthcheck, `${s.name} has no healthcheck`);
  });

  test('stack-init installs the runtime packages into its volume, copies the zones Alertmanager names, and a second run keeps the volume', async () => {
    const init = service(compose, 'stack-init');
    const first = (await oneShotsFinished()).get(init.name)!;
    assert.equal(first.exitCode, 0, first.output);
    const modules = mountedVolume(init, '/app/node_modules');
    for (const pkg of ['tsx', 'yaml', 'prom-client'])
      assert.ok(existsSync(path.join(modules, pkg, 'package.json')), `${pkg} is not in the node-modules volume`);
    // --omit=dev: the containers run on the runtime dependencies alone.
    // Packages only a devDependency brings (typescript is a runtime dependency: source locations).
    for (const dev of ['dependency-cruiser', 'fast-check', 'autocannon'])
      assert.ok(!existsSync(path.join(modules, dev)), `devDependency ${dev} was installed`);

    const zones = mountedVolume(service(compose, 'alertmanager'), '/usr/share/zoneinfo');
    const am = parse(readFileSync(path.join(REPO, 'generated/alertmanager/alertmanager.yml'), 'utf8')) as {
      time_intervals?: Array<{ time_intervals: Array<{ location?: string }> }>;
    };
    const locations = [
      ...new Set((am.time_intervals ?? []).flatMap((t) => t.time_intervals.map((i) => i.location)).filter((l): l is string => !!l)),
    ];
    assert.ok(locations.length > 0, 'alertmanager.yml names no time zone');
    for (const zone of locations)
      assert.ok(existsSync(path.join(zones, zone)), `${zone} is missing from the zoneinfo volume Alertmanager mounts`);

    const again = await sandbox.run(init, await offlineNpm());
    assert.equal(again.exitCode, 0, again.output);
    assert.doesNotMatch(again.output, /added \d+ package/, 'the second run reinstalled although package-lock.json did not change');
    assert.ok(existsSync(path.join(modules, 'tsx', 'package.json')));
  });

  test('receiver-ha-init (profile receiver-ha): writes the two-replica Alertmanager config into the volume Alertmanager reads it from', async () => {
    const init = service(compose, 'receiver-ha-init');
    const first = await oneShotsFinished();
    assert.equal(first.get('stack-init')?.exitCode, 0, 'stack-init, which receiver-ha-init waits for, failed');
    const r = await sandbox.run(init);
    assert.equal(r.exitCode, 0, r.output);
    const out = init.environment.SLOFORGE_HA_OUT!;
    const volume = init.mounts.find((m) => !m.bind && out.startsWith(`${m.target}/`))!;
    const file = path.join(sandbox.volume(volume.source), path.posix.relative(volume.target, out));
    const check = await execa(await tool('amtool'), ['check-config', file], { reject: false, all: true });
    assert.equal(check.exitCode, 0, check.all);
    const cfg = parse(readFileSync(file, 'utf8')) as { receivers: Array<{ name: string; webhook_configs?: Array<{ url: string }> }> };
    assert.deepEqual(
      cfg.receivers.find((x) => x.name === 'sloforge-remediation')!.webhook_configs!.map((w) => w.url),
      ['http://sloforge-receiver-a:9095/alerts', 'http://sloforge-receiver-b:9095/alerts'],
    );
  });

  for (const svc of longRunning) {
    test(`${svc.name}: its compose command starts on a read-only /app with an empty npm cache, and its healthcheck passes`, async (t) => {
      const first = await oneShotsFinished();
      for (const [name, condition] of Object.entries(svc.dependsOn)) {
        if (condition === 'service_completed_successfully')
          assert.equal(first.get(name)?.exitCode, 0, `${name}, which ${svc.name} waits for, failed`);
      }
      const proc = sandbox.start(svc);
      t.after(() => proc.stop());
      await sandbox.waitHealthy(proc, svc);
      // The harness must reproduce what made npx fail in the container, or a pass proves nothing.
      const write = await sandbox.exec(proc, ['node', '-e', "require('node:fs').writeFileSync('/app/.sloforge-write-probe', '')"]);
      assert.notEqual(write.exitCode, 0, `${svc.name} could write into /app`);
      assert.match(write.output, /EROFS/);
      assert.equal(proc.exited, undefined, proc.output());
    });
  }

  function mountedVolume(svc: Service, target: string): string {
    const m = svc.mounts.find((x) => x.target === target);
    assert.ok(m && !m.bind, `${svc.name} mounts no named volume at ${target}`);
    return sandbox.volume(m.source);
  }
});
