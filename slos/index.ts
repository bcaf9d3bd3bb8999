export default {
  teams: [
    { name: 'payments',
      page:   { pagerduty: { routingKeyFile: '/etc/alertmanager/secrets/payments-pd' } },
      ticket: { slack: { apiUrlFile: '/etc/alertmanager/secrets/slack', channel: '#payments' } } },
  ],
  services: [
    { name: 'checkout', team: 'payments', labels: { tier: '1' },
      slos: [
        { name: 'availability', objective: 99.9, period: '30d', description: 'Checkout requests succeed',
          sli: { ratio: { errors: 'http_requests_total{job="checkout",code=~"5.."}', total: 'http_requests_total{job="checkout"}' } },
          alerting: { runbook: 'https://runbooks.example/checkout', remediation: 'restart-checkout' } },
        { name: 'latency', objective: 99,
          sli: { latency: { histogram: 'http_request_duration_seconds{job="checkout"}', threshold: 0.3 } } },
      ],
      thresholds: [
        { name: 'cpu', expr: 'avg(rate(process_cpu_seconds_total{job="checkout"}[5m])) * 100', warning: 70, critical: 85, for: '5m', unit: 'percent' },
      ] },
  ],
  remediations: [
    { name: 'restart-checkout', cooldown: '10m', action: { http: { url: 'http://127.0.0.1:8080/admin/restart', method: 'POST' } } },
  ],
};
