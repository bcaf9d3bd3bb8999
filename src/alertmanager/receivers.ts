// Receiver specs from the config, as Alertmanager 0.25 receiver blocks. Every notifier sends
// resolved notices too, so a page or ticket closes itself when the budget stops burning.
import type { z } from 'zod';
import type { receiver as receiverSchema } from '../config/schema/team.js';
import type { alertmanagerSettings } from '../config/schema/alertmanager.js';
import { ref, T } from './templates.js';

export type ReceiverSpec = z.output<typeof receiverSchema>;
type Smtp = NonNullable<z.output<typeof alertmanagerSettings>>['smtp'];
type Block = Record<string, unknown>;

export interface AmReceiver {
  name: string;
  [kind: `${string}_configs`]: Block[];
}

const bearer = (credentialsFile: string) => ({ authorization: { type: 'Bearer', credentials_file: credentialsFile } });

/** Drops undefined fields so the YAML holds only what was set. */
function compact(block: Record<string, unknown>): Block {
  return Object.fromEntries(Object.entries(block).filter(([, v]) => v !== undefined));
}

export function receiverBlock(name: string, spec: ReceiverSpec, smtp: Smtp): AmReceiver {
  const out: AmReceiver = { name };
  if (spec.pagerduty) {
    const pd = spec.pagerduty;
    out.pagerduty_configs = [compact({
      send_resolved: true,
      routing_key_file: pd.routingKeyFile,
      url: pd.url,
      description: ref(T.title),
      severity: ref(T.pagerdutySeverity),
      details: {
        service: '{{ .CommonLabels.service }}',
        slo: '{{ .CommonLabels.slo }}',
        threshold: '{{ .CommonLabels.threshold }}',
        objective: '{{ .CommonAnnotations.objective }}',
        burn_rate: ref(T.groupBurnRate),
        runbook: '{{ .CommonAnnotations.runbook_url }}',
        dashboard: '{{ .CommonAnnotations.dashboard }}',
        summary: ref(T.text),
      },
    })];
  }
  if (spec.slack) {
    const s = spec.slack;
    out.slack_configs = [compact({
      send_resolved: true,
      api_url_file: s.apiUrlFile,
      channel: s.channel,
      username: s.username,
      title: ref(T.slackTitle),
      title_link: ref(T.titleLink),
      text: ref(T.slackText),
      color: ref(T.slackColor),
    })];
  }
  if (spec.email) {
    // Shared credentials only go to the shared server, never to a receiver's own smarthost.
    const shared = spec.email.smarthost === undefined ? smtp : { from: smtp?.from };
    const e = { ...shared, ...spec.email };
    out.email_configs = [compact({
      send_resolved: true,
      to: e.to,
      from: e.from,
      smarthost: e.smarthost,
      auth_username: e.authUsername,
      auth_password_file: e.authPasswordFile,
      require_tls: e.requireTls,
      headers: { Subject: ref(T.title) },
      text: ref(T.text),
    })];
  }
  if (spec.webhook) {
    const w = spec.webhook;
    out.webhook_configs = [compact({
      send_resolved: true,
      url: w.url,
      max_alerts: w.maxAlerts,
      http_config: w.credentialsFile ? bearer(w.credentialsFile) : undefined,
    })];
  }
  if (spec.opsgenie) {
    const o = spec.opsgenie;
    out.opsgenie_configs = [compact({
      send_resolved: true,
      api_key_file: o.apiKeyFile,
      api_url: o.apiUrl,
      message: ref(T.title),
      description: ref(T.text),
      priority: ref(T.opsgeniePriority),
      tags: 'sloforge,{{ .CommonLabels.team }},{{ .CommonLabels.service }}',
    })];
  }
  if (spec.discord) {
    out.discord_configs = [{ send_resolved: true, webhook_url: spec.discord.webhookUrl, title: ref(T.title), message: ref(T.text) }];
  }
  if (spec.telegram) {
    const t = spec.telegram;
    // Plain text: the default HTML mode would reject a description that contains "<".
    out.telegram_configs = [compact({ send_resolved: true, api_url: t.apiUrl, bot_token: t.botToken, chat_id: t.chatId, message: ref(T.text), parse_mode: '' })];
  }
  if (spec.webex) {
    const x = spec.webex;
    out.webex_configs = [compact({ send_resolved: true, api_url: x.apiUrl, room_id: x.roomId, message: ref(T.text), http_config: bearer(x.credentialsFile) })];
  }
  return out;
}
