// Config errors about receivers, routing and time intervals name the team and the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfig } from '../../src/config/validate.js';
import { ConfigError, formatProblems } from '../../src/config/errors.js';
import { alertmanagerConfig } from '../../src/alertmanager/target.js';
import { config } from './helpers.js';

/** The formatted problems, sorted: zod's order across nested fields is not part of the contract. */
function problems(input: Record<string, unknown>): string[] {
  try {
    validateConfig({ services: [], ...input });
  } catch (err) {
    if (err instanceof ConfigError)
      return formatProblems(err, { services: [], ...input }, 'slos/index.ts')
        .split('\n')
        .sort();
    throw err;
  }
  return [];
}

test('discord and telegram need an explicit opt-in to an inline secret', () => {
  const [discord] = problems({ teams: [{ name: 'p', ticket: { discord: { webhookUrl: 'https://discord.example.com/x' } } }] });
  assert.match(
    discord!,
    /^slos\/index\.ts: team "p" > field "ticket\.discord\.inlineSecret": must be `true`: Alertmanager 0\.25 has no file form/,
  );
  const [telegram] = problems({ teams: [{ name: 'p', page: { telegram: { botToken: 't', chatId: 1, inlineSecret: false } } }] });
  assert.match(telegram!, /team "p" > field "page\.telegram\.inlineSecret": must be `true`/);
  assert.deepEqual(problems({ teams: [{ name: 'p', page: { telegram: { botToken: 't', chatId: 1, inlineSecret: true } } }] }), []);
});

test('email receivers need from and smarthost, here or in alertmanager.smtp', () => {
  assert.deepEqual(
    problems({ teams: [{ name: 'p', ticket: { email: { to: 'a@example.com' } } }] }),
    [
      'slos/index.ts: team "p" > field "ticket.email.from": is required (or set alertmanager.smtp.from for every email receiver)',
      'slos/index.ts: team "p" > field "ticket.email.smarthost": is required (or set alertmanager.smtp.smarthost for every email receiver)',
    ].sort(),
  );
  assert.deepEqual(
    problems({
      teams: [{ name: 'p', ticket: { email: { to: 'a@example.com' } } }],
      alertmanager: { smtp: { from: 'am@example.com', smarthost: 'smtp.example.com:587' } },
    }),
    [],
  );
  assert.deepEqual(problems({ teams: [], alertmanager: { defaultReceiver: { email: { to: 'a@example.com', from: 'x@example.com' } } } }), [
    'slos/index.ts: field "alertmanager.defaultReceiver.email.smarthost": is required (or set alertmanager.smtp.smarthost for every email receiver)',
  ]);
});

test('receivers: unknown kinds, empty receivers', () => {
  assert.deepEqual(
    problems({ teams: [{ name: 'p', page: {}, ticket: { msteams: {}, slack: { apiUrlFile: '/s', channel: '#c' } } }] }),
    [
      'slos/index.ts: team "p" > field "page": must configure at least one receiver kind (pagerduty, slack, email, webhook, opsgenie, discord, telegram, webex), or be { none: true } to notify nobody on purpose',
      'slos/index.ts: team "p" > field "ticket.msteams": is not a known field (check the spelling)',
    ].sort(),
  );
});

test('time intervals: names, ranges, order and time zones are checked', () => {
  assert.deepEqual(
    problems({
      teams: [
        {
          name: 'p',
          businessHours: [
            {
              weekdays: ['mon'],
              months: ['jan:december'],
              times: [
                { start: '18:00', end: '9:00' },
                { start: '18:00', end: '09:00' },
              ],
              location: 'Mars/Base',
            },
          ],
        },
      ],
    }),
    [
      'slos/index.ts: team "p" > field "businessHours.0.weekdays.0": must be a value or an inclusive range such as "monday:friday"',
      'slos/index.ts: team "p" > field "businessHours.0.months.0": must be a value or an inclusive range such as "june:august"',
      'slos/index.ts: team "p" > field "businessHours.0.times.0.end": must be "HH:MM" (24-hour clock, "24:00" for midnight)',
      'slos/index.ts: team "p" > field "businessHours.0.times.1.end": start must be before end (split a range that crosses midnight into two)',
      'slos/index.ts: team "p" > field "businessHours.0.location": is not an IANA time zone: "Mars/Base"',
    ].sort(),
  );
  assert.deepEqual(
    problems({
      teams: [
        {
          name: 'p',
          maintenance: [
            {
              weekdays: ['Saturday:sunday'],
              daysOfMonth: ['-1', '1:7'],
              years: ['2026'],
              times: [{ start: '00:00', end: '24:00' }],
              location: 'Asia/Tokyo',
            },
          ],
        },
      ],
    }),
    [],
  );
});

test('routing overrides: durations and group_by labels', () => {
  assert.deepEqual(
    problems({
      teams: [{ name: 'p', routing: { page: { groupInterval: '0s', groupBy: ['a-b'] }, tickets: {} } }],
      alertmanager: { remediation: { url: 'ftp://receiver' } },
    }),
    [
      'slos/index.ts: team "p" > field "routing.tickets": is not a known field (check the spelling)',
      'slos/index.ts: team "p" > field "routing.page.groupBy.0": must be a label name or "..."',
      'slos/index.ts: team "p" > field "routing.page.groupInterval": must be longer than zero',
      'slos/index.ts: field "alertmanager.remediation.url": is not an http(s) URL: "ftp://receiver"',
    ].sort(),
  );
});

test('team overrides beat alertmanager.routing, which beats the defaults; children inherit the rest', () => {
  const am = alertmanagerConfig(
    config({
      teams: [{ name: 'p', page: { webhook: { url: 'https://p.example.com' } }, routing: { page: { groupWait: '5s' } } }],
      services: [],
      remediations: [{ name: 'r', action: { http: { url: 'http://127.0.0.1:8080/' } } }],
      alertmanager: { routing: { page: { groupWait: '20s', repeatInterval: '1h' }, ticket: { groupInterval: '10m' } } },
    }),
  ) as { route: { group_interval: string; routes: Array<{ routes: Array<Record<string, unknown>> }> } };
  assert.equal(am.route.group_interval, '10m');
  const [remediation, page, ticket] = am.route.routes[0]!.routes;
  assert.deepEqual([page!.group_wait, page!.group_interval, page!.repeat_interval], ['5s', '5m', '1h']);
  assert.equal(remediation!.continue, true);
  // No ticket receiver and no default receiver; the team has no services, so nothing is lost.
  assert.equal(ticket!.receiver, 'sloforge-none');
  assert.equal(ticket!.group_wait, undefined); // inherited from the team route
});

test('secrets never appear in alertmanager.yml except an opted-in inline one', () => {
  const text = JSON.stringify(
    alertmanagerConfig(
      config({
        teams: [
          { name: 'p', page: { pagerduty: { routingKeyFile: '/s/pd' } }, ticket: { slack: { apiUrlFile: '/s/slack', channel: '#c' } } },
        ],
        services: [],
      }),
    ),
  );
  assert.match(text, /"routing_key_file":"\/s\/pd"/);
  assert.match(text, /"api_url_file":"\/s\/slack"/);
  assert.doesNotMatch(text, /"routing_key"|"api_url"|"credentials"/);
});

test('a team whose services raise alerts must be able to receive them, or say { none: true }', () => {
  const slo = { name: 'availability', objective: 99.9, sli: { ratio: { errors: 'r{code="500"}', total: 'r' } } };
  const services = [{ name: 'api', team: 'ops', slos: [slo], thresholds: [{ name: 'queue', expr: 'q', warning: 5 }] }];
  assert.deepEqual(problems({ teams: [{ name: 'ops' }], services }), [
    'slos/index.ts: team "ops" > field "page": team "ops" gets critical alerts (SLO api/availability pages) but they would reach nobody: give a page (or ticket) receiver, set alertmanager.defaultReceiver, or write page: { none: true } to drop them on purpose',
    'slos/index.ts: team "ops" > field "ticket": team "ops" gets warning alerts (SLO api/availability tickets) but they would reach nobody: give a ticket receiver, set alertmanager.defaultReceiver, or write ticket: { none: true } to drop them on purpose',
  ]);
  // A page receiver alone does not take warnings: a pager is no place for tickets.
  const pageOnly = { name: 'ops', page: { webhook: { url: 'https://pager.example.com/' } } };
  assert.deepEqual(
    problems({ teams: [pageOnly], services: [{ name: 'api', team: 'ops', thresholds: [{ name: 'queue', expr: 'q', warning: 5 }] }] }),
    [
      'slos/index.ts: team "ops" > field "ticket": team "ops" gets warning alerts (threshold api/queue has a warning level) but they would reach nobody: give a ticket receiver, set alertmanager.defaultReceiver, or write ticket: { none: true } to drop them on purpose',
    ],
  );
  // A critical-only threshold with its no-data alert at critical gets no warnings.
  assert.deepEqual(
    problems({
      teams: [pageOnly],
      services: [{ name: 'api', team: 'ops', thresholds: [{ name: 'q', expr: 'q', critical: 5, noData: { severity: 'critical' } }] }],
    }),
    [],
  );
  assert.deepEqual(
    problems({ teams: [{ name: 'ops' }], services, alertmanager: { defaultReceiver: { webhook: { url: 'https://all.example.com/' } } } }),
    [],
  );
  assert.deepEqual(problems({ teams: [{ name: 'ops', page: { none: true }, ticket: { none: true } }], services }), []);
  // A team without services gets nothing, so it needs no receiver.
  assert.deepEqual(problems({ teams: [{ name: 'idle' }] }), []);
  assert.deepEqual(problems({ teams: [{ name: 'ops', page: { none: true, webhook: { url: 'https://p.example.com/' } } }] }), [
    'slos/index.ts: team "ops" > field "page.none": cannot be combined with a receiver kind: drop `none` or the receivers',
  ]);
});

test('{ none: true } routes a tier to a receiver without integrations; pages fall back to the ticket receiver', () => {
  const am = alertmanagerConfig(
    config({
      teams: [
        { name: 'quiet', page: { none: true }, ticket: { webhook: { url: 'https://t.example.com/' } } },
        { name: 'tickets', ticket: { webhook: { url: 'https://t.example.com/' } } },
      ],
      services: [],
    }),
  ) as {
    route: { routes: Array<{ routes: Array<{ receiver: string; matchers: string[] }> }> };
    receivers: Array<{ name: string; webhook_configs?: unknown }>;
  };
  const [quiet, tickets] = am.route.routes.map((r) => r.routes.map((c) => `${c.matchers.join(',')} -> ${c.receiver}`));
  assert.deepEqual(quiet, ['severity="critical" -> sloforge-none', 'severity!="critical" -> quiet-ticket']);
  assert.deepEqual(tickets, ['severity="critical" -> tickets-ticket', 'severity!="critical" -> tickets-ticket']);
  assert.deepEqual(
    am.receivers.find((r) => r.name === 'sloforge-none'),
    { name: 'sloforge-none' },
  );
  // No remediations declared: no route and no receiver for sloforge's receiver.
  assert.equal(
    am.receivers.some((r) => r.name === 'sloforge-remediation'),
    false,
  );
});
