// Field types shared by every part of the config.
import { z } from 'zod';
import { parseDuration } from '../duration.js';
import { parseSelector, promqlSyntaxError } from '../../promql/parse.js';

export const NAME_RE = /^[a-z][a-z0-9-]*$/;

export const name = z
  .string({ error: 'must be a string' })
  .regex(NAME_RE, { error: 'must match [a-z][a-z0-9-]* (lower case letters, digits and dashes, starting with a letter)' });

export const duration = z
  .string({ error: 'must be a duration string such as "5m" or "30d"' })
  .refine((s) => parseDuration(s) !== undefined, {
    error: (iss) => `is not a duration: ${JSON.stringify(iss.input)} (use Prometheus units, e.g. "90s", "5m", "1h30m", "30d")`,
    abort: true,
  });

export const positiveDuration = duration.refine((s) => (parseDuration(s) ?? 0) > 0, { error: 'must be longer than zero' });

export const promqlExpr = z.string({ error: 'must be a PromQL expression string' }).superRefine((s, ctx) => {
  const err = promqlSyntaxError(s);
  if (err) ctx.addIssue({ code: 'custom', message: err });
});

export const seriesSelector = z.string({ error: 'must be a series selector string' }).superRefine((s, ctx) => {
  const sel = parseSelector(s);
  if (typeof sel === 'string') ctx.addIssue({ code: 'custom', message: sel });
});

const HISTOGRAM_SUFFIX_RE = /_(bucket|count|sum)$/;

/**
 * A classic histogram's base name: sloforge appends `_bucket` and `_count` itself, so a name
 * that already ends in one would read series that do not exist.
 */
export const histogramSelector = seriesSelector.superRefine((s, ctx) => {
  const sel = parseSelector(s);
  if (typeof sel === 'string') return;
  const m = HISTOGRAM_SUFFIX_RE.exec(sel.metric);
  if (m) {
    const base = sel.metric.slice(0, m.index);
    ctx.addIssue({
      code: 'custom',
      message: `names the histogram's "_${m[1]}" series; give its base name, "${base}" (sloforge reads ${base}_bucket and ${base}_count itself)`,
    });
  }
});

export const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
export const labelMap = z.record(
  z.string().regex(LABEL_NAME_RE, { error: 'label names must match [a-zA-Z_][a-zA-Z0-9_]*' }),
  z.string({ error: 'label values must be strings' }),
);

/** Path of a file on the Alertmanager host (secrets are referenced, never inlined). */
export const filePath = z.string({ error: 'must be a file path string' }).min(1, { error: 'must not be empty' });

export const url = z.string({ error: 'must be a URL string' }).refine(
  (s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  },
  { error: (iss) => `is not an http(s) URL: ${JSON.stringify(iss.input)}` },
);
