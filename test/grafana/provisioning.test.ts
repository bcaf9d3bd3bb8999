import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { compile } from '../../src/compile.js';
import { ConfigError } from '../../src/config/errors.js';
import { CONTAINER_DASHBOARDS_DIR } from '../../src/grafana/provisioning.js';
import { fixtureConfig } from './fixture.js';

interface Provider {
  name: string;
  folder: string;
  folderUid: string;
  options: { path: string };
}

const files = (grafana?: Record<string, unknown>) => new Map(compile(fixtureConfig(grafana)).map((a) => [a.path, a.content]));

test('the datasource is provisioned with the uid the dashboards default to', () => {
  const out = files();
  const ds = parse(out.get('grafana/provisioning/datasources/sloforge.yml')!) as {
    datasources: Array<{ uid: string; type: string; url: string }>;
  };
  assert.equal(ds.datasources.length, 1);
  assert.equal(ds.datasources[0]!.type, 'prometheus');
  const dashboard = JSON.parse(out.get('grafana/dashboards/teams/payments/checkout.json')!) as {
    templating: { list: Array<{ name: string; current: { value: string } }> };
  };
  assert.equal(dashboard.templating.list.find((v) => v.name === 'datasource')!.current.value, ds.datasources[0]!.uid);
});

test("one provider and folder per team with services, each path holding exactly that team's dashboards", () => {
  const out = files();
  const { providers } = parse(out.get('grafana/provisioning/dashboards/sloforge.yml')!) as { providers: Provider[] };
  assert.deepEqual(
    providers.map((p) => p.folder),
    ['SLOs', 'payments', 'search'],
  );
  assert.equal(new Set(providers.map((p) => p.folderUid)).size, providers.length);
  const dashboardPaths = [...out.keys()].filter((p) => p.startsWith('grafana/dashboards/'));
  for (const p of providers) {
    const dir = p.options.path.replace(`${CONTAINER_DASHBOARDS_DIR}/`, 'grafana/dashboards/');
    assert.ok(
      dashboardPaths.some((f) => f.startsWith(`${dir}/`)),
      `${p.name}: nothing under ${dir}`,
    );
  }
  // Providers' paths never nest, so no dashboard is loaded twice.
  for (const f of dashboardPaths) {
    const holders = providers.filter((p) =>
      f.startsWith(`${p.options.path.replace(`${CONTAINER_DASHBOARDS_DIR}/`, 'grafana/dashboards/')}/`),
    );
    assert.equal(holders.length, 1, f);
  }
});

test('datasource and folders follow the grafana config section', () => {
  const out = files({
    url: 'https://grafana.example.com/',
    datasource: { uid: 'prom-main', name: 'Main', url: 'http://prom:9090', scrapeInterval: '15s' },
    folders: { payments: 'Payments SLOs' },
  });
  assert.match(out.get('grafana/provisioning/datasources/sloforge.yml')!, /uid: prom-main\n[\s\S]*timeInterval: 15s/);
  assert.match(out.get('grafana/provisioning/dashboards/sloforge.yml')!, /folder: Payments SLOs/);
  assert.match(out.get('grafana/dashboards/teams/payments/checkout.json')!, /"value": "prom-main"/);
  assert.match(out.get('prometheus/rules/checkout.yml')!, /dashboard: https:\/\/grafana\.example\.com\/d\/sloforge-checkout/);
});

test('a folder for an unknown team names the field', () => {
  assert.throws(
    () => compile(fixtureConfig({ folders: { nobody: 'X' } })),
    (e: unknown) =>
      e instanceof ConfigError &&
      e.problems[0]!.path.join('.') === 'grafana.folders.nobody' &&
      /unknown team "nobody"/.test(e.problems[0]!.message),
  );
});

test('the provisioned datasource is not the default unless asked, and its name is no common one', () => {
  const dsOf = (out: Map<string, string>) =>
    (parse(out.get('grafana/provisioning/datasources/sloforge.yml')!) as { datasources: Array<{ name: string; isDefault: boolean }> })
      .datasources[0]!;
  // Grafana's provisioning updates a datasource of the same name: "Prometheus" would overwrite the user's.
  assert.deepEqual(dsOf(files()), { ...dsOf(files()), name: 'Prometheus (sloforge)', isDefault: false });
  assert.equal(dsOf(files({ datasource: { isDefault: true } })).isDefault, true);
});

test('provision: false points the dashboards at an existing datasource and provisions none', () => {
  const out = files({ datasource: { uid: 'mimir-prod', name: 'Mimir', provision: false } });
  assert.equal(out.has('grafana/provisioning/datasources/sloforge.yml'), false);
  assert.ok(out.has('grafana/provisioning/dashboards/sloforge.yml'));
  for (const p of ['grafana/dashboards/teams/payments/checkout.json', 'grafana/dashboards/overview/overview.json']) {
    const dashboard = JSON.parse(out.get(p)!) as {
      templating: { list: Array<{ name: string; current: { text: string; value: string } }> };
    };
    assert.deepEqual(dashboard.templating.list.find((v) => v.name === 'datasource')!.current, {
      selected: true,
      text: 'Mimir',
      value: 'mimir-prod',
    });
  }
});

test('provision: false refuses the settings of a provisioned datasource and needs the uid', () => {
  assert.throws(
    () => compile(fixtureConfig({ datasource: { provision: false, url: 'http://prom:9090', isDefault: true } })),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.deepEqual(e.problems.map((p) => p.path.join('.')).sort(), [
        'grafana.datasource.isDefault',
        'grafana.datasource.uid',
        'grafana.datasource.url',
      ]);
      assert.match(e.problems[0]!.message, /applies only to a datasource sloforge provisions/);
      return true;
    },
  );
});

test('without grafana.url alerts carry no dashboard link (rather than a localhost one)', () => {
  const rules = files().get('prometheus/rules/checkout.yml')!;
  assert.doesNotMatch(rules, /dashboard:|localhost/);
  assert.match(
    files({ url: 'https://grafana.example.com' }).get('prometheus/rules/checkout.yml')!,
    /dashboard: https:\/\/grafana\.example\.com\/d\/sloforge-checkout/,
  );
});
