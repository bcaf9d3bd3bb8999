// `prometheus.vmalert`: the rule files for VictoriaMetrics vmalert.
import { grafana, team } from '../../team.js';

export default {
  teams: [team],
  grafana,
  prometheus: { vmalert: true },
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
      thresholds: [
        {
          name: 'p99-latency',
          percentile: { histogram: 'http_request_duration_seconds{job="checkout"}', quantile: 0.99 },
          warning: 0.5,
          critical: 1,
          for: '10m',
        },
      ],
    },
  ],
};
