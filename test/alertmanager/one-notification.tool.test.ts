// One person-facing notification per incident and SLO, on a real Alertmanager 0.25: the burn-rate
// alerts sloforge's rules raise (their labels read from the generated rule groups, as Prometheus
// would send them) for SLOs whose remediation runs on the page, on the ticket or on both. While
// an SLO's page fires, its ticket reaches no person; the remediation receiver still gets every
// alert of the tiers it is bound to. A ticket without a page reaches people as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { config, ensureTools, tempDir, writeAlertmanager } from './helpers.js';
import { freePort, until } from '../helpers/net.js';
import { sloRuleGroup } from '../../src/prometheus/slo-rules.js';
import type { AlertingRule } from '../../src/prometheus/rules.js';

type Labels = Record<string, string>;

/** Each webhook receiver's path -> the alerts (`slo/alertname/remediation`) it was sent while firing. */
async function startRecorder(t: { after: (fn: () => Promise<void>) => void }) {
  const got: Array<{ path: string; alerts: Labels[] }> = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        status: string;
        alerts: Array<{ status: string; labels: Labels }>;
      };
      got.push({ path: req.url ?? '', alerts: body.alerts.filter((a) => a.status === 'firing').map((a) => a.labels) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  const seen = (p: string) =>
    [
      ...new Set(got.filter((g) => g.path === p).flatMap((g) => g.alerts.map((a) => `${a.slo}/${a.alertname}/${a.remediation ?? ''}`))),
    ].sort();
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const FAST = { groupWait: '1s', groupInterval: '1s', repeatInterval: '1h' };
const sloOf = (name: string, alerting: Record<string, unknown>) => ({
  name,
  objective: 99.9,
  sli: { ratio: { errors: `${name.replace(/-/g, '_')}_total{code="500"}`, total: `${name.replace(/-/g, '_')}_total` } },
  alerting: { remediation: 'restart', noData: { enabled: false }, ...alerting },
});

test(
  "a page silences its SLO's ticket for people, whatever remediation is attached, while the remediation receiver gets what it is bound to",
  { timeout: 120_000 },
  async (t) => {
    await ensureTools();
    const dir = await tempDir(t);
    const rec = await startRecorder(t);
    const token = path.join(dir, 'receiver-token');
    await writeFile(token, 'receiver-token');
    const model = config({
      teams: [
        {
          name: 'search',
          page: { webhook: { url: `${rec.url}/page` } },
          ticket: { webhook: { url: `${rec.url}/ticket` } },
          routing: { page: FAST, ticket: FAST, remediation: FAST },
        },
      ],
      services: [
        {
          name: 'search-api',
          team: 'search',
          slos: [
            sloOf('on-page', {}), // the default: the page tier
            sloOf('on-both', { remediationTiers: ['page', 'ticket'] }),
            sloOf('on-ticket', { remediationTiers: ['ticket'] }),
            sloOf('ticket-only', { remediationTiers: ['ticket'] }), // burns slowly: no page
          ],
        },
      ],
      remediations: [{ name: 'restart', action: { http: { url: 'http://127.0.0.1:9/restart' } } }],
      alertmanager: {
        remediation: { url: `${rec.url}/remediation`, credentialsFile: token },
        routing: { page: FAST, ticket: FAST, remediation: FAST },
      },
    });
    const configFile = await writeAlertmanager(model, path.join(dir, 'out'));
    const svc = model.services[0]!;

    // The alerts Prometheus raises from the generated rules: the rule's labels, an empty one left out.
    const firing = (slo: string, tiers: Array<'critical' | 'warning'>) => {
      const rules = sloRuleGroup(
        svc,
        svc.slos.find((s) => s.name === slo)!,
      ).rules.filter((r): r is AlertingRule => 'alert' in r);
      return rules
        .filter((r) => tiers.includes(r.labels.severity as 'critical' | 'warning'))
        .map((r) => ({
          labels: Object.fromEntries(Object.entries({ alertname: r.alert, ...r.labels }).filter(([, v]) => v !== '')),
          annotations: { summary: r.annotations.summary ?? '' },
        }));
    };
    const alerts = [
      ...firing('on-page', ['critical', 'warning']),
      ...firing('on-both', ['critical', 'warning']),
      ...firing('on-ticket', ['critical', 'warning']),
      ...firing('ticket-only', ['warning']),
    ];
    // Two rules for a ticket that starts the remediation: the people's and the receiver's.
    assert.equal(alerts.length, 2 + 3 + 3 + 2);

    const port = await freePort();
    const am = execa(
      'prometheus-alertmanager',
      [
        `--config.file=${configFile}`,
        `--storage.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
        '--log.level=warn',
      ],
      { reject: false, all: true },
    );
    t.after(async () => {
      am.kill();
      await am;
    });
    const api = `http://127.0.0.1:${port}`;
    await until('Alertmanager to be ready', async () => ((await fetch(`${api}/-/ready`).catch(() => undefined))?.ok ? true : undefined));
    const post = await fetch(`${api}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts),
    });
    assert.equal(post.status, 200, await post.text());

    const PAGES = ['on-both/ErrorBudgetBurnFast/restart', 'on-page/ErrorBudgetBurnFast/restart', 'on-ticket/ErrorBudgetBurnFast/'];
    const REMEDIATION = [
      'on-both/ErrorBudgetBurnFast/restart',
      'on-both/ErrorBudgetBurnSlow/restart',
      'on-page/ErrorBudgetBurnFast/restart',
      'on-ticket/ErrorBudgetBurnSlow/restart',
      'ticket-only/ErrorBudgetBurnSlow/restart',
    ];
    await until(
      'pages, remediations and the lone ticket',
      async () =>
        PAGES.every((p) => rec.seen('/page').includes(p)) &&
        REMEDIATION.every((p) => rec.seen('/remediation').includes(p)) &&
        rec.seen('/ticket').length > 0
          ? true
          : undefined,
      30_000,
      () => JSON.stringify({ page: rec.seen('/page'), ticket: rec.seen('/ticket'), remediation: rec.seen('/remediation') }),
    );
    // What was held back would have gone out within a few group intervals of 1s.
    await new Promise((r) => setTimeout(r, 4000));
    // People: each page once, and of the tickets only that of the SLO that does not page.
    assert.deepEqual(rec.seen('/page'), PAGES);
    assert.deepEqual(rec.seen('/ticket'), ['ticket-only/ErrorBudgetBurnSlow/']);
    // The receiver: every alert of the tiers each remediation is bound to, tickets during a page included.
    assert.deepEqual(rec.seen('/remediation'), REMEDIATION);

    // Alertmanager's own view: the people's tickets of the paging SLOs are inhibited by their page.
    type ApiAlert = { labels: Labels; status: { inhibitedBy: string[] } };
    const state = (await (await fetch(`${api}/api/v2/alerts`)).json()) as ApiAlert[];
    const inhibited = state
      .filter((a) => a.status.inhibitedBy.length > 0)
      .map((a) => `${a.labels.slo}/${a.labels.alertname}/${a.labels.remediation ?? ''}`)
      .sort();
    assert.deepEqual(inhibited, ['on-both/ErrorBudgetBurnSlow/', 'on-page/ErrorBudgetBurnSlow/', 'on-ticket/ErrorBudgetBurnSlow/']);
  },
);
