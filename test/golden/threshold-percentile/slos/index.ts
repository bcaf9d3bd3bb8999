// Threshold kind `percentile`: a histogram quantile against levels in seconds.
import { grafana, team } from '../../team.js';

export default {
  teams: [team],
  grafana,
  services: [
    {
      name: 'checkout',
      team: 'payments',
      thresholds: [
        {
          name: 'p99-latency',
          percentile: { histogram: 'http_request_duration_seconds{job="checkout"}', quantile: 0.99, window: '10m' },
          warning: 0.5,
          critical: 1,
          for: '10m',
          unit: 'seconds',
        },
      ],
    },
  ],
};
