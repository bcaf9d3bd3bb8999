// The `kubernetes` section (Prometheus Operator): PrometheusRules, AlertmanagerConfigs,
// dashboard ConfigMaps and the remediation receiver, with a remediation an SLO starts.
import { grafana, team } from '../../team.js';

export default {
  teams: [team],
  grafana,
  services: [
    {
      name: 'checkout',
      team: 'payments',
      labels: { tier: '1' },
      slos: [
        {
          name: 'availability',
          objective: 99.9,
          sli: { ratio: { errors: 'http_requests_total{job="checkout",code=~"5.."}', total: 'http_requests_total{job="checkout"}' } },
          alerting: { runbook: 'https://runbooks.example.com/checkout', remediation: 'restart-checkout' },
        },
      ],
      thresholds: [
        {
          name: 'heap',
          expr: 'sum(nodejs_heap_size_used_bytes{job="checkout"}) / sum(nodejs_heap_size_total_bytes{job="checkout"}) * 100',
          critical: 90,
          for: '5m',
          unit: 'percent',
        },
      ],
    },
  ],
  remediations: [
    {
      name: 'restart-checkout',
      cooldown: '10m',
      maxPerHour: 3,
      action: {
        http: {
          url: 'http://checkout-admin.shop:8080/restart',
          method: 'POST',
          headerFiles: { Authorization: '/etc/sloforge/secrets/checkout-admin' },
        },
      },
    },
  ],
  alertmanager: {
    remediation: {
      url: 'http://sloforge-receiver.monitoring:9095/alerts',
      credentialsFile: '/etc/alertmanager/secrets/sloforge-receiver-token',
    },
  },
  kubernetes: {
    namespace: 'monitoring',
    labels: { release: 'kube-prometheus-stack' },
    receiver: { image: 'registry.example.com/sloforge:0.1.0', storage: '1Gi' },
  },
};
