import { validateConfig } from '../../src/config/validate.js';
import { ConfigError } from '../../src/config/errors.js';
import { resolveModel } from '../../src/model/resolve.js';
import type { Model } from '../../src/model/types.js';
// A small valid config to mutate in tests, written out as a plain object literal (no imports),
// which docs/slos.md says users may write.
export function baseConfig(): any {
  return {
    teams: [
      {
        name: 'payments',
        page: { pagerduty: { routingKeyFile: '/run/secrets/pd' } },
        ticket: { slack: { apiUrlFile: '/run/secrets/slack', channel: '#payments' } },
      },
    ],
    services: [
      {
        name: 'checkout',
        team: 'payments',
        slos: [
          {
            name: 'availability',
            objective: 99.9,
            sli: { ratio: { errors: 'http_requests_total{job="checkout",code=~"5.."}', total: 'http_requests_total{job="checkout"}' } },
          },
          {
            name: 'latency',
            objective: 99,
            sli: { latency: { histogram: 'http_request_duration_seconds{job="checkout"}', threshold: 0.3 } },
          },
        ],
      },
    ],
  };
}

export function configSource(cfg: unknown): string {
  return `export default ${JSON.stringify(cfg, null, 2)};\n`;
}

/** A config as the targets see it: validated, then resolved into the model. */
export function modelOf(input: unknown): Model {
  return resolveModel(validateConfig(input));
}

/** Every problem validation finds in a config, as `path: message` lines; none for a valid one. */
export function problemsOf(input: unknown): string[] {
  try {
    validateConfig(input);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems.map((p) => `${p.path.join('.')}: ${p.message}`);
  }
}
