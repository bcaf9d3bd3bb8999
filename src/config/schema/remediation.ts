import { z } from 'zod';
import { duration, filePath, name, url } from './common.js';

export const httpAction = z.strictObject({
  url,
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).optional(),
  /** Header name to a file whose content is the header value (tokens stay out of the config). */
  headerFiles: z.record(z.string(), filePath).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  timeout: duration.optional(),
  retries: z.number().int().min(0).max(10).optional(),
});

export const remediation = z.strictObject({
  name,
  description: z.string().optional(),
  cooldown: duration.optional(),
  action: z.strictObject({ http: httpAction }),
});
