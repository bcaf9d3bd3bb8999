// A platform serving many tenants: each SLO is computed per tenant (`groupBy`), so one tenant's
// outage pages with that tenant in the alert and the dashboard opens on it, while the others stay
// quiet. The rules also go to a Mimir ruler as federated groups reading the tenants' data
// (generated/mimir/, `mimirtool rules sync --rule-dirs generated/mimir/rules`).
import { defineConfig, defineService, defineTeam } from 'sloforge';

const platform = defineTeam({
  name: 'platform',
  page: { pagerduty: { routingKeyFile: '/etc/alertmanager/secrets/platform-pagerduty' } },
  ticket: {
    email: {
      to: 'platform-oncall@example.com',
      from: 'alertmanager@example.com',
      smarthost: 'smtp.example.com:587',
      authUsername: 'alertmanager',
      authPasswordFile: '/etc/alertmanager/secrets/smtp-password',
    },
  },
});

const search = defineTeam({
  name: 'search',
  page: { opsgenie: { apiKeyFile: '/etc/alertmanager/secrets/search-opsgenie' } },
  ticket: { slack: { apiUrlFile: '/etc/alertmanager/secrets/slack-webhook', channel: '#search-alerts' } },
});

const gateway = defineService({
  name: 'gateway',
  team: 'platform',
  slos: [
    {
      name: 'availability',
      objective: 99.95,
      description: 'Requests of each tenant succeed',
      groupBy: ['tenant'],
      sli: { ratio: { errors: 'http_requests_total{job="gateway",code=~"5.."}', total: 'http_requests_total{job="gateway"}' } },
      alerting: { runbook: 'https://runbooks.example.com/gateway/availability' },
    },
    {
      name: 'latency',
      objective: 99,
      description: 'Requests of each tenant and route answer within 500 ms',
      groupBy: ['tenant', 'route'],
      sli: { latency: { histogram: 'http_request_duration_seconds{job="gateway"}', threshold: 0.5 } },
    },
  ],
});

const searchApi = defineService({
  name: 'search-api',
  team: 'search',
  slos: [
    {
      name: 'queries',
      objective: 99.5,
      period: '7d',
      groupBy: ['tenant'],
      // Good events: queries answered from the index (not timed out, not degraded).
      sli: { ratio: { good: 'search_queries_total{job="search-api",result="ok"}', total: 'search_queries_total{job="search-api"}' } },
      // The ticket tier alone: a slow burn of one tenant's search budget is no reason to wake anyone.
      alerting: { page: false },
    },
  ],
});

export default defineConfig({
  teams: [platform, search],
  services: [gateway, searchApi],
  grafana: { url: 'https://grafana.example.com', datasource: { url: 'http://mimir-query-frontend.mimir:8080/prometheus' } },
  prometheus: {
    // The ruler's limits for this tenant: groups over 20 rules are split.
    mimir: { maxRulesPerGroup: 20, maxGroupsPerTenant: 70 },
    // Every group reads the tenants whose traffic the SLOs measure.
    ruleGroups: { sourceTenants: ['tenant-a', 'tenant-b', 'tenant-c'] },
  },
});
