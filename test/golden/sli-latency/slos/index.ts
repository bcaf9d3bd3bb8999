// SLI kind `latency` on a classic histogram: the share of requests under one `le` bound.
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
          name: 'latency',
          objective: 99,
          sli: { latency: { histogram: 'http_request_duration_seconds{job="checkout"}', threshold: 0.3 } },
        },
      ],
    },
  ],
};
