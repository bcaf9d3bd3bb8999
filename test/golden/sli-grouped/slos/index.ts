// `groupBy`: one SLI, one set of burn-rate alerts and a dashboard variable per route and tenant.
import { grafana, team } from '../../team.js';

export default {
  teams: [team],
  grafana,
  services: [
    {
      name: 'gateway',
      team: 'payments',
      slos: [
        {
          name: 'availability',
          objective: 99.9,
          groupBy: ['route', 'tenant'],
          sli: { ratio: { errors: 'http_requests_total{job="gateway",code=~"5.."}', total: 'http_requests_total{job="gateway"}' } },
        },
        {
          name: 'latency',
          objective: 99,
          groupBy: ['route'],
          sli: { latency: { histogram: 'http_request_duration_seconds{job="gateway"}', threshold: 0.5 } },
        },
      ],
    },
  ],
};
