// A config exercising every panel kind: ratio SLIs with errors and with good, latency SLIs that
// share a histogram, thresholds in both directions, and a service name too long for a plain uid.
import { validateConfig } from '../../src/config/validate.js';
import type { Config } from '../../src/config/schema/config.js';
import { team } from '../helpers/teams.js';

export const LONG_SERVICE = 'a-service-name-long-enough-to-be-cut-short';

export function fixtureConfig(grafana?: Record<string, unknown>): Config {
  return validateConfig({
    teams: [team('payments'), team('search'), team('idle')],
    services: [
      {
        name: 'checkout',
        team: 'payments',
        labels: { tier: '1' },
        slos: [
          { name: 'availability', objective: 99.9, sli: { ratio: { errors: 'http_requests_total{job="checkout",code=~"5.."}', total: 'http_requests_total{job="checkout"}' } } },
          { name: 'fast', objective: 99, period: '7d', sli: { latency: { histogram: 'http_request_duration_seconds{job="checkout"}', threshold: 0.3 } } },
          { name: 'very-fast', objective: 95, period: '28d', sli: { latency: { histogram: 'http_request_duration_seconds{job="checkout"}', threshold: 0.1 } } },
        ],
        thresholds: [
          { name: 'cpu', expr: 'avg(rate(process_cpu_seconds_total{job="checkout"}[5m])) * 100', warning: 70, critical: 85, for: '5m', unit: 'percent' },
          { name: 'free-disk', expr: 'min(node_filesystem_avail_bytes{job="node"}) / 1e9', warning: 20, critical: 5, direction: 'below', unit: 'decgbytes' },
        ],
      },
      {
        name: LONG_SERVICE,
        team: 'search',
        slos: [{ name: 'success', objective: 99.5, sli: { ratio: { good: 'jobs_total{outcome="ok"}', total: 'jobs_total' } }, alerting: { enabled: false } }],
      },
      { name: 'thresholds-only', team: 'search', thresholds: [{ name: 'queue', expr: 'sum(queue_depth)', warning: 100 }] },
    ],
    ...(grafana ? { grafana } : {}),
  });
}
