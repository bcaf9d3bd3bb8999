import { z } from 'zod';
import { duration, name, url } from './common.js';

// Grafana uids: at most 40 characters of letters, digits, dashes and underscores.
const uid = z.string({ error: 'must be a string' }).regex(/^[a-zA-Z0-9_-]{1,40}$/, {
  error: 'must be 1-40 letters, digits, "-" or "_" (a Grafana uid)',
});

export const grafanaDatasource = z.strictObject({
  /** Uid of the Prometheus datasource the dashboards select by default. */
  uid: uid.optional(),
  /** Name shown in Grafana's datasource picker. Grafana's provisioning updates a datasource of the same name. */
  name: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).optional(),
  /**
   * False: the datasource `uid` names already exists in Grafana, so no provisioning file is
   * written for it and `url`, `scrapeInterval` and `isDefault` do not apply. Default true.
   */
  provision: z.boolean({ error: 'must be true or false' }).optional(),
  /** Where Grafana reaches Prometheus (from inside the Grafana container in the local stack). */
  url: url.optional(),
  /** Prometheus' scrape interval; Grafana's $__rate_interval is at least four of them. */
  scrapeInterval: duration.optional(),
  /** Make it the organisation's default datasource. Default false: a Grafana in use keeps its own. */
  isDefault: z.boolean({ error: 'must be true or false' }).optional(),
});

export const grafana = z.strictObject({
  /** Where responders open dashboards; alerts link to `${url}/d/<uid>`, and carry no link without it. */
  url: url.optional(),
  datasource: grafanaDatasource.optional(),
  /** Folder title per team name (default: the team name). Each team's dashboards go in its own folder. */
  folders: z.record(name, z.string({ error: 'must be a folder title' }).min(1, { error: 'must not be empty' })).optional(),
});
