import { z } from 'zod';
import { duration, name, url } from './common.js';

// Grafana uids: at most 40 characters of letters, digits, dashes and underscores.
const uid = z.string({ error: 'must be a string' }).regex(/^[a-zA-Z0-9_-]{1,40}$/, {
  error: 'must be 1-40 letters, digits, "-" or "_" (a Grafana uid)',
});

export const grafanaDatasource = z.strictObject({
  /** Uid of the provisioned Prometheus datasource; dashboards select it by default. */
  uid: uid.optional(),
  /** Name shown in Grafana's datasource picker. */
  name: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).optional(),
  /** Where Grafana reaches Prometheus (from inside the Grafana container in the local stack). */
  url: url.optional(),
  /** Prometheus' scrape interval; Grafana's $__rate_interval is at least four of them. */
  scrapeInterval: duration.optional(),
});

export const grafana = z.strictObject({
  /** Where responders open dashboards; alerts link to `${url}/d/<uid>`. */
  url: url.optional(),
  datasource: grafanaDatasource.optional(),
  /** Folder title per team name (default: the team name). Each team's dashboards go in its own folder. */
  folders: z.record(name, z.string({ error: 'must be a folder title' }).min(1, { error: 'must not be empty' })).optional(),
});
