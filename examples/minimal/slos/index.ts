// The smallest useful config: one team that is paged and ticketed, one service with an
// availability SLO and a latency SLO. `npx sloforge generate --slos slos` compiles it.
import { defineConfig, defineService, defineTeam } from 'sloforge';

const payments = defineTeam({
  name: 'payments',
  // Critical alerts (fast burn) page; warnings (slow burn) open a ticket. Secrets are files on the
  // Alertmanager host, never values in the config.
  page: { pagerduty: { routingKeyFile: '/etc/alertmanager/secrets/payments-pagerduty' } },
  ticket: { slack: { apiUrlFile: '/etc/alertmanager/secrets/slack-webhook', channel: '#payments-alerts' } },
});

const checkout = defineService({
  name: 'checkout',
  team: 'payments',
  slos: [
    {
      name: 'availability',
      objective: 99.9,
      period: '30d',
      description: 'Checkout requests succeed',
      sli: { ratio: { errors: 'http_requests_total{job="checkout",code=~"5.."}', total: 'http_requests_total{job="checkout"}' } },
      alerting: { runbook: 'https://runbooks.example.com/checkout/availability' },
    },
    {
      name: 'latency',
      objective: 99,
      description: 'Checkout answers within 300 ms',
      // 0.3 must be one of the histogram's `le` bucket bounds.
      sli: { latency: { histogram: 'http_request_duration_seconds{job="checkout"}', threshold: 0.3 } },
    },
  ],
});

export default defineConfig({
  teams: [payments],
  services: [checkout],
  // Where responders open Grafana (alerts link to their dashboard) and where it reads Prometheus.
  grafana: { url: 'https://grafana.example.com', datasource: { url: 'http://prometheus:9090' } },
});
