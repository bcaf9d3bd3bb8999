// Shared by the Alertmanager tests: tools, temp folders, compiling a config to disk.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { validateConfig } from '../../src/config/validate.js';
import type { ConfigInput } from '../../src/config/schema/config.js';
import { resolveModel } from '../../src/model/resolve.js';
import type { Model } from '../../src/model/types.js';
import { alertmanagerArtifacts, ALERTMANAGER_FILE } from '../../src/alertmanager/target.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let tools: Promise<unknown> | undefined;
/** Installs amtool and Alertmanager when missing; a failure fails the test, never skips it. */
export function ensureTools(): Promise<unknown> {
  tools ??= execa('bash', [path.join(ROOT, 'scripts/ensure-tools.sh')]);
  return tools;
}

export async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sloforge-am-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A config as the Alertmanager target sees it: validated and resolved. */
export function config(input: ConfigInput | Record<string, unknown>): Model {
  return resolveModel(validateConfig(input));
}

/** Writes the Alertmanager artifacts of `cfg` under `dir` as `generate` would; returns the config file. */
export async function writeAlertmanager(cfg: Model, dir: string): Promise<string> {
  for (const a of alertmanagerArtifacts(cfg)) {
    const file = path.join(dir, a.path);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, a.content);
  }
  return path.join(dir, ALERTMANAGER_FILE);
}

export async function amtool(args: string[]): Promise<string> {
  await ensureTools();
  const r = await execa('amtool', args, { reject: false });
  if (r.exitCode !== 0) throw new Error(`amtool ${args.join(' ')} failed (${r.exitCode}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout.trim();
}

/** A config using every receiver kind, time intervals and timing overrides. */
export const everyKind = {
  teams: [
    {
      name: 'payments',
      page: {
        pagerduty: { routingKeyFile: '/s/pd', url: 'https://events.example.com/v2/enqueue' },
        opsgenie: { apiKeyFile: '/s/og', apiUrl: 'https://api.example.com/' },
      },
      ticket: { slack: { apiUrlFile: '/s/slack', channel: '#pay', username: 'sloforge' }, email: { to: 'pay@example.com' } },
      routing: { page: { groupWait: '5s', groupBy: ['...'] }, ticket: { repeatInterval: '12h' }, remediation: { groupWait: '0s' } },
      maintenance: [{ weekdays: ['saturday', 'sunday'], months: ['December'], years: ['2026:2027'] }],
      businessHours: [
        {
          weekdays: ['monday:friday'],
          times: [
            { start: '09:00', end: '12:30' },
            { start: '13:30', end: '17:45' },
          ],
          location: 'America/New_York',
        },
      ],
    },
    {
      name: 'automation',
      page: {
        webhook: { url: 'https://hooks.example.com/page', credentialsFile: '/s/hook', maxAlerts: 10 },
        webex: { roomId: 'room', credentialsFile: '/s/webex' },
      },
      ticket: {
        discord: { webhookUrl: 'https://discord.example.com/api/webhooks/1/x', inlineSecret: true },
        telegram: { botToken: 'bot-token', chatId: -100123, inlineSecret: true },
      },
    },
    {
      name: 'ml-platform',
      ticket: { email: { to: 'ml@example.com', from: 'am@example.com', smarthost: 'smtp.example.com:25', requireTls: false } },
    },
    { name: 'no-receivers' },
  ],
  services: [
    { name: 'checkout', team: 'payments' },
    { name: 'worker', team: 'automation' },
    { name: 'llm', team: 'ml-platform' },
  ],
  remediations: [{ name: 'r', action: { http: { url: 'http://127.0.0.1:8080/restart' } } }],
  alertmanager: {
    remediation: { url: 'http://127.0.0.1:9095/alerts', credentialsFile: '/s/token' },
    defaultReceiver: { webhook: { url: 'https://hooks.example.com/unrouted' } },
    routing: { page: { repeatInterval: '3h' } },
    smtp: { from: 'alertmanager@example.com', smarthost: 'smtp.example.com:587', authUsername: 'am', authPasswordFile: '/s/smtp' },
    resolveTimeout: '10m',
  },
};

/** An alertmanager.yml that routes other alerts: what `sloforge alertmanager merge` merges into. */
export const EXISTING = `# The platform team's Alertmanager.
global:
  resolve_timeout: 5m
route:
  receiver: ops-email   # everything unrouted
  group_by: [alertname, cluster]
  routes:
    # databases page their own on-call
    - receiver: db-pager
      matchers: ['team="db"']
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [cluster]
receivers:
  - name: ops-email
    email_configs:
      - to: ops@example.com
        from: am@example.com
        smarthost: smtp.example.com:587
  - name: db-pager
    webhook_configs:
      - url: http://pager.example.com/hook
`;
