import { z } from 'zod';
import { duration, filePath, name, positiveDuration, url } from './common.js';

// Every receiver kind takes only fields Alertmanager 0.25 understands. Secrets are file paths
// on the Alertmanager host, except for the two kinds 0.25 gives no file form (see inlineSecret).

/**
 * Discord and Telegram have no `..._file` field before Alertmanager 0.26, so their secret would
 * be written in plain text into generated/alertmanager/alertmanager.yml. Users must say so.
 */
const inlineSecret = z.literal(true, {
  error:
    'must be `true`: Alertmanager 0.25 has no file form for this secret, so it is written in plain text into generated/alertmanager/alertmanager.yml (see docs/alertmanager.md)',
});

export const pagerdutyReceiver = z.strictObject({
  routingKeyFile: filePath,
  /** Events API v2 endpoint; defaults to PagerDuty's. */
  url: url.optional(),
});

export const slackReceiver = z.strictObject({
  apiUrlFile: filePath,
  channel: z.string().min(1, { error: 'must name a channel, e.g. "#payments-alerts"' }),
  username: z.string().optional(),
});

export const emailReceiver = z.strictObject({
  to: z.string().min(1, { error: 'must be an address' }),
  from: z.string().optional(),
  /** host:port; may come from `alertmanager.smtp` instead. */
  smarthost: z
    .string()
    .regex(/^[^:\s]+:\d+$/, { error: 'must be host:port, e.g. "smtp.example.com:587"' })
    .optional(),
  authUsername: z.string().optional(),
  authPasswordFile: filePath.optional(),
  requireTls: z.boolean().optional(),
});

export const webhookReceiver = z.strictObject({
  url,
  /** Bearer token file (Alertmanager sends `Authorization: Bearer <content>`). */
  credentialsFile: filePath.optional(),
  /** Most alerts per message; 0 (the default) sends all. */
  maxAlerts: z.number().int().min(0).optional(),
});

export const opsgenieReceiver = z.strictObject({
  apiKeyFile: filePath,
  apiUrl: url.optional(),
});

export const discordReceiver = z.strictObject({
  webhookUrl: url,
  inlineSecret,
});

export const telegramReceiver = z.strictObject({
  botToken: z.string().min(1, { error: 'must not be empty' }),
  chatId: z.number({ error: 'must be the numeric chat id' }).int({ error: 'must be the numeric chat id' }),
  inlineSecret,
  apiUrl: url.optional(),
});

export const webexReceiver = z.strictObject({
  roomId: z.string().min(1, { error: 'must not be empty' }),
  /** The bot's access token; Alertmanager sends it as a Bearer token. */
  credentialsFile: filePath,
  apiUrl: url.optional(),
});

export const RECEIVER_KINDS = ['pagerduty', 'slack', 'email', 'webhook', 'opsgenie', 'discord', 'telegram', 'webex'] as const;

const receiverKinds = {
  pagerduty: pagerdutyReceiver.optional(),
  slack: slackReceiver.optional(),
  email: emailReceiver.optional(),
  webhook: webhookReceiver.optional(),
  opsgenie: opsgenieReceiver.optional(),
  discord: discordReceiver.optional(),
  telegram: telegramReceiver.optional(),
  webex: webexReceiver.optional(),
};
const hasKind = (r: Record<string, unknown>) => RECEIVER_KINDS.some((k) => r[k] !== undefined);

// A receiver may combine kinds (page by PagerDuty and post to Slack at once).
export const receiver = z.strictObject(receiverKinds).refine(hasKind, {
  error: `must configure at least one receiver kind (${RECEIVER_KINDS.join(', ')})`,
});

/**
 * A team's page or ticket receiver. `{ none: true }` says on purpose that this tier notifies
 * nobody (its alerts stay visible in Alertmanager, and remediations still run); without it, a
 * tier with no receiver at all is a configuration error, because its alerts would vanish.
 */
export const teamReceiver = z
  .strictObject({
    ...receiverKinds,
    none: z.literal(true, { error: 'must be `true` (this tier notifies nobody), or leave it out' }).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.none && hasKind(r))
      ctx.addIssue({ code: 'custom', path: ['none'], message: 'cannot be combined with a receiver kind: drop `none` or the receivers' });
    else if (!r.none && !hasKind(r))
      ctx.addIssue({
        code: 'custom',
        message: `must configure at least one receiver kind (${RECEIVER_KINDS.join(', ')}), or be { none: true } to notify nobody on purpose`,
      });
  });

const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Notification timing of one tier; unset fields keep sloforge's defaults (docs/alertmanager.md). */
export const tierRouting = z.strictObject({
  /** Labels that split alerts into notifications; ["..."] sends every alert on its own. */
  groupBy: z
    .array(z.string().refine((s) => s === '...' || LABEL_NAME_RE.test(s), { error: 'must be a label name or "..."' }))
    .min(1)
    .optional(),
  groupWait: duration.optional(),
  groupInterval: positiveDuration.optional(),
  repeatInterval: positiveDuration.optional(),
});

export const teamRouting = z.strictObject({
  page: tierRouting.optional(),
  ticket: tierRouting.optional(),
  remediation: tierRouting.optional(),
});

const WEEKDAY = '(?:sunday|monday|tuesday|wednesday|thursday|friday|saturday)';
const MONTH = '(?:january|february|march|april|may|june|july|august|september|october|november|december|[1-9]|1[0-2])';
const DAY_OF_MONTH = '(?:-?(?:[1-9]|[12][0-9]|3[01]))';
const YEAR = '(?:\\d{4})';
const rangeList = (item: string, example: string) =>
  z
    .array(
      z.string().regex(new RegExp(`^${item}(?::${item})?$`, 'i'), { error: `must be a value or an inclusive range such as "${example}"` }),
    )
    .min(1)
    .optional();

const TIME_RE = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));

export const timeRange = z
  .strictObject({
    start: z.string().regex(TIME_RE, { error: 'must be "HH:MM" (24-hour clock)' }),
    end: z.string().regex(TIME_RE, { error: 'must be "HH:MM" (24-hour clock, "24:00" for midnight)' }),
  })
  .refine((r) => !TIME_RE.test(r.start) || !TIME_RE.test(r.end) || minutes(r.start) < minutes(r.end), {
    error: 'start must be before end (split a range that crosses midnight into two)',
    path: ['end'],
  });

/** One Alertmanager time interval: a moment matches when it matches every field given. */
export const timeInterval = z.strictObject({
  weekdays: rangeList(WEEKDAY, 'monday:friday'),
  times: z.array(timeRange).min(1).optional(),
  daysOfMonth: rangeList(DAY_OF_MONTH, '1:7'),
  months: rangeList(MONTH, 'june:august'),
  years: rangeList(YEAR, '2025:2026'),
  /** IANA time zone of the times above, e.g. "Europe/Berlin"; UTC when unset. */
  location: z
    .string()
    .refine(isTimeZone, { error: (iss) => `is not an IANA time zone: ${JSON.stringify(iss.input)}` })
    .optional(),
});

function isTimeZone(tz: string): boolean {
  if (tz === 'Local') return false; // the Alertmanager host's zone would make routing depend on where it runs
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const team = z.strictObject({
  name,
  /** Critical alerts (fast burn, critical thresholds); without it they go to `ticket`. */
  page: teamReceiver.optional(),
  /** Warning alerts (slow burn, warning thresholds); without it they go to the default receiver. */
  ticket: teamReceiver.optional(),
  routing: teamRouting.optional(),
  /** Planned work: this team's notifications, remediation included, are muted. */
  maintenance: z.array(timeInterval).min(1).optional(),
  /** Warning-tier notifications are held outside these and sent once they begin. */
  businessHours: z.array(timeInterval).min(1).optional(),
});
