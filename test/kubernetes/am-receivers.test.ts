// The AlertmanagerConfig receivers are rendered from the same typed receivers as alertmanager.yml:
// every option a notifier carries reaches the CRD (secret files as Secret key references), and
// no inline secret is ever written into a manifest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { receiver, receiverYaml } from '../../src/alertmanager/receivers.js';
import { crdReceiver } from '../../src/kubernetes/am-receivers.js';
import { RECEIVER_KINDS } from '../../src/config/schema/team.js';

const spec = {
  pagerduty: { routingKeyFile: '/s/pd', url: 'https://pd.example/' },
  slack: { apiUrlFile: '/s/slack', channel: '#slack-channel', username: 'slack-user-name' },
  email: {
    to: 'a@example',
    from: 'b@example',
    smarthost: 'mail:25',
    authUsername: 'smtp-user',
    authPasswordFile: '/s/pw',
    requireTls: false,
  },
  webhook: { url: 'https://hook.example/', credentialsFile: '/s/hook', maxAlerts: 7 },
  opsgenie: { apiKeyFile: '/s/og', apiUrl: 'https://og.example/' },
  discord: { webhookUrl: 'https://discord.example/secret', inlineSecret: true as const },
  telegram: { botToken: 'bot-secret', chatId: -4242, inlineSecret: true as const, apiUrl: 'https://tg.example/' },
  webex: { roomId: 'room-1', credentialsFile: '/s/webex', apiUrl: 'https://webex.example/' },
};
const INLINE = new Set(['webhookUrl', 'botToken']);

/** Every scalar of a value, with the key it sits under. */
function leaves(v: unknown, key = ''): Array<[string, string | number | boolean]> {
  if (v !== null && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => leaves(x, k));
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? [[key, v]] : [];
}

test('every notifier kind and option reaches the AlertmanagerConfig, secrets only as references', () => {
  const r = receiver('team-page', spec, undefined);
  assert.deepEqual(
    r.notifiers.map((n) => n.kind),
    [...RECEIVER_KINDS],
  );
  const crd = crdReceiver(r, {
    file: (path) => ({ name: 'sec', key: `file:${path}` }),
    inline: (what) => ({ name: 'sec', key: `inline:${what}` }),
  });
  const text = JSON.stringify(crd);
  for (const n of r.notifiers) {
    const configs = (crd as unknown as Record<string, unknown>)[`${n.kind}Configs`] as Array<Record<string, unknown>>;
    assert.equal(configs.length, 1, n.kind);
    assert.equal(configs[0]!.sendResolved, true, n.kind);
    for (const [key, value] of leaves(n)) {
      if (key === 'kind') continue;
      const written = JSON.stringify(value).replace(/^"|"$/g, '');
      if (INLINE.has(key)) assert.ok(!text.includes(written), `${n.kind}.${key} written inline`);
      else assert.ok(text.includes(written), `${n.kind}.${key} (${written}) missing from the CRD`);
    }
  }
  assert.match(text, /inline:discord-webhook-url/);
  assert.match(text, /inline:telegram-bot-token/);
});

test('alertmanager.yml gets the same notifiers, spelt its own way', () => {
  const yaml = receiverYaml(receiver('team-page', spec, undefined));
  assert.deepEqual(Object.keys(yaml), ['name', ...RECEIVER_KINDS.map((k) => `${k}_configs`)]);
  assert.equal((yaml.telegram_configs![0] as Record<string, unknown>).parse_mode, '');
  assert.deepEqual((yaml.webex_configs![0] as Record<string, unknown>).http_config, {
    authorization: { type: 'Bearer', credentials_file: '/s/webex' },
  });
});
