import { z } from 'zod';
import { filePath, name, url } from './common.js';

// One key per receiver kind; only fields Alertmanager 0.25 understands, secrets only as files.
export const receiver = z.strictObject({
  pagerduty: z.strictObject({ routingKeyFile: filePath, url: url.optional() }).optional(),
  slack: z.strictObject({ apiUrlFile: filePath, channel: z.string() }).optional(),
  email: z.strictObject({
    to: z.string(),
    from: z.string().optional(),
    smarthost: z.string().optional(),
    authUsername: z.string().optional(),
    authPasswordFile: filePath.optional(),
  }).optional(),
  webhook: z.strictObject({ url, credentialsFile: filePath.optional() }).optional(),
  opsgenie: z.strictObject({ apiKeyFile: filePath, apiUrl: url.optional() }).optional(),
}).refine((r) => Object.values(r).filter((v) => v !== undefined).length >= 1, {
  error: 'must configure at least one receiver kind (pagerduty, slack, email, webhook, opsgenie)',
});

export const team = z.strictObject({
  name,
  page: receiver.optional(),
  ticket: receiver.optional(),
});
