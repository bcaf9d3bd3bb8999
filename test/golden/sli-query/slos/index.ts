// SLI kind `query`: the user's PromQL with the $window placeholder, as counter reads and as an
// expression the generated tests cannot feed.
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
          sli: {
            query: {
              errors: 'sum(rate(http_requests_total{job="checkout",code=~"5.."}[$window]))',
              total: 'sum(rate(http_requests_total{job="checkout"}[$window]))',
            },
          },
        },
        {
          name: 'payments',
          objective: 99,
          sli: {
            query: {
              good: 'sum(increase(payments_total{job="checkout",result="ok"}[$window]))',
              total: 'sum(increase(payments_total{job="checkout"}[$window])) > 0',
            },
          },
        },
      ],
    },
  ],
};
