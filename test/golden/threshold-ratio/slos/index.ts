// Threshold kind `ratio`, in both forms: counters, and a histogram's share of slow observations.
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
          name: 'error-rate',
          ratio: { numerator: 'http_requests_total{job="checkout",code=~"5.."}', denominator: 'http_requests_total{job="checkout"}' },
          warning: 1,
          critical: 5,
          for: '10m',
          unit: 'percent',
        },
        {
          name: 'slow-requests',
          ratio: { histogram: 'http_request_duration_seconds{job="checkout"}', slowerThan: 1, window: '15m' },
          warning: 5,
          for: '10m',
          unit: 'percent',
        },
      ],
    },
  ],
};
