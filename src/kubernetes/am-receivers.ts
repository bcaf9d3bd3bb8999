// Receivers of an AlertmanagerConfig (monitoring.coreos.com/v1alpha1), converted from the very
// blocks src/alertmanager/receivers.ts writes into alertmanager.yml, so both carry the same
// templates and options. What differs is the CRD's spelling (camelCase, `apiURL`, `roomID`,
// key/value lists) and secrets: every `..._file` becomes a reference to a key of a Kubernetes
// Secret, and the two secrets Alertmanager 0.25 only takes inline (Discord, Telegram) become
// references too, so no secret is ever written into a manifest.
import type { ISecretKeySelector } from 'kubernetes-models/v1/SecretKeySelector';
import type { IReceiver } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/Receiver';
import type { IKeyValue } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/KeyValue';
import type { IHTTPConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/HTTPConfig';
import type { AmReceiver } from '../alertmanager/receivers.js';

export interface SecretSource {
  /** The Secret key that holds the content of a secret file the config names. */
  file(path: string): ISecretKeySelector;
  /** The Secret key for a secret the config holds inline (`what` says which, e.g. "discord-webhook-url"). */
  inline(what: string): ISecretKeySelector;
}

/**
 * Reads one receiver block field by field and refuses to finish while a field is unread: a
 * field added to src/alertmanager/receivers.ts fails the tests here instead of going missing.
 */
class BlockReader {
  private readonly read = new Set<string>();

  constructor(private readonly block: Record<string, unknown>, private readonly where: string) {}

  private take(key: string): unknown {
    this.read.add(key);
    return this.block[key];
  }

  private bug(key: string, expected: string): Error {
    return new Error(`sloforge bug: ${this.where}.${key} is not ${expected}`);
  }

  string(key: string): string | undefined {
    const v = this.take(key);
    if (v === undefined || typeof v === 'string') return v;
    throw this.bug(key, 'a string');
  }

  number(key: string): number | undefined {
    const v = this.take(key);
    if (v === undefined || typeof v === 'number') return v;
    throw this.bug(key, 'a number');
  }

  boolean(key: string): boolean | undefined {
    const v = this.take(key);
    if (v === undefined || typeof v === 'boolean') return v;
    throw this.bug(key, 'a boolean');
  }

  /** A map of strings as the CRD's list of `{ key, value }`, in the map's order. */
  keyValues(key: string): IKeyValue[] | undefined {
    const v = this.take(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'object' || v === null) throw this.bug(key, 'a map');
    return Object.entries(v).map(([k, value]) => {
      if (typeof value !== 'string') throw this.bug(`${key}.${k}`, 'a string');
      return { key: k, value };
    });
  }

  nested(key: string): BlockReader | undefined {
    const v = this.take(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'object' || v === null) throw this.bug(key, 'a map');
    return new BlockReader(v as Record<string, unknown>, `${this.where}.${key}`);
  }

  /** A secret file as a Secret key reference; the path itself is never written. */
  file(key: string, secrets: SecretSource): ISecretKeySelector | undefined {
    const path = this.string(key);
    return path === undefined ? undefined : secrets.file(path);
  }

  /** An inline secret, dropped in favour of a Secret key reference. */
  inline(key: string, what: string, secrets: SecretSource): ISecretKeySelector {
    if (this.string(key) === undefined) throw this.bug(key, 'set');
    return secrets.inline(what);
  }

  done<T>(value: T): T {
    const unread = Object.keys(this.block).filter((k) => !this.read.has(k));
    if (unread.length > 0) throw new Error(`sloforge bug: ${this.where} has no AlertmanagerConfig field for ${unread.join(', ')}`);
    return value;
  }
}

/** `http_config: { authorization: { type, credentials_file } }`, the only HTTP options sloforge sets. */
function httpConfig(r: BlockReader, secrets: SecretSource): IHTTPConfig | undefined {
  const http = r.nested('http_config');
  if (!http) return undefined;
  const auth = http.nested('authorization');
  const authorization = auth ? auth.done({ type: auth.string('type'), credentials: auth.file('credentials_file', secrets) }) : undefined;
  return http.done({ authorization });
}

type Converter = (r: BlockReader, s: SecretSource) => Partial<IReceiver>;

// One converter per `<kind>_configs` key that src/alertmanager/receivers.ts writes.
const CONVERTERS: Record<string, Converter> = {
  pagerduty_configs: (r, s) => ({
    pagerdutyConfigs: [r.done({
      sendResolved: r.boolean('send_resolved'),
      routingKey: r.file('routing_key_file', s),
      url: r.string('url'),
      description: r.string('description'),
      severity: r.string('severity'),
      details: r.keyValues('details'),
    })],
  }),
  slack_configs: (r, s) => ({
    slackConfigs: [r.done({
      sendResolved: r.boolean('send_resolved'),
      apiURL: r.file('api_url_file', s),
      channel: r.string('channel'),
      username: r.string('username'),
      title: r.string('title'),
      titleLink: r.string('title_link'),
      text: r.string('text'),
      color: r.string('color'),
    })],
  }),
  email_configs: (r, s) => ({
    emailConfigs: [r.done({
      sendResolved: r.boolean('send_resolved'),
      to: r.string('to'),
      from: r.string('from'),
      smarthost: r.string('smarthost'),
      authUsername: r.string('auth_username'),
      authPassword: r.file('auth_password_file', s),
      requireTLS: r.boolean('require_tls'),
      headers: r.keyValues('headers'),
      text: r.string('text'),
    })],
  }),
  webhook_configs: (r, s) => ({
    webhookConfigs: [r.done({
      sendResolved: r.boolean('send_resolved'),
      url: r.string('url'),
      maxAlerts: r.number('max_alerts'),
      httpConfig: httpConfig(r, s),
    })],
  }),
  opsgenie_configs: (r, s) => ({
    opsgenieConfigs: [r.done({
      sendResolved: r.boolean('send_resolved'),
      apiKey: r.file('api_key_file', s),
      apiURL: r.string('api_url'),
      message: r.string('message'),
      description: r.string('description'),
      priority: r.string('priority'),
      tags: r.string('tags'),
    })],
  }),
  discord_configs: (r, s) => ({
    discordConfigs: [r.done({
      sendResolved: r.boolean('send_resolved'),
      apiURL: r.inline('webhook_url', 'discord-webhook-url', s),
      title: r.string('title'),
      message: r.string('message'),
    })],
  }),
  telegram_configs: (r, s) => {
    // The CRD has no plain-text parse mode (its enum is MarkdownV2, Markdown, HTML), so the
    // empty mode of alertmanager.yml is left out and Alertmanager's default (HTML) applies
    // (docs/kubernetes.md).
    if (r.string('parse_mode') !== '') throw new Error('sloforge bug: telegram parse_mode is not the plain mode the conversion expects');
    const chatID = r.number('chat_id');
    if (chatID === undefined) throw new Error('sloforge bug: telegram receiver without chat_id');
    return {
      telegramConfigs: [r.done({
        sendResolved: r.boolean('send_resolved'),
        apiURL: r.string('api_url'),
        botToken: r.inline('bot_token', 'telegram-bot-token', s),
        chatID,
        message: r.string('message'),
      })],
    };
  },
  webex_configs: (r, s) => {
    const roomID = r.string('room_id');
    if (roomID === undefined) throw new Error('sloforge bug: webex receiver without room_id');
    return {
      webexConfigs: [r.done({
        sendResolved: r.boolean('send_resolved'),
        apiURL: r.string('api_url'),
        roomID,
        message: r.string('message'),
        httpConfig: httpConfig(r, s),
      })],
    };
  },
};

export function crdReceiver(block: AmReceiver, secrets: SecretSource): IReceiver {
  const out: IReceiver = { name: block.name };
  for (const [kind, configs] of Object.entries(block)) {
    if (kind === 'name') continue;
    const convert = CONVERTERS[kind];
    if (!convert) throw new Error(`sloforge bug: receiver "${block.name}" has ${kind}, which the AlertmanagerConfig conversion does not know`);
    if (!Array.isArray(configs) || configs.length !== 1) throw new Error(`sloforge bug: receiver "${block.name}" ${kind} is not a list of one`);
    Object.assign(out, convert(new BlockReader(configs[0] as Record<string, unknown>, `${block.name}.${kind}[0]`), secrets));
  }
  return out;
}
