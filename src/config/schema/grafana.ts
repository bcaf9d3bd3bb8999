import { z } from 'zod';
import { url } from './common.js';

export const grafana = z.strictObject({
  /** Where responders open dashboards; alerts link to `${url}/d/<uid>`. */
  url: url.optional(),
});
