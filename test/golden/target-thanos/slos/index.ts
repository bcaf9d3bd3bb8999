// `prometheus.thanos`: the rule files with partial_response_strategy for Thanos Ruler.
import { grafana, team } from '../../team.js';

export default {
  teams: [team],
  grafana,
  prometheus: { thanos: true },
  services: [
    {
      name: 'checkout',
      team: 'payments',
      ruleGroups: { partialResponseStrategy: { alerting: 'warn' } },
      slos: [
        {
          name: 'availability',
          objective: 99.9,
          sli: { ratio: { errors: 'http_requests_total{job="checkout",code=~"5.."}', total: 'http_requests_total{job="checkout"}' } },
        },
      ],
      thresholds: [
        { name: 'cpu', expr: 'avg(rate(process_cpu_seconds_total{job="checkout"}[5m])) * 100', warning: 70, critical: 85, for: '10m' },
      ],
    },
  ],
};
