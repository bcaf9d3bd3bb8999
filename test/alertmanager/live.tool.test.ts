// A real Alertmanager 0.25 on 127.0.0.1, loaded with what sloforge compiles. Team receivers are
// real PagerDuty, Slack, Opsgenie, Discord, Webex and webhook notifiers whose endpoints point at
// a local HTTP server, so the production compile path and templates are exercised unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { config, ensureTools, tempDir, writeAlertmanager } from './helpers.js';
import { freePort, until } from '../helpers/net.js';

interface Delivery {
  path: string;
  auth: string | undefined;
  body: string;
}

/** Records every request; answers as each service would on success. */
async function startRecorder(t: { after: (fn: () => Promise<void>) => void }): Promise<{ url: string; deliveries: Delivery[] }> {
  const deliveries: Delivery[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      deliveries.push({ path: req.url ?? '', auth: req.headers.authorization, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(req.url?.startsWith('/pagerduty') || req.url?.startsWith('/opsgenie') ? 202 : 200, {
        'content-type': 'application/json',
      });
      // Telegram's client reads the sent message back from `result`.
      res.end('{"status":"success","ok":true,"result":{"message_id":1,"date":0,"chat":{"id":-100123,"type":"group"}}}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Alertmanager keeps its connections open: close them, or close() waits until it exits.
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, deliveries };
}

/** Just enough SMTP for Go's net/smtp client without TLS or auth; each mail is recorded as path "smtp". */
async function startSmtp(t: { after: (fn: () => Promise<void>) => void }, deliveries: Delivery[]): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createNetServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    let buf = '';
    let data: string[] | undefined;
    sock.write('220 127.0.0.1 ESMTP test\r\n');
    sock.on('data', (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      for (let i = buf.indexOf('\r\n'); i >= 0; i = buf.indexOf('\r\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (data) {
          if (line === '.') {
            deliveries.push({ path: 'smtp', auth: undefined, body: data.join('\n') });
            data = undefined;
            sock.write('250 queued\r\n');
          } else data.push(line);
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'DATA') {
          data = [];
          sock.write('354 end with .\r\n');
        } else if (verb === 'QUIT') sock.end('221 bye\r\n');
        else sock.write('250 ok\r\n');
      }
    });
    sock.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Go's SMTP client may hold its connection open: end it, or close() waits for Alertmanager.
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  );
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FAST = { groupWait: '1s', groupInterval: '1s', repeatInterval: '1h' };
const FAST_ROUTING = { page: FAST, ticket: FAST, remediation: FAST };

type Labels = Record<string, string>;
/** Each alert carries `case` in a label and its summary, so any notifier's body names it. */
function alert(id: string, labels: Labels): { labels: Labels; annotations: Labels } {
  return {
    labels: { case: `case-${id}`, ...labels },
    annotations: {
      summary: `case-${id}`,
      objective: '99.9%',
      runbook_url: `https://runbooks.example.com/${id}`,
      dashboard: `https://grafana.example.com/d/${id}`,
    },
  };
}

const pay = { service: 'checkout', team: 'payments' };
const auto = { service: 'workflow-platform', team: 'automation' };
const ml = { service: 'llm-pipeline', team: 'ml-platform' };
const ALERTS = [
  alert('a1', { ...pay, alertname: 'ErrorBudgetBurnFast', slo: 'availability', severity: 'critical', remediation: 'restart-checkout' }),
  alert('a2', { ...pay, alertname: 'ErrorBudgetBurnSlow', slo: 'availability', severity: 'warning', remediation: 'restart-checkout' }),
  alert('a3', { ...pay, alertname: 'ErrorBudgetBurnFast', slo: 'latency', severity: 'critical' }),
  alert('a4', { ...pay, alertname: 'ErrorBudgetBurnSlow', slo: 'latency', severity: 'warning' }),
  alert('a5', { ...pay, alertname: 'ThresholdCritical', threshold: 'cpu', severity: 'critical' }),
  alert('a6', { ...pay, alertname: 'ThresholdWarning', threshold: 'cpu', severity: 'warning' }),
  alert('a7', { ...pay, alertname: 'ThresholdWarning', threshold: 'memory', severity: 'warning' }),
  alert('a8', { ...pay, alertname: 'SLONoData', slo: 'latency', nodata: 'true', severity: 'warning' }),
  alert('a9', { ...pay, alertname: 'ThresholdNoData', threshold: 'memory', nodata: 'true', severity: 'warning' }),
  alert('e1', { ...pay, alertname: 'ErrorBudgetBurnFast', slo: 'search', severity: 'critical' }),
  alert('e2', { ...pay, alertname: 'ErrorBudgetBurnSlow', slo: 'cart', severity: 'warning' }),
  alert('e3', { ...pay, alertname: 'SLONoData', slo: 'cart', nodata: 'true', severity: 'warning' }),
  alert('b1', { ...auto, alertname: 'SLONoData', slo: 'executions', nodata: 'true', severity: 'critical' }),
  alert('b2', { ...auto, alertname: 'ErrorBudgetBurnFast', slo: 'executions', severity: 'critical' }),
  alert('b3', { ...auto, alertname: 'ThresholdCritical', threshold: 'queue', severity: 'critical' }),
  alert('b4', { ...auto, alertname: 'ErrorBudgetBurnSlow', slo: 'webhook-latency', severity: 'warning', remediation: 'replay-webhooks' }),
  alert('c1', { ...ml, alertname: 'ErrorBudgetBurnFast', slo: 'success', severity: 'critical' }),
  alert('c2', { ...ml, alertname: 'ThresholdWarning', threshold: 'gpu', severity: 'warning' }),
  alert('c3', { ...ml, alertname: 'ThresholdWarning', threshold: 'queue', severity: 'warning', remediation: 'scale-workers' }),
  // No service label on either side: equal [service, slo] must not see "" == "" as a match.
  alert('d1', { team: 'payments', alertname: 'CustomCritical', slo: 'availability', severity: 'critical' }),
  alert('d2', { team: 'payments', alertname: 'CustomWarning', slo: 'availability', severity: 'warning' }),
  alert('q1', {
    service: 'batch',
    team: 'quiet',
    alertname: 'ErrorBudgetBurnFast',
    slo: 'jobs',
    severity: 'critical',
    remediation: 'rerun',
  }),
  alert('q2', { service: 'batch', team: 'quiet', alertname: 'ErrorBudgetBurnSlow', slo: 'jobs', severity: 'warning' }),
  alert('u1', { service: 'stray', team: 'nobody', alertname: 'ErrorBudgetBurnFast', slo: 'x', severity: 'critical' }),
  // A grouped SLO (groupBy: [route]): a page mutes the ticket of its own route only.
  alert('g1', { ...pay, alertname: 'ErrorBudgetBurnFast', slo: 'routes', route: '/cart', severity: 'critical' }),
  alert('g2', { ...pay, alertname: 'ErrorBudgetBurnSlow', slo: 'routes', route: '/cart', severity: 'warning' }),
  alert('g3', { ...pay, alertname: 'ErrorBudgetBurnSlow', slo: 'routes', route: '/pay', severity: 'warning' }),
];

/**
 * The inhibition matrix of docs/alertmanager.md, exactly: every inhibited alert with every alert
 * that inhibits it; all others (a1, a3, a5, e1, b3 among them) are not inhibited at all.
 */
const EXPECTED_INHIBITED: Record<string, string[]> = {
  // Alertmanager names the source of the first rule that mutes an alert. The ticket tier of
  // an SLO by its page tier; the page (a3) is muted by neither that ticket nor the SLO's own
  // no-data warning (a8), and the page does not mute that no-data warning either.
  'case-a4': ['case-a3'],
  'case-a6': ['case-a5'], // a threshold's critical level silences its warning level
  'case-a7': ['case-a9'], // a threshold's own no-data; the sibling critical (a5) and pages stay
  'case-e2': ['case-e3'], // an SLO's no-data warning silences that SLO's ticket tier
  'case-b2': ['case-b1'], // a critical no-data silences the page of its own SLO only (not b3)
  'case-q2': ['case-q1'],
  'case-g2': ['case-g1'], // the same route's page; g3, another route's ticket, is not muted
};

/** Receiver endpoint (request path) -> cases notified there, while firing. */
const EXPECTED_DELIVERIES: Record<string, string[]> = {
  '/pagerduty': ['case-a1', 'case-a3', 'case-a5', 'case-d1', 'case-e1', 'case-g1'],
  '/slack': ['case-a2', 'case-a8', 'case-a9', 'case-d2', 'case-e3', 'case-g3'],
  '/remediation': ['case-a1', 'case-a2', 'case-b4', 'case-c3'],
  '/opsgenie/v2/alerts': ['case-b1', 'case-b3'],
  '/discord': ['case-b1', 'case-b3'],
  '/automation-ticket': ['case-b4'],
  '/telegram/botbot-token/sendMessage': ['case-b4'],
  '/ml-page': ['case-c1'],
  smtp: ['case-c1'],
  '/default': ['case-u1'],
  // ml-platform's warnings (c2, c3) wait for business hours that never come; team quiet is in
  // maintenance, its remediation included; inhibited alerts reach nobody.
};

function casesOf(body: string): string[] {
  return [...new Set(body.match(/case-[a-z]\d/g) ?? [])].sort();
}

/** Every (endpoint, case) pair seen, in a stable order, counting repeats. */
function delivered(deliveries: Delivery[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const d of deliveries) (out[d.path] ??= []).push(...casesOf(d.body));
  for (const k of Object.keys(out)) out[k]!.sort();
  return out;
}

test('a live Alertmanager inhibits, mutes and notifies exactly as designed', { timeout: 120_000 }, async (t) => {
  await ensureTools();
  const dir = await tempDir(t);
  const rec = await startRecorder(t);
  const smtp = await startSmtp(t, rec.deliveries);
  const secrets = path.join(dir, 'secrets');
  await mkdir(secrets);
  const secret = async (name: string, content: string) => {
    await writeFile(path.join(secrets, name), content);
    return path.join(secrets, name);
  };

  const cfg = config({
    teams: [
      {
        name: 'payments',
        page: { pagerduty: { routingKeyFile: await secret('pd', 'pd-routing-key'), url: `${rec.url}/pagerduty` } },
        ticket: { slack: { apiUrlFile: await secret('slack', `${rec.url}/slack`), channel: '#payments' } },
        routing: FAST_ROUTING,
      },
      {
        name: 'automation',
        page: {
          opsgenie: { apiKeyFile: await secret('og', 'og-key'), apiUrl: `${rec.url}/opsgenie/` },
          discord: { webhookUrl: `${rec.url}/discord`, inlineSecret: true },
        },
        ticket: {
          webhook: { url: `${rec.url}/automation-ticket` },
          telegram: { botToken: 'bot-token', chatId: -100123, inlineSecret: true, apiUrl: `${rec.url}/telegram` },
        },
        routing: FAST_ROUTING,
      },
      {
        name: 'ml-platform',
        page: {
          webhook: { url: `${rec.url}/ml-page`, credentialsFile: await secret('ml', 'ml-token') },
          email: { to: 'ml-oncall@example.com', smarthost: smtp, requireTls: false },
        },
        ticket: { webex: { roomId: 'room-1', credentialsFile: await secret('webex', 'webex-token'), apiUrl: `${rec.url}/webex` } },
        businessHours: [{ years: ['2000'] }],
        routing: FAST_ROUTING,
      },
      {
        name: 'quiet',
        page: { webhook: { url: `${rec.url}/quiet-page` } },
        ticket: { webhook: { url: `${rec.url}/quiet-ticket` } },
        maintenance: [{ weekdays: ['sunday:saturday'] }],
        routing: FAST_ROUTING,
      },
    ],
    // One grouped SLO, so the inhibition rules compare its grouping label (the g cases).
    services: [
      {
        name: 'checkout',
        team: 'payments',
        slos: [
          {
            name: 'routes',
            objective: 99.9,
            groupBy: ['route'],
            alerting: { noData: { enabled: false } },
            sli: { ratio: { errors: 'http_requests_total{code=~"5.."}', total: 'http_requests_total' } },
          },
        ],
      },
    ],
    // Declared, so that the remediation route exists; they never run here.
    remediations: ['restart-checkout', 'replay-webhooks', 'scale-workers', 'rerun'].map((name) => ({
      name,
      action: { http: { url: `${rec.url}/never` } },
    })),
    alertmanager: {
      remediation: { url: `${rec.url}/remediation`, credentialsFile: await secret('receiver-token', 'receiver-token') },
      defaultReceiver: { webhook: { url: `${rec.url}/default` } },
      routing: FAST_ROUTING,
      smtp: { from: 'alertmanager@example.com' },
    },
  });
  const configFile = await writeAlertmanager(cfg, path.join(dir, 'out'));

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
  await until('Alertmanager to be ready', async () => ((await fetch(`${api}/-/ready`)).ok ? true : undefined));

  const post = await fetch(`${api}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ALERTS),
  });
  assert.equal(post.status, 200, await post.text());

  // Inhibition as the API reports it: status.inhibitedBy lists the sources' fingerprints.
  type ApiAlert = { labels: Labels; fingerprint: string; status: { state: string; inhibitedBy: string[] } };
  const inhibited = await until('inhibition to settle', async () => {
    const alerts = (await (await fetch(`${api}/api/v2/alerts`)).json()) as ApiAlert[];
    if (alerts.length !== ALERTS.length) return undefined;
    const byFp = new Map(alerts.map((a) => [a.fingerprint, a.labels.case!]));
    const got = Object.fromEntries(
      alerts
        .filter((a) => a.status.inhibitedBy.length > 0)
        .map((a) => [a.labels.case!, a.status.inhibitedBy.map((f) => byFp.get(f)!).sort()]),
    );
    const count = (m: Record<string, string[]>) => Object.values(m).reduce((n, v) => n + v.length, 0);
    return count(got) >= count(EXPECTED_INHIBITED) ? got : undefined;
  });
  assert.deepEqual(inhibited, EXPECTED_INHIBITED);

  await until('every expected notification', async () => {
    const got = delivered(rec.deliveries);
    return Object.entries(EXPECTED_DELIVERIES).every(([p, cases]) => cases.every((c) => got[p]?.includes(c))) ? true : undefined;
  });
  // Held, muted and inhibited notifications would have gone out within a few group intervals.
  await sleep(4000);
  assert.deepEqual(delivered(rec.deliveries), EXPECTED_DELIVERIES);

  const one = (p: string) => rec.deliveries.find((d) => d.path === p)!;
  assert.equal(one('/remediation').auth, 'Bearer receiver-token');
  assert.equal(one('/ml-page').auth, 'Bearer ml-token');
  const remediation = rec.deliveries
    .filter((d) => d.path === '/remediation')
    .map((d) => JSON.parse(d.body) as { version: string; status: string; alerts: Array<{ labels: Labels; fingerprint: string }> });
  assert.ok(
    remediation.every((b) => b.version === '4' && b.status === 'firing' && b.alerts.every((a) => a.labels.remediation && a.fingerprint)),
  );

  const mail = one('smtp').body;
  assert.match(mail, /^Subject: \[FIRING:1\] case-c1$/m);
  assert.match(mail, /^To: ml-oncall@example\.com$/m);
  assert.match(mail, /^Service: llm-pipeline \(team ml-platform\)$/m);
  const telegram = JSON.parse(one('/telegram/botbot-token/sendMessage').body) as { chat_id: string; text: string };
  assert.equal(String(telegram.chat_id), '-100123');
  assert.match(telegram.text, /^SLO: webhook-latency \(objective 99\.9%\)$/m);

  // The real notifiers rendered sloforge's templates.
  const pd = rec.deliveries
    .filter((d) => d.path === '/pagerduty')
    .map(
      (d) =>
        JSON.parse(d.body) as {
          routing_key: string;
          event_action: string;
          payload: { summary: string; severity: string; custom_details: Labels };
        },
    );
  const pdA1 = pd.find((e) => e.payload.summary.includes('case-a1'))!;
  assert.equal(pdA1.routing_key, 'pd-routing-key');
  assert.equal(pdA1.event_action, 'trigger');
  assert.equal(pdA1.payload.summary, '[FIRING:1] case-a1');
  assert.equal(pdA1.payload.severity, 'critical');
  assert.equal(pdA1.payload.custom_details.service, 'checkout');
  assert.equal(pdA1.payload.custom_details.slo, 'availability');
  assert.equal(pdA1.payload.custom_details.objective, '99.9%');
  assert.equal(pdA1.payload.custom_details.burn_rate, 'fast (page tier)');
  assert.equal(pdA1.payload.custom_details.runbook, 'https://runbooks.example.com/a1');
  assert.equal(pdA1.payload.custom_details.dashboard, 'https://grafana.example.com/d/a1');
  const slack = rec.deliveries
    .filter((d) => d.path === '/slack')
    .map(
      (d) =>
        JSON.parse(d.body) as { channel: string; attachments: Array<{ title: string; title_link: string; text: string; color: string }> },
    );
  const slackA2 = slack.find((s) => s.attachments[0]!.title.includes('case-a2'))!;
  assert.equal(slackA2.channel, '#payments');
  assert.equal(slackA2.attachments[0]!.color, 'warning');
  assert.equal(slackA2.attachments[0]!.title_link, 'https://grafana.example.com/d/a2');
  assert.match(slackA2.attachments[0]!.text, /\*Service:\* checkout {2}\*SLO:\* availability {2}\*Objective:\* 99\.9%/);
  assert.match(
    slackA2.attachments[0]!.text,
    /<https:\/\/runbooks\.example\.com\/a2\|Runbook> \| <https:\/\/grafana\.example\.com\/d\/a2\|Dashboard>/,
  );

  // Resolving the page-tier burn: its page and its remediation get the resolved notice.
  const before = rec.deliveries.length;
  const resolved = { ...ALERTS[0]!, endsAt: new Date(Date.now() - 1000).toISOString() };
  assert.equal(
    (
      await fetch(`${api}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([resolved]),
      })
    ).status,
    200,
  );
  const after = await until('resolved notifications', async () => {
    const fresh = rec.deliveries.slice(before);
    return fresh.some((d) => d.path === '/pagerduty') && fresh.some((d) => d.path === '/remediation') ? fresh : undefined;
  });
  const resolvedRemediation = JSON.parse(after.find((d) => d.path === '/remediation')!.body) as {
    status: string;
    alerts: Array<{ status: string; labels: Labels }>;
  };
  assert.equal(resolvedRemediation.status, 'resolved');
  assert.deepEqual(
    resolvedRemediation.alerts.map((a) => [a.labels.case, a.status]),
    [['case-a1', 'resolved']],
  );
  const resolvedPage = JSON.parse(after.find((d) => d.path === '/pagerduty')!.body) as {
    event_action: string;
    payload: { summary: string };
  };
  assert.equal(resolvedPage.event_action, 'resolve');
  assert.match(resolvedPage.payload.summary, /case-a1/);
});
