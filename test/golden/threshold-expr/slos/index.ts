// Threshold kind `expr`: a PromQL expression against levels, rising and falling, with `for`,
// `keepFiringFor` and a no-data alert of its own.
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
          name: 'cpu',
          expr: 'avg(rate(process_cpu_seconds_total{job="checkout"}[5m])) * 100',
          warning: 70,
          critical: 85,
          for: '10m',
          keepFiringFor: '5m',
          unit: 'percent',
          description: 'Checkout processes use most of their CPU',
          runbook: 'https://runbooks.example.com/checkout/cpu',
        },
        {
          name: 'free-disk',
          expr: 'min(node_filesystem_avail_bytes{job="node",mountpoint="/"}) / 1e9',
          direction: 'below',
          warning: 20,
          critical: 5,
          unit: 'GB',
          noData: { for: '15m', severity: 'critical' },
        },
      ],
    },
  ],
};
