// Receivers of an AlertmanagerConfig (monitoring.coreos.com/v1alpha1), rendered from the typed
// receivers src/alertmanager/receivers.ts builds for alertmanager.yml too, so both carry the same
// templates and options. What differs is the CRD's spelling (camelCase, `apiURL`, `roomID`,
// key/value lists) and secrets: every secret file becomes a reference to a key of a Kubernetes
// Secret, and the two secrets Alertmanager 0.25 only takes inline (Discord, Telegram) become
// references too, so no secret is ever written into a manifest. A notifier kind added there
// fails `tsc` here until it has a case.
import type { ISecretKeySelector } from 'kubernetes-models/v1/SecretKeySelector';
import type { IReceiver } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/Receiver';
import type { IKeyValue } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/KeyValue';
import type { IHTTPConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/HTTPConfig';
import { unhandled } from '../config/kinds.js';
import type { Notifier, Receiver } from '../alertmanager/receivers.js';

export interface SecretSource {
  /** The Secret key that holds the content of a secret file the config names. */
  file(path: string): ISecretKeySelector;
  /** The Secret key for a secret the config holds inline (`what` says which, e.g. "discord-webhook-url"). */
  inline(what: string): ISecretKeySelector;
}

/** A map of strings as the CRD's list of `{ key, value }`, in the map's order. */
const keyValues = (map: Record<string, string>): IKeyValue[] => Object.entries(map).map(([key, value]) => ({ key, value }));

/** Bearer authorization from a token file, the only HTTP option sloforge sets. */
const bearer = (file: string, secrets: SecretSource): IHTTPConfig => ({
  authorization: { type: 'Bearer', credentials: secrets.file(file) },
});

function crdNotifier(n: Notifier, s: SecretSource): Partial<IReceiver> {
  const sendResolved = true;
  switch (n.kind) {
    case 'pagerduty':
      return {
        pagerdutyConfigs: [
          {
            sendResolved,
            routingKey: s.file(n.routingKeyFile),
            url: n.url,
            description: n.description,
            severity: n.severity,
            details: keyValues(n.details),
          },
        ],
      };
    case 'slack':
      return {
        slackConfigs: [
          {
            sendResolved,
            apiURL: s.file(n.apiUrlFile),
            channel: n.channel,
            username: n.username,
            title: n.title,
            titleLink: n.titleLink,
            text: n.text,
            color: n.color,
          },
        ],
      };
    case 'email':
      return {
        emailConfigs: [
          {
            sendResolved,
            to: n.to,
            from: n.from,
            smarthost: n.smarthost,
            authUsername: n.authUsername,
            authPassword: n.authPasswordFile === undefined ? undefined : s.file(n.authPasswordFile),
            requireTLS: n.requireTls,
            headers: keyValues(n.headers),
            text: n.text,
          },
        ],
      };
    case 'webhook':
      return {
        webhookConfigs: [
          {
            sendResolved,
            url: n.url,
            maxAlerts: n.maxAlerts,
            httpConfig: n.bearerFile === undefined ? undefined : bearer(n.bearerFile, s),
          },
        ],
      };
    case 'opsgenie':
      return {
        opsgenieConfigs: [
          {
            sendResolved,
            apiKey: s.file(n.apiKeyFile),
            apiURL: n.apiUrl,
            message: n.message,
            description: n.description,
            priority: n.priority,
            tags: n.tags,
          },
        ],
      };
    case 'discord':
      return { discordConfigs: [{ sendResolved, apiURL: s.inline('discord-webhook-url'), title: n.title, message: n.message }] };
    case 'telegram':
      // The CRD has no plain-text parse mode (its enum is MarkdownV2, Markdown, HTML), so the
      // empty mode of alertmanager.yml is left out and Alertmanager's default (HTML) applies
      // (docs/kubernetes.md).
      return {
        telegramConfigs: [
          { sendResolved, apiURL: n.apiUrl, botToken: s.inline('telegram-bot-token'), chatID: n.chatId, message: n.message },
        ],
      };
    case 'webex':
      return {
        webexConfigs: [{ sendResolved, apiURL: n.apiUrl, roomID: n.roomId, message: n.message, httpConfig: bearer(n.bearerFile, s) }],
      };
    default:
      return unhandled(n);
  }
}

export function crdReceiver(r: Receiver, secrets: SecretSource): IReceiver {
  const out: IReceiver = { name: r.name };
  for (const n of r.notifiers) Object.assign(out, crdNotifier(n, secrets));
  return out;
}
