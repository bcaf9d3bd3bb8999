// SLI kind `ratio`, in both forms: failed events over all, and good events over all.
import { grafana, team } from '../../team.js';

export default {
  teams: [team],
  grafana,
  services: [
    {
      name: 'checkout',
      team: 'payments',
      slos: [
        {
          name: 'availability',
          objective: 99.9,
          period: '30d',
          sli: { ratio: { errors: 'http_requests_total{job="checkout",code=~"5.."}', total: 'http_requests_total{job="checkout"}' } },
        },
        {
          name: 'accepted',
          objective: 99.5,
          period: '7d',
          sli: {
            ratio: {
              good: 'orders_accepted_total{job="checkout"}',
              total: 'orders_submitted_total{job="checkout"}',
              distinctMetrics: true,
            },
          },
        },
      ],
    },
  ],
};
