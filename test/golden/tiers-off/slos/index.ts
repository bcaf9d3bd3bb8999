// Alert tiers switched off: no page, no ticket, no alert at all; recordings stay.
import { grafana, team } from '../../team.js';

const sli = { ratio: { errors: 'http_requests_total{job="checkout",code=~"5.."}', total: 'http_requests_total{job="checkout"}' } };

export default {
  teams: [team],
  grafana,
  services: [
    {
      name: 'checkout',
      team: 'payments',
      slos: [
        { name: 'ticket-only', objective: 99.9, sli, alerting: { page: false } },
        { name: 'page-only', objective: 99.9, sli, alerting: { ticket: false, noData: { for: '20m', severity: 'critical' } } },
        { name: 'recorded-only', objective: 99.9, sli, alerting: { enabled: false } },
      ],
    },
  ],
};
