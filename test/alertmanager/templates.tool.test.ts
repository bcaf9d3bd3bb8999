// The notification templates, rendered by amtool with the same engine Alertmanager uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { amtool, tempDir } from './helpers.js';
import { alertmanagerArtifacts } from '../../src/alertmanager/target.js';
import { TEMPLATE_FILE, T } from '../../src/alertmanager/templates.js';
import { config } from './helpers.js';

type Labels = Record<string, string>;
interface Alert {
  status: 'firing' | 'resolved';
  labels: Labels;
  annotations: Labels;
}

/** Alertmanager's template.Data for one group, as amtool --template.data reads it. */
function group(alerts: Alert[]): unknown {
  const common = (pick: (a: Alert) => Labels) =>
    Object.fromEntries(Object.entries(pick(alerts[0]!)).filter(([k, v]) => alerts.every((a) => pick(a)[k] === v)));
  return {
    receiver: 'payments-page',
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    externalURL: 'http://alertmanager:9093',
    groupLabels: { alertname: alerts[0]!.labels.alertname },
    commonLabels: common((a) => a.labels),
    commonAnnotations: common((a) => a.annotations),
    alerts: alerts.map((a, i) => ({
      ...a,
      startsAt: '2026-11-22T10:00:00Z',
      endsAt: a.status === 'resolved' ? '2026-11-22T11:00:00Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: `f${i}`,
    })),
  };
}

const fastBurn: Alert = {
  status: 'firing',
  labels: {
    alertname: 'ErrorBudgetBurnFast',
    service: 'checkout',
    slo: 'availability',
    team: 'payments',
    severity: 'critical',
    remediation: 'restart-checkout',
  },
  annotations: {
    summary: 'checkout availability: error budget burning fast (99.9% over 30d)',
    description: 'Checkout requests fail with <5xx> & timeouts.',
    objective: '99.9%',
    runbook_url: 'https://runbooks.example.com/checkout/availability',
    dashboard: 'https://grafana.example.com/d/sloforge-checkout',
  },
};
const slowBurn: Alert = {
  status: 'firing',
  labels: { alertname: 'ErrorBudgetBurnSlow', service: 'checkout', slo: 'latency', team: 'payments', severity: 'warning' },
  annotations: { summary: 'checkout latency: error budget burning steadily', objective: '99%', burn_rate: '3.4x' },
};
const threshold: Alert = {
  status: 'resolved',
  labels: { alertname: 'ThresholdWarning', service: 'checkout', threshold: 'cpu', team: 'payments', severity: 'warning' },
  annotations: { summary: 'checkout cpu above 70 percent' },
};
const noData: Alert = {
  status: 'firing',
  labels: { alertname: 'SloforgeNoData', service: 'checkout', slo: 'availability', team: 'payments', severity: 'warning', nodata: 'true' },
  annotations: { summary: 'checkout availability has no data' },
};

async function render(t: Parameters<typeof tempDir>[0], name: string, alerts: Alert[]): Promise<string> {
  const dir = await tempDir(t);
  const tmpl = alertmanagerArtifacts(config({ teams: [], services: [] })).find((a) => a.path === TEMPLATE_FILE)!;
  await writeFile(path.join(dir, 'sloforge.tmpl'), tmpl.content);
  await writeFile(path.join(dir, 'data.json'), JSON.stringify(group(alerts)));
  return amtool([
    'template',
    'render',
    `--template.glob=${dir}/sloforge.tmpl`,
    `--template.data=${dir}/data.json`,
    `--template.text={{ template "${name}" . }}`,
  ]);
}

test('Slack text shows service, SLO, objective, burn rate, runbook and dashboard, escaped for mrkdwn', async (t) => {
  const out = await render(t, T.slackText, [fastBurn]);
  assert.equal(out.split('\n')[0], '*CRITICAL* checkout availability: error budget burning fast (99.9% over 30d)');
  assert.match(out, /^\*Service:\* checkout {2}\*SLO:\* availability {2}\*Objective:\* 99\.9%$/m);
  assert.match(out, /^\*Burn rate:\* fast \(page tier\)$/m);
  assert.match(out, /^Checkout requests fail with &lt;5xx&gt; &amp; timeouts\.$/m);
  assert.match(
    out,
    /^<https:\/\/runbooks\.example\.com\/checkout\/availability\|Runbook> \| <https:\/\/grafana\.example\.com\/d\/sloforge-checkout\|Dashboard>$/m,
  );
  assert.match(out, /Remediation restart-checkout/);
});

test('Slack: a burn_rate annotation wins over the tier; missing links leave no empty markup', async (t) => {
  const out = await render(t, T.slackText, [slowBurn, threshold]);
  assert.match(out, /^\*WARNING\* checkout latency: error budget burning steadily$/m);
  assert.match(out, /^\*Burn rate:\* 3\.4x$/m);
  assert.match(out, /^\*RESOLVED\* checkout cpu above 70 percent$/m);
  assert.match(out, /^\*Service:\* checkout {2}\*Threshold:\* cpu$/m);
  assert.doesNotMatch(out, /<\||\|>|Runbook|Dashboard/);
});

test('Slack title, colour and link follow status, severity and annotations', async (t) => {
  assert.equal(await render(t, T.slackTitle, [fastBurn]), '[FIRING:1] checkout availability: error budget burning fast (99.9% over 30d)');
  assert.equal(await render(t, T.slackColor, [fastBurn]), 'danger');
  assert.equal(await render(t, T.slackColor, [slowBurn]), 'warning');
  assert.equal(await render(t, T.slackColor, [threshold]), 'good');
  assert.equal(await render(t, T.titleLink, [fastBurn]), 'https://grafana.example.com/d/sloforge-checkout');
  // Without a summary common to the group the title names service and alert.
  assert.equal(
    await render(t, T.title, [slowBurn, { ...slowBurn, annotations: { summary: 'other' } }]),
    '[FIRING:2] checkout latency: ErrorBudgetBurnSlow',
  );
});

test('PagerDuty: event severity, description and the plain-text details', async (t) => {
  assert.equal(await render(t, T.pagerdutySeverity, [fastBurn]), 'critical');
  assert.equal(await render(t, T.pagerdutySeverity, [slowBurn]), 'warning');
  assert.equal(await render(t, T.opsgeniePriority, [fastBurn]), 'P1');
  assert.equal(await render(t, T.groupBurnRate, [fastBurn]), 'fast (page tier)');
  assert.equal(await render(t, T.groupBurnRate, [slowBurn]), '3.4x');
  assert.equal(await render(t, T.groupBurnRate, [threshold]), '');
  assert.equal(await render(t, T.groupBurnRate, [noData]), '');
  const text = await render(t, T.text, [fastBurn]);
  assert.deepEqual(text.split('\n'), [
    '[CRITICAL] checkout availability: error budget burning fast (99.9% over 30d)',
    'Service: checkout (team payments)',
    'SLO: availability (objective 99.9%)',
    'Burn rate: fast (page tier)',
    'Checkout requests fail with <5xx> & timeouts.',
    'Runbook: https://runbooks.example.com/checkout/availability',
    'Dashboard: https://grafana.example.com/d/sloforge-checkout',
    'Remediation: restart-checkout (run by the sloforge receiver)',
    'Since: 2026-11-22 10:00:00 UTC',
  ]);
});

test('no-data alerts say so instead of quoting a burn rate', async (t) => {
  const text = await render(t, T.text, [noData]);
  assert.match(text, /No data: the SLI or threshold query returns nothing/);
  assert.doesNotMatch(text, /Burn rate/);
  const slack = await render(t, T.slackText, [noData]);
  assert.match(slack, /\*No data:\*/);
  assert.doesNotMatch(slack, /Burn rate/);
});

test("labels beyond sloforge's own (a group, a series label) are listed, escaped for Slack; none, no line", async (t) => {
  const grouped: Alert = {
    status: 'firing',
    labels: { ...fastBurn.labels, route: '/cart', action: '<!channel> & co', tier: '1' },
    annotations: { summary: 'checkout availability (route="/cart"): error budget burning fast' },
  };
  const slack = await render(t, T.slackText, [grouped, slowBurn]);
  assert.match(slack, /^\*Labels:\* action=&lt;!channel&gt; &amp; co, route=\/cart, tier=1$/m);
  assert.equal(slack.match(/\*Labels:\*/g)?.length, 1, "the slow burn has only sloforge's labels");
  const text = await render(t, T.text, [grouped, slowBurn]);
  assert.match(text, /^Labels: action=<!channel> & co, route=\/cart, tier=1$/m);
  assert.equal(text.match(/^Labels:/gm)?.length, 1);
});
