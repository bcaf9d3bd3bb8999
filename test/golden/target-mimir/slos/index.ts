// `prometheus.mimir`: one ruler namespace per service, groups split at the tenant's limit, and
// a federated group's source tenants.
import { grafana, team } from '../../team.js';

export default {
  teams: [team],
  grafana,
  prometheus: { mimir: { maxRulesPerGroup: 10, maxGroupsPerTenant: 70 }, ruleGroups: { interval: '30s' } },
  services: [
    {
      name: 'checkout',
      team: 'payments',
      ruleGroups: { sourceTenants: ['shop', 'payments'], limit: 100 },
      slos: [
        {
          name: 'availability',
          objective: 99.9,
          sli: { ratio: { errors: 'http_requests_total{job="checkout",code=~"5.."}', total: 'http_requests_total{job="checkout"}' } },
        },
      ],
    },
  ],
};
