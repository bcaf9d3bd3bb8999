import { z } from 'zod';
import { duration, name, promqlExpr, url } from './common.js';

export const threshold = z.strictObject({
  name,
  expr: promqlExpr,
  warning: z.number({ error: 'must be a number' }).optional(),
  critical: z.number({ error: 'must be a number' }).optional(),
  direction: z.enum(['above', 'below'], { error: 'must be "above" or "below"' }).optional(),
  for: duration.optional(),
  keepFiringFor: duration.optional(),
  unit: z.string().optional(),
  description: z.string().optional(),
  runbook: url.optional(),
  remediation: name.optional(),
});
