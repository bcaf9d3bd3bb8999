// Receivers from the config as typed values, built once here for both targets that route: this
// folder renders them as Alertmanager 0.25 receiver blocks (`receiverYaml`), src/kubernetes/
// as AlertmanagerConfig receivers, so both carry the same templates and options. Every notifier
// sends resolved notices too, so a page or ticket closes itself when the budget stops burning.
import type { z } from 'zod';
import { RECEIVER_KINDS, type receiver as receiverSchema } from '../config/schema/team.js';
import type { alertmanagerSettings } from '../config/schema/alertmanager.js';
import { unhandled } from '../config/kinds.js';
import { ref, T } from './templates.js';

export type ReceiverSpec = z.output<typeof receiverSchema>;
type Smtp = NonNullable<z.output<typeof alertmanagerSettings>>['smtp'];
type ReceiverKind = (typeof RECEIVER_KINDS)[number];

// Template texts are final strings here; secrets are the file paths (or, for Discord and
// Telegram, the inline values) the config names: each renderer spells them its own way.
export type Notifier =
  | { kind: 'pagerduty'; routingKeyFile: string; url?: string; description: string; severity: string; details: Record<string, string> }
  | { kind: 'slack'; apiUrlFile: string; channel: string; username?: string; title: string; titleLink: string; text: string; color: string }
  | {
      kind: 'email';
      to: string;
      from?: string;
      smarthost?: string;
      authUsername?: string;
      authPasswordFile?: string;
      requireTls?: boolean;
      headers: Record<string, string>;
      text: string;
    }
  | { kind: 'webhook'; url: string; maxAlerts?: number; bearerFile?: string }
  | { kind: 'opsgenie'; apiKeyFile: string; apiUrl?: string; message: string; description: string; priority: string; tags: string }
  | { kind: 'discord'; webhookUrl: string; title: string; message: string }
  /** Sent as plain text: the default HTML mode would reject a description that contains "<". */
  | { kind: 'telegram'; apiUrl?: string; botToken: string; chatId: number; message: string }
  | { kind: 'webex'; apiUrl?: string; roomId: string; message: string; bearerFile: string };

/** A receiver and its notifiers, in the order of RECEIVER_KINDS; none: it drops what reaches it. */
export interface Receiver {
  name: string;
  notifiers: Notifier[];
}

function notifier(kind: ReceiverKind, spec: ReceiverSpec, smtp: Smtp): Notifier | undefined {
  switch (kind) {
    case 'pagerduty': {
      const pd = spec.pagerduty;
      if (!pd) return undefined;
      return {
        kind,
        routingKeyFile: pd.routingKeyFile,
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
      };
    }
    case 'slack': {
      const s = spec.slack;
      if (!s) return undefined;
      return {
        kind,
        apiUrlFile: s.apiUrlFile,
        channel: s.channel,
        username: s.username,
        title: ref(T.slackTitle),
        titleLink: ref(T.titleLink),
        text: ref(T.slackText),
        color: ref(T.slackColor),
      };
    }
    case 'email': {
      if (!spec.email) return undefined;
      // Shared credentials only go to the shared server, never to a receiver's own smarthost.
      const shared = spec.email.smarthost === undefined ? smtp : { from: smtp?.from };
      const e = { ...shared, ...spec.email };
      return {
        kind,
        to: e.to,
        from: e.from,
        smarthost: e.smarthost,
        authUsername: e.authUsername,
        authPasswordFile: e.authPasswordFile,
        requireTls: e.requireTls,
        headers: { Subject: ref(T.title) },
        text: ref(T.text),
      };
    }
    case 'webhook': {
      const w = spec.webhook;
      return w && { kind, url: w.url, maxAlerts: w.maxAlerts, bearerFile: w.credentialsFile };
    }
    case 'opsgenie': {
      const o = spec.opsgenie;
      if (!o) return undefined;
      return {
        kind,
        apiKeyFile: o.apiKeyFile,
        apiUrl: o.apiUrl,
        message: ref(T.title),
        description: ref(T.text),
        priority: ref(T.opsgeniePriority),
        tags: 'sloforge,{{ .CommonLabels.team }},{{ .CommonLabels.service }}',
      };
    }
    case 'discord':
      return spec.discord && { kind, webhookUrl: spec.discord.webhookUrl, title: ref(T.title), message: ref(T.text) };
    case 'telegram': {
      const t = spec.telegram;
      return t && { kind, apiUrl: t.apiUrl, botToken: t.botToken, chatId: t.chatId, message: ref(T.text) };
    }
    case 'webex': {
      const x = spec.webex;
      return x && { kind, apiUrl: x.apiUrl, roomId: x.roomId, message: ref(T.text), bearerFile: x.credentialsFile };
    }
    default:
      return unhandled(kind);
  }
}

export function receiver(name: string, spec: ReceiverSpec, smtp: Smtp): Receiver {
  return { name, notifiers: RECEIVER_KINDS.flatMap((kind) => notifier(kind, spec, smtp) ?? []) };
}

/** A receiver block of alertmanager.yml. */
export interface AmReceiver {
  name: string;
  [kind: `${string}_configs`]: Block[];
}
type Block = Record<string, unknown>;

const bearer = (credentialsFile: string) => ({ authorization: { type: 'Bearer', credentials_file: credentialsFile } });

/** Drops undefined fields so the YAML holds only what was set. */
function compact(block: Record<string, unknown>): Block {
  return Object.fromEntries(Object.entries(block).filter(([, v]) => v !== undefined));
}

function notifierYaml(n: Notifier): Block {
  switch (n.kind) {
    case 'pagerduty':
      return compact({
        send_resolved: true,
        routing_key_file: n.routingKeyFile,
        url: n.url,
        description: n.description,
        severity: n.severity,
        details: n.details,
      });
    case 'slack':
      return compact({
        send_resolved: true,
        api_url_file: n.apiUrlFile,
        channel: n.channel,
        username: n.username,
        title: n.title,
        title_link: n.titleLink,
        text: n.text,
        color: n.color,
      });
    case 'email':
      return compact({
        send_resolved: true,
        to: n.to,
        from: n.from,
        smarthost: n.smarthost,
        auth_username: n.authUsername,
        auth_password_file: n.authPasswordFile,
        require_tls: n.requireTls,
        headers: n.headers,
        text: n.text,
      });
    case 'webhook':
      return compact({
        send_resolved: true,
        url: n.url,
        max_alerts: n.maxAlerts,
        http_config: n.bearerFile ? bearer(n.bearerFile) : undefined,
      });
    case 'opsgenie':
      return compact({
        send_resolved: true,
        api_key_file: n.apiKeyFile,
        api_url: n.apiUrl,
        message: n.message,
        description: n.description,
        priority: n.priority,
        tags: n.tags,
      });
    case 'discord':
      return { send_resolved: true, webhook_url: n.webhookUrl, title: n.title, message: n.message };
    case 'telegram':
      return compact({
        send_resolved: true,
        api_url: n.apiUrl,
        bot_token: n.botToken,
        chat_id: n.chatId,
        message: n.message,
        parse_mode: '',
      });
    case 'webex':
      return compact({ send_resolved: true, api_url: n.apiUrl, room_id: n.roomId, message: n.message, http_config: bearer(n.bearerFile) });
    default:
      return unhandled(n);
  }
}

/** The receiver as alertmanager.yml spells it: one `<kind>_configs` list of one block per notifier. */
export function receiverYaml(r: Receiver): AmReceiver {
  const out: AmReceiver = { name: r.name };
  for (const n of r.notifiers) out[`${n.kind}_configs`] = [notifierYaml(n)];
  return out;
}
